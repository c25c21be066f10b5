"""Assemble a Brief from an article's stage outputs (pure: no models, no I/O)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping, Sequence

from .arabic import key_text
from .dates import find_date, parse_date
from .stages.summarize import Summary, link_summary
from .stages.translate import Translation
from .types import Article, Brief, BriefSentence, Cleaned, Sentence
from .verify import sentence_checks, summary_checks

LEAD_SENTENCES = 2


def content_id(body: str) -> str:
    """Stable article id: hash of the normalised body (same article, same id, across runs)."""
    return hashlib.sha256(key_text(body).encode("utf-8")).hexdigest()[:16]


@dataclass
class Prepared:
    """An article after clean and segment, waiting for its models."""

    article: Article
    cleaned: Cleaned
    id: str
    language: str
    sentences: list[Sentence]
    title: str
    title_derived: bool
    translator: str | None
    fingerprint: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_translate(self) -> list[str]:
        """Texts to send to the translator: the title (unless derived) then translatable sentences."""
        head = [] if self.title_derived else [self.title]
        return head + [s.text for s in self.sentences if s.translate]

    def weight(self) -> int:
        """Share of pooled work (characters), for apportioning pooled timings."""
        return sum(len(s.text) for s in self.sentences) + 1


def lead_summary(prep: Prepared, english: Sequence[str]) -> tuple[str, list[tuple[int, tuple[int, ...]]]]:
    """Summary of a short article: its first sentences, linked one to one."""
    n = min(LEAD_SENTENCES, len(english))
    return " ".join(english[:n]), [(k, (k,)) for k in range(n)]


def build_brief(prep: Prepared, english: Sequence[str], translations: Sequence[Translation | None],
                title_en: str, summary: Summary | None, models: Mapping[str, Any],
                timings_ms: Mapping[str, int], strict: bool = False) -> Brief:
    """Put one article's results together.

    Args:
        prep: the prepared article.
        english: the English text of each sentence (translation, or the source when passed through).
        translations: the Translation of each sentence, None where the sentence passed through.
        title_en: the English title.
        summary: the summariser's result, or None for a lead summary.
        models: model infos for "translate" and "summarize".
        timings_ms: per-stage timings.
        strict: replace unsupported summary sentences by the translation's lead sentences.
    """
    flags: list[str] = []
    sentences = []
    split, hit, passed = [], [], []
    found, check_flags = sentence_checks(prep.sentences, translations, english, prep.language)
    for s, en, tr in zip(prep.sentences, english, translations):
        sflags = []
        if tr is None:
            sflags.append("passthrough")
            passed.append(s.i)
        else:
            if tr.pieces > 1:
                sflags.append("split")
                split.append(s.i)
            if tr.hit_limit:
                sflags.append("length_limit")
                hit.append(s.i)
            sflags.extend(f for f in check_flags.get(s.i, []) if f not in sflags)
        sentences.append(BriefSentence(i=s.i, p=s.p, ar=s.text, en=en, flags=tuple(sflags),
                                       score=round(tr.score, 4) if tr and tr.score is not None else None))
    support: list[dict[str, Any]] = []
    if summary is None:
        summary_en, links = lead_summary(prep, english)
        flags.append("lead_summary")
        coverage = 1.0
    else:
        flags.extend(summary.flags)
        coverage = summary.coverage
        if summary.hit_limit:
            flags.append("summary_length_limit")
        summary_en, support, repaired = summary_checks(summary.text, english, strict, english[:LEAD_SENTENCES + 2])
        if any(not r["supported"] for r in support):
            flags.append("unsupported_summary")
        if repaired:
            flags.append("summary_repaired")
        links = link_summary(summary_en, english)
    linked = sorted({i for _, idx in links for i in idx})
    if not linked and prep.sentences:
        linked = [0]
        flags.append("summary_ar_lead")
    summary_ar = " ".join(prep.sentences[i].text for i in linked)
    if prep.title_derived:
        flags.append("title_derived")
    if split:
        flags.append("long_sentence_split")
    if hit:
        flags.append("output_length_limit")
    if passed:
        flags.append("passthrough")
    all_sentence_flags = {f for fs in check_flags.values() for f in fs}
    for flag in ("numbers", "low_confidence", "untranslated", "retried", "fallback_model", "glossary",
                 "glossary_inserted", "glossary_unplaced", "name_unified"):
        if flag in all_sentence_flags:
            flags.append({"numbers": "numbers_mismatch"}.get(flag, flag))
    if any(f.startswith("degenerate:") for f in all_sentence_flags):
        flags.append("degenerate")
    art, cleaned = prep.article, prep.cleaned
    header = " ".join(r.text for r in cleaned.removed[:8])
    published = parse_date(art.published_raw) or (find_date(header) if not art.published_raw else None)
    source = {"ref": art.ref, "path": art.path, "url": art.url, "site": art.site, "format": art.format,
              "published": published, "published_raw": art.published_raw, "dateline": cleaned.dateline,
              "byline": cleaned.byline or art.author, "author": art.author}
    checks = {
        "coverage": coverage, "sentences": len(prep.sentences),
        "translated": sum(1 for t in translations if t is not None), "truncated": "truncated" in flags,
        "split_sentences": split, "hit_limit": hit, "untranslated": passed, **found,
        "summary_support": support, "glossary": prep.extra.get("glossary", []),
        "names_unified": prep.extra.get("names_unified", []), "flags": flags,
    }
    return Brief(
        id=prep.id, source=source, language=prep.language,
        title={"ar": prep.title, "en": title_en, "derived": prep.title_derived},
        summary={"ar": summary_ar, "en": summary_en}, sentences=tuple(sentences),
        summary_links=tuple((k, tuple(v)) for k, v in links), removed=cleaned.removed, checks=checks,
        models=dict(models), timings_ms=dict(timings_ms),
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), meta=dict(art.meta),
        fingerprint=prep.fingerprint,
    )
