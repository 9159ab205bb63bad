"""Polo's reading of a converted form (spec.py): sections, questions, repeats,
choices and texts in the reader's language, and the JSON it is stored as."""

from __future__ import annotations

import json

import pytest

from polo.surveys.expressions import references
from polo.surveys.spec import DEFAULT_LANGUAGE, FormSpec, language_code, pick_text
from polo.surveys.workbooks import xlsform_bytes
from polo.surveys.xlsform import convert_xlsform

ES, EN = "label::Español (es)", "label::English (en)"


def spec_of(survey, choices=(), settings=None, header=("type", "name", ES, EN)) -> FormSpec:
    sheets = {"survey": [list(header), *survey]}
    if choices:
        sheets["choices"] = [["list_name", "name", ES, EN], *choices]
    if settings:
        sheets["settings"] = settings
    return convert_xlsform(xlsform_bytes(sheets)).spec


@pytest.fixture
def baseline(baseline_xlsx) -> FormSpec:
    return convert_xlsform(baseline_xlsx).spec


# --- sections ---------------------------------------------------------------------------


def test_the_baseline_has_one_section_per_top_level_group_and_repeat(baseline):
    assert [(s.index, s.name) for s in baseline.sections] == [
        (0, "identificacion"),
        (1, "capacidades"),
        (2, "incidencia"),
        (3, "proyectos"),
        (4, "cierre"),
    ]
    assert baseline.text(baseline.sections[3].label, "es") == "Proyectos en curso"
    # The trailing metadata (start, end, meta) joins the last section, not a screen of its own.
    last = [node.name for node in baseline.sections[-1].nodes]
    assert last == ["cierre", "inicio", "fin", "meta"]


def test_loose_questions_make_sections_between_groups():
    spec = spec_of(
        [
            ["text", "a", "A", "A"],
            ["integer", "b", "B", "B"],
            ["begin_group", "g", "G", "G"],
            ["text", "c", "C", "C"],
            ["end_group"],
            ["note", "aviso", "Aviso", "Notice"],
            ["calculate", "k", "", "", "1"],
        ],
        header=("type", "name", ES, EN, "calculation"),
    )
    sections = spec.sections
    assert [[node.name for node in s.nodes] for s in sections] == [
        ["a", "b"],
        ["g"],
        ["aviso", "k", "meta"],
    ]
    assert sections[1].label == {"Español (es)": "G", "English (en)": "G"}


def test_a_group_section_keeps_its_relevance():
    spec = spec_of(
        [
            ["select_one sino", "tiene", "¿Tiene?", "Has it?"],
            ["begin_group", "detalle", "Detalle", "Detail", "${tiene} = 'si'"],
            ["text", "cual", "¿Cuál?", "Which?"],
            ["end_group"],
        ],
        choices=[["sino", "si", "Sí", "Yes"], ["sino", "no", "No", "No"]],
        header=("type", "name", ES, EN, "relevant"),
    )
    assert spec.sections[0].relevant is None
    relevant = spec.sections[1].relevant
    assert relevant is not None
    assert relevant == spec.nodes["detalle"].expression("relevant")
    assert references(relevant) == {"tiene"}
    assert spec.nodes["detalle"].source("relevant") == "${tiene} = 'si'"


# --- questions, repeats, paths ----------------------------------------------------------


def test_questions_are_the_stored_answers_in_form_order(baseline):
    names = [node.name for node in baseline.questions]
    assert names[:3] == ["region", "municipio", "tipo_actor"]
    assert "bienvenida" not in names  # a note stores nothing
    assert "identificacion" not in names  # nor does a group
    assert {"pct_mujeres", "total_proyectos", "inicio", "fin", "instanceID"} <= set(names)
    assert names.index("proyecto_nombre") > names.index("tema_principal")


def test_repeats_inside_groups_know_their_repeat_and_path():
    spec = spec_of(
        [
            ["begin_group", "hogar", "Hogar", "Household"],
            ["begin_repeat", "miembros", "Miembros", "Members"],
            ["text", "nombre", "Nombre", "Name"],
            ["begin_group", "salud", "Salud", "Health"],
            ["integer", "edad", "Edad", "Age"],
            ["begin_repeat", "consultas", "Consultas", "Visits"],
            ["date", "fecha", "Fecha", "Date"],
            ["end_repeat"],
            ["end_group"],
            ["end_repeat"],
            ["integer", "total", "Total", "Total"],
            ["end_group"],
        ]
    )
    nodes = spec.nodes
    assert nodes["nombre"].repeat == "miembros"
    assert nodes["edad"].repeat == "miembros"
    assert nodes["edad"].path == ("hogar", "miembros", "salud")
    assert nodes["fecha"].repeat == "consultas"
    assert nodes["total"].repeat is None
    assert [repeat.name for repeat in spec.repeats] == ["miembros", "consultas"]
    assert [s.name for s in spec.sections] == ["hogar"]
    assert spec.question("hogar") is None
    assert spec.question("edad") is nodes["edad"]
    assert spec.question("no_existe") is None


