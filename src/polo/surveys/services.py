"""Writes of the surveys module: instruments, their versions, responses."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from polo.surveys.models import Answer, FormVersion, Instrument, Response
from polo.surveys.spec import FormSpec
from polo.surveys.xlsform import ConvertedForm, convert_xlsform


class VersionConflict(ValueError):
    """An upload whose version string is already taken by another version."""


# Slugs that name pages beside an instrument's own (instrumentos/subir/).
RESERVED_SLUGS = {"subir"}


def _unique_slug(base: str) -> str:
    slug = slugify(base)[:50] or "instrumento"
    candidate, n = slug, 2
    while candidate in RESERVED_SLUGS or Instrument.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


@transaction.atomic
def form_version_create(
    *,
    data: bytes,
    filename: str,
    by,
    instrument: Instrument | None = None,
    kind: str = Instrument.Kind.SURVEY,
    converted: ConvertedForm | None = None,
) -> FormVersion:
    """Convert an XLSForm and keep it as the next version of an instrument (a
    new instrument when none is given). Raises XLSFormError with the problems
    to fix, or VersionConflict; nothing is saved then."""
    converted = converted or convert_xlsform(data)
    spec = converted.spec
    if instrument is None:
        instrument = Instrument.objects.create(
            slug=_unique_slug(spec.form_id or spec.title),
            title=spec.title or spec.form_id,
            kind=kind,
            created_by=by,
        )
    else:
        instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    number = (instrument.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    if not spec.version:
        spec.version = f"{timezone.localdate():%Y%m%d}{number:02d}"
    if instrument.versions.filter(version=spec.version).exists():
        raise VersionConflict(spec.version)
    version = FormVersion(
        instrument=instrument,
        number=number,
        version=spec.version,
        form_id=spec.form_id,
        title=spec.title or instrument.title,
        xform=_xform_with_version(converted.xform, spec.version),
        spec=spec.to_json(),
        languages=spec.languages,
        default_language=spec.default_language,
        warnings=converted.warnings,
        created_by=by,
    )
    version.xform_md5 = ConvertedForm(spec=spec, xform=version.xform).xform_md5
    version.xlsform.save(filename or f"{instrument.slug}.xlsx", ContentFile(data), save=False)
    version.save()
    return version


def _xform_with_version(xform: str, version: str) -> str:
    """pyxform writes the settings sheet's version; a form without one gets
    Polo's, so that submissions say which version they answered."""
    if ' version="' in xform.split("</instance>", 1)[0]:
        return xform
    marker = '<data id="'
    head, sep, tail = xform.partition(marker)
    if not sep:
        return xform
    form_id, quote, rest = tail.partition('"')
    return f'{head}{marker}{form_id}{quote} version="{version}"{rest}'


# --- Answers for aggregates -------------------------------------------------------


def _number(value: str) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


AnswerRow = tuple[str, int, str, float | None]


def answer_rows(spec: FormSpec, data: dict[str, Any]) -> Iterator[AnswerRow]:
    """(name, repeat row, value, number) for every answered question of `data`:
    one per chosen option of a multiple choice, nothing for unanswered ones."""
    for node in spec.questions:
        if node.repeat is None:
            yield from _values(node, data.get(node.name), 0)
        else:
            rows = data.get(node.repeat) or []
            for position, row in enumerate(rows if isinstance(rows, list) else [], start=1):
                if isinstance(row, dict):
                    yield from _values(node, row.get(node.name), position)


def _values(node, value: Any, row: int) -> Iterator[AnswerRow]:
    if value in (None, ""):
        return
    text = str(value)
    if node.type == "select_multiple":
        for choice in text.split():
            yield node.name, row, choice, None
    else:
        yield node.name, row, text, _number(text)


@transaction.atomic
def response_review(*, response: Response, status: str, comment: str, by) -> Response:
    """A facilitator's verdict: a rejected response leaves the aggregates, an
    approved or held one stays in them."""
    response.review(status=status, comment=comment, by=by)
    response_store_answers(response)
    return response


def response_store_answers(response: Response, *, spec: FormSpec | None = None) -> int:
    """Rebuild the aggregate rows of one response from its data."""
    spec = spec or response.form_version.form
    Answer.objects.filter(response=response).delete()
    if response.status in {Response.Status.DRAFT, Response.Status.REJECTED}:
        return 0
    answers = [
        Answer(
            response=response,
            round_id=response.round_id,
            municipality_id=response.municipality_id,
            name=name,
            row=row,
            value=value,
            number=number,
        )
        for name, row, value, number in answer_rows(spec, response.data)
    ]
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(answers)


# --- The respondent --------------------------------------------------------------

# Questions that tie a response to the territory and the directory, by name.
MUNICIPALITY_QUESTIONS = ("municipio", "municipality")
COMMUNITY_QUESTIONS = ("comunidad", "community")
ORGANIZATION_QUESTIONS = ("organizacion", "organization")


def _first(data: dict[str, Any], names: tuple[str, ...]) -> str:
    for name in names:
        value = data.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def response_link_respondent(response: Response) -> None:
    """Fill the response's municipality, community and organisation from the
    answers that name them (an INEGI municipality key, an INEGI locality key, a
    directory id), keeping what is already set when an answer says nothing.
    Does not save."""
    from polo.directory.models import Organization
    from polo.territory.models import Community, Municipality

    data = response.data or {}
    organization_id = _first(data, ORGANIZATION_QUESTIONS)
    if organization_id.isdigit():
        organization = Organization.objects.filter(pk=int(organization_id)).first()
        if organization is not None:
            response.organization = organization
    community_code = _first(data, COMMUNITY_QUESTIONS)
    if community_code:
        community = Community.objects.filter(code=community_code).first()
        if community is not None:
            response.community = community
    municipality_code = _first(data, MUNICIPALITY_QUESTIONS)
    if municipality_code:
        municipality = Municipality.objects.filter(code=municipality_code).first()
        if municipality is not None:
            response.municipality = municipality
    if response.municipality_id is None:
        if response.community_id is not None:
            response.municipality_id = response.community.municipality_id
        elif response.organization_id is not None:
            response.municipality_id = response.organization.municipality_id
