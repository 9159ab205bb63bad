"""Writing a plan: one transaction, bulk statements, the audit trail included."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_field_name, get_m2m_reverse_field_name

from polo.audit.bulk import record_history, record_m2m_history
from polo.core.bulk import insert_rows, update_rows
from polo.directory import facets
from polo.directory.importing.common import BATCH, ImportApplyError, Progress, _chunks, _key, msg
from polo.directory.models import ContactPoint, Identifier, Organization, Theme

# Where a row says nothing, address, phone and WhatsApp stay private (they are
# often a person's own); e-mail, web and social links are public.
PRIVATE_BY_DEFAULT = {"address", "phone", "whatsapp"}
M2M_FIELDS = ["themes", "populations", "languages", "coverage_regions", "coverage_municipalities"]

# ---- writing ---------------------------------------------------------------------------


@dataclass
class _Writer:
    user: Any
    when: dt.datetime
    reason: str
    progress: Progress | None = None
    theme_names: dict[int, str] = field(default_factory=dict)

    def record(self, model, ids: list[int], history_type: str) -> None:
        """The audit trail of rows just written, by the database (polo.audit.bulk)."""
        when, user, reason = self.when, self.user, self.reason
        record_history(model, ids, history_type=history_type, when=when, user=user, reason=reason)


def apply_import(
    plan: dict[str, Any],
    *,
    user=None,
    publish: bool = False,
    duplicates: str = "skip",
    selected: Iterable[int] = (),
    progress: Progress | None = None,
    guard: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Write the plan: all of it or nothing. ``duplicates`` is "skip", "all" or
    "selected" (the rows in ``selected``); ``guard`` runs first inside the
    transaction (the caller locks the job so that a plan is applied once).
    Returns the outcome, also stored as ``plan["applied"]``."""
    chosen = set(selected)
    creates, updates, skipped = [], [], []
    for row in plan["rows"]:
        if row["action"] == "create":
            creates.append(row)
        elif row["action"] == "update":
            updates.append(row)
        elif row["action"] == "duplicate":
            if duplicates == "all" or (duplicates == "selected" and row["row"] in chosen):
                creates.append(row)
            else:
                skipped.append(row["row"])
    status = Organization.Status.PUBLISHED if publish else Organization.Status.PENDING
    writer = _Writer(
        user=user,
        when=timezone.now(),
        reason=str(_("Importación: %(file)s") % {"file": plan.get("file_name", "")})[:100],
        progress=progress,
        theme_names=dict(Theme.objects.values_list("id", "name")),
    )
    if progress:
        progress.start(len(creates) + len(updates))
    try:
        with transaction.atomic():
            if guard:
                guard()
            created = _create(creates, status, writer)
            updated = _update(updates, writer)
    except (IntegrityError, DataError) as exc:
        raise ImportApplyError(_explain(creates + updates, exc)) from exc
    # Bulk writes send no signals: the cached facet counts are let go here.
    facets.directory_changed()
    outcome = {
        "applied_at": writer.when.isoformat(),
        "user_id": getattr(user, "pk", None),
        "status": status,
        "created": created,
        "updated": updated,
        "skipped_duplicates": skipped,
        "rejected": plan["counts"].get("rejected", 0),
    }
    plan["applied"] = outcome
    return outcome


def _model_fields(values: dict[str, Any]) -> dict[str, Any]:
    result = dict(values)
    for name in ("latitude", "longitude"):
        if result.get(name) is not None:
            result[name] = Decimal(result[name])
    return result


def _create(rows: list[dict], status: str, writer: _Writer) -> list[list[Any]]:
    if not rows:
        return []
    organizations = []
    for row in rows:
        data = row["data"]
        org = Organization(
            **_model_fields(data["fields"]),
            status=status,
            created_by=writer.user,
            created_at=writer.when,
        )
        themes = data["m2m"].get("themes", [])
        org.refresh_search_fields(theme_names=[writer.theme_names[pk] for pk in themes])
        organizations.append(org)
    organizations = Organization.objects.bulk_create(organizations, batch_size=BATCH)
    if any(org.pk is None for org in organizations):  # pragma: no cover - old SQLite only
        raise ImportApplyError("The database did not return the new ids (SQLite ≥ 3.35 needed).")
    ids = [org.pk for org in organizations]
    writer.record(Organization, ids, "+")
    pairs = list(zip(rows, organizations, strict=True))
    _add_relations(pairs, writer, existing_contacts={})
    record_m2m_history(Organization, ids, history_type="+", when=writer.when)
    if writer.progress:
        writer.progress.advance(len(rows))
    return [[row["row"], org.pk, org.name] for row, org in pairs]


