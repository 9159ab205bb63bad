from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve as serve_media

admin.site.site_header = _("Administración de Polo")
admin.site.site_title = _("Polo")
admin.site.index_title = _("Coordinación")

urlpatterns = [
    path("", include("polo.core.urls")),
    path("territorio/", include("polo.territory.urls")),
    path("directorio/", include("polo.directory.urls")),
    path("encuestas/", include("polo.surveys.urls")),
    path("openrosa/", include("polo.surveys.openrosa_urls")),
    path("diagnostico/cualitativo/", include("polo.qualitative.urls")),
    path("diagnostico/", include("polo.indicators.urls")),
    path("autodiagnostico/", include("polo.assessments.urls")),
    path("encuentros/", include("polo.meetings.urls")),
    path("consultas/", include("polo.consultations.urls")),
    path("convenios/", include("polo.agreements.urls")),
    path("buenas-practicas/", include("polo.practices.urls")),
    path("agendas/", include("polo.agendas.urls")),
    path("moderacion/", include("polo.moderation.urls")),
    path("cuenta/", include("polo.accounts.urls")),
    path("cuentas/", include("allauth.urls")),
    path("bitacora/", include("polo.audit.urls")),
    path("api/v1/", include("polo.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [
        path("media/<path:path>", serve_media, {"document_root": settings.MEDIA_ROOT}),
    ]

handler403 = "polo.core.views.permission_denied"
handler404 = "polo.core.views.page_not_found"
handler500 = "polo.core.views.server_error"
