"""summarizer: Arabic news articles -> bilingual (Arabic + English) briefs and English digests.

Public API::

    from summarizer import Pipeline, load_config, iter_articles
    pipeline = Pipeline(load_config("models.yaml"), profile="fast")
    for result in pipeline.run(iter_articles(["articles/"])):
        print(result.id if result.ok else result.error)

    from summarizer import RunSettings, run_folder          # the incremental, locked cron run
    report = run_folder(RunSettings(inputs=["articles/"], out=Path("briefs")))

    from summarizer import search                           # Arabic and English search of the briefs
    for hit in search("briefs", "الحشد الشعبي", since="2026-11-01"):
        print(hit.date, hit.title, hit.snippet)

Importing the package loads neither torch nor transformers; models load on first use.
"""

from __future__ import annotations

from .config import Config, ModelSpec, Profile, load_config
from .desk.search import Hit, search
from .errors import ConfigError, InputError, LockedError, ModelUnavailable, SummarizerError
from .ingest.inputs import iter_articles
from .pipeline import Pipeline, PipelineOptions
from .runs import RunObserver, RunReport, RunSettings, run_folder
from .types import Article, Brief, Failure
from .version import __version__

__all__ = [
    "Article", "Brief", "Config", "ConfigError", "Failure", "Hit", "InputError", "LockedError", "ModelSpec",
    "ModelUnavailable", "Pipeline", "PipelineOptions", "Profile", "RunObserver", "RunReport", "RunSettings",
    "SummarizerError", "__version__", "iter_articles", "load_config", "run_folder", "search",
]
