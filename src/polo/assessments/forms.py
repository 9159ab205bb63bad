"""Forms of the self-assessment pages. Plain POST forms that work without
JavaScript; the services do the writing and say what is wrong."""

from __future__ import annotations

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from polo.assessments.models import Assessment, PlanAction
from polo.surveys.xlsform import MAX_XLSFORM_BYTES

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StartForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("¿Cómo lo van a responder?"),
        choices=Assessment.Mode.choices,
        initial=Assessment.Mode.SELF,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, may_facilitate: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not may_facilitate:
            self.fields["mode"].choices = [(Assessment.Mode.SELF.value, Assessment.Mode.SELF.label)]
        self.fields["mode"].help_text = _(
            "«Facilitado en un taller»: una facilitadora o un facilitador del programa registra "
            "las respuestas con la organización, en su nombre; el registro lo dice."
        )


class InviteForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Integrante"), coerce=int, empty_value=None)

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", _("Elija a una persona"))] + [
            (user.pk, f"{user.full_name or user.email}") for user in candidates
        ]
        self.fields["user"].help_text = _(
            "Cada persona responde sola, con su propia cuenta; después ustedes registran el "
            "nivel de consenso de cada ítem viendo todas las respuestas juntas."
        )


class PlanActionForm(forms.Form):
    item = forms.ChoiceField(label=_("Ítem"))
    suggestion = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Acción"), max_length=300)
    responsible = forms.CharField(label=_("Persona responsable"), max_length=150)
    due_on = forms.DateField(label=_("Fecha compromiso"), widget=DATE_INPUT)

    def __init__(self, *args, items: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = items


class PlanActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado"), choices=PlanAction.Status.choices)
    responsible = forms.CharField(label=_("Persona responsable"), max_length=150)
    due_on = forms.DateField(label=_("Fecha compromiso"), widget=DATE_INPUT)
    progress_note = forms.CharField(
        label=_("Avance"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comentario"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    action = forms.TypedChoiceField(label=_("Sobre"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, actions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("El plan en general"))] + [
            (action.pk, action.title[:80]) for action in actions
        ]


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm del autodiagnóstico (.xlsx)"),
        validators=[FileExtensionValidator(["xlsx"])],
        help_text=_(
            "Descargue el Manual de incidencia, adáptelo en Excel o LibreOffice y súbalo: "
            "será una versión nueva. Los autodiagnósticos ya hechos conservan su versión."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_XLSFORM_BYTES:
            raise forms.ValidationError(
                _("El archivo pesa más de %(mb)s MB.") % {"mb": MAX_XLSFORM_BYTES // (1024 * 1024)}
            )
        return upload
