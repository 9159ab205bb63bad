from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "polo.indicators"
    label = "indicators"
    verbose_name = _("Indicadores")

    def ready(self) -> None:
        from polo.indicators import sources

        sources.register_builtin()
