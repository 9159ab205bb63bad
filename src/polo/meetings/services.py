"""Writes that span the meetings' models: registration (with its waiting list),
attendance, the write-up after the meeting, e-mails, and the registries other
apps read (personal data, indicator metrics).

No overbooking: a registration locks the meeting's row (``select_for_update``)
before counting the confirmed places, so two people asking for the last place
at the same moment get one place and one waiting-list entry. SQLite has no row
locks, but it lets one writer at a time, which serialises the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from polo.accounts.models import PrivacyNotice, User
from polo.meetings import ical
from polo.meetings.models import (
    Evaluation,
    Meeting,
    MeetingAgreement,
    Person,
    Registration,
    normalise_name,
)

CHECKIN_SALT = "polo.meetings.checkin"


class MeetingError(Exception):
    """A refusal with a message for the person (already translated)."""


@dataclass
class PersonData:
    full_name: str
    sex: str
    age_band: str
    sector: str
    municipality: Any = None
    birth_year: int | None = None
    organization: Any = None
    organization_name: str = ""
    indigenous: bool | None = None
    language: str = ""


# --- people -------------------------------------------------------------------------------


def person_for(*, data: PersonData, user: User | None = None) -> Person:
    """The Person for an account, or the one with the same normalised name,
    municipality and birth year, or a new one. Their details are brought up to date."""
    person = None
    if user is not None:
        person = Person.objects.filter(user=user).first()
    if person is None:
        key = normalise_name(data.full_name)
        candidates = Person.objects.filter(
            name_key=key, municipality=data.municipality, birth_year=data.birth_year
        )
        if user is not None:
            candidates = candidates.filter(user__isnull=True)
        person = candidates.order_by("pk").first() if data.birth_year or user is None else None
    if person is None:
        person = Person(user=user)
    for name in (
        "full_name",
        "sex",
        "age_band",
        "sector",
        "municipality",
        "birth_year",
        "organization",
        "organization_name",
        "indigenous",
        "language",
    ):
        value = getattr(data, name)
        if value not in (None, "") or name in ("full_name", "sex", "age_band", "sector"):
            setattr(person, name, value)
    if user is not None and person.user_id is None:
        person.user = user
    person.full_clean(exclude=["user", "name_key"])
    person.save()
    return person


# --- meetings -----------------------------------------------------------------------------


def meeting_save(*, form, by: User) -> Meeting:
    """Save a meeting from its form, with its agenda (one point per line)."""
    from polo.meetings.models import AgendaItem

    with transaction.atomic():
        meeting = form.save(commit=False)
        if meeting.pk is None:
            meeting.created_by = by
        meeting.save()
        form.save_m2m()
        lines = form.agenda_lines()
        current = [item.text for item in meeting.agenda.all()]
        if lines != current:
            meeting.agenda.all().delete()
            AgendaItem.objects.bulk_create(
                [AgendaItem(meeting=meeting, position=i, text=t) for i, t in enumerate(lines, 1)]
            )
    return meeting


# --- registration -------------------------------------------------------------------------


def _current_notice() -> PrivacyNotice:
    notice = PrivacyNotice.current()
    if notice is None:
        raise MeetingError(
            _("No hay un aviso de privacidad vigente: no se pueden tomar inscripciones.")
        )
    return notice


def registration_create(
    *,
    meeting: Meeting,
    data: PersonData,
    user: User | None,
    by: User,
    consent: bool,
    needs_interpretation: bool = False,
    interpretation_language: str = "",
    accessibility_needs: str = "",
    allow_closed: bool = False,
) -> Registration:
    """Register a person: a place if one is free, else the waiting list.

    ``user`` is the account registering itself (``by`` is the same person) or
    None when a facilitator registers someone without an account.
    """
    if not consent:
        raise MeetingError(_("Hace falta aceptar el aviso de privacidad para inscribirse."))
    notice = _current_notice()
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not allow_closed and not locked.accepts_registrations:
            raise MeetingError(_("Este encuentro no recibe inscripciones."))
        person = person_for(data=data, user=user)
        existing = Registration.objects.filter(meeting=locked, person=person).first()
        if existing is not None and existing.status != Registration.Status.CANCELLED:
            raise MeetingError(
                _("%(name)s ya está inscrita en este encuentro (%(status)s).")
                % {"name": person.full_name, "status": existing.get_status_display()}
            )
        confirmed = locked.registrations.confirmed().count()
        full = locked.capacity is not None and confirmed >= locked.capacity
        status = Registration.Status.WAITING if full else Registration.Status.CONFIRMED
        registration = existing or Registration(meeting=locked, person=person)
        registration.status = status
        registration.needs_interpretation = needs_interpretation
        registration.interpretation_language = interpretation_language
        registration.accessibility_needs = accessibility_needs
        registration.privacy_notice = notice
        registration.consented_at = timezone.now()
        registration.registered_by = by
        registration.created_at = timezone.now()
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise MeetingError(_("Esta persona ya está inscrita en este encuentro.")) from None
    transaction.on_commit(lambda: send_confirmation(registration))
    return registration


def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel a place; the first on the waiting list takes it. Returns the promoted one."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        registration.refresh_from_db()
        if registration.status == Registration.Status.CANCELLED:
            return None
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status"])
        promoted = _promote_waiting(meeting)
    if promoted is not None:
        transaction.on_commit(lambda: send_confirmation(promoted))
    return promoted


def _promote_waiting(meeting: Meeting) -> Registration | None:
    confirmed = meeting.registrations.confirmed().count()
    if meeting.capacity is not None and confirmed >= meeting.capacity:
        return None
    first = (
        meeting.registrations.filter(status=Registration.Status.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if first is not None:
        first.status = Registration.Status.CONFIRMED
        first.save(update_fields=["status"])
    return first


# --- attendance ---------------------------------------------------------------------------


def attendance_mark(
    *, meeting: Meeting, registration_id: int, by: User, attended: bool = True
) -> Registration:
    """Mark (or unmark) one registration of this meeting as attended. Idempotent:
    marking twice keeps the first time."""
    registration = Registration.objects.select_related("person").filter(pk=registration_id).first()
    if registration is None or registration.meeting_id != meeting.pk:
        raise MeetingError(_("Esa persona no está inscrita en este encuentro."))
    if registration.status == Registration.Status.CANCELLED:
        raise MeetingError(_("Esa inscripción fue cancelada."))
    if attended and registration.attended_at is None:
        registration.attended_at = timezone.now()
        registration.checked_in_by = by
        if registration.status == Registration.Status.WAITING:
            # Came from the waiting list and was let in: counts as a place.
            registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["attended_at", "checked_in_by", "status"])
    elif not attended and registration.attended_at is not None:
        registration.attended_at = None
        registration.checked_in_by = None
        registration.save(update_fields=["attended_at", "checked_in_by"])
    return registration


def walk_in_add(*, meeting: Meeting, data: PersonData, by: User) -> Registration:
    """Someone who came without registering: registered and attended at once.
    Attendance is not bounded by the capacity (they are in the room)."""
    notice = _current_notice()
    with transaction.atomic():
        person = person_for(data=data, user=None)
        registration, created = Registration.objects.get_or_create(
            meeting=meeting,
            person=person,
            defaults={
                "status": Registration.Status.CONFIRMED,
                "privacy_notice": notice,
                "registered_by": by,
                "walk_in": True,
                "attended_at": timezone.now(),
                "checked_in_by": by,
            },
        )
        if not created:
            if registration.status == Registration.Status.CANCELLED:
                registration.status = Registration.Status.CONFIRMED
                registration.save(update_fields=["status"])
            attendance_mark(meeting=meeting, registration_id=registration.pk, by=by)
            registration.refresh_from_db()
    return registration


def checkin_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk, "m": registration.meeting_id}, salt=CHECKIN_SALT)


def checkin_url(registration: Registration) -> str:
    from django.urls import reverse

    path = reverse("meetings:checkin_qr", args=[checkin_token(registration)])
    return settings.SITE_URL.rstrip("/") + path


def qr_png(registration: Registration) -> bytes:
    """The registration's check-in QR code as a PNG (for e-mail: SVG shows badly there)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(checkin_url(registration), error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def registration_from_token(token: str) -> Registration:
    try:
        payload = signing.loads(token, salt=CHECKIN_SALT)
    except signing.BadSignature:
        raise MeetingError(_("El código QR no es válido.")) from None
    registration = (
        Registration.objects.select_related("meeting__municipality", "person")
        .filter(pk=payload.get("r"), meeting_id=payload.get("m"))
        .first()
    )
    if registration is None:
        raise MeetingError(_("El código QR no corresponde a ninguna inscripción."))
    return registration


