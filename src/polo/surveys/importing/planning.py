"""The preview of an import: what each response will do, decided without writing.

Every row goes through ``validation.compute`` and ``validation.validate``, the
same check as the web form and OpenRosa. A row is then to *create*, to *skip*
(its instance id is already in Polo: importing the same file twice changes
nothing) or *rejected* with its row number and the reasons in words. The
answers of the rows to create, as ``compute`` left them, are written to a
staging file (gzip JSON lines) as they are read, so that the write stores
exactly what the preview showed without reading and checking the file again,
and so that neither step holds the whole file in memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gzip
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _g

from polo.surveys.importing import checking, common
from polo.surveys.importing.columns import FormColumns, Mapping, describe
from polo.surveys.importing.common import LISTED_ROWS, ImportFileError, Progress, msg
from polo.surveys.importing.reading import Source, open_source
from polo.surveys.importing.records import Record, RecordReader
from polo.surveys.models import FormVersion, Response, Round
from polo.surveys.services import (
    COMMUNITY_QUESTIONS,
    MUNICIPALITY_QUESTIONS,
    ORGANIZATION_QUESTIONS,
)
from polo.surveys.spec import FormSpec

ACTIONS = ("create", "skip", "rejected")
PLAN_VERSION = 1


@dataclass
class Prepared:
    """A file opened and matched to a form, ready to be read row by row."""

    source: Source
    spec: FormSpec
    mapping: Mapping
    reader: RecordReader
    missing: list[str]
    ignored: list[str]
    repeats: dict[str, str]  # repeat name → sheet or file it came from


def prepare(handle: IO[bytes], spec: FormSpec, *, limit: int | None = None) -> Prepared:
    """Open the file and match its columns to the form; refuse it (ImportFileError)
    when they do not match. Reads no rows but the headers."""
    source = open_source(handle, limit=limit)
    try:
        return _match(source, spec)
    except BaseException:
        source.close()
        raise


def _match(source: Source, spec: FormSpec) -> Prepared:
    columns = FormColumns(spec)
    labels = columns.looks_like_labels(source.main.header)
    if labels:
        raise ImportFileError(msg("labels", examples=describe(labels, 3)))
    mapping = columns.map_table(source.main.header)
    unknown = list(mapping.unknown)
    children: list[tuple[Any, Mapping]] = []
    repeats: dict[str, str] = {}
    for table in source.others:
        child = columns.map_table(table.header, child=True)
        if child.repeat is None:
            if child.unknown and not child.matched_questions and _links(child):
                unknown += [f"{table.name}: {title}" for title in child.unknown]
            continue  # a sheet of notes, a source sheet: not responses
        if not _links(child):
            raise ImportFileError(
                msg("repeat_unlinked", sheet=table.name, repeat=child.repeat.name)
            )
        unknown += [f"{table.name}: {title}" for title in child.unknown]
        children.append((table, child))
        repeats[child.repeat.name] = table.name
        mapping.matched_questions |= child.matched_questions
    missing = columns.missing(mapping, set(repeats))
    form = f"{spec.title or spec.form_id}"
    if unknown:
        raise ImportFileError(
            msg(
                "columns_mismatch",
                form=form,
                version=spec.version,
                unknown=describe(unknown),
                missing=describe(missing),
            )
        )
    answered = {name for name in mapping.matched_questions if spec.nodes[name].type != "instanceID"}
    if not answered:
        raise ImportFileError(
            msg("no_questions", form=form, found=describe([t for t in source.main.header if t]))
        )
    if not mapping.indexes("id"):
        raise ImportFileError(msg("no_instance_column"))
    reader = RecordReader(spec, source.main, mapping, children)
    return Prepared(
        source=source,
        spec=spec,
        mapping=mapping,
        reader=reader,
        missing=missing,
        ignored=mapping.ignored,
        repeats=repeats,
    )


def _links(mapping: Mapping) -> bool:
    return bool(mapping.indexes("parent") or mapping.indexes("parent_index"))


# ---- the plan ---------------------------------------------------------------------------


class _Territory:
    """What ties a response to the territory and the directory, read in bulk
    (``services.response_link_respondent`` does the same for one response)."""

    def __init__(self) -> None:
        from polo.territory.models import Municipality

        self.municipalities = {
            code: (pk, region_id, name)
            for code, pk, region_id, name in Municipality.objects.values_list(
                "code", "pk", "region_id", "name"
            )
        }
        self.names = {pk: name for pk, _region, name in self.municipalities.values()}
        self.regions = {pk: region for pk, region, _name in self.municipalities.values()}

    def link(self, records: list[tuple[Record, dict]]) -> list[tuple[int | None, ...]]:
        from polo.directory.models import Organization
        from polo.territory.models import Community

        def first(data: dict, names: tuple[str, ...]) -> str:
            for name in names:
                value = data.get(name)
                if value not in (None, ""):
                    return str(value).strip()
            return ""

        wanted = [
            (
                first(data, MUNICIPALITY_QUESTIONS),
                first(data, COMMUNITY_QUESTIONS),
                first(data, ORGANIZATION_QUESTIONS),
            )
            for _record, data in records
        ]
        community_codes = sorted({c for _m, c, _o in wanted if c})
        organization_ids = sorted({int(o) for _m, _c, o in wanted if o.isdigit() and len(o) < 12})
        communities = {
            code: (pk, municipality_id)
            for code, pk, municipality_id in Community.objects.filter(
                code__in=community_codes
            ).values_list("code", "pk", "municipality_id")
        }
        organizations = dict(
            Organization.objects.filter(pk__in=organization_ids).values_list(
                "pk", "municipality_id"
            )
        )
        links = []
        for municipality_code, community_code, organization_id in wanted:
            organization = int(organization_id) if organization_id.isdigit() else None
            if organization not in organizations:
                organization = None
            community = communities.get(community_code)
            municipality = self.municipalities.get(municipality_code)
            municipality_id = municipality[0] if municipality else None
            if municipality_id is None and community is not None:
                municipality_id = community[1]
            if municipality_id is None and organization is not None:
                municipality_id = organizations[organization]
            links.append((municipality_id, community[0] if community else None, organization))
        return links


class _ChoiceLabels:
    """Options written as their label («Sí») rather than their name («si»), as
    KoboToolbox's export «with labels» writes them: worth a word in the preview."""

    def __init__(self, spec: FormSpec) -> None:
        from polo.directory.text import fold

        self.fold = fold
        self.questions: dict[str, tuple[set[str], dict[str, str]]] = {}
        for node in spec.questions:
            if node.is_select:
                choices = spec.choices_for(node)
                labels = {
                    fold(text).strip(): choice.name
                    for choice in choices
                    for text in choice.label.values()
                    if text
                }
                self.questions[node.name] = ({c.name for c in choices}, labels)

    def example(self, data: dict[str, Any]) -> tuple[str, str, str] | None:
        for name, (names, labels) in self.questions.items():
            value = data.get(name)
            if isinstance(value, str) and value and value not in names:
                found = labels.get(self.fold(value).strip())
                if found is not None:
                    return name, value, found
        return None


