"""Reads an XLSForm expression into a tree of plain dicts, lists, strings and numbers (JSON
as it is), which both evaluators walk: ``evaluator.py`` here and ``expressions.js`` in the
browser. Only this module parses.

The tree's nodes::

    {"num": 1.5}   {"str": "texto"}   {"ref": "edad"}   {"cur": true}   {"col": "region"}
    {"parent": true}                       the ``..`` of ``position(..)``
    {"op": "+", "args": [a, b, ...]}       or and = != < <= > >= + - * div mod, folded from
                                           the left ((a - b) - c); and "neg" with one arg
    {"fn": "concat", "args": [...]}
"""

from __future__ import annotations

import re
from collections.abc import Collection

from django.utils.translation import gettext as _

from polo.surveys.expressions import regex

MAX_LENGTH = 4000
MAX_NESTING = 40  # parentheses and calls inside each other
MAX_DEPTH = 100  # levels of the tree, operators included

# Name: (fewest arguments, most arguments or None for any number).
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "if": (3, 3),
    "coalesce": (2, 2),
    "concat": (0, None),
    "join": (1, None),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "substr": (2, 3),
    "substring-before": (2, 2),
    "substring-after": (2, 2),
    "string-length": (0, 1),
    "normalize-space": (0, 1),
    "translate": (3, 3),
    "regex": (2, 2),
    "selected": (2, 2),
    "count-selected": (1, 1),
    "selected-at": (2, 2),
    "jr:choice-name": (2, 2),
    "number": (0, 1),
    "int": (1, 1),
    "round": (1, 2),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "abs": (1, 1),
    "pow": (2, 2),
    "sqrt": (1, 1),
    "min": (1, None),
    "max": (1, None),
    "sum": (1, 1),
    "count": (1, 1),
    "count-non-empty": (1, 1),
    "indexed-repeat": (3, 3),
    "position": (0, 1),
    "today": (0, 0),
    "now": (0, 0),
    "date": (1, 1),
    "date-time": (1, 1),
    "decimal-date-time": (1, 1),
    "format-date": (2, 2),
    "format-date-time": (2, 2),
    "boolean": (1, 1),
    "boolean-from-string": (1, 1),
    "string": (0, 1),
    "true": (0, 0),
    "false": (0, 0),
    "not": (1, 1),
    "once": (1, 1),
    "uuid": (0, 1),
}

OPERATOR_NAMES = {"and", "or", "div", "mod"}
NAME = re.compile(r"[^\W\d][\w.\-]*\Z")
TOKEN = re.compile(
    r"""
    (?P<space>[ \t\n\r]+)
    |(?P<ref>\$\{)
    |(?P<num>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
    |(?P<str>'[^']*'|"[^"]*")
    |(?P<op>!=|<=|>=|\.\.|[=<>+\-*(),./\[\]|@:$])
    |(?P<name>[^\W\d][\w.\-]*(?::[^\W\d][\w.\-]*)?)
    """,
    re.VERBOSE,
)
CHOICE_NAME_TARGET = re.compile(r"\$\{([^}]*)\}\Z")


class ExpressionError(ValueError):
    """An expression that cannot be read or used. The message (in Spanish) says what is
    wrong and where; ``position`` is the 0-based offset in the source, when there is one."""

    def __init__(self, message: str, position: int | None = None):
        if position is not None:
            message = _("%(message)s (carácter %(position)d)") % {
                "message": message,
                "position": position + 1,
            }
        super().__init__(message)
        self.position = position


