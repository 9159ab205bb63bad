"""The project's URLs with the meetings mounted (see settings.py here); the API
router too, if polo.api.api does not mount it yet."""

from django.urls import include, path

from polo.api.api import api
from polo.api.routers import meetings as meetings_router

if not any(router is meetings_router.router for _, router in api._routers):
    api.add_router("", meetings_router.router)

from polo.urls import handler403, handler404, handler500  # noqa: E402, F401
from polo.urls import urlpatterns as polo_urlpatterns  # noqa: E402

urlpatterns = [path("encuentros/", include("polo.meetings.urls")), *polo_urlpatterns]
