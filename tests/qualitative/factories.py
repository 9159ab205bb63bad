"""Factories and builders of the qualitative tests (and of the authorization
matrix's rows for this app)."""

from __future__ import annotations

import datetime as dt

import factory

from polo.qualitative import services
from polo.qualitative.models import Code, FocusGroup, Passage
from polo.surveys.models import Campaign, FormVersion, Instrument, Response, Round
from polo.surveys.services import response_store_answers
from polo.surveys.spec import FormSpec

NOTES = (
    "La comunidad habló primero del centro de salud: abre dos días a la semana y no "
    "siempre hay médico.\n\n"
    "Varias mujeres dijeron que caminan tres horas para llegar al hospital de la cabecera.\n\n"
    "Sobre el agua, el pozo se seca en abril y las familias compran pipas."
)


class CodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Code
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tema-cualitativo-{n}")
    name = factory.Sequence(lambda n: f"Tema cualitativo {n}")


class FocusGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusGroup

    title = factory.Sequence(lambda n: f"Grupo focal {n}")
    held_on = dt.date(2026, 10, 15)
    notes = NOTES
    status = FocusGroup.Status.COMPLETE
    women_30_59 = 6
    men_30_59 = 4


def code_passage(focus_group: FocusGroup, codes, *, by=None, passage: str = "", paragraph=None):
    """A coded passage of a session, made the way the page makes it (the first
    paragraph when neither a passage nor a paragraph is given)."""
    if not passage and paragraph is None:
        paragraph = 0
    return services.passage_code_focus_group(
        focus_group=focus_group, by=by, codes=codes, paragraph=paragraph, passage=passage
    )


# --- A tiny survey with open answers -------------------------------------------------

OPEN_FORM_SPEC = {
    "form_id": "abiertas",
    "title": "Preguntas abiertas",
    "version": "1",
    "languages": ["Español (es)"],
    "default_language": "Español (es)",
    "children": [
        {
            "kind": "question",
            "name": "municipio",
            "type": "text",
            "label": {"Español (es)": "Municipio"},
        },
        {
            "kind": "question",
            "name": "problemas",
            "type": "text",
            "label": {"Español (es)": "¿Qué problemas ve en su comunidad?"},
        },
        {
            "kind": "question",
            "name": "edad",
            "type": "integer",
            "label": {"Español (es)": "Edad"},
        },
        {
            "kind": "repeat",
            "name": "propuestas",
            "type": "repeat",
            "label": {"Español (es)": "Propuestas"},
            "children": [
                {
                    "kind": "question",
                    "name": "propuesta",
                    "type": "text",
                    "label": {"Español (es)": "Propuesta"},
                }
            ],
        },
    ],
    "choices": {},
}


def open_form_version(by=None) -> FormVersion:
    """A form version with two open questions (one in a repeat) and an integer,
    written as Polo's spec directly (the XLSForm conversion has tests of its own)."""
    FormSpec.from_json(OPEN_FORM_SPEC)  # the spec must read back
    instrument, _ = Instrument.objects.get_or_create(
        slug="preguntas-abiertas", defaults={"title": "Preguntas abiertas"}
    )
    version, _ = FormVersion.objects.get_or_create(
        instrument=instrument,
        number=1,
        defaults={
            "version": "1",
            "form_id": "abiertas",
            "title": "Preguntas abiertas",
            "xlsform": "surveys/forms/abiertas.xlsx",
            "xform": "<h:html/>",
            "xform_md5": "0" * 32,
            "spec": OPEN_FORM_SPEC,
            "languages": ["Español (es)"],
            "created_by": by,
        },
    )
    return version


def open_round(region, *, slug: str = "abiertas-2026") -> Round:
    """An open campaign in ``region`` (a facilitator of it may code its answers)
    with its baseline round."""
    version = open_form_version()
    campaign, created = Campaign.objects.get_or_create(
        slug=slug,
        defaults={
            "instrument": version.instrument,
            "title": "Diagnóstico con preguntas abiertas",
            "respondent": Campaign.Respondent.PERSON,
            "status": Campaign.Status.OPEN,
        },
    )
    if created:
        campaign.regions.set([region])
    round_, _ = Round.objects.get_or_create(
        campaign=campaign,
        order=1,
        defaults={"kind": Round.Kind.BASELINE, "name": "Línea base", "is_open": True},
    )
    return round_


def open_response(round_: Round, municipality, *, problems: str, proposals=(), **fields):
    data = {"municipio": municipality.code, "problemas": problems, "edad": "34"}
    if proposals:
        data["propuestas"] = [{"propuesta": text} for text in proposals]
    response = Response.objects.create(
        round=round_,
        form_version=round_.campaign.instrument.versions.get(number=1),
        respondent_kind=Campaign.Respondent.PERSON,
        municipality=municipality,
        data=data,
        status=fields.pop("status", Response.Status.SUBMITTED),
        source=Response.Source.WEB,
        **fields,
    )
    response_store_answers(response)
    return response


def passage_of_answer(response, codes, *, question="problemas", row=0, passage="", by=None):
    return services.passage_code_answer(
        response=response, question=question, row=row, by=by, codes=codes, passage=passage
    )


def first_passage(focus_group: FocusGroup) -> Passage:
    return focus_group.passages.order_by("pk").first()


# --- The authorization matrix's world ------------------------------------------------
# Each takes the matrix's `world` (tests/test_authorization_matrix.py): the
# organisation's municipality is in the facilitator's region.


def matrix_code(w) -> Code:
    return CodeFactory(slug="salud", name="Acceso a servicios de salud")


def matrix_session(w) -> FocusGroup:
    return FocusGroupFactory(municipality=w["organization"].municipality)


def matrix_passage(w) -> Passage:
    return code_passage(matrix_session(w), [matrix_code(w)])


def matrix_round(w) -> Round:
    return open_round(w["organization"].municipality.region)
