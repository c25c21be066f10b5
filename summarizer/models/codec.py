"""Tokenizers for the CTranslate2 engine without transformers (and so without torch).

transformers 5 imports torch as soon as a tokenizer is loaded (about 2.5 s and 250 MB). The
CTranslate2 path needs only text <-> token ids, so it reads the model folder's own tokenizer
files with the libraries underneath: `tokenizers` for a tokenizer.json (BART, NLLB, mT5 ...),
sentencepiece for Marian's source.spm/target.spm with its vocab.json, and a byte-level BPE from
vocab.json + merges.txt. The same small interface as a transformers tokenizer is offered (what
the steps use: calling it, decode, batch_decode, the id/token maps, src_lang); tests hold the ids
and texts equal to transformers' on every architecture. A folder of another kind returns None,
and the caller uses transformers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SPIECE_UNDERLINE = "▁"


def _config(folder: Path) -> dict[str, Any]:
    path = folder / "tokenizer_config.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


class _Base:
    """What every light tokenizer offers (the part of the transformers interface the steps use)."""

    model_max_length: int = 1_000_000
    unk_token_id: int | None = None
    special_ids: frozenset[int] = frozenset()

    def encode_one(self, text: str, special: bool, target: bool) -> list[int]:
        raise NotImplementedError

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False, **_: Any) -> str:
        raise NotImplementedError

    def __call__(self, text: str | Sequence[str] | None = None, add_special_tokens: bool = True,
                 text_target: str | Sequence[str] | None = None, **_: Any) -> dict[str, Any]:
        target = text is None
        value = text_target if target else text
        if isinstance(value, str):
            return {"input_ids": self.encode_one(value, add_special_tokens, target)}
        return {"input_ids": [self.encode_one(v, add_special_tokens, target) for v in value or ()]}

    def batch_decode(self, sequences: Sequence[Sequence[int]], skip_special_tokens: bool = False,
                     **_: Any) -> list[str]:
        return [self.decode(ids, skip_special_tokens=skip_special_tokens) for ids in sequences]


class JsonTokenizer(_Base):
    """A tokenizer.json read with `tokenizers` (language-code templates for NLLB-style models)."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        config = _config(folder)
        self.model_max_length = int(config.get("model_max_length") or self.model_max_length)
        unk = config.get("unk_token")
        self.unk_token_id = self.tok.token_to_id(unk) if isinstance(unk, str) else None
        self.special_ids = frozenset(i for i, t in self.tok.get_added_tokens_decoder().items() if t.special)
        self._template = self.tok.post_processor
        self._lang: str | None = None

    @property
    def src_lang(self) -> str | None:
        return self._lang

    @src_lang.setter
    def src_lang(self, code: str) -> None:
        """Prefix the source language code, as NLLB expects: `code ... </s>`."""
        from tokenizers.processors import TemplateProcessing

        if code != self._lang:
            self._lang = code
            self.tok.post_processor = TemplateProcessing(
                single=f"{code} $A </s>", pair=f"{code} $A $B </s>",
                special_tokens=[(code, self.tok.token_to_id(code)), ("</s>", self.tok.token_to_id("</s>"))])

    def encode_one(self, text: str, special: bool, target: bool) -> list[int]:
        return self.tok.encode(text, add_special_tokens=special).ids

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False, **_: Any) -> str:
        return self.tok.decode(list(ids), skip_special_tokens=skip_special_tokens)

    def convert_ids_to_tokens(self, ids: Sequence[int]) -> list[str]:
        return [self.tok.id_to_token(i) for i in ids]

    def convert_tokens_to_ids(self, tokens: str | Sequence[str]) -> Any:
        if isinstance(tokens, str):
            found = self.tok.token_to_id(tokens)
            return self.unk_token_id if found is None else found
        return [self.convert_tokens_to_ids(t) for t in tokens]


class MarianTokenizer(_Base):
    """Marian's two sentencepiece models and shared vocabulary (opus-mt), as transformers reads them."""

    def __init__(self, folder: Path) -> None:
        import sentencepiece

        config = _config(folder)
        self.vocab: dict[str, int] = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        self.inverse = {i: t for t, i in self.vocab.items()}
        self.source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self.target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
        self.decode_spm = self.target if config.get("separate_vocabs") else self.source
        self.model_max_length = int(config.get("model_max_length") or 512)
        self.unk_token_id = self.vocab["<unk>"]
        self.eos_token_id = self.vocab["</s>"]
        self.special_ids = frozenset({self.vocab["</s>"], self.vocab["<unk>"], self.vocab["<pad>"]})

    def encode_one(self, text: str, special: bool, target: bool) -> list[int]:
        pieces = (self.target if target else self.source).encode(text, out_type=str)
        ids = [self.vocab.get(p, self.unk_token_id) for p in pieces]
        return ids + [self.eos_token_id] if special else ids

    def decode(self, ids: Sequence[int], skip_special_tokens: bool = False, **_: Any) -> str:
        text, run = "", []
        for i in ids:
            if skip_special_tokens and i in self.special_ids:
                continue
            token = self.inverse.get(i, "<unk>")
            if i in self.special_ids:
                text += self.decode_spm.decode_pieces(run) + token + " "
                run = []
            else:
                run.append(token)
        text += self.decode_spm.decode_pieces(run)
        return text.replace(SPIECE_UNDERLINE, " ").strip()

    def convert_ids_to_tokens(self, ids: Sequence[int]) -> list[str]:
        return [self.inverse.get(i, "<unk>") for i in ids]

    def convert_tokens_to_ids(self, tokens: str | Sequence[str]) -> Any:
        if isinstance(tokens, str):
            return self.vocab.get(tokens, self.unk_token_id)
        return [self.vocab.get(t, self.unk_token_id) for t in tokens]


def light_tokenizer(folder: Path, src_lang: str | None = None) -> _Base | None:
    """A torch-free tokenizer for a model folder, or None when its kind is not covered."""
    folder = Path(folder)
    try:
        if (folder / "source.spm").is_file() and (folder / "vocab.json").is_file():
            return MarianTokenizer(folder)
        if (folder / "tokenizer.json").is_file():
            tokenizer = JsonTokenizer(folder)
            if src_lang:
                tokenizer.src_lang = src_lang
            return tokenizer
    except (OSError, ValueError, KeyError, RuntimeError, Exception):  # noqa: BLE001 - then transformers reads it
        return None
    return None
