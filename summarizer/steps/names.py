"""One English spelling per Arabic name across a run.

Models spell the same name several ways (Kadhimi, Kazemi, al-Kadhimi). A capitalised English
word is tied to the Arabic word of its source sentence with the same consonant skeleton
(كاظمي ~ Kadhimi ~ Kazemi: k-d-m). A fixed spelling (the glossary's, or the output folder's
house spelling from its names memory, which the run hands in as plain data) comes first; else
the first spelling seen in the run becomes the run's spelling; later variants are rewritten to
it, and the report lists every variant found, with the briefs it was met in. Different Arabic words (حسن, حسين) never merge, even when their
English skeletons agree.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

from ..text.arabic import strip_article
from ..text.english import NAME_RE

AR_CLASSES = str.maketrans({
    "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "s", "س": "s", "ص": "s", "ش": "s", "د": "d", "ذ": "d",
    "ز": "d", "ض": "d", "ظ": "d", "ج": "g", "غ": "g", "ح": "h", "خ": "h", "ه": "h", "ق": "k", "ك": "k",
    "ف": "f", "ل": "l", "م": "m", "ن": "n", "ر": "r",
    "ا": "", "و": "", "ي": "", "ى": "", "ة": "", "ء": "", "ئ": "", "ؤ": "", "ع": "",
})
EN_DIGRAPHS = (("dh", "d"), ("th", "s"), ("sh", "s"), ("ch", "s"), ("kh", "h"), ("gh", "g"), ("ph", "f"))
EN_CLASSES = str.maketrans({"p": "b", "z": "d", "j": "g", "q": "k", "c": "k", "v": "f", "x": "ks",
                            "a": "", "e": "", "i": "", "o": "", "u": "", "y": "", "w": "", "'": "", "-": ""})
COMMON = set("""The This That These Those There Then They Their When Where While What Which Who With Without After
Before Since Until During Under Over About Also And But For From Into Its His Her Our Your Some Many Most More
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September
October November December Prime Minister President King Prince General Ministry Army State Government""".split())


def _collapse(s: str) -> str:
    return re.sub(r"(.)\1+", r"\1", s)


def arabic_skeleton(word: str) -> str:
    """Consonant classes of an Arabic word, without the article and attached conjunctions."""
    return _collapse(base_form(word).translate(AR_CLASSES))


def latin_skeleton(name: str) -> str:
    """Consonant classes of an English spelling of a name."""
    s = name.lower()
    for prefix in ("al-", "el-", "al ", "el "):
        if s.startswith(prefix):
            s = s[len(prefix):]
    for digraph, single in EN_DIGRAPHS:
        s = s.replace(digraph, single)
    return _collapse(s.translate(EN_CLASSES))


class NameBook:
    """The run's spellings: Arabic word -> chosen English spelling, and every variant seen."""

    def __init__(self, fixed: Mapping[str, str] | None = None) -> None:
        self.spelling: dict[str, str] = dict(fixed or {})
        self.fixed = frozenset(self.spelling)
        self.variants: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.met: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))

    def first_seen(self) -> dict[str, tuple[str, str]]:
        """Spellings this run chose by its first-seen rule: {word: (spelling, where first met)}."""
        return {w: (s, next(iter(self.met[w].get(s) or {"": 0}))) for w, s in self.spelling.items()
                if w not in self.fixed}

    def unify(self, source: str, translation: str, where: str = "") -> tuple[str, list[tuple[str, str]]]:
        """Rewrite name variants in a translation to the run's spelling (`where`: the brief, kept
        with every spelling met).

        Returns:
            (translation, [(variant, spelling), ...] rewritten).
        """
        changes: list[tuple[str, str]] = []
        for word, match in names_in(source, translation):
            self.variants[word][match] += 1
            self.met[word][match][where] = self.met[word][match].get(where, 0) + 1
            chosen = self.spelling.setdefault(word, match)
            if chosen != match:
                translation = respell(translation, match, chosen)
                changes.append((match, chosen))
        return translation, changes

    def report(self) -> dict[str, dict]:
        """Arabic words spelled more than one way, or another way than their fixed spelling:
        {word: {"spelling": chosen, "variants": {v: n}}}."""
        return {word: {"spelling": self.spelling.get(word), "variants": dict(seen)}
                for word, seen in self.variants.items() if len(seen) > 1 or set(seen) != {self.spelling.get(word)}}


def names_in(source: str, translation: str) -> list[tuple[str, str]]:
    """The names of a translation tied to a word of its source: [(Arabic key, spelling)], in order.

    A capitalised English word is tied to the one Arabic word of `source` with its consonant
    skeleton; none, or two (حسن, حسين), and it is left alone.
    """
    arabic: dict[str, set[str]] = {}
    for word in re.findall(r"[\u0600-\u06ff]+", source):
        skeleton = arabic_skeleton(word)
        if len(skeleton) >= 2:
            arabic.setdefault(skeleton, set()).add(base_form(word))
    found = []
    for match in dict.fromkeys(NAME_RE.findall(translation)):
        if match in COMMON or match.split("-")[-1] in COMMON:
            continue
        words = arabic.get(latin_skeleton(match), set())
        if len(words) == 1:
            found.append((next(iter(words)), match))
    return found


def respell(text: str, spelling: str, to: str) -> str:
    """`text` with every whole-word `spelling` replaced by `to`."""
    return re.sub(rf"\b{re.escape(spelling)}\b", to, text)


def base_form(word: str) -> str:
    """An Arabic word without the article and attached conjunctions, normalised (the book's key)."""
    return strip_article(word)
