"""Hijri dates: read in the spellings Gulf and Saudi outlets use, converted by hijridate (Umm
al-Qura), never read as Gregorian, and looked for in an English translation."""

from __future__ import annotations

import pytest
from hijridate import Hijri

from summarizer.steps.numbers import number_mismatch
from summarizer.text.dates import find_date, parse_date, read_date
from summarizer.text.hijri import date_numbers, find_hijri, label, missing_in_english, shown_date


def _uaq(y: int, m: int, d: int) -> str:
    return Hijri(y, m, d).to_gregorian().isoformat()


@pytest.mark.parametrize("raw, ymd", [
    ("الأحد 15 جمادى الآخرة 1447هـ", (1447, 6, 15)),
    ("15 جمادى الثانية 1447 هـ", (1447, 6, 15)),
    ("٢٢ جمادى الآخرة ١٤٤٧ هـ", (1447, 6, 22)),  # Arabic-Indic digits
    ("1447/06/15هـ", (1447, 6, 15)),
    ("١٤٤٧/٠٦/١٥ هـ", (1447, 6, 15)),
    ("15/6/1447هـ", (1447, 6, 15)),  # day first
    ("1447-06-15", (1447, 6, 15)),  # no marker, but a year no Gregorian news date has
    ("3 محرم 1447ه", (1447, 1, 3)),
    ("10 المحرم 1447 هـ", (1447, 1, 10)),
    ("5 صفر 1447هـ", (1447, 2, 5)),
    ("12 ربيع الأول 1447هـ", (1447, 3, 12)),
    ("12 ربيع الاول 1447", (1447, 3, 12)),
    ("1 ربيع الآخر 1447هـ", (1447, 4, 1)),
    ("1 ربيع الثاني 1447هـ", (1447, 4, 1)),
    ("7 جمادى الأولى 1447هـ", (1447, 5, 7)),
    ("7 جمادى الاولى 1447هـ", (1447, 5, 7)),
    ("9 رجب 1447هـ", (1447, 7, 9)),
    ("14 شعبان 1447هـ", (1447, 8, 14)),
    ("20 رمضان 1447 هجرية", (1447, 9, 20)),
    ("غرة شوال 1447هـ", (1447, 10, 1)),
    ("11 ذو القعدة 1446هـ", (1446, 11, 11)),
    ("9 ذي الحجة 1446هـ", (1446, 12, 9)),
    ("الخميس 9 من ذي الحجه لعام 1446 للهجرة", (1446, 12, 9)),
])
def test_hijri_dates_become_the_gregorian_date_hijridate_gives(raw, ymd):
    reading = read_date(raw)
    assert reading.published == _uaq(*ymd)
    assert reading.hijri is not None and reading.hijri in raw
    assert parse_date(raw) == _uaq(*ymd) and find_date(f"جدة - {raw} - واس") == _uaq(*ymd)


@pytest.mark.parametrize("raw", ["1447/06/15هـ", "1447-06-15", "15/06/1447", "1447/6/15 هـ"])
def test_a_numeric_hijri_date_is_never_a_gregorian_one(raw):
    assert parse_date(raw) != "1447-06-15" and parse_date(raw) == _uaq(1447, 6, 15)


@pytest.mark.parametrize("raw", ["1 محرم 1600هـ", "30 صفر 1447هـ", "1447/13/01هـ", "1200-05-01"])
def test_what_cannot_be_converted_gives_no_date(raw):
    assert parse_date(raw) is None  # outside 1343-1500 AH, a day the month lacks, a month 13, 13th-century AD


def test_both_calendars_the_gregorian_printed_is_the_date_and_the_gap_is_measured():
    same = read_date("الأحد 15 جمادى الآخرة 1447هـ الموافق 7 ديسمبر 2025م")  # Umm al-Qura says the 6th
    assert (same.published, same.hijri, same.apart) == ("2025-12-07", "15 جمادى الآخرة 1447هـ", 1)
    wrong = read_date("الأحد 15 جمادى الآخرة 1447هـ الموافق 17 ديسمبر 2025م")
    assert wrong.published == "2025-12-17" and wrong.apart == 11
    assert read_date("7 ديسمبر 2025").hijri is None and read_date("7 ديسمبر 2025").apart is None


def test_a_hijri_month_with_a_gregorian_year_is_not_a_hijri_date():
    assert find_hijri("في رمضان 2025 ارتفعت الأسعار") == []
    assert [h.label() for h in find_hijri("خلال شهر رمضان 1447هـ")] == ["Ramadan 1447 AH"]


