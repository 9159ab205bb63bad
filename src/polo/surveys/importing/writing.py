"""Writing a plan: one transaction, in batches, the audit trail included.

The staged answers are read back in batches of ``BATCH`` responses. Each
batch becomes responses, their creation in the history (the importing person,
the file named) and their aggregate rows (``Answer``: one per answered
question, one per chosen option, as ``services.answer_rows`` lists them).
All of it happens inside one transaction: an error anywhere, in the last row
too, writes nothing.

A large file is a hundred thousand responses and four million answers, so
these rows skip the ORM: every response of an import shares most of its
columns (round, version, status, source, who), which are prepared for the
database once, and only the few that differ are prepared per row (ids are
taken from the sequence first, so that answers can point to their response).
PostgreSQL receives the rows as the text of a COPY, one string per table and
batch: the part of it that depends on the answers alone (the JSON of
``Response.data``, the answer rows but for their response, round and
municipality) is ``copy_rows``, which the checking workers run as they check
(``checking``), so that this process only joins strings. SQLite receives them
through one prepared ``executemany``; any other database goes through the ORM.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _g
from simple_history.utils import bulk_create_with_history

from polo.surveys.importing.common import BATCH, ImportApplyError, Progress, msg
from polo.surveys.models import Answer, FormVersion, Response, Round
from polo.surveys.services import answer_rows
from polo.surveys.spec import FormSpec

# The tables an import writes, whose foreign keys it checks batch by batch.
IMPORTED_TABLES = (Response, Response.history.model, Answer)
ANSWER_COLUMNS = ("response_id", "round_id", "municipality_id", "name", "row", "value", "number")
FAST_VENDORS = {"postgresql", "sqlite"}


def staged_rows(staging: IO[bytes]) -> Iterator[list[Any]]:
    with gzip.GzipFile(fileobj=staging, mode="rb") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _batches(rows: Iterable[list[Any]], size: int) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def apply_import(
    plan: dict[str, Any],
    staging: IO[bytes],
    *,
    user=None,
    progress: Progress | None = None,
    guard: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Write the responses of the plan: all of them or none. ``guard`` runs
    first inside the transaction (the caller locks the job so that a plan is
    applied once). Returns the outcome, also stored as ``plan["applied"]``."""
    round_ = Round.objects.select_related("campaign").filter(pk=plan["round_id"]).first()
    version = FormVersion.objects.filter(pk=plan["form_version_id"]).first()
    if round_ is None or version is None:
        raise ImportApplyError(msg("version_changed"))
    if progress:
        progress.start(plan["counts"]["create"])
    try:
        with transaction.atomic():
            if guard:
                guard()
            writer = Writer(
                round_=round_, version=version, user=user, file_name=plan.get("file_name", "")
            )
            for batch in _batches(staged_rows(staging), BATCH):
                writer.write(batch)
                if progress:
                    progress.advance(len(batch))
    except (IntegrityError, DataError) as exc:
        raise integrity_error(exc) from exc
    return writer.outcome(plan)


def integrity_error(exc: Exception) -> ImportApplyError:
    return ImportApplyError(msg("integrity", error=_first_line(exc)))


class Writer:
    """Writes batches of staged responses (the lines of a plan's staging file)
    with their history and their aggregate rows. Call inside a transaction."""

    def __init__(
        self, *, round_: Round, version: FormVersion, user, file_name: str, recheck: bool = True
    ) -> None:
        """``recheck``: ask the database again whether the responses were
        imported meanwhile (after a preview shown to a person). ``import_file``
        checks and writes each batch in the same transaction, a moment apart,
        and leaves the last word to the unique instance id."""
        self.when = timezone.now()
        reason = (_g("Importación: %(file)s") % {"file": file_name})[:100]
        self.user = user
        self.created = 0
        self._writer = _Writer(
            round_=round_, version=version, user=user, when=self.when, reason=reason
        )
        self._writer.recheck = recheck

    @property
    def copies(self) -> bool:
        """Whether the rows go as COPY text: then the lines may carry it ready
        (``copy_rows``), made by the checking workers."""
        return self._writer.copies

    def write(self, batch: list[list[Any]]) -> int:
        written = self._writer.write(batch)
        self.created += written
        return written

    def outcome(self, plan: dict[str, Any]) -> dict[str, Any]:
        """What was written, also stored as ``plan["applied"]``."""
        outcome = {
            "applied_at": self.when.isoformat(),
            "user_id": getattr(self.user, "pk", None),
            "created": self.created,
            "skipped": plan["counts"]["skip"],
        }
        plan["applied"] = outcome
        if self._writer.checked_late:
            _check_late(self._writer.checked_late)
        return outcome


