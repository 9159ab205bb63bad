"""The indicator form of coordinators: a survey indicator over one campaign's
form, or an indicator over Polo's data. Works without JavaScript: questions
are chosen from lists made from the campaign's current form, operators from a
fixed list (the form says which fit which question), values typed.

Every condition is checked against the form (conditions.Condition.validate)
and the error placed on the field at fault; the model's clean() checks the
whole definition again, for any other way in (the admin, the shell).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from polo.indicators import sources
from polo.indicators.conditions import (
    ANSWERED,
    OPERATOR_LABELS,
    Condition,
    ConditionError,
    analysable_questions,
    numeric_questions,
    operators_for,
    select_questions,
)
from polo.indicators.models import (
    MAX_FILTERS,
    ORGANIZATION_KIND,
    QUESTION_PREFIX,
    Indicator,
)

FILTER_ROWS = 3
TYPE_NAMES = {
    "select_one": _("opción única"),
    "select_multiple": _("opción múltiple"),
    "integer": _("número entero"),
    "decimal": _("número decimal"),
    "range": _("escala"),
    "calculate": _("cálculo"),
    "date": _("fecha"),
    "text": _("texto"),
}
CONDITION_PARTS = ("question", "operator", "value")
MODEL_TO_FORM_FIELD = {
    "numerator": "numerator_question",
    "denominator": "denominator_question",
    "filters": "filter_1_question",
}


def question_label(spec, node) -> str:
    label = spec.text(node.label, get_language()) or node.name
    if len(label) > 70:
        label = label[:69] + "…"
    kind = TYPE_NAMES.get(node.type, node.type)
    return f"{label} ({node.name} · {kind})"


class IndicatorForm(forms.ModelForm):
    """Fields for the conditions are flat (numerator_question, ...): one row of
    three inputs per condition, so that the page needs no script."""

    class Meta:
        model = Indicator
        fields = [
            "name",
            "slug",
            "description",
            "unit",
            "direction",
            "decimals",
            "min_cell",
            "ordering",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, source: str, campaign=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.campaign = campaign
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Parte de la dirección de la página; si lo deja vacío se hace del nombre."
        )
        operators = [("", "—"), *[(op, label) for op, label in OPERATOR_LABELS.items()]]
        if source == Indicator.Source.POLO:
            self.spec = None
            del self.fields["unit"]
            metric_choices = [(m.key, m.label) for m in sources.metrics()]
            self.fields["metric"] = forms.ChoiceField(
                label=_("Dato de Polo"), choices=metric_choices
            )
            self.fields["disaggregations"] = forms.MultipleChoiceField(
                label=_("Desagregaciones, además de región y municipio"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=sorted(
                    {
                        (key, label)
                        for metric in sources.metrics()
                        for key, label in metric.extra_breakdowns.items()
                    },
                    key=lambda item: str(item[1]),
                ),
            )
            if self.instance.pk:
                self.initial.setdefault("metric", self.instance.metric)
                self.initial.setdefault("disaggregations", self.instance.disaggregations)
            return

        version = campaign.instrument.current_version if campaign else None
        self.spec = version.form if version is not None else None
        self.legends: dict[str, str] = {}
        spec = self.spec
        questions = [("", "—")]
        numbers = [("", "—")]
        selects = []
        if spec is not None:
            questions += [(n.name, question_label(spec, n)) for n in analysable_questions(spec)]
            numbers += [(n.name, question_label(spec, n)) for n in numeric_questions(spec)]
            selects = [
                (QUESTION_PREFIX + n.name, question_label(spec, n)) for n in select_questions(spec)
            ]
        for prefix, label in (
            ("numerator", _("Numerador: cuenta las respuestas en que")),
            ("denominator", _("Denominador: entre las respuestas en que (opcional)")),
            *[
                (f"filter_{i}", _("Filtro %(n)s: solo las respuestas en que") % {"n": i})
                for i in range(1, FILTER_ROWS + 1)
            ],
        ):
            self.fields[f"{prefix}_question"] = forms.ChoiceField(
                label=_("Pregunta"), choices=questions, required=False
            )
            self.legends[prefix] = label
            self.fields[f"{prefix}_operator"] = forms.ChoiceField(
                label=_("Operador"), choices=operators, required=False
            )
            self.fields[f"{prefix}_value"] = forms.CharField(
                label=_("Valor"), required=False, max_length=200
            )
        self.fields["value_question"] = forms.ChoiceField(
            label=_("Pregunta numérica (promedio, mediana, suma o numerador de la razón)"),
            choices=numbers,
            required=False,
        )
        self.fields["ratio_question"] = forms.ChoiceField(
            label=_("Pregunta numérica del denominador (porcentaje de sumas)"),
            choices=numbers,
            required=False,
        )
        self.fields["disaggregations"] = forms.MultipleChoiceField(
            label=_("Desagregaciones, además de región y municipio"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(ORGANIZATION_KIND, _("Tipo de organización")), *selects],
        )
        if self.instance.pk:
            self._initial_from_instance()

    def _initial_from_instance(self) -> None:
        instance = self.instance
        for prefix, data in (
            ("numerator", instance.numerator),
            ("denominator", instance.denominator),
            *[(f"filter_{i}", f) for i, f in enumerate(instance.filters or [], start=1)],
        ):
            for part in CONDITION_PARTS:
                self.initial.setdefault(f"{prefix}_{part}", (data or {}).get(part, ""))
        self.initial.setdefault("value_question", instance.value_question)
        self.initial.setdefault("ratio_question", instance.ratio_question)
        self.initial.setdefault("disaggregations", instance.disaggregations)

    # --- Groups of fields, for the template ------------------------------------------

    def condition_rows(self) -> list[tuple[str, list]]:
        if self.source == Indicator.Source.POLO:
            return []
        prefixes = ["numerator", "denominator", *[f"filter_{i}" for i in range(1, FILTER_ROWS + 1)]]
        return [
            (self.legends[prefix], [self[f"{prefix}_{part}"] for part in CONDITION_PARTS])
            for prefix in prefixes
        ]

    def reference(self) -> list[dict]:
        """The form's questions with the operators and values that fit them."""
        if self.spec is None:
            return []
        spec = self.spec
        rows = []
        for node in analysable_questions(spec):
            rows.append(
                {
                    "name": node.name,
                    "label": spec.text(node.label, get_language()),
                    "type": TYPE_NAMES.get(node.type, node.type),
                    "operators": [OPERATOR_LABELS[op] for op in operators_for(node)],
                    "choices": [
                        (c.name, c.text(spec.languages, get_language()))
                        for c in spec.choices_for(node)
                    ][:40]
                    if node.is_select
                    else [],
                }
            )
        return rows

    # --- Checking ----------------------------------------------------------------------

    def _condition(self, prefix: str, *, required: bool = False) -> dict | None:
        question = self.cleaned_data.get(f"{prefix}_question") or ""
        operator = self.cleaned_data.get(f"{prefix}_operator") or ""
        value = (self.cleaned_data.get(f"{prefix}_value") or "").strip()
        if not question and not operator and not value:
            return None
        if not question:
            self.add_error(f"{prefix}_question", _("Elija la pregunta."))
            return None
        if not operator:
            self.add_error(f"{prefix}_operator", _("Elija el operador."))
            return None
        try:
            condition = Condition(question, operator, "" if operator == ANSWERED else value)
            return condition.validate(self.spec).to_json()
        except ConditionError as exc:
            self.add_error(f"{prefix}_{exc.field}", exc.message)
            return None

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("name") or "")[:70]
        if not slug:
            slug = "indicador"
        base, n = slug, 2
        taken = Indicator.objects.exclude(pk=self.instance.pk)
        while taken.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        instance.source = self.source
        if self.source == Indicator.Source.POLO:
            instance.campaign = None
            instance.metric = cleaned.get("metric") or ""
            instance.unit = Indicator.Unit.COUNT
            metric = sources.get(instance.metric)
            chosen = cleaned.get("disaggregations") or []
            if metric is not None:
                unknown = [d for d in chosen if d not in metric.dimensions]
                if unknown:
                    self.add_error("disaggregations", _("Este dato de Polo no se desagrega así."))
            instance.disaggregations = chosen
            return cleaned
        if self.spec is None:
            raise ValidationError(_("El instrumento de esta campaña aún no tiene formulario."))
        instance.campaign = self.campaign
        instance.metric = ""
        instance.numerator = self._condition("numerator")
        instance.denominator = self._condition("denominator")
        filters = [self._condition(f"filter_{i}") for i in range(1, FILTER_ROWS + 1)]
        instance.filters = [f for f in filters if f][:MAX_FILTERS]
        instance.value_question = cleaned.get("value_question") or ""
        instance.ratio_question = cleaned.get("ratio_question") or ""
        instance.disaggregations = cleaned.get("disaggregations") or []
        return cleaned

    def _update_errors(self, errors) -> None:
        """The model's errors on fields that the form shows otherwise (a condition
        as three inputs) go to those inputs, or above the form."""
        if hasattr(errors, "error_dict"):
            remapped: dict[str, list] = {}
            for name, messages in errors.error_dict.items():
                target = MODEL_TO_FORM_FIELD.get(name, name)
                if target != NON_FIELD_ERRORS and target not in self.fields:
                    target = NON_FIELD_ERRORS
                remapped.setdefault(target, []).extend(messages)
            errors = ValidationError(remapped)
        super()._update_errors(errors)


class PublishForm(forms.Form):
    publish = forms.TypedChoiceField(
        choices=[("1", _("Publicar")), ("0", _("Retirar del tablero"))],
        coerce=lambda value: value == "1",
    )


class ReportForm(forms.Form):
    region = forms.ChoiceField(label=_("Región"))

    def __init__(self, *args, regions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.slug, r.name) for r in regions]
