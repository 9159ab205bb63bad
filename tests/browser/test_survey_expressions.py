"""The browser's expression interpreter (surveys/static/surveys/expressions.js) against the
server's: every case of tests/surveys/expression_cases.json is compiled in Python, its tree
handed to the script in a blank page, and the result must be the one Python gives (and the
one the case expects). This is what keeps the two evaluators one implementation.

The page needs no server: the script is loaded into about:blank, as the form page would
load it, with no network.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from polo.surveys.expressions import compile_expression, evaluate
from tests.surveys.test_expressions import VALID, case_id, check_case, describe, make_env

SCRIPT = Path(__file__).resolve().parents[2] / "src/polo/surveys/static/surveys/expressions.js"

# The same description as tests/surveys/test_expressions.describe, built in JavaScript.
EVALUATE = """
([tree, env]) => {
  const P = window.PoloExpressions;
  const value = P.evaluate(tree, env);
  let kind = typeof value;
  if (Array.isArray(value)) kind = "nodeset";
  else if (value instanceof P.XDate) kind = value.time ? "dateTime" : "date";
  const described = {kind, string: P.asString(value), bool: P.truthy(value)};
  if (Array.isArray(value)) described.items = value.slice();
  if (P.evaluateBool(tree, env) !== described.bool) described.bool = "evaluateBool differs";
  return described;
}
"""


@pytest.fixture(scope="module")
def interpreter(browser):
    context = browser.new_context(locale="es-MX")
    page = context.new_page()
    page.set_content("<!doctype html><title>Expresiones</title>")
    page.add_script_tag(path=str(SCRIPT))
    yield page
    context.close()


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_the_browser_agrees_with_the_server(interpreter, case):
    tree = compile_expression(case["expr"])
    env = case.get("env", {"values": {}})
    in_browser = interpreter.evaluate(EVALUATE, [tree, {"values": {}, **env}])
    on_server = describe(evaluate(tree, make_env(env)))
    if "pattern" in case:  # random values: each must have the right shape
        check_case(case, in_browser)
        in_browser["string"] = on_server["string"]
    assert in_browser == on_server
    check_case(case, in_browser)


def test_today_and_now_default_to_the_device_clock(interpreter):
    shown = interpreter.evaluate(
        """([today, now]) => {
            const P = window.PoloExpressions;
            const d = new Date();
            const pad = (n) => String(n).padStart(2, "0");
            return {
              today: P.asString(P.evaluate(today, {values: {}})),
              expected: d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()),
              lag: Math.abs(P.evaluate(now, {values: {}}).days * 86400000 - Date.now()),
            };
        }""",
        [compile_expression("today()"), compile_expression("now()")],
    )
    assert shown["today"] == shown["expected"]
    assert shown["lag"] < 60_000


def test_an_unknown_function_in_a_tree_is_an_error_not_a_guess(interpreter):
    message = interpreter.evaluate(
        """(tree) => {
            try { window.PoloExpressions.evaluate(tree, {values: {}}); return "no error"; }
            catch (error) { return String(error); }
        }""",
        {"fn": "pulldata", "args": []},
    )
    assert "pulldata" in message
