"""Between the text XForms stores and what an HTML input shows and sends back.

``Response.data`` keeps answers as ODK Collect would (``validation.py`` checks
them): a time as '10:30:00.000-06:00', a date-time with its offset, a geopoint
as 'lat lon alt acc'. The browser's inputs speak a little differently
(``<input type=time>`` says '10:30'), so each conversion is here, both ways.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from polo.surveys.validation import CONTROL_RE, MAX_TEXT_LENGTH

# Geopoint parts, in the order XForms writes them.
GEOPOINT_PARTS = ("lat", "lon", "alt", "acc")
HTML_TIME_RE = re.compile(r"^\s*([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")
HTML_DATETIME_RE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\s*$"
)


def clean_text(raw: str) -> str:
    """What a text answer keeps: line breaks as '\\n', no control characters
    (a NUL cannot even be stored in PostgreSQL's JSON), no surrounding spaces."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_RE.sub("", text).strip()


def too_long(text: str) -> bool:
    return len(text) > MAX_TEXT_LENGTH


def _offset(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def time_to_stored(raw: str) -> str:
    """'10:30' -> '10:30:00.000-06:00' (the local offset of today); anything
    else is kept as typed, for validation to refuse."""
    match = HTML_TIME_RE.match(raw)
    if not match or raw.strip() != match.group(0).strip():
        return raw.strip()
    hour, minute, second = match.group(1), match.group(2), match.group(3) or "00"
    return f"{hour}:{minute}:{second}.000{_offset(timezone.localtime())}"


def time_to_input(stored: str) -> str:
    match = HTML_TIME_RE.match(stored or "")
    return f"{match.group(1)}:{match.group(2)}" if match else (stored or "")


def datetime_to_stored(raw: str) -> str:
    """'2026-11-02T10:30' (local time) -> '2026-11-02T10:30:00.000-06:00'."""
    match = HTML_DATETIME_RE.match(raw)
    if not match:
        return raw.strip()
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    try:
        naive = dt.datetime(year, month, day, hour, minute, second)  # noqa: DTZ001
    except ValueError:
        return raw.strip()
    local = timezone.make_aware(naive, timezone.get_current_timezone())
    return f"{local:%Y-%m-%dT%H:%M:%S}.000{_offset(local)}"


def datetime_to_input(stored: str) -> str:
    """A stored date-time, in local time, as <input type=datetime-local> wants it."""
    if not stored:
        return ""
    try:
        moment = dt.datetime.fromisoformat(stored.strip())
    except ValueError:
        return stored
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%dT%H:%M}"


def geopoint_to_parts(stored: str) -> dict[str, str]:
    parts = (stored or "").split()
    return {key: (parts[i] if i < len(parts) else "") for i, key in enumerate(GEOPOINT_PARTS)}


def geopoint_to_stored(parts: dict[str, str]) -> str:
    """'' when nothing was typed; otherwise the four parts, altitude and
    accuracy 0 when left empty (as ODK writes a point typed by hand)."""
    cleaned = {key: clean_text(parts.get(key, "")).replace(" ", "") for key in GEOPOINT_PARTS}
    if not any(cleaned.values()):
        return ""
    lat, lon = cleaned["lat"] or "?", cleaned["lon"] or "?"
    return f"{lat} {lon} {cleaned['alt'] or '0'} {cleaned['acc'] or '0'}"