class _Writer:
    def __init__(self, *, round_: Round, version: FormVersion, user, when, reason: str) -> None:
        self.round = round_
        self.version = version
        self.spec = version.form
        self.user = user
        self.when = when
        self.reason = reason
        self.fast = connection.vendor in FAST_VENDORS
        if connection.vendor == "sqlite":
            _widen_sqlite_cache()
        self.copies = connection.vendor == "postgresql"
        self.recheck = True
        self.checked_late: list[str] | None = None
        self.answers = answer_maker(self.spec)
        self.copy_rows = copy_rows_maker(self.spec)
        shared = {
            "round_id": round_.pk,
            "form_version_id": version.pk,
            # Plain strings: a database driver may write an Enum by its name.
            "respondent_kind": str(round_.campaign.respondent),
            "status": Response.Status.SUBMITTED.value,
            "source": Response.Source.IMPORT.value,
            "submitted_by_id": getattr(user, "pk", None),
            "current_section": 0,
            "review_comment": "",
            "reviewed_by_id": None,
            "reviewed_at": None,
            "updated_at": when,
        }
        varying = [
            "id",
            "instance_id",
            "municipality_id",
            "community_id",
            "organization_id",
            "data",
            "started_at",
            "submitted_at",
        ]
        history = Response.history.model
        # The answers go to the response and to its history as the same JSON,
        # prepared once per response (see write) rather than once per table.
        self.data_field = Response._meta.get_field("data")
        self.responses = _Rows(Response, shared=shared, varying=varying, prepared={"data"})
        self.history = _Rows(
            history,
            shared={
                **{k: v for k, v in shared.items() if k not in {"current_section", "updated_at"}},
                "history_date": when,
                "history_change_reason": reason,
                "history_type": "+",
                "history_user_id": getattr(user, "pk", None),
            },
            varying=varying,
            prepared={"data"},
        )

    def write(self, batch: list[list[Any]]) -> int:
        if self.recheck:
            instances = [row[1] for row in batch]
            taken = list(
                Response.objects.filter(instance_id__in=instances).values_list(
                    "instance_id", flat=True
                )[:1]
            )
            if taken:
                # Imported by someone else after the preview: the preview no longer
                # says what would happen, so nothing is written.
                raise ImportApplyError(msg("taken_meanwhile", instance=taken[0]))
        if not self.fast:
            return self._write_with_orm(batch)
        ids = _next_ids(Response, len(batch))
        if self.copies:
            if self.checked_late is None:
                self.checked_late = _check_now(IMPORTED_TABLES)
            return self._copy(batch, ids)
        values = []
        prepare_data = self.data_field.get_db_prep_save
        for pk, (_row, instance, submitted, municipality, community, organization, data) in zip(
            ids, batch, strict=True
        ):
            submitted_at = dt.datetime.fromisoformat(submitted) if submitted else self.when
            values.append(
                {
                    "id": pk,
                    "instance_id": instance,
                    "municipality_id": municipality,
                    "community_id": community,
                    "organization_id": organization,
                    "data": prepare_data(data, connection),
                    "started_at": submitted_at,
                    "submitted_at": submitted_at,
                }
            )
        self.responses.insert(values)
        self.history.insert(values)
        round_id = self.round.pk
        answers = self.answers
        rows: list[tuple] = []
        for pk, (*_head, municipality, _community, _organization, data) in zip(
            ids, batch, strict=True
        ):
            rows += answers(data, (pk, round_id, municipality))
        _insert(Answer, ANSWER_COLUMNS, rows)
        return len(values)

    def _copy(self, batch: list[list[Any]], ids: list[int]) -> int:
        """PostgreSQL: the three tables' rows as COPY text. A line carries its
        ``copy_rows`` text when a worker made it; otherwise it is made here."""
        round_id = str(self.round.pk)
        when = self.when.isoformat()
        responses: list[str] = []
        history: list[str] = []
        answers: list[str] = []
        for pk, line in zip(ids, batch, strict=True):
            _row, instance, submitted, municipality, community, organization, data = line[:7]
            data_text, answers_text = line[7] if len(line) > 7 else self.copy_rows(data)
            moment = dt.datetime.fromisoformat(submitted).isoformat() if submitted else when
            place = NULL if municipality is None else str(municipality)
            values = {
                "id": str(pk),
                "instance_id": copy_text(instance),
                "municipality_id": place,
                "community_id": NULL if community is None else str(community),
                "organization_id": NULL if organization is None else str(organization),
                "data": data_text,
                "started_at": moment,
                "submitted_at": moment,
            }
            responses.append(self.responses.copy_line(values))
            history.append(self.history.copy_line(values))
            if answers_text:
                # Each answer line begins with its response, round and municipality.
                head = f"{pk}\t{round_id}\t{place}\t"
                answers.append(head + answers_text.replace("\n", "\n" + head))
        _copy(Response, self.responses.columns, responses)
        _copy(Response.history.model, self.history.columns, history)
        _copy(Answer, ANSWER_COLUMNS, answers)
        return len(batch)

    def _write_with_orm(self, batch: list[list[Any]]) -> int:
        responses = []
        for _row, instance, submitted, municipality, community, organization, data in batch:
            submitted_at = dt.datetime.fromisoformat(submitted) if submitted else self.when
            responses.append(
                Response(
                    round=self.round,
                    form_version=self.version,
                    instance_id=instance,
                    respondent_kind=self.round.campaign.respondent,
                    municipality_id=municipality,
                    community_id=community,
                    organization_id=organization,
                    data=data,
                    status=Response.Status.SUBMITTED,
                    source=Response.Source.IMPORT,
                    submitted_by=self.user,
                    started_at=submitted_at,
                    submitted_at=submitted_at,
                )
            )
        responses = bulk_create_with_history(
            responses,
            Response,
            batch_size=BATCH,
            default_user=self.user,
            default_change_reason=self.reason,
            default_date=self.when,
        )
        Answer.objects.bulk_create(
            [
                Answer(
                    response_id=response.pk,
                    round_id=self.round.pk,
                    municipality_id=response.municipality_id,
                    name=name,
                    row=row,
                    value=value,
                    number=number,
                )
                for response in responses
                for name, row, value, number in answer_rows(self.spec, response.data)
            ],
            batch_size=2000,
        )
        return len(responses)


