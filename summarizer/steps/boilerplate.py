"""Pattern rules of the cleaner: lines that are page furniture by what they say, wherever they stand.

Pattern rules are safe on any text, extracted or scraped, because they match what a line says
(a breadcrumb trail, a share or copyright line, a "read also" marker, a list header, a comment
policy, a terms-of-use note, a "views are the author's" disclaimer, a newsletter prompt), never
where it stands. Position rules live in clean.py and apply only to scraped plain text.
"""

from __future__ import annotations

import re

from ..text.arabic import has_letters, key_text

SHORT_WORDS = 16
POLICY_MAX_WORDS = 80  # a policy note is a paragraph, not an article: longer lines are never taken

BREADCRUMB_RE = re.compile(r"^(?:الرئيسية|الرئيسيه|home)\s*(?:[»›>/|]|$)|(?:\s[»›>]\s.*){2,}", re.I)
# Share, follow, print and copyright lines. Specific on purpose: «شارك» and «اشترك» also mean
# "took part" («شارك آلاف المتظاهرين ...»), "share" also starts "Share prices fell".
SHARE_RE = re.compile(
    r"^(?:view on\b|share(?: this(?: article| story| page)?| on \w+| via \w+)?\s*[:.]?$|share this\b|"
    r"follow us\b|print(?: this)?(?: article| page| story)?\s*$|e-?mail(?: this)?(?: article| page| story)?\s*$|"
    r"tweet(?: this)?\s*$|copyright\b|©|all rights reserved|"
    r"(?:شارك|شاركها|شاركه|مشاركة)\s*[:.]?$|(?:شارك|شاركها|شاركه)\s+(?:المقال|الخبر|الموضوع|على|عبر)\b|"
    r"شاركونا\b|(?:تابعنا|تابعونا)\s+(?:على|عبر|في)\b|(?:طباعة|اطبع)(?:\s+(?:المقال|الخبر|الصفحة))?\s*$|"
    r"أرسل لصديق|ارسل لصديق|للاشتراك\b|جميع الحقوق محفوظة|كل الحقوق محفوظة)",
    re.I,
)
READ_ALSO = ("قد يهمك ايضا", "قد يهمك", "اقرا ايضا", "اقرا كذلك", "اقرا المزيد", "شاهد ايضا",
             "طالع ايضا", "اقرا ايضا في", "للمزيد", "read also", "read more", "see also", "also read")
LINK_HEADERS = ("اخبار ذات صلة", "مواضيع ذات صلة", "مقالات ذات صلة", "اخبار متعلقة", "ذات صلة",
                "اخر الاخبار", "احدث الاخبار", "الاخبار الاكثر قراءة", "الاكثر قراءة", "الاكثر مشاهدة",
                "الاكثر تداولا", "الاكثر تعليقا", "related", "related news", "related articles",
                "latest news", "most read", "most popular")
# Matched on the normalised text (key_text: no diacritics, alef and yeh unified, lower-cased).
POLICY_RES = tuple(re.compile(p) for p in (
    # comment policies: «ترحب شبكة CNN بالنقاش الحيوي والمفيد ...», "We welcome comments ..."
    r"(?:ترحب|نرحب)\s+(?:\S+\s+){0,4}(?:بالنقاش|بالحوار|بالتعليقات|بتعليقات|بارائكم|بمشاركاتكم)",
    r"(?:ننصحك|ننصحكم|يرجي|الرجاء|نرجو)\s+(?:\S+\s+){0,3}ب?(?:مراجعه|قراءه|الاطلاع علي)\s+"
    r"(?:ارشادات|شروط|سياسه|قواعد)",
    r"(?:مشاركاتك|مشاركاتكم|تعليقاتك|تعليقاتكم)\s+(?:\S+\s+){0,6}(?:سياسه الخصوصيه|شروط الاستخدام|شروط النشر)",
    r"\bwe welcome (?:\S+\s+){0,4}(?:comments|discussion|debate|conversation)\b",
    r"\bby (?:posting|commenting|submitting|registering)\b.{0,80}\b(?:agree|terms|guidelines|policy)\b",
    r"\b(?:read|review|see|please read) our (?:community |comment(?:ing)? )?(?:guidelines|policy|"
    r"terms of (?:use|service)|privacy policy)\b",
    # views disclaimers: «الآراء الواردة أدناه لا تعبر عن رأي موقع ...», "The views expressed are the author's own"
    r"(?:الاراء|التعليقات|المقالات|المقالات والاراء)\s+(?:الوارده|المنشوره|المنشورة|المعبر عنها)\s+"
    r"(?:\S+\s+){0,4}(?:لا\s+تعبر|لا\s+تعكس|لا\s+تمثل)",
    r"(?:تعبر|تعكس)\s+(?:عن\s+)?(?:راي|اراء|وجهه نظر|وجهات نظر)\s+(?:كاتبها|كتابها|اصحابها|صاحبها|كاتبيها)"
    r"(?:\s+فقط|\s+وحده|\s+وحدهم)?",
    r"\b(?:the )?(?:views|opinions) expressed\b.{0,80}\b(?:do not|don't|are not|are solely|are those of|"
    r"are the author|necessarily reflect|own)\b",
    # newsletter prompts
    r"^(?:اشترك|اشتركوا|سجل|سجلوا|للاشتراك)\s+(?:الان\s+)?(?:في|ب)\s*(?:النشره|نشرتنا|نشره|القائمه البريديه)",
    r"^(?:subscribe|sign up)\s+(?:now\s+)?(?:to|for)\s+(?:our|the)\s+(?:\S+\s+)?(?:newsletter|briefing|digest)",
))
_MARK_STRIP = re.compile(r"[\s:：.…\-–—ـ»«\"']+$")


def marker_key(line: str) -> str:
    """A line's normalised form for comparing with markers and titles."""
    return _MARK_STRIP.sub("", key_text(line).lower())


def marker(line: str) -> str | None:
    """"read_also" or "link_list" when the line is such a marker or list header, else None."""
    key = marker_key(line)
    if len(key.split()) > 6:
        return None
    if any(key == m or key.startswith(m + " ") for m in READ_ALSO):
        return "read_also"
    if any(key == m for m in LINK_HEADERS):
        return "link_list"
    return None


def is_policy_note(line: str) -> bool:
    """A comment policy, terms-of-use note, views disclaimer or newsletter prompt (Arabic or English)."""
    if len(line.split()) > POLICY_MAX_WORDS:
        return False
    key = key_text(line).lower().replace("ة", "ه").replace("ى", "ي")
    return any(p.search(key) for p in POLICY_RES)


def pattern_reason(line: str) -> str | None:
    """The pattern rule that removes this line, or None (see the module doc)."""
    if not has_letters(line):
        return "no_text"
    short = len(line.split()) <= SHORT_WORDS
    if short and BREADCRUMB_RE.search(line):
        return "breadcrumb"
    if short and SHARE_RE.search(line):
        return "share_line"
    if is_policy_note(line):
        return "policy_note"
    return marker(line)
