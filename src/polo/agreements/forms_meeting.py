"""Forms to turn an agreement reached at a meeting into a commitment: of an
agreement (convenio) the meeting's organisers are party to, or of a new draft.
Kept apart from forms.py: they belong to the meeting's write-up."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from polo.agreements.models import Agreement


class _CommitmentFields(forms.Form):
    text = forms.CharField(
        label=_("Compromiso"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        label=_("Fecha límite"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("La fecha no es válida; use AAAA-MM-DD.")},
    )
    indicator = forms.CharField(
        label=_("Indicador de cumplimiento"),
        max_length=500,
        help_text=_("Cómo se sabrá que se cumplió."),
    )

    def __init__(self, *args, meeting_agreement, **kwargs):
        kwargs.setdefault(
            "initial", {"text": meeting_agreement.text, "due_on": meeting_agreement.due_date}
        )
        super().__init__(*args, **kwargs)


class PartyChoice(forms.ModelChoiceField):
    def label_from_instance(self, party) -> str:
        return _("%(agreement)s — responsable: %(party)s") % {
            "agreement": party.agreement.title,
            "party": party.organization.name,
        }


class ExistingAgreementForm(_CommitmentFields):
    """A commitment of an agreement in force: one choice says the agreement and
    the responsible party at once (no script needed)."""

    responsible = PartyChoice(
        label=_("Convenio y parte responsable"), queryset=None, empty_label=None
    )
    field_order = ["responsible", "text", "due_on", "indicator"]

    def __init__(self, *args, parties, **kwargs):
        kwargs.setdefault("prefix", "convenio")
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = parties


class NewDraftForm(_CommitmentFields):
    title = forms.CharField(label=_("Título del convenio"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Tipo de convenio"),
        choices=Agreement.Kind.choices,
        initial=Agreement.Kind.CSO_AUTHORITY,
    )
    responsible = forms.ModelChoiceField(
        label=_("Organización responsable"), queryset=None, empty_label=None
    )
    field_order = ["title", "kind", "responsible", "text", "due_on", "indicator"]

    def __init__(self, *args, organizers, meeting_agreement, **kwargs):
        kwargs.setdefault("prefix", "borrador")
        kwargs.setdefault(
            "initial",
            {
                "text": meeting_agreement.text,
                "due_on": meeting_agreement.due_date,
                "title": str(
                    _("Convenio del encuentro «%(meeting)s»")
                    % {"meeting": meeting_agreement.meeting.title}
                )[:200],
            },
        )
        super().__init__(*args, meeting_agreement=meeting_agreement, **kwargs)
        self.fields["responsible"].queryset = organizers
