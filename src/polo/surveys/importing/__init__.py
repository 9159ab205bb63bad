"""Importing responses from the exports of KoboToolbox and ODK Central.

Two steps, so that nothing is written before a person has seen what will happen:

1. ``plan_import`` reads the file (``reading``), matches its columns to the
   form by name whatever the group prefix (``columns``), turns every row into
   answers (``records``), checks them with ``validation`` and decides: create,
   skip (already imported: the instance id is the key, so importing a file
   twice changes nothing) or rejected with the row number and the reasons.
   The answers to create go to a staging file as they are read.
2. ``apply_import`` writes the staged answers in one transaction, in batches.
   A file with any rejected row is not written at all: the person corrects it
   and uploads it again (``plan_is_writable``).

``import_file`` does both for the command line and the benchmarks, in one
pass: with no one to look at the preview in between, each batch is written as
soon as it is checked, in one transaction rolled back unless the plan is
writable, so the outcome is the same all or nothing.
"""

from __future__ import annotations

import tempfile
from typing import IO, Any

from django.db import DataError, IntegrityError, transaction

from polo.surveys.importing import common
from polo.surveys.importing.common import ImportApplyError, ImportFileError, Progress, msg
from polo.surveys.importing.planning import ACTIONS, plan_import, prepare
from polo.surveys.importing.storage import (
    delete,
    load_plan,
    open_file,
    plan_path,
    save_file,
    save_plan,
    staged_path,
    upload_path,
)
from polo.surveys.importing.targets import TargetError, find_round, find_version
from polo.surveys.importing.writing import Writer, apply_import, integrity_error


def plan_is_writable(plan: dict[str, Any]) -> bool:
    """All or nothing: a plan with a rejected row writes nothing."""
    counts = plan["counts"]
    return not plan.get("applied") and counts["rejected"] == 0 and counts["create"] > 0


def import_file(
    handle: IO[bytes],
    *,
    round_,
    version,
    user=None,
    file_name: str = "",
    write: bool = True,
    limit: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Preview, then write when ``write`` and the plan allows it. Returns the
    plan, with ``plan["applied"]`` set when written.

    In one process (the command line, the benchmarks) there is no one to show
    the preview to before the write, so both happen in one pass: each batch of
    responses to create is written as soon as it is checked, inside one
    transaction that is rolled back when the plan is not writable (a row
    rejected, nothing to create). The outcome is the preview followed by the
    write, all or nothing, without staging the answers and reading them back,
    and the database's work overlaps the check in the workers."""
    if not write:
        with tempfile.TemporaryFile() as staging:
            return plan_import(
                handle,
                round_=round_,
                version=version,
                staging=staging,
                user=user,
                file_name=file_name,
                limit=limit,
                progress=progress,
            )
    plan: dict[str, Any] | None = None
    try:
        with transaction.atomic():
            writer = Writer(
                round_=round_, version=version, user=user, file_name=file_name, recheck=False
            )
            plan = plan_import(
                handle,
                round_=round_,
                version=version,
                staging=None,
                user=user,
                file_name=file_name,
                limit=limit,
                progress=progress,
                sink=writer.write,
                copies=writer.copies,
            )
            if not plan_is_writable(plan):
                raise _NotWritten
            writer.outcome(plan)
    except _NotWritten:
        pass
    except (IntegrityError, DataError) as exc:
        raise integrity_error(exc) from exc
    assert plan is not None
    return plan


class _NotWritten(Exception):
    """Rolls back what a plan that turned out not writable had written."""


__all__ = [
    "ACTIONS",
    "ImportApplyError",
    "ImportFileError",
    "Progress",
    "TargetError",
    "apply_import",
    "common",
    "delete",
    "find_round",
    "find_version",
    "import_file",
    "load_plan",
    "msg",
    "open_file",
    "plan_import",
    "plan_is_writable",
    "plan_path",
    "prepare",
    "save_file",
    "save_plan",
    "staged_path",
    "upload_path",
]
