"""Pure functions that make text from someone else's input safe to show: no bidi tricks, no control
characters, no URL that can become markup or a script.

- Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) are removed: an unclosed
  override in a feed title would reverse the date and URL after it in a plain-text digest. The
  directional marks (LRM, RLM, ALM) stay: they cannot reverse a run of text, and Arabic typing
  uses them.
- C0 and C1 control characters other than tab and newline are removed.
- A URL is shown only when it is http(s); characters that could end an attribute, a Markdown
  link or a tag (`<>"'` and backticks, spaces, braces, `|`, `^`, `\\`) are percent-encoded.
"""

from __future__ import annotations

import re
from urllib.parse import quote

BIDI_CONTROLS_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_URL_SAFE = "/:?&=#%@+,;~!$*()-._[]"


def clean_display(text: str | None) -> str | None:
    """Text without bidi embeddings, overrides, isolates and control characters (None stays None)."""
    if text is None:
        return None
    return CONTROL_RE.sub("", BIDI_CONTROLS_RE.sub("", text))


def display_url(url: str | None) -> str | None:
    """An http(s) URL fit to show and link, unsafe characters percent-encoded; None for anything else."""
    if not url:
        return None
    url = CONTROL_RE.sub("", BIDI_CONTROLS_RE.sub("", str(url))).strip()
    if not re.match(r"(?i)^https?://[^/\s\\]", url):
        return None
    return quote(url, safe=_URL_SAFE)


def shown_link(text: str | None, limit: int = 200) -> str:
    """Any link text, percent-encoded so it can be quoted in a report or a message without harm."""
    return quote(CONTROL_RE.sub("", str(text or ""))[:limit], safe=_URL_SAFE)
