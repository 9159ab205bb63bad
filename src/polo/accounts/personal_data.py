"""Everything Polo knows about a person, for the ARCO rights: access and cancellation.

Personal data end up in many apps (attendance, survey answers, proposals...).
Rather than have accounts import them all, each app that keeps personal data
registers two things, usually in its ``AppConfig.ready()``:

    from polo.accounts import personal_data

    def export_attendance(user):
        # Only this person's rows, only what is theirs; JSON-able values
        # (dates and decimals are fine: the export uses DjangoJSONEncoder).
        return [
            {"event": a.event.title, "date": a.event.date, "attended": a.attended}
            for a in user.attendances.select_related("event")
        ]

    def anonymize_attendance(user):
        # Strip what identifies the person, keep what aggregate figures count.
        user.attendances.update(phone="", notes="")

    personal_data.register("attendance", export_attendance)
    personal_data.register_anonymizer(anonymize_attendance)

- ``register(section, fn)``: ``fn(user)`` returns the section of the person's
  export (``/cuenta/mis-datos.json``), keyed by ``section``. It must return the
  person's own data and nothing about anybody else.
- ``register_anonymizer(fn)``: ``fn(user)`` runs inside the cancellation's
  transaction (``services.account_cancel``), before the account itself is
  anonymized, so it can still read the person's e-mail or name if it needs to.
  It must keep the rows that aggregate figures count and erase personal fields,
  including those in the app's own simple-history tables
  (``scrub_history`` below helps).

Registering the same function twice is harmless (``ready()`` may run more than
once in tests); registering a different function under a taken section name is
an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from polo.accounts.models import User

Exporter = Callable[["User"], Any]
Anonymizer = Callable[["User"], None]

_sections: dict[str, Exporter] = {}
_anonymizers: list[Anonymizer] = []

FORMAT_VERSION = 1


def register(section: str, fn: Exporter) -> None:
    """Add a section to every person's data export."""
    if section in _sections and _sections[section] is not fn:
        raise ValueError(f"The personal-data section {section!r} is already registered")
    _sections[section] = fn


def register_anonymizer(fn: Anonymizer) -> None:
    """Run ``fn(user)`` when a person cancels their account."""
    if fn not in _anonymizers:
        _anonymizers.append(fn)


def sections() -> list[str]:
    return list(_sections)


def export(user: User) -> dict[str, Any]:
    """The whole export of one person: a header and one entry per section."""
    return {
        "format": "polo-personal-data",
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now(),
        "sections": {name: fn(user) for name, fn in _sections.items()},
    }


def anonymize(user: User) -> None:
    """Run every registered anonymizer for this person (inside the caller's transaction)."""
    for fn in _anonymizers:
        fn(user)


def scrub_history(history_manager, *, object_ids: Iterable[int], **blank_values: Any) -> int:
    """Blank personal fields in simple-history rows; keep the rows (who, when, what kind).

    ``history_manager`` is ``Model.history``; ``blank_values`` are the fields to
    overwrite, e.g. ``scrub_history(Attendance.history, object_ids=ids, phone="")``.
    Returns the number of historical rows changed.
    """
    return history_manager.filter(id__in=list(object_ids)).update(**blank_values)