# ---- rows without the ORM -----------------------------------------------------------------


class _Rows:
    """The rows of one table: the columns every row shares are prepared for the
    database once, the others per row, each by its own field."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        shared: dict[str, Any],
        varying: list[str],
        prepared: set[str] = frozenset(),
    ):
        self.model = model
        fields = [
            f for f in model._meta.concrete_fields if not f.primary_key or f.attname in varying
        ]
        self.columns = [f.column for f in fields]
        self.template: list[Any] = []
        self.slots: list[tuple[int, str, Callable[[Any], Any] | None]] = []
        for position, field in enumerate(fields):
            if field.attname in varying:
                self.template.append(None)
                preparer = None if field.attname in prepared else _preparer(field)
                self.slots.append((position, field.attname, preparer))
            else:
                value = shared[field.attname] if field.attname in shared else field.get_default()
                self.template.append(field.get_db_prep_save(value, connection))
        self.text_template = [_copy_value(value) for value in self.template]

    def copy_line(self, texts: dict[str, str]) -> str:
        """One row as a line of COPY text, from the varying columns' texts."""
        parts = list(self.text_template)
        for position, name, _prepare in self.slots:
            parts[position] = texts[name]
        return "\t".join(parts)

    def insert(self, items: list[dict[str, Any]]) -> None:
        def rows() -> Iterator[tuple]:
            for item in items:
                row = list(self.template)
                for position, name, prepare in self.slots:
                    value = item[name]
                    row[position] = prepare(value) if prepare and value is not None else value
                yield tuple(row)

        _insert(self.model, self.columns, rows())


