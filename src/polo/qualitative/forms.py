"""Forms of the qualitative diagnosis. Text is cleaned of invisible and control
characters (a NUL would make PostgreSQL refuse the row) before its length is
checked; choices are limited to what the person may use."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polo.accounts.models import User
from polo.directory.forms import clean_line, clean_paragraphs
from polo.directory.models import Language
from polo.qualitative.models import (
    AGE_BANDS,
    MAX_PARTICIPANTS_PER_CELL,
    PARTICIPANT_FIELDS,
    SEXES,
    Code,
    FocusGroup,
    Passage,
)
from polo.qualitative.selectors import rounds_for_open_answers
from polo.territory.models import Community, Municipality

TITLE_MAX = 200
NOTES_MAX = 200_000
PASSAGE_MAX = 20_000
DESCRIPTION_MAX = 2_000
EARLIEST_SESSION = datetime.date(2017, 1, 1)


class LineField(forms.CharField):
    def to_python(self, value: Any) -> str:
        return clean_line(super().to_python(value))


class ParagraphsField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> str:
        return clean_paragraphs(super().to_python(value))


class CodeChoiceField(forms.ModelMultipleChoiceField):
    """The codebook as checkboxes, sub-themes after their theme."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Code.objects.active().in_codebook_order())
        kwargs.setdefault("label", _("Temas"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Code) -> str:
        return str(obj)


# --- Sessions ----------------------------------------------------------------------


class FocusGroupForm(forms.ModelForm):
    """A session: where, when, who facilitated, how many took part (by sex and
    age band), the languages spoken and the notes."""

    title = LineField(label=_("Título"), max_length=TITLE_MAX)
    notes = ParagraphsField(
        label=_("Notas de la sesión"),
        required=False,
        max_length=NOTES_MAX,
        help_text=FocusGroup._meta.get_field("notes").help_text,
        widget=forms.Textarea(attrs={"rows": 18}),
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Lenguas usadas en la sesión"),
        queryset=Language.objects.order_by("is_indigenous", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FocusGroup
        fields = [
            "title",
            "held_on",
            "municipality",
            "community",
            "round",
            "facilitator",
            "languages",
            *PARTICIPANT_FIELDS,
            "notes",
            "status",
        ]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        municipalities = Municipality.objects.in_programme().select_related("state")
        if not user.is_coordinator:
            municipalities = municipalities.filter(region__in=user.regions.all())
        if self.instance.pk:
            # A session of a municipality that left the person's regions keeps it.
            municipalities = Municipality.objects.filter(
                Q(pk__in=municipalities.values("pk")) | Q(pk=self.instance.municipality_id)
            ).select_related("state")
        self.fields["municipality"].queryset = municipalities.order_by("state__name", "name")
        self.fields["municipality"].label_from_instance = str
        self.fields["community"].queryset = self._communities(municipalities)
        self.fields["community"].help_text = _(
            "Las comunidades clave de tus municipios; al editar una sesión, todas las del "
            "municipio de la sesión."
        )
        self.fields["round"].queryset = rounds_for_open_answers(user)
        self.fields["round"].required = False
        self.fields["round"].help_text = _(
            "La ronda del diagnóstico (línea base, medio término...) a la que pertenece."
        )
        facilitators = User.objects.filter(is_active=True).filter(
            Q(role=User.Role.FACILITATOR) | Q(role=User.Role.COORDINATOR)
        )
        self.fields["facilitator"].queryset = facilitators.order_by("full_name")
        if not self.instance.pk and user.is_facilitator:
            self.initial.setdefault("facilitator", user.pk)
        for name in PARTICIPANT_FIELDS:
            field = self.fields[name]
            field.min_value = 0
            field.widget.attrs.update(
                {"min": 0, "max": MAX_PARTICIPANTS_PER_CELL, "inputmode": "numeric"}
            )
            field.required = False

    def _communities(self, municipalities):
        municipality_id = None
        if self.is_bound:
            value = self.data.get(self.add_prefix("municipality"), "")
            municipality_id = int(value) if value.isdigit() and len(value) < 12 else None
        elif self.instance.pk:
            municipality_id = self.instance.municipality_id
        allowed = Q(is_key=True, municipality__in=municipalities.values("pk"))
        if municipality_id is not None:
            allowed |= Q(municipality_id=municipality_id)
        if self.instance.community_id:
            allowed |= Q(pk=self.instance.community_id)
        return (
            Community.objects.filter(allowed)
            .select_related("municipality")
            .order_by("municipality__name", "name")
        )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(
                _("La fecha no puede ser futura: registra sesiones ya realizadas.")
            )
        if held_on < EARLIEST_SESSION:
            raise ValidationError(_("La fecha es anterior al inicio del programa (2017)."))
        return held_on

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in PARTICIPANT_FIELDS:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        municipality = data.get("municipality")
        community = data.get("community")
        if municipality and community and community.municipality_id != municipality.pk:
            self.add_error("community", _("La comunidad no pertenece al municipio elegido."))
        facilitator = data.get("facilitator")
        if (
            municipality
            and facilitator
            and facilitator.is_facilitator
            and not facilitator.regions.filter(pk=municipality.region_id).exists()
        ):
            self.add_error(
                "facilitator", _("Esa persona no facilita la región del municipio elegido.")
            )
        return data

    def participant_rows(self) -> list[dict]:
        """The participants' fields as a table: a row per sex, a column per age band."""
        return [
            {"label": label, "fields": [self[f"{sex}_{band}"] for band, _b in AGE_BANDS]}
            for sex, label in SEXES
        ]

    @property
    def age_bands(self):
        return [label for _band, label in AGE_BANDS]

    def fields_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("languages", None)
        return data


# --- Coding ------------------------------------------------------------------------


def _offset(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


class CodingForm(forms.Form):
    """Codes for a paragraph (``parrafo``) or an exact passage (``fragmento``),
    the latter with the offsets of a selection when the browser sends them."""

    codes = CodeChoiceField()
    paragraph = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    passage = ParagraphsField(
        label=_("Fragmento exacto"),
        required=False,
        max_length=PASSAGE_MAX,
        help_text=_(
            "Copia aquí las palabras tal como están en el texto; si lo dejas vacío, se "
            "codifica todo."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    start = forms.CharField(required=False, widget=forms.HiddenInput)
    end = forms.CharField(required=False, widget=forms.HiddenInput)

    def offsets(self) -> tuple[int | None, int | None]:
        return _offset(self.cleaned_data.get("start") or ""), _offset(
            self.cleaned_data.get("end") or ""
        )


class AnswerCodingForm(CodingForm):
    question = forms.CharField(max_length=100, widget=forms.HiddenInput)
    row = forms.IntegerField(min_value=0, max_value=10_000, widget=forms.HiddenInput, initial=0)


class PassageCodesForm(forms.Form):
    codes = forms.ModelMultipleChoiceField(
        label=_("Temas"), queryset=Code.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, passage: Passage, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["codes"]
        # Active codes, and the retired ones the passage already has.
        field.queryset = (
            Code.objects.filter(Q(is_active=True) | Q(codings__passage=passage))
            .distinct()
            .in_codebook_order()
        )
        field.label_from_instance = str
        self.initial.setdefault("codes", [coding.code_id for coding in passage.codings.all()])


class QuoteForm(forms.Form):
    published_text = ParagraphsField(
        label=_("Texto de la cita"),
        required=False,
        max_length=PASSAGE_MAX,
        help_text=_(
            "Déjalo igual o quita lo que identifique a alguien (nombres, cargos, lugares "
            "pequeños). Vacío: el fragmento tal cual."
        ),
    )
    attribution_sex = forms.ChoiceField(
        label=_("Quién lo dijo: sexo"), choices=Passage.Sex.choices, required=False
    )
    attribution_age = forms.ChoiceField(
        label=_("Quién lo dijo: edad"), choices=Passage.AgeBand.choices, required=False
    )
    attribution_place = forms.ChoiceField(
        label=_("Lugar que se muestra"),
        choices=Passage.Attribution.choices,
        required=False,
        help_text=_("Nunca un nombre: la atribución se arma con estas opciones."),
    )


# --- The codebook ------------------------------------------------------------------


class CodeForm(forms.Form):
    name = LineField(label=_("Nombre"), max_length=120)
    description = ParagraphsField(
        label=_("Descripción"),
        required=False,
        max_length=DESCRIPTION_MAX,
        help_text=Code._meta.get_field("description").help_text,
    )
    parent = forms.ModelChoiceField(
        label=_("Tema principal"),
        queryset=Code.objects.none(),
        required=False,
        empty_label=_("Ninguno: es un tema principal"),
    )

    def __init__(self, *args, code: Code | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Code.objects.filter(parent__isnull=True, is_active=True)
        if code is not None:
            parents = parents.exclude(pk=code.pk)
        self.fields["parent"].queryset = parents.order_by("name")


class CodeEditForm(CodeForm):
    is_active = forms.BooleanField(
        label=_("En uso"),
        required=False,
        help_text=_("Un tema retirado ya no se ofrece al codificar; sus fragmentos se conservan."),
    )


class CodeMergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        label=_("Fusionar en"), queryset=Code.objects.none(), empty_label=_("Elige el tema")
    )

    def __init__(self, *args, drop: Code, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["keep"]
        field.queryset = Code.objects.active().exclude(pk=drop.pk).in_codebook_order()
        field.label_from_instance = str

    def clean_keep(self):
        keep = self.cleaned_data["keep"]
        if keep is None:
            raise ValidationError(_("Elige el tema que se conserva."))
        return keep
