from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The module navigation, in the order the programme needs them. Entries whose
# module is not built yet are shown but marked as coming.
NAVIGATION = [
    ("directory", _("Directorio"), "directory:index"),
    ("indicators", _("Diagnóstico"), "indicators:index"),
    ("assessments", _("Manual de incidencia"), "assessments:index"),
    ("meetings", _("Encuentros"), "meetings:index"),
    ("agendas", _("Agendas comunes"), "agendas:index"),
    ("consultations", _("Consultas"), "consultations:index"),
    ("agreements", _("Convenios"), "agreements:index"),
    ("practices", _("Buenas prácticas"), "practices:index"),
    ("learning", _("Formación"), None),
    ("networks", _("Redes"), None),
    ("library", _("Biblioteca"), None),
]


def site(request):
    return {
        "NAVIGATION": NAVIGATION,
        # Built modules are links; the others are named together as coming soon.
        "NAVIGATION_SOON": [label for _key, label, url_name in NAVIGATION if not url_name],
        "DEBUG": settings.DEBUG,
        "INEGI_CREDIT": _(
            "Fuente: INEGI, Marco Geoestadístico y Catálogo Único de Claves Geoestadísticas; "
            "Censo de Población y Vivienda 2020. Geometría simplificada."
        ),
    }
