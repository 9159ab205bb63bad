"""The server's check of answers: what every door (web, OpenRosa, import) relies on."""

from __future__ import annotations

import datetime as dt

import pytest

from polo.surveys import validation
from polo.surveys.instruments.baseline import baseline_xlsform
from polo.surveys.workbooks import xlsform_bytes
from polo.surveys.xlsform import convert_xlsform

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def spec():
    data = baseline_xlsform(
        regions=[("mixteca", "Mixteca"), ("costa", "Costa")],
        municipalities=[("20001", "Abejones", "mixteca"), ("20002", "Acatlán", "costa")],
    )
    return convert_xlsform(data).spec


def good(**overrides):
    data = {
        "region": "mixteca",
        "municipio": "20001",
        "tipo_actor": "osc",
        "sexo_respondente": "mujer",
        "indigena": "si",
        "lengua": "mixteco",
        "plan_estrategico": "si",
        "plan_anios": "5",
        "personas_equipo": "8",
        "mujeres_equipo": "5",
        "fuentes": "donativos cuotas",
        "pct_donativos": "62.5",
        "participa_consejos": "si",
        "consejos_cuales": "Consejo municipal de desarrollo rural",
        "propuestas_presentadas": "3",
        "propuestas_adoptadas": "1",
        "relacion_gobierno": "4",
        "temas": "salud genero",
        "tema_principal": "genero",
        "proyectos": [{"proyecto_nombre": "Huertos", "proyecto_personas": "12"}],
        "ubicacion": "17.06 -96.72",
        "fecha": "2026-11-20",
        "consentimiento": "OK",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def problems(spec, data, **kwargs):
    computed = validation.compute(spec, data, today=TODAY)
    return {
        (p.name, p.row): p.message
        for p in validation.validate(spec, computed, today=TODAY, language="es", **kwargs)
    }


def test_it_accepts_a_complete_set_of_answers(spec):
    assert problems(spec, good()) == {}


def test_it_fills_in_calculations(spec):
    computed = validation.compute(spec, good(), today=TODAY)
    assert computed["pct_mujeres"] == "62.5"
    assert computed["total_proyectos"] == "1"


def test_it_drops_answers_to_questions_that_skip_logic_hides(spec):
    computed = validation.compute(
        spec, good(plan_estrategico="no", plan_anios="5", indigena="no"), today=TODAY
    )
    assert "plan_anios" not in computed
    assert "lengua" not in computed
    assert computed["plan_estrategico"] == "no"


def test_a_required_question_only_counts_when_relevant(spec):
    assert problems(spec, good(participa_consejos="no", consejos_cuales=None)) == {}
    assert problems(spec, good(consejos_cuales=None)) == {
        ("consejos_cuales", 0): "Esta pregunta es obligatoria."
    }


def test_it_reports_the_forms_own_constraint_message(spec):
    assert problems(spec, good(mujeres_equipo="9")) == {
        ("mujeres_equipo", 0): "No puede ser mayor que el equipo."
    }
    assert problems(spec, good(fecha="2027-01-01")) == {
        ("fecha", 0): "La fecha no puede ser futura."
    }


def test_it_checks_constraints_inside_repeat_rows(spec):
    rows = [{"proyecto_nombre": "A", "proyecto_personas": "3"}, {"proyecto_personas": "-2"}]
    found = problems(spec, good(proyectos=rows))
    assert set(found) == {("proyecto_nombre", 2), ("proyecto_personas", 2)}


def test_a_cascade_refuses_an_option_the_filter_hides(spec):
    found = problems(spec, good(municipio="20002"))
    assert found == {("municipio", 0): "«20002» no corresponde a las respuestas anteriores."}


def test_choice_filter_over_a_multiple_choice(spec):
    assert problems(spec, good(tema_principal="educacion")) == {
        ("tema_principal", 0): "«educacion» no corresponde a las respuestas anteriores."
    }


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("personas_equipo", "ocho", "Escriba un número entero."),
        ("personas_equipo", "1e3", "Escriba un número entero."),
        ("pct_donativos", "inf", "Escriba un número."),
        ("fecha", "2026-02-30", "Escriba una fecha válida (AAAA-MM-DD)."),
        ("ubicacion", "91 10", "La latitud va de -90 a 90 y la longitud de -180 a 180."),
        ("ubicacion", "norte", "Escriba la latitud y la longitud en grados decimales."),
        ("relacion_gobierno", "2.5", "El valor debe avanzar de 1 en 1."),
        ("relacion_gobierno", "6", "Elija un valor entre 1 y 5."),
        ("consentimiento", "yes", "Marque la casilla para confirmar."),
        ("tipo_actor", "osc red", "Elija una sola opción."),
        ("tipo_actor", "<script>", "«<script>» no es una de las opciones."),
        ("fuentes", "cuotas cuotas", "Una opción está repetida."),
        (
            "consejos_cuales",
            "x" * 10_001,
            "La respuesta es demasiado larga (máximo 10000 caracteres).",
        ),
        ("consejos_cuales", "a\x00b", "La respuesta contiene caracteres de control no permitidos."),
    ],
)
def test_it_refuses_values_of_the_wrong_shape(spec, name, value, message):
    assert problems(spec, good(**{name: value}))[(name, 0)] == message


