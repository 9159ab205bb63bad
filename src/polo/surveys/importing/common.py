"""What every part of the responses importer shares: limits, messages, errors."""

from __future__ import annotations

from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

# The web upload stays under the proxy's 60 MB (docs/deploy.md); the command
# line reads larger files, streamed, so its limit only guards against a mistake.
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 2_000
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024  # an XLSX or ZIP that inflates beyond this is refused
MAX_CELL = 20_000  # characters of one cell; validation allows 10,000 in an answer
BATCH = 1_000  # responses written per round of statements
PROGRESS_STEP = 1_000
LISTED_ROWS = 2_000  # rows of each kind kept with their details in a plan


class ImportFileError(ValueError):
    """The whole file is refused; the message says why, in words."""


class ImportApplyError(RuntimeError):
    """The import was rolled back; nothing was written. The message says why."""


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, steps: int = 1) -> None: ...


M = {
    "empty": _("El archivo está vacío."),
    "no_rows": _("El archivo no tiene respuestas: solo la fila de encabezados."),
    "too_big": _("El archivo pesa %(size)s MB; el máximo es %(limit)s MB. Divídelo en partes."),
    "too_many_rows": _("El archivo tiene más de %(limit)s respuestas; divídelo en partes."),
    "too_many_columns": _("El archivo tiene más de %(limit)s columnas."),
    "binary": _(
        "El archivo no es una hoja de cálculo ni un texto separado por comas: sube el CSV o "
        "el XLSX que exporta KoboToolbox u ODK Central."
    ),
    "undecodable": _(
        "No se pudo leer el texto del archivo: no está en UTF-8 ni en Windows-1252. "
        "Guárdalo como «CSV UTF-8» desde tu hoja de cálculo."
    ),
    "xls": _("Es un archivo de Excel antiguo (.xls). Ábrelo y guárdalo como .xlsx o como CSV."),
    "ods": _("Es una hoja de OpenDocument (.ods). Guárdala como .xlsx o como CSV."),
    "pdf": _("Es un PDF. Sube el CSV o el XLSX con las respuestas."),
    "image": _("Es una imagen. Sube el CSV o el XLSX con las respuestas."),
    "archive": _("Es un archivo comprimido que no es ZIP. Sube el CSV, el XLSX o el ZIP."),
    "corrupt_xlsx": _(
        "El archivo XLSX está dañado o no se puede leer. Ábrelo en tu hoja de cálculo y "
        "vuelve a guardarlo, o descarga otra vez la exportación."
    ),
    "corrupt_zip": _("El archivo ZIP está dañado o no se puede leer. Descárgalo otra vez."),
    "zip_without_csv": _(
        "El ZIP no contiene archivos CSV. Sube el ZIP de ODK Central tal como se descarga."
    ),
    "zip_no_main": _(
        "En el ZIP no se encontró la tabla principal de respuestas (el CSV sin «PARENT_KEY»)."
    ),
    "csv_broken": _("La fila %(row)s no se puede leer (%(error)s). Revisa las comillas."),
    "labels": _(
        "Los encabezados son las etiquetas de las preguntas (por ejemplo %(examples)s), no sus "
        "nombres. Polo lee los nombres: en KoboToolbox, exporta con «Valores y encabezados "
        "XML»; en ODK Central, descarga el CSV tal cual."
    ),
    "columns_mismatch": _(
        "Las columnas del archivo no corresponden al formulario «%(form)s» (versión "
        "%(version)s). Columnas desconocidas: %(unknown)s. Preguntas del formulario que no "
        "están en el archivo: %(missing)s. ¿Es la exportación de este mismo formulario?"
    ),
    "no_questions": _(
        "Ninguna columna del archivo corresponde a una pregunta del formulario «%(form)s». "
        "Columnas encontradas: %(found)s."
    ),
    "no_instance_column": _(
        "Falta la columna con el identificador de cada respuesta («_uuid» o «meta/instanceID» "
        "en KoboToolbox, «meta-instanceID» o «KEY» en ODK Central): sin ella no se puede "
        "saber qué respuestas ya se importaron."
    ),
    "duplicate_column": _("La columna «%(name)s» aparece dos veces."),
    "repeat_unlinked": _(
        "La hoja «%(sheet)s» parece tener las filas de «%(repeat)s», pero no tiene la columna "
        "que las une a su respuesta («_parent_index», «_submission__uuid» o «PARENT_KEY»)."
    ),
    "no_instance_id": _("La fila no tiene identificador de respuesta."),
    "bad_instance_id": _("El identificador de respuesta «%(value)s» no es válido."),
    "same_in_file": _("La misma respuesta (%(instance)s) ya está en la fila %(row)s."),
    "too_long": _("«%(column)s» tiene %(length)s caracteres; el máximo es %(limit)s."),
    "bad_number": _("«%(column)s»: «%(value)s» no es un número."),
    "orphan_repeat": _(
        "%(count)s filas de «%(repeat)s» no corresponden a ninguna respuesta del archivo."
    ),
    "out_of_scope": _(
        "El municipio «%(municipality)s» no está en tus regiones; pide a coordinación que "
        "importe esta respuesta."
    ),
    "already_imported": _("Ya importada (mismo identificador)."),
    "elsewhere": _("Ya existe en otra ronda (%(round)s): no se importa aquí."),
    "already_applied": _("Esta importación ya se hizo."),
    "taken_meanwhile": _(
        "La importación no se hizo y no se guardó nada: la respuesta %(instance)s se registró "
        "después de la vista previa. Vuelve a subir el archivo."
    ),
    "round_closed": _(
        "La ronda «%(round)s» ya no está abierta a tu equipo; la importación no se hizo."
    ),
    "version_changed": _(
        "La versión del formulario elegida ya no existe; vuelve a subir el archivo."
    ),
    "integrity": _(
        "La importación no se hizo y no se guardó nada: la base de datos rechazó un dato "
        "(%(error)s). Vuelve a subir el archivo para revisar la vista previa."
    ),
}


def msg(key: str, **params: Any) -> str:
    template = str(M[key])
    return template % params if params else template
