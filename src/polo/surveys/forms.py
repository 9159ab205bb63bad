"""Forms of the surveys' management side: an XLSForm upload, campaigns and
their rounds, a review, and the filters of the response list.

Forms only read and clean what people typed or sent; the writes are the
services' (``services.form_version_create``, ``services.response_review``) or,
for a campaign and its rounds, a plain ``ModelForm.save``, since they touch one
model each.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from polo.surveys.models import Campaign, Instrument, Response, Round
from polo.surveys.xlsform import MAX_XLSFORM_BYTES
from polo.territory.models import Municipality, Region

COMMENT_MAX = 2000
TITLE_MAX = 200
DESCRIPTION_MAX = 5000
# Paths beside /campanas/<slug>/ that a campaign's slug would hide.
RESERVED_SLUGS = {"nueva"}


def _plain(text: str) -> str:
    """Text without control characters other than line breaks and tabs."""
    return "".join(ch for ch in text if ch in "\n\t" or ch >= " " and ch != "\x7f").strip()


class XLSFormUploadForm(forms.Form):
    """An .xlsx XLSForm: a new instrument, or the next version of one."""

    xlsform = forms.FileField(
        label=_("Archivo XLSForm (.xlsx)"),
        help_text=_(
            "La hoja «survey» define las preguntas, «choices» las opciones y «settings» el "
            "form_id y la versión. Hasta %(mb)s MB."
        )
        % {"mb": MAX_XLSFORM_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    instrument = forms.ModelChoiceField(
        label=_("Es una nueva versión de"),
        queryset=Instrument.objects.order_by("title"),
        required=False,
        empty_label=_("— Ninguno: es un instrumento nuevo —"),
        to_field_name="slug",
        help_text=_(
            "Una versión nueva no cambia las respuestas ya recibidas: cada una conserva la "
            "versión que respondió."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Tipo de instrumento"),
        choices=Instrument.Kind.choices,
        initial=Instrument.Kind.SURVEY,
        help_text=_("Solo para un instrumento nuevo."),
    )

    def clean_xlsform(self):
        upload = self.cleaned_data["xlsform"]
        name = (upload.name or "").lower()
        if not name.endswith(".xlsx"):
            raise ValidationError(
                _("Sube un libro de Excel con extensión .xlsx (el formato de XLSForm)."),
                code="extension",
            )
        if upload.size > MAX_XLSFORM_BYTES:
            raise ValidationError(
                _("El archivo pesa más de %(mb)s MB.") % {"mb": MAX_XLSFORM_BYTES // (1024 * 1024)},
                code="size",
            )
        return upload

    def xlsform_bytes(self) -> bytes:
        upload = self.cleaned_data["xlsform"]
        upload.seek(0)
        return upload.read(MAX_XLSFORM_BYTES + 1)

    def filename(self) -> str:
        name = self.cleaned_data["xlsform"].name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
        return _plain(name)[:100] or "formulario.xlsx"


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["instrument", "title", "slug", "description", "respondent", "regions", "status"]
        widgets = {
            "regions": forms.CheckboxSelectMultiple,
            "respondent": forms.RadioSelect,
            "status": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "slug": _(
                "Letras minúsculas, números y guiones; aparece en la dirección de la página."
            ),
            "regions": _(
                "Quienes facilitan en estas regiones recolectan y revisan. Ninguna marcada: "
                "todo el programa."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.order_by("title")
        self.fields["regions"].queryset = Region.objects.select_related("state").order_by(
            "ordering", "name"
        )
        self.fields["title"].max_length = TITLE_MAX
        if self.instance.pk and self.instance.rounds.filter(responses__isnull=False).exists():
            # Responses answered this instrument's versions: another instrument
            # would leave them answering a form the campaign does not use.
            self.fields["instrument"].disabled = True
            self.fields["instrument"].help_text = _(
                "No se puede cambiar: la campaña ya tiene respuestas."
            )

    def clean_title(self):
        return _plain(self.cleaned_data["title"])

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                _("«%(slug)s» está reservado; elige otro identificador.") % {"slug": slug},
                code="reserved",
            )
        return slug

    def clean_description(self):
        description = _plain(self.cleaned_data.get("description") or "")
        if len(description) > DESCRIPTION_MAX:
            raise ValidationError(
                _("Como máximo %(n)s caracteres.") % {"n": DESCRIPTION_MAX}, code="max_length"
            )
        return description

    def clean_instrument(self):
        instrument = self.cleaned_data["instrument"]
        if instrument is not None and not instrument.versions.exists():
            raise ValidationError(
                _("Ese instrumento aún no tiene ninguna versión del formulario."), code="empty"
            )
        return instrument


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["kind", "name", "order", "starts_on", "ends_on", "is_open"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "order": _("Las rondas se comparan en este orden: la línea base primero."),
            "is_open": _("Solo una ronda abierta, de una campaña abierta, recibe respuestas."),
        }

    def __init__(self, *args, campaign: Campaign, **kwargs):
        self.campaign = campaign
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        if not self.instance.pk:
            last = campaign.rounds.order_by("-order").values_list("order", flat=True).first()
            self.fields["order"].initial = (last or 0) + 1

    def clean_name(self):
        return _plain(self.cleaned_data["name"])

    def clean_order(self):
        order = self.cleaned_data["order"]
        taken = self.campaign.rounds.filter(order=order).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                _("Otra ronda de esta campaña ya tiene el orden %(n)s.") % {"n": order},
                code="unique",
            )
        return order

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("El fin no puede ser anterior al inicio."))
        return cleaned


REVIEW_CHOICES = [
    (Response.Status.APPROVED, Response.Status.APPROVED.label),
    (Response.Status.ON_HOLD, Response.Status.ON_HOLD.label),
    (Response.Status.REJECTED, Response.Status.REJECTED.label),
]


class ReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decisión"), choices=REVIEW_CHOICES, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comentario"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatorio si queda en espera o se rechaza: di qué hay que corregir."),
    )

    def clean_comment(self):
        return _plain(self.cleaned_data.get("comment") or "")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") in {Response.Status.ON_HOLD, Response.Status.REJECTED} and not (
            cleaned.get("comment")
        ):
            self.add_error("comment", _("Explica la decisión en un comentario."))
        return cleaned


class ResponseFilterForm(forms.Form):
    """The response list's filters; unknown or malformed values are ignored
    (a shared link keeps working after a round is deleted)."""

    ronda = forms.ModelChoiceField(
        label=_("Ronda"), queryset=Round.objects.none(), required=False, empty_label=_("Todas")
    )
    estado = forms.ChoiceField(label=_("Estado"), required=False)
    region = forms.ModelChoiceField(
        label=_("Región"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Todas"),
        to_field_name="slug",
    )
    municipio = forms.ModelChoiceField(
        label=_("Municipio"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("Todos"),
        to_field_name="code",
    )
    origen = forms.ChoiceField(label=_("Origen"), required=False)

    def __init__(self, data, *, campaign: Campaign, municipalities):
        super().__init__(data)
        self.fields["ronda"].queryset = campaign.rounds.order_by("order")
        self.fields["estado"].choices = [("", _("Todos")), *Response.Status.choices]
        self.fields["origen"].choices = [("", _("Todos")), *Response.Source.choices]
        regions = campaign.regions.all()
        self.fields["region"].queryset = (
            Region.objects.filter(pk__in=regions.values("pk")) if regions else Region.objects.all()
        ).order_by("ordering", "name")
        self.fields["municipio"].queryset = municipalities

    def filters(self) -> dict:
        """Only the fields that validated: a bad value drops that filter alone."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def filter(self, responses):
        filters = self.filters()
        if "ronda" in filters:
            responses = responses.filter(round=filters["ronda"])
        if "estado" in filters:
            responses = responses.filter(status=filters["estado"])
        if "region" in filters:
            responses = responses.filter(municipality__region=filters["region"])
        if "municipio" in filters:
            responses = responses.filter(municipality=filters["municipio"])
        if "origen" in filters:
            responses = responses.filter(source=filters["origen"])
        return responses
