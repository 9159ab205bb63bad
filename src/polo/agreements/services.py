"""Writes on agreements: saving one with its signed document, its parties and
commitments, the life of an update (posted, then confirmed or disputed), the
reminders, and the personal-data export.

Refusals a person can act on are ``AgreementError`` with a translated message.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from polo.accounts.models import User
from polo.agreements.models import (
    Agreement,
    Commitment,
    CommitmentUpdate,
    Party,
    Reminder,
    Signatory,
)
from polo.agreements.rules import reviewing_party
from polo.meetings.models import MeetingAgreement

RESERVED_SLUGS = {"nuevo", "region", "autoridad", "compromisos", "avances"}


class AgreementError(Exception):
    """A refusal with a message for the person (already translated)."""


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:70] or "convenio"
    if base in RESERVED_SLUGS:
        base = f"{base}-convenio"
    taken = set(
        Agreement.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def agreement_save(
    *, agreement: Agreement, by: User, document: UploadedFile | None = None, m2m=None
) -> Agreement:
    """Create or change an agreement; ``m2m`` saves the form's many-to-many fields."""
    if not agreement.slug:
        agreement.slug = unique_slug(agreement.title)
    if agreement.pk is None:
        agreement.created_by = by
    if document is not None:
        document.name = "convenio.pdf"
        agreement.document = document
        agreement.document_size = document.size
    agreement.full_clean()
    agreement.save()
    if m2m is not None:
        m2m()
    return agreement


@transaction.atomic
def party_add(*, agreement: Agreement, organization, role: str) -> Party:
    party = Party(agreement=agreement, organization=organization, role=role)
    party.full_clean()
    party.save()
    return party


@transaction.atomic
def signatory_add(*, party: Party, name: str, post: str) -> Signatory:
    signatory = Signatory(party=party, name=name, post=post)
    signatory.full_clean()
    signatory.save()
    return signatory


@transaction.atomic
def commitment_save(*, commitment: Commitment) -> Commitment:
    if commitment.responsible.agreement_id != commitment.agreement_id:
        raise AgreementError(_("La parte responsable no es parte de este convenio."))
    commitment.full_clean()
    commitment.save()
    return commitment


def _unconverted(meeting_agreement: MeetingAgreement) -> MeetingAgreement:
    """The meeting's agreement, locked, or a refusal if it is a commitment
    already (of two submissions at once, the second waits and is refused)."""
    locked = MeetingAgreement.objects.select_for_update().get(pk=meeting_agreement.pk)
    if locked.commitment_id is not None:
        raise AgreementError(_("Este acuerdo del encuentro ya es un compromiso de un convenio."))
    return locked


@transaction.atomic
def commitment_from_meeting(
    *,
    meeting_agreement: MeetingAgreement,
    responsible: Party,
    text: str,
    due_on: datetime.date,
    indicator: str,
    by: User,
) -> Commitment:
    """An agreement reached at a meeting becomes a commitment of an existing
    agreement (convenio) that one of the meeting's organisers is party to, with
    the link both ways. ``responsible`` is a party of that agreement."""
    locked = _unconverted(meeting_agreement)
    agreement = responsible.agreement
    if agreement.status not in (Agreement.Status.DRAFT, Agreement.Status.SIGNED):
        raise AgreementError(_("El convenio ya no está en vigor: no recibe compromisos nuevos."))
    organizers = locked.meeting.organizers.values("pk")
    if not agreement.parties.filter(organization__in=organizers).exists():
        raise AgreementError(
            _("Ninguna organización convocante del encuentro es parte de ese convenio.")
        )
    position = agreement.commitments.count() + 1
    commitment = commitment_save(
        commitment=Commitment(
            agreement=agreement,
            responsible=responsible,
            text=text,
            due_on=due_on,
            indicator=indicator,
            position=position,
        )
    )
    locked.commitment = commitment
    locked.save(update_fields=["commitment"])
    return commitment


