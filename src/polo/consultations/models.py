"""Citizen consultations: questions put to an eligible population between two
dates, answered with secret ballots.

Secrecy by construction: *who* voted (``VoterRecord``) and *what* was voted
(``Ballot``) are separate tables written in one transaction, with nothing to join
them on. Both have random UUID keys (no sequence to line up), neither has a
timestamp (a voter record keeps only the day), and neither has history tables
(django-simple-history would store the time and the user of every row). Ballots
are never shown beside a person, in a page, an export or the admin.

What this does not hide: someone with direct access to the database server (its
write-ahead log, the physical order of rows in the two tables, the server's
statement log) could still line up the two inserts of one transaction. The
separation protects against the application's users, coordinators included,
not against the database's administrator.

Receipts: a voter gets a random receipt; once the result is published anyone can
check that a receipt is among the counted ballots. Whether the check also shows
the ballot's choices is the consultation's ``receipt_shows_choices``, off by
default: showing them lets a voter verify their ballot was counted as cast, but
it also lets whoever buys or coerces a vote demand the receipt as proof. Where
local bosses (caciques) or vote buying are a risk, leave it off.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from polo.meetings.models import Sector
from polo.territory.validation import check_region_or_municipality

# No 0/O, 1/I/L: receipts and codes are read aloud and copied by hand.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(value: str) -> str:
    return "".join(c for c in (value or "").upper() if c.isalnum())


class ConsultationQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=Consultation.Status.DRAFT)

    def in_region(self, region):
        return self.filter(Q(region=region) | Q(municipality__region=region))


class Consultation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SCHEDULED = "scheduled", _("Programada")
        OPEN = "open", _("Abierta")
        CLOSED = "closed", _("Cerrada")
        PUBLISHED = "published", _("Resultados publicados")

    class Eligibility(models.TextChoices):
        RESIDENTS = "residents", _("Personas que viven en el territorio (según su cuenta)")
        SECTOR = "sector", _("Un sector, en el territorio")
        MEETING = "meeting", _("Personas inscritas en un encuentro")
        LIST = "list", _("Una lista de personas")

    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    description = models.TextField(_("descripción"), blank=True)
    region = models.ForeignKey(
        "territory.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("región"),
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipio"),
        help_text=_("Si se elige un municipio, la consulta es solo de ese municipio."),
    )
    eligibility = models.CharField(
        _("quién puede votar"),
        max_length=10,
        choices=Eligibility.choices,
        default=Eligibility.RESIDENTS,
    )
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("encuentro"),
    )
    opens_at = models.DateTimeField(_("abre"))
    closes_at = models.DateTimeField(_("cierra"))
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    receipt_shows_choices = models.BooleanField(
        _("el comprobante muestra las respuestas"),
        default=False,
        help_text=_(
            "Si se activa, quien tenga un comprobante puede ver lo que se votó con él: "
            "permite a cada persona revisar su voto, pero también que alguien la obligue "
            "a mostrarlo."
        ),
    )
    result = models.JSONField(_("resultado publicado"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("publicada el"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creada por"),
    )
    history = HistoricalRecords(excluded_fields=["result"])

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("consulta ciudadana")
        verbose_name_plural = _("consultas ciudadanas")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.slug])

    def clean(self) -> None:
        check_region_or_municipality(
            self, missing=_("Elija la región o el municipio de la consulta.")
        )
        if self.eligibility == self.Eligibility.SECTOR and not self.sector:
            raise ValidationError({"sector": _("Elija el sector que puede votar.")})
        if self.eligibility == self.Eligibility.MEETING and not self.meeting_id:
            raise ValidationError({"meeting": _("Elija el encuentro cuyas personas votan.")})
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("El cierre debe ser posterior a la apertura.")})

    @property
    def territory_region_id(self) -> int | None:
        if self.municipality_id:
            return self.municipality.region_id
        return self.region_id

    @property
    def territory_name(self) -> str:
        return str(self.municipality or self.region or "")

    @property
    def current_status(self) -> str:
        """The stored status, moved on by the clock: a scheduled consultation is
        open between its dates and closed after them until its result is published."""
        if self.status in (self.Status.DRAFT, self.Status.PUBLISHED):
            return self.status
        now = timezone.now()
        if now >= self.closes_at:
            return self.Status.CLOSED
        if now >= self.opens_at:
            return self.Status.OPEN
        return self.Status.SCHEDULED

    def get_current_status_display(self) -> str:
        return self.Status(self.current_status).label

    @property
    def is_open(self) -> bool:
        return self.current_status == self.Status.OPEN

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Una opción")
        MULTIPLE = "multiple", _("Varias opciones (con máximo)")
        RANKING = "ranking", _("Ordenar por preferencia")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    text = models.CharField(_("pregunta"), max_length=300)
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    max_choices = models.PositiveSmallIntegerField(
        _("máximo de opciones"),
        default=1,
        help_text=_("Solo para varias opciones: cuántas se pueden marcar como máximo."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("pregunta")
        verbose_name_plural = _("preguntas")

    def __str__(self) -> str:
        return self.text

    @property
    def allowed(self) -> int:
        """How many options a ballot may name for this question."""
        if self.kind == self.Kind.SINGLE:
            return 1
        if self.kind == self.Kind.MULTIPLE:
            return self.max_choices
        return 10_000  # a ranking may order every option


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    text = models.CharField(_("opción"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("opción")
        verbose_name_plural = _("opciones")

    def __str__(self) -> str:
        return self.text


class EligibleVoter(models.Model):
    """A person on the list of a consultation whose eligibility is a list."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="eligible_voters"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("persona en la lista")
        verbose_name_plural = _("lista de personas que pueden votar")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="one_listing_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.consultation_id}"