def _batches(records: Iterator[Record], size: int | None = None) -> Iterator[list[Record]]:
    size = size or common.BATCH
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def plan_import(
    handle: IO[bytes],
    *,
    round_: Round,
    version: FormVersion,
    staging: IO[bytes] | None,
    user=None,
    file_name: str = "",
    progress: Progress | None = None,
    limit: int | None = None,
    today: dt.date | None = None,
    sink: Callable[[list[list[Any]]], Any] | None = None,
    copies: bool = False,
) -> dict[str, Any]:
    """Read a file and decide what to do with every response; write the
    answers to create to ``staging``. Writes nothing to the database.

    ``sink``, instead of ``staging``: receives each batch of responses to
    create (the staged lines) as soon as it is decided, until a row is
    rejected (``import_file`` writes them as they come, inside a transaction
    that it rolls back unless the plan is writable). With ``copies``, each of
    those lines ends with its COPY text (``writing.copy_rows_maker``), made by
    the checking workers.

    ``user`` limits the rows to their regions when they are a facilitator (a
    coordinator, or no user on the command line, may import anywhere).
    Raises ImportFileError when the whole file is refused.
    """
    spec = version.form
    prepared = prepare(handle, spec, limit=limit)
    try:
        return _plan(
            prepared,
            round_=round_,
            version=version,
            staging=staging,
            user=user,
            file_name=file_name,
            progress=progress,
            today=today or timezone.localdate(),
            sink=sink,
            copies=copies and sink is not None,
        )
    finally:
        prepared.source.close()


