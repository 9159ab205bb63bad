"""Meetings (forums, focus groups, network meetings...), who registered, who came,
and what came out of them (minutes, agreements, files, evaluations).

People without an account are ``Person`` rows too, so that "unique people" can
be counted across meetings: a person is found again by their account, else by
their normalised name + municipality + birth year (see ``Person.name_key`` and
``services.person_for``).
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def normalise_name(name: str) -> str:
    """Lower case, no accents, single spaces: "  José  Pérez" -> "jose perez"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


class MeetingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=[Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED])

    def in_region(self, region):
        return self.filter(municipality__region=region)

    def upcoming(self):
        return self.filter(end__gte=timezone.now())


class Meeting(models.Model):
    class Kind(models.TextChoices):
        FOCUS_GROUP = "focus_group", _("Grupo focal")
        FORUM = "forum", _("Foro")
        WORKSHOP = "workshop", _("Taller")
        NETWORK_MEETING = "network_meeting", _("Encuentro de redes")
        EXCHANGE_FORUM = "exchange_forum", _("Foro de intercambio")
        OPEN_MEETING = "open_meeting", _("Reunión abierta")
        TRAINING = "training", _("Sesión de formación")

    class Registration(models.TextChoices):
        OPEN = "open", _("Inscripción abierta")
        INVITATION = "invitation", _("Por invitación")
        CLOSED = "closed", _("Inscripción cerrada")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        PUBLISHED = "published", _("Publicado")
        CANCELLED = "cancelled", _("Cancelado")

    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    start = models.DateTimeField(_("inicio"), db_index=True)
    end = models.DateTimeField(_("fin"))
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("municipio"),
    )
    community = models.ForeignKey(
        "territory.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("localidad"),
    )
    address = models.CharField(_("dirección o lugar"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitud"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitud"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    online_url = models.URLField(_("enlace para conectarse"), blank=True)
    organizers = models.ManyToManyField(
        "directory.Organization",
        blank=True,
        related_name="meetings",
        verbose_name=_("organizaciones convocantes"),
    )
    themes = models.ManyToManyField(
        "directory.Theme", blank=True, related_name="meetings", verbose_name=_("temas")
    )
    capacity = models.PositiveIntegerField(
        _("cupo"), null=True, blank=True, help_text=_("Vacío: sin límite.")
    )
    registration = models.CharField(
        _("inscripción"), max_length=12, choices=Registration.choices, default=Registration.OPEN
    )
    status = models.CharField(
        _("estado"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    minutes = models.TextField(_("relatoría"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creado por"),
    )
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado el"), auto_now=True)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("encuentro")
        verbose_name_plural = _("encuentros")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="meeting_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="meeting_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", args=[self.pk])

    @property
    def region(self):
        return self.municipality.region if self.municipality_id else None

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.CANCELLED)

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def accepts_registrations(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.registration == self.Registration.OPEN
            and not self.is_past
        )


class AgendaItem(models.Model):
    """One point of the order of the day."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    time = models.TimeField(_("hora"), null=True, blank=True)
    text = models.CharField(_("punto"), max_length=255)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("punto del orden del día")
        verbose_name_plural = _("orden del día")

    def __str__(self) -> str:
        return self.text


class Sex(models.TextChoices):
    WOMAN = "woman", _("Mujer")
    MAN = "man", _("Hombre")
    OTHER = "other", _("Otra identidad")
    UNSAID = "unsaid", _("Prefiere no decir")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Menos de 18")
    YOUNG = "18-29", _("18 a 29")
    ADULT = "30-44", _("30 a 44")
    MIDDLE = "45-59", _("45 a 59")
    ELDER = "60+", _("60 o más")


class Sector(models.TextChoices):
    CSO = "cso", _("Organización de la sociedad civil")
    COLLECTIVE = "collective", _("Colectivo")
    LOCAL_AUTHORITY = "local_authority", _("Autoridad local")
    ACADEMIA = "academia", _("Academia")
    STUDENT = "student", _("Estudiante")
    COMMUNITY = "community", _("Comunidad")
    OTHER = "other", _("Otro")


class Person(models.Model):
    """Someone who registered for or attended a meeting, with or without an account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_person",
        verbose_name=_("cuenta"),
    )
    full_name = models.CharField(_("nombre"), max_length=150)
    name_key = models.CharField(max_length=150, db_index=True, editable=False)
    sex = models.CharField(_("sexo"), max_length=8, choices=Sex.choices)
    age_band = models.CharField(_("edad"), max_length=6, choices=AgeBand.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("año de nacimiento"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organización (del directorio)"),
    )
    organization_name = models.CharField(_("organización (texto)"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipio"),
    )
    indigenous = models.BooleanField(_("se reconoce indígena"), null=True, blank=True)
    language = models.CharField(_("lengua indígena"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name", "pk"]
        verbose_name = _("persona participante")
        verbose_name_plural = _("personas participantes")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_key = normalise_name(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def organization_label(self) -> str:
        return self.organization.name if self.organization_id else self.organization_name


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def attended(self):
        return self.filter(attended_at__isnull=False)


class Registration(models.Model):
    """A person's place at a meeting (or on its waiting list), and their attendance."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Inscrita")
        WAITING = "waiting", _("En lista de espera")
        CANCELLED = "cancelled", _("Cancelada")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    needs_interpretation = models.BooleanField(_("necesita interpretación"), default=False)
    interpretation_language = models.CharField(
        _("lengua de interpretación"), max_length=80, blank=True
    )
    accessibility_needs = models.CharField(
        _("necesidades de accesibilidad"), max_length=255, blank=True
    )
    privacy_notice = models.ForeignKey(
        "accounts.PrivacyNotice",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("aviso de privacidad aceptado"),
    )
    consented_at = models.DateTimeField(_("consentimiento el"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inscrita por"),
    )
    walk_in = models.BooleanField(_("llegó sin inscripción"), default=False)
    attended_at = models.DateTimeField(_("asistencia registrada el"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asistencia marcada por"),
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("inscrita el"), default=timezone.now, db_index=True)
    history = HistoricalRecords()

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("inscripción")
        verbose_name_plural = _("inscripciones")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="one_registration_per_person"
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "status"]),
            models.Index(fields=["meeting", "attended_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:registration", args=[self.pk])

    @property
    def attended(self) -> bool:
        return self.attended_at is not None


class MeetingAgreement(models.Model):
    """An agreement reached at a meeting, in its minutes. Those who run the
    meeting may turn it into a commitment of an agreement (convenio):
    ``commitment`` then points at it (see agreements.services.commitment_from_meeting)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agreements")
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    text = models.TextField(_("acuerdo"))
    responsible = models.CharField(_("responsable"), max_length=200, blank=True)
    due_date = models.DateField(_("fecha compromiso"), null=True, blank=True)
    commitment = models.OneToOneField(
        "agreements.Commitment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="meeting_agreement",
        verbose_name=_("compromiso de convenio"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("acuerdo del encuentro")
        verbose_name_plural = _("acuerdos del encuentro")

    def __str__(self) -> str:
        return self.text[:80]


def meeting_file_path(instance: MeetingFile, filename: str) -> str:
    return f"meetings/{instance.meeting_id}/{filename}"


class MeetingFile(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Fotografía")
        DOCUMENT = "document", _("Documento")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=200)
    file = models.FileField(_("archivo"), upload_to=meeting_file_path)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("archivo del encuentro")
        verbose_name_plural = _("archivos del encuentro")

    def __str__(self) -> str:
        return self.title


class Evaluation(models.Model):
    """An attendee's short evaluation of the meeting: one per attendance."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="evaluation"
    )
    usefulness = models.PositiveSmallIntegerField(
        _("utilidad"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    organisation = models.PositiveSmallIntegerField(
        _("organización"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comments = models.TextField(_("comentarios"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")

    def __str__(self) -> str:
        return f"{self.registration}"
