"""The expression language of XLSForm columns (relevant, constraint, calculation,
choice_filter, required and default when they are expressions): ODK's XPath, parsed here
once into a JSON tree that both the server (``evaluate``, authoritative) and the form page
(``static/surveys/expressions.js``) evaluate with the same rules.

Usage::

    tree = compile_expression("${edad} >= 18 and selected(${apoyos}, 'salud')", names=names)
    evaluate_bool(tree, Env(values={"edad": "20", "apoyos": "salud vivienda"}))

Where it follows JavaRosa and where it differs is written down in
``docs/surveys-expressions.md`` (the lead's copy) and in the module docstrings; the short
version: an answer is its text, an unanswered question is '' (false, NaN as a number), a
string like '2024-05-01' is a date wherever a number is wanted (days since 1970-01-01).
"""

from polo.surveys.expressions.evaluator import Env, as_string, evaluate, evaluate_bool
from polo.surveys.expressions.parser import (
    FUNCTIONS,
    ExpressionError,
    compile_expression,
    references,
)
from polo.surveys.expressions.values import XDate, truthy

__all__ = [
    "FUNCTIONS",
    "Env",
    "ExpressionError",
    "XDate",
    "as_string",
    "compile_expression",
    "evaluate",
    "evaluate_bool",
    "references",
    "truthy",
]
