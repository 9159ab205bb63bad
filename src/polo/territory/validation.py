"""Checks shared by the records placed in a region or a municipality (an agenda,
a consultation): one of the two is required, and both, when given, agree."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def check_region_or_municipality(record, *, missing: str) -> None:
    """Raise ValidationError unless ``record`` (with ``region`` and
    ``municipality`` foreign keys) has one of them, and the municipality lies
    in the region when both are set. ``missing`` is the message for neither."""
    if record.region_id is None and record.municipality_id is None:
        raise ValidationError(missing)
    if (
        record.region_id
        and record.municipality_id
        and record.municipality.region_id != record.region_id
    ):
        raise ValidationError({"municipality": _("El municipio no pertenece a la región elegida.")})
