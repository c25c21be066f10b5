"""Ingest: files, folders (recursive), stdin and URLs -> a stream of Articles (or Failures).

Formats are chosen by extension, else sniffed from the content. Everything streams: a JSONL
file of 100,000 articles is read line by line. Each input is capped in size.
"""

from __future__ import annotations

import gzip
import io
import os
import re
from collections.abc import Iterable, Iterator, Set
from typing import Any, BinaryIO

from ..errors import InputError
from ..types import Article, Failure
from . import formats
from .encoding import decode_bytes
from .markup import sane_article
from .trouble import unforeseen

DEFAULT_MAX_BYTES = 5_000_000
MULTI_ARTICLE_FACTOR = 20  # a JSON array or a feed holds many articles: allow a larger file
URL_TYPES = ("application/json", "application/x-ndjson", "application/jsonl", "application/gzip",
             "application/x-gzip", "application/octet-stream")  # what a URL argument may also be
SUFFIX_FORMATS = {
    ".txt": "txt", ".text": "txt", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".xml": "feed", ".rss": "feed", ".atom": "feed",
}


def format_of(name: str) -> str | None:
    """Format implied by a file name (".gz" looked through), or None when unknown."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return SUFFIX_FORMATS.get(os.path.splitext(lower)[1])


def sniff_format(text: str) -> str:
    """Guess the format of text with no telling file name (stdin, URLs, odd extensions)."""
    head = text.lstrip("\ufeff \t\r\n")[:4096].lower()
    if head.startswith(("{", "[")):
        return "json"
    if head.startswith("<"):
        if "<rss" in head or "<feed" in head or "<rdf:rdf" in head:
            return "feed"
        return "html"
    return "txt"


def read_capped(stream: BinaryIO, cap: int, what: str) -> bytes:
    """Read at most `cap` bytes; more than that is an InputError naming the cap."""
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise InputError(f"{what} is over the {cap / 1e6:g} MB size cap (raise it with --max-bytes)")
    return data


def walk(inputs: Iterable[str], skip: Set[str] = frozenset(),
         exclude: Set[str] = frozenset()) -> Iterator[tuple[str, str]]:
    """Expand inputs into (kind, value): ("path", file), ("url", url), ("stdin", "-"), ("missing", x).

    Hidden files and folders, files named in `skip` (a run's own outputs), and folders or files
    whose real path is in `exclude` (the output folder, the state database) are left out of
    folder walks.
    """
    for item in inputs:
        if item == "-":
            yield "stdin", "-"
        elif item.startswith(("http://", "https://")):
            yield "url", item
        elif os.path.isdir(item):
            for root, dirs, files in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                                 and os.path.realpath(os.path.join(root, d)) not in exclude)
                for name in sorted(files):
                    path = os.path.join(root, name)
                    if name.startswith(".") or name in skip or (exclude and os.path.realpath(path) in exclude):
                        continue
                    yield ("path" if format_of(name) else "unsupported"), path
        elif os.path.isfile(item):
            yield "path", item
        else:
            yield "missing", item


def iter_articles(inputs: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: BinaryIO | None = None,
                  fetch_timeout: float = 20.0, skip: Set[str] = frozenset(), exclude: Set[str] = frozenset(),
                  fetcher: Any = None) -> Iterator[Article | Failure]:
    """Read every input and yield its articles, or a Failure per unreadable input or item.

    Args:
        inputs: file paths, folder paths (walked recursively), http(s) URLs, or "-" for stdin.
        max_bytes: size cap of one article input (JSON arrays and feeds may be 20x larger).
        stdin: the byte stream that "-" reads.
        fetch_timeout: seconds one URL may take in all (connect, headers, body).
        skip: file names never read in folder walks (a run's own outputs).
        exclude: real paths of folders and files never read in folder walks.
        fetcher: the ingest.fetch.PoliteFetcher that reads URLs (default: a polite one with
            these limits; each URL's own origin is trusted, its redirects elsewhere are checked).
    """
    if fetcher is None and any(str(i).startswith(("http://", "https://")) for i in inputs):
        from .fetch import FetchSettings, PoliteFetcher

        inputs = list(inputs)
        fetcher = PoliteFetcher(FetchSettings(timeout=fetch_timeout, max_bytes=max_bytes * MULTI_ARTICLE_FACTOR))
    for kind, value in walk(inputs, skip, exclude):
        if kind == "missing":
            yield Failure(value, "no such file or folder", "ingest")
        elif kind == "unsupported":
            yield Failure(value, "skipped: unsupported file type (txt, json, jsonl, html, xml/rss/atom, "
                                 "optionally .gz)", "ingest", status="skipped")
        elif kind == "stdin":
            if stdin is None:
                yield Failure("-", "stdin is not available", "ingest")
                continue
            yield from _guard("-", lambda: _from_bytes(read_capped(stdin, max_bytes * MULTI_ARTICLE_FACTOR,
                                                                    "stdin"), "-", None, None, max_bytes))
        elif kind == "url":
            yield from _guard(value, lambda value=value: _from_url(value, max_bytes, fetcher))
        else:
            yield from _guard(value, lambda value=value: _from_path(value, max_bytes))


def _guard(ref: str, produce) -> Iterator[Article | Failure]:
    """Run a reader; whatever goes wrong becomes one Failure for that input, with its reason.

    The readers make each record, line and feed item its own failure already; what reaches here
    ends that input only (the rest of it is lost, the other inputs go on). Articles come out
    scrubbed (ingest.markup.sane_article).
    """
    from .web import FetchError

    try:
        for item in produce():
            yield sane_article(item) if isinstance(item, Article) else item
    except (InputError, FetchError) as exc:
        yield Failure(ref, str(exc) if isinstance(exc, InputError) else f"fetch failed: {exc}", "ingest")
    except RecursionError:
        yield Failure(ref, "nested too deeply to read (a hostile or broken document)", "ingest")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Failure(ref, f"cannot read: {exc.strerror or exc}" if isinstance(exc, OSError)
                      else f"cannot read: {exc}", "ingest")
    except Exception as exc:  # noqa: BLE001 - a hostile input provoked what no check foresaw: that input fails
        yield Failure(ref, unforeseen(exc), "ingest")


def _open(path: str) -> BinaryIO:
    if path.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def _from_path(path: str, max_bytes: int) -> Iterator[Article | Failure]:
    fmt = format_of(path)
    with _open(path) as stream:
        if fmt == "jsonl":
            yield from formats.parse_jsonl(stream, path, path, max_bytes)
            return
        cap = max_bytes * (MULTI_ARTICLE_FACTOR if fmt in ("json", "feed", None) else 1)
        data = read_capped(stream, cap, "input")
    yield from _from_bytes(data, path, path, fmt, max_bytes)


def _from_bytes(data: bytes, ref: str, path: str | None, fmt: str | None, max_bytes: int,
                url: str | None = None) -> Iterator[Article | Failure]:
    text, _encoding = decode_bytes(data)
    fmt = fmt or sniff_format(text)
    if fmt == "json":
        yield from formats.parse_json(text, ref, path)
    elif fmt == "jsonl":
        yield from formats.parse_jsonl(text.splitlines(), ref, path)
    elif fmt == "html":
        from .html import parse_html

        yield parse_html(text, ref, path, url)
    elif fmt == "feed":
        from .feeds import parse_feed

        yield from parse_feed(text, ref, path, max_bytes)
    else:
        if len(data) > max_bytes:
            raise InputError(f"input is over the {max_bytes / 1e6:g} MB size cap (raise it with --max-bytes)")
        yield formats.parse_txt(text, ref, path)


def _from_url(url: str, max_bytes: int, fetcher: Any) -> Iterator[Article | Failure]:
    from .web import FEED_TYPES, HTML_TYPES

    fetched = fetcher.fetch(url, accept=HTML_TYPES + FEED_TYPES + URL_TYPES, max_bytes=max_bytes * MULTI_ARTICLE_FACTOR)
    data, ctype = fetched.body, fetched.content_type
    if url.lower().endswith(".gz") or data[:2] == b"\x1f\x8b":
        data = read_capped(gzip.GzipFile(fileobj=io.BytesIO(data)), max_bytes * MULTI_ARTICLE_FACTOR, "download")
    fmt = format_of(url.split("?")[0])
    if fmt is None and ("xml" in ctype or "rss" in ctype or "atom" in ctype):
        fmt = "feed"
    elif fmt is None and "html" in ctype:
        fmt = "html"
    yield from _from_bytes(data, url, None, fmt, max_bytes, url=fetched.final_url)


def estimate_total(inputs: Iterable[str], max_scan_bytes: int = 200_000_000,
                   skip: Set[str] = frozenset(), exclude: Set[str] = frozenset()) -> int | None:
    """About how many articles the inputs hold (for progress ETAs); None when unknowable.

    Files count one each, JSON Lines files one per non-empty line (counted when the files are
    not huge); stdin and URLs make the total unknown.
    """
    total, scanned = 0, 0
    for kind, value in walk(inputs, skip, exclude):
        if kind in ("stdin", "url"):
            return None
        if kind != "path":
            total += 1
            continue
        kind_of = format_of(value)
        if kind_of in ("jsonl", "feed") and not value.lower().endswith(".gz"):
            scanned += os.path.getsize(value)
            if scanned > max_scan_bytes:
                return None
            total += _count_items(value, kind_of)
        else:
            total += 1
    return total


def _count_items(path: str, kind: str) -> int:
    """Articles a JSONL or feed file holds (lines; <item>/<entry> elements), for progress totals."""
    with open(path, "rb") as handle:
        if kind == "jsonl":
            return sum(1 for line in handle if line.strip())
        data = handle.read()
    return max(1, len(re.findall(rb"<(?:item|entry)[\s>]", data)))


def _base_of(ref: str) -> str:
    """The input a ref came from: "a.jsonl:3" -> "a.jsonl", "feed.xml#2" -> "feed.xml"."""
    if ref == "-" or ref.startswith(("http://", "https://")) or os.path.exists(ref):
        return ref
    for sep in (":", "#"):
        base, _, tail = ref.rpartition(sep)
        if base and tail.isdigit():
            return base
    return ref


def iter_refs(refs: Iterable[str], **kwargs: Any) -> Iterator[Article | Failure]:
    """Re-read exactly the given items (by their refs, as in the run report), in the given order."""
    wanted: dict[str, list[str]] = {}
    for ref in refs:
        wanted.setdefault(_base_of(ref), []).append(ref)
    for base, group in wanted.items():
        if base == "-":
            for ref in group:
                yield Failure(ref, "stdin input cannot be read again; run it again with the same input", "ingest")
            continue
        found = {item.ref: item for item in iter_articles([base], **kwargs) if item.ref in group}
        for ref in group:
            yield found.get(ref) or Failure(ref, "no longer found in its input", "ingest")
