"""One helper per question "may this person act on this meeting?": it fetches
the meeting for the user and refuses otherwise (404 for what they may not even
see, login for visitors, 403 for the rest)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from polo.meetings.models import Meeting


class LoginRequired(Exception):
    pass


def meeting_for(request: HttpRequest, pk: int, perm: str = "meetings.view_meeting") -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related("municipality__region", "municipality__state", "community"),
        pk=pk,
    )
    if not request.user.has_perm("meetings.view_meeting", meeting):
        raise Http404
    if perm != "meetings.view_meeting" and not request.user.has_perm(perm, meeting):
        if not request.user.is_authenticated:
            raise LoginRequired
        raise PermissionDenied
    return meeting


def login_redirect(request: HttpRequest):
    return redirect_to_login(request.get_full_path())


def with_meeting(perm: str = "meetings.view_meeting"):
    """Decorate a view taking ``(request, meeting, ...)`` from a URL's ``pk``."""

    def decorator(view):
        from functools import wraps

        @wraps(view)
        def wrapper(request: HttpRequest, pk: int, *args, **kwargs):
            try:
                meeting = meeting_for(request, pk, perm)
            except LoginRequired:
                return login_redirect(request)
            return view(request, meeting, *args, **kwargs)

        return wrapper

    return decorator
