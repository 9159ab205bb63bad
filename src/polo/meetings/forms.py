"""Forms: registration (one's own, or on behalf of someone), walk-in, paper sheet,
write-up (minutes, agreements, files) and the participants' evaluation."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from polo.directory.models import Organization
from polo.meetings.models import AgeBand, Evaluation, Meeting, MeetingFile, Sector, Sex
from polo.meetings.services import PersonData
from polo.territory.models import Municipality

INDIGENOUS_CHOICES = [("", _("Prefiere no decir")), ("yes", _("Sí")), ("no", _("No"))]


def _municipalities(meeting: Meeting | None):
    municipalities = Municipality.objects.select_related("state").order_by("name")
    if meeting is not None and meeting.municipality_id and meeting.municipality.region_id:
        return municipalities.filter(region_id=meeting.municipality.region_id)
    return municipalities.filter(region__isnull=False)


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Nombre completo"), max_length=150)
    sex = forms.ChoiceField(label=_("Sexo"), choices=Sex.choices)
    age_band = forms.ChoiceField(label=_("Edad"), choices=AgeBand.choices)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    municipality = forms.ModelChoiceField(
        label=_("Municipio donde vive"), queryset=Municipality.objects.none(), required=False
    )

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = _municipalities(meeting)
        self.fields["municipality"].label_from_instance = lambda m: m.name

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name) < 2:
            raise ValidationError(_("Escriba el nombre."))
        return name

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        indigenous = {"yes": True, "no": False}.get(data.get("indigenous") or "")
        return PersonData(
            full_name=data["full_name"],
            sex=data["sex"],
            age_band=data["age_band"],
            sector=data["sector"],
            municipality=data.get("municipality"),
            birth_year=data.get("birth_year"),
            organization=data.get("organization"),
            organization_name=data.get("organization_name", ""),
            indigenous=indigenous,
            language=data.get("language", ""),
        )


class WalkInForm(PersonForm):
    """The few taps at the door."""


class RegistrationForm(PersonForm):
    birth_year = forms.IntegerField(
        label=_("Año de nacimiento"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Opcional: ayuda a no contar dos veces a la misma persona."),
    )
    organization = forms.ModelChoiceField(
        label=_("Organización (del directorio)"),
        queryset=Organization.objects.none(),
        required=False,
    )
    organization_name = forms.CharField(
        label=_("u otra organización, colectivo o institución"), max_length=200, required=False
    )
    indigenous = forms.ChoiceField(
        label=_("¿Se reconoce como persona indígena?"), choices=INDIGENOUS_CHOICES, required=False
    )
    language = forms.CharField(label=_("Lengua indígena que habla"), max_length=80, required=False)
    needs_interpretation = forms.BooleanField(label=_("Necesito interpretación"), required=False)
    interpretation_language = forms.CharField(
        label=_("¿De qué lengua?"), max_length=80, required=False
    )
    accessibility_needs = forms.CharField(
        label=_("Necesidades de accesibilidad"), max_length=255, required=False
    )
    consent = forms.BooleanField(
        label=_("Acepto el aviso de privacidad"),
        required=True,
        error_messages={"required": _("Hace falta aceptar el aviso de privacidad.")},
    )

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, meeting=meeting, **kwargs)
        organizers = Organization.objects.published().order_by("name")
        if meeting is not None and meeting.municipality_id and meeting.municipality.region_id:
            organizers = organizers.filter(municipality__region_id=meeting.municipality.region_id)
        self.fields["organization"].queryset = organizers.only("pk", "name")


class CheckinSearchForm(forms.Form):
    q = forms.CharField(label=_("Buscar por nombre"), required=False, max_length=100)


class PaperSheetForm(forms.Form):
    """Attended registrations are ticked from the list; new rows are walk-ins."""

    attended = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(r.pk, r.person.full_name) for r in registrations]
        self.fields["attended"].error_messages["invalid_choice"] = _(
            "Una de las personas marcadas no está inscrita en este encuentro."
        )


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 12})}


class AgreementForm(forms.Form):
    text = forms.CharField(
        label=_("Acuerdo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    responsible = forms.CharField(label=_("Responsable"), max_length=200, required=False)
    due_date = forms.DateField(
        label=_("Fecha compromiso"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("La fecha no es válida; use AAAA-MM-DD.")},
    )


MAX_UPLOAD = 10 * 1024 * 1024
ALLOWED_TYPES = {
    "image/jpeg": MeetingFile.Kind.PHOTO,
    "image/png": MeetingFile.Kind.PHOTO,
    "image/webp": MeetingFile.Kind.PHOTO,
    "application/pdf": MeetingFile.Kind.DOCUMENT,
}


def sniff_type(head: bytes) -> str | None:
    """The file's type from its first bytes, not from its name or its browser."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