def test_it_refuses_questions_the_form_does_not_have(spec):
    assert problems(spec, good(hackeo="1")) == {
        ("hackeo", 0): "Esta pregunta no existe en el formulario."
    }


def test_it_refuses_repeat_rows_of_the_wrong_shape(spec):
    found = problems(spec, good(proyectos="Huertos"))
    assert found == {("proyectos", 0): "Las filas de esta sección no tienen el formato esperado."}


def test_a_section_is_checked_alone(spec):
    data = good(mujeres_equipo="9", fecha="2030-01-01")
    computed = validation.compute(spec, data, today=TODAY)
    first = validation.validate(spec, computed, section=0, today=TODAY)
    second = validation.validate(spec, computed, section=1, today=TODAY)
    assert first == []
    assert [p.name for p in second] == ["mujeres_equipo"]


def test_messages_follow_the_language_asked(spec):
    computed = validation.compute(spec, good(mujeres_equipo="9"), today=TODAY)
    found = validation.validate(spec, computed, today=TODAY, language="en")
    assert [p.message for p in found] == ["Cannot exceed the team."]


def test_a_required_expression_and_relevance_on_a_group():
    data = xlsform_bytes(
        {
            "survey": [
                ["type", "name", "label", "required", "relevant"],
                ["integer", "edad", "Edad", "yes", ""],
                ["begin_group", "tutor", "Tutor", "", "${edad} < 18"],
                ["text", "tutor_nombre", "Nombre del tutor", "${edad} < 12", ""],
                ["end_group", "", "", "", ""],
            ],
            "choices": [["list_name", "name", "label"]],
        }
    )
    spec = convert_xlsform(data).spec
    assert problems(spec, {"edad": "10"}) == {("tutor_nombre", 0): "Esta pregunta es obligatoria."}
    assert problems(spec, {"edad": "15"}) == {}
    computed = validation.compute(spec, {"edad": "30", "tutor_nombre": "Ana"}, today=TODAY)
    assert computed == {"edad": "30"}


def test_sums_over_a_repeat_see_every_row_and_no_rows_as_zero():
    data = xlsform_bytes(
        {
            "survey": [
                ["type", "name", "label", "calculation", "constraint", "relevant"],
                ["begin_repeat", "hijos", "Hijos", "", "", ""],
                ["integer", "edad", "Edad", "", "", ""],
                ["text", "escuela", "Escuela", "", "", "${edad} >= 6"],
                ["end_repeat", "", "", "", "", ""],
                ["calculate", "total", "", "sum(${edad})", "", ""],
                ["integer", "mayores", "Mayores", "", ". <= count(${hijos})", ""],
            ],
            "choices": [["list_name", "name", "label"]],
        }
    )
    spec = convert_xlsform(data).spec
    assert validation.compute(spec, {}, today=TODAY)["total"] == "0"
    rows = [{"edad": "4", "escuela": "Kínder"}, {"edad": "9", "escuela": "Primaria"}]
    computed = validation.compute(spec, {"hijos": rows, "mayores": "3"}, today=TODAY)
    assert computed["total"] == "13"
    # The row's own age decides, not another row's: the four-year-old's school goes.
    assert computed["hijos"] == [{"edad": "4"}, {"edad": "9", "escuela": "Primaria"}]
    assert problems(spec, {"hijos": rows, "mayores": "3"}) == {
        ("mayores", 0): "La respuesta no cumple la condición del formulario."
    }


