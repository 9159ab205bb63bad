from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "polo.assessments"
    label = "assessments"
    verbose_name = _("Autodiagnóstico (Manual de incidencia)")

    def ready(self) -> None:
        from polo.assessments import indicator_sources, services

        services.register_personal_data()
        indicator_sources.register()
