"""The inputs that ended runs before issue 32, built here (no file of someone else's copied): each
trigger of the fuzzing, in a local file, a JSON Lines line, a JSON-LD block or a feed item."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from tests.helpers import ARTICLE_AR
from tests.ingest.feedsite import BODIES, TITLES

HUGE_INT = "1" + "0" * 5000  # past Python's 4,300-digit limit of int()
ONE_LINE = ARTICLE_AR.replace("\n", " ")


def page_with_jsonld(extra: str) -> str:
    """A page whose only text is its JSON-LD articleBody, the block also holding `extra` (raw JSON)."""
    return ('<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>خبر</title>'
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "افتتاح حديقة", '
            f'"articleBody": {json.dumps(ARTICLE_AR, ensure_ascii=False)}, "wordCount": {extra}}}</script>'
            '</head><body><div id="app"></div></body></html>')


def local_files() -> dict[str, str | bytes]:
    """File name -> content: each a trigger, beside the good articles a test adds."""
    return {
        "bigint.json": '{"maintext": "' + ONE_LINE + '", "views": ' + HUGE_INT + "}",
        "bigfloat.json": '[{"maintext": "' + ONE_LINE + '", "score": 1e999999}, '
                         '{"maintext": "' + ONE_LINE + ' وانتهى."}]',
        "mixed.jsonl": "\n".join([
            json.dumps({"maintext": ONE_LINE + " أولا."}, ensure_ascii=False),
            '{"maintext": "' + ONE_LINE + '", "id": ' + HUGE_INT + "}",  # its own failure
            '{"maintext": "' + ONE_LINE + ' ثانيا.\\ud800", "title": "عنوان\\u000b"}',  # a surrogate, a control
            '{"maintext": null, "text": ["a"]}',  # not a string
        ]),
        "ld-bigint.html": page_with_jsonld(HUGE_INT),
        "dense.html": "<html><body>" + "<br>" * 250_000 + "</body></html>",
        "items.xml": feed(hostile_items() + good_items("local")),
    }


def good_items(tag: str) -> list[str]:
    """Full-text items (over 80 words each: no page to follow)."""
    return [_item(f"{TITLES[key]} {tag}", f"http://127.0.0.1:9/{tag}/{key}", f"{tag}-{key}",
                  escape(" ".join(BODIES[key] * 3))) for key in ("port", "rain")]


def hostile_items() -> list[str]:
    """One item per trigger; each must be its own failure or be read safely, never end the feed."""
    body = escape(" ".join(BODIES["school"] * 3))
    return [
        _item("تحكم", "http://127.0.0.1:9/vt", "vt", "&lt;p&gt;" + body[:200] + "\x0b" + body[200:] + "&lt;/p&gt;"),
        _item("مرجع", "http://127.0.0.1:9/ref11", "ref11", "&lt;p&gt;" + body + "&amp;#11;&lt;/p&gt;&#11;"),
        _item("خارج", "http://127.0.0.1:9/big", "big", body + "&#x110000;"),
        _item("بديل", "http://127.0.0.1:9/sur", "sur", body + "&#xD800;"),
        _item("&lt;html&gt;", "http://127.0.0.1:9/html", "html", body),  # lxml: "too many bodies"
        "<item><title>بلا نص</title><link>http://127.0.0.1:9/none</link><guid>none</guid></item>",  # summary None
        _item("كثيف", "http://127.0.0.1:9/dense", "dense", "&lt;br&gt;" * 250_000),
    ]


def _item(title: str, link: str, guid: str, description: str) -> str:
    return (f"<item><title>{title}</title><link>{link}</link><guid isPermaLink=\"false\">{guid}</guid>"
            f"<description>{description}</description></item>")


def feed(items: list[str]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>موقع</title>'
            '<link>http://example.invalid/</link><language>ar</language>' + "".join(items) + "</channel></rss>")
