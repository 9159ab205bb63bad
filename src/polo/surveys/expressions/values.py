"""The four kinds of value an expression handles, and XPath's conversions between them.

A value is a ``str``, a ``float`` (never an ``int``), a ``bool``, a node-set (a ``list``
of strings: the answers of one question over a repeat's rows) or an ``XDate``. Each
conversion here has a twin in ``static/surveys/expressions.js`` that must give the same
result for the same input; ``tests/surveys/expression_cases.json`` holds them together.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass

NAN = math.nan
MS_PER_DAY = 86_400_000
EPOCH = datetime.date(1970, 1, 1)

# XPath 1.0's Number production: no exponent, no sign but a leading minus.
NUMBER = re.compile(r"[ \t\n\r]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\n\r]*\Z")
DATE = re.compile(r"[ \t\n\r]*([0-9]{4})-([0-9]{2})-([0-9]{2})[ \t\n\r]*\Z")
DATE_TIME = re.compile(
    r"[ \t\n\r]*([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})"
    r"(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}:?[0-9]{2})?[ \t\n\r]*\Z"
)
# XML whitespace, which is what XPath splits and trims on (not Unicode's).
SPACES = re.compile(r"[ \t\n\r]+")


@dataclass(frozen=True)
class XDate:
    """A date or a date-time. ``days`` counts from 1970-01-01: whole days for a date (a
    calendar day, with no time zone), the UTC instant in fractional days for a date-time,
    NaN for an invalid one. ``offset`` (minutes east of UTC) only says how to write a
    date-time back as text."""

    days: float
    time: bool = False
    offset: int = 0

    @property
    def valid(self) -> bool:
        return math.isfinite(self.days)


INVALID_DATE = XDate(NAN)


def date_from_calendar(year: int, month: int, day: int) -> XDate:
    try:
        return XDate(float((datetime.date(year, month, day) - EPOCH).days))
    except ValueError:
        return INVALID_DATE


def date_from_python(value: datetime.date | datetime.datetime) -> XDate:
    if isinstance(value, datetime.datetime):
        offset = value.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        naive = value.replace(tzinfo=None)
        days = (naive.date() - EPOCH).days
        ms = ((naive.hour * 60 + naive.minute) * 60 + naive.second) * 1000
        ms += naive.microsecond // 1000
        return XDate((days * MS_PER_DAY + ms - minutes * 60_000) / MS_PER_DAY, True, minutes)
    return XDate(float((value - EPOCH).days))


def parse_date(text: str) -> XDate | None:
    """A date ('2024-05-01') or a date-time ('2024-05-01T10:30:00.000-06:00') in a string,
    or None when the string is neither. A date-time without a zone is taken as UTC."""
    match = DATE.match(text)
    if match:
        return date_from_calendar(*(int(part) for part in match.groups()))
    match = DATE_TIME.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    calendar = date_from_calendar(int(year), int(month), int(day))
    hour, minute, second = int(hour), int(minute), int(second or 0)
    if not calendar.valid or hour > 23 or minute > 59 or second > 59:
        return INVALID_DATE
    ms = ((hour * 60 + minute) * 60 + second) * 1000 + int((fraction or "0")[:3].ljust(3, "0"))
    offset = 0
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        offset = int(digits[:2]) * 60 + int(digits[2:])
        if zone[0] == "-":
            offset = -offset
    total = int(calendar.days) * MS_PER_DAY + ms - offset * 60_000
    return XDate(total / MS_PER_DAY, True, offset)


def calendar_parts(value: XDate) -> tuple[int, int, int, int, int, int, int, int]:
    """(year, month, day, hour, minute, second, millisecond, weekday with Sunday=0) of a
    valid date, or of a date-time in its own offset."""
    total = math.floor(value.days * MS_PER_DAY + 0.5) + (value.offset * 60_000 if value.time else 0)
    days, ms = divmod(total, MS_PER_DAY)
    day = EPOCH + datetime.timedelta(days=days)
    seconds, millisecond = divmod(ms, 1000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return (
        day.year,
        day.month,
        day.day,
        hour,
        minute,
        second,
        millisecond,
        (days + 4) % 7,  # 1970-01-01 was a Thursday
    )


def format_date_value(value: XDate) -> str:
    if not value.valid:
        return ""
    year, month, day, hour, minute, second, ms, _ = calendar_parts(value)
    text = f"{year:04d}-{month:02d}-{day:02d}"
    if not value.time:
        return text
    sign = "-" if value.offset < 0 else "+"
    zone = f"{sign}{abs(value.offset) // 60:02d}:{abs(value.offset) % 60:02d}"
    return f"{text}T{hour:02d}:{minute:02d}:{second:02d}.{ms:03d}{zone}"


def format_number(number: float) -> str:
    """XPath's string(number): the shortest digits that read back as the same double (the
    same digits JavaScript prints), always written out without an exponent."""
    if number != number:
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    mantissa, _, exponent = repr(abs(number)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    if fraction == "0":
        fraction = ""
    digits = whole + fraction
    point = len(whole) + int(exponent or 0)
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    if point <= 0:
        text = "0." + "0" * -point + digits
    elif point >= len(digits):
        text = digits + "0" * (point - len(digits))
    else:
        text = digits[:point] + "." + digits[point:]
    return ("-" if number < 0 else "") + text


def to_number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, XDate):
        return value.days
    if isinstance(value, list):
        return to_number(value[0]) if value else NAN
    if isinstance(value, str):
        if NUMBER.match(value):
            return float(value.strip(" \t\n\r"))
        parsed = parse_date(value)
        return parsed.days if parsed is not None else NAN
    if isinstance(value, int):
        return float(value)
    return NAN


def to_string(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        return format_number(float(value))
    if isinstance(value, XDate):
        return format_date_value(value)
    if isinstance(value, list):
        return value[0] if value else ""
    return ""


def truthy(value) -> bool:
    """XPath's boolean(): a non-empty string or node-set, a number other than 0 and NaN, a
    valid date. An answer is its text, so an unanswered question is false (as in JavaRosa)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float | int):
        return value == value and value != 0
    if isinstance(value, XDate):
        return value.valid
    if isinstance(value, str | list):
        return len(value) > 0
    return False


def to_date(value) -> XDate:
    if isinstance(value, XDate):
        return value
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, str):
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
        value = to_number(value)
    if isinstance(value, bool):
        return INVALID_DATE
    if isinstance(value, float | int) and math.isfinite(value):
        return XDate(float(value), time=value != math.floor(value))
    return INVALID_DATE


def tokens(text: str) -> list[str]:
    """The choices of a select_multiple answer (or the parts of a geopoint)."""
    return [part for part in SPACES.split(text) if part]