@transaction.atomic
def agreement_draft_from_meeting(
    *,
    meeting_agreement: MeetingAgreement,
    title: str,
    kind: str,
    responsible_organization,
    text: str,
    due_on: datetime.date,
    indicator: str,
    by: User,
) -> Commitment:
    """A new draft agreement starts from an agreement reached at a meeting: the
    meeting's organisers are its parties (the responsible one among them), the
    region is the meeting's, and its first commitment is the meeting's agreement.
    Those who manage agreements of the region complete and sign it."""
    locked = _unconverted(meeting_agreement)
    meeting = locked.meeting
    organizers = list(meeting.organizers.order_by("pk"))
    if responsible_organization not in organizers:
        raise AgreementError(_("La parte responsable debe ser una organización convocante."))
    region_id = meeting.municipality.region_id if meeting.municipality_id else None
    if region_id is None:
        raise AgreementError(
            _(
                "El encuentro no tiene un municipio de una región del programa: "
                "no se sabe de qué región sería el convenio."
            )
        )
    agreement = agreement_save(
        agreement=Agreement(
            title=title,
            kind=kind,
            status=Agreement.Status.DRAFT,
            region_id=region_id,
            description=_("Surge del encuentro «%(meeting)s».") % {"meeting": meeting.title},
        ),
        by=by,
    )
    agreement.municipalities.add(meeting.municipality)
    parties = {
        organization.pk: Party.objects.create(agreement=agreement, organization=organization)
        for organization in organizers
    }
    commitment = commitment_save(
        commitment=Commitment(
            agreement=agreement,
            responsible=parties[responsible_organization.pk],
            text=text,
            due_on=due_on,
            indicator=indicator,
            position=1,
        )
    )
    locked.commitment = commitment
    locked.save(update_fields=["commitment"])
    return commitment


@dataclass
class Evidence:
    note: str
    link: str = ""
    file: UploadedFile | None = None
    file_extension: str = ""


@transaction.atomic
def update_post(
    *, commitment: Commitment, by: User, status: str, evidence: Evidence
) -> CommitmentUpdate:
    """The responsible party reports progress. Its editor enters it, or programme
    staff on its behalf (recorded as such); the status moves when another party
    confirms it."""
    if not commitment.agreement.is_in_force:
        raise AgreementError(
            _("Solo se informan avances de compromisos de convenios firmados y en vigor.")
        )
    if not evidence.note.strip():
        raise AgreementError(_("Escriba una nota que explique el avance."))
    on_behalf = not by.memberships.filter(
        organization_id=commitment.responsible.organization_id, is_editor=True
    ).exists()
    update = CommitmentUpdate(
        commitment=commitment,
        party=commitment.responsible,
        status=status,
        note=evidence.note.strip(),
        link=evidence.link,
        entered_by=by,
        on_behalf=on_behalf,
    )
    if evidence.file is not None:
        evidence.file.name = f"evidencia.{evidence.file_extension or 'pdf'}"
        update.file = evidence.file
        update.file_size = evidence.file.size
    update.full_clean()
    update.save()
    return update


def review_refusal(by: User, update: CommitmentUpdate) -> str:
    """Why ``by`` may not confirm or dispute ``update`` (for the 403 page)."""
    if update.entered_by_id is not None and update.entered_by_id == by.pk:
        return _("No puede confirmar ni impugnar un avance que usted mismo capturó.")
    if (
        by.is_authenticated
        and by.memberships.filter(
            organization_id=update.party.organization_id, is_editor=True
        ).exists()
    ):
        return _(
            "Usted es editora o editor de la parte que informa este avance: debe confirmarlo "
            "o impugnarlo otra parte firmante del convenio."
        )
    return _(
        "Solo una persona editora de otra parte firmante del convenio (no testigo ni "
        "acompañamiento técnico) puede confirmar o impugnar este avance."
    )


def _reviewing_party(update: CommitmentUpdate, by: User) -> Party:
    if not update.commitment.agreement.is_in_force:
        raise AgreementError(
            _(
                "Solo se confirman o impugnan avances de compromisos de convenios firmados "
                "y en vigor."
            )
        )
    party = reviewing_party(by, update)
    if party is None:
        raise AgreementError(review_refusal(by, update))
    return party


def _locked_pending(update: CommitmentUpdate) -> CommitmentUpdate:
    locked = CommitmentUpdate.objects.select_for_update().get(pk=update.pk)
    if locked.review != CommitmentUpdate.Review.PENDING:
        raise AgreementError(_("Este avance ya fue revisado."))
    return locked


