"""What every API response shares, whichever endpoint answers it: CORS for any
origin, a short public cache, HEAD and the CORS preflight, a JSON 405 for the
methods a read-only API does not have, and JSON for unknown paths.

Applied to each URL pattern of the API (urls.py) rather than as a middleware,
so that the rest of the site is untouched.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from polo.api.errors import json_error

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
CACHE_SECONDS = 60
# A whitespace control character in a search is harmless (the search folds it);
# any other (NUL first of all: PostgreSQL refuses it in a string) is refused.
_HARMLESS_CONTROLS = {"\t", "\n", "\r"}


def public_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            response = _preflight()
        else:
            problem = _query_problem(request)
            if problem:
                response = json_error(400, problem)
            else:
                response = _dispatch(view, request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _dispatch(view, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    # HEAD is answered as GET (the server drops the body); the operations are
    # declared for GET only, so that the OpenAPI description lists each once.
    is_head = request.method == "HEAD"
    if is_head:
        request.method = "GET"
    try:
        response = view(request, *args, **kwargs)
    finally:
        if is_head:
            request.method = "HEAD"
    if response.status_code == 405:
        response = json_error(405, _("Método no permitido: esta API es de solo lectura; usa GET."))
        response["Allow"] = ALLOWED_METHODS
    elif response.status_code == 200:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED_METHODS
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _query_problem(request: HttpRequest) -> str | None:
    try:
        items = list(request.GET.lists())
    except TooManyFieldsSent:
        return _("Demasiados parámetros en la dirección.")
    for name, values in items:
        for text in (name, *values):
            if any(
                unicodedata.category(char) == "Cc" and char not in _HARMLESS_CONTROLS
                for char in text
            ):
                return _("El parámetro «%(name)s» contiene caracteres de control.") % {
                    "name": "".join(c for c in name if c.isprintable())[:40]
                }
    return None


@csrf_exempt
def not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any other path under /api/v1/: JSON, like every API answer."""
    return json_error(
        404,
        _("Esta ruta no existe en la API. La descripción está en %(url)s.")
        % {"url": reverse("api:openapi-json")},
    )
