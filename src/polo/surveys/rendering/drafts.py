"""Writes of the web form: start a response, save a section, submit.

Kept beside the rendering because they are the web form's alone (OpenRosa and
the imports write whole instances through ``services``). Each is one
transaction; a save checks that the response has not changed since the page
was drawn (``version_of``), so that two tabs on the same response cannot
silently undo each other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from polo.surveys import services
from polo.surveys.models import Response, Round
from polo.surveys.rendering.posted import literal_default
from polo.surveys.spec import METADATA_TYPES, FormSpec
from polo.surveys.validation import AnswerProblem, compute, validate

WEB_DEVICE_ID = "polo-web"


class Conflict(Exception):
    """The response was saved elsewhere after the page was drawn."""


def version_of(response: Response) -> str:
    return response.updated_at.isoformat() if response.updated_at else ""


def _now_text() -> str:
    return timezone.localtime().isoformat(timespec="milliseconds")


def respondent_answers(
    spec: FormSpec, *, organization=None, community=None, municipality=None
) -> dict[str, str]:
    """Answers the chosen respondent already gives: the region, municipality,
    community and organisation questions (by the names ``services`` reads back),
    where the form has them and the value is one of their options."""
    from polo.surveys.services import (
        COMMUNITY_QUESTIONS,
        MUNICIPALITY_QUESTIONS,
        ORGANIZATION_QUESTIONS,
    )

    known: list[tuple[tuple[str, ...], str]] = []
    if municipality is not None:
        known.append((MUNICIPALITY_QUESTIONS, municipality.code))
        if municipality.region_id is not None:
            known.append((("region",), municipality.region.slug))
    if community is not None and community.code:
        known.append((COMMUNITY_QUESTIONS, community.code))
    if organization is not None:
        known.append((ORGANIZATION_QUESTIONS, str(organization.pk)))
    answers: dict[str, str] = {}
    for names, value in known:
        for name in names:
            node = spec.question(name)
            if node is None or node.repeat is not None or not node.is_input:
                continue
            if node.is_select and value not in {c.name for c in spec.choices_for(node)}:
                continue
            answers[name] = value
    return answers


def _metadata(spec: FormSpec, response: Response, by, *, when: str) -> dict[str, str]:
    filled: dict[str, str] = {}
    for node in spec.questions:
        if node.type not in METADATA_TYPES or node.repeat is not None:
            continue
        if when == "start":
            value = {
                "start": _now_text(),
                "today": timezone.localdate().isoformat(),
                "username": getattr(by, "email", "") or "",
                "deviceid": WEB_DEVICE_ID,
                "instanceID": response.instance_id,
            }.get(node.type)
        else:
            value = _now_text() if node.type == "end" else None
        if value:
            filled[node.name] = value
    return filled


@transaction.atomic
def response_start(
    *,
    round_: Round,
    by,
    respondent_kind: str,
    organization=None,
    community=None,
    municipality=None,
) -> Response:
    """A draft for ``round_``, on the instrument's current version, with the
    answers the respondent gives already and the form's literal defaults."""
    version = round_.campaign.instrument.current_version
    if version is None:
        raise ValueError("the instrument has no version")
    spec = version.form
    if municipality is None:
        if community is not None:
            municipality = community.municipality
        elif organization is not None:
            municipality = organization.municipality
    response = Response(
        round=round_,
        form_version=version,
        respondent_kind=respondent_kind,
        organization=organization,
        community=community,
        municipality=municipality,
        source=Response.Source.WEB,
        submitted_by=by,
    )
    data: dict[str, Any] = {}
    for node in spec.questions:
        if node.repeat is None and literal_default(node):
            data[node.name] = literal_default(node)
    data.update(
        respondent_answers(
            spec, organization=organization, community=community, municipality=municipality
        )
    )
    data.update(_metadata(spec, response, by, when="start"))
    response.data = compute(spec, data)
    response._change_reason = "web: iniciada"
    response.save()
    return response


def _locked(response: Response, expected_version: str) -> Response:
    locked = (
        Response.objects.select_for_update(of=("self",))
        .select_related("form_version", "municipality", "organization", "community")
        .get(pk=response.pk)
    )
    if version_of(locked) != expected_version:
        raise Conflict
    return locked


@transaction.atomic
def response_save(
    *,
    response: Response,
    data: dict[str, Any],
    current_section: int,
    expected_version: str,
    by,
) -> Response:
    """Keep a section's answers (``data`` as ``validation.compute`` left it).
    A draft is kept whatever it holds; a response already submitted is being
    edited, so its respondent and aggregate rows are brought up to date too.
    Either way simple-history keeps the version before."""
    locked = _locked(response, expected_version)
    locked.data = data
    locked.current_section = current_section
    if locked.is_draft:
        locked._change_reason = "web: borrador"
        locked.save()
        return locked
    services.response_link_respondent(locked)
    locked._change_reason = f"web: editada por {getattr(by, 'email', '')}"[:100]
    locked.save()
    services.response_store_answers(locked)
    return locked


@transaction.atomic
def response_submit(
    *,
    response: Response,
    by,
    expected_version: str,
    language: str | None = None,
    today: dt.date | None = None,
) -> tuple[Response, list[AnswerProblem]]:
    """Check every answer and, when all pass, send the response: status
    submitted, its respondent read from the answers, its aggregate rows built.
    Returns the problems when it does not pass (nothing is changed then)."""
    locked = _locked(response, expected_version)
    spec = locked.form_version.form
    data = compute(spec, locked.data, today=today)
    problems = validate(spec, data, language=language, today=today)
    if problems:
        return locked, problems
    data.update(_metadata(spec, locked, by, when="end"))
    locked.data = data
    locked.status = Response.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    services.response_link_respondent(locked)
    locked._change_reason = "web: enviada"
    locked.save()
    services.response_store_answers(locked, spec=spec)
    return locked, []