def _update(rows: list[dict], writer: _Writer) -> list[list[Any]]:
    if not rows:
        return []
    ids = [row["target"]["id"] for row in rows]
    objects: dict[int, Organization] = {}
    for chunk in _chunks(ids):
        objects.update(Organization.objects.in_bulk(chunk))
    for row in rows:
        if row["target"]["id"] not in objects:
            raise ImportApplyError(msg("target_gone", name=row["target"]["name"], row=row["row"]))
    theme_names: dict[int, list[str]] = defaultdict(list)
    through = Organization.themes.through
    for chunk in _chunks(ids):
        for org_id, name in through.objects.filter(organization_id__in=chunk).values_list(
            "organization_id", "theme__name"
        ):
            theme_names[org_id].append(name)
    changed = {"search_name", "search_text", "name_key", "updated_at"}
    pairs = []
    for row in rows:
        org = objects[row["target"]["id"]]
        for name, value in _model_fields(row["data"]["fields"]).items():
            setattr(org, name, value)
            changed.add(name)
        themes = row["data"]["m2m"].get("themes")
        names = [writer.theme_names[pk] for pk in themes] if themes else theme_names[org.pk]
        org.refresh_search_fields(theme_names=names)
        org.updated_at = writer.when
        pairs.append((row, org))
    organizations = [org for _row, org in pairs]
    update_rows(organizations, sorted(changed))
    writer.record(Organization, ids, "~")
    existing: dict[int, list[ContactPoint]] = defaultdict(list)
    for chunk in _chunks(ids):
        for contact in ContactPoint.objects.filter(organization_id__in=chunk):
            existing[contact.organization_id].append(contact)
    _add_relations(pairs, writer, existing_contacts=existing)
    record_m2m_history(Organization, ids, history_type="~", when=writer.when)
    if writer.progress:
        writer.progress.advance(len(rows))
    return [[row["row"], org.pk, org.name] for row, org in pairs]


def _add_relations(
    pairs: list[tuple[dict, Organization]],
    writer: _Writer,
    *,
    existing_contacts: dict[int, list[ContactPoint]],
) -> None:
    """Many-to-many links (a row's list replaces the old one), contacts (added
    when new; a visibility column changes an existing one) and identifiers."""
    for name in M2M_FIELDS:
        model_field = Organization._meta.get_field(name)
        through = model_field.remote_field.through
        source = get_m2m_field_name(model_field) + "_id"
        target = get_m2m_reverse_field_name(model_field) + "_id"
        replacing = [org.pk for row, org in pairs if name in row["data"]["m2m"]]
        if existing_contacts:  # an update: the file's list replaces the old one
            for chunk in _chunks(replacing):
                through.objects.filter(**{f"{source}__in": chunk}).delete()
        insert_rows(
            through,
            [source, target],
            ((org.pk, pk) for row, org in pairs for pk in row["data"]["m2m"].get(name, [])),
        )
    new_contacts: list[ContactPoint] = []
    changed_contacts: list[ContactPoint] = []
    for row, org in pairs:
        known = {(c.kind, _key(c.value)): c for c in existing_contacts.get(org.pk, [])}
        for order, (kind, value, public) in enumerate(row["data"]["contacts"]):
            contact = known.get((kind, _key(value)))
            if contact is not None:
                if public is not None and contact.is_public != public:
                    contact.is_public = public
                    changed_contacts.append(contact)
                continue
            is_public = public if public is not None else kind not in PRIVATE_BY_DEFAULT
            contact = ContactPoint(
                organization_id=org.pk, kind=kind, value=value, is_public=is_public, order=order
            )
            known[(kind, _key(value))] = contact
            new_contacts.append(contact)
    if new_contacts:
        new_contacts = ContactPoint.objects.bulk_create(new_contacts, batch_size=BATCH)
        writer.record(ContactPoint, [contact.pk for contact in new_contacts], "+")
    if changed_contacts:
        update_rows(changed_contacts, ["is_public"])
        writer.record(ContactPoint, [contact.pk for contact in changed_contacts], "~")
    identifiers = [
        Identifier(organization_id=org.pk, scheme=scheme, value=value)
        for row, org in pairs
        for scheme, value in row["data"]["identifiers"]
    ]
    if identifiers:
        identifiers = Identifier.objects.bulk_create(identifiers, batch_size=BATCH)
        writer.record(Identifier, [identifier.pk for identifier in identifiers], "+")


def _explain(rows: list[dict], exc: Exception) -> str:
    """After a rollback: which row collided with what, when it can be told."""
    wanted = {
        (scheme, value): row["row"] for row in rows for scheme, value in row["data"]["identifiers"]
    }
    if wanted:
        values = sorted({value for _scheme, value in wanted})
        for chunk in _chunks(values):
            for scheme, value in Identifier.objects.filter(value__in=chunk).values_list(
                "scheme", "value"
            ):
                if (scheme, value) in wanted:
                    return msg(
                        "integrity_identifier",
                        row=wanted[(scheme, value)],
                        value=f"{scheme}: {value}",
                    )
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg("integrity", error=first_line[:200])
