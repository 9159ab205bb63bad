"""Fixtures and helpers of the web form's tests: a form with every question type,
campaigns asking a person and a community, and a client-side reading of the
section page (hidden fields, the version) to post it back as a browser would."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from polo.surveys import services
from polo.surveys.models import Campaign, Response, Round
from polo.surveys.workbooks import xlsform_bytes
from tests import factories as f

ES = "label::Español (es)"
EN = "label::English (en)"
HEADER = [
    "type",
    "name",
    ES,
    EN,
    "hint::Español (es)",
    "required",
    "relevant",
    "constraint",
    "constraint_message::Español (es)",
    "choice_filter",
    "calculation",
    "appearance",
    "parameters",
]


def row(kind, name, es="", en="", hint="", required="", relevant="", constraint="", **more):
    return [
        kind,
        name,
        es,
        en or es,
        hint,
        required,
        relevant,
        constraint,
        more.get("message", ""),
        more.get("choice_filter", ""),
        more.get("calculation", ""),
        more.get("appearance", ""),
        more.get("parameters", ""),
    ]


# Every type the web form draws, in three sections and a repeat.
TYPES_SURVEY = [
    row("begin_group", "datos", "Datos", "Data"),
    row("note", "aviso", "Conteste con calma. Lleva ${edad} años.", "Take your time."),
    row(
        "text",
        "nombre",
        "Nombre",
        "Name",
        hint="Como aparece en su identificación.",
        required="yes",
    ),
    row("text", "historia", "Historia", "Story", appearance="multiline"),
    row(
        "integer",
        "edad",
        "Edad",
        "Age",
        constraint=". >= 0 and . <= 120",
        message="Escriba una edad entre 0 y 120.",
    ),
    row("decimal", "ingreso", "Ingreso mensual", "Monthly income"),
    row("select_one color", "color", "Color favorito", "Favourite colour"),
    row("select_one color", "color_lista", "Otro color", "Other colour", appearance="minimal"),
    row("select_multiple fruta", "frutas", "Frutas", "Fruits"),
    row("begin_group", "fechas", "Fechas", "Dates"),
    row("date", "nacimiento", "Nacimiento", "Birth"),
    row("time", "hora", "Hora", "Time"),
    row("datetime", "momento", "Momento", "Moment"),
    row("end_group", ""),
    row("end_group", ""),
    row("begin_group", "lugar", "Lugar", "Place"),
    row("select_one estado", "estado", "Estado", "State"),
    row("select_one ciudad", "ciudad", "Ciudad", "City", choice_filter="estado=${estado}"),
    row("geopoint", "punto", "Ubicación", "Location"),
    row("range", "escala", "Escala", "Scale", parameters="start=1 end=5 step=1"),
    row("range", "porcentaje", "Porcentaje", "Percentage", parameters="start=0 end=100 step=5"),
    row("acknowledge", "acepto", "Acepto las condiciones", "I agree"),
    row("image", "foto", "Foto", "Photo"),
    row("file", "documento", "Documento", "Document"),
    row("calculate", "doble_edad", calculation="${edad} * 2"),
    row("end_group", ""),
    row("begin_repeat", "hijos", "Hijos", "Children"),
    row("text", "hijo_nombre", "Nombre del hijo", "Child's name", required="yes"),
    row("integer", "hijo_edad", "Edad del hijo", "Child's age", constraint=". >= 0"),
    row("end_repeat", ""),
]
TYPES_CHOICES = [
    ["list_name", "name", ES, EN, "estado"],
    ["color", "rojo", "Rojo", "Red"],
    ["color", "azul", "Azul", "Blue"],
    ["fruta", "mango", "Mango", "Mango"],
    ["fruta", "papaya", "Papaya", "Papaya"],
    ["fruta", "guayaba", "Guayaba", "Guava"],
    ["estado", "oax", "Oaxaca", "Oaxaca"],
    ["estado", "gro", "Guerrero", "Guerrero"],
    ["ciudad", "oaxaca", "Oaxaca de Juárez", "Oaxaca City", "oax"],
    ["ciudad", "huajuapan", "Huajuapan", "Huajuapan", "oax"],
    ["ciudad", "acapulco", "Acapulco", "Acapulco", "gro"],
]
TYPES_SETTINGS = [
    ["form_title", "form_id", "version", "default_language"],
    ["Todos los tipos", "todos_los_tipos", "1", "Español (es)"],
]


def types_xlsform() -> bytes:
    return xlsform_bytes(
        {
            "survey": [HEADER, *TYPES_SURVEY],
            "choices": TYPES_CHOICES,
            "settings": TYPES_SETTINGS,
        }
    )


def make_round(version, *, respondent: str, regions=(), slug: str) -> Round:
    campaign = Campaign.objects.create(
        instrument=version.instrument,
        slug=slug,
        title=f"Campaña {slug}",
        respondent=respondent,
        status=Campaign.Status.OPEN,
    )
    campaign.regions.set(list(regions))
    return Round.objects.create(
        campaign=campaign, kind=Round.Kind.BASELINE, name="Línea base", order=1, is_open=True
    )


@pytest.fixture(name="types_version")
def types_version_fixture(coordinator, media_root):
    return services.form_version_create(data=types_xlsform(), filename="tipos.xlsx", by=coordinator)


@pytest.fixture(name="person_round")
def person_round_fixture(types_version, region):
    return make_round(
        types_version, respondent=Campaign.Respondent.PERSON, regions=[region], slug="personas"
    )


@pytest.fixture(name="community_round")
def community_round_fixture(types_version, region):
    return make_round(
        types_version,
        respondent=Campaign.Respondent.COMMUNITY,
        regions=[region],
        slug="comunidades",
    )


@pytest.fixture(name="community")
def community_fixture(municipality):
    return f.CommunityFactory(
        municipality=municipality, name="San Felipe del Agua", code="200670001"
    )


# --- Reading and posting the page as a browser would -----------------------------------


class _FormReader(HTMLParser):
    """The values a browser would send from the page's form #polo-formulario:
    text boxes, checked radios and checkboxes, selected options, text areas
    (disabled controls and buttons left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {}
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and a.get("id") == "polo-formulario":
            self.inside = True
        if not self.inside or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"radio", "checkbox"}:
                if "checked" in a:
                    self.add(name, a.get("value", "on"))
            elif kind not in {"submit", "button", "file"}:
                self.add(name, a.get("value", ""))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in a:
            self.add(self.select, a.get("value", ""))
        elif tag == "textarea":
            self.textarea, self.text = name, ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.text += data


