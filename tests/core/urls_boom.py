"""Polo's URLs plus a view that fails, to see the 500 page (tests only)."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("a bug in a view")


def broken_context_processor(request):
    raise RuntimeError("a bug in a context processor")


urlpatterns = [
    path("falla/", boom),
    path("", include("polo.urls")),
]

handler403 = "polo.core.views.permission_denied"
handler404 = "polo.core.views.page_not_found"
handler500 = "polo.core.views.server_error"
