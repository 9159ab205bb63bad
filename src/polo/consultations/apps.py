from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "polo.consultations"
    label = "consultations"
    verbose_name = _("Consultas ciudadanas")

    def ready(self) -> None:
        from polo.consultations import services

        services.register_personal_data()
