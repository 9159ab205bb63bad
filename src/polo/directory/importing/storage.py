"""Uploads and plans, in ``default_storage`` so that any worker can read them."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

STORAGE_DIR = "imports"

# ---- storage: uploads and plans, readable by any worker ------------------------------


def upload_path(job_id) -> str:
    return f"{STORAGE_DIR}/{job_id}.upload"


def plan_path(job_id) -> str:
    return f"{STORAGE_DIR}/{job_id}.json"


def save_upload(job_id, data: bytes) -> None:
    default_storage.delete(upload_path(job_id))
    default_storage.save(upload_path(job_id), ContentFile(data))


def read_upload(job_id) -> bytes:
    with default_storage.open(upload_path(job_id), "rb") as handle:
        return handle.read()


def delete_upload(job_id) -> None:
    default_storage.delete(upload_path(job_id))


def save_plan(job_id, plan: dict[str, Any]) -> None:
    path = plan_path(job_id)
    default_storage.delete(path)
    content = json.dumps(plan, ensure_ascii=False, separators=(",", ":")).encode()
    default_storage.save(path, ContentFile(content))


def load_plan(job_id) -> dict[str, Any] | None:
    path = plan_path(job_id)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        return json.loads(handle.read())


def forget_data(plan: dict[str, Any]) -> dict[str, Any]:
    """After an import, keep the report but not the rows' data (contacts may be
    private): the records themselves now hold it."""
    for row in plan["rows"]:
        row.pop("data", None)
    return plan
