"""text.dates: an ISO date from what sites write, in every region's month names."""

from __future__ import annotations

import pytest

from summarizer.text.dates import find_date, parse_date


@pytest.mark.parametrize("raw, iso", [
    ("2021-12-29T10:00:00Z", "2021-12-29"),
    ("Wed, 29 Dec 2021 10:00:00 GMT", "2021-12-29"),
    ("31/12/2021", "2021-12-31"),
    ("٢٩ كانون الأول ٢٠٢١", "2021-12-29"),  # Levantine month, Eastern digits
    ("29 دجنبر 2021", "2021-12-29"),  # Moroccan
    ("3 جانفي 2022", "2022-01-03"),  # Algerian / Tunisian
    ("9 كانون الاول/ ديسمبر 2021", "2021-12-09"),  # both names, as many sites write them
    ("December 29, 2021", "2021-12-29"),
    ("الأحد 5 من مايو عام 2024", "2024-05-05"),
    ("2024.03.07", "2024-03-07"),
])
def test_dates_of_every_region(raw, iso):
    assert parse_date(raw) == iso


@pytest.mark.parametrize("raw", [None, "", "   ", "أمس", "31/02/2021", "ديسمبر", "12:30"])
def test_no_date_is_invented(raw):
    assert parse_date(raw) is None


def test_the_first_full_date_in_a_header():
    assert find_date("بغداد - حازم السامرائي - نشر في 12 آب 2023 الساعة 10") == "2023-08-12"
