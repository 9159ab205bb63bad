"""Writes to the actor registry: proposals, edits, reviews, memberships, networks,
alliances, key communities, merges and reverts.

Each function is keyword-only, runs in one transaction, validates with
``full_clean`` and says in the audit trail who did what and why (simple-history's
``_change_reason``, at most 100 characters, and ``_history_user`` so that a
change made from the command line is attributed too).

Who may call what is decided by the rules (``directory/rules.py``); the views
check them, and the functions here check again where a mistake would let one
organisation act for another (reviews, memberships, alliances, merges).

How an edit reaches the public: an editor's change to a *published* profile
becomes a ``ProfileRevision`` (the changed fields, as JSON) that a facilitator
of the region or a coordinator approves; drafts and pending profiles, and
every change by those reviewers, apply at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from polo.accounts import personal_data
from polo.directory.duplicates import DuplicateMatch, find_duplicates
from polo.directory.models import (
    Alliance,
    ContactPoint,
    Identifier,
    KeyCommunity,
    Language,
    Membership,
    NetworkMembership,
    Organization,
    ProfileRevision,
)

if TYPE_CHECKING:
    from polo.accounts.models import User
    from polo.territory.models import Community

Status = Organization.Status

# What an editor may change, in the order forms and diffs show it.
SCALAR_FIELDS = (
    "name",
    "acronym",
    "kind",
    "legal_form",
    "description",
    "description_en",
    "rfc",
    "cluni",
    "founded_year",
    "size_band",
    "municipality",
    "community",
    "latitude",
    "longitude",
    "logo",
)
M2M_FIELDS = ("themes", "populations", "languages", "coverage_municipalities", "coverage_regions")
LIST_FIELDS = ("contacts", "identifiers")
PROFILE_FIELDS = (*SCALAR_FIELDS, *M2M_FIELDS, *LIST_FIELDS)
FOREIGN_KEYS = ("municipality", "community")
DECIMALS = ("latitude", "longitude")
# Copied from a merged record when the record kept has none.
MERGE_FILLS = (
    "acronym",
    "legal_form",
    "description",
    "description_en",
    "rfc",
    "cluni",
    "founded_year",
    "size_band",
    "community",
    "latitude",
    "longitude",
    "logo",
)
PENDING_LOGOS = "logos/pendientes/"
REASON_LENGTH = 100  # simple-history's history_change_reason


class DuplicateSuspected(ValidationError):
    """The candidate looks like an existing organisation; the person must say
    it is not one before it is created."""

    def __init__(self, matches: list[DuplicateMatch]):
        self.matches = matches
        super().__init__(
            _("Parece que esta organización ya está registrada."), code="duplicate_suspected"
        )


@dataclass
class UpdateResult:
    """What became of an edit: applied at once, or waiting as a revision."""

    organization: Organization
    changed: list[str]
    revision: ProfileRevision | None = None

    @property
    def applied(self) -> bool:
        return self.revision is None


@dataclass
class MergeSummary:
    keep: Organization
    drop: Organization
    moved: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    filled: list[str] = field(default_factory=list)

    def count(self, bucket: dict[str, int], name: str, n: int = 1) -> None:
        if n:
            bucket[name] = bucket.get(name, 0) + n


# --- the audit trail -------------------------------------------------------------


def _reason(template: str, **params: Any) -> str:
    text = template % params if params else template
    return " ".join(text.split())[:REASON_LENGTH]


def _audit(instance: models.Model, *, by: User | None, reason: str) -> models.Model:
    instance._change_reason = reason[:REASON_LENGTH]
    if by is not None and by.is_authenticated:
        instance._history_user = by
    return instance


def _who(user: User | None) -> str:
    return (user.full_name or user.email) if user is not None else gettext("el sistema")


# --- permissions the functions check themselves ---------------------------------------


def _require(user: User, perm: str, obj: Any = None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def can_review(user: User, organization: Organization) -> bool:
    return user.has_perm("directory.review_organization", organization)


# --- the profile as data ------------------------------------------------------------


def _ids(values: Iterable[Any]) -> list[int]:
    return sorted({value if isinstance(value, int) else value.pk for value in values})


def _json_value(name: str, value: Any) -> Any:
    if name in FOREIGN_KEYS:
        return value if value is None or isinstance(value, int) else value.pk
    if name in DECIMALS:
        return None if value in (None, "") else str(Decimal(value).quantize(Decimal("0.000001")))
    if name == "logo":  # a FieldFile, an upload, or a history row's plain name
        return (getattr(value, "name", value) or "") if value else ""
    if name in M2M_FIELDS:
        return _ids(value)
    if name == "contacts":
        return [
            {
                "kind": item["kind"],
                "value": item["value"],
                "is_public": bool(item.get("is_public")),
            }
            for item in value
        ]
    if name == "identifiers":
        return [{"scheme": item["scheme"], "value": item["value"]} for item in value]
    return value


def organization_snapshot(organization: Organization) -> dict[str, Any]:
    """Every editable field of a profile as JSON-able values (the revision format)."""
    snapshot = {
        name: _json_value(
            name, getattr(organization, f"{name}_id" if name in FOREIGN_KEYS else name)
        )
        for name in SCALAR_FIELDS
    }
    if organization.pk:
        for name in M2M_FIELDS:
            snapshot[name] = sorted(getattr(organization, name).values_list("pk", flat=True))
        snapshot["contacts"] = [
            {"kind": c.kind, "value": c.value, "is_public": c.is_public}
            for c in organization.contacts.all()
        ]
        snapshot["identifiers"] = [
            {"scheme": i.scheme, "value": i.value}
            for i in organization.identifiers.order_by("scheme", "value")
        ]
    else:
        snapshot.update({name: [] for name in (*M2M_FIELDS, *LIST_FIELDS)})
    return snapshot


def _proposed(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    return {name: _json_value(name, value) for name, value in changes.items()}


def _changed_fields(organization: Organization, proposed: dict[str, Any]) -> list[str]:
    current = organization_snapshot(organization)
    return [name for name in PROFILE_FIELDS if name in proposed and proposed[name] != current[name]]


def _store_pending_logo(upload: File) -> str:
    """A logo proposed in a revision waits in storage until the review."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else "png"
    return default_storage.save(f"{PENDING_LOGOS}{uuid.uuid4().hex}.{extension}", upload)


