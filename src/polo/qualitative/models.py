"""The qualitative side of the participatory diagnosis (A1.3): focus groups, a
codebook of themes, and the passages a facilitator codes with them.

A *focus group* (grupo focal) is a session held in a municipality (and perhaps
one of its communities), with a count of participants by sex and age band (an
aggregate: nobody is named) and the facilitator's notes. A *code* (tema) is an
entry of the codebook, with at most one level of sub-themes. A *passage*
(fragmento) is a stretch of text — of a session's notes, or of an open answer
of a survey response — that someone coded with one or more codes; a
coordinator may publish it as a quote, anonymised, with an attribution that
never names anyone.

A passage keeps the text it was coded from as well as its offsets: notes get
edited after coding, and the coding must not silently move to other words.
When the notes change, ``services.focus_group_update`` finds the passage again
(or flags it as ``is_stale`` when its words are gone).

Personal data: participants have no account and are never named (the form
asks for counts by sex and age band only). Notes may still mention people,
so they are seen only by the facilitators of the session's region and by
coordinators (rules.py). Nothing here is the personal data *of an account*,
so nothing is registered with ``accounts.personal_data``: the only links to
accounts are the staff who facilitated, coded or published, which an
anonymised account keeps pointing at without a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Sex × age band of the participants' table: field name prefixes and suffixes.
SEXES = [("women", _("Mujeres")), ("men", _("Hombres")), ("other", _("Otra identidad"))]
AGE_BANDS = [("15_29", _("15 a 29 años")), ("30_59", _("30 a 59 años")), ("60", _("60 años o más"))]
PARTICIPANT_FIELDS = [f"{sex}_{band}" for sex, _label in SEXES for band, _b in AGE_BANDS]
MAX_PARTICIPANTS_PER_CELL = 500  # a focus group is a few dozen people at most

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def normalize_text(text: str) -> str:
    """One newline convention (browsers post CRLF): offsets count the same on
    the server, in the database and in the browser."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int
    text: str


def paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of a text (separated by blank lines), with their offsets,
    surrounding whitespace left out."""
    breaks = list(PARAGRAPH_BREAK.finditer(text))
    starts = [0, *(match.end() for match in breaks)]
    ends = [*(match.start() for match in breaks), len(text)]
    found: list[Paragraph] = []
    for start, end in zip(starts, ends, strict=True):
        piece = text[start:end]
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        if end > start:
            found.append(Paragraph(index=len(found), start=start, end=end, text=text[start:end]))
    return found


class FocusGroupQuerySet(models.QuerySet):
    def in_regions(self, region_ids):
        return self.filter(municipality__region__in=region_ids)


def _participant_field(verbose_name) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, default=0, validators=[MaxValueValidator(MAX_PARTICIPANTS_PER_CELL)]
    )


class FocusGroup(models.Model):
    """A focus-group session with a community."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        COMPLETE = "complete", _("Completa")

    title = models.CharField(_("título"), max_length=200)
    held_on = models.DateField(_("fecha"))
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="focus_groups",
        verbose_name=_("municipio"),
    )
    community = models.ForeignKey(
        "territory.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="focus_groups",
        verbose_name=_("comunidad"),
    )
    # The diagnosis wave the session belongs to, so that it is read beside the
    # survey answers of the same round.
    round = models.ForeignKey(
        "surveys.Round",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focus_groups",
        verbose_name=_("ronda del diagnóstico"),
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_focus_groups",
        verbose_name=_("facilitador(a)"),
    )
    languages = models.ManyToManyField(
        "directory.Language",
        blank=True,
        related_name="focus_groups",
        verbose_name=_("lenguas usadas"),
    )
    women_15_29 = _participant_field(_("mujeres de 15 a 29 años"))
    women_30_59 = _participant_field(_("mujeres de 30 a 59 años"))
    women_60 = _participant_field(_("mujeres de 60 años o más"))
    men_15_29 = _participant_field(_("hombres de 15 a 29 años"))
    men_30_59 = _participant_field(_("hombres de 30 a 59 años"))
    men_60 = _participant_field(_("hombres de 60 años o más"))
    other_15_29 = _participant_field(_("personas de otra identidad de 15 a 29 años"))
    other_30_59 = _participant_field(_("personas de otra identidad de 30 a 59 años"))
    other_60 = _participant_field(_("personas de otra identidad de 60 años o más"))
    notes = models.TextField(
        _("notas"),
        blank=True,
        help_text=_(
            "La relatoría o transcripción de la sesión. Separa los párrafos con una línea en "
            "blanco. No escribas nombres de participantes: usa «participante 1», «una mujer "
            "joven»..."
        ),
    )
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrada por"),
    )
    created_at = models.DateTimeField(_("registrada"), default=timezone.now)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[languages], excluded_fields=["updated_at"])

    objects = FocusGroupQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("grupo focal")
        verbose_name_plural = _("grupos focales")
        indexes = [models.Index(fields=["municipality", "held_on"], name="qual_fg_mun_date")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("qualitative:focus_group", args=[self.pk])

    @property
    def region(self):
        return self.municipality.region

    @property
    def participant_total(self) -> int:
        return sum(getattr(self, name) or 0 for name in PARTICIPANT_FIELDS)

    def participant_table(self) -> list[dict]:
        """Rows by sex with a cell per age band and the row's total."""
        rows = []
        for sex, label in SEXES:
            cells = [getattr(self, f"{sex}_{band}") or 0 for band, _b in AGE_BANDS]
            rows.append({"sex": sex, "label": label, "cells": cells, "total": sum(cells)})
        return rows

    def band_totals(self) -> list[int]:
        return [
            sum(getattr(self, f"{sex}_{band}") or 0 for sex, _label in SEXES)
            for band, _b in AGE_BANDS
        ]

    def paragraphs(self) -> list[Paragraph]:
        return paragraphs(self.notes)

    def clean(self) -> None:
        super().clean()
        if (
            self.community_id
            and self.municipality_id
            and self.community.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {"community": _("La comunidad no pertenece al municipio de la sesión.")}
            )


class CodeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_codebook_order(self):
        """Themes first by name, each followed by its sub-themes."""
        return self.select_related("parent").order_by(
            models.functions.Coalesce("parent__name", "name"), "parent_id", "name"
        )


class Code(models.Model):
    """A theme of the codebook. One level of sub-themes at most."""

    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    name = models.CharField(_("nombre"), max_length=120)
    description = models.TextField(
        _("descripción"),
        blank=True,
        help_text=_("Cuándo aplicar este tema (y cuándo no): ayuda a codificar igual."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("tema principal"),
    )
    is_active = models.BooleanField(_("en uso"), default=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fusionado en"),
    )
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

    objects = CodeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tema del libro de códigos")
        verbose_name_plural = _("temas del libro de códigos")

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError(
                    {"parent": _("Un tema no puede ser su propio tema principal.")}
                )
            if self.parent.parent_id:
                raise ValidationError(
                    {"parent": _("El tema principal elegido ya es un subtema: solo hay un nivel.")}
                )
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": _("Este tema tiene subtemas: no puede ser subtema de otro.")}
                )


class PassageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_region(self):
        """Annotate the region and round of the passage's source (a session or a
        response): read through the source, so a session moved to another
        municipality or a municipality moved to another region counts where it
        is now."""
        Coalesce = models.functions.Coalesce
        return self.annotate(
            source_region_id=Coalesce(
                "focus_group__municipality__region_id", "response__municipality__region_id"
            ),
            source_round_id=Coalesce("focus_group__round_id", "response__round_id"),
        )


class Passage(models.Model):
    """A coded stretch of a session's notes or of an open answer."""

    class Attribution(models.TextChoices):
        NONE = "", _("Sin lugar")
        REGION = "region", _("La región")
        MUNICIPALITY = "municipality", _("El municipio")
        COMMUNITY = "community", _("La comunidad")

    class Sex(models.TextChoices):
        UNSTATED = "", _("Sin indicar")
        WOMAN = "woman", _("Mujer")
        MAN = "man", _("Hombre")
        OTHER = "other", _("Persona de otra identidad")

    class AgeBand(models.TextChoices):
        UNSTATED = "", _("Sin indicar")
        YOUNG = "15_29", _("15–29")
        ADULT = "30_59", _("30–59")
        ELDER = "60", _("60 o más")

    focus_group = models.ForeignKey(
        FocusGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="passages",
        verbose_name=_("grupo focal"),
    )
    response = models.ForeignKey(
        "surveys.Response",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coded_passages",
        verbose_name=_("respuesta"),
    )
    # For an open answer: the question's name and the repeat row (0 outside repeats).
    question = models.CharField(_("pregunta"), max_length=100, blank=True)
    row = models.PositiveIntegerField(_("fila"), default=0)
    start = models.PositiveIntegerField(_("inicio"))
    end = models.PositiveIntegerField(_("fin"))
    text = models.TextField(_("fragmento"))
    is_stale = models.BooleanField(
        _("texto cambiado"),
        default=False,
        help_text=_("El texto de origen cambió y el fragmento ya no está en él."),
    )
    codes = models.ManyToManyField(
        Code, through="Coding", related_name="passages", verbose_name=_("temas")
    )
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("codificado por"),
    )
    coded_at = models.DateTimeField(_("codificado"), default=timezone.now)
    # A quote: what the public may read, chosen and anonymised by a coordinator.
    is_published = models.BooleanField(_("cita publicada"), default=False)
    published_text = models.TextField(_("texto publicado"), blank=True)
    attribution_sex = models.CharField(
        _("sexo (atribución)"), max_length=8, choices=Sex.choices, blank=True
    )
    attribution_age = models.CharField(
        _("edad (atribución)"), max_length=8, choices=AgeBand.choices, blank=True
    )
    attribution_place = models.CharField(
        _("lugar (atribución)"), max_length=12, choices=Attribution.choices, blank=True
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicada por"),
    )
    published_at = models.DateTimeField(_("publicada"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PassageQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("fragmento codificado")
        verbose_name_plural = _("fragmentos codificados")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(focus_group__isnull=False, response__isnull=True)
                    | models.Q(focus_group__isnull=True, response__isnull=False)
                ),
                name="qual_passage_one_source",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="qual_passage_offsets"
            ),
        ]
        indexes = [
            models.Index(fields=["response", "question", "row"], name="qual_passage_answer"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self) -> str:
        return reverse("qualitative:passage", args=[self.pk])

    @property
    def source_label(self) -> str:
        if self.focus_group_id:
            return str(self.focus_group)
        return f"{self.response.instance_id} · {self.question}"

    @property
    def municipality(self):
        source = self.focus_group if self.focus_group_id else self.response
        return source.municipality

    @property
    def community(self):
        source = self.focus_group if self.focus_group_id else self.response
        return source.community

    @property
    def quote_text(self) -> str:
        return self.published_text or self.text

    def attribution(self) -> str:
        """«Mujer, 30–59, Mixteca»: who and where, never a name."""
        parts = []
        if self.attribution_sex:
            parts.append(str(self.get_attribution_sex_display()))
        if self.attribution_age:
            parts.append(str(self.get_attribution_age_display()))
        place = self.attribution_place_name()
        if place:
            parts.append(place)
        return ", ".join(parts)

    def attribution_place_name(self) -> str:
        municipality = self.municipality
        if self.attribution_place == self.Attribution.REGION:
            return municipality.region.name if municipality and municipality.region else ""
        if self.attribution_place == self.Attribution.MUNICIPALITY:
            return municipality.name if municipality else ""
        if self.attribution_place == self.Attribution.COMMUNITY:
            community = self.community
            return community.name if community else ""
        return ""


class Coding(models.Model):
    """One code applied to one passage."""

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="codings")
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("codificación")
        verbose_name_plural = _("codificaciones")
        constraints = [
            models.UniqueConstraint(fields=["passage", "code"], name="qual_coding_unique")
        ]
        indexes = [models.Index(fields=["code", "passage"], name="qual_coding_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.passage}"
