from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "polo.directory"
    label = "directory"
    verbose_name = _("Directorio")

    def ready(self) -> None:
        from polo.directory import services

        services.register_personal_data()