def _discard_pending_logo(data: dict[str, Any]) -> None:
    name = data.get("logo") or ""
    if name.startswith(PENDING_LOGOS):
        default_storage.delete(name)


# --- applying a change ------------------------------------------------------------


def _apply(
    organization: Organization,
    changes: dict[str, Any],
    *,
    by: User | None,
    reason: str,
    from_json: bool = False,
    always_save: bool = False,
) -> list[str]:
    """Write the changes to the organisation (validated), with one history row
    (two for a new one: its creation, then its themes and the rest).

    ``changes`` holds model values (instances, files) or, ``from_json``, the
    JSON form a revision keeps. Many-to-many fields, contacts and identifiers
    are written with the organisation's history paused, so that the save
    afterwards records one version with everything.
    """
    changed = _changed_fields(organization, dict(changes) if from_json else _proposed(changes))
    if not changed and not always_save:
        return []
    for name in SCALAR_FIELDS:
        if name not in changed:
            continue
        value = changes[name]
        if name in FOREIGN_KEYS:
            setattr(organization, f"{name}_id" if from_json else name, value)
        elif name == "logo":
            if from_json or not value:
                organization.logo.name = value or ""
            else:
                organization.logo = value
        elif name in DECIMALS and from_json:
            setattr(organization, name, None if value is None else Decimal(value))
        else:
            setattr(organization, name, value)
    _validate(organization)
    if organization.pk is None:
        _audit(organization, by=by, reason=reason).save()
    organization.skip_history_when_saving = True
    try:
        for name in M2M_FIELDS:
            if name in changed:
                getattr(organization, name).set(changes[name])
        for name, sync in (("contacts", _sync_contacts), ("identifiers", _sync_identifiers)):
            if name in changed:
                sync(organization, changes[name], by=by, reason=reason)
    finally:
        del organization.skip_history_when_saving
    _audit(organization, by=by, reason=reason)
    organization.save()  # refreshes the search fields from the themes just set
    return changed


def _validate(organization: Organization) -> None:
    organization.full_clean(validate_unique=False)
    if organization.community_id and organization.community.municipality_id != (
        organization.municipality_id
    ):
        raise ValidationError(
            {"community": _("La comunidad no pertenece al municipio sede.")},
            code="community_elsewhere",
        )
    if (organization.latitude is None) != (organization.longitude is None):
        raise ValidationError(_("Escribe la latitud y la longitud, o ninguna de las dos."))


def _sync_contacts(
    organization: Organization, contacts: Sequence[dict], *, by: User | None, reason: str
) -> None:
    """Make the contacts exactly these, touching only the ones that change."""
    wanted = [
        {"kind": c["kind"], "value": c["value"], "is_public": bool(c.get("is_public"))}
        for c in contacts
    ]
    existing = {(c.kind, c.value): c for c in organization.contacts.all()}
    for order, item in enumerate(wanted):
        contact = existing.pop((item["kind"], item["value"]), None)
        if contact is None:
            contact = ContactPoint(organization=organization, **item, order=order)
        elif contact.is_public == item["is_public"] and contact.order == order:
            continue
        contact.is_public, contact.order = item["is_public"], order
        contact.full_clean()
        _audit(contact, by=by, reason=reason).save()
    for contact in existing.values():
        _audit(contact, by=by, reason=reason).delete()


