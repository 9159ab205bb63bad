"""Files sent with a web response: photos (``image``) and documents (``file``).

A file is judged by what it is, not by what it is called: its first bytes must
match its extension. Accepted files are kept as ``Attachment`` rows at once, so
that an upload survives a section that does not validate yet; the answer is the
attachment's file name, as in an ODK instance.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from polo.surveys.models import Attachment, Response

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "webp")
FILE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The part of an Office Open XML package that says which kind of document it is.
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class UploadRefused(Exception):
    message: str


def extensions_for(question_type: str) -> tuple[str, ...]:
    return IMAGE_EXTENSIONS if question_type == "image" else FILE_EXTENSIONS


def accept_attribute(question_type: str) -> str:
    """For <input type=file accept=...>: a hint to the phone's picker only."""
    return ",".join(f".{ext}" for ext in extensions_for(question_type))


def _looks_like(extension: str, head: bytes, upload: UploadedFile) -> bool:
    if extension in {"jpg", "jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in OOXML_MAIN_PART:
        if not head.startswith(b"PK\x03\x04"):
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
        return OOXML_MAIN_PART[extension] in names
    return False


def check_upload(upload: UploadedFile, question_type: str) -> str:
    """The file's extension if it is acceptable for the question; raises
    UploadRefused with the reason otherwise."""
    allowed = extensions_for(question_type)
    names = ", ".join(ext.upper() for ext in allowed if ext != "jpeg")
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("El archivo pesa más de %(mb)s MB; envíe uno más ligero.")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if not upload.size:
        raise UploadRefused(_("El archivo está vacío."))
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in allowed:
        raise UploadRefused(
            _("Este tipo de archivo no se acepta aquí. Tipos aceptados: %(types)s.")
            % {"types": names}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _looks_like(extension, head, upload):
        raise UploadRefused(
            _(
                "El contenido del archivo no corresponde a su extensión .%(ext)s; "
                "puede estar dañado. Tipos aceptados: %(types)s."
            )
            % {"ext": extension, "types": names}
        )
    return extension


def store_upload(*, response: Response, name: str, upload: UploadedFile, extension: str) -> str:
    """Keep the file as an attachment of the response; returns the file name
    that the answer holds (unique within the response)."""
    try:
        stem = get_valid_filename(PurePath(upload.name or "").stem)[:60]
    except SuspiciousFileOperation:  # a name made only of odd characters
        stem = ""
    stem = stem.strip(".") or "archivo"
    filename = f"{uuid.uuid4().hex[:12]}-{stem}.{extension}"
    attachment = Attachment(
        response=response,
        name=name,
        filename=filename,
        content_type=CONTENT_TYPES[extension],
        size=upload.size or 0,
    )
    attachment.file.save(filename, upload, save=False)
    attachment.save()
    return filename
