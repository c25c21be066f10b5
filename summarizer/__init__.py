"""summarizer: Arabic news articles -> bilingual (Arabic + English) briefs and English digests.

Public API::

    from summarizer import Pipeline, load_config, iter_articles
    pipeline = Pipeline(load_config("models.yaml"), profile="fast")
    for result in pipeline.run(iter_articles(["articles/"])):
        print(result.id if result.ok else result.error)

Importing the package loads neither torch nor transformers; models load on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Config, ModelSpec, Profile, load_config
from .errors import ConfigError, InputError, ModelUnavailable, SummarizerError
from .pipeline import Pipeline, PipelineOptions
from .stages.ingest import iter_articles
from .types import Article, Brief, Failure

__all__ = [
    "Article", "Brief", "Config", "ConfigError", "Failure", "InputError", "ModelSpec", "ModelUnavailable",
    "Pipeline", "PipelineOptions", "Profile", "SummarizerError", "iter_articles", "load_config",
]