def _sync_identifiers(
    organization: Organization, identifiers: Sequence[dict], *, by: User | None, reason: str
) -> None:
    wanted = {(i["scheme"], i["value"]) for i in identifiers}
    existing = {(i.scheme, i.value): i for i in organization.identifiers.all()}
    new = wanted - set(existing)
    if new:
        condition = Q()
        for scheme, value in new:
            condition |= Q(scheme=scheme, value=value)
        taken = Identifier.objects.filter(condition).values_list("scheme", "value").first()
        if taken:
            raise ValidationError(
                _("El identificador %(scheme)s «%(value)s» ya es de otra organización."),
                params={"scheme": taken[0], "value": taken[1]},
                code="identifier_taken",
            )
    for key in new:
        identifier = Identifier(organization=organization, scheme=key[0], value=key[1])
        identifier.full_clean(validate_unique=False)
        _audit(identifier, by=by, reason=reason).save()
    for key in set(existing) - wanted:
        _audit(existing[key], by=by, reason=reason).delete()


# --- proposing, editing, reviewing -----------------------------------------------------


@transaction.atomic
def organization_propose(
    *,
    by: User,
    changes: dict[str, Any],
    not_a_duplicate: bool = False,
) -> Organization:
    """ "Registra tu organización": anyone signed in proposes one; it waits for review.

    The proposer becomes an editor of it. Likely duplicates stop the proposal
    (``DuplicateSuspected``) until the person says it is not one.
    """
    _require(by, "directory.propose_organization")
    if not not_a_duplicate:
        matches = find_duplicates(
            name=changes.get("name", ""),
            municipality=changes.get("municipality"),
            rfc=changes.get("rfc", ""),
            cluni=changes.get("cluni", ""),
        )
        if matches:
            raise DuplicateSuspected(matches)
    organization = Organization(status=Status.PENDING, created_by=by)
    _apply(
        organization,
        changes,
        by=by,
        reason=_reason(gettext("Propuesta por %(who)s"), who=_who(by)),
    )
    membership = Membership(
        user=by, organization=organization, role=Membership.Role.LEADER, is_editor=True
    )
    membership.full_clean()
    _audit(membership, by=by, reason=gettext("Quien propone la organización la edita")).save()
    return organization


