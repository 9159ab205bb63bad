from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualitativeConfig(AppConfig):
    name = "polo.qualitative"
    label = "qualitative"
    verbose_name = _("Diagnóstico cualitativo")
