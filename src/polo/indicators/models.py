"""Indicators of territorial development and their computed cells.

An *indicator* is defined by a coordinator, not in code: over the answers of a
survey campaign (a numerator and an optional denominator, filters, a unit, a
direction, breakdowns) or over Polo's own data (a metric that a module
registered in ``sources.py``, such as published organisations).

Its figures are computed by aggregate queries in the database
(``compute.py``) and kept as *cells*: one per round, breakdown and group
(the total, each region, each municipality, each option of a question), with
the exact figures and whether public views must suppress them
(``suppression.py``). Pages, downloads and the printed report read the cells;
``services.indicator_refresh`` replaces them (on save, on the "recalcular"
button, and periodically with ``polo indicators refresh``).
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from polo.indicators.conditions import (
    Condition,
    ConditionError,
    numeric_questions,
    select_questions,
)

# Breakdowns. Region and municipality are always computed (the diagnosis is
# territorial); the others are chosen per indicator.
TOTAL = "total"
REGION = "region"
MUNICIPALITY = "municipality"
ORGANIZATION_KIND = "organization_kind"
QUESTION_PREFIX = "question:"
ALWAYS = (TOTAL, REGION, MUNICIPALITY)
MAX_FILTERS = 5
MAX_DISAGGREGATIONS = 8


def default_min_cell() -> int:
    return settings.POLO_SMALL_CELL


class IndicatorQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Indicator(models.Model):
    class Source(models.TextChoices):
        SURVEY = "survey", _("Respuestas de una encuesta")
        POLO = "polo", _("Datos de Polo")

    class Unit(models.TextChoices):
        COUNT = "count", _("Conteo de respuestas")
        PERCENT = "percent", _("Porcentaje de respuestas")
        MEAN = "mean", _("Promedio")
        MEDIAN = "median", _("Mediana")
        SUM = "sum", _("Suma")
        RATIO = "ratio", _("Porcentaje de dos sumas")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Más alto es mejor")
        LOWER = "lower", _("Más bajo es mejor")
        NEUTRAL = "neutral", _("Ni mejor ni peor (solo describe)")

    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    description = models.TextField(
        _("descripción"),
        blank=True,
        help_text=_("Qué mide y por qué importa; se muestra en el tablero."),
    )
    source = models.CharField(
        _("fuente"), max_length=8, choices=Source.choices, default=Source.SURVEY
    )
    campaign = models.ForeignKey(
        "surveys.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("campaña"),
    )
    metric = models.CharField(
        _("dato de Polo"),
        max_length=80,
        blank=True,
        help_text=_("Para indicadores sobre datos de Polo: cuál."),
    )
    unit = models.CharField(_("unidad"), max_length=8, choices=Unit.choices, default=Unit.PERCENT)
    # Conditions are JSON ({"question", "operator", "value"}), checked against
    # the campaign's form in clean(); see conditions.py.
    numerator = models.JSONField(_("numerador"), null=True, blank=True)
    denominator = models.JSONField(_("denominador"), null=True, blank=True)
    filters = models.JSONField(_("filtros"), default=list, blank=True)
    value_question = models.CharField(
        _("pregunta numérica"),
        max_length=100,
        blank=True,
        help_text=_("Para promedio, mediana, suma, o el numerador de un porcentaje de sumas."),
    )
    ratio_question = models.CharField(
        _("pregunta del denominador de la razón"),
        max_length=100,
        blank=True,
        help_text=_("Para un porcentaje de sumas: la suma que va abajo."),
    )
    direction = models.CharField(
        _("dirección"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    disaggregations = models.JSONField(
        _("desagregaciones"),
        default=list,
        blank=True,
        help_text=_("Además de región y municipio."),
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimales"), default=1, validators=[MaxValueValidator(3)]
    )
    min_cell = models.PositiveSmallIntegerField(
        _("mínimo de respuestas por celda"),
        default=default_min_cell,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_(
            "Una cifra calculada con menos respuestas no se publica, para que nadie sea "
            "identificable."
        ),
    )
    is_published = models.BooleanField(_("publicado"), default=False)
    ordering = models.PositiveSmallIntegerField(_("orden"), default=0)
    computed_at = models.DateTimeField(_("calculado"), null=True, blank=True)
    # What the figures were computed from (services.data_signatures): when the
    # campaign's answers change, so does this, and the periodic refresh knows.
    data_signature = models.CharField(max_length=80, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("creado por"),
    )
    created_at = models.DateTimeField(_("creado"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["computed_at", "data_signature", "updated_at"])

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source="polo") | models.Q(campaign__isnull=False),
                name="indicators_survey_has_campaign",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator", args=[self.slug])

    # --- Reading the definition -------------------------------------------------

    @property
    def is_survey(self) -> bool:
        return self.source == self.Source.SURVEY

    @cached_property
    def spec(self):
        """The FormSpec conditions are checked against: the campaign's current form."""
        if self.campaign_id is None:
            return None
        version = self.campaign.instrument.current_version
        return version.form if version is not None else None

    @property
    def numerator_condition(self) -> Condition | None:
        return Condition.from_json(self.numerator) if self.numerator else None

    @property
    def denominator_condition(self) -> Condition | None:
        return Condition.from_json(self.denominator) if self.denominator else None

    @property
    def filter_conditions(self) -> list[Condition]:
        return [Condition.from_json(item) for item in self.filters or []]

    @property
    def is_percent(self) -> bool:
        return self.unit in {self.Unit.PERCENT, self.Unit.RATIO}

    @property
    def breakdowns(self) -> list[str]:
        """Every breakdown computed: total, region, municipality, then the chosen ones."""
        return [*ALWAYS, *[d for d in self.disaggregations or [] if d not in ALWAYS]]

    @property
    def unit_label(self) -> str:
        """The unit as shown: Polo's data counts records, not responses."""
        if self.source == self.Source.POLO:
            return str(_("Conteo"))
        return str(self.get_unit_display())

    @property
    def unit_symbol(self) -> str:
        return "%" if self.is_percent else ""

    def is_better(self, change: float | None) -> bool | None:
        """Whether a change (later minus baseline) is an improvement."""
        if change is None or change == 0 or self.direction == self.Direction.NEUTRAL:
            return None
        return (change > 0) == (self.direction == self.Direction.HIGHER)

    # --- Checking the definition ------------------------------------------------

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}

        def error(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if self.source == self.Source.POLO:
            self._clean_polo(error)
        else:
            self._clean_survey(error)
        if errors:
            raise ValidationError(errors)

    def _clean_polo(self, error) -> None:
        from polo.indicators import sources

        metric = sources.get(self.metric)
        if metric is None:
            error("metric", _("Elija un dato de Polo de la lista."))
            return
        for name in ("numerator", "denominator", "value_question", "ratio_question"):
            if getattr(self, name):
                error(name, _("Un indicador sobre datos de Polo no usa preguntas."))
        if self.filters:
            error("filters", _("Un indicador sobre datos de Polo no usa filtros."))
        self.unit = self.Unit.COUNT
        for dimension in self.disaggregations or []:
            if dimension not in metric.dimensions:
                error(
                    "disaggregations",
                    _("«%(name)s» no es una desagregación de este dato.")
                    % {"name": str(dimension)[:60]},
                )

    def _clean_survey(self, error) -> None:
        if self.campaign_id is None:
            error("campaign", _("Elija la campaña de encuesta."))
            return
        if self.metric:
            error("metric", _("Un indicador de encuesta no usa datos de Polo."))
        spec = self.spec
        if spec is None:
            error("campaign", _("El instrumento de esta campaña aún no tiene formulario."))
            return
        for name in ("numerator", "denominator"):
            raw = getattr(self, name)
            if raw:
                try:
                    setattr(self, name, Condition.from_json(raw).validate(spec).to_json())
                except ConditionError as exc:
                    error(name, exc.message)
        if not isinstance(self.filters, list) or len(self.filters) > MAX_FILTERS:
            error("filters", _("Hasta %(n)s filtros.") % {"n": MAX_FILTERS})
        else:
            cleaned = []
            for raw in self.filters:
                try:
                    cleaned.append(Condition.from_json(raw).validate(spec).to_json())
                except ConditionError as exc:
                    error("filters", exc.message)
            self.filters = cleaned
        unit = self.unit
        numeric = {node.name for node in numeric_questions(spec)}
        if unit in {self.Unit.COUNT, self.Unit.PERCENT}:
            if unit == self.Unit.PERCENT and not self.numerator:
                error("numerator", _("Un porcentaje necesita la condición del numerador."))
            if self.value_question or self.ratio_question:
                error("value_question", _("Un conteo o porcentaje no usa pregunta numérica."))
        else:
            if self.numerator:
                error(
                    "numerator",
                    _("Un promedio, mediana o suma no usa numerador: use filtros."),
                )
            if self.value_question not in numeric:
                error(
                    "value_question",
                    _("Elija una pregunta numérica fuera de grupos repetidos."),
                )
            if unit == self.Unit.RATIO:
                if self.ratio_question not in numeric:
                    error(
                        "ratio_question",
                        _("Elija la pregunta numérica cuya suma va en el denominador."),
                    )
            elif self.ratio_question:
                error("ratio_question", _("Solo un porcentaje de sumas usa esta pregunta."))
        selects = {node.name for node in select_questions(spec)}
        if not isinstance(self.disaggregations, list) or len(self.disaggregations) > (
            MAX_DISAGGREGATIONS
        ):
            error("disaggregations", _("Hasta %(n)s desagregaciones.") % {"n": MAX_DISAGGREGATIONS})
            return
        for dimension in self.disaggregations:
            if dimension == ORGANIZATION_KIND:
                continue
            name = dimension[len(QUESTION_PREFIX) :] if isinstance(dimension, str) else ""
            if not (isinstance(dimension, str) and dimension.startswith(QUESTION_PREFIX)):
                error(
                    "disaggregations",
                    _("«%(name)s» no es una desagregación.") % {"name": str(dimension)[:60]},
                )
            elif name not in selects:
                error(
                    "disaggregations",
                    _("«%(name)s» no es una pregunta de opción fuera de grupos repetidos.")
                    % {"name": name[:60]},
                )


class CellQuerySet(models.QuerySet):
    def for_breakdown(self, breakdown: str):
        return self.filter(breakdown=breakdown)


class Cell(models.Model):
    """One computed figure of an indicator: a round × a breakdown × a group.

    Holds the exact figures; ``suppressed`` says whether public views hide them
    (``small``: fewer responses than the indicator's minimum; ``complementary``:
    hidden so that the suppressed one cannot be worked out by subtraction).
    """

    class Suppression(models.TextChoices):
        NONE = "", _("Publicable")
        SMALL = "small", _("Pocas respuestas")
        COMPLEMENTARY = "complementary", _("Supresión complementaria")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="cells")
    # No round for Polo's own data: its figures are of the moment they are computed.
    round = models.ForeignKey(
        "surveys.Round", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    breakdown = models.CharField(max_length=110)
    key = models.CharField(max_length=120, blank=True)  # "" = no answer / outside regions
    label = models.CharField(max_length=255)
    parent_key = models.CharField(max_length=120, blank=True)  # a municipality's region
    position = models.PositiveIntegerField(default=0)  # order within the breakdown
    size = models.PositiveIntegerField(default=0)  # responses (or records) behind the figure
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    value = models.FloatField(null=True)
    suppression = models.CharField(
        max_length=14, choices=Suppression.choices, default=Suppression.NONE, blank=True
    )

    objects = CellQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "breakdown", "position", "key"]
        # Cells are replaced as a whole by services.indicator_refresh, never edited.
        indexes = [models.Index(fields=["indicator", "breakdown"], name="indicators_cell_lookup")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.breakdown}:{self.key}={self.value}"

    @property
    def is_suppressed(self) -> bool:
        return bool(self.suppression)
