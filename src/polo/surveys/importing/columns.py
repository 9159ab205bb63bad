"""Matching an export's columns to a form's questions, by name.

KoboToolbox joins group names with "/" (``identificacion/region``), ODK Central
with "-" (``identificacion-region``); a group renamed since, or an export made
without group names, leaves the bare name. A column is matched by its full
path first, then by its last part, so that the prefix does not matter. Besides
the questions, an export has:

- one 0/1 column per option of a multiple choice (``fuentes/donativos``),
  beside the column with the chosen names separated by spaces;
- a geopoint split in parts (``_ubicacion_latitude`` in KoboToolbox,
  ``cierre-ubicacion-Latitude`` in ODK Central);
- the tool's own columns (``_id``, ``_uuid``, ``_submission_time``, ``KEY``,
  ``SubmissionDate``, ``ReviewState``...), which Polo reads (the response's id
  and date) or leaves aside.

Columns that are neither make the file the export of another form: the file is
refused with the unknown columns and the questions missing, rather than losing
answers in silence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from polo.directory.text import fold
from polo.surveys.importing.common import ImportFileError, msg
from polo.surveys.spec import DISPLAY_TYPES, FormSpec, Node

SEPARATORS = ("/", "-", ".", ":")
GEO_PARTS = {
    "latitude": 0,
    "longitude": 1,
    "altitude": 2,
    "precision": 3,
    "accuracy": 3,
}

# The columns of the tools themselves: (role, folded names).
ID_COLUMNS = ["meta/instanceid", "meta-instanceid", "instanceid", "_instance_id", "_uuid", "key"]
SUBMITTED_COLUMNS = ["_submission_time", "submissiondate", "_submitted_at"]
PARENT_COLUMNS = ["parent_key", "_submission__uuid", "_parent_instance_id", "_instance_id"]
PARENT_INDEX_COLUMNS = ["_parent_index"]
INDEX_COLUMNS = ["_index"]
KNOWN_OTHER = {
    # KoboToolbox
    "_id",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_version_",
    "_tags",
    "_xform_id_string",
    "_attachments",
    "_geolocation",
    "_parent_table_name",
    "formhub/uuid",
    "meta/deprecatedid",
    "meta/rootuuid",
    "meta/instancename",
    # ODK Central
    "submitterid",
    "submittername",
    "attachmentspresent",
    "attachmentsexpected",
    "status",
    "reviewstate",
    "deviceid",
    "edits",
    "formversion",
    "meta-instancename",
    "meta-deprecatedid",
    "meta-audit",
    "meta-entity",
}
# Polo's own export (see exporting.py) in names.
POLO_META = {
    "_round",
    "_status",
    "_source",
    "_municipality_code",
    "_municipality",
    "_region",
    "_organization",
    "_form_version",
    "_row",
}


@dataclass(frozen=True)
class Target:
    """What one column holds."""

    role: str  # value, option, geo, id, submitted, parent, parent_index, index, ignore
    node: Node | None = None
    part: str | int = ""  # the option's name, or the geopoint part's index


@dataclass
class Mapping:
    """The columns of one table mapped: by index, with what Polo found."""

    targets: dict[int, Target]
    unknown: list[str]
    matched_questions: set[str]
    repeat: Node | None = None  # for a table of repeat rows
    ignored: list[str] = field(default_factory=list)

    def indexes(self, role: str) -> list[int]:
        return [i for i, target in self.targets.items() if target.role == role]


class FormColumns:
    """Every header a form's export may have, built once per form."""

    def __init__(self, spec: FormSpec) -> None:
        self.spec = spec
        self.exact: dict[str, Target] = {}
        self.by_name: dict[str, Node] = {}
        self.labels: dict[str, str] = {}  # folded label → name
        for node in spec.walk():
            self.by_name.setdefault(node.name, node)
            if node.kind != "question" or node.type in DISPLAY_TYPES:
                target = Target("ignore", node)
            elif node.type == "instanceID":
                # meta/instanceID is the response's own id, the first one to trust.
                target = Target("id", node, 0)
            else:
                target = Target("value", node)
            for variant in _variants(node):
                self.exact.setdefault(variant, target)
                if node.type == "select_multiple":
                    for choice in spec.choices_for(node):
                        for sep in ("/", ".", "-", ":"):
                            self.exact.setdefault(
                                f"{variant}{sep}{choice.name}", Target("option", node, choice.name)
                            )
                if node.type == "geopoint":
                    for part, index in GEO_PARTS.items():
                        geo = Target("geo", node, index)
                        self.exact.setdefault(f"_{variant}_{part}", geo)
                        for sep in SEPARATORS:
                            self.exact.setdefault(f"{variant}{sep}{part}", geo)
            for text in node.label.values():
                key = _label_key(text)
                if key:
                    self.labels.setdefault(key, node.name)
        self.folded = {key.casefold(): target for key, target in self.exact.items()}

    # ---- one column -------------------------------------------------------------

    def target(self, header: str, *, child: bool) -> Target | None:
        if not header:
            return Target("ignore")
        found = self.exact.get(header)
        if found is None:
            found = self._by_last_part(header)
        if found is not None:
            return found
        return _tool_column(header.casefold(), child=child)

    def _by_last_part(self, header: str) -> Target | None:
        found = self.folded.get(header.casefold())
        if found is not None:
            return found
        for sep in SEPARATORS:
            if sep not in header:
                continue
            parts = header.split(sep)
            # The shortest tail that names a column: "grupo/sub/nombre" → "nombre",
            # "grupo-fuentes/donativos" → "fuentes/donativos".
            for start in range(len(parts) - 1, 0, -1):
                tail = sep.join(parts[start:])
                found = self.exact.get(tail) or self.folded.get(tail.casefold())
                if found is not None:
                    return found
        return None

    # ---- a table ----------------------------------------------------------------

    def map_table(self, header: list[str], *, child: bool = False) -> Mapping:
        targets: dict[int, Target] = {}
        unknown: list[str] = []
        ignored: list[str] = []
        matched: set[str] = set()
        seen: dict[tuple, str] = {}
        for index, title in enumerate(header):
            target = self.target(title, child=child)
            if target is None:
                unknown.append(title)
                continue
            if target.role == "ignore":
                if title:
                    ignored.append(title)
                continue
            key = (target.role, target.node.name if target.node else "", target.part)
            if key in seen and target.role in {"value", "option", "geo"}:
                raise ImportFileError(msg("duplicate_column", name=title))
            seen[key] = title
            targets[index] = target
            if target.node is not None:
                matched.add(target.node.name)
        repeat = None
        if child:
            repeats = [self.by_name[name].repeat for name in matched if self.by_name[name].repeat]
            if repeats:
                name = max(set(repeats), key=lambda r: (repeats.count(r), r))
                repeat = self.by_name[name]
        return Mapping(
            targets=targets,
            unknown=unknown,
            matched_questions=matched,
            repeat=repeat,
            ignored=ignored,
        )

    def looks_like_labels(self, header: list[str]) -> list[str]:
        """The headers that are question labels rather than names (KoboToolbox's
        export «with labels»: «Identificación/Región»), when they outnumber the
        headers that are names as written."""
        labels = []
        names = 0
        for title in header:
            if not title:
                continue
            if title in self.exact or self._by_last_part_exact(title):
                names += 1
                continue
            key = _label_key(title)
            last = _label_key(title.rsplit("/", 1)[-1].rsplit(": ", 1)[0])
            if key in self.labels or last in self.labels:
                labels.append(title)
        return labels if len(labels) >= 2 and len(labels) > names else []

    def _by_last_part_exact(self, header: str) -> bool:
        for sep in SEPARATORS:
            if sep in header:
                parts = header.split(sep)
                if any(sep.join(parts[i:]) in self.exact for i in range(1, len(parts))):
                    return True
        return False

    def missing(self, mapping: Mapping, repeats_present: set[str]) -> list[str]:
        """Questions a person answers that no column brings."""
        out = []
        for node in self.spec.questions:
            if not node.is_input or node.name in mapping.matched_questions:
                continue
            if node.repeat and node.repeat not in repeats_present:
                continue
            out.append(node.name)
        return out


