"""The agreements' forms: an agreement and its signed PDF, parties and
signatories, commitments, an update with its evidence, and a review."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polo.agendas.models import Agenda
from polo.agreements.models import Agreement, Commitment, Party
from polo.directory.models import Organization
from polo.territory.models import Municipality, Region

MAX_UPLOAD = 10 * 1024 * 1024

# The first bytes of what we accept; a file is what its content says.
SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
]


def sniff(upload, allowed: set[str]) -> str:
    """The upload's extension by its content, or a ValidationError."""
    if upload.size > MAX_UPLOAD:
        raise ValidationError(_("El archivo pasa de 10 MB."))
    if upload.size == 0:
        raise ValidationError(_("El archivo está vacío."))
    head = upload.read(16)
    upload.seek(0)
    for signature, extension in SIGNATURES:
        if head.startswith(signature) and extension in allowed:
            return extension
    if allowed == {"pdf"}:
        raise ValidationError(_("El archivo no es un PDF."))
    raise ValidationError(_("Solo se aceptan documentos PDF o imágenes JPEG o PNG."))


class AgreementForm(forms.ModelForm):
    document = forms.FileField(
        label=_("Documento firmado (PDF, 10 MB como máximo)"), required=False
    )

    class Meta:
        model = Agreement
        fields = [
            "title",
            "kind",
            "description",
            "status",
            "signed_on",
            "region",
            "municipalities",
            "themes",
            "source_agenda",
            "source_note",
        ]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.order_by("ordering", "name")
        if not user.is_coordinator:
            regions = regions.filter(pk__in=user.regions.values("pk"))
        self.fields["region"].queryset = regions
        self.fields["municipalities"].queryset = Municipality.objects.filter(
            region__in=regions
        ).select_related("state")
        self.fields["municipalities"].required = False
        self.fields["source_agenda"].queryset = Agenda.objects.filter(
            phase=Agenda.Phase.ADOPTED
        ).order_by("title")
        self.fields["signed_on"].error_messages["invalid"] = _(
            "La fecha no es válida; use AAAA-MM-DD."
        )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            sniff(upload, {"pdf"})
        return upload

    def clean(self):
        data = super().clean()
        region = data.get("region")
        status = data.get("status")
        if status and status != Agreement.Status.DRAFT and not data.get("signed_on"):
            self.add_error("signed_on", _("Un convenio firmado necesita su fecha de firma."))
        outside = [
            m for m in data.get("municipalities") or [] if region and m.region_id != region.pk
        ]
        if outside:
            self.add_error(
                "municipalities",
                _("Estos municipios no son de la región elegida: %(names)s")
                % {"names": ", ".join(m.name for m in outside)},
            )
        return data


class PartyForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organización del directorio"), queryset=Organization.objects.none()
    )
    role = forms.ChoiceField(label=_("Papel"), choices=Party.Role.choices)

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        # The region's organisations, and academic institutions and networks from anywhere.
        self.fields["organization"].queryset = (
            Organization.objects.published()
            .filter(
                Q(municipality__region_id=agreement.region_id)
                | Q(kind__in=[Organization.Kind.ACADEMIC, Organization.Kind.NETWORK])
            )
            .exclude(agreement_parties__agreement=agreement)
            .order_by("kind", "name")
        )


class SignatoryForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Firma por"), queryset=Party.objects.none())
    name = forms.CharField(label=_("Nombre"), max_length=150)
    post = forms.CharField(label=_("Cargo"), max_length=200)

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = agreement.parties.select_related("organization")


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["text", "responsible", "due_on", "indicator", "position"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        self.fields["responsible"].queryset = agreement.parties.select_related("organization")
        self.fields["due_on"].error_messages["invalid"] = _(
            "La fecha no es válida; use AAAA-MM-DD."
        )


class UpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado del compromiso"), choices=Commitment.Status.choices)
    note = forms.CharField(
        label=_("Qué se hizo (nota)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    link = forms.URLField(
        label=_("Enlace a la evidencia"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    file = forms.FileField(
        label=_("Archivo de evidencia (PDF, JPEG o PNG; 10 MB como máximo)"), required=False
    )

    def clean_link(self):
        link = self.cleaned_data["link"]
        if link and not link.lower().startswith(("http://", "https://")):
            raise ValidationError(_("El enlace debe empezar con http:// o https://."))
        return link

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        self.file_extension = sniff(upload, {"pdf", "jpg", "png"}) if upload else ""
        return upload


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Revisión"),
        choices=[("confirm", _("Confirmo el avance")), ("dispute", _("Impugno el avance"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motivo (obligatorio si impugna)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "dispute" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Explique por qué impugna este avance."))
        return data