class MeetingFileForm(forms.Form):
    title = forms.CharField(label=_("Título"), max_length=200)
    file = forms.FileField(label=_("Archivo (JPEG, PNG, WebP o PDF; 10 MB como máximo)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError(_("El archivo pasa de 10 MB."))
        head = upload.read(16)
        upload.seek(0)
        content_type = sniff_type(head)
        if content_type is None:
            raise ValidationError(
                _("Solo se aceptan fotografías (JPEG, PNG, WebP) o documentos PDF.")
            )
        self.content_type = content_type
        return upload


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["usefulness", "organisation", "comments"]
        labels = {
            "usefulness": _("¿Qué tan útil fue el encuentro? (1 a 5)"),
            "organisation": _("¿Qué tan bien organizado estuvo? (1 a 5)"),
            "comments": _("Comentarios"),
        }
        widgets = {
            "usefulness": forms.RadioSelect(choices=[(i, str(i)) for i in range(1, 6)]),
            "organisation": forms.RadioSelect(choices=[(i, str(i)) for i in range(1, 6)]),
            "comments": forms.Textarea(attrs={"rows": 4}),
        }


DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class MeetingForm(forms.ModelForm):
    """A meeting as its organisers write it. The agenda is one point per line."""

    agenda_text = forms.CharField(
        label=_("Orden del día"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Un punto por línea."),
        max_length=5000,
    )
    online_url = forms.URLField(
        label=_("Enlace para conectarse"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "description",
            "start",
            "end",
            "municipality",
            "address",
            "online_url",
            "organizers",
            "themes",
            "capacity",
            "registration",
            "status",
        ]
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
            "description": forms.Textarea(attrs={"rows": 5}),
            "organizers": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("start", "end"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
            self.fields[name].error_messages["invalid"] = _(
                "La fecha y hora no son válidas; use AAAA-MM-DD HH:MM."
            )
        municipalities = Municipality.objects.filter(region__isnull=False).order_by("name")
        if user.is_facilitator and not user.is_coordinator:
            municipalities = municipalities.filter(region__in=user.regions.all())
        self.fields["municipality"].queryset = municipalities.select_related("region")
        self.fields["municipality"].label_from_instance = lambda m: f"{m.name} ({m.region.name})"
        own = Organization.objects.filter(memberships__user=user, memberships__is_editor=True)
        if self.instance.pk:
            own = own | self.instance.organizers.all()
        self.fields["organizers"].queryset = own.distinct().order_by("name")
        self.fields["organizers"].required = not (user.is_facilitator or user.is_coordinator)
        if self.instance.pk:
            self.fields["agenda_text"].initial = "\n".join(
                item.text for item in self.instance.agenda.all()
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("El fin debe ser después del inicio."))
        if not data.get("municipality") and not data.get("online_url"):
            self.add_error(
                "municipality", _("Indique un municipio, un enlace para conectarse o ambos.")
            )
        return data

    def agenda_lines(self) -> list[str]:
        text = self.cleaned_data.get("agenda_text", "")
        return [line.strip()[:255] for line in text.splitlines() if line.strip()][:50]
