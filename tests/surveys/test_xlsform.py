"""Converting XLSForms written as people write them: the programme's baseline,
a Spanish community survey with a state → municipality → community cascade,
repeats inside groups, one or two label languages, or_other, defaults,
required with its own message, ranges; and the refusals, each located at the
sheet, row and column to fix."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from polo.surveys.spec import DEFAULT_LANGUAGE
from polo.surveys.workbooks import xlsform_bytes
from polo.surveys.xlsform import (
    MAX_UNZIPPED_BYTES,
    MAX_XLSFORM_BYTES,
    FormProblem,
    XLSFormError,
    convert_xlsform,
)

ES, EN = "label::Español (es)", "label::English (en)"


def refusal(data: bytes) -> list[FormProblem]:
    with pytest.raises(XLSFormError) as raised:
        convert_xlsform(data)
    assert raised.value.problems
    return raised.value.problems


def located(data: bytes) -> tuple[str, int | None, str]:
    problem = refusal(data)[0]
    return problem.sheet, problem.row, problem.column


def form(survey, choices=None, settings=None, header=("type", "name", ES, EN)) -> bytes:
    sheets = {"survey": [list(header), *survey]}
    if choices is not None:
        sheets["choices"] = [["list_name", "name", ES, EN], *choices]
    if settings is not None:
        sheets["settings"] = settings
    return xlsform_bytes(sheets)


# --- the forms Polo converts ------------------------------------------------------------


def test_the_baseline_converts_with_every_feature(baseline_xlsx):
    converted = convert_xlsform(baseline_xlsx)
    spec = converted.spec
    assert (spec.form_id, spec.version) == ("linea_base_osc", "2026110101")
    assert spec.title == "Línea base de organizaciones"
    assert spec.languages == ["Español (es)", "English (en)"]
    assert spec.default_language == "Español (es)"
    assert converted.warnings == []
    nodes = spec.nodes
    types = {node.type for node in spec.walk()}
    assert {
        "note",
        "select_one",
        "select_multiple",
        "integer",
        "decimal",
        "text",
        "calculate",
        "range",
        "geopoint",
        "date",
        "acknowledge",
        "group",
        "repeat",
        "start",
        "end",
    } <= types
    # Every expression is stored as written and compiled.
    for name, key in (
        ("lengua", "relevant"),
        ("mujeres_equipo", "constraint"),
        ("pct_mujeres", "calculation"),
        ("municipio", "choice_filter"),
        ("tema_principal", "choice_filter"),
    ):
        assert nodes[name].source(key)
        assert isinstance(nodes[name].expression(key), dict), (name, key)
    assert nodes["mujeres_equipo"].constraint_message == {
        "Español (es)": "No puede ser mayor que el equipo.",
        "English (en)": "Cannot exceed the team.",
    }
    assert nodes["relacion_gobierno"].parameters == {"start": "1", "end": "5", "step": "1"}
    assert nodes["observaciones"].appearance == "multiline"
    assert (
        nodes["municipio"].hint["English (en)"] == "Municipality where the organisation is based."
    )
    assert nodes["region"].row == 4
    # The XForm is ODK's, with both translations and the version.
    assert '<data id="linea_base_osc" version="2026110101"' in converted.xform
    assert 'lang="Español (es)"' in converted.xform and 'lang="English (en)"' in converted.xform
    assert len(converted.xform_md5) == 32


COMMUNITY_SURVEY = [
    ["begin_group", "lugar", "Lugar", "Place"],
    ["select_one estado", "estado", "Estado", "State", "yes", ""],
    ["select_one municipio", "municipio", "Municipio", "Municipality", "yes", "estado=${estado}"],
    [
        "select_one comunidad",
        "comunidad",
        "Comunidad o localidad",
        "Community",
        "yes",
        "municipio=${municipio}",
    ],
    ["end_group"],
    ["begin_group", "servicios", "Servicios básicos", "Basic services"],
    ["select_multiple servicio", "servicios_hay", "¿Qué servicios hay?", "Which services?"],
    ["integer", "familias", "¿Cuántas familias viven aquí?", "How many families live here?"],
    ["end_group"],
]
COMMUNITY_CHOICES = [
    ["list_name", "name", ES, EN, "estado", "municipio"],
    ["estado", "20", "Oaxaca", "Oaxaca"],
    ["estado", "21", "Puebla", "Puebla"],
    ["estado", "12", "Guerrero", "Guerrero"],
    ["municipio", "20067", "Oaxaca de Juárez", "Oaxaca de Juárez", "20"],
    ["municipio", "21156", "Tehuacán", "Tehuacán", "21"],
    ["municipio", "12041", "Malinaltepec", "Malinaltepec", "12"],
    ["comunidad", "200670001", "Oaxaca de Juárez", "Oaxaca de Juárez", "20", "20067"],
    ["comunidad", "200670045", "San Felipe del Agua", "San Felipe del Agua", "20", "20067"],
    ["comunidad", "120410012", "Iliatenco", "Iliatenco", "12", "12041"],
    ["servicio", "agua", "Agua entubada", "Piped water"],
    ["servicio", "luz", "Electricidad", "Electricity"],
    ["servicio", "internet", "Internet", "Internet"],
]


def test_a_spanish_community_survey_with_a_three_level_cascade():
    data = xlsform_bytes(
        {
            "survey": [["type", "name", ES, EN, "required", "choice_filter"], *COMMUNITY_SURVEY],
            "choices": COMMUNITY_CHOICES,
            "settings": [
                ["form_title", "form_id", "version"],
                ["Diagnóstico comunitario", "diagnostico_comunitario", "2026-11"],
            ],
        }
    )
    spec = convert_xlsform(data).spec
    municipio, comunidad = spec.nodes["municipio"], spec.nodes["comunidad"]
    assert municipio.source("choice_filter") == "estado=${estado}"
    assert comunidad.source("choice_filter") == "municipio=${municipio}"
    communities = spec.choices_for(comunidad)
    assert [c.name for c in communities] == ["200670001", "200670045", "120410012"]
    assert communities[1].extra == {"estado": "20", "municipio": "20067"}
    assert spec.choice_label(comunidad, "120410012", "es") == "Iliatenco"
    assert spec.text(spec.nodes["servicios_hay"].label, "en") == "Which services?"
    assert [s.name for s in spec.sections] == ["lugar", "servicios"]
    assert spec.version == "2026-11"


def test_repeats_inside_groups_convert():
    spec = convert_xlsform(
        form(
            [
                ["begin_group", "hogar", "Hogar", "Household"],
                ["begin_repeat", "integrantes", "Integrantes", "Members"],
                ["text", "nombre", "Nombre", "Name"],
                ["integer", "edad", "Edad", "Age"],
                ["end_repeat"],
                ["calculate", "n_integrantes", "", "", "count(${integrantes})"],
                ["end_group"],
            ],
            header=("type", "name", ES, EN, "calculation"),
        )
    ).spec
    assert spec.nodes["edad"].repeat == "integrantes"
    assert spec.nodes["integrantes"].path == ("hogar",)
    assert spec.nodes["n_integrantes"].source("calculation") == "count(${integrantes})"


def test_a_single_language_form():
    spec = convert_xlsform(
        xlsform_bytes(
            {
                "survey": [
                    ["type", "name", "label", "hint"],
                    ["text", "nombre", "Nombre de la organización", "Como aparece en su acta"],
                ]
            }
        )
    ).spec
    assert spec.languages == [DEFAULT_LANGUAGE]
    assert spec.default_language == DEFAULT_LANGUAGE
    node = spec.nodes["nombre"]
    assert spec.text(node.label, "en") == "Nombre de la organización"
    assert spec.text(node.hint, "es") == "Como aparece en su acta"


def test_languages_follow_the_sheet_and_the_default_language_setting():
    survey = [["text", "nombre", "Nombre", "Name"]]
    spec = convert_xlsform(form(survey)).spec
    assert spec.languages == ["Español (es)", "English (en)"]
    assert spec.default_language == "Español (es)"
    english_first = form(
        survey,
        settings=[["form_id", "default_language"], ["idiomas", "English (en)"]],
    )
    spec = convert_xlsform(english_first).spec
    assert spec.languages == ["English (en)", "Español (es)"]
    assert spec.default_language == "English (en)"


def test_or_other_adds_the_option_and_its_question():
    converted = convert_xlsform(
        form(
            [["select_one apoyo or_other", "apoyo", "¿Qué apoyo recibe?", "What support?"]],
            choices=[["apoyo", "beca", "Beca", "Grant"], ["apoyo", "despensa", "Despensa", "Food"]],
        )
    )
    spec = converted.spec
    assert [c.name for c in spec.choices_for(spec.nodes["apoyo"])] == ["beca", "despensa", "other"]
    other = spec.nodes["apoyo_other"]
    assert other.type == "text"
    assert other.source("relevant") == "selected(${apoyo}, 'other')"
    assert other.expression("relevant") == {
        "fn": "selected",
        "args": [{"ref": "apoyo"}, {"str": "other"}],
    }
    # pyxform makes up an untranslated label: the form's languages stay first.
    assert spec.languages[:2] == ["Español (es)", "English (en)"]
    assert spec.default_language == "Español (es)"
    assert any("or_other" in warning for warning in converted.warnings)


def test_defaults_required_messages_and_ranges():
    spec = convert_xlsform(
        form(
            [
                ["integer", "hijos", "Hijas e hijos", "Children", "0", "", "", "", ""],
                ["date", "fecha", "Fecha", "Date", "today()", "", "", "", ""],
                [
                    "text",
                    "telefono",
                    "Teléfono",
                    "Phone",
                    "",
                    "yes",
                    "Necesitamos un teléfono.",
                    "We need a phone.",
                    "",
                ],
                ["range", "satisfaccion", "Satisfacción", "Satisfaction", "5", "", "", "", ""],
                ["decimal", "peso", "Peso", "Weight", "", "${hijos} > 0", "", "", ""],
            ],
            header=(
                "type",
                "name",
                ES,
                EN,
                "default",
                "required",
                "required_message::Español (es)",
                "required_message::English (en)",
                "parameters",
            ),
        )
    ).spec
    nodes = spec.nodes
    assert nodes["hijos"].default == "0"
    assert nodes["fecha"].default == "today()"
    assert nodes["telefono"].required is True
    assert nodes["telefono"].required_message == {
        "Español (es)": "Necesitamos un teléfono.",
        "English (en)": "We need a phone.",
    }
    # A required column holding an expression is kept as one.
    assert nodes["peso"].required is True
    assert nodes["peso"].source("required") == "${hijos} > 0"
    assert nodes["satisfaccion"].default == "5"
    assert nodes["hijos"].required is False


def test_range_parameters_are_kept():
    spec = convert_xlsform(
        form(
            [["range", "escala", "Escala", "Scale", "start=0 end=10 step=2"]],
            header=("type", "name", ES, EN, "parameters"),
        )
    ).spec
    assert spec.nodes["escala"].parameters == {"start": "0", "end": "10", "step": "2"}


def test_extra_columns_are_kept_for_the_forms_own_use():
    spec = convert_xlsform(
        form(
            [["select_one sino", "plan", "¿Tiene plan?", "Has a plan?", "gobernanza", "3"]],
            choices=[["sino", "si", "Sí", "Yes"], ["sino", "no", "No", "No"]],
            header=("type", "name", ES, EN, "area", "peso"),
        )
    ).spec
    assert spec.nodes["plan"].extra == {"area": "gobernanza", "peso": "3"}


def test_sheet_names_and_headers_in_any_case():
    data = xlsform_bytes(
        {
            "Survey": [["Type", "Name", "Label"], ["text", "nombre", "Nombre"]],
            "Settings": [["form_id"], ["mayusculas"]],
        }
    )
    spec = convert_xlsform(data).spec
    assert spec.form_id == "mayusculas"
    assert spec.nodes["nombre"].row == 2


def test_pyxform_names_map_to_polos_types():
    spec = convert_xlsform(
        form(
            [
                ["select one sino", "a", "A", "A"],
                ["select all that apply sino", "b", "B", "B"],
                ["photo", "c", "C", "C"],
                ["dateTime", "d", "D", "D"],
                ["today", "hoy"],
            ],
            choices=[["sino", "si", "Sí", "Yes"]],
        )
    ).spec
    assert [spec.nodes[n].type for n in ("a", "b", "c", "d", "hoy")] == [
        "select_one",
        "select_multiple",
        "image",
        "datetime",
        "today",
    ]


# --- the refusals -----------------------------------------------------------------------


def test_random_bytes_are_not_a_workbook():
    problems = refusal(os.urandom(4096))
    assert "no es un libro de Excel" in problems[0].message
    assert (problems[0].sheet, problems[0].row) == ("", None)


def test_a_truncated_workbook_is_refused(baseline_xlsx):
    for cut in (100, len(baseline_xlsx) // 2, len(baseline_xlsx) - 30):
        problems = refusal(baseline_xlsx[:cut])
        assert "Excel" in problems[0].message, cut


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hola.txt", "no soy un libro")
    assert "No se pudo leer el libro" in refusal(buffer.getvalue())[0].message


def test_a_syntax_error_in_relevant_names_its_cell():
    data = form(
        [
            ["integer", "edad", "Edad", "Age", ""],
            ["text", "escuela", "Escuela", "School", "${edad} >= 6 and and ${edad} < 18"],
        ],
        header=("type", "name", ES, EN, "relevant"),
    )
    problems = refusal(data)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("survey", 3, "relevant (E)")]
    assert "${edad} >= 6 and and ${edad} < 18" in problems[0].message
    assert "hoja «survey», fila 3, columna «relevant (E)»" in str(problems[0])


def test_every_broken_expression_is_listed_at_once():
    data = form(
        [
            ["integer", "a", "A", "A", "", ". > ", ""],
            ["integer", "b", "B", "B", "", "", "${a} +* 2"],
            ["integer", "c", "C", "C", "if(${a}", "", ""],
        ],
        header=("type", "name", ES, EN, "relevant", "constraint", "calculation"),
    )
    problems = refusal(data)
    assert sorted((p.row, p.column) for p in problems) == [
        (2, "constraint (F)"),
        (3, "calculation (G)"),
        (4, "relevant (E)"),
    ]


def test_a_reference_to_an_unknown_question():
    data = form(
        [["text", "motivo", "Motivo", "Reason", "${no_existe} = 'si'"]],
        header=("type", "name", ES, EN, "relevant"),
    )
    assert located(data) == ("survey", 2, "relevant (E)")
    assert "no_existe" in refusal(data)[0].message


def test_a_choice_list_that_does_not_exist():
    data = form(
        [["text", "a", "A", "A"], ["select_one colores", "color", "Color", "Colour"]],
        choices=[["sino", "si", "Sí", "Yes"]],
    )
    assert located(data) == ("survey", 3, "type (A)")
    assert "colores" in refusal(data)[0].message


@pytest.mark.parametrize("kind", ["geotrace", "geoshape", "barcode", "audio", "video"])
def test_unsupported_types_are_refused_by_name(kind):
    data = form([["text", "a", "A", "A"], [kind, "dato", "Dato", "Datum"]])
    problems = refusal(data)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("survey", 3, "type (A)")]
    assert f"«{kind}»" in problems[0].message


def test_an_unknown_type_is_located():
    data = form([["text", "a", "A", "A"], ["texto_largo", "b", "B", "B"]])
    assert located(data) == ("survey", 3, "type (A)")


def test_choices_from_an_external_file_are_refused():
    data = form([["select_one_from_file municipios.csv", "m", "Municipio", "Municipality"]])
    problems = refusal(data)
    assert located(data) == ("survey", 2, "type (A)")
    assert "municipios.csv" in problems[0].message


def test_a_missing_survey_sheet():
    data = xlsform_bytes({"choices": [["list_name", "name", "label"], ["sino", "si", "Sí"]]})
    problems = refusal(data)
    assert problems[0].sheet == "survey"
    assert "Falta la hoja «survey»" in problems[0].message


def test_a_form_with_nothing_to_answer():
    assert "ninguna pregunta" in refusal(form([["note", "aviso", "Aviso", "Notice"]]))[0].message


def test_pyxforms_own_refusals_are_located():
    duplicate = form([["text", "a", "A", "A"], ["text", "a", "B", "B"]])
    assert located(duplicate) == ("survey", 3, "name (B)")
    unlabelled = form([["text", "a", "", ""]])
    assert located(unlabelled) == ("survey", 2, "label (C)")
    unclosed = form([["begin_group", "g", "G", "G"], ["text", "a", "A", "A"]])
    assert located(unclosed) == ("survey", 2, "type (A)")
    bad_choice = form([["select_one x", "q", "Q", "Q"]], choices=[["x", "", "Sin nombre", "No"]])
    sheet, row, _column = located(bad_choice)
    assert (sheet, row) == ("choices", 2)
    bad_range = form(
        [["range", "r", "R", "R", "start=1 end=diez"]],
        header=("type", "name", ES, EN, "parameters"),
    )
    assert located(bad_range) == ("survey", 2, "parameters (E)")


def test_a_file_over_the_limit_is_refused_before_reading():
    problems = refusal(b"PK\x03\x04" + b"\0" * MAX_XLSFORM_BYTES)
    assert "pesa más de 5 MB" in problems[0].message


def test_a_zip_bomb_is_refused_before_unzipping():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_UNZIPPED_BYTES + 1))
    data = buffer.getvalue()
    assert len(data) < MAX_XLSFORM_BYTES
    assert "descomprimido pesa más" in refusal(data)[0].message


def test_hostile_text_is_kept_as_text():
    label = '<script>alert("x")</script> & ]]>'
    spec = convert_xlsform(form([["text", "a", label, label]])).spec
    assert spec.text(spec.nodes["a"].label, "es") == label
