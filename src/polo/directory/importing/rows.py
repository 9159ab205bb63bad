"""One row at a time: the reader that turns cells into clean values, or into
reasons to reject the row, in words."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polo.directory.importing import common
from polo.directory.importing.catalogue import Catalogue, _Choices, _Municipality
from polo.directory.importing.common import (
    MAX_DESCRIPTION,
    PROGRESS_STEP,
    Progress,
    _token,
    msg,
)
from polo.directory.importing.reading import CONTACT_FIELDS, Columns, Table, cell_text
from polo.directory.models import CLUNI_RE, RFC_RE, Organization

LIST_SEPARATOR = re.compile(r"\s*[;,|\n]\s*")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MEXICO_LATITUDE = (14.0, 33.0)
MEXICO_LONGITUDE = (-118.7, -86.5)
_URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)

# ---- one row ---------------------------------------------------------------------------


def _choice_words() -> dict[str, dict[str, str]]:
    kind = Organization.Kind
    legal = Organization.LegalForm
    words = {
        "kind": {
            kind.CSO: "osc ong ngo cso ac asociacioncivil organizacioncivil sociedadcivil iap "
            "fundacion organizaciondelasociedadcivil civilsocietyorganization nonprofit",
            kind.COLLECTIVE: "colectivo grupo colectivoogrupo grupoinformal collective group "
            "informalgroup",
            kind.ACADEMIC: "universidad institucionacademica academica academia academic "
            "university academicinstitution centrodeinvestigacion instituto",
            kind.NETWORK: "red redes network coalicion",
            kind.LOCAL_AUTHORITY: "autoridadlocal ayuntamiento gobiernomunicipal "
            "presidenciamunicipal localauthority localgovernment al",
            kind.COMMUNITY: "organizacioncomunitaria comunitaria comunidad community "
            "communityorganization asamblea asambleacomunitaria",
            kind.PUBLIC_BODY: "organismopublico otroorganismopublico dependencia gobierno "
            "dependenciadegobierno publicbody governmentagency",
        },
        "legal_form": {
            legal.AC: "ac asociacioncivil",
            legal.IAP: "iap instituciondeasistenciaprivada",
            legal.SC: "sc sociedadcivil",
            legal.COOPERATIVE: "cooperativa sociedadcooperativa scdrl scderl sccdrl cooperative",
            legal.PUBLIC: "publica entidadpublica gobierno public",
            legal.NONE: "ninguna sinfigura sinfigurajuridica informal none no",
            legal.OTHER: "otra other",
        },
    }
    lookups: dict[str, dict[str, str]] = {}
    for name, mapping in words.items():
        lookup: dict[str, str] = {}
        for value, synonyms in mapping.items():
            for word in synonyms.split():
                lookup[word] = value
        lookups[name] = lookup
    for name, choices in (
        ("kind", kind.choices),
        ("legal_form", legal.choices),
        ("size_band", Organization.SizeBand.choices),
    ):
        lookup = lookups.setdefault(name, {})
        for value, label in choices:
            lookup.setdefault(_token(value), value)
            lookup.setdefault(_token(str(label)), value)
    return lookups


_CHOICES: dict[str, dict[str, str]] | None = None
_TRUE = {"si", "s", "yes", "y", "true", "verdadero", "1", "x", "publico", "public", "visible"}
_FALSE = {"no", "n", "false", "falso", "0", "privado", "private", "oculto"}
_email = EmailValidator()
_url = URLValidator(schemes=["http", "https"])


@dataclass
class Row:
    """One data row: what it says, and what Polo will do with it."""

    row: int
    name: str = ""
    place: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    m2m: dict[str, list[int]] = field(default_factory=dict)
    contacts: list[list[Any]] = field(default_factory=list)  # [kind, value, is_public|None]
    identifiers: list[list[str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    action: str = "create"
    target: dict[str, Any] | None = None
    matches: list[dict[str, Any]] = field(default_factory=list)
    same_as_row: int | None = None
    explicit_id: int | None = None
    kind_defaulted: bool = False
    municipality: _Municipality | None = None
    community: str = ""

    def as_plan(self) -> dict[str, Any]:
        plan: dict[str, Any] = {
            "row": self.row,
            "action": self.action,
            "name": self.name,
            "place": self.place,
            "reasons": self.reasons,
            "warnings": self.warnings,
            "target": self.target,
            "matches": self.matches,
            "same_as_row": self.same_as_row,
        }
        if self.action != "rejected":
            plan["data"] = {
                "fields": self.fields,
                "m2m": self.m2m,
                "contacts": self.contacts,
                "identifiers": self.identifiers,
            }
        return plan


class RowReader:
    """Turns the cells of one row into clean values, or reasons to reject it."""

    def __init__(self, columns: Columns, catalogue: Catalogue, default_kind: str = "") -> None:
        global _CHOICES
        if _CHOICES is None:
            _CHOICES = _choice_words()
        self.choices = _CHOICES
        self.columns = columns
        self.catalogue = catalogue
        self.default_kind = default_kind
        self.this_year = timezone.localdate().year

    def read(self, number: int, values: list[Any]) -> Row | None:
        cells = {
            name: values[index] if index < len(values) else None
            for name, index in self.columns.fields.items()
        }
        if not any(cell_text(value) for value in values):
            return None  # an empty row, as spreadsheets have
        row = Row(row=number)
        self.row, self.cells, self._raw = row, cells, values
        text = self.text
        row.name = text("name", 255)
        if not row.name and not row.reasons:
            row.reasons.append(msg("no_name"))
        for name, limit in (("acronym", 40),):
            if value := text(name, limit):
                row.fields[name] = value
        row.fields["name"] = row.name
        for name in ("description", "description_en"):
            if value := text(name, MAX_DESCRIPTION, multiline=True):
                row.fields[name] = value
        self._identifier_column(row)
        self._kind(row)
        self._choice("legal_form", "bad_legal_form", Organization.LegalForm)
        self._size(row)
        self._year(row)
        self._place(row)
        self._coordinates(row)
        for name, choices, what in (
            ("themes", self.catalogue.themes, _("Tema")),
            ("populations", self.catalogue.populations, _("Población")),
            ("languages", self.catalogue.languages, _("Lengua")),
            ("coverage_regions", self.catalogue.regions, _("Región")),
        ):
            self._many(row, name, choices, what)
        self._coverage_municipalities(row)
        self._contacts(row)
        if value := text("id", 20):
            if value.isdigit():
                row.explicit_id = int(value)
            else:
                row.reasons.append(msg("bad_id", value=value))
        return row

    def label(self, name: str) -> str:
        return self.columns.labels.get(name, name)

    def text(self, name: str, limit: int, *, multiline: bool = False) -> str:
        value = cell_text(self.cells.get(name))
        if not value:
            return ""
        if not multiline:
            value = value.replace("\n", " ").replace("\t", " ")
        bad = CONTROL_CHARS.search(value)
        if bad:
            char = f"U+{ord(bad.group()):04X}"
            self.row.reasons.append(msg("control", column=self.label(name), char=char))
            return ""
        if not multiline:
            value = " ".join(value.split())
        if len(value) > limit:
            self.row.reasons.append(
                msg(
                    "too_long",
                    column=self.label(name),
                    length=f"{len(value):,}",
                    limit=f"{limit:,}",
                )
            )
            return ""
        return value

    def _identifier_column(self, row: Row) -> None:
        for name, pattern, key in (("rfc", RFC_RE, "bad_rfc"), ("cluni", CLUNI_RE, "bad_cluni")):
            raw = self.text(name, 40)
            value = re.sub(r"[\s.\-_/]", "", raw).upper()
            if not value:
                continue
            if pattern.match(value):
                row.fields[name] = value
            else:
                row.reasons.append(msg(key, value=raw))
        raw = self.text("identifiers", 1000)
        for part in filter(None, (p.strip() for p in raw.split(";"))):
            scheme, _sep, value = part.partition(":")
            scheme, value = " ".join(scheme.split()), value.strip()
            if not _sep or not scheme or not value or len(scheme) > 40 or len(value) > 120:
                row.reasons.append(msg("bad_identifier", value=part))
            else:
                row.identifiers.append([scheme, value])

    def _kind(self, row: Row) -> None:
        raw = self.text("kind", 80)
        if not raw:
            if self.default_kind:
                row.fields["kind"] = self.default_kind
                row.kind_defaulted = True
            else:
                row.reasons.append(msg("no_kind"))
            return
        token = _token(raw)
        kind = self.choices["kind"].get(token)
        if kind is None:
            labels = ", ".join(str(label) for _v, label in Organization.Kind.choices)
            row.reasons.append(msg("bad_kind", value=raw, choices=labels))
            return
        row.fields["kind"] = kind
        # "A.C." or "I.A.P." in the kind column also says the legal form.
        implied = self.choices["legal_form"].get(token)
        if implied in ("ac", "iap"):
            row.fields.setdefault("legal_form", implied)

    def _choice(self, name: str, key: str, choices) -> None:
        raw = self.text(name, 120)
        if not raw:
            return
        value = self.choices[name].get(_token(raw))
        if value is None:
            labels = ", ".join(str(label) for _v, label in choices.choices)
            self.row.reasons.append(msg(key, value=raw, choices=labels))
        else:
            self.row.fields[name] = value

    def _size(self, row: Row) -> None:
        raw = self.text("size_band", 60)
        if not raw:
            return
        if raw.isdigit():
            people = int(raw)
            bands = [(5, "1-5"), (15, "6-15"), (50, "16-50")]
            row.fields["size_band"] = next((band for top, band in bands if people <= top), "51+")
            return
        value = self.choices["size_band"].get(_token(raw))
        if value is None:
            labels = ", ".join(str(label) for _v, label in Organization.SizeBand.choices)
            row.reasons.append(msg("bad_size", value=raw, choices=labels))
        else:
            row.fields["size_band"] = value

    def _year(self, row: Row) -> None:
        raw = self.cells.get("founded_year")
        if raw is None or cell_text(raw) == "":
            return
        year: int | None = None
        if isinstance(raw, dt.date | dt.datetime):
            year = raw.year
        else:
            text = cell_text(raw)
            number = text.replace(",", ".")
            try:
                value = float(number)
            except ValueError:
                found = re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text)
                year = int(found[0]) if len(found) == 1 else None
            else:
                if value.is_integer() and 1800 <= value <= self.this_year:
                    year = int(value)
                elif 2100 < value < 2_958_466:
                    # An Excel serial date (days since 1899-12-30) that lost its format.
                    year = (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).year
        if year is None or not 1800 <= year <= self.this_year:
            row.reasons.append(msg("bad_year", value=cell_text(raw)[:40], max=self.this_year))
        else:
            row.fields["founded_year"] = year

    def _place(self, row: Row) -> None:
        catalogue = self.catalogue
        state_text = self.text("state", 80)
        state_id = catalogue.state(state_text) if state_text else None
        if state_text and state_id is None:
            row.reasons.append(msg("unknown_state", value=state_text))
            return
        value = self.text("municipality_code", 20) or self.text("municipality", 160)
        if not value:
            row.reasons.append(msg("no_municipality"))
            return
        municipality, reason = catalogue.municipality(value, state_id)
        if municipality is None:
            row.reasons.append(reason)
            return
        row.municipality = municipality
        row.fields["municipality_id"] = municipality.id
        state = catalogue.states[municipality.state_id]
        row.place = f"{municipality.name}, {state.abbreviation or state.name}"
        row.community = self.text("community", 160)

    def _coordinates(self, row: Row) -> None:
        raw_lat, raw_lon = self.text("latitude", 40), self.text("longitude", 40)
        if not raw_lat and not raw_lon:
            return
        if not raw_lat or not raw_lon:
            row.reasons.append(msg("coordinates_pair"))
            return
        numbers = []
        for name, raw in (("latitude", raw_lat), ("longitude", raw_lon)):
            cleaned = raw.replace("°", "").replace(" ", "")
            if "," in cleaned and "." not in cleaned:
                cleaned = cleaned.replace(",", ".")
            try:
                number = Decimal(cleaned).quantize(Decimal("0.000001"))
            except InvalidOperation:
                row.reasons.append(msg("bad_number", column=self.label(name), value=raw))
                return
            if not number.is_finite():
                row.reasons.append(msg("bad_number", column=self.label(name), value=raw))
                return
            numbers.append(number)
        lat, lon = numbers
        inside = MEXICO_LATITUDE[0] <= lat <= MEXICO_LATITUDE[1] and (
            MEXICO_LONGITUDE[0] <= lon <= MEXICO_LONGITUDE[1]
        )
        if not inside:
            swapped = MEXICO_LATITUDE[0] <= lon <= MEXICO_LATITUDE[1] and (
                MEXICO_LONGITUDE[0] <= lat <= MEXICO_LONGITUDE[1]
            )
            key = "coordinates_swapped" if swapped else "coordinates_range"
            row.reasons.append(msg(key, lat=raw_lat, lon=raw_lon))
            return
        row.fields["latitude"], row.fields["longitude"] = str(lat), str(lon)

    def _many(self, row: Row, name: str, choices: _Choices, what) -> None:
        raw = self.text(name, 2000)
        ids: list[int] = []
        for part in filter(None, LIST_SEPARATOR.split(raw)):
            pk = choices.get(part)
            if pk is None:
                reason = msg("unknown_item", what=what, value=part)
                close = choices.suggest(part)
                if close:
                    reason += " " + msg(
                        "did_you_mean", options=f" {_('o')} ".join(f"«{c}»" for c in close)
                    )
                row.reasons.append(reason)
            elif pk not in ids:
                ids.append(pk)
        if ids:
            row.m2m[name] = ids

    def _coverage_municipalities(self, row: Row) -> None:
        raw = self.text("coverage_municipalities", 5000)
        state_id = row.municipality.state_id if row.municipality else None
        ids: list[int] = []
        for part in filter(None, re.split(r"\s*[;|\n]\s*", raw)):
            found, reason = self.catalogue.municipality(part, None if part.isdigit() else state_id)
            if found is None:
                row.reasons.append(reason)
            elif found.id not in ids:
                ids.append(found.id)
        if ids:
            row.m2m["coverage_municipalities"] = ids

    def _contacts(self, row: Row) -> None:
        for kind in CONTACT_FIELDS:
            raw = self.text(kind, 2000, multiline=kind == "address")
            if not raw:
                continue
            public = self._public(kind)
            if kind == "address":
                values = [raw]
            elif kind == "email":
                values = [v for v in re.split(r"[;,\s]+", raw) if v]
            else:
                values = [v for v in re.split(r"\s*;\s*", raw) if v]
            for value in values:
                if (checked := self._contact(kind, value)) is not None:
                    row.contacts.append([kind, checked, public])

    def _public(self, kind: str) -> bool | None:
        index = self.columns.public.get(kind)
        if index is None:
            return None
        raw = cell_text(self._values_at(index))
        if not raw:
            return None
        token = _token(raw)
        if token in _TRUE:
            return True
        if token in _FALSE:
            return False
        self.row.reasons.append(msg("bad_public", column=self.label("public:" + kind), value=raw))
        return None

    def _values_at(self, index: int) -> Any:
        return self._raw[index] if index < len(self._raw) else None

    def _contact(self, kind: str, value: str) -> str | None:
        row = self.row
        if len(value) > 500:
            row.reasons.append(
                msg("too_long", column=self.label(kind), length=len(value), limit=500)
            )
            return None
        if kind == "email":
            try:
                _email(value)
            except ValidationError:
                row.reasons.append(msg("bad_email", value=value))
                return None
            return value
        if kind in ("phone", "whatsapp"):
            if sum(c.isdigit() for c in value) < 7 or len(value) > 40:
                row.reasons.append(msg("bad_phone", value=value))
                return None
            return value
        if kind == "website" or (kind != "address" and _URL_SCHEME.match(value)):
            url = value if _URL_SCHEME.match(value) else "https://" + value
            try:
                _url(url)
            except ValidationError:
                row.reasons.append(msg("bad_url", value=value))
                return None
            return url
        return value


def read_rows(table: Table, columns: Columns, reader: RowReader, progress: Progress | None):
    count = 0
    for number, values in table.rows:
        row = reader.read(number, values)
        if row is None:
            continue
        count += 1
        if count > common.MAX_ROWS:  # read at call time: tests lower it
            raise common.ImportFileError(msg("too_many_rows", limit=f"{common.MAX_ROWS:,}"))
        if progress and count % PROGRESS_STEP == 0:
            progress.advance(PROGRESS_STEP)
        yield row
