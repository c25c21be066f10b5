"""Inference engines behind one interface: transformers `generate` (torch) and CTranslate2."""

from .base import Engine, Generation, GenerationSettings

__all__ = ["Engine", "Generation", "GenerationSettings"]
