"""Receiving a submitted instance: from the document and its files to a stored
response, whole or not at all.

Answers (HTTP status and message, shown by the collecting app):

- 201: stored.
- 202: this instance id was already received with the very same document;
  nothing is stored twice (files it lacked are added: ODK Collect splits a
  large submission into several requests, each repeating the document).
- 400: not XML, a DTD or entities, no instance id, an element or version the
  form does not have, answers that fail the form's rules (the server checks
  them again, whatever the device did), a file that is not an image, audio,
  video or PDF.
- 403: the round is closed, or not one this person collects for.
- 404: no such form.
- 409: the instance id was already received with a different document.
- 413: a file larger than the limit.

Nothing is half stored: the response, its answers and its files are written in
one transaction, files written before a failure are deleted, and two copies of
one instance arriving at once make one row (the instance id is unique; the
loser of the race is answered as a repeat).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from polo.surveys import services, validation
from polo.surveys.models import Attachment, FormVersion, Response, Round
from polo.surveys.openrosa import files as file_types
from polo.surveys.openrosa import instance
from polo.surveys.spec import FormSpec

logger = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
# Room in a request for the document and the multipart framing besides one
# file of the largest size.
BODY_MARGIN = 2 * 1024 * 1024
MAX_INSTANCE_ID = 100
MAX_FILENAME = 255
SHOWN_PROBLEMS = 3
# The document as received is kept with the response, as an attachment of
# this name: the record of what the device sent, and what a repeat is compared with.
DOCUMENT_NAME = "xml_submission_file"
DOCUMENT_FILENAME = "submission.xml"


def max_attachment_bytes() -> int:
    return int(
        getattr(settings, "POLO_OPENROSA_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES)
    )


def accept_content_length() -> int:
    """The largest request body taken (X-OpenRosa-Accept-Content-Length)."""
    return max_attachment_bytes() + BODY_MARGIN


class Rejected(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Received:
    status: int
    message: str
    response: Response


# --- finding the form ------------------------------------------------------------------


def round_for(xform_id: str) -> Round | None:
    """The round a form id names ("<instrument slug>.r<round pk>")."""
    slug, sep, number = xform_id.rpartition(".r")
    if not sep or not slug or not number.isdigit() or len(number) > 18:
        return None
    return (
        Round.objects.select_related("campaign__instrument")
        .filter(pk=int(number), campaign__instrument__slug=slug)
        .first()
    )


def check_round(user, round_: Round | None, xform_id: str) -> Round:
    if round_ is None:
        raise Rejected(
            404, _("El formulario «%(id)s» no existe en este servidor.") % {"id": xform_id[:120]}
        )
    if not round_.accepts_responses:
        raise Rejected(
            403,
            _("La ronda «%(round)s» está cerrada y ya no recibe respuestas.")
            % {"round": round_.name},
        )
    if not user.has_perm("surveys.collect", round_):
        raise Rejected(
            403,
            _("No puedes enviar respuestas a «%(round)s»: no recolectas para esa campaña.")
            % {"round": round_.name},
        )
    return round_


_specs: dict[tuple[int, str], FormSpec] = {}
_specs_lock = threading.Lock()


def spec_of(version: FormVersion) -> FormSpec:
    """A version's spec, read once per process: versions are never edited
    (the XForm's MD5 is in the key all the same, should a row be replaced)."""
    key = (version.pk, version.xform_md5)
    spec = _specs.get(key)
    if spec is None:
        if "spec" in version.get_deferred_fields():
            version = FormVersion.objects.only("pk", "spec").get(pk=version.pk)
        spec = version.form
        with _specs_lock:
            if len(_specs) > 64:
                _specs.clear()
            _specs[key] = spec
    return spec


# --- receiving -------------------------------------------------------------------------


def submission_receive(*, user, document: bytes, uploads: list) -> Received:
    """Check and store one submitted instance; raises Rejected with the status
    and message to answer."""
    if len(document) > MAX_DOCUMENT_BYTES:
        raise Rejected(
            413,
            _("El documento de la respuesta pesa más de %(mb)s MB.")
            % {"mb": MAX_DOCUMENT_BYTES // 2**20},
        )
    try:
        root = instance.parse(document)
        header = instance.read_header(root)
    except instance.InstanceError as error:
        raise Rejected(400, str(error)) from error
    if not header.xform_id:
        raise Rejected(400, _("El documento no dice a qué formulario responde (atributo «id»)."))
    round_ = check_round(user, round_for(header.xform_id), header.xform_id)
    version = _version(round_, header.version)
    if not header.instance_id:
        raise Rejected(400, _("El documento no trae su identificador (meta/instanceID)."))
    if len(header.instance_id) > MAX_INSTANCE_ID:
        raise Rejected(
            400, _("El identificador de la respuesta (meta/instanceID) es demasiado largo.")
        )

    existing = Response.objects.filter(instance_id=header.instance_id).first()
    if existing is not None:
        return _repeat(existing, document, uploads)

    spec = spec_of(version)
    try:
        raw = instance.to_data(spec, root)
    except instance.InstanceError as error:
        raise Rejected(400, str(error)) from error
    data = validation.compute(spec, raw)
    language = get_language()
    problems = validation.validate(spec, data, language=language)
    if problems:
        raise Rejected(400, _describe_problems(spec, problems, language))
    chosen, ignored = _chosen_files(spec, data, uploads)
    try:
        response = _store(
            round_=round_,
            version=version,
            spec=spec,
            data=data,
            instance_id=header.instance_id,
            user=user,
            document=document,
            chosen=chosen,
        )
    except IntegrityError:
        # The same instance arrived twice at once and the other copy won.
        existing = Response.objects.filter(instance_id=header.instance_id).first()
        if existing is None:
            raise
        return _repeat(existing, document, uploads)
    text = _("Respuesta recibida. ¡Gracias!")
    if ignored:
        text += " " + _ignored_note(ignored)
    logger.info("openrosa: %s stored as response %s", header.instance_id, response.pk)
    return Received(201, text, response)


def _version(round_: Round, version: str) -> FormVersion:
    if not version:
        raise Rejected(400, _("El documento no dice qué versión del formulario se llenó."))
    found = (
        # The spec (a large JSON with every choice) is read only when this
        # process has not read it yet: see spec_of.
        FormVersion.objects.only("pk", "instrument_id", "number", "version", "xform_md5")
        .filter(instrument_id=round_.campaign.instrument_id, version=version)
        .first()
    )
    if found is None:
        raise Rejected(
            400,
            _(
                "La versión «%(version)s» del formulario no existe en el servidor. Descarga de "
                "nuevo el formulario."
            )
            % {"version": version[:60]},
        )
    return found


def _describe_problems(spec: FormSpec, problems: list, language: str | None) -> str:
    parts = []
    for problem in problems[:SHOWN_PROBLEMS]:
        node = spec.nodes.get(problem.name)
        label = spec.text(node.label, language) if node is not None else ""
        where = f"«{label}» ({problem.name})" if label else problem.name
        if problem.row:
            where += " " + _("fila %(row)s") % {"row": problem.row}
        parts.append(f"{where}: {problem.message}")
    text = _("La respuesta no cumple las reglas del formulario: %(problems)s") % {
        "problems": "; ".join(parts)
    }
    more = len(problems) - SHOWN_PROBLEMS
    if more > 0:
        text += " " + ngettext("(y %(n)s problema más)", "(y %(n)s problemas más)", more) % {
            "n": more
        }
    return text


def _ignored_note(ignored: list[str]) -> str:
    return ngettext(
        "Se ignoró un archivo que ninguna respuesta menciona: %(names)s.",
        "Se ignoraron %(n)s archivos que ninguna respuesta menciona: %(names)s.",
        len(ignored),
    ) % {"n": len(ignored), "names": ", ".join(name[:60] for name in ignored[:5])}


# --- files ------------------------------------------------------------------------------


@dataclass
class ChosenFile:
    question: str
    filename: str
    upload: Any
    content_type: str


def _chosen_files(
    spec: FormSpec, data: dict[str, Any], uploads: list, *, skip: set[str] | None = None
) -> tuple[list[ChosenFile], list[str]]:
    """The uploads an answer names, checked; and the names of the others,
    which are not kept (as ODK Central does: a device may send a photo whose
    question became irrelevant)."""
    wanted = instance.file_answers(spec, data)
    chosen: list[ChosenFile] = []
    ignored: list[str] = []
    seen: set[str] = set(skip or ())
    limit = max_attachment_bytes()
    for upload in uploads:
        filename = os.path.basename(upload.name or "")
        question = wanted.get(filename)
        if question is None:
            if filename not in seen:
                ignored.append(filename)
            continue
        if filename in seen:
            continue
        seen.add(filename)
        if len(filename) > MAX_FILENAME:
            raise Rejected(400, _("El nombre de un archivo es demasiado largo."))
        if upload.size > limit:
            raise Rejected(
                413,
                _("El archivo «%(name)s» pesa %(size)s MB; el máximo es %(limit)s MB.")
                % {
                    "name": filename[:60],
                    "size": round(upload.size / 2**20, 1),
                    "limit": round(limit / 2**20, 1),
                },
            )
        content_type = file_types.sniff_upload(upload)
        if not file_types.is_allowed(content_type):
            raise Rejected(
                400,
                _(
                    "El archivo «%(name)s» de la pregunta «%(question)s» no es una imagen, un "
                    "audio, un video ni un PDF."
                )
                % {"name": filename[:60], "question": question},
            )
        chosen.append(ChosenFile(question, filename, upload, content_type))
    return chosen, ignored


def _write_file(*, name: str, filename: str, content, content_type: str, written: list):
    """Write one file to storage and return its (unsaved) Attachment. Files
    are written before the transaction, so that the database's write lock
    (SQLite takes it at BEGIN) is held only for the inserts; the caller
    deletes the `written` names if anything fails."""
    try:
        safe = get_valid_filename(filename)[-80:]
    except Exception:  # SuspiciousFileOperation on names like ".."
        safe = "archivo"
    field = Attachment._meta.get_field("file")
    attachment = Attachment(
        name=name, filename=filename, content_type=content_type, size=content.size
    )
    target = field.generate_filename(attachment, f"{uuid.uuid4().hex[:16]}-{safe}")
    attachment.file.name = field.storage.save(target, content, max_length=field.max_length)
    written.append(attachment.file.name)
    return attachment


def _write_files(chosen: list[ChosenFile], written: list) -> list[Attachment]:
    return [
        _write_file(
            name=item.question,
            filename=item.filename,
            content=item.upload,
            content_type=item.content_type,
            written=written,
        )
        for item in chosen
    ]


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("openrosa: could not delete %s after a failed submission", name)


# --- storing --------------------------------------------------------------------------


def _started_at(spec: FormSpec, data: dict[str, Any]) -> dt.datetime | None:
    """When the device says the interview began (a `start` question)."""
    for node in spec.questions:
        if node.type == "start" and node.repeat is None and data.get(node.name):
            try:
                started = dt.datetime.fromisoformat(str(data[node.name]))
            except ValueError:
                return None
            if timezone.is_naive(started):
                started = timezone.make_aware(started)
            return started
    return None


def _store(
    *,
    round_: Round,
    version: FormVersion,
    spec: FormSpec,
    data: dict[str, Any],
    instance_id: str,
    user,
    document: bytes,
    chosen: list[ChosenFile],
) -> Response:
    written: list[str] = []
    now = timezone.now()
    response = Response(
        round=round_,
        form_version=version,
        instance_id=instance_id,
        respondent_kind=round_.campaign.respondent,
        data=data,
        status=Response.Status.SUBMITTED,
        source=Response.Source.OPENROSA,
        submitted_by=user,
        started_at=_started_at(spec, data) or now,
        submitted_at=now,
    )
    try:
        services.response_link_respondent(response)  # reads only: before the lock
        attachments = [
            _write_file(
                name=DOCUMENT_NAME,
                filename=DOCUMENT_FILENAME,
                content=ContentFile(document),
                content_type="text/xml",
                written=written,
            ),
            *_write_files(chosen, written),
        ]
        with transaction.atomic():
            response.save()
            services.response_store_answers(response, spec=spec)
            for attachment in attachments:
                attachment.response = response
                attachment.save()
    except BaseException:
        _delete_files(written)
        raise
    return response


def _stored_document(response: Response) -> bytes | None:
    attachment = response.attachments.filter(name=DOCUMENT_NAME).first()
    if attachment is None:
        return None
    try:
        with attachment.file.open("rb") as handle:
            return handle.read()
    except OSError:
        return None


def _repeat(existing: Response, document: bytes, uploads: list) -> Received:
    """The instance id is known: the same document is accepted once (adding
    files it lacked), a different one is a conflict."""
    if _stored_document(existing) != document:
        raise Rejected(
            409,
            _(
                "Ya se recibió una respuesta con el identificador «%(id)s» y un contenido "
                "distinto; no se reemplazó. Si es otra entrevista, debe tener otro identificador."
            )
            % {"id": existing.instance_id},
        )
    stored = set(existing.attachments.values_list("filename", flat=True))
    spec = spec_of(FormVersion.objects.only("pk", "xform_md5").get(pk=existing.form_version_id))
    chosen, _ignored = _chosen_files(spec, existing.data, uploads, skip=stored)
    added = 0
    if chosen:
        written: list[str] = []
        try:
            attachments = _write_files(chosen, written)
            with transaction.atomic():
                for attachment in attachments:
                    attachment.response = existing
                    attachment.save()
            added = len(attachments)
        except IntegrityError:
            # Another request added the same files meanwhile.
            _delete_files(written)
        except BaseException:
            _delete_files(written)
            raise
    text = _("Esta respuesta ya se había recibido; no se guardó dos veces.")
    if added:
        text += " " + ngettext(
            "Se agregó %(n)s archivo que faltaba.",
            "Se agregaron %(n)s archivos que faltaban.",
            added,
        ) % {"n": added}
    return Received(202, text, existing)
