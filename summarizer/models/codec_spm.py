"""Sentencepiece tokenizers without transformers: Marian's source/target models and T5/mT5's spiece.model.

- Marian (opus-mt): source.spm encodes, vocab.json maps pieces to ids; a leading target-language
  tag (`>>ara<<`) stays one token, as transformers keeps it; a model with separate vocabularies
  (target_vocab.json) reads its outputs with the target vocabulary and target.spm.
- T5/mT5 (mT5 XL-Sum ships spiece.model and no tokenizer.json): the same `tokenizers` Unigram
  transformers 5 builds from spiece.model (its pieces, scores and normaliser), `$A </s>`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .codec_base import SPIECE_UNDERLINE, LightTokenizer, special_token, tokenizer_config

TAG = re.compile(r">>[^<>\s]+<<")


def target_tags(folder: Path) -> list[str]:
    """The target-language tags (`>>ara<<`) of a Marian vocabulary: a multi-target model needs one per input."""
    path = Path(folder) / "vocab.json"
    if not path.is_file():
        return []
    return [t for t in json.loads(path.read_text(encoding="utf-8")) if TAG.fullmatch(t)]


class MarianTokenizer(LightTokenizer):
    """Marian's two sentencepiece models and vocabularies (opus-mt), as transformers reads them."""

    def __init__(self, folder: Path) -> None:
        import sentencepiece

        config = tokenizer_config(folder)
        self.vocab: dict[str, int] = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        separate = bool(config.get("separate_vocabs")) or (folder / "target_vocab.json").is_file()
        self.target_vocab: dict[str, int] = (json.loads((folder / "target_vocab.json").read_text(encoding="utf-8"))
                                             if separate else self.vocab)
        self.inverse = {i: t for t, i in self.target_vocab.items()}
        self.source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self.target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
        self.decode_spm = self.target if separate else self.source
        self.model_max_length = int(config.get("model_max_length") or 512)
        self.unk_token_id = self.vocab["<unk>"]
        self.eos_token_id = self.vocab["</s>"]
        self.special_ids = frozenset({self.target_vocab["</s>"], self.target_vocab["<unk>"],
                                      self.target_vocab["<pad>"]})

    def encode_one(self, text: str, special: bool, target: bool) -> list[int]:
        code: list[str] = []
        if text.startswith(">>") and (end := text.find("<<")) != -1:  # a target tag stays one token
            code, text = [text[:end + 2]], text[end + 2:]
        vocab = self.target_vocab if target else self.vocab
        pieces = code + (self.target if target else self.source).encode(text, out_type=str)
        ids = [vocab.get(p, vocab["<unk>"]) for p in pieces]
        return ids + [vocab["</s>"]] if special else ids

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
        unk = self.target_vocab["<unk>"]
        if isinstance(tokens, str):
            return self.target_vocab.get(tokens, unk)
        return [self.target_vocab.get(t, unk) for t in tokens]


def t5_unigram(folder: Path) -> Any:
    """The `tokenizers` Unigram that transformers 5's T5Tokenizer builds from spiece.model."""
    from sentencepiece import sentencepiece_model_pb2
    from tokenizers import AddedToken, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString((folder / "spiece.model").read_bytes())
    config = tokenizer_config(folder)
    names = [special_token(config, key, default) for key, default in (("eos_token", "</s>"), ("unk_token", "<unk>"),
                                                                ("pad_token", "<pad>"))]
    extra = int(config.get("extra_ids", 100) or 0)
    tok = Tokenizer(Unigram([(p.piece, p.score) for p in proto.pieces], unk_id=2, byte_fallback=False))
    if proto.normalizer_spec.precompiled_charsmap:
        tok.normalizer = normalizers.Precompiled(proto.normalizer_spec.precompiled_charsmap)
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")])
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    sentinels = [f"<extra_id_{k}>" for k in range(extra)]
    tok.add_special_tokens([AddedToken(t, special=True) for t in [*names, *sentinels]])
    tok.post_processor = processors.TemplateProcessing(single=["$A", names[0]], pair=["$A", names[0], "$B", names[0]],
                                                       special_tokens=[(names[0], tok.token_to_id(names[0]))])
    return tok
