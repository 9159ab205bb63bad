"""The expression language of XLSForm columns (relevant, constraint, calculation,
choice_filter, required and default when they are expressions): ODK's XPath, parsed here
once into a JSON tree that both the server (``evaluate``, authoritative) and the form page
(``static/surveys/expressions.js``) evaluate with the same rules::

    tree = compile_expression("${edad} >= 18 and selected(${apoyos}, 'salud')", names=names)
    evaluate_bool(tree, Env(values={"edad": "20", "apoyos": "salud vivienda"}))

The rules, and where they part from JavaRosa (ODK Collect) or Enketo:

- An answer is its text; unanswered is ''. As a condition it is true when not empty
  (JavaRosa; Enketo tests that the node exists). As a number '' is NaN, so every ``<``,
  ``>`` or ``=`` with it is false and ``!=`` true; arithmetic with it gives NaN.
- ``=`` and ``!=`` compare numbers when either side is a number or a date, booleans when
  either is a boolean, text otherwise: ``${a} = ${b}`` with '10' and '10.0' is false
  (JavaRosa compares typed values: true for two numeric questions).
- Text becomes a number by XPath 1.0's rule: digits with an optional '-' and '.', no
  exponent, no '+' (JavaRosa also reads '1e3'). Text shaped 'YYYY-MM-DD' (or a date-time)
  becomes days since 1970-01-01, so ``today() - ${nacimiento}`` counts days and
  ``${fecha} > today()`` works (Enketo's rule; JavaRosa gets there through typed dates).
  A date-time without a zone is UTC; as a number it is its UTC instant in days.
- string-length(), substr() and translate() count characters (code points); JavaRosa
  counts UTF-16 units, which differs only for characters such as emoji.
- round() rounds halves up (round(-2.5) is -2, as XPath and JavaRosa), after cutting the
  scaled value to 15 significant digits, so round(2.675, 2) is 2.68.
- format-date() writes %b and %a in Spanish ('ene', 'lun'), not in the device's language;
  an unknown %-code stays as written.
- regex() takes a quoted pattern from a subset that Python and the browser read alike
  (see ``regex.py``): searched anywhere in the value as JavaRosa's find(), \\d \\w \\b
  ASCII, ``$`` only at the very end (Java's also matches before a final newline); groups
  that repeat a repetition or an alternation are refused as they can backtrack without end.
- sum() and min()/max() over rows with a blank answer are NaN (as in ODK); count() of a
  question outside a repeat is 1. A repeat with no rows gives no way to know its questions:
  pass them as empty lists (``values={"hogar": [], "edad": []}``) for sum(${edad}) to be 0.
- once(x) is x: storing it only while the question is empty is the caller's part.
- jr:choice-name(${q}, '${q}') reads labels from ``Env.choice_labels``.
- Not supported, refused at compile time naming what: pulldata(), instance(), current(),
  paths (/data/...), filters ([...]), unions (|), indexed-repeat() over nested repeats,
  random(), digest(), the geo and trigonometric functions, jr:itext() and XPath's
  substring() (ODK's substr() is supported).
- A calculation that gives NaN stores 'NaN' (XPath string()); Enketo and Collect may store
  it blank.
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
