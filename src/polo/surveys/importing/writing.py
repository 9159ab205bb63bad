"""Writing a plan: one transaction, in batches, the audit trail included.

The staged answers are read back in batches of ``BATCH`` responses; each batch
is a bulk insert of responses (with their creation in the history, the
importing person and the file named), then of their aggregate rows (``Answer``,
one per answered question, as ``services.answer_rows`` lists them). Answers
are tens of rows per response (four million for a large file), so they skip
the ORM: PostgreSQL receives them through COPY, other databases through one
prepared ``executemany``. All of it happens inside one transaction: an error
anywhere, in the last row too, writes nothing.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.db import DataError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _g
from simple_history.utils import bulk_create_with_history

from polo.surveys.importing.common import BATCH, ImportApplyError, Progress, msg
from polo.surveys.models import Answer, FormVersion, Response, Round
from polo.surveys.services import answer_rows
from polo.surveys.spec import FormSpec

ANSWER_COLUMNS = ("response_id", "round_id", "municipality_id", "name", "row", "value", "number")


def staged_rows(staging: IO[bytes]) -> Iterator[list[Any]]:
    with gzip.GzipFile(fileobj=staging, mode="rb") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _batches(rows: Iterable[list[Any]], size: int = BATCH) -> Iterator[list[list[Any]]]:
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
    spec = version.form
    when = timezone.now()
    reason = (_g("Importación: %(file)s") % {"file": plan.get("file_name", "")})[:100]
    if progress:
        progress.start(plan["counts"]["create"])
    created = 0
    try:
        with transaction.atomic():
            if guard:
                guard()
            for batch in _batches(staged_rows(staging)):
                created += _write_batch(
                    batch,
                    round_=round_,
                    version=version,
                    spec=spec,
                    user=user,
                    when=when,
                    reason=reason,
                )
                if progress:
                    progress.advance(len(batch))
    except IntegrityError as exc:
        raise ImportApplyError(msg("integrity", error=_first_line(exc))) from exc
    except DataError as exc:
        raise ImportApplyError(msg("integrity", error=_first_line(exc))) from exc
    outcome = {
        "applied_at": when.isoformat(),
        "user_id": getattr(user, "pk", None),
        "created": created,
        "skipped": plan["counts"]["skip"],
    }
    plan["applied"] = outcome
    return outcome


def _write_batch(
    batch: list[list[Any]],
    *,
    round_: Round,
    version: FormVersion,
    spec: FormSpec,
    user,
    when: dt.datetime,
    reason: str,
) -> int:
    ids = [row[1] for row in batch]
    taken = list(Response.objects.filter(instance_id__in=ids).values_list("instance_id", flat=True))
    if taken:
        # Imported by someone else after the preview: the preview no longer
        # says what would happen, so nothing is written.
        raise ImportApplyError(msg("taken_meanwhile", instance=taken[0]))
    responses = []
    for _row, instance, submitted, municipality, community, organization, data in batch:
        submitted_at = dt.datetime.fromisoformat(submitted) if submitted else when
        responses.append(
            Response(
                round=round_,
                form_version=version,
                instance_id=instance,
                respondent_kind=round_.campaign.respondent,
                municipality_id=municipality,
                community_id=community,
                organization_id=organization,
                data=data,
                status=Response.Status.SUBMITTED,
                source=Response.Source.IMPORT,
                submitted_by=user,
                started_at=submitted_at,
                submitted_at=submitted_at,
            )
        )
    responses = bulk_create_with_history(
        responses,
        Response,
        batch_size=BATCH,
        default_user=user,
        default_change_reason=reason,
        default_date=when,
    )
    if any(response.pk is None for response in responses):  # pragma: no cover - old SQLite
        raise ImportApplyError("The database did not return the new ids (SQLite ≥ 3.35 needed).")
    _insert_answers(
        (response.pk, round_.pk, response.municipality_id, name, row, value, number)
        for response in responses
        for name, row, value, number in answer_rows(spec, response.data)
    )
    return len(responses)


def _insert_answers(rows: Iterator[tuple]) -> None:
    table = connection.ops.quote_name(Answer._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ANSWER_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(ANSWER_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        chunk: list[tuple] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= 20_000:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]
