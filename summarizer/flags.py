"""THE flag table: every flag a brief can carry, its level, its article-level name, what it
means and what to do. The HTML page, the Markdown brief and the table in docs/analysts.md come from here.

Sentence flags sit on `sentences[].flags`; each raises its article-level flag in
`checks.flags` (some under another name, e.g. `numbers` -> `numbers_mismatch`). Article
flags exist only in `checks.flags`.

Two things used to share the name "untranslated": a Latin-script sentence kept as it is on
purpose is `passthrough`; a translation that still holds Arabic is `untranslated_output`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    """One flag.

    Attributes:
        name: as written in a brief.
        level: "sentence" or "article".
        article: for a sentence flag, the article-level flag it raises (None: none).
        meaning: what happened.
        action: what the reader should do about it.
    """

    name: str
    level: str
    article: str | None
    meaning: str
    action: str


def _s(name: str, article: str | None, meaning: str, action: str) -> Flag:
    return Flag(name, "sentence", article, meaning, action)


def _a(name: str, meaning: str, action: str) -> Flag:
    return Flag(name, "article", None, meaning, action)


_DEGENERATE_ACTION = "read the source sentence; long run-on or menu-like lines cause this"
FLAGS: tuple[Flag, ...] = (
    _s("numbers", "numbers_mismatch", "a number of the source is missing from the translation, changed, "
       "or repeated", "compare the sentence with the source before quoting any figure"),
    _s("dates", "dates_mismatch", "a Hijri date of the source («15 جمادى الآخرة 1447هـ») does not come out as the "
       "same Hijri month and year, nor as its Gregorian date (listed in `checks.dates`)",
       "check the date against the source; month names and years are easy to get wrong"),
    _s("untranslated_output", "untranslated_output", "the translation still holds Arabic, or copies its "
       "source, even after the fallback model", "read the source; add a `fallback:` translation model to the "
       "profile"),
    _s("passthrough", "passthrough", "a Latin-script sentence (or one without letters) inside an Arabic "
       "article, kept untranslated on purpose", "nothing"),
    _s("fallback_model", "fallback_model", "the sentence was translated by the profile's fallback model",
       "nothing; the first model failed on it"),
    _s("degenerate:loop", "degenerate", "the output looped and still did after a retry with stronger "
       "repetition settings", _DEGENERATE_ACTION),
    _s("degenerate:empty", "degenerate", "the output was empty, even after a retry", _DEGENERATE_ACTION),
    _s("degenerate:too_short", "degenerate", "the output was far shorter than its source, even after a retry",
       _DEGENERATE_ACTION),
    _s("degenerate:too_long", "degenerate", "the output was far longer than its source, even after a retry",
       _DEGENERATE_ACTION),
    _s("retried", "retried", "the first output was broken; the retry is what you see", "nothing"),
    _s("human_translation", "human_translation", "an editor's translation of this sentence (made on the review "
       "page) was used instead of the model's", "nothing"),
    _s("low_confidence", "low_confidence", "the engine's mean token log-probability was below -1.5",
       "check this sentence first"),
    _s("lowest_confidence", None, "among the 10% lowest-scoring sentences of the article (listed in "
       "`checks.lowest_confidence`)", "read these first when checking a translation"),
    _s("split", "long_sentence_split", "the sentence was longer than the model's input limit; it was "
       "translated in word-boundary pieces", "read that sentence's translation with care at the joins"),
    _s("length_limit", "output_length_limit", "the translation stopped at its length limit (input length x "
       "`output_ratio` + 16) instead of ending by itself; usually a loop", "check that sentence against the "
       "source"),
    _s("glossary", "glossary", "a glossary term was placed where the model rendered the term (by alignment)",
       "nothing"),
    _s("glossary_inserted", "glossary_inserted", "no target token aligned with a glossary term; its rendering "
       "was inserted next to the closest aligned word", "read the sentence: the model's own rendering may "
       "also be there"),
    _s("glossary_unplaced", "glossary_unplaced", "a glossary term could not be placed (empty translation)",
       "fix the sentence by hand"),
    _s("name_unified", "name_unified", "a name variant was respelled to the run's spelling",
       "nothing; `run-report.json` lists all variants under `name_variants`"),
    _a("unsupported_summary", "a summary sentence is not backed by the translation (few shared words, or a "
       "name or number the translation lacks)", "do not quote it; run with `--strict` to replace such "
       "sentences by the translation's lead sentences"),
    _a("summary_repaired", "`--strict` replaced unsupported summary sentences", "nothing"),
    _a("lead_summary", "the article has fewer than 3 sentences; its first sentences are the summary",
       "nothing"),
    _a("map_reduce", "the translation was longer than the summariser's input: summarised in chunks, then the "
       "chunk summaries summarised", "the summary is of the whole article, but coarser"),
    _a("truncated", "a safety stop cut text before the summariser (`coverage` < 1)",
       "read the full translation"),
    _a("summary_empty", "the translation had no text to summarise", "read the translation"),
    _a("summary_length_limit", "the summary stopped at its length limit", "the last summary sentence may "
       "be cut"),
    _a("summary_ar_lead", "no summary sentence shares words with the translation; the Arabic side shows the "
       "lead sentence", "treat the English summary with suspicion"),
    _a("title_derived", "no title in the input; the first sentence stands in", "nothing"),
    _a("hijri_date_mismatch", "the article gives a Hijri and a Gregorian date more than a day apart (by "
       "Umm al-Qura); `source.published` is the Gregorian one, `source.published_hijri` the Hijri as written",
       "check the date on the source's page before dating the story"),
    _a("teaser_only", "a feed item's page could not be fetched or held no article; the brief is made from "
       "the feed's short text (the reason is in the run report)", "open the link for the full story"),
)
BY_NAME = {f.name: f for f in FLAGS}
ARTICLE_FLAGS = tuple(dict.fromkeys(f.article or f.name for f in FLAGS if (f.article or f.level == "article")))


def describe(name: str) -> Flag:
    """The table entry of a flag (sentence or article level); KeyError for an unknown flag."""
    if name in BY_NAME:
        return BY_NAME[name]
    for flag in FLAGS:
        if flag.article == name:
            return Flag(name, "article", None, flag.meaning, flag.action)
    raise KeyError(name)


def article_flag(sentence_flag: str) -> str | None:
    """The article-level flag a sentence flag raises (None: it raises none)."""
    return BY_NAME[sentence_flag].article


def markdown_table() -> str:
    """The flag table of docs/analysts.md, generated from FLAGS (a test keeps the page equal to it)."""
    rows = ["| flag | level | article flag | meaning | what to do |", "|---|---|---|---|---|"]
    for f in FLAGS:
        article = f"`{f.article}`" if f.article else "-"
        rows.append(f"| `{f.name}` | {f.level} | {article if f.level == 'sentence' else '-'} | {f.meaning} "
                    f"| {f.action} |")
    return "\n".join(rows)
