"""Instance documents (what ODK Collect, KoboCollect and Enketo submit) to and
from ``Response.data``.

An instance mirrors the form's tree: the root element carries the form's id
and version as attributes, a group is an element holding its questions, a
repeat is one element per row, and ``meta/instanceID`` names the instance.
``Response.data`` flattens the groups (names are unique in a form), keeps a
repeat as a list of row dicts, and keeps values as the XForm text
(``"12"``, ``"a b"`` for a multiple choice, ``"2026-11-02"``). From ``meta``
only the instance id is read; unanswered questions are left out.

The parser is defusedxml's with DTDs refused outright: an instance never needs
one, and a DTD is how entity bombs and external entities come in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from polo.surveys.spec import DISPLAY_TYPES, FormSpec, Node
from polo.surveys.xlsform import ROOT_NAME

META = "meta"
INSTANCE_ID = "instanceID"
# Question types whose answer is the name of a file sent with the instance.
FILE_TYPES = {"image", "file", "audio", "video"}
JR_NAMESPACE = "http://openrosa.org/javarosa"
TEMPLATE_ATTRIBUTE = f"{{{JR_NAMESPACE}}}template"


class InstanceError(ValueError):
    """The document cannot be read as an instance of this form: the message
    says what and where, for the person who collected it."""


@dataclass(frozen=True)
class InstanceHeader:
    xform_id: str
    version: str
    instance_id: str


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse(document: bytes) -> Element:
    """The root element, or InstanceError for anything that is not plain,
    well-formed XML."""
    try:
        return fromstring(document, forbid_dtd=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as error:
        raise InstanceError(
            _(
                "El documento declara un DTD o entidades XML, que no se aceptan en un envío "
                "(así entran las «bombas XML» y las entidades externas)."
            )
        ) from error
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise InstanceError(
            _("El documento no es XML bien formado (línea %(line)s, columna %(column)s).")
            % {"line": line, "column": column}
        ) from error
    except (ValueError, LookupError) as error:  # an encoding the parser does not know...
        raise InstanceError(
            _("El documento no es XML válido: %(error)s") % {"error": error}
        ) from error


def read_header(root: Element) -> InstanceHeader:
    """The form id and version on the root, and the instance id in meta."""
    instance_id = ""
    for child in root:
        if _local(child.tag) == META:
            for item in child:
                if _local(item.tag) == INSTANCE_ID:
                    instance_id = (item.text or "").strip()
    if not instance_id:
        # Briefcase-era clients put it on the root when there is no meta block.
        instance_id = (root.get(INSTANCE_ID) or "").strip()
    return InstanceHeader(
        xform_id=(root.get("id") or "").strip(),
        version=(root.get("version") or "").strip(),
        instance_id=instance_id,
    )


# --- instance -> data ------------------------------------------------------------------


def to_data(spec: FormSpec, root: Element) -> dict[str, Any]:
    """``Response.data`` from an instance of `spec`; InstanceError when the
    document holds an element the form does not have, or a value where a
    group belongs (and the reverse)."""
    data: dict[str, Any] = {}
    _read(root, spec.children, data, path=_local(root.tag), top=True)
    return data


def _read(element: Element, nodes: list[Node], target: dict[str, Any], *, path: str, top=False):
    by_name = {node.name: node for node in nodes}
    seen: set[str] = set()
    for child in element:
        name = _local(child.tag)
        if not name:
            continue
        where = f"{path}/{name}"
        if top and name == META:
            continue  # read by read_header; the rest of meta is the device's business
        node = by_name.get(name)
        if node is None:
            raise InstanceError(
                _("El elemento «%(path)s» no existe en esta versión del formulario.")
                % {"path": where}
            )
        if node.kind == "repeat":
            if child.get(TEMPLATE_ATTRIBUTE) is not None:
                continue
            row: dict[str, Any] = {}
            _read(child, node.children, row, path=where)
            target.setdefault(name, []).append(row)
            continue
        if name in seen:
            raise InstanceError(
                _("El elemento «%(path)s» aparece más de una vez.") % {"path": where}
            )
        seen.add(name)
        if node.kind == "group":
            _read(child, node.children, target, path=where)
            continue
        if len(child):
            raise InstanceError(
                _("«%(path)s» debe contener una respuesta, no otros elementos.") % {"path": where}
            )
        value = (child.text or "").strip()
        if value and node.stores_value:
            target[name] = value


def file_answers(spec: FormSpec, data: dict[str, Any]) -> dict[str, str]:
    """{file name: question name} for every answer that names a file."""
    found: dict[str, str] = {}
    for node in spec.questions:
        if node.type not in FILE_TYPES:
            continue
        if node.repeat is None:
            values: Iterable[Any] = [data.get(node.name)]
        else:
            rows = data.get(node.repeat)
            values = (
                [row.get(node.name) for row in rows if isinstance(row, dict)]
                if isinstance(rows, list)
                else []
            )
        for value in values:
            if isinstance(value, str) and value:
                found.setdefault(value, node.name)
    return found


# --- data -> instance ------------------------------------------------------------------


def data_to_xml(
    spec: FormSpec, data: dict[str, Any], xform_id: str, version: str, instance_id: str
) -> bytes:
    """The instance document ODK Collect would send for these answers: every
    element of the form in order (empty when unanswered), a repeat's element
    once per row, and ``meta/instanceID``."""
    root = Element(ROOT_NAME, {"id": xform_id, "version": version})
    wrote_meta = False
    for element in _write(spec.children, data, data, top=True):
        if element.tag == META:
            wrote_meta = True
            element.clear()
            SubElement(element, INSTANCE_ID).text = instance_id
        root.append(element)
    if not wrote_meta:
        meta = SubElement(root, META)
        SubElement(meta, INSTANCE_ID).text = instance_id
    return b"<?xml version='1.0' encoding='UTF-8' ?>" + tostring(root, encoding="unicode").encode()


def _write(
    nodes: list[Node], data: dict[str, Any], values: dict[str, Any], *, top=False
) -> Iterator[Element]:
    for node in nodes:
        element = Element(node.name)
        if node.kind == "repeat":
            rows = data.get(node.name) if values is data else values.get(node.name)
            for row in rows if isinstance(rows, list) else []:
                row_element = Element(node.name)
                for child in _write(node.children, data, row if isinstance(row, dict) else {}):
                    row_element.append(child)
                yield row_element
            continue
        if node.kind == "group":
            if not (top and node.name == META):
                for child in _write(node.children, data, values):
                    element.append(child)
            yield element
            continue
        value = values.get(node.name)
        if value not in (None, "") and node.type not in DISPLAY_TYPES:
            element.text = str(value)
        yield element