@transaction.atomic
def organization_update(
    *, organization: Organization, by: User, changes: dict[str, Any]
) -> UpdateResult:
    """An edit. A published profile changed by its editor waits as a revision;
    anything else (drafts, pending proposals, reviewers' edits) applies at once."""
    _require(by, "directory.change_organization", organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    reviewer = can_review(by, organization)
    if organization.status == Status.ARCHIVED and not reviewer:
        raise ValidationError(
            _("Esta organización está archivada: solo el equipo del programa puede editarla."),
            code="archived",
        )
    if organization.status == Status.PUBLISHED and not reviewer:
        return _propose_revision(organization, by=by, changes=changes)
    reason = (
        gettext("Editada por %(who)s") if reviewer else gettext("Editada por %(who)s (editora)")
    )
    changed = _apply(organization, changes, by=by, reason=_reason(reason, who=_who(by)))
    return UpdateResult(organization=organization, changed=changed)


def _propose_revision(
    organization: Organization, *, by: User, changes: dict[str, Any]
) -> UpdateResult:
    proposed = _proposed(changes)
    changed = _changed_fields(organization, proposed)
    # One pending revision per person and organisation: a second edit replaces it.
    revision = (
        ProfileRevision.objects.select_for_update()
        .filter(organization=organization, submitted_by=by, status=ProfileRevision.Status.PENDING)
        .first()
    )
    if not changed:
        return UpdateResult(organization=organization, changed=[], revision=revision)
    data = {name: proposed[name] for name in changed}
    if "logo" in data and changes.get("logo"):
        data["logo"] = _store_pending_logo(changes["logo"])
    if revision is None:
        revision = ProfileRevision(organization=organization, submitted_by=by)
    else:
        if revision.data.get("logo") != data.get("logo"):
            _discard_pending_logo(revision.data)
    revision.data = data
    revision.submitted_at = timezone.now()
    revision.full_clean(exclude=["submitted_by"])
    _audit(
        revision, by=by, reason=_reason(gettext("Cambios propuestos por %(who)s"), who=_who(by))
    ).save()
    return UpdateResult(organization=organization, changed=changed, revision=revision)


@transaction.atomic
def organization_submit_for_review(*, organization: Organization, by: User) -> Organization:
    """A draft goes to the review queue."""
    _require(by, "directory.change_organization", organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status != Status.DRAFT:
        raise ValidationError(_("Solo un borrador se puede enviar a revisión."), code="not_a_draft")
    organization.status = Status.PENDING
    _audit(organization, by=by, reason=gettext("Enviada a revisión"))
    organization.save(update_fields=["status"])
    return organization


@transaction.atomic
def organization_review(
    *,
    by: User,
    approve: bool,
    note: str = "",
    organization: Organization | None = None,
    revision: ProfileRevision | None = None,
) -> ProfileRevision:
    """Approve or reject a pending organisation, or a revision of a published one.

    Either way the decision is kept as a revision (for a proposal, the change
    it asked for is "published") with the reviewer and the note, so that the
    editors read why. A rejected proposal goes back to draft, to be corrected
    and sent again.
    """
    if (organization is None) == (revision is None):
        raise ValueError("Review an organisation or a revision, not both")
    note = " ".join(note.split())[:2000] if note else ""
    if not approve and not note:
        raise ValidationError(
            _("Al rechazar, explica el motivo en la nota: quien edita la leerá."),
            code="note_required",
        )
    now = timezone.now()
    if revision is not None:
        revision = ProfileRevision.objects.select_for_update().get(pk=revision.pk)
        organization = Organization.objects.select_for_update().get(pk=revision.organization_id)
        _require(by, "directory.review_organization", organization)
        if revision.status != ProfileRevision.Status.PENDING:
            raise ValidationError(_("Esta revisión ya fue atendida."), code="already_reviewed")
        if approve:
            _apply(
                organization,
                revision.data,
                by=by,
                reason=_reason(
                    gettext("Cambios de %(who)s aprobados por %(reviewer)s"),
                    who=_who(revision.submitted_by),
                    reviewer=_who(by),
                ),
                from_json=True,
            )
        else:
            _discard_pending_logo(revision.data)
    else:
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        _require(by, "directory.review_organization", organization)
        if organization.status != Status.PENDING:
            raise ValidationError(
                _("Esta organización no está en revisión."), code="already_reviewed"
            )
        organization.status = Status.PUBLISHED if approve else Status.DRAFT
        message = gettext("Publicada por %(who)s") if approve else gettext("Rechazada por %(who)s")
        _audit(organization, by=by, reason=_reason(message, who=_who(by)))
        organization.save(update_fields=["status"])
        revision = ProfileRevision(
            organization=organization,
            data={"status": Status.PUBLISHED.value},
            submitted_by=organization.created_by,
            submitted_at=organization.created_at,
        )
    revision.status = (
        ProfileRevision.Status.APPROVED if approve else ProfileRevision.Status.REJECTED
    )
    revision.reviewed_by, revision.reviewed_at, revision.review_note = by, now, note
    revision.full_clean(exclude=["submitted_by"])
    _audit(revision, by=by, reason=gettext("Revisión")).save()
    return revision


@transaction.atomic
def organization_archive(*, organization: Organization, by: User, reason: str = "") -> Organization:
    """Out of the directory, kept with its history (nothing is deleted)."""
    _require(by, "directory.review_organization", organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status == Status.ARCHIVED:
        return organization
    organization.status = Status.ARCHIVED
    _audit(
        organization,
        by=by,
        reason=_reason(gettext("Archivada por %(who)s. %(why)s"), who=_who(by), why=reason),
    )
    organization.save(update_fields=["status"])
    return organization


@transaction.atomic
def organization_contacts_set(
    *, organization: Organization, by: User, contacts: Sequence[dict]
) -> UpdateResult:
    """The contacts, public or private each; through review like any edit."""
    return organization_update(organization=organization, by=by, changes={"contacts": contacts})


@transaction.atomic
def organization_identifiers_set(
    *, organization: Organization, by: User, identifiers: Sequence[dict]
) -> UpdateResult:
    return organization_update(
        organization=organization, by=by, changes={"identifiers": identifiers}
    )


# --- memberships ------------------------------------------------------------------


def _lock(organization: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization.pk)


@transaction.atomic
def membership_add(
    *,
    organization: Organization,
    by: User,
    email: str,
    role: str = Membership.Role.MEMBER,
    position: str = "",
    is_editor: bool = False,
) -> Membership:
    """Add a person who has an account (by e-mail), or change their membership."""
    from polo.accounts.models import User

    _require(by, "directory.change_organization", organization)
    _lock(organization)
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            _(
                "No hay ninguna cuenta activa con el correo «%(email)s». Pide a esa persona "
                "que cree su cuenta en Polo y vuelve a agregarla."
            ),
            params={"email": email.strip()[:254]},
            code="no_account",
        )
    membership = Membership.objects.filter(user=user, organization=organization).first()
    if membership is None:
        membership = Membership(user=user, organization=organization)
        reason = gettext("Integrante agregado por %(who)s")
    else:
        if membership.is_editor and not is_editor:
            _check_other_editors(organization, membership)
        reason = gettext("Integración cambiada por %(who)s")
    membership.role, membership.position, membership.is_editor = role, position, is_editor
    membership.full_clean(validate_unique=False)
    _audit(membership, by=by, reason=_reason(reason, who=_who(by))).save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """Take a person out of an organisation; never its last editor."""
    organization = _lock(membership.organization)
    _require(by, "directory.change_organization", organization)
    membership = Membership.objects.get(pk=membership.pk)
    if membership.is_editor:
        _check_other_editors(organization, membership)
    _audit(membership, by=by, reason=_reason(gettext("Retirado por %(who)s"), who=_who(by)))
    membership.delete()


def _check_other_editors(organization: Organization, membership: Membership) -> None:
    others = organization.memberships.filter(is_editor=True).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            _(
                "Es la última persona que edita esta organización. Agrega antes a otra "
                "persona como editora."
            ),
            code="last_editor",
        )


def anonymize_memberships(user: User) -> None:
    """Cancellation (ARCO): the position a person held is personal; the
    membership itself stays, so that organisations' counts stay true."""
    ids = list(user.memberships.values_list("pk", flat=True))
    Membership.objects.filter(pk__in=ids).update(position="")
    personal_data.scrub_history(Membership.history, object_ids=ids, position="")


def register_personal_data() -> None:
    # The memberships' export section is the accounts app's (accounts/exports.py).
    personal_data.register_anonymizer(anonymize_memberships)


# --- networks ---------------------------------------------------------------------


def _may_change_either(by: User, *organizations: Organization) -> None:
    if not any(by.has_perm("directory.change_organization", org) for org in organizations):
        raise PermissionDenied("directory.change_organization")


@transaction.atomic
def network_membership_add(
    *, network: Organization, member: Organization, by: User, start_date: date | None = None
) -> NetworkMembership:
    """An editor of the member or of the network records the membership."""
    _may_change_either(by, network, member)
    if network.kind != Organization.Kind.NETWORK:
        raise ValidationError(
            _("«%(name)s» no está registrada como red."),
            params={"name": network.name},
            code="not_a_network",
        )
    if network.pk == member.pk:
        raise ValidationError(_("Una red no puede ser integrante de sí misma."), code="self")
    membership = (
        NetworkMembership.objects.select_for_update().filter(network=network, member=member).first()
    )
    reason = _reason(gettext("Integración en red registrada por %(who)s"), who=_who(by))
    if membership is None:
        membership = NetworkMembership(network=network, member=member, start_date=start_date)
    elif membership.end_date is None:
        raise ValidationError(
            _("«%(member)s» ya es integrante de «%(network)s»."),
            params={"member": member.name, "network": network.name},
            code="already_member",
        )
    else:  # it had left and comes back: the same row, open again
        membership.start_date, membership.end_date = start_date or timezone.localdate(), None
    membership.full_clean(validate_unique=False, validate_constraints=False)
    _audit(membership, by=by, reason=reason).save()
    return membership


@transaction.atomic
def network_membership_remove(
    *, membership: NetworkMembership, by: User, end_date: date | None = None
) -> NetworkMembership | None:
    """Leaving a network: dated when the membership had a start, so that the
    record says it was there; an undated one is simply removed."""
    membership = NetworkMembership.objects.select_for_update().get(pk=membership.pk)
    _may_change_either(by, membership.network, membership.member)
    reason = _reason(gettext("Salida de la red registrada por %(who)s"), who=_who(by))
    if membership.start_date is None:
        _audit(membership, by=by, reason=reason).delete()
        return None
    if membership.end_date is None:
        membership.end_date = max(end_date or timezone.localdate(), membership.start_date)
        _audit(membership, by=by, reason=reason).save(update_fields=["end_date"])
    return membership


# --- alliances ---------------------------------------------------------------------


def alliances_confirmed(queryset: models.QuerySet[Alliance] | None = None):
    """Alliances both sides confirmed: the only ones shown publicly.
    (Meant to become ``Alliance.objects.confirmed()``.)"""
    queryset = Alliance.objects.all() if queryset is None else queryset
    return queryset.filter(source_confirmed_at__isnull=False, target_confirmed_at__isnull=False)


def alliances_of(organization: Organization):
    return Alliance.objects.filter(Q(source=organization) | Q(target=organization))


@transaction.atomic
def alliance_declare(
    *,
    source: Organization,
    target: Organization,
    kind: str,
    by: User,
    description: str = "",
    start_date: date | None = None,
) -> Alliance:
    """An editor of ``source`` declares an alliance; it is public once ``target``
    confirms. If ``target`` had declared the same alliance, this confirms it."""
    _require(by, "directory.change_organization", source)
    if source.pk == target.pk:
        raise ValidationError(
            _("Una organización no puede aliarse consigo misma."), code="self_alliance"
        )
    if target.status != Status.PUBLISHED:
        raise ValidationError(
            _("Solo se puede declarar una alianza con una organización publicada."),
            code="target_not_published",
        )
    _lock(source)
    existing = (
        alliances_of(source)
        .filter(Q(source=target) | Q(target=target), kind=kind)
        .select_for_update()
        .first()
    )
    if existing is not None:
        ours = (
            existing.source_confirmed_at
            if existing.source_id == source.pk
            else existing.target_confirmed_at
        )
        if ours is None:  # declared by the other side, or withdrawn: confirm it
            _audit(existing, by=by, reason=gettext("Confirmada al declararla también"))
            existing.confirm(side=source)
            return existing
        raise ValidationError(_("Esa alianza ya está declarada."), code="alliance_exists")
    alliance = Alliance(
        source=source,
        target=target,
        kind=kind,
        description=description,
        start_date=start_date,
        declared_by=by,
        source_confirmed_at=timezone.now(),
    )
    alliance.full_clean()
    _audit(alliance, by=by, reason=_reason(gettext("Declarada por %(who)s"), who=_who(by))).save()
    return alliance


@transaction.atomic
def alliance_confirm(*, alliance: Alliance, side: Organization, by: User) -> Alliance:
    """The other side confirms (or the declaring side confirms again)."""
    _require(by, "directory.change_organization", side)
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    _audit(alliance, by=by, reason=_reason(gettext("Confirmada por %(who)s"), who=_who(by)))
    alliance.confirm(side=side)
    return alliance


@transaction.atomic
def alliance_withdraw(*, alliance: Alliance, side: Organization, by: User) -> Alliance | None:
    """One side takes back its confirmation; the alliance stops being public.

    Declining an alliance one never confirmed removes it, and so does
    withdrawing when the other side has not confirmed either.
    """
    _require(by, "directory.change_organization", side)
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    reason = _reason(gettext("Retirada por %(who)s"), who=_who(by))
    if side.pk == alliance.source_id:
        alliance.source_confirmed_at = None
    elif side.pk == alliance.target_id:
        if alliance.target_confirmed_at is None:
            _audit(alliance, by=by, reason=reason).delete()
            return None
        alliance.target_confirmed_at = None
    else:
        raise ValidationError(_("Esta organización no es parte de la alianza."), code="not_a_side")
    if alliance.source_confirmed_at is None and alliance.target_confirmed_at is None:
        _audit(alliance, by=by, reason=reason).delete()
        return None
    _audit(alliance, by=by, reason=reason).save(
        update_fields=["source_confirmed_at", "target_confirmed_at"]
    )
    return alliance


# --- key communities -----------------------------------------------------------------


@transaction.atomic
def key_community_set(
    *,
    community: Community,
    by: User,
    reason: str,
    languages: Iterable[Language] = (),
    organizations: Iterable[Organization] = (),
    notes: str = "",
) -> KeyCommunity:
    """Mark a community as key (A1.2), with why, its languages and who works there."""
    if not by.has_perm("directory.edit_key_community", community):
        raise PermissionDenied("directory.edit_key_community")
    why = _reason(gettext("Comunidad clave, por %(who)s"), who=_who(by))
    key = KeyCommunity.objects.select_for_update().filter(community=community).first()
    key = key or KeyCommunity(community=community)
    key.reason, key.notes = reason, notes
    key.full_clean(validate_unique=False)
    if key.pk is None:
        _audit(key, by=by, reason=why).save()
    key.skip_history_when_saving = True
    try:
        key.languages.set(list(languages))
        key.organizations.set(list(organizations))
    finally:
        del key.skip_history_when_saving
    _audit(key, by=by, reason=why).save()
    if not community.is_key:
        community.is_key = True
        _audit(community, by=by, reason=why).save(update_fields=["is_key"])
    return key


@transaction.atomic
def key_community_unset(*, community: Community, by: User) -> None:
    if not by.has_perm("directory.edit_key_community", community):
        raise PermissionDenied("directory.edit_key_community")
    why = _reason(gettext("Deja de ser comunidad clave, por %(who)s"), who=_who(by))
    for key in KeyCommunity.objects.filter(community=community):
        _audit(key, by=by, reason=why).delete()
    if community.is_key:
        community.is_key = False
        _audit(community, by=by, reason=why).save(update_fields=["is_key"])


# --- merge and revert -----------------------------------------------------------------


@transaction.atomic
def organization_merge(*, keep: Organization, drop: Organization, by: User) -> MergeSummary:
    """Two records of one organisation become one: ``drop``'s relations move to
    ``keep``, what ``keep`` lacks is copied from ``drop``, and ``drop`` is
    archived pointing at ``keep``. Both histories stay.
    """
    _require(by, "directory.merge_organization", keep)
    if keep.pk == drop.pk:
        raise ValidationError(
            _("Elige dos organizaciones distintas para fusionar."), code="same_record"
        )
    # Lock both rows, always in the same order, so that two merges cannot cross.
    locked = {o.pk: o for o in Organization.objects.select_for_update().filter(
        pk__in=[keep.pk, drop.pk]).order_by("pk")}  # fmt: skip
    keep, drop = locked[keep.pk], locked[drop.pk]
    if drop.merged_into_id or keep.merged_into_id:
        raise ValidationError(
            _("Una de las dos ya fue fusionada en otra organización."), code="already_merged"
        )
    if drop.network_members.exists() and keep.kind != Organization.Kind.NETWORK:
        raise ValidationError(
            _(
                "«%(drop)s» es una red con integrantes: la organización que se conserva "
                "también debe ser una red."
            ),
            params={"drop": drop.name},
            code="network_into_non_network",
        )
    summary = MergeSummary(keep=keep, drop=drop)
    why = _reason(
        gettext("Fusión: %(drop)s (#%(pk)s) en esta, por %(who)s"),
        drop=drop.name,
        pk=drop.pk,
        who=_who(by),
    )
    _merge_memberships(keep, drop, summary, by=by, reason=why)
    _merge_network_memberships(keep, drop, summary, by=by, reason=why)
    _merge_alliances(keep, drop, summary, by=by, reason=why)
    _merge_contacts(keep, drop, summary, by=by, reason=why)
    for identifier in drop.identifiers.all():
        identifier.organization = keep
        _audit(identifier, by=by, reason=why).save(update_fields=["organization"])
        summary.count(summary.moved, "identifiers")
    for key in KeyCommunity.objects.filter(organizations=drop):
        key.organizations.add(keep)
        key.organizations.remove(drop)
        summary.count(summary.moved, "key_communities")
    for revision in drop.revisions.all():
        revision.organization = keep
        if revision.status == ProfileRevision.Status.PENDING:
            # Its changes were written against the other record.
            _discard_pending_logo(revision.data)
            revision.status = ProfileRevision.Status.REJECTED
            revision.review_note = gettext("Organización fusionada en otra; vuelve a proponerlo.")
            revision.reviewed_by, revision.reviewed_at = by, timezone.now()
        _audit(revision, by=by, reason=why).save()
        summary.count(summary.moved, "revisions")
    summary.count(
        summary.moved, "merged_records", Organization.objects.filter(merged_into=drop).update(
            merged_into=keep)
    )  # fmt: skip
    _merge_other_relations(keep, drop, summary)

    keep.skip_history_when_saving = True
    try:
        for name in M2M_FIELDS:
            theirs = set(getattr(drop, name).values_list("pk", flat=True))
            ours = set(getattr(keep, name).values_list("pk", flat=True))
            if theirs - ours:
                getattr(keep, name).add(*(theirs - ours))
                summary.count(summary.moved, name, len(theirs - ours))
    finally:
        del keep.skip_history_when_saving
    for name in MERGE_FILLS:
        attname = f"{name}_id" if name in FOREIGN_KEYS else name
        if name == "logo":
            ours, theirs = keep.logo.name or "", drop.logo.name or ""
        else:
            ours, theirs = getattr(keep, attname), getattr(drop, attname)
        if ours not in (None, "") or theirs in (None, ""):
            continue
        if name == "community" and drop.municipality_id != keep.municipality_id:
            continue
        if name == "logo":
            keep.logo.name = theirs
        else:
            setattr(keep, attname, theirs)
        summary.filled.append(name)
    _validate(keep)
    _audit(keep, by=by, reason=why).save()

    drop.status, drop.merged_into = Status.ARCHIVED, keep
    _audit(
        drop,
        by=by,
        reason=_reason(
            gettext("Fusionada en %(keep)s (#%(pk)s) por %(who)s"),
            keep=keep.name,
            pk=keep.pk,
            who=_who(by),
        ),
    ).save(update_fields=["status", "merged_into"])
    return summary


def _merge_memberships(keep, drop, summary, *, by, reason) -> None:
    ours = {m.user_id: m for m in keep.memberships.all()}
    for membership in drop.memberships.all():
        mine = ours.get(membership.user_id)
        if mine is None:
            membership.organization = keep
            _audit(membership, by=by, reason=reason).save(update_fields=["organization"])
            summary.count(summary.moved, "memberships")
            continue
        if membership.is_editor and not mine.is_editor:
            mine.is_editor = True
            _audit(mine, by=by, reason=reason).save(update_fields=["is_editor"])
        _audit(membership, by=by, reason=reason).delete()
        summary.count(summary.skipped, "memberships")


def _merge_network_memberships(keep, drop, summary, *, by, reason) -> None:
    as_member = set(keep.network_memberships.values_list("network_id", flat=True))
    for link in drop.network_memberships.all():
        if link.network_id == keep.pk or link.network_id in as_member:
            _audit(link, by=by, reason=reason).delete()
            summary.count(summary.skipped, "network_memberships")
        else:
            link.member = keep
            _audit(link, by=by, reason=reason).save(update_fields=["member"])
            as_member.add(link.network_id)
            summary.count(summary.moved, "network_memberships")
    as_network = set(keep.network_members.values_list("member_id", flat=True))
    for link in drop.network_members.all():
        if link.member_id == keep.pk or link.member_id in as_network:
            _audit(link, by=by, reason=reason).delete()
            summary.count(summary.skipped, "network_members")
        else:
            link.network = keep
            _audit(link, by=by, reason=reason).save(update_fields=["network"])
            as_network.add(link.member_id)
            summary.count(summary.moved, "network_members")


def _merge_alliances(keep, drop, summary, *, by, reason) -> None:
    # Pairs keep already has, in either direction, by kind.
    seen = {
        (frozenset((a.source_id, a.target_id)), a.kind)
        for a in alliances_of(keep).only("source_id", "target_id", "kind")
    }
    for alliance in alliances_of(drop).order_by("pk"):
        source = keep.pk if alliance.source_id == drop.pk else alliance.source_id
        target = keep.pk if alliance.target_id == drop.pk else alliance.target_id
        pair = (frozenset((source, target)), alliance.kind)
        if source == target or pair in seen:
            _audit(alliance, by=by, reason=reason).delete()
            summary.count(summary.skipped, "alliances")
            continue
        alliance.source_id, alliance.target_id = source, target
        _audit(alliance, by=by, reason=reason).save(update_fields=["source", "target"])
        seen.add(pair)
        summary.count(summary.moved, "alliances")


def _merge_contacts(keep, drop, summary, *, by, reason) -> None:
    ours = {(c.kind, c.value.strip().casefold()) for c in keep.contacts.all()}
    order = keep.contacts.count()
    for contact in drop.contacts.all():
        if (contact.kind, contact.value.strip().casefold()) in ours:
            summary.count(summary.skipped, "contacts")
            continue
        contact.organization, contact.order = keep, order
        order += 1
        _audit(contact, by=by, reason=reason).save(update_fields=["organization", "order"])
        summary.count(summary.moved, "contacts")


# Relations handled above; any other foreign key to Organization (later
# modules: events, agreements...) is re-pointed at the record kept.
_HANDLED = {
    ("directory", "membership", "organization"),
    ("directory", "networkmembership", "network"),
    ("directory", "networkmembership", "member"),
    ("directory", "alliance", "source"),
    ("directory", "alliance", "target"),
    ("directory", "contactpoint", "organization"),
    ("directory", "identifier", "organization"),
    ("directory", "profilerevision", "organization"),
    ("directory", "organization", "merged_into"),
}


def _merge_other_relations(keep, drop, summary) -> None:
    for relation in Organization._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        model = relation.related_model
        key = (model._meta.app_label, model._meta.model_name, relation.field.name)
        if (
            key in _HANDLED
            or model._meta.app_label == "directory"
            and (model.__name__.startswith("Historical"))
        ):
            continue
        try:
            with transaction.atomic():
                moved = model._default_manager.filter(**{relation.field.name: drop}).update(
                    **{relation.field.name: keep}
                )
        except IntegrityError as error:
            raise ValidationError(
                _("No se pudieron mover los registros de %(model)s: %(error)s"),
                params={"model": model._meta.verbose_name_plural, "error": error},
                code="relation_conflict",
            ) from error
        summary.count(summary.moved, model._meta.label_lower, moved)


@transaction.atomic
def organization_revert(*, organization: Organization, history_id: int, by: User) -> Organization:
    """A coordinator restores a past version of a profile: its fields, its
    themes, populations, languages and coverage, and its contacts and
    identifiers as they were then. The restore is itself a new version."""
    _require(by, "directory.revert_organization", organization)
    organization = _lock(organization)
    record = Organization.history.filter(id=organization.pk, history_id=history_id).first()
    if record is None:
        raise ValidationError(_("Esa versión no es de esta organización."), code="bad_version")
    changes: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        attname = f"{name}_id" if name in FOREIGN_KEYS else name
        value = getattr(record, attname)
        changes[name] = _json_value(name, value)
    for name in M2M_FIELDS:
        through = getattr(record, name)  # simple-history's copy of the links then
        column = f"{getattr(Organization, name).field.m2m_reverse_field_name()}_id"
        changes[name] = sorted(through.values_list(column, flat=True))
    moment = record.history_date
    changes["contacts"] = [
        {"kind": c.kind, "value": c.value, "is_public": c.is_public}
        for c in sorted(
            ContactPoint.history.as_of(moment).filter(organization_id=organization.pk),
            key=lambda c: (c.order, c.kind, c.pk),
        )
    ]
    changes["identifiers"] = [
        {"scheme": i.scheme, "value": i.value}
        for i in Identifier.history.as_of(moment).filter(organization_id=organization.pk)
    ]
    # A community or municipality deleted since cannot come back: keep today's.
    if changes["community"] and not _exists("territory.Community", changes["community"]):
        changes["community"] = organization.community_id
    organization.status, organization.merged_into_id = record.status, record.merged_into_id
    _apply(
        organization,
        changes,
        by=by,
        reason=_reason(
            gettext("Restaurada la versión del %(date)s por %(who)s"),
            date=timezone.localtime(moment).strftime("%Y-%m-%d %H:%M"),
            who=_who(by),
        ),
        from_json=True,
        always_save=True,
    )
    return organization


def _exists(label: str, pk: int) -> bool:
    from django.apps import apps

    return apps.get_model(label).objects.filter(pk=pk).exists()
