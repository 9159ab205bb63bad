from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "polo.agreements"
    label = "agreements"
    verbose_name = _("Convenios y compromisos")

    def ready(self) -> None:
        from polo.agreements import services

        services.register_personal_data()
