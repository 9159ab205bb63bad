"""The patterns ``regex()`` accepts: a subset that Python's ``re`` and the browser's
``RegExp`` (with the ``u`` flag) read the same way, and that cannot backtrack without end.

The browser compiles the pattern as written (``new RegExp(pattern, "u")``, tested with
``test``, i.e. searched anywhere in the value as JavaRosa's ``find()`` does); the server
compiles a translation of it with ``re.ASCII`` and ``re.search``. What the translation
fixes: ``$`` (Python's also matches before a final newline), ``.`` (JavaScript's does not
match \\r, U+2028, U+2029) and ``\\s`` (JavaScript's includes Unicode spaces).

Left out, with a message: back-references, lookbehind, named groups, inline flags,
possessive quantifiers and anything else one engine reads differently; a quantified group
that repeats another quantifier or an alternation (``(a+)+``, ``(a|b)*``), the shape of
catastrophic backtracking. Patterns are at most ``MAX_PATTERN`` characters.
"""

from __future__ import annotations

import functools
import re
import warnings

MAX_PATTERN = 300

JS_SPACE = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
SIMPLE_ESCAPES = {
    "d": "\\d",
    "D": "\\D",
    "w": "\\w",
    "W": "\\W",
    "b": "\\b",
    "B": "\\B",
    "t": "\\t",
    "n": "\\n",
    "r": "\\r",
    "f": "\\f",
    "v": "\\v",
}
# What JavaScript's `u` mode lets you escape: its syntax characters and the slash.
ESCAPABLE = set("^$\\.*+?()[]{}|/")
HEX = set("0123456789abcdefABCDEF")
QUANTIFIER = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")


class PatternError(ValueError):
    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


def _escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    """Translates the escape at pattern[i] (a backslash); returns it and the next index."""
    if i + 1 >= len(pattern):
        raise PatternError("el patrón termina en «\\»", i)
    char = pattern[i + 1]
    if char in SIMPLE_ESCAPES and not (in_class and char in "bB"):
        return SIMPLE_ESCAPES[char], i + 2
    if char == "s":
        return (JS_SPACE if in_class else f"[{JS_SPACE}]"), i + 2
    if char == "S" and not in_class:
        return f"[^{JS_SPACE}]", i + 2
    if char == "u":
        digits = pattern[i + 2 : i + 6]
        if len(digits) == 4 and set(digits) <= HEX and not 0xD800 <= int(digits, 16) <= 0xDFFF:
            return pattern[i : i + 6], i + 6
        raise PatternError("«\\u» necesita cuatro cifras hexadecimales", i)
    if char == "x":
        digits = pattern[i + 2 : i + 4]
        if len(digits) == 2 and set(digits) <= HEX:
            return pattern[i : i + 4], i + 4
        raise PatternError("«\\x» necesita dos cifras hexadecimales", i)
    if char in ESCAPABLE or (in_class and char == "-"):
        return "\\" + char, i + 2
    raise PatternError(f"el escape «\\{char}» no está admitido", i)


def _class(pattern: str, i: int) -> tuple[str, int]:
    """Translates the character class opening at pattern[i]."""
    out = ["["]
    i += 1
    if i < len(pattern) and pattern[i] == "^":
        out.append("^")
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        raise PatternError("una clase «[]» vacía no está admitida", i)
    while i < len(pattern):
        char = pattern[i]
        if char == "]":
            return "".join(out) + "]", i + 1
        if char == "\\":
            text, i = _escape(pattern, i, in_class=True)
            out.append(text)
            continue
        if char == "[":
            raise PatternError("escriba «\\[» dentro de una clase", i)
        if char in "&~|-" and pattern[i + 1 : i + 2] == char:
            raise PatternError(f"«{char * 2}» dentro de una clase no está admitido", i)
        out.append(char)
        i += 1
    raise PatternError("falta «]»", len(pattern))


