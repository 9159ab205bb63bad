"""Good practices (A4.1): what an organisation did about a problem, where, with
what results and evidence, and what others can reuse. Recorded by the
organisation's editors, reviewed by the facilitators of its region (or a
coordinator) before it is public, and linked to the meetings where it was
presented.

The life of a practice: draft → pending (sent to review) → published, or
returned with a reason (to be corrected and sent again); a published practice
may be archived. The state changes are the model's own methods; who may call
them is decided in rules.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from polo.directory import text

# Paths of the app that a practice's slug must never take.
RESERVED_SLUGS = frozenset({"nueva", "revision", "mis-practicas", "encuentro", "api"})
YEAR_VALIDATORS = [MinValueValidator(1950), MaxValueValidator(2100)]


class GoodPracticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=GoodPractice.Status.PUBLISHED)

    def in_region(self, region):
        return self.filter(municipality__region=region)

    def matching(self, query: str):
        """Practices whose title, problem, actions or results hold every word of
        the query (accents, case and Spanish word forms forgiven)."""
        practices = self
        for term in text.search_terms(query):
            practices = practices.filter(search_text__contains=f" {term}")
        return practices


class GoodPractice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        PENDING = "pending", _("En revisión")
        RETURNED = "returned", _("Devuelta para corregir")
        PUBLISHED = "published", _("Publicada")
        ARCHIVED = "archived", _("Archivada")

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="practices",
        verbose_name=_("organización que la registra"),
    )
    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=220, unique=True)
    problem = models.TextField(_("el problema"), max_length=5000)
    actions = models.TextField(_("lo que se hizo"), max_length=8000)
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="good_practices",
        verbose_name=_("municipio"),
    )
    community = models.ForeignKey(
        "territory.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="good_practices",
        verbose_name=_("comunidad"),
    )
    themes = models.ManyToManyField(
        "directory.Theme", blank=True, related_name="good_practices", verbose_name=_("temas")
    )
    results = models.TextField(_("resultados"), max_length=5000)
    reusable = models.TextField(_("lo que otras pueden retomar"), max_length=5000, blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("año de inicio"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    end_year = models.PositiveSmallIntegerField(
        _("año de término"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Vacío si sigue en marcha."),
    )
    # Contact: each datum is private unless its own box is ticked.
    contact_name = models.CharField(_("persona de contacto"), max_length=150, blank=True)
    contact_name_public = models.BooleanField(_("nombre público"), default=False)
    contact_email = models.EmailField(_("correo de contacto"), blank=True)
    contact_email_public = models.BooleanField(_("correo público"), default=False)
    contact_phone = models.CharField(_("teléfono de contacto"), max_length=30, blank=True)
    contact_phone_public = models.BooleanField(_("teléfono público"), default=False)
    meetings = models.ManyToManyField(
        "meetings.Meeting",
        blank=True,
        related_name="practices",
        verbose_name=_("encuentros donde se presentó"),
    )
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_note = models.TextField(_("motivo de la devolución"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revisada por"),
    )
    reviewed_at = models.DateTimeField(_("revisada el"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicada el"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrada por"),
    )
    created_at = models.DateTimeField(_("creada el"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualizada el"), auto_now=True)
    # Derived from the texts by save(); never edited.
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(
        m2m_fields=[themes, meetings], excluded_fields=["search_text", "updated_at"]
    )

    objects = GoodPracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "pk"]
        verbose_name = _("buena práctica")
        verbose_name_plural = _("buenas prácticas")
        indexes = [models.Index(fields=["status", "-published_at"], name="practice_status_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="practice_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = text.search_document(
            self.title, self.problem, self.actions, self.results
        )
        if not self.slug:
            self.slug = self._unique_slug()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("practices:practice", args=[self.slug])

    def _unique_slug(self) -> str:
        base = slugify(self.title)[:200] or "practica"
        slug, n = base, 1
        while slug in RESERVED_SLUGS or GoodPractice.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError(
                {"end_year": _("El año de término no puede ser anterior al de inicio.")}
            )
        if self.community_id and self.community.municipality_id != self.municipality_id:
            raise ValidationError({"community": _("La comunidad no está en ese municipio.")})

    @property
    def region(self):
        return self.municipality.region

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.status != self.Status.ARCHIVED

    def public_contacts(self) -> list[tuple[str, str]]:
        """(label, value) of the contact data marked public, and only those."""
        fields = [
            ("contact_name", _("Persona de contacto")),
            ("contact_email", _("Correo")),
            ("contact_phone", _("Teléfono")),
        ]
        return [
            (label, getattr(self, name))
            for name, label in fields
            if getattr(self, name) and getattr(self, f"{name}_public")
        ]

    # --- the life of a practice (who may: rules.py; called by services.py) ---

    def _move(self, allowed: tuple[str, ...], to: str, message) -> None:
        if self.status not in allowed:
            raise ValidationError(message, code="wrong_status")
        self.status = to

    def submit(self) -> None:
        self._move(
            (self.Status.DRAFT, self.Status.RETURNED),
            self.Status.PENDING,
            _("Solo un borrador o una práctica devuelta se puede enviar a revisión."),
        )

    def publish(self, *, by) -> None:
        self._move(
            (self.Status.PENDING,),
            self.Status.PUBLISHED,
            _("Solo se publica una práctica en revisión."),
        )
        self.reviewed_by, self.reviewed_at = by, timezone.now()
        self.published_at = self.published_at or self.reviewed_at
        self.review_note = ""

    def return_to_editors(self, *, by, reason: str) -> None:
        if not reason.strip():
            raise ValidationError(
                _("Al devolver, explica el motivo: quien edita lo leerá."), code="note_required"
            )
        self._move(
            (self.Status.PENDING,),
            self.Status.RETURNED,
            _("Solo se devuelve una práctica en revisión."),
        )
        self.reviewed_by, self.reviewed_at = by, timezone.now()
        self.review_note = reason

    def archive(self) -> None:
        self._move(
            (self.Status.PUBLISHED, self.Status.DRAFT, self.Status.RETURNED),
            self.Status.ARCHIVED,
            _("Esta práctica no se puede archivar en su estado actual."),
        )


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"practices/{instance.practice_id}/{filename}"


class Evidence(models.Model):
    """One piece of evidence of a practice's results: a note, a link or a file."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Nota")
        LINK = "link", _("Enlace")
        FILE = "file", _("Archivo")

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("tipo"), max_length=5, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=200)
    note = models.TextField(_("nota"), blank=True, max_length=4000)
    url = models.URLField(_("enlace"), blank=True, max_length=500)
    file = models.FileField(_("archivo"), upload_to=evidence_path, blank=True)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")

    def __str__(self) -> str:
        return self.title

    def get_file_url(self) -> str:
        return reverse("practices:evidence_file", args=[self.practice.slug, self.pk])
