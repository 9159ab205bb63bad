"""Forms: the practice itself, a piece of evidence, the meetings where it was
presented. Texts go through the directory's CleanCharField (hostile characters
out); files are checked by their first bytes, as the meetings' uploads are."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polo.directory.forms import CleanCharField
from polo.directory.models import Organization, Theme
from polo.meetings.forms import MAX_UPLOAD, sniff_type
from polo.meetings.models import Meeting
from polo.practices.models import Evidence, GoodPractice
from polo.territory.models import Community, Municipality

MEETING_CHOICES_LIMIT = 300


def organizations_for(user):
    """The organisations this person may record a practice for: those they edit;
    facilitators, those of their regions; coordinators, any."""
    organizations = Organization.objects.exclude(status=Organization.Status.ARCHIVED)
    if user.is_coordinator:
        return organizations
    scope = Q(memberships__user=user, memberships__is_editor=True)
    if user.is_facilitator:
        scope |= Q(municipality__region__in=user.regions.all())
    return organizations.filter(scope).distinct()


class PracticeForm(forms.ModelForm):
    title = CleanCharField(label=_("Título"), max_length=200, required=True)
    problem = CleanCharField(
        label=_("El problema"),
        multiline=True,
        max_length=5000,
        required=True,
        help_text=_("¿Qué situación quería cambiar la organización, y a quién afectaba?"),
    )
    actions = CleanCharField(
        label=_("Lo que se hizo"), multiline=True, max_length=8000, required=True
    )
    results = CleanCharField(
        label=_("Resultados"),
        multiline=True,
        max_length=5000,
        required=True,
        help_text=_("Las evidencias (notas, enlaces, archivos) se añaden después de guardar."),
    )
    reusable = CleanCharField(
        label=_("Lo que otras organizaciones pueden retomar"), multiline=True, max_length=5000
    )
    contact_name = CleanCharField(label=_("Persona de contacto"), max_length=150)
    contact_phone = CleanCharField(label=_("Teléfono de contacto"), max_length=30)

    class Meta:
        model = GoodPractice
        fields = [
            "organization",
            "title",
            "problem",
            "actions",
            "results",
            "reusable",
            "municipality",
            "community",
            "themes",
            "start_year",
            "end_year",
            "contact_name",
            "contact_name_public",
            "contact_email",
            "contact_email_public",
            "contact_phone",
            "contact_phone_public",
        ]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = organizations_for(user)
        if self.instance.pk:  # the recording organisation stays the one it was
            organizations = Organization.objects.filter(pk=self.instance.organization_id)
        self.fields["organization"].queryset = organizations.only("pk", "name").order_by("name")
        self.fields["organization"].error_messages["invalid_choice"] = _(
            "No puedes registrar prácticas a nombre de esa organización."
        )
        self.fields["municipality"].queryset = (
            Municipality.objects.filter(region__isnull=False)
            .select_related("state")
            .order_by("state__name", "name")
        )
        self.fields["municipality"].label_from_instance = lambda m: f"{m.name} ({m.state.name})"
        self.fields["community"].queryset = (
            Community.objects.filter(key_profile__isnull=False)
            .select_related("municipality")
            .order_by("name")
        )
        self.fields["community"].label_from_instance = lambda c: f"{c.name}, {c.municipality.name}"
        self.fields["community"].help_text = _("Solo las comunidades clave del programa.")
        self.fields["themes"].queryset = Theme.objects.order_by("name")
        for name in ("start_year", "end_year"):
            self.fields[name].widget.attrs.update({"min": 1950, "max": 2100})


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Tipo de evidencia"), choices=Evidence.Kind.choices, widget=forms.RadioSelect
    )
    title = CleanCharField(label=_("Título"), max_length=200, required=True)
    note = CleanCharField(label=_("Nota"), multiline=True, max_length=4000)
    url = forms.URLField(label=_("Enlace"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(
        label=_("Archivo (JPEG, PNG, WebP o PDF; 10 MB como máximo)"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
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

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        needed = {"note": "note", "link": "url", "file": "file"}.get(kind)
        if needed and not cleaned.get(needed) and needed not in self.errors:
            self.add_error(
                needed,
                {
                    "note": _("Escribe la nota."),
                    "url": _("Escribe el enlace."),
                    "file": _("Elige el archivo."),
                }[needed],
            )
        return cleaned


def meeting_choices():
    """Published meetings, the most recent first (a practice is presented at
    one that has taken place, or is about to)."""
    return Meeting.objects.public().select_related("municipality").order_by("-start", "pk")


class PracticeMeetingsForm(forms.Form):
    meetings = forms.ModelMultipleChoiceField(
        label=_("Encuentros donde se presentó"),
        queryset=Meeting.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, current=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = list(meeting_choices().values_list("pk", flat=True)[:MEETING_CHOICES_LIMIT])
        ids += [m.pk for m in current]
        self.fields["meetings"].queryset = meeting_choices().filter(pk__in=ids)
        self.fields["meetings"].label_from_instance = lambda m: f"{m.title} · {m.start:%d/%m/%Y}"
        self.fields["meetings"].error_messages["invalid_choice"] = _(
            "Uno de los encuentros elegidos no existe o no es público."
        )


class PracticeSearchForm(forms.Form):
    buscar = CleanCharField(label=_("Buscar una buena práctica publicada"), max_length=100)