# --- after the meeting --------------------------------------------------------------------


def evaluation_submit(
    *, registration: Registration, usefulness: int, organisation: int, comments: str
) -> Evaluation:
    if not registration.attended:
        raise MeetingError(_("Solo quienes asistieron pueden evaluar el encuentro."))
    evaluation = Evaluation(
        registration=registration,
        usefulness=usefulness,
        organisation=organisation,
        comments=comments,
    )
    evaluation.full_clean(exclude=["registration"])
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        raise MeetingError(_("Ya evaluaste este encuentro.")) from None
    return evaluation


def agreement_add(*, meeting: Meeting, text: str, responsible: str, due_date) -> MeetingAgreement:
    position = meeting.agreements.count() + 1
    agreement = MeetingAgreement(
        meeting=meeting, text=text, responsible=responsible, due_date=due_date, position=position
    )
    agreement.full_clean()
    agreement.save()
    return agreement


# --- e-mail -------------------------------------------------------------------------------


def _email_for(registration: Registration) -> str | None:
    user = registration.person.user
    if user is None or not user.is_active or not user.email:
        return None
    return user.email


def _send(registration: Registration, *, subject: str, template: str) -> bool:
    address = _email_for(registration)
    if address is None:
        return False
    meeting = registration.meeting
    context = {
        "registration": registration,
        "meeting": meeting,
        "site_url": settings.SITE_URL.rstrip("/"),
        "checkin_token": checkin_token(registration),
    }
    body = render_to_string(f"meetings/email/{template}.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[address])
    message.attach(f"encuentro-{meeting.pk}.ics", ical.calendar_for([meeting]), "text/calendar")
    if registration.status == Registration.Status.CONFIRMED:
        message.attach("codigo-qr-asistencia.png", qr_png(registration), "image/png")
    message.send()
    return True


def send_confirmation(registration: Registration) -> bool:
    registration = Registration.objects.select_related("meeting__municipality", "person__user").get(
        pk=registration.pk
    )
    if registration.status == Registration.Status.WAITING:
        subject = _("En lista de espera: %(title)s") % {"title": registration.meeting.title}
    else:
        subject = _("Inscripción confirmada: %(title)s") % {"title": registration.meeting.title}
    return _send(registration, subject=subject, template="confirmation")


def send_reminders(*, now=None, ahead: timedelta = timedelta(hours=48)) -> int:
    """Remind confirmed people of meetings starting within ``ahead``; once each."""
    now = now or timezone.now()
    due = Registration.objects.select_related("meeting__municipality", "person__user").filter(
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        meeting__status=Meeting.Status.PUBLISHED,
        meeting__start__gt=now,
        meeting__start__lte=now + ahead,
        person__user__isnull=False,
    )
    sent = 0
    for registration in due:
        # Claim the row first, so that two workers never remind twice.
        claimed = Registration.objects.filter(
            pk=registration.pk, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now)
        if not claimed:
            continue
        subject = _("Recordatorio: %(title)s") % {"title": registration.meeting.title}
        if _send(registration, subject=subject, template="reminder"):
            sent += 1
    return sent


# --- registries read by other apps --------------------------------------------------------


def export_registrations(user: User) -> list[dict]:
    person = Person.objects.filter(user=user).first()
    if person is None:
        return []
    return [
        {
            "meeting": r.meeting.title,
            "start": r.meeting.start,
            "status": r.status,
            "attended": r.attended,
            "name": person.full_name,
            "sex": person.sex,
            "age_band": person.age_band,
            "sector": person.sector,
            "organization": person.organization_label,
            "municipality": person.municipality.code if person.municipality_id else None,
            "indigenous": person.indigenous,
            "language": person.language,
            "needs_interpretation": r.needs_interpretation,
            "accessibility_needs": r.accessibility_needs,
        }
        for r in person.registrations.select_related("meeting").order_by("meeting__start")
    ]


ANONYMIZED_PERSON = "Persona anonimizada"


def anonymize_registrations(user: User) -> None:
    """Keep the rows the figures count (sex, age band, sector...), drop the name
    and what could single the person out."""
    from polo.accounts.personal_data import scrub_history

    people = list(Person.objects.filter(user=user).values_list("pk", flat=True))
    if not people:
        return
    Person.objects.filter(pk__in=people).update(
        full_name=ANONYMIZED_PERSON,
        name_key="",
        birth_year=None,
        organization_name="",
        user=None,
    )
    scrub_history(
        Person.history,
        object_ids=people,
        full_name=ANONYMIZED_PERSON,
        birth_year=None,
        organization_name="",
    )
    registrations = list(
        Registration.objects.filter(person_id__in=people).values_list("pk", flat=True)
    )
    Registration.objects.filter(pk__in=registrations).update(
        accessibility_needs="", interpretation_language=""
    )
    scrub_history(
        Registration.history,
        object_ids=registrations,
        accessibility_needs="",
        interpretation_language="",
    )
    Evaluation.objects.filter(registration_id__in=registrations).update(comments="")


def register_personal_data() -> None:
    from polo.accounts import personal_data

    personal_data.register("meetings", export_registrations)
    personal_data.register_anonymizer(anonymize_registrations)


def register_indicator_metrics() -> None:
    try:
        from polo.indicators import sources
    except ImportError:  # the indicators app is optional for this one
        return
    from django.utils.translation import gettext_lazy

    from polo.meetings.models import AgeBand, Sector, Sex

    def attendances():
        return Registration.objects.attended().filter(meeting__status=Meeting.Status.PUBLISHED)

    sources.register(
        sources.CountMetric(
            key="meetings.attendances",
            label=gettext_lazy("Asistencias a encuentros"),
            description=gettext_lazy(
                "Asistencias registradas a foros, grupos focales y encuentros, "
                "por municipio del encuentro."
            ),
            extra_breakdowns={
                "sex": gettext_lazy("Sexo"),
                "age_band": gettext_lazy("Edad"),
                "sector": gettext_lazy("Sector"),
                "meeting_kind": gettext_lazy("Tipo de encuentro"),
            },
            queryset=attendances,
            municipality_field="meeting__municipality",
            breakdowns={
                "sex": "person__sex",
                "age_band": "person__age_band",
                "sector": "person__sector",
                "meeting_kind": "meeting__kind",
            },
            choices={
                "sex": lambda: {k: str(v) for k, v in Sex.choices},
                "age_band": lambda: {k: str(v) for k, v in AgeBand.choices},
                "sector": lambda: {k: str(v) for k, v in Sector.choices},
                "meeting_kind": lambda: {k: str(v) for k, v in Meeting.Kind.choices},
            },
            suppress=True,
        )
    )
    sources.register(
        sources.CountMetric(
            key="meetings.held",
            label=gettext_lazy("Encuentros realizados"),
            queryset=lambda: Meeting.objects.filter(
                status=Meeting.Status.PUBLISHED, end__lt=timezone.now()
            ),
            extra_breakdowns={"meeting_kind": gettext_lazy("Tipo de encuentro")},
            breakdowns={"meeting_kind": "kind"},
            choices={"meeting_kind": lambda: {k: str(v) for k, v in Meeting.Kind.choices}},
        )
    )
