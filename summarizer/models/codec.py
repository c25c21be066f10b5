"""Tokenizers for the CTranslate2 engine without transformers (and so without torch).

transformers 5 imports torch as soon as a tokenizer is loaded (about 2.5 s and 250 MB). The
CTranslate2 path needs only text <-> token ids, so it reads the model folder's own tokenizer
files with the libraries underneath: `tokenizers` for a tokenizer.json (BART, NLLB, mT5 ...),
sentencepiece for Marian's source.spm/target.spm with its vocab.json (codec_spm), a byte-level BPE
from vocab.json + merges.txt (distilbart ships no tokenizer.json) and the Unigram of a T5/mT5
spiece.model (mT5 XL-Sum), built with `tokenizers` exactly as transformers builds them. The same small interface as a transformers tokenizer is offered (what
the steps use: calling it, decode, batch_decode, the id/token maps, src_lang); tests hold the ids
and texts equal to transformers' on every architecture. A folder of another kind returns None,
and the caller uses transformers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .codec_base import SPIECE_UNDERLINE, LightTokenizer, read_json, special_token, tokenizer_config
from .codec_spm import MarianTokenizer, t5_unigram

__all__ = ["SPIECE_UNDERLINE", "JsonTokenizer", "MarianTokenizer", "light_tokenizer"]


class JsonTokenizer(LightTokenizer):
    """A tokenizer.json read with `tokenizers` (language-code templates for NLLB-style models)."""

    def __init__(self, folder: Path, tokenizer: Any = None) -> None:
        from tokenizers import Tokenizer

        self.tok = tokenizer or Tokenizer.from_file(str(folder / "tokenizer.json"))
        config = tokenizer_config(folder)
        self.model_max_length = int(config.get("model_max_length") or self.model_max_length)
        self.unk_token_id = self.tok.token_to_id(special_token(config, "unk_token", "<unk>"))
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


def byte_level_bpe(folder: Path) -> Any:
    """The tokenizer transformers builds from a BART/RoBERTa vocab.json + merges.txt (no tokenizer.json:
    distilbart-cnn), built with `tokenizers` alone: byte-level BPE, <s> ... </s> around the text."""
    from tokenizers import AddedToken, Tokenizer, decoders, pre_tokenizers, processors
    from tokenizers.models import BPE

    config = {**read_json(folder / "special_tokens_map.json"), **tokenizer_config(folder)}
    names = {key: special_token(config, key, default) for key, default in (
        ("bos_token", "<s>"), ("eos_token", "</s>"), ("unk_token", "<unk>"), ("pad_token", "<pad>"),
        ("mask_token", "<mask>"), ("sep_token", "</s>"), ("cls_token", "<s>"))}
    tok = Tokenizer(BPE.from_file(str(folder / "vocab.json"), str(folder / "merges.txt"), dropout=None,
                                  continuing_subword_prefix="", end_of_word_suffix="", fuse_unk=False))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens([AddedToken(t, special=True) for t in dict.fromkeys(names.values())])
    tok.post_processor = processors.RobertaProcessing((names["sep_token"], tok.token_to_id(names["sep_token"])),
                                                      (names["cls_token"], tok.token_to_id(names["cls_token"])),
                                                      trim_offsets=True, add_prefix_space=False)
    return tok


def light_tokenizer(folder: Path, src_lang: str | None = None) -> LightTokenizer | None:
    """A torch-free tokenizer for a model folder, or None when its kind is not covered.

    In order: Marian's source.spm + vocab.json; a tokenizer.json; BART's vocab.json + merges.txt;
    a T5/mT5 spiece.model.
    """
    folder = Path(folder)
    try:
        if (folder / "source.spm").is_file() and (folder / "vocab.json").is_file():
            return MarianTokenizer(folder)
        tokenizer: LightTokenizer | None = None
        if (folder / "tokenizer.json").is_file():
            tokenizer = JsonTokenizer(folder)
        elif (folder / "vocab.json").is_file() and (folder / "merges.txt").is_file():
            tokenizer = JsonTokenizer(folder, byte_level_bpe(folder))
        elif (folder / "spiece.model").is_file():
            tokenizer = JsonTokenizer(folder, t5_unigram(folder))
        if tokenizer is not None and src_lang and isinstance(tokenizer, JsonTokenizer):
            tokenizer.src_lang = src_lang
        return tokenizer
    except (OSError, ValueError, KeyError, RuntimeError, Exception):  # noqa: BLE001 - then transformers reads it
        return None
