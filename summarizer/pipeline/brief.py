"""Assemble a Brief from an article's records (pure: no models, no I/O), in small helpers."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..flags import article_flag
from ..steps.checks import link_summary, sentence_checks, summary_checks
from ..steps.segment import split_sentences
from ..text.arabic import key_text
from ..text.dates import read_date
from ..types import Brief, BriefSentence, Summary, Translation
from .records import Segmented, Translated

LEAD_SENTENCES = 2


def content_id(body: str) -> str:
    """Stable article id: hash of the normalised body (same article, same id, across runs)."""
    return hashlib.sha256(key_text(body).encode("utf-8")).hexdigest()[:16]


@dataclass
class _SentenceRows:
    rows: list[BriefSentence] = field(default_factory=list)
    split: list[int] = field(default_factory=list)
    hit_limit: list[int] = field(default_factory=list)
    passthrough: list[int] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)


def _sentences(seg: Segmented, tr: Translated, check_flags: Mapping[int, list[str]]) -> _SentenceRows:
    """Every sentence with its translation and flags, and the indices each sentence check found."""
    out = _SentenceRows()
    for s, en, t in zip(seg.sentences, tr.english, tr.translations):
        flags = _sentence_flags(s.i, t, check_flags.get(s.i, []))
        for flag, bucket in (("split", out.split), ("length_limit", out.hit_limit), ("passthrough", out.passthrough)):
            if flag in flags:
                bucket.append(s.i)
        out.flags.update(flags)
        out.rows.append(BriefSentence(i=s.i, p=s.p, ar=s.text, en=en, flags=tuple(flags),
                                      score=round(t.score, 4) if t is not None and t.score is not None else None))
    return out


def _sentence_flags(i: int, t: Translation | None, checked: Sequence[str]) -> list[str]:
    if t is None:
        return ["passthrough"]
    flags = (["split"] if t.pieces > 1 else []) + (["length_limit"] if t.hit_limit else [])
    return flags + [f for f in checked if f not in flags]


@dataclass(frozen=True)
class _SummaryPart:
    sentences: tuple[str, ...]
    links: tuple[tuple[int, tuple[int, ...]], ...]
    support: tuple[Mapping[str, Any], ...]
    coverage: float
    flags: tuple[str, ...]


def _summary(english: Sequence[str], summary: Summary | None, strict: bool) -> _SummaryPart:
    """The summary split into sentences once; its support, links and flags."""
    if summary is None:
        n = min(LEAD_SENTENCES, len(english))
        return _SummaryPart(tuple(english[:n]), tuple((k, (k,)) for k in range(n)), (), 1.0, ("lead_summary",))
    flags = list(summary.flags) + (["summary_length_limit"] if summary.hit_limit else [])
    parts, support, repaired = summary_checks(split_sentences(summary.text), english, strict,
                                              english[:LEAD_SENTENCES + 2])
    flags += (["unsupported_summary"] if any(not r["supported"] for r in support) else []) + \
             (["summary_repaired"] if repaired else [])
    links = link_summary(parts, english)
    return _SummaryPart(tuple(parts), tuple((k, tuple(v)) for k, v in links), tuple(support), summary.coverage,
                        tuple(flags))


def _article_flags(seg: Segmented, summary: _SummaryPart, sentence_flags: set[str], lead_fallback: bool) -> list[str]:
    """Article-level flags: the summary's, the article's own, and those its sentences raise."""
    flags = list(summary.flags) + (["summary_ar_lead"] if lead_fallback else [])
    flags += list(seg.article.flags) + (["title_derived"] if seg.title_derived else []) + _date_flags(seg)
    raised = {article_flag(f) for f in sentence_flags} - {None}
    order = ("long_sentence_split", "output_length_limit", "passthrough", "numbers_mismatch", "dates_mismatch",
             "low_confidence",
             "untranslated_output", "retried", "human_translation", "fallback_model", "glossary", "glossary_inserted",
             "glossary_unplaced", "name_unified", "degenerate")
    return flags + [f for f in order if f in raised]


HIJRI_APART = 1  # days the printed Hijri and Gregorian dates may differ (moon sighting vs Umm al-Qura)


def _source(seg: Segmented) -> dict[str, Any]:
    art, cleaned = seg.article, seg.cleaned
    header = " ".join(r.text for r in cleaned.removed[:8])
    reading = read_date(art.published_raw or header)
    return {"ref": art.ref, "path": art.path, "url": art.url, "site": art.site, "format": art.format,
            "published": reading.published, "published_raw": art.published_raw, "published_hijri": reading.hijri,
            "dateline": cleaned.dateline, "byline": cleaned.byline or art.author, "author": art.author}


def _date_flags(seg: Segmented) -> list[str]:
    """The article's Hijri and Gregorian dates disagree by more than a day."""
    header = " ".join(r.text for r in seg.cleaned.removed[:8])
    apart = read_date(seg.article.published_raw or header).apart
    return ["hijri_date_mismatch"] if apart is not None and apart > HIJRI_APART else []


def build_brief(seg: Segmented, tr: Translated, summary: Summary | None, models: Mapping[str, Any],
                timings_ms: Mapping[str, int], strict: bool = False) -> Brief:
    """Put one article's results together.

    Args:
        seg: the segmented article.
        tr: its translation record.
        summary: the summariser's result, or None for a lead summary.
        models: model infos for "translate" and "summarize".
        timings_ms: per-stage timings.
        strict: replace unsupported summary sentences by the translation's lead sentences.
    """
    found, check_flags = sentence_checks(seg.sentences, tr.translations, tr.english, seg.language)
    rows = _sentences(seg, tr, check_flags)
    part = _summary(tr.english, summary, strict)
    linked = sorted({i for _, idx in part.links for i in idx})
    lead_fallback = not linked and bool(seg.sentences)
    linked = [0] if lead_fallback else linked
    flags = _article_flags(seg, part, rows.flags, lead_fallback)
    checks = {
        "coverage": part.coverage, "sentences": len(seg.sentences),
        "translated": sum(1 for t in tr.translations if t is not None), "truncated": "truncated" in flags,
        "split_sentences": rows.split, "hit_limit": rows.hit_limit, "passthrough": rows.passthrough, **found,
        "summary_support": list(part.support), "glossary": list(tr.glossary),
        "names_unified": list(tr.names_unified), "flags": flags,
    }
    summary_ar = " ".join(seg.sentences[i].text for i in linked)
    return Brief(
        id=seg.id, source=_source(seg), language=seg.language,
        title={"ar": seg.title, "en": tr.title_en, "derived": seg.title_derived},
        summary={"ar": summary_ar, "en": " ".join(part.sentences), "en_sentences": list(part.sentences)},
        sentences=tuple(rows.rows), summary_links=part.links, removed=seg.cleaned.removed, checks=checks,
        models=dict(models), timings_ms=dict(timings_ms),
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), meta=dict(seg.article.meta),
        fingerprint=seg.fingerprint,
    )
