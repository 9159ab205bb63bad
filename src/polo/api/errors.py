"""Errors as JSON with a clear message, in the request's language (Spanish
first): 400 for parameters that cannot be understood, 404 for what is not
there, never a bare 500 page."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

from polo.directory.selectors import FilterError

logger = logging.getLogger("polo.api")


class ParameterProblem(Schema):
    parameter: str
    message: str


class Error(Schema):
    """Every error: ``detail`` says what went wrong; a 400 for parameters adds
    one entry per parameter; a 404 for a merged organisation gives the id kept."""

    detail: str
    errors: list[ParameterProblem] | None = None
    merged_into: int | None = None


class MergedOrganization(Exception):
    def __init__(self, kept_id: int | None) -> None:
        self.kept_id = kept_id
        super().__init__(kept_id)


def json_error(status: int, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse(
        {"detail": detail, **extra}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _problem(error: dict[str, Any]) -> str:
    """Pydantic's message, said in Polo's words for the cases a query string meets."""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("debe ser un número entero")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("debe ser al menos %(limit)s") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("debe ser como máximo %(limit)s") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind == "string_too_long":
        return _("es demasiado largo (máximo %(n)s caracteres)") % {"n": ctx.get("max_length")}
    return _("no es un valor válido")


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())[1:]] or ["?"]
        problems.append({"parameter": ".".join(location), "message": _problem(error)})
    detail = "; ".join(
        _("Parámetro «%(name)s» no válido: %(problem)s")
        % {"name": p["parameter"], "problem": p["message"]}
        for p in problems
    )
    return json_error(400, f"{detail}.", errors=problems)


def _filter_error(request: HttpRequest, exc: FilterError) -> HttpResponse:
    return json_error(400, str(exc))


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return json_error(exc.status_code, str(exc))


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return json_error(404, _("No existe: revisa la dirección o el identificador."))


def _merged(request: HttpRequest, exc: MergedOrganization) -> HttpResponse:
    if exc.kept_id is None:
        return json_error(404, _("Esta organización se fusionó con otra que no está publicada."))
    return json_error(
        404,
        _("Esta organización se fusionó con la organización %(id)s; consulta esa.")
        % {"id": exc.kept_id},
        merged_into=exc.kept_id,
    )


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged with its traceback like any server error, but answered in JSON so
    # that a client gets the same shape of error whatever went wrong.
    logger.exception("API error on %s", request.get_full_path())
    return json_error(500, _("Error interno. Ya quedó registrado; intenta de nuevo más tarde."))


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(FilterError, _filter_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(MergedOrganization, _merged)
    api.add_exception_handler(Exception, _unexpected)
