"""fold(): lower case without accents, the base of search and duplicate keys."""

from __future__ import annotations

import random
import unicodedata

import pytest

from polo.directory.text import fold


def by_definition(value: str) -> str:
    """What fold() is: NFKD of the case-folded text, combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@pytest.mark.parametrize(
    ("value", "folded"),
    [
        ("Niños y NIÑAS", "ninos y ninas"),
        ("Asociación Civil Águila, A.C.", "asociacion civil aguila, a.c."),
        ("ﬁnanzas Straße", "finanzas strasse"),  # a ligature and a sharp s
        ("Mixe ‘ayuuk’", "mixe ‘ayuuk’"),  # what is not a letter stays
        ("e\u0301xito", "exito"),  # an accent already decomposed
        ("PLAIN ascii 123", "plain ascii 123"),
        ("", ""),
    ],
)
def test_it_lowers_case_and_drops_accents(value, folded):
    assert fold(value) == folded


def test_it_agrees_with_its_definition_on_any_text():
    rng = random.Random(20261127)
    alphabet = [chr(code) for code in range(0x20, 0x3000)] + ["🎉", "𝒜", "\U0001e94a"]
    for _ in range(5_000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert fold(value) == by_definition(value), repr(value)
