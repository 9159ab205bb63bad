import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
    JsonResponse,
)
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from polo.core import selectors
from polo.core.models import Job

logger = logging.getLogger(__name__)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", selectors.home_context())


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Load balancers ask this: 200 with the database up, 503 when it is down."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    else:
        response = JsonResponse({"status": "ok", "database": "ok"})
    # For the load balancer and monitoring, not for other sites' pages to read.
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@never_cache
@vary_on_headers("HX-Request")
@login_required
@require_safe
def job_detail(request: HttpRequest, job_id) -> HttpResponse:
    job = get_object_or_404(Job, pk=job_id)
    if not request.user.has_perm("core.view_job", job):
        # Someone else's job: as if it did not exist, so ids reveal nothing.
        raise Http404
    template = "core/job_detail.html#job-progress" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


# Last resort when even the plain 500 template cannot be rendered.
FALLBACK_500 = (
    '<!doctype html><html lang="es-MX"><meta charset="utf-8"><title>Error · Polo</title>'
    "<h1>Algo salió mal</h1><p>Inténtalo de nuevo en unos minutos.</p>"
    '<p><a href="/">Ir al inicio</a></p></html>'
)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request: no context processors, no
    database, no session. Whatever broke the page must not break this one too,
    and a failure here falls back to fixed HTML instead of raising again."""
    try:
        html = loader.get_template("500.html").render({})
    except Exception:
        logger.exception("The 500 page could not be rendered")
        html = FALLBACK_500
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: usually an old tab or blocked cookies."""
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "403_csrf.html", context, status=403)
