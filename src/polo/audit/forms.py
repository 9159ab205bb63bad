from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from polo.audit.selectors import TrailFilter, tracked_models


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")  # what <input type="date"> expects


class TrailFilterForm(forms.Form):
    tipo = forms.ChoiceField(label=_("Tipo de registro"), required=False)
    persona = forms.CharField(
        label=_("Quién hizo el cambio"),
        required=False,
        max_length=150,
        help_text=_("Correo o nombre, completo o en parte."),
    )
    desde = forms.DateField(label=_("Desde el día"), required=False, widget=DateInput())
    hasta = forms.DateField(label=_("Hasta el día"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kinds = sorted(
            ((t.label, capfirst(t.verbose_name_plural)) for t in tracked_models()),
            key=lambda choice: choice[1],
        )
        self.fields["tipo"].choices = [("", _("Todos")), *kinds]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("desde"), cleaned.get("hasta")
        if since and until and since > until:
            raise forms.ValidationError(_("La fecha «desde» es posterior a la fecha «hasta»."))
        return cleaned

    def trail_filter(self) -> TrailFilter:
        """The filter for the selector; days are whole days in Polo's time zone."""
        data = self.cleaned_data
        since, until = data.get("desde"), data.get("hasta")
        return TrailFilter(
            label=data.get("tipo") or "",
            person=(data.get("persona") or "").strip(),
            since=_start_of(since) if since else None,
            until=_start_of(until + timedelta(days=1)) if until else None,
        )


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
