"""The territory catalogue: state → programme region → municipality → community.

Keys are INEGI's (Catálogo Único de Claves Geoestadísticas): a state is two
digits, a municipality five (state + three), a locality nine.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

state_code_validator = RegexValidator(r"^\d{2}$", _("La clave de estado tiene dos dígitos."))
municipality_code_validator = RegexValidator(
    r"^\d{5}$", _("La clave de municipio tiene cinco dígitos (estado + municipio).")
)
locality_code_validator = RegexValidator(
    r"^\d{9}$", _("La clave de localidad tiene nueve dígitos.")
)


class State(models.Model):
    code = models.CharField(
        _("clave INEGI"), max_length=2, unique=True, validators=[state_code_validator]
    )
    name = models.CharField(_("nombre"), max_length=80)
    abbreviation = models.CharField(_("abreviatura"), max_length=16, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("estado")
        verbose_name_plural = _("estados")

    def __str__(self) -> str:
        return self.name


class RegionQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(municipality_count=models.Count("municipalities"))


class Region(models.Model):
    """One of the programme's regions. Editable: coordinators move municipalities."""

    slug = models.SlugField(_("identificador"), max_length=60, unique=True)
    name = models.CharField(_("nombre"), max_length=120)
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="regions", verbose_name=_("estado")
    )
    description = models.TextField(_("descripción"), blank=True)
    ordering = models.PositiveSmallIntegerField(_("orden"), default=0)
    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name = _("región")
        verbose_name_plural = _("regiones")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territory:region", args=[self.slug])


class MunicipalityQuerySet(models.QuerySet):
    def in_state(self, state: State | str):
        code = state if isinstance(state, str) else state.code
        return self.filter(state__code=code)

    def in_programme(self):
        return self.filter(region__isnull=False)

    def with_boundary(self):
        return self.exclude(svg_path="")


class Municipality(models.Model):
    code = models.CharField(
        _("clave INEGI"), max_length=5, unique=True, validators=[municipality_code_validator]
    )
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("estado")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("región"),
    )
    name = models.CharField(_("nombre"), max_length=120, db_index=True)
    seat = models.CharField(_("cabecera"), max_length=120, blank=True)
    district = models.CharField(_("distrito"), max_length=80, blank=True)
    population = models.PositiveIntegerField(_("población 2020"), default=0)
    population_men = models.PositiveIntegerField(_("hombres 2020"), default=0)
    population_women = models.PositiveIntegerField(_("mujeres 2020"), default=0)
    dwellings = models.PositiveIntegerField(_("viviendas habitadas 2020"), default=0)
    # Simplified boundary, already projected (see territory.geo) as an SVG path,
    # with its bounding box and label point in the same plane.
    svg_path = models.TextField(_("contorno (SVG)"), blank=True)
    bbox = models.JSONField(_("caja envolvente"), null=True, blank=True)
    label_point = models.JSONField(_("punto de etiqueta"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["svg_path", "bbox", "label_point"])

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipio")
        verbose_name_plural = _("municipios")

    def __str__(self) -> str:
        return f"{self.name}, {self.state.abbreviation or self.state.name}"

    def get_absolute_url(self) -> str:
        return reverse("territory:municipality", args=[self.code])

    def clean(self) -> None:
        super().clean()
        if self.region_id and self.state_id and self.region.state_id != self.state_id:
            raise ValidationError(
                {"region": _("La región pertenece a otro estado que el municipio.")}
            )


class CommunityQuerySet(models.QuerySet):
    def key(self):
        return self.filter(is_key=True)


class Community(models.Model):
    """A locality: from INEGI's catalogue, or added by users (smaller places)."""

    class Source(models.TextChoices):
        INEGI = "inegi", _("Catálogo INEGI")
        USER = "user", _("Agregada por usuarios")

    class Ambit(models.TextChoices):
        URBAN = "U", _("Urbana")
        RURAL = "R", _("Rural")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="communities",
        verbose_name=_("municipio"),
    )
    code = models.CharField(
        _("clave INEGI"),
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        validators=[locality_code_validator],
    )
    name = models.CharField(_("nombre"), max_length=160)
    ambit = models.CharField(_("ámbito"), max_length=1, choices=Ambit.choices, blank=True)
    latitude = models.DecimalField(
        _("latitud"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitud"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    altitude_m = models.IntegerField(_("altitud (m)"), null=True, blank=True)
    population = models.PositiveIntegerField(_("población 2020"), null=True, blank=True)
    source = models.CharField(
        _("origen"), max_length=8, choices=Source.choices, default=Source.USER
    )
    is_key = models.BooleanField(_("comunidad clave"), default=False)
    history = HistoricalRecords()

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__code", "name"]
        verbose_name = _("comunidad")
        verbose_name_plural = _("comunidades")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="community_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="community_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality.name})"

    def clean(self) -> None:
        super().clean()
        if self.code and self.municipality_id and not self.code.startswith(self.municipality.code):
            raise ValidationError(
                {"code": _("La clave de la localidad empieza con la clave de su municipio.")}
            )
