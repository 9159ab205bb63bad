"""Importing organisations from the spreadsheets people actually have.

Two steps, so that nothing is written before a person has seen what will happen:

1. ``plan_import`` reads a CSV or XLSX file (UTF-8 or Windows-1252, comma,
   semicolon or tab, headers in Spanish or English, Excel dates, stray spaces)
   and decides for every row: create, update (same id, RFC or CLUNI), possible
   duplicate (``duplicates.DuplicateIndex``), or rejected, with the row number
   as the spreadsheet shows it and the reasons in words. It writes nothing.
2. ``apply_import`` writes the plan in one transaction: everything or nothing.
   Rows are written in bulk (a fixed number of queries per 500 rows) and every
   created or changed record gets its audit-trail entry with the importing
   person, many-to-many fields included.

Files and plans live in ``default_storage`` under ``imports/`` so that any
worker can read them (see tasks.py). The accepted columns and values are
documented in docs/directory-formats.md.

Limits (sizes, rows) are in ``common``; they are read at call time.
"""

from polo.directory.importing import common
from polo.directory.importing.common import (
    ImportApplyError,
    ImportFileError,
    Progress,
    msg,
)
from polo.directory.importing.planning import plan_import
from polo.directory.importing.reading import Table, field_for_header, map_columns, open_table
from polo.directory.importing.storage import (
    STORAGE_DIR,
    delete_upload,
    forget_data,
    load_plan,
    plan_path,
    read_upload,
    save_plan,
    save_upload,
    upload_path,
)
from polo.directory.importing.writing import PRIVATE_BY_DEFAULT, apply_import

__all__ = [
    "common",
    "PRIVATE_BY_DEFAULT",
    "STORAGE_DIR",
    "ImportApplyError",
    "ImportFileError",
    "Progress",
    "Table",
    "apply_import",
    "delete_upload",
    "field_for_header",
    "forget_data",
    "load_plan",
    "map_columns",
    "msg",
    "open_table",
    "plan_import",
    "plan_path",
    "read_upload",
    "save_plan",
    "save_upload",
    "upload_path",
]
