"""Front-end formats: HTML pages, feeds, legacy encodings, .gz, URLs; dates, language, normalisation."""

from __future__ import annotations

import gzip
import http.server
import threading

import pytest

from summarizer.ingest.inputs import iter_articles
from summarizer.steps.clean import clean
from summarizer.text.arabic import key_text, normalize
from summarizer.text.dates import parse_date
from summarizer.text.langid import detect_language
from summarizer.types import Article, Failure
from tests.helpers import ARTICLE_AR, DATA, write


def _items(*inputs, **kw):
    return list(iter_articles([str(i) for i in inputs], **kw))


def test_news_page_keeps_only_the_article():
    [art] = _items(DATA / "news-page.html")
    assert isinstance(art, Article) and art.format == "html"
    assert art.title == "وزارة المياه تطلق خطة لترشيد الاستهلاك"
    assert (art.site, art.author, art.published_raw) == ("صحيفة الوادي", "سلمى الحداد", "2026-07-14")
    for junk in ("الرئيسية", "سياسة", "سد الوادي", "googletag", "dataLayer", "اقرأ أيضا", "ارتفاع درجات الحرارة",
                 "شارك", "أخبار ذات صلة", "انقطاع المياه", "الأكثر قراءة", "أسعار الذهب", "جميع الحقوق",
                 "من نحن", "console.log", "tracking", "font-family"):
        assert junk not in art.text, junk
    cleaned = clean(art.text, art.title)
    assert cleaned.dateline == "عمّان"
    assert len(cleaned.paragraphs) == 4
    assert cleaned.paragraphs[0].startswith("أطلقت وزارة المياه")
    assert cleaned.paragraphs[-1].endswith("61 مترا مكعبا.")


def test_jsonld_article_body_is_the_fallback():
    [art] = _items(DATA / "jsonld-page.html")
    assert isinstance(art, Article)
    assert art.title == "افتتاح خط حافلات سريع بين الجامعة ووسط المدينة"
    assert art.author == "كريم منصور" and art.published_raw.startswith("2026-03-02")
    assert art.text.count("\n") == 2 and "bundle.js" not in art.text and "جافاسكربت" not in art.text


def test_page_without_article_is_an_error(tmp_path):
    path = write(tmp_path / "empty.html", "<html><body><nav><a href='/'>الرئيسية</a></nav></body></html>")
    [item] = _items(path)
    # trafilatura keeps the lone link text; the cleaner removes it, so the pipeline reports
    # "no article text left after removing 1 boilerplate lines"
    assert isinstance(item, Failure) or clean(item.text).paragraphs == ()


def test_rss_feed():
    items = _items(DATA / "feed.rss")
    assert [type(i).__name__ for i in items] == ["Article", "Failure", "Article"]
    first = items[0]
    assert (first.title, first.url, first.site, first.format) == ("افتتاح جسر جديد فوق النهر",
                                                                  "https://example.org/news/bridge", "نشرة الوادي", "rss")
    assert first.text.splitlines()[0].startswith("افتتحت وزارة الأشغال") and "alert" not in first.text
    assert parse_date(first.published_raw) == "2026-07-14"
    assert items[1].ref.endswith("#2") and "no content" in items[1].error


def test_atom_feed():
    [entry] = _items(DATA / "feed.atom")
    assert entry.format == "atom" and entry.author == "ليلى يوسف" and entry.url == "https://example.net/fishing"
    assert entry.text.count("\n") == 1 and "<p>" not in entry.text


def test_gzipped_html_and_legacy_encodings(tmp_path):
    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress((DATA / "news-page.html").read_bytes()))
    [art] = _items(gz)
    assert art.title == "وزارة المياه تطلق خطة لترشيد الاستهلاك"
    for enc in ("cp1256", "utf-16"):
        [art] = _items(write(tmp_path / f"{enc}.txt", ARTICLE_AR.encode(enc)))
        assert art.text.strip() == ARTICLE_AR.strip()
    html = (DATA / "news-page.html").read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="windows-1256"')
    [art] = _items(write(tmp_path / "cp1256.html", html.encode("cp1256")))
    assert art.title == "وزارة المياه تطلق خطة لترشيد الاستهلاك"


