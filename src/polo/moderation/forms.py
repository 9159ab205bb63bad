from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from polo.moderation.models import Report


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("¿Qué problema tiene?"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Nota para el equipo (opcional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo (la persona autora lo verá)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
