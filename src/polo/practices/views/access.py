"""One helper for "may this person act on this practice?": it fetches the
practice for the user and refuses otherwise (404 for what they may not even
see, the login page for visitors, 403 for the rest)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from polo.practices.models import GoodPractice

VIEW = "practices.view_practice"


def practice_for(request: HttpRequest, slug: str, perm: str = VIEW) -> GoodPractice:
    practice = get_object_or_404(
        GoodPractice.objects.select_related(
            "organization", "municipality__region", "municipality__state", "community"
        ),
        slug=slug,
    )
    if not request.user.has_perm(VIEW, practice):
        raise Http404
    if perm != VIEW and not request.user.has_perm(perm, practice):
        raise PermissionDenied
    return practice


def with_practice(perm: str = VIEW):
    """Decorate a view taking ``(request, practice, ...)`` from a URL's ``slug``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs):
            if perm != VIEW and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return view(request, practice_for(request, slug, perm), *args, **kwargs)

        return wrapper

    return decorator
