"""Parsers for one input's text: plain text, JSON, JSONL (news-please style fields)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InputError
from ..types import Article, Failure
from .jsonload import loads_bounded, unreadable_in
from .trouble import unforeseen

TEXT_FIELDS = ("maintext", "text", "body", "content", "article")
DATE_FIELDS = ("date_publish", "published", "date", "pubDate")
SITE_FIELDS = ("source_domain", "site", "source")
AUTHOR_FIELDS = ("authors", "author", "byline")
KNOWN_FIELDS = {"title", "url", "language", *TEXT_FIELDS, *DATE_FIELDS, *SITE_FIELDS, *AUTHOR_FIELDS}


def looks_like_html(text: str) -> bool:
    """True when a text field carries HTML markup rather than plain text."""
    head = text[:2000].lower()
    return any(tag in head for tag in ("<p>", "<p ", "<br", "<div", "</a>", "<html", "<body"))


def _first(record: dict[str, Any], fields: Iterable[str]) -> Any:
    for name in fields:
        value = record.get(name)
        if value not in (None, "", []):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v)
    return str(value)


def article_from_record(record: Any, ref: str, path: str | None, fmt: str) -> Article:
    """Build an Article from one JSON object with news-please style fields.

    Raises:
        InputError: the record is not an object, or has no non-empty text field.
    """
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}")
    problem = unreadable_in(record)
    if problem:
        raise InputError(problem)
    body = _first(record, TEXT_FIELDS)
    if body is None:
        raise InputError(f"no text field (looked for {', '.join(TEXT_FIELDS)})")
    if not isinstance(body, str):
        raise InputError(f"text field is a {type(body).__name__}, not a string")
    if not body.strip():
        raise InputError("text field is empty")
    extracted = looks_like_html(body)  # an HTML body is the article's own markup: no page furniture
    if extracted:
        from .html import html_to_text

        body = html_to_text(body)
    meta = {k: v for k, v in record.items() if k not in KNOWN_FIELDS}
    language = record.get("language")
    return Article(
        ref=ref, text=body, title=_as_text(record.get("title")), path=path,
        url=_as_text(record.get("url")), site=_as_text(_first(record, SITE_FIELDS)),
        published_raw=_as_text(_first(record, DATE_FIELDS)),
        language=str(language).lower()[:2] if isinstance(language, str) and language else None,
        author=_as_text(_first(record, AUTHOR_FIELDS)), format=fmt, meta=meta, extracted=extracted,
    )


def parse_json(text: str, ref: str, path: str | None) -> Iterator[Article | Failure]:
    """One JSON document: an object (one article) or an array of objects."""
    try:
        data = loads_bounded(text)
    except json.JSONDecodeError as exc:
        if "\n{" in text.strip():  # a JSONL file with a .json name
            yield from parse_jsonl(text.splitlines(), ref, path)
            return
        yield Failure(ref, f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", "ingest")
        return
    items = data if isinstance(data, list) else [data]
    for k, item in enumerate(items):
        item_ref = f"{ref}#{k + 1}" if isinstance(data, list) else ref
        yield _record(item, item_ref, path, "json", "")


def parse_jsonl(lines: Iterable[str | bytes], ref: str, path: str | None,
                max_bytes: int | None = None) -> Iterator[Article | Failure]:
    """JSON Lines: one object per line; a bad line is an error naming its line number."""
    for lineno, line in enumerate(lines, start=1):
        line_ref = f"{ref}:{lineno}"
        if max_bytes is not None and len(line) > max_bytes:
            yield Failure(line_ref, f"line {lineno} is {len(line) / 1e6:.1f} MB, over the "
                                    f"{max_bytes / 1e6:g} MB cap (--max-bytes)", "ingest")
            continue
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError:
                yield Failure(line_ref, f"line {lineno} is not UTF-8 (JSON Lines must be UTF-8)", "ingest")
                continue
        if not line.strip():
            continue
        try:
            record = loads_bounded(line)
        except json.JSONDecodeError as exc:
            yield Failure(line_ref, f"line {lineno}: not valid JSON: {exc.msg} (column {exc.colno})", "ingest")
            continue
        except RecursionError:
            yield Failure(line_ref, f"line {lineno}: nested too deeply to read", "ingest")
            continue
        yield _record(record, line_ref, path, "jsonl", f"line {lineno}: ")


def _record(record: Any, ref: str, path: str | None, fmt: str, where: str) -> Article | Failure:
    """One record's Article, or its Failure whatever went wrong (the other records go on)."""
    try:
        return article_from_record(record, ref, path, fmt)
    except InputError as exc:
        return Failure(ref, f"{where}{exc}", "ingest")
    except Exception as exc:  # noqa: BLE001 - whatever a hostile record provokes is that record's failure
        return Failure(ref, f"{where}{unforeseen(exc)}", "ingest")


def parse_txt(text: str, ref: str, path: str | None) -> Article:
    """A plain-text article: the whole text is the body (the cleaner finds title and dateline)."""
    return Article(ref=ref, text=text, path=path, format="txt")
