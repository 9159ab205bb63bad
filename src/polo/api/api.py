"""The public JSON API, /api/v1/: read-only, public data only, and the same
answer for whoever asks (it never looks at who is signed in, so staff get no
more through it than a visitor).

Each domain adds its own router module under routers/ (one file each) and
mounts it here; its URL names are in the "api" namespace.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import NinjaAPI, Schema
from ninja.renderers import JSONRenderer

from polo.api import errors
from polo.api.routers import (
    agendas,
    agreements,
    consultations,
    directory,
    meetings,
    practices,
    territory,
)

DESCRIPTION = """\
API pública de Polo, de solo lectura: el Directorio Temático (organizaciones
publicadas y sus datos públicos), el catálogo territorial y los encuentros
públicos (`/meetings`, sin datos de participantes) y las buenas prácticas
publicadas (`/practices`, sin datos de contacto privados).

- `/agreements`: convenios firmados con sus partes y compromisos; `overdue` (vencido) se
  calcula con la fecha del día, no se guarda.
- `/consultations`: consultas ciudadanas (no borradores) con sus preguntas; el resultado
  (con participación y huella de las boletas) solo una vez publicado; nada de quién votó.
- Sin autenticación. CORS abierto (`Access-Control-Allow-Origin: *`); respuestas
  en caché pública 60 segundos.
- Listas paginadas: `{"count", "page", "page_size", "next", "previous", "items"}`;
  `page` desde 1, `page_size` 20 por omisión, 100 como máximo.
- Los filtros de `/organizations` son los de la página del directorio: varios
  valores repitiendo el parámetro o separados por comas. `themes`, `populations`
  y `languages` de cada organización son listas de identificadores (slug o clave);
  sus nombres están en `/themes`, `/populations` y `/languages`.
- Municipios y estados con claves INEGI, como texto (`"20067"`, `"20"`).
- Errores en JSON: `{"detail": "..."}` (en el idioma de `Accept-Language`,
  español por omisión); 400 si un parámetro no puede ser correcto, 404 si algo no
  existe o no es público, 405 para cualquier método que no sea GET.

Datos territoriales: INEGI, Marco Geoestadístico.
"""


class _Renderer(JSONRenderer):
    # Spanish names as they are, not as \\u escapes.
    json_dumps_params = {"ensure_ascii": False}


class PoloAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # The view's name, as its URL name: short and stable for client
        # generators. Router modules keep their view names unique.
        return operation.view_func.__name__


api = PoloAPI(
    title="Polo — API pública",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    # django-ninja bundles Swagger UI but loads it from a CDN unless "ninja" is
    # an installed app; Polo loads nothing from outside, so no docs page: the
    # OpenAPI description at /api/v1/openapi.json is the documentation.
    docs_url=None,
    renderer=_Renderer(),
)
errors.install(api)


class Index(Schema):
    openapi: str
    organizations: str
    themes: str
    populations: str
    languages: str
    regions: str
    municipalities: str
    meetings: str
    agreements: str
    practices: str
    consultations: str
    agendas: str


# Named as django-ninja's own root pattern (which only answers 404 and serves
# reverse()): this one comes first, so /api/v1/ lists the API.
@api.get("/", response=Index, url_name="api-root", summary="Índice", tags=["API"])
def index(request: HttpRequest):
    """Las direcciones de la API."""
    names = {
        "openapi": "openapi-json",
        "organizations": "organization_list",
        "themes": "theme_list",
        "populations": "population_list",
        "languages": "language_list",
        "regions": "region_list",
        "municipalities": "municipality_list",
        "meetings": "meeting_list",
        "agreements": "agreement_list",
        "practices": "practice_list",
        "consultations": "consultation_list",
        "agendas": "agenda_list",
    }
    return {key: request.build_absolute_uri(reverse(f"api:{name}")) for key, name in names.items()}


api.add_router("", directory.router)
api.add_router("", territory.router)
api.add_router("", meetings.router)
api.add_router("", agreements.router)
api.add_router("", practices.router)
api.add_router("", consultations.router)
api.add_router("", agendas.router)
