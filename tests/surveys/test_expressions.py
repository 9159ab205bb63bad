"""The expression language of XLSForm columns, on the server.

Every case in expression_cases.json (hand-derived from the ODK XForms spec and JavaRosa's
behaviour) runs here through Python, and in tests/browser/test_survey_expressions.py
through the browser's interpreter, which must agree.
"""

from __future__ import annotations

import datetime
import gzip
import json
import re
from pathlib import Path

import pytest
from django.utils import timezone

from polo.surveys.expressions import (
    Env,
    ExpressionError,
    XDate,
    as_string,
    compile_expression,
    evaluate,
    evaluate_bool,
    references,
    truthy,
)
from polo.surveys.expressions.parser import MAX_DEPTH, MAX_LENGTH, MAX_NESTING

CASES = json.loads((Path(__file__).parent / "expression_cases.json").read_text("utf-8"))
VALID = [case for case in CASES if not case.get("error")]
INVALID = [case for case in CASES if case.get("error")]


def case_id(case: dict) -> str:
    values = json.dumps(case.get("env", {}).get("values", {}), ensure_ascii=False)
    return f"{case['expr']} | {values}"[:90]


def make_env(spec: dict) -> Env:
    """An Env from a case's JSON env (dates as ISO text there)."""
    now = spec.get("now")
    today = spec.get("today")
    return Env(
        values=spec.get("values", {}),
        current=spec.get("current"),
        row=spec.get("row"),
        position=spec.get("position"),
        today=datetime.date.fromisoformat(today) if today else None,
        now=datetime.datetime.fromisoformat(now) if now else None,
        choice_item=spec.get("choice_item"),
        choice_labels=spec.get("choice_labels"),
    )


def describe(value) -> dict:
    """A value as JSON, the same shape the browser test builds from JavaScript's: its kind,
    its text, its truth and, for a node-set, its members."""
    if isinstance(value, bool):
        kind = "boolean"
    elif isinstance(value, float):
        kind = "number"
    elif isinstance(value, str):
        kind = "string"
    elif isinstance(value, list):
        kind = "nodeset"
    elif isinstance(value, XDate):
        kind = "dateTime" if value.time else "date"
    else:
        kind = type(value).__name__
    described = {"kind": kind, "string": as_string(value), "bool": truthy(value)}
    if isinstance(value, list):
        described["items"] = list(value)
    return described


def check_case(case: dict, described: dict) -> None:
    """Asserts what a case expects of a described result (Python's or the browser's)."""
    if "expected" in case:
        expected = case["expected"]
        if isinstance(expected, bool):
            assert described["kind"] == "boolean" and described["bool"] is expected
        elif isinstance(expected, int | float):
            assert described["kind"] == "number"
            assert float(described["string"]) == expected
        elif isinstance(expected, str):
            assert described["kind"] == "string" and described["string"] == expected
        else:
            assert described["kind"] == "nodeset" and described["items"] == expected
    if "string" in case:
        assert described["string"] == case["string"]
    if "bool" in case:
        assert described["bool"] is case["bool"]
    if "pattern" in case:
        assert re.fullmatch(case["pattern"], described["string"])


def test_the_cases_cover_every_supported_function():
    from polo.surveys.expressions import FUNCTIONS

    used = {name for case in VALID for name in FUNCTIONS if f"{name}(" in case["expr"]}
    assert used == set(FUNCTIONS)
    operators = {"and", "or", "div", "mod", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*"}
    assert all(any(f" {op} " in case["expr"] for case in VALID) for op in operators)


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_each_case_evaluates_as_the_spec_says(case):
    tree = compile_expression(case["expr"])
    # The tree travels to the browser as JSON: it must come back the same.
    assert json.loads(json.dumps(tree)) == tree
    result = evaluate(tree, make_env(case.get("env", {})))
    check_case(case, describe(result))
    assert evaluate_bool(tree, make_env(case.get("env", {}))) is truthy(result)


@pytest.mark.parametrize("case", INVALID, ids=case_id)
def test_each_error_case_is_refused_with_a_message(case):
    with pytest.raises(ExpressionError) as caught:
        compile_expression(case["expr"])
    assert str(caught.value)


def test_an_error_says_what_and_at_which_character():
    with pytest.raises(ExpressionError) as caught:
        compile_expression("${edad} + foo(2)")
    assert caught.value.position == 10
    assert "«foo»" in str(caught.value)
    assert "no está admitida" in str(caught.value)
    assert "carácter 11" in str(caught.value)


def test_an_unclosed_parenthesis_points_at_the_end():
    with pytest.raises(ExpressionError) as caught:
        compile_expression("(${a} + 1")
    assert caught.value.position == len("(${a} + 1")
    assert "«)»" in str(caught.value)


def test_a_bad_regex_points_into_the_pattern():
    source = "regex(., '^(a+)+$')"
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source)
    assert source[caught.value.position] == "+"
    assert "regex()" in str(caught.value)


def test_typographic_quotes_from_a_spreadsheet_get_a_hint():
    with pytest.raises(ExpressionError, match="comillas rectas") as caught:
        compile_expression("${sexo} = ‘m’")
    assert caught.value.position == 10


def test_an_unsupported_function_is_named():
    with pytest.raises(ExpressionError, match="«pulldata»"):
        compile_expression("pulldata('precios', 'precio', 'clave', ${clave})")


