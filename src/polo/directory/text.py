"""Text that forgives what people type: accents, case, Spanish word forms.

Search and duplicate detection both work on normalized text, computed once when
an organisation is saved and stored beside it, so that a query is a plain
indexed comparison on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[a-z0-9ñ]+")
_SEARCH_TERM = re.compile(r"[a-z0-9ñ]+")
# Legal-form suffixes and filler words that do not tell two organisations apart.
_LEGAL_FORMS = re.compile(
    r"\b(a\s*\.?\s*c|s\s*\.?\s*c|i\s*\.?\s*a\s*\.?\s*p|s\s*\.?\s*c\s*\.?\s*l|a\s*\.?\s*b\s*\.?\s*p)\b\.?"
)
STOPWORDS = frozenset(
    "a al ante con contra de del desde el en entre hacia hasta la las lo los para por "
    "sin sobre su sus tras un una unos unas y e o u the of and for".split()
)
_stemmer = snowballstemmer.stemmer("spanish")


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """Every combining mark, for str.translate to drop (built on first use).
    They all lie from U+0300 to the end of plane 1 (U+1E94A is the last in
    Unicode 14); the planes above hold none."""
    return dict.fromkeys(code for code in range(0x300, 0x20000) if unicodedata.combining(chr(code)))


def fold(value: str) -> str:
    """Lower case without accents; keeps ñ apart from n only where it matters."""
    if value.isascii():  # most text: nothing to decompose
        return value.lower()
    return unicodedata.normalize("NFKD", value.casefold()).translate(_combining_marks())


def words(value: str) -> list[str]:
    return _WORD.findall(fold(value))


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def _meaningful(value: str) -> list[str]:
    return [word for word in words(value) if word not in STOPWORDS and len(word) > 1]


def search_terms(value: str) -> list[str]:
    """The stems of a query, each to be matched as the start of a document word."""
    return list(dict.fromkeys(stem(word) for word in _meaningful(value)))


def is_search_term(value: str) -> bool:
    """A word as search_terms() gives it: nothing a full-text query syntax
    (FTS5's, tsquery's) could read as an operator or a quote."""
    return bool(_SEARCH_TERM.fullmatch(value))


def search_document(*parts: str) -> str:
    """Space-delimited words and their stems, with a leading and trailing space.

    A query stem matched as the start of a word (``LIKE '% stem%'``) finds
    "Mujeres" for "mujer" and "Mujer" for "mujeres" (whose stem, "mujer", starts
    the stored word "mujer"), and "Niños" for "nino": a LIKE both databases run.
    """
    terms: list[str] = []
    for part in parts:
        if part:
            for word in _meaningful(part):
                terms.append(word)
                terms.append(stem(word))
    return " " + " ".join(dict.fromkeys(terms)) + " " if terms else ""


def name_key(name: str) -> str:
    """A key for likely duplicates: accents, case, legal form and word order ignored."""
    folded = _LEGAL_FORMS.sub(" ", fold(name))
    tokens = sorted({w for w in _WORD.findall(folded) if w not in STOPWORDS})
    return " ".join(tokens)