def form_values(html: str) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(html)
    return reader.values


HIDDEN_RE = re.compile(
    r'<input type="hidden" name="(_version|_ocultas|[^"]*/filas|[^"]*/actual)" value="([^"]*)"'
)


def hidden_fields(html: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in HIDDEN_RE.findall(html)}


def section_url(response: Response, index: int) -> str:
    return reverse("surveys:collect_section", args=[response.pk, index])


def review_url(response: Response) -> str:
    return reverse("surveys:collect_review", args=[response.pk])


def post_section(
    client, response: Response, index: int, answers: dict, action="siguiente", **extra
):
    """GET the section, then POST what its form holds (as a browser sends it) with
    `answers` (HTML names without the 'q/' prefix) in place. As a browser with
    JavaScript would, it says no question was hidden when the answers were given
    (pass `_ocultas` to post as a browser without it)."""
    page = client.get(section_url(response, index))
    assert page.status_code == 200, page.status_code
    data: dict = form_values(page.content.decode())
    data.update({f"q/{name}": value for name, value in answers.items()})
    data["_accion"] = action
    data["_ocultas"] = ""
    data.update(extra)
    return client.post(section_url(response, index), data)


def start(client, round_, **choice) -> Response:
    """Start a response through the page; returns it."""
    before = set(Response.objects.values_list("pk", flat=True))
    page = client.post(reverse("surveys:collect_new", args=[round_.pk]), choice)
    assert page.status_code == 302, (page.status_code, page.content[:2000])
    created = Response.objects.exclude(pk__in=before).get()
    return created


def errors_of(html: str) -> list[str]:
    summary = re.search(r'<div class="notice notice-error" id="errores".*?</div>', html, re.S)
    return re.findall(r"<li><a [^>]*>(.*?)</a></li>", summary.group(0), re.S) if summary else []
