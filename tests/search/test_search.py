"""Search as an analyst types it: Arabic however it was written, English by stem, phrases, exact
words, filters, malformed queries; exact matches above stem-only ones; highlights on the original
characters. Briefs are written by hand (exact words matter here), indexed by `reindex` and found by
`search`, the library function the CLI and the review page use."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarizer.desk.search import BadQuery, reindex, search
from summarizer.search.query import fts_expression, parse
from summarizer.store.state import Store

_FTS_OWN = {"AND", "OR", "NOT", "src_title", "src_text", "src_title_stem", "src_text_stem", "en_title", "en_text",
            "en_title_stem", "en_text_stem"}

BRIEFS = {
    "a" * 16: ("كِتَابٌ جديد عن تاريخ الـعـراق", "وقال أحمد إن المدرسة ستفتح في إسرائيل قريبا.", "2026-11-01", "Alpha News",
               "The port reopened on Monday."),
    "b" * 16: ("كتابة التاريخ", "وأكد وزير الخارجية أن الاجتماع انتهى بالمدينة والكتاب معا.", "2026-11-10", "Beta Daily",
               "Ministers met in the city."),
    "c" * 16: ("الوزير في الخارجية", "قال الوزير إن وزارة الخارجية لم تعلق.", "2026-11-20", "Alpha News",
               "Ports were closed for the storm."),
}


def _brief(brief_id: str, title: str, text: str, date: str, site: str, english: str) -> dict:
    return {"schema": 2, "id": brief_id, "language": "ar", "title": {"ar": title, "en": english.split(".")[0]},
            "summary": {"en": english, "ar": text}, "sentences": [{"i": 0, "p": 0, "ar": text, "en": english}],
            "source": {"published": date, "site": site, "url": f"https://{site.split()[0].lower()}.example/x"},
            "created_at": f"{date}T08:00:00+00:00"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("briefs")
    lines = []
    for brief_id, fields in BRIEFS.items():
        brief = _brief(brief_id, *fields)
        (root / f"{brief_id}.json").write_text(json.dumps(brief, ensure_ascii=False), encoding="utf-8")
        lines.append(json.dumps(brief, ensure_ascii=False))
    (root / "briefs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    Store(root / "state.sqlite").close()
    assert reindex(root) == 3
    return root


def ids(hits) -> list[str]:
    return [h.id[0] for h in hits]


@pytest.mark.parametrize("query, found", [
    ("كتاب", "ab"),  # harakat in the brief (a: كِتَابٌ) ; b by stem (كتابة, والكتاب)
    ("كِتَابٌ", "ab"),  # harakat in the query
    ("العراق", "a"),  # tatweel in the brief (الـعـراق)
    ("احمد", "a"),  # hamza-less alef in the query, أحمد in the brief
    ("اسرائيل", "a"),  # and إ
    ("المدرسه", "a"),  # ta marbuta typed as ha
    ("مدينة", "b"),  # a prefixed form in the brief: بالمدينة
    ("بالكتاب", "ab"),  # a prefixed form in the query
    ("انتهي", "b"),  # alef maqsura in the brief (انتهى), ya in the query
    ("فى", "ac"),  # and the other way: ى typed in the query, في in the briefs
    ("port", "ac"),  # English by stem: port, Ports
    ("ports", "ac"),
])
def test_arabic_however_it_was_typed_and_english_by_stem(folder, query, found):
    assert sorted(ids(search(folder, query))) == sorted(found)


@pytest.mark.parametrize("query, brief", [("كتاب", "a"), ("العراق", "a"), ("احمد", "a"), ("اسرائيل", "a"),
                                          ("المدرسه", "a"), ("انتهي", "b"), ("فى", "a"), ("فى", "c")])
def test_normalisation_makes_an_exact_match_not_only_a_stem_match(folder, query, brief):
    """Harakat, tatweel, hamza, ta marbuta and alef maqsura are folded in the normalised form itself: the stemmer
    (which folds some of them on its own) must not be what finds them."""
    [hit] = [h for h in search(folder, query) if h.id[0] == brief]
    assert hit.exact


def test_exact_normalised_matches_rank_above_stem_only_matches(folder):
    hits = search(folder, "كتاب")
    assert ids(hits) == ["a", "b"] and hits[0].exact and not hits[1].exact  # b has كتابة twice, by stem only


def test_the_exact_tier_beats_a_stronger_stem_only_match(tmp_path):
    """A brief with the word itself once, deep in its text, comes before one whose title repeats only
    stems of it (BM25 alone would put the title first: the tiers are what order them)."""
    stems = _brief("d" * 16, "الكتابات والكتابة بالكتابة", "الكتابة والكتابات للكتابة.", "2026-11-01", "Delta",
                   "Writings.")
    exact = _brief("e" * 16, "خبر عن المدينة", "قال المسؤول في حديث طويل عن المدينة والناس والأسواق والطرق والمدارس "
                   "والمستشفيات والحدائق والملاعب والمكتبات والأرشيف والموانئ والمطارات إن كتاب المدينة صدر أمس "
                   "بعد عمل طويل استمر سنوات في جمع الصور والوثائق من العائلات القديمة. " + "وتحدث السكان عن الأسواق والطرق "
                   "والمدارس والحدائق والموانئ طويلا. " * 12, "2026-11-02", "Echo",
                   "News.")
    others = [_brief(f"{k:x}" * 16, f"خبر رقم {k}", f"أمطار وسيول في الحي رقم {k} وإغلاق الطرق.", "2026-11-03",
                     "Other", "Rain.") for k in range(8)]  # a corpus, so that BM25's weights mean something
    briefs = [stems, exact, *others]
    for brief in briefs:
        (tmp_path / f"{brief['id']}.json").write_text(json.dumps(brief, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "briefs.jsonl").write_text("".join(json.dumps(b, ensure_ascii=False) + "\n" for b in briefs),
                                           encoding="utf-8")
    Store(tmp_path / "state.sqlite").close()
    reindex(tmp_path)
    hits = search(tmp_path, "كتاب")
    assert [h.id[0] for h in hits] == ["e", "d"] and hits[0].exact and not hits[1].exact
    assert hits[1].score > hits[0].score  # BM25 alone prefers the title full of stems


def test_a_quoted_phrase_and_an_exact_word(folder):
    assert ids(search(folder, '"وزير الخارجية"')) == ["b"]  # c has both words, not side by side
    assert sorted(ids(search(folder, "وزير الخارجية"))) == ["b", "c"]
    assert ids(search(folder, "=كتاب")) == ["a"]  # not كتابة, not والكتاب


def test_or_not_and_filters(folder):
    assert sorted(ids(search(folder, "العراق OR مدينة"))) == ["a", "b"]
    assert ids(search(folder, "port -العراق")) == ["c"]
    assert ids(search(folder, "port", since="2026-11-15")) == ["c"]
    assert ids(search(folder, "port", until="2026-11-15")) == ["a"]
    assert ids(search(folder, "port", source="alpha")) == ["a", "c"] or sorted(ids(search(folder, "port",
                                                                                          source="alpha"))) == ["a", "c"]
    assert ids(search(folder, "port", lang="ar")) == []  # the English side only has it
    assert search(folder, "nothingatall") == []


def test_highlights_land_on_the_original_characters(folder):
    [hit] = search(folder, "كتاب", lang="ar", limit=1)
    marked = [hit.snippet[a:b] for a, b in hit.marks]
    assert marked == ["كِتَابٌ"] and hit.matched == "ar"
    [hit] = [h for h in search(folder, "العراق") if h.id[0] == "a"]
    assert [hit.snippet[a:b] for a, b in hit.marks] == ["الـعـراق"]
    assert hit.path.endswith(f"{'a' * 16}.html") and hit.date == "2026-11-01" and hit.source == "Alpha News"


@pytest.mark.parametrize("query, words", [
    ('"unclosed', "unclosed quote"), ("OR", "OR needs"), ("port OR", "OR needs"), ("-", "needs a word"),
    ("-port", "nothing to look for"), ("NOT", "needs a word"), ("=", "needs a word"), ('""', "needs a word"),
])
def test_a_malformed_query_says_what_is_wrong(folder, query, words):
    with pytest.raises(BadQuery, match=words):
        search(folder, query)


@pytest.mark.parametrize("query, found", [
    ("كتاب*", "ab"),  # a star is not a prefix query: the word كتاب, as typed plainly
    ("^port", "ac"),  # not FTS5's "first word of a column" (that would be c alone)
    ("port AND", "ac"),  # a trailing AND is no syntax error
    ("(port)", "ac"),
    ("src_title:كتاب", ""),  # no column filter (that would find a): the words src, title, كتاب side by side
    ("{en_text}: port", ""),  # nor a column set: the words en, text, port
    ("NEAR(كتاب العراق)", ""),  # nor NEAR: the words near, كتاب, العراق
    ('port "OR" ports', ""),  # a quoted OR is the word "or" (no brief has it), not the operator (ac)
])
def test_user_text_is_never_fts_syntax(folder, query, found):
    """What a user types is words, whatever they look like: the hits are those of the words, and
    every word reaches FTS5 inside a quoted string (outside quotes only our own syntax is left)."""
    assert sorted(ids(search(folder, query))) == sorted(found)
    parsed = parse(query)
    for lang in ("any", "ar", "en"):
        for exact_only in (False, True):
            expression = fts_expression(parsed, lang, exact_only) or ""
            outside = re.sub(r'"(?:[^"]|"")*"', " ", expression)
            assert set(re.findall(r"[^\s{}():]+", outside)) <= _FTS_OWN, (query, expression)