@pytest.fixture()
def http_server():
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(DATA), **kw)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_urls_are_fetched_with_a_cap(http_server):
    [art] = _items(f"{http_server}/news-page.html")
    assert isinstance(art, Article) and art.url.endswith("/news-page.html") and art.format == "html"
    [missing] = _items(f"{http_server}/nope.html")
    assert isinstance(missing, Failure) and "HTTP 404" in missing.error
    [big] = _items(f"{http_server}/news-page.html", max_bytes=100)
    assert isinstance(big, Failure) and "size cap" in big.error
    [down] = _items("http://127.0.0.1:9/x.html")
    assert isinstance(down, Failure) and "fetch failed" in down.error


@pytest.mark.parametrize("raw, iso", [
    ("2021-12-29T10:00:00Z", "2021-12-29"), ("Wed, 29 Dec 2021 10:00:00 GMT", "2021-12-29"),
    ("31/12/2021", "2021-12-31"), ("٣١/١٢/٢٠٢١", "2021-12-31"), ("2021/12/31", "2021-12-31"),
    ("29 ديسمبر 2021", "2021-12-29"), ("29 كانون الأول 2021", "2021-12-29"), ("29 دجنبر 2021", "2021-12-29"),
    ("5 جانفي 2022", "2022-01-05"), ("5 يناير 2022", "2022-01-05"), ("5 كانون الثاني 2022", "2022-01-05"),
    ("٢٦ تموز/ يوليو ٢٠٢١", "2021-07-26"), ("الأربعاء 1 أيلول 2021", "2021-09-01"), ("3 آب 2020", "2020-08-03"),
    ("12 أكتوبر 2020", "2020-10-12"), ("12 تشرين الأول 2020", "2020-10-12"), ("7 غشت 2019", "2019-08-07"),
    ("December 29, 2021", "2021-12-29"), ("9 كانون الاول/ ديسمبر الجاري", None), ("بلا تاريخ", None),
    ("31/02/2021", None),
])
def test_dates(raw, iso):
    assert parse_date(raw) == iso


@pytest.mark.parametrize("text, hint, lang", [
    (ARTICLE_AR, None, "ar"),
    ("رئیس جمهور امروز در تهران گفت که دولت برنامه‌ای تازه برای کاهش تورم دارد و این برنامه از ماه آینده اجرا می‌شود.", None, "fa"),
    ("وزیر اعظم نے آج کہا کہ حکومت مہنگائی کم کرنے کے لیے نیا منصوبہ لا رہی ہے۔", None, "ur"),
    ("The city council opened a new library on Sunday, and hundreds of students attended.", None, "en"),
    ("Le conseil municipal a ouvert une nouvelle bibliothèque dimanche matin dans le centre-ville.", None, "fr"),
    (ARTICLE_AR, "en", "ar"),  # a declared language that contradicts the script is not trusted
    ("2021 - 2022", None, "und"),
])
def test_language_identification(text, hint, lang):
    assert detect_language(text, hint) == lang


def test_normalisation_keeps_display_text_separate():
    raw = "أَعْلَنَ الــوزيرُ \u200fإطلاقَ ١٢٣ مشروعاً في آذار، ومستشفى"
    assert normalize(raw) == "اعلن الوزير \u0627طلاق 123 مشروعا في اذار، ومستشفي".replace("\u0627طلاق", "اطلاق")
    assert key_text("  أحمد\u200d  ") == "احمد"
    cleaned = clean(raw + ".")
    assert cleaned.paragraphs[0] == raw + "."  # display text keeps its characters


def test_a_page_typed_right_to_left_loses_no_body_word():
    [art] = _items(DATA / "rtl-dots-page.html")
    assert art.extracted and art.title == "اللجنة تؤجل قرار توسعة الميناء"
    cleaned = clean(art.text, art.title, extracted=True)
    body = "\n".join(cleaned.paragraphs)
    for piece in ("..اجتمعت لجنة التخطيط", "..وفي النهاية قررت اللجنة", ".وقال رئيس اللجنة", "؟؟", "!!",
                  "1200 سفينة..", '"سنعود إلى الملف قريبا."'):
        assert piece in body, piece
    assert [r.reason for r in cleaned.removed] == ["policy_note", "policy_note"]
    assert "ترحب صحيفة" not in body and "الآراء الواردة" not in body and "الحقوق" not in body