def _logic_form(rows):
    data = xlsform_bytes(
        {
            "survey": [["type", "name", "label", "calculation", "relevant"], *rows],
            "choices": [
                ["list_name", "name", "label"],
                ["sino", "si", "Sí"],
                ["sino", "no", "No"],
            ],
        }
    )
    return convert_xlsform(data).spec


BACKWARD = [
    ["integer", "personas", "Personas", "", ""],
    ["integer", "mujeres", "Mujeres", "", "${personas} > 0"],
    ["calculate", "pct", "", "round(${mujeres} div ${personas} * 100, 1)", ""],
    ["begin_group", "mayoria", "Mayoría", "", "${pct} > 50"],
    ["text", "nota", "Nota", "", ""],
    ["calculate", "doble", "", "${pct} * 2", ""],
    ["end_group", "", "", "", ""],
    ["select_one sino", "indigena", "¿Indígena?", "", ""],
    ["text", "lengua", "Lengua", "", "${indigena} = 'si'"],
]


def test_one_pass_of_compute_gives_what_repeated_passes_give_when_logic_reads_backwards(
    monkeypatch,
):
    """An import computes every row: a form whose relevance and calculations
    only read earlier questions is computed in one pass, with the same result
    as the passes until nothing changes."""
    spec = _logic_form(BACKWARD)
    assert validation._settles_in_one_pass(spec) is True
    cases = [
        {
            "personas": personas,
            "mujeres": mujeres,
            "nota": "texto",
            "doble": "999",
            "indigena": indigena,
            "lengua": "mixteco",
            "pct": "1",
        }
        for personas in ("", "0", "4", "10", "x")
        for mujeres in ("", "1", "3", "9")
        for indigena in ("", "si", "no")
    ]
    one_pass = [validation.compute(spec, case, today=TODAY) for case in cases]
    monkeypatch.setattr(validation, "_settles_in_one_pass", lambda spec: False)
    assert one_pass == [validation.compute(spec, case, today=TODAY) for case in cases]
    computed = validation.compute(
        spec, {"personas": "4", "mujeres": "3", "nota": "sí", "indigena": "no"}, today=TODAY
    )
    assert computed == {
        "personas": "4",
        "mujeres": "3",
        "pct": "75",
        "nota": "sí",
        "doble": "150",
        "indigena": "no",
    }


@pytest.mark.parametrize(
    "rows",
    [
        # A relevance that reads a calculation further down.
        [
            ["integer", "a", "A", "", ""],
            ["text", "b", "B", "", "${c} > 5"],
            ["calculate", "c", "", "${a} * 2", ""],
        ],
        # A calculation that reads a later one.
        [
            ["calculate", "x", "", "${y} + 1", ""],
            ["integer", "a", "A", "", ""],
            ["calculate", "y", "", "${a} * 2", ""],
        ],
        # Repeats: rows are computed against the whole form.
        [
            ["begin_repeat", "hijos", "Hijos", "", ""],
            ["integer", "edad", "Edad", "", ""],
            ["end_repeat", "", "", "", ""],
        ],
    ],
)
def test_forms_whose_logic_reads_forward_keep_computing_until_nothing_changes(rows):
    spec = _logic_form(rows)
    assert validation._settles_in_one_pass(spec) is False


def test_a_calculation_that_reads_a_later_one_is_still_filled_in():
    spec = _logic_form(
        [
            ["calculate", "x", "", "${y} + 1", ""],
            ["integer", "a", "A", "", ""],
            ["calculate", "y", "", "${a} * 2", ""],
        ]
    )
    assert validation.compute(spec, {"a": "3"}, today=TODAY) == {"a": "3", "y": "6", "x": "7"}
