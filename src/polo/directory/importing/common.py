"""What every part of the importer shares: limits, messages, errors, text keys."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

from polo.directory.text import fold

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # an XLSX that inflates beyond this is refused
MAX_DESCRIPTION = 10_000
BATCH = 500
PROGRESS_STEP = 500


class ImportFileError(ValueError):
    """The whole file is refused; the message says why, in words."""


class ImportApplyError(RuntimeError):
    """The import was rolled back; nothing was written. The message says why."""


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, steps: int = 1) -> None: ...


# ---- messages (stored in the plan as text) -----------------------------------------

M = {
    "empty": _("El archivo está vacío."),
    "too_big": _("El archivo pesa %(size)s MB; el máximo es %(limit)s MB. Divídelo en partes."),
    "too_many_rows": _("El archivo tiene más de %(limit)s filas; divídelo en partes."),
    "binary": _(
        "El archivo no es una hoja de cálculo ni un texto separado por comas: guárdalo "
        "como CSV o XLSX."
    ),
    "undecodable": _(
        "No se pudo leer el texto del archivo: no está en UTF-8 ni en Windows-1252. "
        "Guárdalo como «CSV UTF-8» desde tu hoja de cálculo."
    ),
    "xls": _("Es un archivo de Excel antiguo (.xls). Ábrelo y guárdalo como .xlsx o como CSV."),
    "ods": _("Es una hoja de OpenDocument (.ods). Guárdala como .xlsx o como CSV."),
    "zip": _("Es un archivo ZIP, no una hoja de cálculo. Sube el .xlsx o el .csv."),
    "pdf": _("Es un PDF. Sube la hoja de cálculo (.xlsx o .csv) con los datos."),
    "image": _("Es una imagen. Sube la hoja de cálculo (.xlsx o .csv) con los datos."),
    "archive": _("Es un archivo comprimido. Descomprímelo y sube el .xlsx o el .csv."),
    "corrupt_xlsx": _(
        "El archivo XLSX está dañado o no se puede leer. Ábrelo en tu hoja de cálculo "
        "y vuelve a guardarlo."
    ),
    "csv_broken": _("La fila %(row)s no se puede leer (%(error)s). Revisa las comillas."),
    "no_header": _(
        "No se encontró la fila de encabezados: la primera fila debe tener los nombres de "
        "las columnas, por ejemplo «nombre», «tipo» y «municipio». Primera fila: %(found)s"
    ),
    "missing_columns": _(
        "Faltan columnas obligatorias: %(missing)s. Columnas encontradas: %(found)s."
    ),
    "missing_kind": _(
        "Falta la columna «tipo»: agrégala o elige un tipo por omisión al subir el archivo."
    ),
    "duplicate_column": _("La columna «%(name)s» aparece dos veces (columnas %(columns)s)."),
    "control": _(
        "«%(column)s» contiene un carácter de control invisible (%(char)s); quítalo y vuelve "
        "a subir el archivo."
    ),
    "too_long": _("«%(column)s» tiene %(length)s caracteres; el máximo es %(limit)s."),
    "no_name": _("Falta el nombre de la organización."),
    "no_municipality": _("Falta el municipio."),
    "no_kind": _("Falta el tipo de organización."),
    "bad_kind": _("Tipo desconocido: «%(value)s». Usa uno de: %(choices)s."),
    "bad_legal_form": _("Figura jurídica desconocida: «%(value)s». Usa una de: %(choices)s."),
    "bad_size": _("Tamaño del equipo desconocido: «%(value)s». Usa uno de: %(choices)s."),
    "bad_rfc": _(
        "El RFC «%(value)s» no tiene el formato válido: 3 letras (persona moral) o 4 "
        "(persona física), la fecha AAMMDD y 3 caracteres de homoclave, p. ej. MUV120315AB1."
    ),
    "bad_cluni": _(
        "La CLUNI «%(value)s» no tiene el formato válido: 3 letras, la fecha AAMMDD, "
        "4 dígitos y un carácter de control, p. ej. MUV1203150901A."
    ),
    "bad_year": _("Año de fundación no válido: «%(value)s» (un año entre 1800 y %(max)s)."),
    "bad_number": _("«%(column)s» no es un número: «%(value)s»."),
    "coordinates_pair": _("Escribe latitud y longitud juntas, o ninguna de las dos."),
    "coordinates_range": _("Las coordenadas (%(lat)s, %(lon)s) quedan fuera de México."),
    "coordinates_swapped": _(
        "Las coordenadas (%(lat)s, %(lon)s) quedan fuera de México; ¿están invertidas "
        "latitud y longitud?"
    ),
    "unknown_state": _("Estado desconocido: «%(value)s»."),
    "unknown_municipality": _("Municipio desconocido: «%(value)s»."),
    "ambiguous_municipality": _(
        "Hay varios municipios «%(value)s»: %(options)s. Agrega la columna «estado» o usa "
        "la clave INEGI."
    ),
    "ambiguous_in_state": _(
        "Hay varios municipios «%(value)s» en el mismo estado: %(options)s. Usa la clave INEGI."
    ),
    "municipality_other_state": _("El municipio «%(value)s» no está en %(state)s."),
    "did_you_mean": _("¿Quisiste decir %(options)s?"),
    "unknown_community": _("Comunidad desconocida en %(municipality)s: «%(value)s»."),
    "unknown_item": _("%(what)s desconocido: «%(value)s»."),
    "bad_email": _("Correo electrónico no válido: «%(value)s»."),
    "bad_url": _("Dirección web no válida: «%(value)s» (debe empezar con http:// o https://)."),
    "bad_phone": _("Teléfono no válido: «%(value)s» (al menos 7 dígitos)."),
    "bad_identifier": _(
        "Identificador no válido: «%(value)s». Escribe «esquema: valor», separados por «;»."
    ),
    "bad_public": _("Valor no válido en «%(column)s»: «%(value)s» (sí o no)."),
    "bad_id": _("No existe la organización con id «%(value)s»."),
    "conflict": _(
        "El id, el RFC y la CLUNI de esta fila corresponden a organizaciones distintas: %(names)s."
    ),
    "ambiguous_identifier": _(
        "%(what)s «%(value)s» corresponde a varias organizaciones (%(names)s); agrega la "
        "columna «id» para elegir."
    ),
    "same_target": _("La fila %(row)s ya actualiza esta misma organización."),
    "same_identifier_in_file": _("%(what)s «%(value)s» ya aparece en la fila %(row)s."),
    "identifier_taken": _("El identificador «%(value)s» ya pertenece a «%(name)s»."),
    "out_of_scope": _(
        "«%(municipality)s» no está en tus regiones; pide a coordinación que importe esta fila."
    ),
    "merged": _("La organización «%(old)s» se fusionó en «%(new)s»: se actualizará esta."),
    "same_as_row": _("igual a la fila %(row)s del archivo"),
    "target_gone": _(
        "La organización «%(name)s» (fila %(row)s) ya no existe. Vuelve a subir el archivo."
    ),
    "already_applied": _("Esta importación ya se hizo."),
    "integrity_identifier": _(
        "La importación no se hizo y no se guardó nada: en la fila %(row)s, el identificador "
        "«%(value)s» ya pertenece a otra organización (se registró después de la vista "
        "previa). Vuelve a subir el archivo."
    ),
    "integrity": _(
        "La importación no se hizo y no se guardó nada: la base de datos rechazó un dato "
        "(%(error)s). Vuelve a subir el archivo para revisar la vista previa."
    ),
}


def msg(key: str, **params: Any) -> str:
    template = str(M[key])
    return template % params if params else template


def _key(value: str) -> str:
    """Accents, case, punctuation and spacing ignored: for names and headers."""
    return " ".join(re.sub(r"[^a-z0-9ñ]+", " ", fold(value)).split())


def _token(value: str) -> str:
    """As _key, without spaces: "A.C." and "AC" are the same choice."""
    return _key(value).replace(" ", "")


def _chunks(values: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
