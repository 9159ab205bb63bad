"""Evaluates a compiled expression against a submission's answers, as JavaRosa would.

``static/surveys/expressions.js`` is the same walk in the browser; a change here needs the
same change there and a case in ``tests/surveys/expression_cases.json``.
"""

from __future__ import annotations

import datetime
import math
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from polo.surveys.expressions import regex
from polo.surveys.expressions.parser import ExpressionError
from polo.surveys.expressions.values import (
    INVALID_DATE,
    MS_PER_DAY,
    NAN,
    XDate,
    calendar_parts,
    date_from_python,
    format_date_value,
    to_date,
    to_number,
    to_string,
    tokens,
    truthy,
)

MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
WEEKDAYS = ("dom", "lun", "mar", "mié", "jue", "vie", "sáb")
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass
class Env:
    """What an expression can see.

    ``values`` holds the answers by question name, as text the way XForms stores them:
    select_multiple as space-separated choice names, dates as 'YYYY-MM-DD', a geopoint as
    'lat lon alt acc', '' (or no key) when unanswered. A repeat's name maps to a list of
    rows, each a dict of its questions' answers, so ``count(${repeat})`` counts rows and
    ``sum(${q})`` adds ``q`` over them (a question of a repeat may also be given as the
    list of its answers, which is how to say that a repeat with no rows sums to 0). Inside a
    repeat, ``row`` is the current row: it
    shadows ``values``, so it should hold every question of the repeat ('' when
    unanswered). ``position`` is that row's 1-based number. ``today`` and ``now`` default
    to ``timezone.localdate()`` and ``timezone.localtime()``; pass them to judge a
    submission by the day it was filled in. ``choice_item`` is the choice row a
    choice_filter is deciding on; ``choice_labels`` maps a question to its choices' labels
    for jr:choice-name()."""

    values: Mapping[str, Any]
    current: Any = None
    row: Mapping[str, Any] | None = None
    position: int | None = None
    today: datetime.date | None = None
    now: datetime.datetime | None = None
    choice_item: Mapping[str, str] | None = None
    choice_labels: Mapping[str, Mapping[str, str]] | None = None


def as_string(value) -> str:
    """XPath's string(): what a calculation stores."""
    return to_string(value)