def _quantifier(pattern: str, i: int) -> tuple[str, int, int | None, int] | None:
    """The quantifier at pattern[i] as (text, minimum, maximum or None, next index)."""
    char = pattern[i] if i < len(pattern) else ""
    if char in ("*", "+", "?"):
        bounds = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        text, i = char, i + 1
    elif char == "{":
        match = QUANTIFIER.match(pattern, i)
        if not match:
            raise PatternError("escriba «\\{» para una llave literal", i)
        low = int(match.group(1))
        high = low if match.group(2) is None else (int(match.group(3)) if match.group(3) else None)
        if high is not None and high < low or low > 1000 or (high or 0) > 1000:
            raise PatternError("los límites de la repetición no son válidos", i)
        bounds, text, i = (low, high), match.group(0), match.end()
    else:
        return None
    if pattern[i : i + 1] == "?":
        text, i = text + "?", i + 1
    if pattern[i : i + 1] in ("+", "*", "{") or (pattern[i : i + 1] == "?" and text.endswith("?")):
        raise PatternError("una repetición no puede repetirse", i)
    return text, bounds[0], bounds[1], i


@functools.lru_cache(maxsize=256)
def translate(pattern: str) -> str:
    """Checks a pattern and returns the Python pattern that reads as JavaScript reads it.
    Raises PatternError with the offset of the problem."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"el patrón pasa de {MAX_PATTERN} caracteres", MAX_PATTERN)
    out: list[str] = []
    # One frame per open group: [has a variable repetition, has an alternation, is a
    # lookahead (which JavaScript's `u` mode does not let you repeat)].
    groups: list[list[bool]] = [[False, False, False]]
    last_atom: str | None = None  # "group" or "atom" when a quantifier may follow
    closed: list[bool] = [False, False, False]
    i = 0
    while i < len(pattern):
        char = pattern[i]
        quantified = _quantifier(pattern, i) if last_atom else None
        if quantified:
            text, low, high, i = quantified
            repeats = high is None or high > 1
            if last_atom == "group" and repeats and (closed[0] or closed[1]):
                raise PatternError(
                    "un grupo que se repite no puede contener otra repetición ni «|» "
                    "(el patrón podría tardar sin fin)",
                    i - len(text),
                )
            if low != high:
                groups[-1][0] = True
            out.append(text)
            last_atom = None
            continue
        if char in "*+?":
            raise PatternError(f"«{char}» no repite nada", i)
        if char == "\\":
            text, i = _escape(pattern, i, in_class=False)
            out.append(text)
            last_atom = None if text in ("\\b", "\\B") else "atom"
            continue
        if char == "[":
            text, i = _class(pattern, i)
            out.append(text)
            last_atom = "atom"
            continue
        if char == "(":
            if pattern.startswith("(?", i):
                head = pattern[i : i + 3]
                if head not in ("(?:", "(?=", "(?!"):
                    raise PatternError(f"«{head}» no está admitido", i)
                out.append(head)
                i += 3
            else:
                out.append("(")
                i += 1
            groups.append([False, False, pattern.startswith(("(?=", "(?!"), i - 3)])
            last_atom = None
            continue
        if char == ")":
            if len(groups) == 1:
                raise PatternError("sobra «)»", i)
            closed = groups.pop()
            groups[-1][0] = groups[-1][0] or closed[0]
            groups[-1][1] = groups[-1][1] or closed[1]
            out.append(")")
            last_atom = None if closed[2] else "group"
            i += 1
            continue
        if char == "|":
            groups[-1][1] = True
            out.append("|")
            last_atom = None
            i += 1
            continue
        if char in "{}]":
            raise PatternError(f"escriba «\\{char}» para el carácter literal", i)
        if char == "$":
            out.append(r"\Z")
            last_atom = None
        elif char == "^":
            out.append("^")
            last_atom = None
        elif char == ".":
            out.append("[^\\n\\r\\u2028\\u2029]")
            last_atom = "atom"
        else:
            out.append(re.escape(char))
            last_atom = "atom"
        i += 1
    if len(groups) > 1:
        raise PatternError("falta «)»", len(pattern))
    translated = "".join(out)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(translated, re.ASCII)
    except re.error as error:
        raise PatternError(f"el patrón no es válido ({error.msg})", error.pos or 0) from None
    return translated


def search(pattern: str, text: str) -> bool:
    return re.search(translate(pattern), text, re.ASCII) is not None