def _tokens(source: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    i = 0
    ends_operand = False  # whether the previous token can end an operand
    while i < len(source):
        match = TOKEN.match(source, i)
        if not match:
            char = source[i]
            if char in "'\"":
                raise ExpressionError(_("Falta cerrar el texto que empieza aquí"), i)
            if char in "‘’“”«»":
                message = _("Escriba comillas rectas (' o \") en lugar de «%(char)s»")
                raise ExpressionError(message % {"char": char}, i)
            raise ExpressionError(_("No se esperaba «%(char)s»") % {"char": char}, i)
        kind, text = match.lastgroup, match.group()
        if kind == "space":
            i = match.end()
            continue
        if kind == "ref":
            close = source.find("}", i)
            if close < 0:
                raise ExpressionError(_("Falta «}» para cerrar la referencia"), i)
            name = source[i + 2 : close].strip()
            if not NAME.match(name):
                raise ExpressionError(
                    _("«%(name)s» no es un nombre de pregunta válido") % {"name": name}, i
                )
            tokens.append(("ref", name, i))
            i = close + 1
            ends_operand = True
            continue
        if kind == "name" and ends_operand and text in OPERATOR_NAMES:
            kind = "op"
        elif kind == "op" and text == "*" and not ends_operand:
            raise ExpressionError(_("«*» solo puede multiplicar dos valores"), i)
        tokens.append((kind, text, i))
        ends_operand = kind in ("num", "str", "name") or text in (")", ".", "..")
        i = match.end()
    tokens.append(("end", "", len(source)))
    return tokens


class _Parser:
    def __init__(self, source: str, names, columns):
        self.tokens = _tokens(source)
        self.index = 0
        self.nesting = 0
        self.names = names
        self.columns = columns

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.index]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        kind, value, position = self.take()
        if kind != "op" or value != text:
            found = value or _("el final")
            raise ExpressionError(
                _("Se esperaba «%(expected)s» y hay «%(found)s»")
                % {"expected": text, "found": found},
                position,
            )

    def parse(self) -> dict:
        tree = self.binary(0)
        kind, value, position = self.peek()
        if kind != "end":
            raise ExpressionError(_("No se esperaba «%(token)s»") % {"token": value}, position)
        return tree

    LEVELS = (
        ("or",),
        ("and",),
        ("=", "!="),
        ("<", "<=", ">", ">="),
        ("+", "-"),
        ("*", "div", "mod"),
    )

    def binary(self, level: int) -> dict:
        if level == len(self.LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while True:
            kind, value, _position = self.peek()
            if kind != "op" or value not in self.LEVELS[level]:
                return left
            self.take()
            right = self.binary(level + 1)
            if left.get("op") == value:
                # a - b - c as one node folded from the left: long sums stay shallow.
                left["args"].append(right)
            else:
                left = {"op": value, "args": [left, right]}

    def unary(self) -> dict:
        minuses = 0
        while self.peek()[:2] == ("op", "-"):
            self.take()
            minuses += 1
        operand = self.primary()
        if minuses % 2:
            return {"op": "neg", "args": [operand]}
        if minuses:
            return {"fn": "number", "args": [operand]}
        return operand

    def nest(self, position: int) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ExpressionError(
                _("La expresión anida demasiados paréntesis (más de %(limit)d)")
                % {"limit": MAX_NESTING},
                position,
            )

    def primary(self) -> dict:
        kind, value, position = self.take()
        if kind == "num":
            node: dict = {"num": float(value)}
        elif kind == "str":
            node = {"str": value[1:-1]}
        elif kind == "ref":
            if self.names is not None and value not in self.names:
                message = _("La pregunta «%(name)s» no existe") % {"name": value}
                raise ExpressionError(message, position)
            node = {"ref": value}
        elif kind == "op" and value == ".":
            node = {"cur": True}
        elif kind == "op" and value == "(":
            self.nest(position)
            node = self.binary(0)
            self.expect(")")
            self.nesting -= 1
        elif kind == "name" and self.peek()[:2] == ("op", "("):
            node = self.call(value, position)
        elif kind == "name":
            if self.columns is not None and value not in self.columns:
                raise ExpressionError(
                    _(
                        "«%(name)s» no es una columna de la lista de opciones; para una pregunta "
                        "escriba ${%(name)s}"
                    )
                    % {"name": value},
                    position,
                )
            node = {"col": value}
        elif kind == "op" and value == "/":
            raise ExpressionError(
                _("Las rutas como «/data/...» no están admitidas: escriba ${nombre}"), position
            )
        elif kind == "op" and value == "..":
            raise ExpressionError(_("«..» solo se admite dentro de position(..)"), position)
        elif kind == "end":
            raise ExpressionError(_("La expresión termina antes de tiempo"), position)
        else:
            raise ExpressionError(_("No se esperaba «%(token)s»") % {"token": value}, position)
        kind, value, position = self.peek()
        if kind == "op" and value == "[":
            raise ExpressionError(_("Los filtros entre corchetes no están admitidos"), position)
        if kind == "op" and value == "/":
            raise ExpressionError(
                _("Las rutas con «/» no están admitidas (para dividir escriba «div»)"), position
            )
        return node

    def call(self, name: str, position: int) -> dict:
        if name not in FUNCTIONS:
            raise ExpressionError(
                _("La función «%(name)s» no está admitida") % {"name": name}, position
            )
        self.expect("(")
        self.nest(position)
        args: list[dict] = []
        positions: list[int] = []
        if self.peek()[:2] != ("op", ")"):
            while True:
                positions.append(self.peek()[2])
                if name == "position" and self.peek()[:2] == ("op", ".."):
                    self.take()
                    args.append({"parent": True})
                else:
                    args.append(self.binary(0))
                if self.peek()[:2] != ("op", ","):
                    break
                self.take()
        self.expect(")")
        self.nesting -= 1
        fewest, most = FUNCTIONS[name]
        if len(args) < fewest or (most is not None and len(args) > most):
            if most is None:
                wanted = _("al menos %(n)d") % {"n": fewest}
            elif fewest == most:
                wanted = str(fewest)
            else:
                wanted = _("de %(a)d a %(b)d") % {"a": fewest, "b": most}
            raise ExpressionError(
                _("La función «%(name)s» recibe %(wanted)s argumentos, no %(given)d")
                % {"name": name, "wanted": wanted, "given": len(args)},
                position,
            )
        self.check_call(name, args, positions)
        return {"fn": name, "args": args}

    def check_call(self, name: str, args: list[dict], positions: list[int]) -> None:
        if name == "position" and args and "parent" not in args[0]:
            raise ExpressionError(_("position() solo admite «..»"), positions[0])
        if name == "regex":
            pattern = args[1].get("str")
            if pattern is None:
                raise ExpressionError(
                    _("El patrón de regex() debe escribirse entre comillas"), positions[1]
                )
            try:
                regex.translate(pattern)
            except regex.PatternError as error:
                raise ExpressionError(
                    _("El patrón de regex() no es válido: %(problem)s") % {"problem": error},
                    positions[1] + 1 + error.offset,
                ) from None
        if name == "jr:choice-name":
            target = CHOICE_NAME_TARGET.match(args[1].get("str", "").strip())
            if not target:
                raise ExpressionError(
                    _(
                        "jr:choice-name() necesita el nombre de la pregunta entre comillas, "
                        "como '${pregunta}'"
                    ),
                    positions[1],
                )
            question = target.group(1).strip()
            if self.names is not None and question not in self.names:
                raise ExpressionError(
                    _("La pregunta «%(name)s» no existe") % {"name": question}, positions[1]
                )
            args[1] = {"str": question}
        if name == "indexed-repeat" and ("ref" not in args[0] or "ref" not in args[1]):
            raise ExpressionError(
                _(
                    "indexed-repeat() necesita una pregunta y un grupo que se repite, "
                    "como ${pregunta}, ${grupo}"
                ),
                positions[0],
            )


def depth(tree: dict) -> int:
    """How many levels the tree has, counted without recursion."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        for child in node.get("args", ()):
            stack.append((child, level + 1))
    return deepest


def compile_expression(
    source: str,
    *,
    names: Collection[str] | None = None,
    columns: Collection[str] | None = None,
) -> dict:
    """Parses an XLSForm expression into a JSON-able tree.

    ``${name}`` references become ``{"ref": name}`` and ``.`` the current value. With
    ``names``, a reference to a question not among them is an error. Bare names (``region``
    in a choice_filter such as ``region = ${region}``) refer to the columns of the choice
    being filtered; with ``columns``, a bare name not among them is an error, so pass
    ``columns=()`` where no choice is being filtered (relevant, constraint, calculation)
    to catch a forgotten ``${}``. Raises ExpressionError."""
    if not isinstance(source, str):
        raise ExpressionError(_("La expresión debe ser texto"))
    if len(source) > MAX_LENGTH:
        raise ExpressionError(
            _("La expresión es demasiado larga (%(length)d caracteres; el máximo es %(limit)d)")
            % {"length": len(source), "limit": MAX_LENGTH}
        )
    if not source.strip():
        raise ExpressionError(_("La expresión está vacía"))
    tree = _Parser(source, names, columns).parse()
    if depth(tree) > MAX_DEPTH:
        raise ExpressionError(
            _("La expresión tiene demasiados niveles (más de %(limit)d): divídala en cálculos")
            % {"limit": MAX_DEPTH}
        )
    return tree


def references(tree: dict) -> set[str]:
    """The names of the questions an expression reads (``${name}``)."""
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if "ref" in node:
            found.add(node["ref"])
        stack.extend(node.get("args", ()))
    return found
