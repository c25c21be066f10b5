"""Real-shaped Arabic news feeds and pages, written for these tests, to serve from a local server."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

BODIES = {
    "port": [
        "أعلنت سلطة الموانئ صباح اليوم بدء أعمال توسعة الرصيف الجنوبي في ميناء المدينة بكلفة تبلغ 120 مليون دينار.",
        "وقال مدير الميناء في مؤتمر صحفي إن المشروع سيضاعف قدرة الميناء على استقبال السفن الكبيرة خلال ثلاث سنوات.",
        "وأضاف أن الأعمال ستجري على مراحل حتى لا تتوقف حركة البضائع، وأن شركات محلية ستشارك في التنفيذ.",
        "ويأتي المشروع بعد ارتفاع عدد السفن التي رست في الميناء العام الماضي إلى أكثر من 1200 سفينة.",
    ],
    "rain": [
        "شهدت المدينة أمس أمطارا غزيرة تسببت في إغلاق عدد من الطرق الرئيسية وتأخر حركة السير لساعات.",
        "وقالت هيئة الأرصاد إن كمية الأمطار التي هطلت خلال ست ساعات تعادل معدل شهر كامل في هذا الموسم.",
        "ودعت البلدية السكان إلى تجنب المناطق المنخفضة، فيما عملت فرق الطوارئ على سحب المياه من الشوارع.",
    ],
    "school": [
        "افتتحت وزارة التربية اليوم عشر مدارس جديدة في الأحياء الشرقية لاستيعاب الزيادة في أعداد الطلاب.",
        "وقال وزير التربية إن المدارس الجديدة مجهزة بمختبرات حديثة ومكتبات وملاعب رياضية.",
        "وأشار إلى أن الوزارة تخطط لبناء عشرين مدرسة أخرى خلال العامين المقبلين.",
    ],
}
TEASERS = {k: v[0] for k, v in BODIES.items()}
TITLES = {"port": "بدء توسعة الرصيف الجنوبي في الميناء", "rain": "أمطار غزيرة تغلق طرقا رئيسية",
          "school": "افتتاح عشر مدارس جديدة في الأحياء الشرقية"}


def page(key: str, title: str | None = None) -> str:
    """An article page: navigation, the article, a related list and a footer around it."""
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in BODIES[key])
    title = title or TITLES[key]
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{escape(title)} - جريدة المدينة</title><meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="جريدة المدينة">
<meta property="article:published_time" content="2026-11-28T08:00:00+03:00"></head>
<body><nav><a href="/">الرئيسية</a> » <a href="/local">محليات</a></nav>
<article><h1>{escape(title)}</h1>{paragraphs}</article>
<aside><h3>اقرأ أيضا</h3><ul><li><a href="/x">خبر آخر عن المدينة</a></li></ul></aside>
<footer>جميع الحقوق محفوظة</footer></body></html>"""


EMPTY_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>صفحة</title></head>
<body><nav><a href="/">الرئيسية</a></nav><div id="app"></div><script>render()</script></body></html>"""


def rss(title: str, items: list[dict]) -> str:
    """An RSS 2.0 feed; each item: title, link, guid, description (a teaser or a full text)."""
    when = format_datetime(datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc))
    body = "".join(
        f"<item><title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
        f"<guid isPermaLink=\"false\">{escape(i['guid'])}</guid><pubDate>{when}</pubDate>"
        f"<description>{escape(i['description'])}</description></item>" for i in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>http://example.invalid/</link><language>ar</language><description>أخبار</description>"
            f"{body}</channel></rss>")


def item(key: str, link: str, guid: str | None = None, full: bool = False) -> dict:
    """A feed item: the teaser (first sentence) or, with `full`, the whole text (over 80 words)."""
    text = " ".join(BODIES[key] * 3) if full else TEASERS[key]
    return {"title": TITLES[key], "link": link, "guid": guid or f"guid-{key}", "description": text}
