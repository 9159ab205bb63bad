"""What the editing tests share: form data as a browser posts it, small images,
and a few ready-made records. Plain functions (no fixtures) to avoid clashing
with other helpers' conftest files."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from polo.directory.models import ContactPoint, Organization, Theme
from tests import factories as f


def theme() -> Theme:
    # The migration's themes are there; any one will do.
    return Theme.objects.order_by("slug").first() or f.ThemeFactory()


def profile_data(
    *,
    organization: Organization | None = None,
    contacts: list[tuple[str, str, bool]] | None = None,
    identifiers: list[tuple[str, str]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """The POST of the profile form: the organisation's values (or sensible new
    ones), the two formsets' management forms and rows, and any overrides."""
    if organization is not None:
        base = {
            "name": organization.name,
            "acronym": organization.acronym,
            "kind": organization.kind,
            "legal_form": organization.legal_form,
            "description": organization.description,
            "description_en": organization.description_en,
            "rfc": organization.rfc,
            "cluni": organization.cluni,
            "founded_year": organization.founded_year or "",
            "size_band": organization.size_band,
            "municipality": organization.municipality_id,
            "community": organization.community.name if organization.community else "",
            "latitude": organization.latitude or "",
            "longitude": organization.longitude or "",
            "themes": list(organization.themes.values_list("pk", flat=True)) or [theme().pk],
            "populations": list(organization.populations.values_list("pk", flat=True)),
            "languages": list(organization.languages.values_list("pk", flat=True)),
            "coverage_regions": list(organization.coverage_regions.values_list("pk", flat=True)),
            "coverage_municipalities": "\n".join(
                organization.coverage_municipalities.values_list("code", flat=True)
            ),
        }
        if contacts is None:
            contacts = [(c.kind, c.value, c.is_public) for c in organization.contacts.all()]
        if identifiers is None:
            identifiers = [(i.scheme, i.value) for i in organization.identifiers.all()]
    else:
        base = {
            "name": "Colectivo Nueva Esperanza",
            "acronym": "",
            "kind": Organization.Kind.COLLECTIVE,
            "legal_form": "",
            "description": "Acompañamos a jóvenes de la colonia.",
            "description_en": "",
            "rfc": "",
            "cluni": "",
            "founded_year": 2015,
            "size_band": "",
            "community": "",
            "latitude": "",
            "longitude": "",
            "themes": [theme().pk],
            "coverage_municipalities": "",
        }
    data = {**base, **fields}
    data = {key: value for key, value in data.items() if value is not None}
    data.update(formset("contactos", [
        {"kind": kind, "value": value, **({"is_public": "on"} if public else {})}
        for kind, value, public in (contacts or [])
    ]))  # fmt: skip
    data.update(
        formset(
            "identificadores",
            [{"scheme": scheme, "value": value} for scheme, value in (identifiers or [])],
        )
    )
    return data


def formset(prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def image_file(
    name: str = "logo.png", *, size: tuple[int, int] = (64, 64), image_format: str = "PNG"
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 95, 86)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def contact(organization: Organization, kind: str, value: str, *, public: bool) -> ContactPoint:
    return ContactPoint.objects.create(
        organization=organization, kind=kind, value=value, is_public=public
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []
