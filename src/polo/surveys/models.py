"""Survey instruments and what is collected with them.

An *instrument* (a baseline survey, the Incidence Manual's self-assessment) is
defined as an XLSForm; each upload is a *form version*, kept with its spreadsheet,
the XForm that pyxform made of it and Polo's normalized spec (``spec.py``). A
*campaign* takes an instrument to the field in *rounds* (baseline, midline,
endline); every *response* belongs to one round and keeps the version it answered.

Answers live twice, on purpose: ``Response.data`` holds the answers as a form
reads and writes them (the source of truth, versioned by simple-history), and
``Answer`` holds one row per answered question (one per chosen option of a
multiple choice), rebuilt from ``data`` on every save, so that indicators are
aggregate queries in the database.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

XLSFORM_EXTENSIONS = ["xlsx"]


def new_instance_id() -> str:
    """An OpenRosa instance id, as ODK Collect makes them."""
    return f"uuid:{uuid.uuid4()}"


class Instrument(models.Model):
    """A questionnaire, whatever its version."""

    class Kind(models.TextChoices):
        SURVEY = "survey", _("Encuesta")
        ASSESSMENT = "assessment", _("Autodiagnóstico")

    slug = models.SlugField(_("identificador"), max_length=60, unique=True)
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices, default=Kind.SURVEY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creado por"),
    )
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("instrumento")
        verbose_name_plural = _("instrumentos")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:instrument", args=[self.slug])

    @property
    def current_version(self) -> FormVersion | None:
        return self.versions.order_by("-number").first()


class FormVersion(models.Model):
    """One upload of an instrument's XLSForm, as converted. Never edited: a
    changed form is a new version, and responses keep the one they answered."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="versions", verbose_name=_("instrumento")
    )
    number = models.PositiveIntegerField(_("número"))
    # The `version` of the settings sheet (what OpenRosa clients send back),
    # or one Polo makes when the sheet has none.
    version = models.CharField(_("versión"), max_length=60)
    form_id = models.CharField(_("form_id"), max_length=100)
    title = models.CharField(_("título"), max_length=200)
    xlsform = models.FileField(
        _("XLSForm"),
        upload_to="surveys/forms/",
        validators=[FileExtensionValidator(XLSFORM_EXTENSIONS)],
    )
    xform = models.TextField(_("XForm"))
    xform_md5 = models.CharField(max_length=32)
    spec = models.JSONField(_("definición normalizada"))
    languages = models.JSONField(_("idiomas"), default=list)
    default_language = models.CharField(_("idioma predeterminado"), max_length=60, blank=True)
    warnings = models.JSONField(_("advertencias"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subido por"),
    )
    created_at = models.DateTimeField(_("subido"), default=timezone.now)

    class Meta:
        ordering = ["instrument", "-number"]
        verbose_name = _("versión del formulario")
        verbose_name_plural = _("versiones del formulario")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="surveys_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["instrument", "version"], name="surveys_version_string_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number} ({self.version})"

    @property
    def form(self):
        """The spec as objects (sections, questions, choices): see spec.py."""
        from polo.surveys.spec import FormSpec

        cached = getattr(self, "_form_spec", None)
        if cached is None:
            cached = self._form_spec = FormSpec.from_json(self.spec)
        return cached


class CampaignQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Campaign.Status.OPEN)

    def for_regions(self, region_ids):
        return self.filter(regions__in=region_ids).distinct()


class Campaign(models.Model):
    """An instrument taken to the field: for whom, where, in which rounds."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("En preparación")
        OPEN = "open", _("Abierta")
        CLOSED = "closed", _("Cerrada")

    class Respondent(models.TextChoices):
        ORGANIZATION = "organization", _("Organización")
        PERSON = "person", _("Persona")
        COMMUNITY = "community", _("Comunidad")

    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("instrumento"),
    )
    slug = models.SlugField(_("identificador"), max_length=60, unique=True)
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    respondent = models.CharField(
        _("quién responde"),
        max_length=12,
        choices=Respondent.choices,
        default=Respondent.ORGANIZATION,
    )
    # Where it is collected: the facilitators of these regions collect and
    # review; no region means the whole programme.
    regions = models.ManyToManyField(
        "territory.Region", blank=True, related_name="campaigns", verbose_name=_("regiones")
    )
    status = models.CharField(
        _("estado de la campaña"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creada por"),
    )
    created_at = models.DateTimeField(_("creada"), default=timezone.now)
    history = HistoricalRecords(m2m_fields=[regions])

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaña")
        verbose_name_plural = _("campañas")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:campaign", args=[self.slug])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RoundQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_open=True, campaign__status=Campaign.Status.OPEN)


class Round(models.Model):
    """A wave of a campaign. Later rounds compare against the baseline."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Línea base")
        MIDLINE = "midline", _("Medio término")
        ENDLINE = "endline", _("Línea final")
        OTHER = "other", _("Otra")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("campaña")
    )
    kind = models.CharField(_("tipo de ronda"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nombre"), max_length=120)
    order = models.PositiveSmallIntegerField(_("orden"), default=1)
    starts_on = models.DateField(_("inicio"), null=True, blank=True)
    ends_on = models.DateField(_("fin"), null=True, blank=True)
    is_open = models.BooleanField(_("recibe respuestas"), default=False)
    history = HistoricalRecords()

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "order", "pk"]
        verbose_name = _("ronda")
        verbose_name_plural = _("rondas")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order"], name="surveys_round_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.name}"

    @property
    def accepts_responses(self) -> bool:
        return self.is_open and self.campaign.is_open

    @property
    def xform_id(self) -> str:
        """The form id OpenRosa clients see for this round: one instrument may
        be in the field in two rounds at once, and a client tells forms apart
        by their id."""
        return f"{self.campaign.instrument.slug}.r{self.pk}"


class ResponseQuerySet(models.QuerySet):
    def counted(self):
        """What analysis counts: submitted and not rejected."""
        return self.exclude(status__in=[Response.Status.DRAFT, Response.Status.REJECTED])


class Response(models.Model):
    """One filled-in questionnaire."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        SUBMITTED = "submitted", _("Enviada")
        APPROVED = "approved", _("Aprobada")
        ON_HOLD = "on_hold", _("En espera")
        REJECTED = "rejected", _("Rechazada")

    class Source(models.TextChoices):
        WEB = "web", _("Formulario web")
        OPENROSA = "openrosa", _("Recolección sin conexión (OpenRosa)")
        IMPORT = "import", _("Importación")

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="responses", verbose_name=_("ronda")
    )
    form_version = models.ForeignKey(
        FormVersion,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("versión del formulario"),
    )
    instance_id = models.CharField(
        _("identificador de instancia"), max_length=100, unique=True, default=new_instance_id
    )
    respondent_kind = models.CharField(
        _("quién responde"), max_length=12, choices=Campaign.Respondent.choices
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("organización"),
    )
    community = models.ForeignKey(
        "territory.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("comunidad"),
    )
    # A person respondent is described by the answers (name, sex, age...), never
    # by an account: many have none.
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("municipio"),
    )
    data = models.JSONField(_("respuestas"), default=dict, blank=True)
    current_section = models.PositiveSmallIntegerField(_("sección actual"), default=0)
    status = models.CharField(
        _("estado de la respuesta"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(_("origen"), max_length=10, choices=Source.choices)
    review_comment = models.TextField(_("comentario de revisión"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revisada por"),
    )
    reviewed_at = models.DateTimeField(_("revisada"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("capturada por"),
    )
    started_at = models.DateTimeField(_("iniciada"), default=timezone.now)
    submitted_at = models.DateTimeField(_("enviada"), null=True, blank=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "current_section"])

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "pk"]
        verbose_name = _("respuesta")
        verbose_name_plural = _("respuestas")
        indexes = [
            models.Index(fields=["round", "status"], name="surveys_resp_round_status"),
            models.Index(fields=["municipality", "round"], name="surveys_resp_mun_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.instance_id}"

    def get_absolute_url(self) -> str:
        return reverse("surveys:response", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def review(self, *, status: str, comment: str, by) -> None:
        """A facilitator's verdict; the history keeps the earlier ones."""
        if status not in {self.Status.APPROVED, self.Status.ON_HOLD, self.Status.REJECTED}:
            raise ValueError(f"not a review status: {status}")
        self.status = status
        self.review_comment = comment
        self.reviewed_by = by
        self.reviewed_at = timezone.now()
        self.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])


class Answer(models.Model):
    """One answered question of a counted or draft response, for aggregates.

    Rebuilt from ``Response.data`` by ``services.response_store_answers``; the
    round and the municipality are copied here so that an indicator by
    municipality for one round reads one table.
    """

    # No index of their own on response and round: the two below begin with
    # them and serve the same lookups; an import writes millions of these rows,
    # and every index is upkeep on each.
    #
    # No foreign-key constraints in the database either (db_constraint=False):
    # these rows are derived, written only by Polo's services in the same
    # transaction as their response, from the response's own round and
    # municipality, which the response's constraints check. The database
    # checking each of millions of rows three times again was more than half of
    # a large import's time (100,000 responses on PostgreSQL: 109 s → 45 s).
    # Deleting a response, a round or a municipality still deletes its answers
    # (Django cascades them).
    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        related_name="answers",
        db_index=False,
        db_constraint=False,
    )
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    name = models.CharField(max_length=100)
    # 0 outside repeats; the 1-based row of the repeat otherwise.
    row = models.PositiveIntegerField(default=0)
    value = models.TextField()
    number = models.FloatField(null=True)

    class Meta:
        indexes = [
            # Not on `value`: a long free-text answer would overflow a PostgreSQL
            # b-tree entry; round and name narrow an indicator's rows enough.
            models.Index(fields=["round", "name"], name="surveys_answer_round_name"),
            models.Index(fields=["response", "name"], name="surveys_answer_response"),
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value[:40]}"


class Attachment(models.Model):
    """A file sent with a response: a photo, an audio note, a signed form."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("pregunta"), max_length=100)
    filename = models.CharField(_("nombre del archivo"), max_length=255)
    file = models.FileField(_("archivo"), upload_to="surveys/attachments/%Y/%m/")
    content_type = models.CharField(_("tipo"), max_length=100)
    size = models.PositiveBigIntegerField(_("tamaño"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("adjunto")
        verbose_name_plural = _("adjuntos")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "filename"], name="surveys_attachment_unique"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class CollectorCredential(models.Model):
    """The password a facilitator types into ODK Collect or KoboCollect.

    Not the account password: staff accounts have a second factor that a
    collection app cannot give, so each gets an app password of its own, stored
    hashed (for HTTP Basic) and as the Digest HA1 (for HTTP Digest), that can be
    revoked without touching the account.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collector_credential"
    )
    password_hash = models.CharField(max_length=255)
    digest_ha1 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contraseña de recolección")
        verbose_name_plural = _("contraseñas de recolección")

    def __str__(self) -> str:
        return str(self.user)