def _plan(
    prepared: Prepared,
    *,
    round_: Round,
    version: FormVersion,
    staging: IO[bytes] | None,
    user,
    file_name: str,
    progress: Progress | None,
    today: dt.date,
    sink: Callable[[list[list[Any]]], Any] | None = None,
    copies: bool = False,
) -> dict[str, Any]:
    spec = prepared.spec
    language = translation.get_language()
    territory = _Territory()
    allowed_regions = None
    if user is not None and not getattr(user, "is_coordinator", False):
        allowed_regions = set(user.regions.values_list("pk", flat=True))
    counts: Counter[str] = Counter()
    listed: dict[str, list[dict[str, Any]]] = {action: [] for action in ACTIONS}
    seen: dict[str, int] = {}
    total = 0
    if progress:
        progress.start(prepared.source.main.estimated_rows)
    prepared.reader.load_children()

    def prechecked() -> Iterator[tuple[list, list[dict]]]:
        """Batches with what is known before the answers are checked: the
        instance id, and whether the file had it already."""
        nonlocal total
        for batch in _batches(iter(prepared.reader)):
            total += len(batch)
            if total > common.MAX_ROWS:
                raise ImportFileError(msg("too_many_rows", limit=f"{common.MAX_ROWS:,}"))
            entries = []
            for record in batch:
                reasons = list(record.problems)
                if not record.instance_id:
                    reasons.append(msg("no_instance_id"))
                elif record.instance_id in seen:
                    reasons.append(
                        msg(
                            "same_in_file",
                            instance=record.instance_id,
                            row=seen[record.instance_id],
                        )
                    )
                else:
                    seen[record.instance_id] = record.row
                entries.append((record, reasons))
            yield entries, [record.data for record, reasons in entries if not reasons]

    round_names = functools.lru_cache(maxsize=None)(_round_name)
    choice_labels = _ChoiceLabels(spec)
    label_example: tuple[str, str, str] | None = None
    workers = checking.workers_for(prepared.source.main.estimated_rows)
    staged = (
        contextlib.nullcontext()
        if sink is not None
        else gzip.GzipFile(fileobj=staging, mode="wb", compresslevel=1)
    )
    with staged as out:
        for entries, results in checking.check_batches(
            spec,
            prechecked(),
            today=today,
            language=language,
            workers=workers,
            copies=copies,
        ):
            checked: list[tuple[Record, dict]] = []
            texts: dict[int, tuple[str, str]] = {}  # row → its COPY text, when made
            outcomes = iter(results)
            for record, reasons in entries:
                if not reasons:
                    data, reasons, text = next(outcomes)
                    if text is not None:
                        texts[record.row] = text
                if reasons:
                    _note(counts, listed, record, "rejected", reasons)
                    if label_example is None:
                        label_example = choice_labels.example(record.data)
                    continue
                checked.append((record, data))
            existing = dict(
                Response.objects.filter(
                    instance_id__in=[record.instance_id for record, _data in checked]
                ).values_list("instance_id", "round_id")
            )
            fresh = []
            for record, data in checked:
                if record.instance_id in existing:
                    other = existing[record.instance_id]
                    note = (
                        msg("already_imported")
                        if other == round_.pk
                        else msg("elsewhere", round=round_names(other))
                    )
                    _note(counts, listed, record, "skip", [note])
                else:
                    fresh.append((record, data))
            lines = []
            for (record, data), link in zip(fresh, territory.link(fresh), strict=True):
                municipality_id, community_id, organization_id = link
                place = territory.names.get(municipality_id, "") if municipality_id else ""
                if (
                    allowed_regions is not None
                    and municipality_id is not None
                    and territory.regions.get(municipality_id) not in allowed_regions
                ):
                    _note(
                        counts,
                        listed,
                        record,
                        "rejected",
                        [msg("out_of_scope", municipality=place)],
                    )
                    continue
                _note(counts, listed, record, "create", [], place=place)
                line = [
                    record.row,
                    record.instance_id,
                    record.submitted_at.isoformat() if record.submitted_at else None,
                    municipality_id,
                    community_id,
                    organization_id,
                    data,
                ]
                if sink is not None:
                    if record.row in texts:
                        line.append(texts[record.row])
                    lines.append(line)
                    continue
                out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode())
                out.write(b"\n")
            if sink is not None and lines and not counts["rejected"]:
                sink(lines)
            if progress:
                progress.advance(len(entries))
    if total == 0:
        raise ImportFileError(msg("no_rows"))
    if progress:
        progress.start(total)
        progress.advance(total)
    warnings = []
    if prepared.missing:
        warnings.append(
            _g(
                "Preguntas del formulario que no están en el archivo (quedan sin respuesta): "
                "%(names)s."
            )
            % {"names": describe(prepared.missing, 30)}
        )
    if label_example is not None:
        question, label, name = label_example
        warnings.append(
            _g(
                "Algunas respuestas traen la etiqueta de una opción en lugar de su nombre (en "
                "«%(question)s», «%(label)s» en lugar de «%(name)s»): en KoboToolbox, exporta "
                "con «Valores y encabezados XML»."
            )
            % {"question": question, "label": label, "name": name}
        )
    for name, count in prepared.reader.orphans.items():
        warnings.append(msg("orphan_repeat", count=count, repeat=name))
    if spec.repeats and not prepared.repeats:
        names = ", ".join(f"«{repeat.name}»" for repeat in spec.repeats)
        warnings.append(
            _g(
                "El archivo no trae las filas de %(names)s (un CSV no las lleva: para "
                "incluirlas, importa el XLSX de KoboToolbox o el ZIP de ODK Central)."
            )
            % {"names": names}
        )
    return {
        "version": PLAN_VERSION,
        "file_name": file_name,
        "format": prepared.source.description,
        "round_id": round_.pk,
        "form_version_id": version.pk,
        "form": f"{version.title} · v{version.number} ({version.version})",
        "user_id": getattr(user, "pk", None),
        "created_at": timezone.now().isoformat(),
        "today": today.isoformat(),
        "columns": {
            "questions": len(prepared.mapping.matched_questions),
            "ignored": prepared.ignored[:200],
            "missing": prepared.missing,
            "repeats": prepared.repeats,
        },
        "warnings": warnings,
        "counts": {action: counts.get(action, 0) for action in ACTIONS},
        "total": total,
        "rows": [row for action in ACTIONS for row in listed[action]],
        "applied": None,
    }


def _note(
    counts: Counter,
    listed: dict[str, list],
    record: Record,
    action: str,
    reasons: list[str],
    *,
    place: str = "",
) -> None:
    counts[action] += 1
    if len(listed[action]) < LISTED_ROWS:
        listed[action].append(
            {
                "row": record.row,
                "action": action,
                "instance_id": record.instance_id,
                "place": place,
                "reasons": reasons[:20],
            }
        )


def _round_name(round_id: int) -> str:
    found = Round.objects.filter(pk=round_id).select_related("campaign").first()
    return str(found) if found else str(round_id)