# --- choices and texts ------------------------------------------------------------------


def test_choice_labels_follow_the_readers_language(baseline):
    node = baseline.nodes["tipo_actor"]
    assert baseline.choice_label(node, "osc", "es-mx") == "Organización de la sociedad civil"
    assert baseline.choice_label(node, "osc", "en") == "Civil-society organisation"
    assert baseline.choice_label(node, "osc", "fr") == "Organización de la sociedad civil"
    assert baseline.choice_label(node, "osc", None) == "Organización de la sociedad civil"
    # An answer that is not an option (an old import) is shown as it is.
    assert baseline.choice_label(node, "desconocida", "es") == "desconocida"
    assert [c.name for c in baseline.choices_for(node)][:2] == ["osc", "colectivo"]
    assert baseline.choices_for(baseline.nodes["fecha"]) == []


def test_the_cascades_columns_are_kept_on_each_choice(baseline, municipality, region):
    node = baseline.nodes["municipio"]
    choice = next(c for c in baseline.choices_for(node) if c.name == municipality.code)
    assert choice.extra == {"region": region.slug}
    assert node.source("choice_filter") == "region=${region}"


def test_texts_fall_back_to_the_forms_first_language():
    texts = {"Español (es)": "Sí", "English (en)": "Yes"}
    languages = ["Español (es)", "English (en)"]
    assert pick_text(texts, languages, "en-us") == "Yes"
    assert pick_text(texts, languages, "es-mx") == "Sí"
    assert pick_text(texts, languages, "zap") == "Sí"
    assert pick_text({"English (en)": "Yes"}, languages, "es") == "Yes"
    assert pick_text({}, languages, "es") == ""
    assert pick_text(None, languages, "es") == ""
    assert pick_text({"Otro": "x"}, languages, "es") == "x"


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("Español (es)", "es"),
        ("English (en)", "en"),
        ("Español (es-MX)", "es"),
        ("Mixteco (mix)", "mix"),
        ("Spanish", "es"),
        ("  English ", "en"),
        ("Español", "es"),
        ("Zapoteco", "zapoteco"),
        (DEFAULT_LANGUAGE, "default"),
    ],
)
def test_language_codes(language, code):
    assert language_code(language) == code


def test_bare_language_names_still_answer_in_the_readers_language():
    header = ["list_name", "name", "label::Spanish", "label::English"]
    sheets = {
        "survey": [
            ["type", "name", "label::Spanish", "label::English"],
            ["select_one sino", "acepta", "¿Acepta?", "Agrees?"],
        ],
        "choices": [header, ["sino", "si", "Sí", "Yes"]],
    }
    spec = convert_xlsform(xlsform_bytes(sheets)).spec
    node = spec.nodes["acepta"]
    assert spec.languages == ["Spanish", "English"]
    assert spec.text(node.label, "en") == "Agrees?"
    assert spec.text(node.label, "es-mx") == "¿Acepta?"
    assert spec.choice_label(node, "si", "en") == "Yes"


# --- the stored JSON --------------------------------------------------------------------


def test_the_spec_survives_its_json_unchanged(baseline):
    stored = json.loads(json.dumps(baseline.to_json()))
    again = FormSpec.from_json(stored)
    assert again.to_json() == baseline.to_json()
    assert [n.name for n in again.walk()] == [n.name for n in baseline.walk()]
    assert again.nodes["proyecto_nombre"].repeat == "proyectos"
    assert again.nodes["plan_anios"].expression("relevant") == baseline.nodes[
        "plan_anios"
    ].expression("relevant")
    assert again.sections[3].name == "proyectos"


def test_the_json_leaves_out_empty_attributes(baseline):
    children = baseline.to_json()["children"]
    group = next(child for child in children if child["name"] == "identificacion")
    question = group["children"][1]
    assert question["name"] == "region"
    assert "hint" not in question and "default" not in question and "readonly" not in question
    assert question["required"] is True
    assert "children" not in question


def test_node_kinds(baseline):
    nodes = baseline.nodes
    assert nodes["personas_equipo"].is_input and nodes["personas_equipo"].is_numeric
    assert nodes["relacion_gobierno"].is_numeric  # a range
    assert nodes["fuentes"].is_select and not nodes["fuentes"].is_numeric
    assert not nodes["bienvenida"].stores_value
    assert nodes["pct_mujeres"].stores_value and not nodes["pct_mujeres"].is_input
    assert not nodes["proyectos"].is_question
    assert nodes["plan_anios"].expression("calculation") is None
    assert nodes["plan_anios"].source("calculation") == ""
