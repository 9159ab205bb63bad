"""The forms of a consultation's definition, its voting codes and its ballot."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polo.consultations.models import Consultation, Question
from polo.meetings.models import Meeting
from polo.territory.models import Municipality, Region

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_LIST = 5000
MEETING_CHOICES = 200  # the most recent meetings offered in the list
RESERVED_SLUGS = {"nueva"}


class ConsultationForm(forms.ModelForm):
    voter_emails = forms.CharField(
        label=_("Lista de personas que pueden votar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Solo si votan las personas de una lista: un correo electrónico por línea."),
        max_length=MAX_LIST * 80,
    )

    class Meta:
        model = Consultation
        fields = [
            "title",
            "slug",
            "description",
            "region",
            "municipality",
            "eligibility",
            "sector",
            "meeting",
            "opens_at",
            "closes_at",
            "receipt_shows_choices",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        regions = Region.objects.order_by("name")
        municipalities = Municipality.objects.in_programme().order_by("name")
        meetings = Meeting.objects.order_by("-start")
        if not user.is_coordinator:
            mine = user.regions.all()
            regions = regions.filter(pk__in=mine)
            municipalities = municipalities.filter(region__in=mine)
            meetings = meetings.filter(municipality__region__in=mine)
        self.fields["region"].queryset = regions
        self.fields["municipality"].queryset = municipalities.select_related("region")
        self.fields["municipality"].label_from_instance = lambda m: f"{m.name} ({m.region.name})"
        # Offer the most recent meetings (and the one already chosen), through a
        # pk subquery: a sliced queryset cannot validate a choice (filter() fails).
        recent = Q(pk__in=meetings.values("pk")[:MEETING_CHOICES])
        if self.instance.meeting_id:
            recent |= Q(pk=self.instance.meeting_id)
        self.fields["meeting"].queryset = Meeting.objects.filter(recent).order_by("-start")
        if self.instance.pk:
            self.fields["voter_emails"].initial = "\n".join(
                self.instance.eligible_voters.values_list("user__email", flat=True)
            )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("Ese identificador está reservado; elija otro."))
        return slug

    def clean(self):
        data = super().clean()
        region, municipality = data.get("region"), data.get("municipality")
        if municipality and not region:
            data["region"] = self.instance.region = municipality.region
        emails = [
            line.strip().lower()
            for line in data.get("voter_emails", "").splitlines()
            if line.strip()
        ]
        if len(emails) > MAX_LIST:
            message = _("La lista admite hasta %(n)s personas.") % {"n": MAX_LIST}
            self.add_error("voter_emails", message)
        users = list(get_user_model().objects.filter(email__in=emails, is_active=True))
        unknown = sorted(set(emails) - {u.email for u in users})
        if unknown:
            self.add_error(
                "voter_emails",
                _("Estos correos no tienen cuenta en Polo: %(emails)s")
                % {"emails": ", ".join(unknown[:10])},
            )
        if data.get("eligibility") == Consultation.Eligibility.LIST and not users:
            self.add_error("voter_emails", _("Escriba al menos un correo."))
        self.voters = users
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Pregunta"), max_length=300)
    kind = forms.ChoiceField(label=_("Tipo"), choices=Question.Kind.choices)
    max_choices = forms.IntegerField(
        label=_("Máximo de opciones (varias opciones)"), min_value=1, max_value=50, initial=2
    )
    options = forms.CharField(
        label=_("Opciones"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Una opción por línea; al menos dos."),
        max_length=5000,
    )

    def clean_options(self) -> list[str]:
        lines = [line.strip()[:200] for line in self.cleaned_data["options"].splitlines()]
        options = list(dict.fromkeys(line for line in lines if line))
        if len(options) < 2:
            raise forms.ValidationError(_("Escriba al menos dos opciones distintas."))
        if len(options) > 50:
            raise forms.ValidationError(_("Una pregunta admite hasta 50 opciones."))
        return options


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("Cuántos códigos"), min_value=1, max_value=2000, initial=50)


class VoterCheckForm(forms.Form):
    email = forms.EmailField(label=_("Correo electrónico de la persona"), max_length=254)


def parse_ballot(post, questions) -> tuple[dict[int, list[int]], list[str]]:
    """The answers of a submitted ballot: ``q<id>`` fields (a radio or checkboxes)
    or, for a ranking, ``q<id>_<option id>`` fields holding each option's place.
    Returns (answers, errors); ids that do not parse are errors, ids that are not
    options of the question are left for the service to refuse."""
    answers: dict[int, list[int]] = {}
    errors: list[str] = []
    known = {str(q.pk) for q in questions}
    for key in post:
        if key.startswith("q") and key[1:].split("_")[0] not in known:
            errors.append(str(_("La boleta responde una pregunta que no es de esta consulta.")))
    for question in questions:
        if question.kind == Question.Kind.RANKING:
            places: dict[int, int] = {}
            prefix = f"q{question.pk}_"
            for key, value in post.items():
                if not key.startswith(prefix) or not value.strip():
                    continue
                try:
                    places[int(key[len(prefix) :])] = int(value)
                except ValueError:
                    errors.append(str(_("El lugar de una opción debe ser un número.")))
            ranked = sorted(places, key=places.get)
            if sorted(places.values()) != list(range(1, len(places) + 1)):
                errors.append(
                    str(
                        _("«%(q)s»: numere las opciones 1, 2, 3… sin repetir ni saltar lugares.")
                        % {"q": question.text}
                    )
                )
            answers[question.pk] = ranked
        else:
            values = post.getlist(f"q{question.pk}")
            try:
                answers[question.pk] = [int(v) for v in values if v]
            except ValueError:
                errors.append(str(_("La boleta elige una opción que no existe.")))
    return answers, errors
