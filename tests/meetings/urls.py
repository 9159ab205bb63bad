"""Polo's URLs plus the meetings' API router under /api/v1/, on an API of its
own, for as long as polo.api.api does not mount it (the API tests use this
URLconf; once the router is mounted there, this is Polo's own URLconf)."""

from django.urls import path

from polo.api import errors
from polo.api.api import PoloAPI, _Renderer
from polo.api.api import api as polo_api
from polo.api.routers import meetings as meetings_router
from polo.urls import handler403, handler404, handler500  # noqa: F401
from polo.urls import urlpatterns as polo_urlpatterns

extra = []
if not any(router is meetings_router.router for _, router in polo_api._routers):
    meetings_api = PoloAPI(
        title="meetings", urls_namespace="meetings_api", docs_url=None, renderer=_Renderer()
    )
    errors.install(meetings_api)
    meetings_api.add_router("", meetings_router.router)
    extra = [path("api/v1/", meetings_api.urls)]

urlpatterns = [*extra, *polo_urlpatterns]