class VotingCode(models.Model):
    """A one-time code issued at a physical voting table, printed on a list."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("código"), max_length=12)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("emitido por"),
    )
    issued_on = models.DateField(_("emitido el"), default=timezone.localdate)

    class Meta:
        ordering = ["code"]
        verbose_name = _("código de mesa")
        verbose_name_plural = _("códigos de mesa")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "code"], name="one_code_per_consultation"
            )
        ]

    def __str__(self) -> str:
        return self.code


class VoterRecord(models.Model):
    """That someone voted (an account or a code), never what: see Ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: one_ballot_per_person (consultation, user) starts with it.
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="voter_records", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    code = models.OneToOneField(
        VotingCode, on_delete=models.PROTECT, null=True, related_name="voter_record"
    )
    voted_on = models.DateField(_("votó el"), default=timezone.localdate)

    class Meta:
        verbose_name = _("registro de votación")
        verbose_name_plural = _("registros de votación")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="one_ballot_per_person"),
            models.CheckConstraint(
                condition=Q(user__isnull=True, code__isnull=False)
                | Q(user__isnull=False, code__isnull=True),
                name="voter_is_a_person_or_a_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.user_id or self.code_id}"


class Ballot(models.Model):
    """What was voted, with its receipt; nothing about who or when.

    ``choices`` maps each question's id (as text) to the list of option ids
    chosen (in order of preference for a ranking; empty: left blank).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="ballots")
    # Unique by a constraint, not unique=True: on PostgreSQL that would add a
    # second index (for LIKE) that every ballot pays for and no query uses.
    receipt = models.CharField(_("comprobante"), max_length=16)
    choices = models.JSONField(_("respuestas"))

    class Meta:
        verbose_name = _("boleta")
        verbose_name_plural = _("boletas")
        constraints = [models.UniqueConstraint(fields=["receipt"], name="one_ballot_per_receipt")]

    def __str__(self) -> str:
        return self.receipt


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only")

    def delete(self):
        raise TypeError("The audit log is append-only")


class AuditLog(models.Model):
    """Every administrative action on a consultation. Append-only: rows are
    never changed or deleted (save refuses an update, delete refuses)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Creó la consulta")
        EDITED = "edited", _("Editó la consulta")
        QUESTION_ADDED = "question_added", _("Añadió una pregunta")
        QUESTION_REMOVED = "question_removed", _("Quitó una pregunta")
        SCHEDULED = "scheduled", _("Programó la consulta")
        CODES_ISSUED = "codes_issued", _("Emitió códigos de mesa")
        PUBLISHED = "published", _("Publicó el resultado")
        RECOUNTED = "recounted", _("Volvió a contar las boletas")
        ADMIN_CHANGED = "admin_changed", _("Cambió la consulta en la administración")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="audit_log"
    )
    at = models.DateTimeField(_("fecha"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quién"),
    )
    action = models.CharField(_("acción"), max_length=20, choices=Action.choices)
    detail = models.JSONField(_("detalle"), default=dict, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("entrada de la bitácora")
        verbose_name_plural = _("bitácora de la consulta")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only")
