"""Helpers shared by the views: the objects a person may act on, errors on forms."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.http import urlencode

from polo.qualitative.models import Code, FocusGroup, Passage
from polo.territory.models import Region

GET_POST = ["GET", "HEAD", "POST"]


def focus_group_for(request: HttpRequest, pk: int, perm: str) -> FocusGroup:
    """The session, if this person may see it (else 404) and do ``perm`` (else 403)."""
    focus_group = get_object_or_404(
        FocusGroup.objects.select_related(
            "municipality__region", "municipality__state", "community", "facilitator", "round"
        ),
        pk=pk,
    )
    if not request.user.has_perm("qualitative.view_focus_group", focus_group):
        raise Http404
    if not request.user.has_perm(perm, focus_group):
        raise PermissionDenied
    return focus_group


def passage_for(request: HttpRequest, pk: int, perm: str = "qualitative.change_passage") -> Passage:
    """The passage, if this person may code its source (else 404) and do ``perm``."""
    passage = get_object_or_404(
        Passage.objects.select_related(
            "focus_group__municipality__region",
            "focus_group__community",
            "response__municipality__region",
            "response__community",
            "response__form_version",
            "response__round__campaign",
        ),
        pk=pk,
    )
    if not request.user.has_perm("qualitative.change_passage", passage):
        raise Http404
    if not request.user.has_perm(perm, passage):
        raise PermissionDenied
    return passage


def code_for(slug: str) -> Code:
    return get_object_or_404(Code.objects.select_related("parent"), slug=slug)


def form_errors(form, error: ValidationError) -> None:
    """A service's refusal, shown on the form (on the field it names, if any)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def posted_pk(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def passage_filters(request: HttpRequest, passages: QuerySet[Passage]):
    params = request.GET
    chosen = {
        "tema": params.get("tema", ""),
        "region": params.get("region", ""),
        "publicadas": params.get("publicadas", "") == "si",
        "cambiadas": params.get("cambiadas", "") == "si",
    }
    if chosen["tema"]:
        passages = passages.filter(codings__code__slug=chosen["tema"])
    if chosen["region"]:
        passages = passages.with_region().filter(
            source_region_id__in=Region.objects.filter(slug=chosen["region"]).values("pk")
        )
    if chosen["publicadas"]:
        passages = passages.filter(is_published=True)
    if chosen["cambiadas"]:
        passages = passages.filter(is_stale=True)
    query = urlencode(
        [
            (key, "si" if value is True else value)
            for key, value in chosen.items()
            if value not in ("", False)
        ]
    )
    return passages.distinct(), chosen, query
