"""Cleaning: the scraped sample cleans to exactly its body; every removal names its rule."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.steps.boilerplate import pattern_reason as _pattern_reason
from summarizer.steps.clean import clean, is_sentence_like

RULES = {"breadcrumb", "share_line", "policy_note", "read_also", "link_list", "dateline", "title", "header_fragment",
         "no_text"}


def test_sample_cleans_to_exactly_the_body(sample_path):
    cleaned = clean(sample_path.read_text(encoding="utf-8"))
    body = cleaned.body
    assert body.startswith("أعلن رئيس الوزراء العراقي، مصطفى الكاظمي، الأربعاء")
    assert body.endswith("الذي أبرم في أغسطس/آب الماضي.")
    assert (cleaned.dateline, cleaned.byline) == ("بغداد", "حازم السامرائي")
    for junk in ("الرئيسية", "رئيس الوزراء العراقي مصطفى الكاظمي\n", "قد يهمك", "الكاظمي يدعو في عيد ميلاد",
                 "إطلاق سراح مسؤولين", "View on", "أخبار ذات صلة", "اخر الاخبار", "فن وموسيقى", "رياضة\n",
                 "الأخبار الأكثر قراءة", "…", "حازم السامرائي"):
        assert junk not in body + "\n", junk
    assert len(cleaned.paragraphs) == 5
    reasons = Counter(r.reason for r in cleaned.removed)
    assert reasons == {"link_list": 37, "read_also": 3, "breadcrumb": 1, "header_fragment": 1, "dateline": 1,
                       "share_line": 1}
    assert {r.text for r in cleaned.removed if r.reason == "header_fragment"} == {"رئيس الوزراء العراقي مصطفى الكاظمي"}


def test_short_body_paragraph_is_never_dropped():
    text = ("أعلنت الوزارة خطة جديدة للنقل العام في العاصمة تبدأ الشهر المقبل وتشمل خطوط حافلات سريعة.\n"
            "انتهى الاجتماع.\n"
            "وقال الوزير إن الخطة ستخفف الازدحام في ساعات الذروة بنسبة كبيرة.\n"
            "رفض.\n")
    cleaned = clean(text)
    assert "انتهى الاجتماع." in cleaned.paragraphs and "رفض." in cleaned.paragraphs
    assert not cleaned.removed


def test_title_dateline_and_links():
    text = ("مدينة تفتتح حديقة جديدة\n\nالقاهرة - (وكالات)\n\n"
            "افتتحت المدينة حديقة جديدة اليوم.\nوقال المحافظ إن الحديقة مفتوحة للجميع.\n\n"
            "شاهد أيضا\nخبر أول\nخبر ثان…\nشارك\n© 2026 الموقع")
    cleaned = clean(text)
    assert cleaned.title == "مدينة تفتتح حديقة جديدة"
    assert (cleaned.dateline, cleaned.byline) == ("القاهرة", "وكالات")
    assert cleaned.paragraphs == ("افتتحت المدينة حديقة جديدة اليوم.", "وقال المحافظ إن الحديقة مفتوحة للجميع.")
    assert [r.reason for r in cleaned.removed] == ["title", "dateline", "read_also", "read_also", "read_also",
                                                   "share_line", "share_line"]


def test_metadata_title_repeated_in_text_is_removed():
    cleaned = clean("حديقة جديدة\nافتتحت المدينة حديقة جديدة اليوم.", title="حديقة جديدة")
    assert cleaned.paragraphs == ("افتتحت المدينة حديقة جديدة اليوم.",)
    assert cleaned.removed[0].reason == "title"


def test_inline_dateline_is_moved_to_fields():
    cleaned = clean("بيروت - (أ ف ب) - أعلنت الحكومة اللبنانية اليوم خطة للكهرباء.")
    assert cleaned.dateline == "بيروت" and cleaned.byline == "أ ف ب"
    assert cleaned.paragraphs == ("أعلنت الحكومة اللبنانية اليوم خطة للكهرباء.",)


def test_subheading_inside_body_is_kept():
    text = ("أعلنت الوزارة خطة جديدة للنقل العام في العاصمة.\nردود الفعل\n"
            "رحب السكان بالخطة وقالوا إنها تأخرت كثيرا.")
    assert "ردود الفعل" in clean(text).paragraphs


BODY = st.sampled_from([
    "أعلنت الحكومة اليوم خطة جديدة للنقل العام.", "وقال الوزير إن العمل سيبدأ قريبا.", "انتهى.",
    "هل تنجح الخطة؟", "The minister said the plan will start soon.",
    "وأضاف المتحدث أن الحكومة ستعمل مع القطاع الخاص والبلديات والجامعات والمجتمع المدني لتنفيذ الخطة خلال عامين",
])
JUNK = st.sampled_from([
    "الرئيسية » أخبار", "اقرأ أيضا:", "أخبار ذات صلة", "خبر قصير عن موضوع آخر…", "رياضة", "View on example.com",
    "شارك", "***", "", "بغداد ـ مراسلنا", "عنوان قصير بلا نقطة",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(BODY, JUNK), min_size=1, max_size=25))
def test_cleaning_removes_only_by_named_rules(lines):
    text = "\n".join(lines)
    cleaned = clean(text)
    kept = list(cleaned.paragraphs)
    removed = [r.text for r in cleaned.removed]
    assert all(r.reason in RULES for r in cleaned.removed)
    source = [" ".join(line.split()) for line in lines if line.strip()]
    if cleaned.dateline and any(r.reason == "dateline" and r.text not in source for r in cleaned.removed):
        return  # an inline dateline split a paragraph: covered by test_inline_dateline_is_moved_to_fields
    assert Counter(kept + removed) == Counter(source)  # nothing lost, nothing invented
    for line in source:  # a sentence is removed only by a pattern rule, never for being short
        if is_sentence_like(line) and _pattern_reason(line) is None:
            assert line in kept, line


@pytest.mark.parametrize("line", [
    "..وفي النهاية قررت اللجنة تأجيل القرار",       # the final dots typed at the start (RTL in an LTR editor)
    ".وقال رئيس اللجنة إن المشروع يحتاج دراسة",
    "قررت اللجنة تأجيل القرار إلى الشهر المقبل..",    # a final ".."
    "هل يتأخر المشروع مرة أخرى؟؟",
    "يخشى التجار ذلك كثيرا!!",
    'وختم بالقول: "سنعود إلى الملف قريبا."',
])
def test_wrong_direction_punctuation_is_sentence_like(line):
    assert is_sentence_like(line)


def test_an_ellipsis_is_still_not_a_sentence_end():
    assert not is_sentence_like("الكاظمي يدعو إلى الحوار…") and not is_sentence_like("عاجل: انفجار في الميناء...")


def test_rtl_typed_body_lines_survive_the_position_rules():
    text = ("..اجتمعت اللجنة مساء الإثنين\n"
            "..وفي النهاية قررت اللجنة تأجيل القرار\n"
            ".وقال رئيس اللجنة إن المشروع يحتاج دراسة\n"
            "وأضاف أن الميناء استقبل 1200 سفينة..\n")
    cleaned = clean(text)
    assert not cleaned.removed and len(cleaned.paragraphs) == 4


def test_extracted_text_gets_pattern_rules_only():
    text = ("هرمنا وهرم الزمان\nوهربت منا الأحلام\nودارت بنا الأيام\n"
            "قد يهمك أيضا\nشاركونا آراءكم وتعليقاتكم\n")
    scraped, extracted = clean(text), clean(text, extracted=True)
    assert len(scraped.paragraphs) < 3  # position rules take short lines of scraped text
    assert extracted.paragraphs == ("هرمنا وهرم الزمان", "وهربت منا الأحلام", "ودارت بنا الأيام")
    assert [r.reason for r in extracted.removed] == ["read_also", "share_line"]  # what the lines say


def test_inline_dateline_of_extracted_text_is_read_but_kept_in_the_text():
    text = "القاهرة - (وكالات) - أعلنت الحكومة المصرية اليوم خطة جديدة لدعم الصناعة المحلية."
    assert clean(text).paragraphs[0].startswith("أعلنت")
    kept = clean(text, extracted=True)
    assert kept.paragraphs[0] == text and (kept.dateline, kept.byline) == ("القاهرة", "وكالات")


@pytest.mark.parametrize("line", [
    "ترحب شبكة CNN بالنقاش الحيوي والمفيد، وكي لا نضطر إلى مراجعة التعليقات قبل نشرها.",
    "ننصحك بمراجعة إرشادات الاستخدام للتعرف إليها جيداً.",
    "الآراء الواردة أدناه لا تعبر عن رأي الموقع، بل تعكس وجهات نظر أصحابها فقط.",
    "المقالات المنشورة تعبر عن رأي كاتبها فقط.",
    "اشترك في النشرة البريدية لتصلك آخر الأخبار",
    "The views expressed in this article are the author's own and do not reflect our editorial stance.",
    "We welcome comments that advance the discussion. By posting, you agree to our community guidelines.",
    "Please read our commenting guidelines before you post.",
    "Subscribe to our daily newsletter",
])
def test_policy_notes_are_removed_and_named(line):
    cleaned = clean("أعلنت الوزارة خطة جديدة للنقل العام في العاصمة تبدأ الشهر المقبل.\n" + line, extracted=True)
    assert [r.reason for r in cleaned.removed] == ["policy_note"] and len(cleaned.paragraphs) == 1


@pytest.mark.parametrize("line", [
    "شارك آلاف المتظاهرين في مسيرة وسط العاصمة.",
    "اشترك في الاجتماع عشرات الخبراء من دول المنطقة.",
    "Share prices fell sharply after the announcement.",
    "قالت الشركة إن شروط الاستخدام الجديدة تدخل حيز التنفيذ الشهر المقبل.",
    "وقال الوزير إن الآراء الواردة في التقرير تستحق الدراسة.",
])
def test_body_lines_that_resemble_boilerplate_are_kept(line):
    assert clean(line + "\nوأضاف أن العمل مستمر.", extracted=True).removed == ()
    assert _pattern_reason(line) is None
