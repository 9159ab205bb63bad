"""Uploads, plans and staged answers, in ``default_storage`` so that any worker
can read them. They sit in the same ``imports/`` folder as the directory's, so
that the daily ``polo directory purge`` removes previews never confirmed."""

from __future__ import annotations

import json
import tempfile
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage

STORAGE_DIR = "imports"
PREFIX = "surveys-"


def upload_path(job_id) -> str:
    return f"{STORAGE_DIR}/{PREFIX}{job_id}.upload"


def plan_path(job_id) -> str:
    return f"{STORAGE_DIR}/{PREFIX}{job_id}.json"


def staged_path(job_id) -> str:
    return f"{STORAGE_DIR}/{PREFIX}{job_id}.rows.gz"


def save_file(path: str, handle: IO[bytes]) -> None:
    """Copy a file into storage in chunks (an upload may be tens of MB)."""
    default_storage.delete(path)
    handle.seek(0)
    default_storage.save(path, File(handle, name=path.rsplit("/", 1)[-1]))


def open_file(path: str) -> IO[bytes]:
    return default_storage.open(path, "rb")


def delete(*paths: str) -> None:
    for path in paths:
        default_storage.delete(path)


def save_plan(job_id, plan: dict[str, Any]) -> None:
    path = plan_path(job_id)
    content = json.dumps(plan, ensure_ascii=False, separators=(",", ":")).encode()
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as handle:
        handle.write(content)
        save_file(path, handle)


def load_plan(job_id) -> dict[str, Any] | None:
    path = plan_path(job_id)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        return json.loads(handle.read())
