"""The actor registry: organisations, their themes and the people in them.

The foundation carries the core of the registry that every module points at;
the Thematic Directory (search, map, import, export) grows on it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Theme(models.Model):
    """A managed taxonomy entry (tema): classifies actors, materials, proposals."""

    slug = models.SlugField(_("identificador"), max_length=60, unique=True)
    name = models.CharField(_("nombre"), max_length=120)
    name_en = models.CharField(_("nombre (inglés)"), max_length=120, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tema")
        verbose_name_plural = _("temas")

    def __str__(self) -> str:
        return self.name


class OrganizationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Organization.Status.PUBLISHED)

    def in_region(self, region):
        return self.filter(municipality__region=region)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)


class Organization(models.Model):
    class Kind(models.TextChoices):
        CSO = "cso", _("Organización de la sociedad civil")
        COLLECTIVE = "collective", _("Colectivo o grupo")
        ACADEMIC = "academic", _("Institución académica")
        NETWORK = "network", _("Red")
        LOCAL_AUTHORITY = "local_authority", _("Autoridad local")
        COMMUNITY = "community", _("Organización comunitaria")
        PUBLIC_BODY = "public_body", _("Otro organismo público")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        PENDING = "pending", _("En revisión")
        PUBLISHED = "published", _("Publicada")
        ARCHIVED = "archived", _("Archivada")

    name = models.CharField(_("nombre"), max_length=255)
    acronym = models.CharField(_("siglas"), max_length=40, blank=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, db_index=True)
    description = models.TextField(_("descripción"), blank=True)
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    municipality = models.ForeignKey("territory.Municipality", on_delete=models.PROTECT,
                                     related_name="organizations",
                                     verbose_name=_("municipio sede"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="organizations",
                                    verbose_name=_("temas"))
    founded_year = models.PositiveSmallIntegerField(_("año de fundación"), null=True, blank=True)
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada el"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[themes])

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organización")
        verbose_name_plural = _("organizaciones")
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organization", args=[self.pk])


class Membership(models.Model):
    """A person's role in an organisation; editors keep its profile current."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name=_("persona"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="memberships", verbose_name=_("organización"))
    position = models.CharField(_("cargo"), max_length=120, blank=True)
    is_editor = models.BooleanField(_("edita el perfil"), default=False)
    start_date = models.DateField(_("desde"), null=True, blank=True)
    end_date = models.DateField(_("hasta"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"],
                                    name="one_membership_per_person_and_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization}"
