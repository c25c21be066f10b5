"""The search box's language, read once and turned into FTS5 expressions that user text cannot escape.

    word            the word, normalised or by its stem (كِتاب finds الكتاب, كتابه; "ports" finds "port")
    =word           the word itself, normalised but not stemmed (an escape from over-folding)
    "a phrase"      the words in this order (normalised, or stem by stem)
    -word, NOT word leave out briefs that have it
    a OR b          either; words side by side must all be there (AND)

Arabic words are looked for in the source side (title, sentences, summary), Latin words in the
English side and the source side, digits in both; `lang` narrows that to one side. Every term
goes to FTS5 as a quoted string, so quotes, stars and column names typed by a user are words, never
syntax. A query that cannot be read (an unclosed quote, an operator with nothing to apply to, no
word to find) is a QueryError with one line saying what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .words import ARABIC_RE, WORD_RE, word_forms

SOURCE_NORM, SOURCE_STEM = ("src_title", "src_text"), ("src_title_stem", "src_text_stem")
ENGLISH_NORM, ENGLISH_STEM = ("en_title", "en_text"), ("en_title_stem", "en_text_stem")
_TOKEN_RE = re.compile(r'"[^"]*"|"|\S+')


class QueryError(ValueError):
    """A query that cannot be read; the message says what to change."""


@dataclass(frozen=True)
class Term:
    """One thing to find: a word or a phrase (words), exact (=) or not, wanted or left out."""

    words: tuple[str, ...]
    exact: bool = False
    negated: bool = False
    phrase: bool = False


@dataclass(frozen=True)
class Query:
    """A parsed query: alternatives (OR) of terms that must all hold (AND, NOT)."""

    groups: tuple[tuple[Term, ...], ...]

    def words(self) -> list[tuple[str, bool]]:
        """Every wanted word with its exactness (what snippets highlight)."""
        return [(w, t.exact) for g in self.groups for t in g if not t.negated for w in t.words]


def parse(text: str) -> Query:
    """Read a query (see the module doc).

    Raises:
        QueryError: unbalanced quotes, a bare operator, or nothing to look for.
    """
    if text.count('"') % 2:
        raise QueryError('an unclosed quote (") in the query')
    groups: list[list[Term]] = [[]]
    negate = False
    tokens = _TOKEN_RE.findall(text or "")
    for k, token in enumerate(tokens):
        if token == "OR":
            if not groups[-1] or negate or k == len(tokens) - 1:
                raise QueryError("OR needs something to find on both sides")
            groups.append([])
            continue
        if token in ("NOT", "-", "AND", "=", '""'):
            if token == "AND":
                continue  # words side by side are ANDed anyway
            if token in ("-", "=") or token == '""' or k == len(tokens) - 1:
                raise QueryError(f"'{token}' needs a word right after it")
            negate = True
            continue
        term = _term(token, negate)
        negate = False
        if term is not None:
            groups[-1].append(term)
    if not any(t for g in groups for t in g if not t.negated) or any(all(t.negated for t in g) for g in groups):
        raise QueryError("nothing to look for: give at least one word that is not left out")
    return Query(tuple(tuple(g) for g in groups))


def _term(token: str, negate: bool) -> Term | None:
    if token.startswith('"'):
        found = tuple(WORD_RE.findall(token[1:-1]))
        if not found:
            raise QueryError("an empty phrase")
        return Term(found, negated=negate, phrase=True)
    if token.startswith("-") and len(token) > 1:
        negate, token = True, token[1:]
    exact = token.startswith("=")
    token = token[1:] if exact else token
    found = tuple(WORD_RE.findall(token))
    if not found:
        if exact or negate:
            raise QueryError(f"'{'=' if exact else '-'}' needs a word right after it")
        return None  # punctuation alone: nothing to find, nothing wrong
    return Term(found, exact=exact, negated=negate, phrase=len(found) > 1)


def _quote(words: list[str]) -> str:
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def _columns(term: Term, lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(normalised columns, stem columns) a term is looked for in."""
    arabic = any(ARABIC_RE.search(w) for w in term.words)
    latin = any(re.search("[A-Za-z]", w) for w in term.words)
    sides = {"ar": (SOURCE_NORM, SOURCE_STEM), "en": (ENGLISH_NORM, ENGLISH_STEM)}
    wanted = ["ar"] if arabic else ["en", "ar"] if latin else ["ar", "en"]
    if lang in sides:
        wanted = [lang] if lang in wanted or not (arabic or latin) else []
    norm = tuple(c for side in wanted for c in sides[side][0])
    stem = tuple(c for side in wanted for c in sides[side][1])
    return norm, stem


def _expression(term: Term, lang: str, exact_only: bool) -> str | None:
    norm_cols, stem_cols = _columns(term, lang)
    if not norm_cols:
        return None
    forms = [word_forms(w) for w in term.words]
    parts = [f"{{{' '.join(norm_cols)}}} : {_quote([f[0] for f in forms])}"]
    if not (term.exact or exact_only):
        parts.append(f"{{{' '.join(stem_cols)}}} : {_quote([f[1] for f in forms])}")
    return "(" + " OR ".join(parts) + ")"


def fts_expression(query: Query, lang: str = "any", exact_only: bool = False) -> str | None:
    """The FTS5 MATCH expression of a query (None: nothing can match in that language).

    Args:
        query: the parsed query.
        lang: "ar", "en" or "any": which side of the briefs to look in.
        exact_only: normalised forms only (the first tier of the ranking).
    """
    alternatives = []
    for group in query.groups:
        wanted = [_expression(t, lang, exact_only) for t in group if not t.negated]
        if not wanted or any(w is None for w in wanted):
            continue
        expr = "(" + " AND ".join(wanted) + ")"
        for term in (t for t in group if t.negated):
            left_out = _expression(term, lang, False)
            if left_out:
                expr = f"({expr} NOT {left_out})"
        alternatives.append(expr)
    return " OR ".join(alternatives) if alternatives else None
