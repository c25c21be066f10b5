"""What every light tokenizer shares (see codec.py): the part of the transformers interface the steps use."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SPIECE_UNDERLINE = "▁"


def read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def tokenizer_config(folder: Path) -> dict[str, Any]:
    return read_json(folder / "tokenizer_config.json")


class LightTokenizer:
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


def special_token(config: dict[str, Any], key: str, default: str) -> str:
    value = config.get(key) or default
    return str(value.get("content", default)) if isinstance(value, dict) else str(value)
