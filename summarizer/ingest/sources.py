"""The feeds a daily run reads: `--sources sources.yaml` (or an OPML file a feed reader exports).

    contact: newsroom@example.org        # optional: goes into the User-Agent
    defaults: {follow: teaser, teaser_words: 80, delay: 1.0, max_pages: 50}
    feeds:
      - url: https://www.example.com/rss.xml
        name: Example News               # optional; default: the feed's own title
        language: ar                     # optional; default: what the feed or the text says
        follow: always                   # optional per feed: teaser | always | never

Unknown keys are errors that name the file and the key, as in models.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError

FOLLOW = ("teaser", "always", "never")
FEED_KEYS = {"url", "name", "language", "follow", "teaser_words", "delay", "max_pages"}
TOP_KEYS = {"contact", "defaults", "feeds"}
DEFAULT_KEYS = FEED_KEYS - {"url", "name", "language"}


@dataclass(frozen=True)
class FeedSource:
    """One feed to read.

    Attributes:
        url: the feed's address.
        name: a name for reports and digests (None: the feed's own title).
        language: the language of its items (None: what the feed or the text says).
        follow: "teaser" (fetch an item's page when the feed text is short), "always" or "never".
        teaser_words: under this many words the feed text counts as a teaser.
        delay: seconds between two requests to its host (None: the run's setting).
        max_pages: most pages from its host in one run (None: the run's setting).
    """

    url: str
    name: str | None = None
    language: str | None = None
    follow: str = "teaser"
    teaser_words: int = 80
    delay: float | None = None
    max_pages: int | None = None


@dataclass(frozen=True)
class Sources:
    """The feeds of a sources file, and who runs the fetching."""

    feeds: tuple[FeedSource, ...]
    contact: str | None = None
    origin: str = ""


def load_sources(path: str | Path) -> Sources:
    """Read a sources.yaml or an OPML file (by extension: .opml/.xml are OPML).

    Raises:
        ConfigError: missing file, bad YAML/XML, an unknown key, or a bad value (the message
            names the file and the key).
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"sources file not found: {path}")
    if path.suffix.lower() in (".opml", ".xml"):
        return _opml(path)
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping with 'feeds'")
    _known(data, TOP_KEYS, path, "top level")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise ConfigError(f"{path}: 'defaults' must be a mapping")
    _known(defaults, DEFAULT_KEYS, path, "defaults")
    feeds = data.get("feeds") or []
    if not isinstance(feeds, list) or not feeds:
        raise ConfigError(f"{path}: 'feeds' must be a non-empty list")
    parsed = tuple(_feed({**defaults, **_item(f, path, k)}, path, f"feeds[{k}]") for k, f in enumerate(feeds))
    contact = data.get("contact")
    return Sources(feeds=parsed, contact=str(contact) if contact else None, origin=str(path))


def _item(item: Any, path: Path, where: str) -> dict:
    if isinstance(item, str):
        return {"url": item}
    if not isinstance(item, dict):
        raise ConfigError(f"{path}: feeds[{where}] must be a URL or a mapping with 'url'")
    return item


def _known(body: dict, allowed: set[str], path: Path, where: str) -> None:
    for key in body:
        if key not in allowed:
            raise ConfigError(f"{path}: unknown key '{key}' in {where} (allowed: {', '.join(sorted(allowed))})")


def _feed(body: dict, path: Path, where: str) -> FeedSource:
    _known(body, FEED_KEYS, path, where)
    url = str(body.get("url") or "")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"{path}: {where}.url must be an http(s) URL, got {url!r}")
    follow = body.get("follow", "teaser")
    if follow not in FOLLOW:
        raise ConfigError(f"{path}: {where}.follow must be one of {', '.join(FOLLOW)}, got {follow!r}")
    source = FeedSource(url=url, name=body.get("name"), language=body.get("language"), follow=follow)
    for key, kind in (("teaser_words", int), ("delay", float), ("max_pages", int)):
        if key in body:
            value = body[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ConfigError(f"{path}: {where}.{key} must be a non-negative number, got {value!r}")
            source = replace(source, **{key: kind(value)})
    return source


def _opml(path: Path) -> Sources:
    from xml.etree import ElementTree

    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as exc:
        raise ConfigError(f"{path}: not valid OPML: {exc}") from None
    feeds = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl")
        if url:
            feeds.append(_feed({"url": url, "name": outline.get("title") or outline.get("text"),
                                **({"language": outline.get("language")} if outline.get("language") else {})},
                               path, f"outline {url}"))
    if not feeds:
        raise ConfigError(f"{path}: no <outline xmlUrl=...> feeds in the OPML file")
    return Sources(feeds=tuple(feeds), origin=str(path))
