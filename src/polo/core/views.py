from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from polo.core import selectors
from polo.core.models import Job


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
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
@require_safe
def job_detail(request: HttpRequest, job_id) -> HttpResponse:
    job = get_object_or_404(Job, pk=job_id, owner=request.user)
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
