from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "polo.meetings"
    label = "meetings"
    verbose_name = _("Encuentros")

    def ready(self) -> None:
        from polo.meetings import services

        services.register_personal_data()
        services.register_indicator_metrics()