def _variants(node: Node) -> list[str]:
    names = [node.name]
    path = list(node.path)
    for sep in SEPARATORS:
        for start in range(len(path)):
            names.append(sep.join([*path[start:], node.name]))
    return names


_SPACES = re.compile(r"\s+")


def _label_key(text: str) -> str:
    return _SPACES.sub(" ", fold(text or "")).strip(" :?¿.")


def _tool_column(folded: str, *, child: bool) -> Target | None:
    if child:
        if folded in PARENT_INDEX_COLUMNS:
            return Target("parent_index")
        if folded in PARENT_COLUMNS:
            return Target("parent")
    if folded in INDEX_COLUMNS:
        return Target("index")
    if folded in ID_COLUMNS:
        return Target("id", part=ID_COLUMNS.index(folded))
    if folded in SUBMITTED_COLUMNS:
        return Target("submitted")
    if (
        folded in KNOWN_OTHER
        or folded in POLO_META
        or folded.startswith(("_submission__", "set-of-", "meta/", "meta-", "formhub/"))
        or folded.startswith("_")
    ):
        return Target("ignore")
    return None


def describe(titles: list[str], limit: int = 15) -> str:
    if not titles:
        return "—"
    shown = ", ".join(f"«{title[:60]}»" for title in titles[:limit])
    more = len(titles) - limit
    return shown + (f" (+{more})" if more > 0 else "")
