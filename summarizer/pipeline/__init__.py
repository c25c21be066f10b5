"""Composition of the steps: windows of articles through the models, one Brief or Failure each."""

from .pipeline import Pipeline, PipelineOptions

__all__ = ["Pipeline", "PipelineOptions"]
