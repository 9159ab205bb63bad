from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "polo.moderation"
    label = "moderation"
    verbose_name = _("Moderación")

    def ready(self) -> None:
        from polo.moderation import services

        services.register_personal_data()
