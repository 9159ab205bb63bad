from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "polo.practices"
    label = "practices"
    verbose_name = _("Buenas prácticas")

    def ready(self) -> None:
        from polo.practices import sections, services

        services.register_personal_data()
        sections.register_all()
