"""The plan of an import: what each row will do, decided without writing."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polo.directory.duplicates import DuplicateIndex
from polo.directory.importing.catalogue import Catalogue
from polo.directory.importing.common import Progress, _chunks, _key, msg
from polo.directory.importing.reading import field_for_header, map_columns, open_table
from polo.directory.importing.rows import Row, RowReader, read_rows
from polo.directory.models import Identifier, Organization

# ---- the plan ---------------------------------------------------------------------------


def plan_import(
    data: bytes,
    *,
    file_name: str = "",
    user=None,
    default_kind: str = "",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Read a file and decide what to do with every row. Writes nothing.

    ``user`` limits the rows to their regions when they are a facilitator (a
    coordinator, or no user on the command line, may import anywhere).
    """
    table = open_table(data)
    try:
        columns = map_columns(table.header, default_kind=default_kind)
        if progress:
            progress.start(table.estimated_rows)
        catalogue = Catalogue()
        reader = RowReader(columns, catalogue, default_kind)
        rows = list(read_rows(table, columns, reader, progress))
    finally:
        table.close()
    if progress:
        # The estimate (lines of text, or the sheet's size) becomes the count.
        progress.start(len(rows))
        progress.advance(len(rows))
    catalogue.load_communities(r.municipality.id for r in rows if r.municipality and r.community)
    for row in rows:
        _community(row, catalogue)
    _match_existing(rows)
    _check_scope(rows, user, catalogue)
    _check_identifiers(rows)
    _flag_duplicates(rows)
    for row in rows:
        if row.reasons:
            row.action = "rejected"
    counts = Counter(row.action for row in rows)
    return {
        "version": 1,
        "file_name": file_name,
        "format": table.description,
        "header_row": table.header_row,
        "columns": [[title, field_for_header(title)] for title in table.header if title],
        "unknown_columns": columns.unknown,
        "default_kind": default_kind,
        "user_id": getattr(user, "pk", None),
        "created_at": timezone.now().isoformat(),
        "counts": {a: counts.get(a, 0) for a in ("create", "update", "duplicate", "rejected")},
        "total": len(rows),
        "rows": [row.as_plan() for row in rows],
        "applied": None,
    }


def _community(row: Row, catalogue: Catalogue) -> None:
    if not row.community or row.municipality is None:
        return
    value = row.community
    if value.isdigit() and value in catalogue.community_codes:
        pk, municipality_id = catalogue.community_codes[value]
        if municipality_id == row.municipality.id:
            row.fields["community_id"] = pk
            return
    pk = catalogue.communities.get((row.municipality.id, _key(value)))
    if pk is None:
        row.reasons.append(
            msg("unknown_community", municipality=row.municipality.name, value=value)
        )
    else:
        row.fields["community_id"] = pk


def _match_existing(rows: list[Row]) -> None:
    """Rows naming an existing organisation (id, RFC or CLUNI) update it."""
    live = [row for row in rows if not row.reasons]
    ids = sorted({row.explicit_id for row in live if row.explicit_id})
    rfcs = sorted({row.fields["rfc"] for row in live if row.fields.get("rfc")})
    clunis = sorted({row.fields["cluni"] for row in live if row.fields.get("cluni")})
    found: dict[int, dict[str, Any]] = {}
    columns = ("pk", "name", "rfc", "cluni", "municipality_id", "merged_into_id")
    for key, values in (("pk__in", ids), ("rfc__in", rfcs), ("cluni__in", clunis)):
        for chunk in _chunks(values):
            for item in Organization.objects.filter(**{key: chunk}).values(*columns):
                found[item["pk"]] = item
    # Records merged into another stand for the one they live on in.
    pending = {i["merged_into_id"] for i in found.values() if i["merged_into_id"]} - set(found)
    while pending:
        for item in Organization.objects.filter(pk__in=pending).values(*columns):
            found[item["pk"]] = item
        pending = {i["merged_into_id"] for i in found.values() if i["merged_into_id"]} - set(found)
    by_rfc: dict[str, list[int]] = defaultdict(list)
    by_cluni: dict[str, list[int]] = defaultdict(list)
    for item in found.values():
        if item["rfc"]:
            by_rfc[item["rfc"]].append(item["pk"])
        if item["cluni"]:
            by_cluni[item["cluni"]].append(item["pk"])

    def alive(pk: int) -> int:
        seen = set()
        while found[pk]["merged_into_id"] and pk not in seen:
            seen.add(pk)
            pk = found[pk]["merged_into_id"]
        return pk

    targeted: dict[int, int] = {}
    for row in live:
        candidates: set[int] = set()
        if row.explicit_id:
            if row.explicit_id not in found:
                row.reasons.append(msg("bad_id", value=row.explicit_id))
                continue
            candidates.add(alive(row.explicit_id))
        for what, value, index in (
            (_("El RFC"), row.fields.get("rfc"), by_rfc),
            (_("La CLUNI"), row.fields.get("cluni"), by_cluni),
        ):
            hits = sorted({alive(pk) for pk in index.get(value, [])}) if value else []
            if len(hits) > 1 and not row.explicit_id:
                names = ", ".join(f"«{found[pk]['name']}» (id {pk})" for pk in hits[:5])
                row.reasons.append(msg("ambiguous_identifier", what=what, value=value, names=names))
            elif len(hits) == 1:
                candidates.add(hits[0])
        if row.reasons:
            continue
        if len(candidates) > 1:
            names = ", ".join(f"«{found[pk]['name']}» (id {pk})" for pk in sorted(candidates))
            row.reasons.append(msg("conflict", names=names))
            continue
        if not candidates:
            continue
        pk = candidates.pop()
        target = found[pk]
        if pk in targeted:
            row.reasons.append(msg("same_target", row=targeted[pk]))
            continue
        targeted[pk] = row.row
        row.action = "update"
        if row.kind_defaulted:
            del row.fields["kind"]  # the default is for new records, not to overwrite
        row.target = {
            "id": pk,
            "name": target["name"],
            "municipality_id": target["municipality_id"],
        }
        if row.explicit_id and row.explicit_id != pk:
            row.warnings.append(
                msg("merged", old=found[row.explicit_id]["name"], new=target["name"])
            )