def test_it_rejects_a_reference_to_an_unknown_question():
    names = {"edad", "sexo"}
    assert compile_expression("${edad} > 18 and ${sexo} = 'm'", names=names)
    with pytest.raises(ExpressionError) as caught:
        compile_expression("${edad} > 18 and ${sexso} = 'm'", names=names)
    assert "La pregunta «sexso» no existe" in str(caught.value)
    assert caught.value.position == 17


def test_it_rejects_an_unknown_question_in_choice_name():
    with pytest.raises(ExpressionError, match="«colour» no existe"):
        compile_expression("jr:choice-name(${color}, '${colour}')", names={"color"})


def test_bare_names_are_choice_columns_and_can_be_refused_elsewhere():
    assert compile_expression("region = ${region}", columns={"name", "region"})
    with pytest.raises(ExpressionError, match=r"escriba \$\{edad\}"):
        compile_expression("edad > 18", columns=())
    with pytest.raises(ExpressionError, match="«estado»"):
        compile_expression("estado = ${estado}", columns={"name", "region"})


def test_references_lists_the_questions_read():
    tree = compile_expression(
        "${a} + sum(${b}) + indexed-repeat(${c}, ${r}, 1) + string-length(region)"
        " + jr:choice-name(${d}, '${e}') + ."
    )
    assert references(tree) == {"a", "b", "c", "r", "d"}
    assert references(compile_expression("1 + 1")) == set()


def test_an_overlong_expression_is_refused():
    with pytest.raises(ExpressionError, match="demasiado larga"):
        compile_expression("1+" * 5_000 + "1")
    assert compile_expression("1" + " " * (MAX_LENGTH - 1))


@pytest.mark.parametrize(
    "source",
    [
        "(" * 500 + "1" + ")" * 500,
        "not(" * 500 + "1" + ")" * 500,
        "(" * 3_000,
        "concat(" * 500,
    ],
    ids=["parentheses", "calls", "unclosed", "unclosed-calls"],
)
def test_deep_nesting_is_an_expression_error_not_a_crash(source):
    with pytest.raises(ExpressionError, match="anida demasiados"):
        compile_expression(source)


def test_nesting_up_to_the_limit_is_fine():
    source = "(" * MAX_NESTING + "1" + ")" * MAX_NESTING
    assert evaluate(compile_expression(source), Env(values={})) == 1.0


def test_a_deep_tree_of_alternating_operators_is_refused():
    with pytest.raises(ExpressionError, match="demasiados niveles"):
        compile_expression("1" + "+1-1" * (MAX_DEPTH // 2 + 1))


def test_long_flat_chains_stay_shallow():
    names = [f"p{i}" for i in range(200)]
    total = compile_expression(" + ".join(f"${{{name}}}" for name in names))
    answered = compile_expression(" or ".join(f"${{{name}}} = ''" for name in names))
    values = dict.fromkeys(names, "2")
    assert evaluate(total, Env(values=values)) == 400.0
    assert evaluate_bool(answered, Env(values=values)) is False


def test_many_minus_signs_are_fine():
    assert evaluate(compile_expression("-" * 3_001 + "2"), Env(values={})) == -2.0


def test_a_hostile_answer_against_an_allowed_pattern_finishes():
    tree = compile_expression(r"regex(., '^[^@\s]+@[^@\s]+\.[a-z]+$')")
    assert evaluate(tree, Env(values={}, current="a" * 3_000 + "@")) is False


def test_a_malformed_tree_is_an_expression_error():
    for tree in ({"op": "+"}, {"fn": "nada", "args": []}, {"weird": 1}, {"op": "?", "args": []}):
        with pytest.raises(ExpressionError):
            evaluate(tree, Env(values={}))


def test_today_and_now_default_to_the_local_clock():
    assert as_string(evaluate(compile_expression("today()"), Env(values={}))) == str(
        timezone.localdate()
    )
    before = timezone.now()
    now = evaluate(compile_expression("now()"), Env(values={}))
    assert abs(now.days * 86_400 - before.timestamp()) < 60


def test_python_dates_given_as_answers_read_as_dates():
    env = Env(values={"d": datetime.date(2024, 3, 1)}, today=datetime.date(2024, 3, 2))
    assert evaluate(compile_expression("today() - ${d}"), env) == 1.0


def test_uuid_is_random():
    tree = compile_expression("uuid()")
    assert evaluate(tree, Env(values={})) != evaluate(tree, Env(values={}))


def test_as_string_writes_each_kind_as_a_calculation_stores_it():
    env = Env(values={}, today=datetime.date(2024, 3, 1))
    for source, text in [
        ("2 div 4", "0.5"),
        ("10 * 10", "100"),
        ("1 = 1", "true"),
        ("today()", "2024-03-01"),
        ("date('nope')", ""),
        ("0 div 0", "NaN"),
        ("'texto'", "texto"),
    ]:
        assert as_string(evaluate(compile_expression(source), env)) == text, source


def test_a_tree_is_json_and_reads_the_same_after_a_round_trip():
    tree = compile_expression("if(selected(${m}, 'a'), concat(${n}, '!'), -1.5 * position(..))")
    copy = json.loads(json.dumps(tree))
    env = Env(values={"m": "a b", "n": "x"}, position=2)
    assert evaluate(copy, env) == evaluate(tree, env) == "x!"


def test_the_browser_interpreter_stays_small():
    """It ships on every form page (the page budget is 100 KB)."""
    script = Path(__file__).resolve().parents[2] / "src/polo/surveys/static/surveys/expressions.js"
    assert len(gzip.compress(script.read_bytes(), 9)) < 8 * 1024