@pytest.mark.parametrize("english", [
    "He arrived on 15 Jumada al-Akhirah 1447 AH.", "He arrived on 15 Jumada al-Thani 1447.",
    "He arrived on Jumada II 15, 1447 AH.", "He arrived on 15 Jumadil Akhir 1447 H.",
    "He arrived on December 6, 2025.", "He arrived on 7 Dec 2025.",  # Gregorian, a day either way
])
def test_the_date_check_accepts_the_same_hijri_date_or_the_right_gregorian_one(english):
    assert missing_in_english("وصل في 15 جمادى الآخرة 1447هـ", english) == []


@pytest.mark.parametrize("english", [
    "He arrived on 15 Jumada al-Ula 1447 AH.",  # the wrong Jumada
    "He arrived on 15 Jumada al-Akhirah 1446 AH.",  # the wrong year
    "He arrived on December 16, 2025.",  # the wrong Gregorian day
    "He arrived on 15 June 1447.",  # the numeric misreading
    "He arrived recently.",
])
def test_the_date_check_flags_a_changed_or_missing_date(english):
    assert missing_in_english("وصل في 15 جمادى الآخرة 1447هـ", english) == ["15 جمادى الآخرة 1447هـ"]


@pytest.mark.parametrize("arabic, english", [
    ("في المحرم 1447هـ", "in Muharram 1447"), ("في صفر 1447هـ", "in Safar 1447"),
    ("في ربيع الأول 1447هـ", "in Rabi' al-Awwal 1447"), ("في ربيع الآخر 1447هـ", "in Rabi al-Akhir 1447"),
    ("في جمادى الأولى 1447هـ", "in Jumada al-Ula 1447"), ("في رجب 1447هـ", "in Rajab 1447"),
    ("في شعبان 1447هـ", "in Sha'ban 1447"), ("في رمضان 1447هـ", "in Ramadhan 1447"),
    ("في شوال 1447هـ", "in Shawwal 1447"), ("في ذي القعدة 1446هـ", "in Dhu'l-Qa'dah 1446"),
    ("في ذي الحجة 1446هـ", "in Dhul Hijjah 1446"), ("في ذي الحجة 1446هـ", "in Dhu al-Hijjah 1446 AH"),
])
def test_every_month_in_a_common_transliteration(arabic, english):
    assert missing_in_english(arabic, english) == []
    assert missing_in_english(arabic, english.replace("144", "143")) != []


def test_outputs_show_the_gregorian_with_the_hijri_in_brackets():
    assert label("1447/06/15هـ") == "15 Jumada al-Akhirah 1447 AH"
    assert shown_date("2025-12-06", "15 جمادى الآخرة 1447هـ") == "2025-12-06 (15 Jumada al-Akhirah 1447 AH)"
    assert shown_date("2025-12-06", None) == "2025-12-06"
    assert shown_date(None, None, "yesterday") == "yesterday"


@pytest.mark.parametrize("english, left", [
    ("The census was held on December 6, 2025.", ([], [])),
    ("The census was held on 15 Jumada al-Akhirah 1447 AH.", ([], [])),
    ("The census was held on 15 June 1447.", ([], ["1447", "june"])),  # a wrong date keeps its numbers
])
def test_a_date_given_rightly_is_no_numbers_mismatch(english, left):
    source = "أجري التعداد في 15 جمادى الآخرة 1447هـ."
    missing, extra = number_mismatch(source, english)
    ours, theirs = date_numbers(source, english)
    assert ([m for m in missing if m not in ours], [e for e in extra if e.lower() not in theirs]) == left


def test_a_hijri_date_in_real_material_agrees_with_the_gregorian_beside_it():
    from tests.helpers import SHARED

    if SHARED is None or not (SHARED / "real" / "feeds" / "nabdsharqi-atom.xml").is_file():
        pytest.skip("../shared/real is not here")
    text = (SHARED / "real" / "feeds" / "nabdsharqi-atom.xml").read_text(encoding="utf-8")
    found = [h for h in find_hijri(text) if h.year == 1421]
    assert [(h.month, h.day) for h in found] == [(6, 3)]  # «3 جمادي الاخر 1421 ه الموافق ل2-9-2000م»
    reading = read_date(text[found[0].start:found[0].end + 20])
    assert reading.published == "2000-09-02" and reading.apart == 1