def _check_scope(rows: list[Row], user, catalogue: Catalogue) -> None:
    """A facilitator imports into their own regions only (their review scope)."""
    if user is None or getattr(user, "is_coordinator", False):
        return
    allowed = set(user.regions.values_list("pk", flat=True))
    for row in rows:
        if row.reasons:
            continue
        places = [row.municipality.id] if row.municipality else []
        if row.target:
            places.append(row.target["municipality_id"])
        for municipality_id in places:
            municipality = catalogue.municipalities.get(municipality_id)
            if municipality is None or municipality.region_id not in allowed:
                name = municipality.name if municipality else str(municipality_id)
                row.reasons.append(msg("out_of_scope", municipality=name))
                break


def _check_identifiers(rows: list[Row]) -> None:
    """RFC, CLUNI and other identifiers appear once in a file; other identifiers
    are unique in the registry."""
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.reasons:
            continue
        keys = [
            (str(_("El RFC")), row.fields.get("rfc")),
            (str(_("La CLUNI")), row.fields.get("cluni")),
        ]
        for what, value in keys:
            if value and row.action == "create":
                if (what, value) in seen:
                    row.reasons.append(
                        msg(
                            "same_identifier_in_file",
                            what=what,
                            value=value,
                            row=seen[(what, value)],
                        )
                    )
                else:
                    seen[(what, value)] = row.row
        for scheme, value in row.identifiers:
            key = ("id:" + scheme.casefold(), value)
            if key in seen:
                row.reasons.append(
                    msg(
                        "same_identifier_in_file",
                        what=_("El identificador"),
                        value=f"{scheme}: {value}",
                        row=seen[key],
                    )
                )
            else:
                seen[key] = row.row
    wanted = sorted({value for row in rows if not row.reasons for _s, value in row.identifiers})
    owners: dict[tuple[str, str], tuple[int, str]] = {}
    for chunk in _chunks(wanted):
        existing = Identifier.objects.filter(value__in=chunk).values_list(
            "scheme", "value", "organization_id", "organization__name"
        )
        for scheme, value, pk, name in existing:
            owners[(scheme.casefold(), value)] = (pk, name)
    for row in rows:
        if row.reasons:
            continue
        fresh = []
        for scheme, value in row.identifiers:
            owner = owners.get((scheme.casefold(), value))
            if owner is None:
                fresh.append([scheme, value])
            elif not row.target or owner[0] != row.target["id"]:
                row.reasons.append(
                    msg("identifier_taken", value=f"{scheme}: {value}", name=owner[1])
                )
        row.identifiers = fresh


def _flag_duplicates(rows: list[Row]) -> None:
    """New rows that look like an existing record, or like an earlier row."""
    creating = [row for row in rows if not row.reasons and row.action == "create"]
    if not creating:
        return
    index = DuplicateIndex(Organization.objects.all())
    rows_by_place: dict[tuple[int, str], int] = {}
    for row in creating:
        municipality_id = row.municipality.id if row.municipality else None
        matches = index.find(
            name=row.name,
            municipality=municipality_id,
            rfc=row.fields.get("rfc", ""),
            cluni=row.fields.get("cluni", ""),
        )
        for match in matches:
            if match.pk is None:
                earlier = rows_by_place.get((match.municipality_id, match.name))
                if earlier and row.same_as_row is None:
                    row.same_as_row = earlier
            else:
                row.matches.append(
                    {"id": match.pk, "name": match.name, "reasons": match.reason_labels}
                )
        if row.matches or row.same_as_row:
            row.action = "duplicate"
            row.matches = row.matches[:5]
        index.add(
            name=row.name,
            municipality=municipality_id,
            rfc=row.fields.get("rfc", ""),
            cluni=row.fields.get("cluni", ""),
        )
        rows_by_place.setdefault((municipality_id, row.name), row.row)