def _answer(value) -> Any:
    """An answer as the evaluator sees it: text, or a node-set for a repeat's rows."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        # A repeat's rows (one textless node each) or a question's answers over them.
        return [item if isinstance(item, str) else "" for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return to_string(float(value))
    if isinstance(value, datetime.date):
        return format_date_value(date_from_python(value))
    return str(value)


def _column(rows: list, name: str) -> list[str] | None:
    """The answers to ``name`` over a repeat's rows (and the rows of repeats inside it), or
    None when no row has that question."""
    found: list[str] | None = None
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        if name in row:
            found = found or []
            found.append(_answer(row[name]) if not isinstance(row[name], list) else "")
            continue
        for value in row.values():
            if isinstance(value, list):
                inner = _column(value, name)
                if inner is not None:
                    found = (found or []) + inner
    return found


def _reference(name: str, env: Env):
    if env.row is not None and name in env.row:
        return _answer(env.row[name])
    if name in env.values:
        return _answer(env.values[name])
    for value in env.values.values():
        if isinstance(value, list):
            column = _column(value, name)
            if column is not None:
                return column
    return ""


def _compare(op: str, a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        if op in ("=", "!="):
            return (truthy(a) == truthy(b)) == (op == "=")
        a, b = truthy(a), truthy(b)
    if isinstance(a, list):
        return any(_compare(op, item, b) for item in a)
    if isinstance(b, list):
        return any(_compare(op, a, item) for item in b)
    if op in ("=", "!="):
        if isinstance(a, float | XDate | bool) or isinstance(b, float | XDate | bool):
            equal = to_number(a) == to_number(b)
        else:
            equal = to_string(a) == to_string(b)
        return equal == (op == "=")
    x, y = to_number(a), to_number(b)
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    return x >= y


def _divide(x: float, y: float) -> float:
    if y == 0:
        if x == 0 or x != x:
            return NAN
        return math.copysign(math.inf, x) * math.copysign(1.0, y)
    return x / y


def _mod(x: float, y: float) -> float:
    try:
        return math.fmod(x, y)  # truncated, like Java's % and JavaScript's %
    except ValueError:
        return NAN


def _power(x: float, y: float) -> float:
    """JavaScript's Math.pow, which Python's math.pow does not quite match."""
    if y != y or (abs(x) == 1 and math.isinf(y)):
        return NAN
    try:
        return math.pow(x, y)
    except OverflowError:
        return math.inf if x > 0 or y % 2 != 1 else -math.inf
    except ValueError:
        if x == 0:  # 0 to a negative power
            odd = y % 2 == 1
            return -math.inf if odd and math.copysign(1.0, x) < 0 else math.inf
        return NAN


def _round(x: float, digits: float = 0.0) -> float:
    """round(x) and round(x, digits): halves go up (XPath: round(-2.5) is -2). The scaled
    value is first cut to 15 significant digits, so round(2.675, 2) is 2.68 as a person
    would expect, though 2.675 is 2.67499999… in binary."""
    if not math.isfinite(x) or digits != digits:
        return x if not math.isfinite(x) else NAN
    places = int(digits)
    scale = 10.0 ** abs(places)
    scaled = x * scale if places >= 0 else x / scale
    if not math.isfinite(scaled):
        return x
    scaled = float(f"{scaled:.15g}")
    rounded = math.floor(scaled + 0.5)
    return rounded / scale if places >= 0 else rounded * scale


def _truncate(x: float) -> float:
    return float(math.trunc(x)) if math.isfinite(x) else x


def _chars(text: str) -> list[str]:
    return list(text)


def _index(value, default: int, length: int) -> int:
    number = to_number(value)
    if number != number:
        return default
    return int(max(0, min(length, _truncate(number))))


def _format_date(value, pattern: str) -> str:
    date = to_date(value)
    if not date.valid:
        return ""
    year, month, day, hour, minute, second, ms, weekday = calendar_parts(date)
    fields = {
        "Y": f"{year:04d}",
        "y": f"{year % 100:02d}",
        "m": f"{month:02d}",
        "n": str(month),
        "b": MONTHS[month - 1],
        "d": f"{day:02d}",
        "e": str(day),
        "a": WEEKDAYS[weekday],
        "H": f"{hour:02d}",
        "h": str(hour),
        "M": f"{minute:02d}",
        "S": f"{second:02d}",
        "3": f"{ms:03d}",
    }
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "%" and i + 1 < len(pattern) and pattern[i + 1] in fields:
            out.append(fields[pattern[i + 1]])
            i += 2
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


def _today(env: Env) -> XDate:
    return date_from_python(env.today or timezone.localdate())


def _now(env: Env) -> XDate:
    return date_from_python(env.now or timezone.localtime())


def _as_date_only(value: XDate) -> XDate:
    if not value.valid or not value.time:
        return value
    local = math.floor(value.days * MS_PER_DAY + 0.5) + value.offset * 60_000
    return XDate(float(local // MS_PER_DAY))


def _numbers(values: list) -> list[float]:
    flat: list = []
    for value in values:
        if isinstance(value, list):
            flat.extend(value)
        else:
            flat.append(value)
    return [to_number(item) for item in flat]


def _extreme(values: list, pick) -> float:
    numbers = _numbers(values)
    if not numbers or any(number != number for number in numbers):
        return NAN
    return pick(numbers)


def _uuid(length) -> str:
    if length is None:
        return str(uuid.uuid4())
    size = _index(length, 0, 1000)
    return "".join(secrets.choice(ALPHANUMERIC) for _i in range(size))


def _translate(text: str, source: str, target: str) -> str:
    mapping: dict[str, str | None] = {}
    for i, char in enumerate(source):
        if char not in mapping:
            mapping[char] = target[i] if i < len(target) else None
    return "".join((mapping[char] or "") if char in mapping else char for char in text)


def _call(name: str, args: list[dict], env: Env):  # noqa: C901 - one branch per function
    if name == "if":
        return _eval(args[1] if truthy(_eval(args[0], env)) else args[2], env)
    if name == "coalesce":
        first = _eval(args[0], env)
        return first if to_string(first) != "" else _eval(args[1], env)
    if name == "position":
        return float(env.position) if env.position is not None else NAN
    if name == "today":
        return _today(env)
    if name == "now":
        return _now(env)
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "uuid":
        return _uuid(_eval(args[0], env) if args else None)
    if name == "indexed-repeat":
        rows = env.values.get(args[1]["ref"])
        index = to_number(_eval(args[2], env))
        if not isinstance(rows, list) or index != index or index != math.floor(index):
            return ""
        if not 1 <= index <= len(rows) or not isinstance(rows[int(index) - 1], Mapping):
            return ""
        return _answer(rows[int(index) - 1].get(args[0]["ref"], ""))
    if name == "jr:choice-name":
        labels = (env.choice_labels or {}).get(args[1]["str"], {})
        return labels.get(to_string(_eval(args[0], env)), "")
    values = [_eval(arg, env) for arg in args]
    if name in ("string-length", "normalize-space", "number", "string") and not values:
        values = [_current(env)]
    first = values[0] if values else None
    if name == "concat":
        return "".join(
            "".join(item) if isinstance(item, list) else to_string(item) for item in values
        )
    if name == "join":
        separator = to_string(first)
        parts: list[str] = []
        for item in values[1:]:
            parts.extend(item if isinstance(item, list) else [to_string(item)])
        return separator.join(parts)
    if name == "contains":
        return to_string(values[1]) in to_string(first)
    if name == "starts-with":
        return to_string(first).startswith(to_string(values[1]))
    if name == "ends-with":
        return to_string(first).endswith(to_string(values[1]))
    if name == "substr":
        chars = _chars(to_string(first))
        start = _index(values[1], 0, len(chars))
        end = _index(values[2], len(chars), len(chars)) if len(values) > 2 else len(chars)
        return "".join(chars[start:end])
    if name == "substring-before":
        text, separator = to_string(first), to_string(values[1])
        return text.split(separator, 1)[0] if separator and separator in text else ""
    if name == "substring-after":
        text, separator = to_string(first), to_string(values[1])
        found = text.find(separator)
        return text[found + len(separator) :] if found >= 0 else ""
    if name == "string-length":
        return float(len(_chars(to_string(first))))
    if name == "normalize-space":
        return " ".join(tokens(to_string(first)))
    if name == "translate":
        return _translate(*(_chars(to_string(value)) for value in values))
    if name == "regex":
        return regex.search(to_string(values[1]), to_string(first))
    if name == "selected":
        return to_string(values[1]).strip(" \t\n\r") in tokens(to_string(first))
    if name == "count-selected":
        return float(len(tokens(to_string(first))))
    if name == "selected-at":
        parts = tokens(to_string(first))
        index = to_number(values[1])
        if index != index or index != math.floor(index) or not 0 <= index < len(parts):
            return ""
        return parts[int(index)]
    if name == "number":
        return to_number(first)
    if name == "int":
        return _truncate(to_number(first))
    if name == "round":
        return _round(to_number(first), to_number(values[1]) if len(values) > 1 else 0.0)
    if name == "floor":
        number = to_number(first)
        return float(math.floor(number)) if math.isfinite(number) else number
    if name == "ceiling":
        number = to_number(first)
        return float(math.ceil(number)) if math.isfinite(number) else number
    if name == "abs":
        return abs(to_number(first))
    if name == "pow":
        return _power(to_number(first), to_number(values[1]))
    if name == "sqrt":
        number = to_number(first)
        return math.sqrt(number) if number >= 0 else NAN
    if name == "min":
        return _extreme(values, min)
    if name == "max":
        return _extreme(values, max)
    if name == "sum":
        if not isinstance(first, list):
            return to_number(first)
        total = 0.0
        for number in _numbers(values):  # left to right, as the browser adds
            total += number
        return total
    if name == "count":
        return float(len(first)) if isinstance(first, list) else 1.0
    if name == "count-non-empty":
        items = first if isinstance(first, list) else [first]
        return float(sum(1 for item in items if to_string(item) != ""))
    if name == "date":
        return _as_date_only(to_date(first))
    if name == "date-time":
        date = to_date(first)
        return XDate(date.days, True, date.offset) if date.valid else INVALID_DATE
    if name == "decimal-date-time":
        return to_date(first).days
    if name in ("format-date", "format-date-time"):
        return _format_date(first, to_string(values[1]))
    if name == "boolean":
        return truthy(first)
    if name == "boolean-from-string":
        return to_string(first) in ("true", "1")
    if name == "string":
        return to_string(first)
    if name == "not":
        return not truthy(first)
    if name == "once":
        return first
    raise ExpressionError(_("La función «%(name)s» no está admitida") % {"name": name})


def _current(env: Env):
    return _answer(env.current)


ARITHMETIC = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "div": _divide,
    "mod": _mod,
}


def _eval(node: dict, env: Env):
    if "num" in node:
        return float(node["num"])
    if "str" in node:
        return node["str"]
    if "ref" in node:
        return _reference(node["ref"], env)
    if "cur" in node:
        return _current(env)
    if "col" in node:
        return _answer((env.choice_item or {}).get(node["col"], ""))
    if "fn" in node:
        return _call(node["fn"], node["args"], env)
    op = node.get("op")
    args = node.get("args", ())
    if op == "or":
        return any(truthy(_eval(arg, env)) for arg in args)
    if op == "and":
        return all(truthy(_eval(arg, env)) for arg in args)
    if op == "neg":
        return -to_number(_eval(args[0], env))
    if op in ARITHMETIC:
        result = to_number(_eval(args[0], env))
        for arg in args[1:]:
            result = ARITHMETIC[op](result, to_number(_eval(arg, env)))
        return result
    if op in ("=", "!=", "<", "<=", ">", ">="):
        result = _eval(args[0], env)
        for arg in args[1:]:
            result = _compare(op, result, _eval(arg, env))
        return result
    raise ExpressionError(_("El árbol de la expresión no es válido"))


def evaluate(ast: dict, env: Env) -> Any:
    """The value of a compiled expression: a str, float, bool, list of str (the answers
    of a question over a repeat's rows) or XDate. ``as_string`` turns it into text."""
    try:
        return _eval(ast, env)
    except (KeyError, IndexError, TypeError, AttributeError, RecursionError):
        raise ExpressionError(_("El árbol de la expresión no es válido")) from None


def evaluate_bool(ast: dict, env: Env) -> bool:
    """For relevant, constraint and required."""
    return truthy(evaluate(ast, env))
