"""The agendas' forms: an agenda, a proposal, a comment, an amendment and its
answer, an in-person tally, and the adoption's choice. Ballots are read from the
POST by the view (one field per proposal), so that a name of a proposal that
does not exist reaches the service and is refused there with its message."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from polo.agendas.models import Agenda, Amendment, Comment, InPersonTally, Proposal
from polo.directory.models import Organization, Theme
from polo.indicators.models import Indicator
from polo.meetings.models import Meeting
from polo.territory.models import Municipality, Region


class AgendaForm(forms.ModelForm):
    class Meta:
        model = Agenda
        fields = [
            "title",
            "slug",
            "description",
            "region",
            "municipality",
            "theme",
            "facilitators",
            "forum",
            "method",
            "points",
            "ranks",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.order_by("ordering", "name")
        if not user.is_coordinator:
            regions = regions.filter(pk__in=user.regions.values("pk"))
        self.fields["region"].queryset = regions
        self.fields["municipality"].queryset = Municipality.objects.filter(
            region__in=regions
        ).select_related("state")
        self.fields["theme"].queryset = Theme.objects.order_by("name")
        self.fields["facilitators"].queryset = get_user_model().objects.filter(
            role=get_user_model().Role.FACILITATOR, is_active=True
        )
        self.fields["facilitators"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["facilitators"].choices
        )
        self.fields["forum"].queryset = Meeting.objects.filter(
            municipality__region__in=regions
        ).order_by("-start")
        if self.instance.pk and self.instance.phase != Agenda.Phase.DRAFT:
            # Once open, the rules of the prioritisation stay as announced.
            for name in ("slug", "method", "points", "ranks"):
                self.fields[name].disabled = True


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = [
            "title",
            "problem",
            "proposal",
            "authority",
            "authority_text",
            "municipality",
            "themes",
            "indicators",
            "organizations",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "proposal": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, agenda: Agenda, **kwargs):
        super().__init__(*args, **kwargs)
        if agenda.municipality_id:
            places = Municipality.objects.filter(pk=agenda.municipality_id)
        else:
            places = Municipality.objects.filter(region_id=agenda.region_id)
        self.fields["municipality"].queryset = places.order_by("name")
        published = Organization.objects.published().filter(municipality__in=places)
        self.fields["authority"].queryset = published.filter(
            kind=Organization.Kind.LOCAL_AUTHORITY
        ).order_by("name")
        self.fields["organizations"].queryset = published.order_by("name")
        self.fields["organizations"].required = False
        self.fields["themes"].queryset = Theme.objects.order_by("name")
        self.fields["indicators"].queryset = Indicator.objects.published().order_by("name")
        for name in ("themes", "indicators", "organizations"):
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if not data.get("authority") and not (data.get("authority_text") or "").strip():
            self.add_error(
                "authority_text",
                _("Diga qué autoridad puede decidirlo: elíjala del directorio o escríbala."),
            )
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        links = ("themes", "indicators", "organizations")
        return {
            "fields": {k: v for k, v in data.items() if k not in links},
            "themes": data.get("themes") or [],
            "indicators": data.get("indicators") or [],
            "organizations": data.get("organizations") or [],
        }


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Su comentario"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("El comentario está vacío."))
        return body


class AmendmentForm(forms.ModelForm):
    class Meta:
        model = Amendment
        fields = ["text", "reason"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }


class AmendmentAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decisión"),
        choices=[("accept", _("Aceptar")), ("reject", _("No aceptar"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Respuesta (opcional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TallyForm(forms.ModelForm):
    class Meta:
        model = InPersonTally
        fields = ["people", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "note": _("Dónde y cómo se votó (papeletas, mano alzada), y quién contó."),
        }


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(choices=Agenda.Phase.choices)


def comment_parent(proposal: Proposal, pk: int | None) -> Comment | None:
    if pk is None:
        return None
    return Comment.objects.filter(pk=pk, proposal=proposal).first()