def _preparer(field) -> Callable[[Any], Any] | None:
    """Plain values (ids, text) go as they are; JSON and dates as the field says."""
    if isinstance(field, models.JSONField | models.DateTimeField | models.DateField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _next_ids(model: type[models.Model], count: int) -> list[int]:
    """Ids for ``count`` new rows, taken before they are written."""
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: a write (even of nothing) takes the database's only write
        # lock until the transaction ends, so nobody takes these ids meanwhile.
        # AUTOINCREMENT never reuses an id: start after the highest ever given.
        quoted = connection.ops.quote_name(column)
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(table)} SET {quoted} = {quoted} WHERE 0 = 1"
        )
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"COALESCE((SELECT MAX({connection.ops.quote_name(column)}) FROM "
            f"{connection.ops.quote_name(table)}), 0))",
            [table],
        )
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _insert(model: type[models.Model], columns: Iterable[str], rows: Iterable[tuple]) -> None:
    """SQLite: the rows through one prepared statement, in chunks."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = list(columns)
    listed = ", ".join(connection.ops.quote_name(c) for c in names)
    with connection.cursor() as cursor:
        sql = f"INSERT INTO {table} ({listed}) VALUES ({', '.join(['%s'] * len(names))})"
        if isinstance(rows, list):
            for start in range(0, len(rows), 20_000):
                cursor.executemany(sql, rows[start : start + 20_000])
            return
        chunk: list[tuple] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= 20_000:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def _copy(model: type[models.Model], columns: Iterable[str], lines: list[str]) -> None:
    """PostgreSQL: rows already written as lines of COPY text, in one piece."""
    if not lines:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    listed = ", ".join(connection.ops.quote_name(c) for c in columns)
    # psycopg's own cursor, so its errors are turned into Django's here
    # (an IntegrityError or a DataError, which the callers report in words).
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy,
    ):
        copy.write("\n".join(lines) + "\n")


# SQLite's page cache for the connection that writes an import, in KiB (its
# default is 2 MiB). Millions of answer rows go into three indexes whose pages
# are touched all over; with the default they are read back and written out
# again and again. Memory stays well under the import's 500 MB bar.
SQLITE_CACHE_KIB = 128 * 1024


def _widen_sqlite_cache() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        if -cursor.fetchone()[0] < SQLITE_CACHE_KIB:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")


def _check_now(models_: Iterable[type[models.Model]]) -> list[str]:
    """PostgreSQL: check the foreign keys of these tables' rows as each COPY
    ends rather than at commit. Django declares them DEFERRABLE INITIALLY
    DEFERRED, so that four million answers would leave some twelve million
    checks queued for the commit, run on rows long gone from the server's
    buffers; checked per batch, the rows are still there (about a tenth less
    of the server's time), and a bad reference fails the batch that made it.
    Only this transaction, only these constraints; returns their names for
    ``_check_late``."""
    tables = [model._meta.db_table for model in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' AND condeferrable "
            "AND condeferred AND conrelid::regclass::text = ANY(%s) ORDER BY conname",
            [tables],
        )
        names = [row[0] for row in cursor.fetchall()]
        if names:
            listed = ", ".join(connection.ops.quote_name(name) for name in names)
            cursor.execute(f"SET CONSTRAINTS {listed} IMMEDIATE")
    return names


def _check_late(names: list[str]) -> None:
    """Back to checking these constraints at commit, as declared, for the rest
    of a caller's transaction."""
    listed = ", ".join(connection.ops.quote_name(name) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {listed} DEFERRED")


# ---- COPY text ----------------------------------------------------------------------------

NULL = "\\N"
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(text: str) -> str:
    """A text as a field of PostgreSQL's COPY text format: the backslash, tab,
    newline and carriage return escaped (a value «\\N» stays a text, not NULL)."""
    return text.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(text) else text


def _copy_value(value: Any) -> str:
    """A value ready for the database (``get_db_prep_save``) as COPY text."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):  # psycopg's Int2 and the like write their class name
        return str(int(value))
    if isinstance(value, float):
        return repr(float(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if hasattr(value, "obj") and hasattr(value, "dumps"):  # psycopg's Json / Jsonb
        return copy_text(json.dumps(value.obj))
    return copy_text(str(value))


def copy_rows_maker(spec: FormSpec) -> Callable[[dict[str, Any]], tuple[str, str]]:
    """``rows(data)`` → the COPY text of ``data`` as JSON (``Response.data``)
    and of its answer rows (``answer_maker``'s) without their first three
    columns (response, round, municipality): one line per answer, joined by
    newlines, for the writer to prefix. Depends on the answers alone, so the
    checking workers can make it."""
    answers = answer_maker(spec)
    encoder = Response._meta.get_field("data").encoder
    dumps = json.dumps
    names: dict[str, str] = {}

    def rows(data: dict[str, Any]) -> tuple[str, str]:
        data_text = copy_text(dumps(data, ensure_ascii=False, separators=(",", ":"), cls=encoder))
        lines = []
        for name, row, value, number in answers(data):
            field = names.get(name)
            if field is None:
                field = names[name] = copy_text(name)
            lines.append(
                f"{field}\t{row}\t{copy_text(value)}\t{NULL if number is None else repr(number)}"
            )
        return data_text, "\n".join(lines)

    return rows


# ---- answers for aggregates ---------------------------------------------------------------


# The characters a text that float() reads can begin with (after spaces).
FLOAT_START = frozenset("0123456789+-.iInN")


def answer_maker(spec: FormSpec) -> Callable[..., list[tuple]]:
    """``services.answer_rows`` for one form, with the walk over its questions
    done once: the same rows (a test holds them equal), a few times faster,
    which counts over millions of answers. ``rows(data, head)`` returns them as
    tuples that begin with ``head`` (the response, round and municipality of
    an Answer row), ready for the database."""
    top: list[tuple[str, bool]] = []
    repeats: dict[str, list[tuple[str, bool]]] = {}
    for node in spec.questions:
        entry = (node.name, node.type == "select_multiple")
        if node.repeat is None:
            top.append(entry)
        else:
            repeats.setdefault(node.repeat, []).append(entry)
    isfinite = math.isfinite

    def add(out: list[tuple], head: tuple, entries, values: dict, row: int) -> None:
        for name, multiple in entries:
            value = values.get(name)
            if value is None or value == "":
                continue
            text = value if value.__class__ is str else str(value)
            if multiple:
                out.extend((*head, name, row, choice, None) for choice in text.split())
                continue
            number = None
            first = text[:1]
            # float() reads nothing that starts otherwise: skip the exception.
            if first in FLOAT_START or first.isspace():
                try:
                    number = float(text)
                except ValueError:
                    pass
                else:
                    if not isfinite(number):
                        number = None
            out.append((*head, name, row, text, number))

    def rows(data: dict[str, Any], head: tuple = ()) -> list[tuple]:
        out: list[tuple] = []
        add(out, head, top, data, 0)
        for repeat, entries in repeats.items():
            items = data.get(repeat) or []
            if not isinstance(items, list):
                continue
            for position, item in enumerate(items, start=1):
                if isinstance(item, dict):
                    add(out, head, entries, item, position)
        return out

    return rows


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]
