"""Fetch a consultation for the user, or refuse: 404 for what they may not
see, the login page for visitors, 403 for the rest."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from polo.consultations.models import Consultation


def with_consultation(perm: str = "consultations.view_consultation"):
    """Decorate a view taking ``(request, consultation, ...)`` from a URL's ``slug``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs):
            consultation = get_object_or_404(
                Consultation.objects.select_related(
                    "region", "municipality__region", "municipality__state"
                ),
                slug=slug,
            )
            if not request.user.has_perm("consultations.view_consultation", consultation):
                raise Http404
            if perm != "consultations.view_consultation" and not request.user.has_perm(
                perm, consultation
            ):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, consultation, *args, **kwargs)

        return wrapper

    return decorator