@transaction.atomic
def update_confirm(*, update: CommitmentUpdate, by: User) -> CommitmentUpdate:
    party = _reviewing_party(update, by)
    update = _locked_pending(update)
    update.review = CommitmentUpdate.Review.CONFIRMED
    update.reviewed_party = party
    update.reviewed_by = by
    update.reviewed_at = timezone.now()
    update.save()
    # A late confirmation of an older update does not undo a newer confirmed one.
    later = Q(created_at__gt=update.created_at) | Q(created_at=update.created_at, pk__gt=update.pk)
    newer = CommitmentUpdate.objects.filter(
        later, commitment_id=update.commitment_id, review=CommitmentUpdate.Review.CONFIRMED
    )
    if not newer.exists():
        Commitment.objects.select_for_update().get(pk=update.commitment_id).apply(update)
    return update


@transaction.atomic
def update_dispute(*, update: CommitmentUpdate, by: User, reason: str) -> CommitmentUpdate:
    if not reason.strip():
        raise AgreementError(_("Explique por qué impugna este avance."))
    party = _reviewing_party(update, by)
    update = _locked_pending(update)
    update.review = CommitmentUpdate.Review.DISPUTED
    update.dispute_reason = reason.strip()
    update.reviewed_party = party
    update.reviewed_by = by
    update.reviewed_at = timezone.now()
    update.save()
    return update


# --- reminders ---------------------------------------------------------------------------


def _editor_addresses(agreement: Agreement) -> list[str]:
    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                memberships__is_editor=True,
                memberships__organization__agreement_parties__agreement=agreement,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def send_reminders(*, today: datetime.date | None = None, days: int | None = None) -> int:
    """E-mail the parties' editors about commitments due within ``days`` (the
    setting ``POLO_AGREEMENTS_REMIND_DAYS`` by default) or overdue: once per
    commitment, threshold and due date. Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    days = settings.POLO_AGREEMENTS_REMIND_DAYS if days is None else days
    open_commitments = Commitment.objects.filter(
        agreement__status=Agreement.Status.SIGNED, status__in=("pending", "in_progress")
    ).select_related("agreement", "responsible__organization")
    due = [
        (c, Reminder.Threshold.OVERDUE if c.due_on < today else Reminder.Threshold.DUE_SOON)
        for c in open_commitments.filter(due_on__lte=today + datetime.timedelta(days=days))
    ]
    sent = 0
    site = settings.SITE_URL.rstrip("/")
    for commitment, threshold in due:
        # Claim first: the unique constraint lets one run (or worker) send it.
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    commitment=commitment, threshold=threshold, due_on=commitment.due_on
                )
        except IntegrityError:
            continue
        addresses = _editor_addresses(commitment.agreement)
        if threshold == Reminder.Threshold.OVERDUE:
            subject = _("Compromiso vencido: %(title)s")
        else:
            subject = _("Compromiso por vencer: %(title)s")
        subject = subject % {"title": commitment.agreement.title}
        body = render_to_string(
            "agreements/email/reminder.txt",
            {
                "commitment": commitment,
                "overdue": threshold == Reminder.Threshold.OVERDUE,
                "site_url": site,
            },
        )
        for address in addresses:
            EmailMessage(subject=subject, body=body, to=[address]).send()
            sent += 1
        reminder.recipients = len(addresses)
        reminder.save(update_fields=["recipients"])
    return sent


# --- personal data -------------------------------------------------------------------------


def export_updates(user: User) -> list[dict]:
    """What the person entered or reviewed on commitments (the statements are
    their organisations'; who entered them is the person's)."""
    rows = CommitmentUpdate.objects.filter(Q(entered_by=user) | Q(reviewed_by=user)).values(
        "commitment__agreement__title",
        "commitment__text",
        "status",
        "created_at",
        "entered_by",
        "reviewed_by",
        "review",
        "reviewed_at",
    )
    return [
        {
            "agreement": row["commitment__agreement__title"],
            "commitment": row["commitment__text"],
            "status": row["status"],
            "reported_at": row["created_at"],
            "entered_by_me": row["entered_by"] == user.pk,
            "reviewed_by_me": row["reviewed_by"] == user.pk,
            "review": row["review"],
            "reviewed_at": row["reviewed_at"],
        }
        for row in rows
    ]


def register_personal_data() -> None:
    from polo.accounts import personal_data

    personal_data.register("agreements", export_updates)
