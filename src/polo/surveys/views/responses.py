"""Responses as the programme's staff read and review them: the list of a
campaign's responses with its filters, one response with its answers, its
attachments, its history and its review, and the attachments themselves.

Who sees a response is ``surveys.view_response`` (lists go through
``selectors.responses_visible_to``, which answers the same question for many
rows): a response the person may not see is a 404 wherever they ask for it
(list, page or attachment), so its existence is not given away. Attachments
are served here, after that check, never from the public media.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from polo.audit.selectors import find_tracked, record_history
from polo.surveys import forms, selectors, services
from polo.surveys.models import Attachment, Campaign, Response
from polo.surveys.spec import METADATA_TYPES, FormSpec, Node
from polo.territory.models import Municipality

PER_PAGE = 50
# Images a browser may show inline; anything else is downloaded, so that an
# uploaded page or script never runs on Polo's origin.
INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
ACKNOWLEDGED = "OK"


# --- helpers -----------------------------------------------------------------------


def _response(request: HttpRequest, pk: int, perm: str = "surveys.view_response") -> Response:
    """The response, if this person may see it (else 404) and do ``perm`` (else 403)."""
    response = get_object_or_404(
        Response.objects.select_related(
            "round__campaign__instrument",
            "form_version",
            "organization",
            "community",
            "municipality__region",
            "municipality__state",
            "submitted_by",
            "reviewed_by",
        ),
        pk=pk,
    )
    if not request.user.has_perm("surveys.view_response", response):
        raise Http404
    if perm != "surveys.view_response" and not request.user.has_perm(perm, response):
        raise PermissionDenied
    return response


def _campaign(request: HttpRequest, slug: str) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("instrument"), slug=slug)
    if not request.user.has_perm("surveys.view_campaign", campaign):
        raise Http404
    return campaign


def edit_url(response: Response) -> str:
    """The collection form, in edit mode, at the first section; '' while the
    collection views are not there."""
    try:
        return reverse("surveys:collect_section", args=[response.pk, 0])
    except NoReverseMatch:
        return ""


# --- the list ----------------------------------------------------------------------


@require_safe
@login_required
def response_list(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    visible = selectors.responses_visible_to(
        request.user, Response.objects.filter(round__campaign=campaign)
    )
    municipalities = Municipality.objects.filter(
        pk__in=visible.exclude(municipality=None).values("municipality")
    ).order_by("name")
    filters = forms.ResponseFilterForm(
        request.GET, campaign=campaign, municipalities=municipalities
    )
    responses = (
        filters.filter(visible)
        .select_related(
            "round",
            "organization",
            "community",
            "municipality__region",
            "submitted_by",
        )
        .order_by("-started_at", "-pk")
    )
    page = Paginator(responses, PER_PAGE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "surveys/responses/response_list.html",
        {
            "campaign": campaign,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(filters.filters()),
        },
    )


# --- one response ------------------------------------------------------------------


@dataclass
class Shown:
    """One answer as a person reads it."""

    name: str
    label: str
    value: Any = None  # text, a date, or None when unanswered
    attachment: Attachment | None = None
    kind: str = "answer"


@dataclass
class ShownHeading:
    label: str
    depth: int
    kind: str = "heading"


@dataclass
class ShownAnswers:
    """A run of answers, shown as one definition list."""

    items: list[Shown] = field(default_factory=list)
    kind: str = "answers"


@dataclass
class ShownRepeat:
    name: str
    label: str
    columns: list[str]
    rows: list[list[Shown]]
    heading: bool = True  # False when the section is this repeat
    kind: str = "repeat"


@dataclass
class ShownSection:
    title: str
    blocks: list[Any] = field(default_factory=list)

    def add(self, answer: Shown) -> None:
        if not self.blocks or self.blocks[-1].kind != "answers":
            self.blocks.append(ShownAnswers())
        self.blocks[-1].items.append(answer)


def node_label(spec: FormSpec, node: Node, language: str | None) -> str:
    return spec.text(node.label, language) or node.name


def display_value(spec: FormSpec, node: Node, value: Any, language: str | None) -> Any:
    """An answer as XForms stores it, as a person reads it: option labels,
    dates the template localizes, a map point as coordinates."""
    if value in (None, "", []):
        return None
    if isinstance(value, list):  # a nested repeat
        return _("%(n)s filas") % {"n": len(value)}
    text = str(value)
    if node.type == "select_one":
        return spec.choice_label(node, text, language)
    if node.type == "select_multiple":
        return ", ".join(spec.choice_label(node, choice, language) for choice in text.split())
    if node.type == "acknowledge":
        return _("Aceptado") if text == ACKNOWLEDGED else text
    if node.type == "geopoint":
        parts = text.split()
        if len(parts) >= 2:
            shown = _("latitud %(lat)s, longitud %(lon)s") % {"lat": parts[0], "lon": parts[1]}
            if len(parts) >= 4:
                shown += " " + _("(precisión %(acc)s m)") % {"acc": parts[3]}
            return shown
        return text
    if node.type == "date":
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return text
    return text


def _questions_in(node: Node) -> list[Node]:
    """The columns of a repeat: its questions (in nested groups too) and nested
    repeats, not the questions of those."""
    found: list[Node] = []
    for child in node.children:
        if child.kind == "group":
            found += _questions_in(child)
        elif child.kind == "repeat" or child.stores_value:
            found.append(child)
    return found


def answer_sections(
    spec: FormSpec, data: dict[str, Any], language: str | None, attachments: dict[str, Attachment]
) -> list[ShownSection]:
    def shown(node: Node, value: Any) -> Shown:
        attachment = attachments.get(str(value)) if node.type in {"image", "file"} else None
        return Shown(
            node.name,
            node_label(spec, node, language),
            display_value(spec, node, value, language),
            attachment,
        )

    def add(node: Node, depth: int, section: ShownSection, name: str) -> None:
        if node.name == "meta" or node.type in METADATA_TYPES:
            return
        if node.kind == "group":
            if node.name != name:  # the section's own group is its title
                section.blocks.append(ShownHeading(node_label(spec, node, language), depth))
            for child in node.children:
                add(child, depth + 1, section, name)
        elif node.kind == "repeat":
            columns = _questions_in(node)
            rows = data.get(node.name)
            rows = [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []
            section.blocks.append(
                ShownRepeat(
                    node.name,
                    node_label(spec, node, language),
                    [node_label(spec, column, language) for column in columns],
                    [[shown(column, row.get(column.name)) for column in columns] for row in rows],
                    heading=node.name != name,
                )
            )
        elif node.stores_value:
            section.add(shown(node, data.get(node.name)))

    sections = []
    for section in spec.sections:
        shown_section = ShownSection(spec.text(section.label, language) or section.name)
        for node in section.nodes:
            add(node, 0, shown_section, section.name)
        if shown_section.blocks:
            sections.append(shown_section)
    return sections


@dataclass
class Change:
    field: str
    old: Any
    new: Any


def data_changes(
    spec: FormSpec, old: dict[str, Any] | None, new: dict[str, Any] | None, language: str | None
) -> list[Change]:
    """What changed between two versions of a response's answers, question by
    question (repeats row by row), labelled in the person's language."""
    old, new = old or {}, new or {}
    changes: list[Change] = []
    repeats = {node.name: node for node in spec.repeats}
    known = set(spec.nodes)
    for node in spec.questions:
        if node.repeat is not None:
            continue
        before, after = old.get(node.name, ""), new.get(node.name, "")
        if before != after:
            changes.append(
                Change(
                    node_label(spec, node, language),
                    display_value(spec, node, before, language),
                    display_value(spec, node, after, language),
                )
            )
    for name, repeat in repeats.items():
        if repeat.repeat is not None:
            continue
        old_rows = old.get(name) if isinstance(old.get(name), list) else []
        new_rows = new.get(name) if isinstance(new.get(name), list) else []
        for position in range(max(len(old_rows), len(new_rows))):
            before_row = old_rows[position] if position < len(old_rows) else {}
            after_row = new_rows[position] if position < len(new_rows) else {}
            before_row = before_row if isinstance(before_row, dict) else {}
            after_row = after_row if isinstance(after_row, dict) else {}
            for column in _questions_in(repeat):
                before = before_row.get(column.name, "")
                after = after_row.get(column.name, "")
                if before != after:
                    changes.append(
                        Change(
                            _("%(repeat)s, fila %(row)s: %(question)s")
                            % {
                                "repeat": node_label(spec, repeat, language),
                                "row": position + 1,
                                "question": node_label(spec, column, language),
                            },
                            display_value(spec, column, before, language),
                            display_value(spec, column, after, language),
                        )
                    )
    for name in sorted((set(old) | set(new)) - known):
        if old.get(name, "") != new.get(name, ""):
            changes.append(Change(name, old.get(name) or None, new.get(name) or None))
    return changes


def response_history(response: Response, page_number: Any, language: str | None):
    """The response's versions, newest first (simple-history through the
    audit app), with the change of its answers shown question by question."""
    page = record_history(find_tracked("surveys.response"), response.pk, page_number=page_number)
    if page is None:
        return None
    data_field = str(Response._meta.get_field("data").verbose_name)
    spec = response.form_version.form
    for entry in page.object_list:
        entry.changes = [change for change in entry.changes if change.field != data_field]
        if entry.previous is not None and entry.record.history_type != "-":
            entry.answer_changes = data_changes(
                spec, entry.previous.data, entry.record.data, language
            )
        else:
            entry.answer_changes = []
    return page


def review_trail(response: Response) -> list:
    """Every review decision, oldest first, from the history."""
    seen = set()
    trail = []
    rows = (
        response.history.filter(reviewed_at__isnull=False)
        .select_related("reviewed_by")
        .order_by("history_date", "history_id")
    )
    for row in rows:
        key = (row.reviewed_at, row.status)
        if key in seen:
            continue
        seen.add(key)
        trail.append(row)
    return trail


def _detail_context(request: HttpRequest, response: Response, review_form=None) -> dict:
    language = get_language()
    spec = response.form_version.form
    attachments = list(response.attachments.order_by("name", "filename"))
    can_review = request.user.has_perm("surveys.review_response", response)
    if review_form is None and can_review and not response.is_draft:
        review_form = forms.ReviewForm(
            initial={
                "status": response.status
                if response.status
                in {Response.Status.APPROVED, Response.Status.ON_HOLD, Response.Status.REJECTED}
                else None
            }
        )
    metadata = [
        (node_label(spec, node, language), response.data.get(node.name))
        for node in spec.questions
        if node.type in {"start", "end"} and response.data.get(node.name)
    ]
    return {
        "response": response,
        "campaign": response.round.campaign,
        "spec": spec,
        "sections": answer_sections(
            spec, response.data or {}, language, {a.filename: a for a in attachments}
        ),
        "attachments": attachments,
        "metadata": metadata,
        "history": response_history(response, request.GET.get("historial"), language),
        "reviews": review_trail(response),
        "review_form": review_form if can_review and not response.is_draft else None,
        "edit_url": edit_url(response)
        if request.user.has_perm("surveys.edit_response", response)
        else "",
        "can_list": request.user.has_perm("surveys.view_campaign", response.round.campaign),
    }


@require_safe
@login_required
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = _response(request, pk)
    return render(
        request, "surveys/responses/response_detail.html", _detail_context(request, response)
    )


@never_cache
@require_POST
@login_required
def response_review(request: HttpRequest, pk: int) -> HttpResponse:
    response = _response(request, pk, "surveys.review_response")
    if response.is_draft:
        messages.error(request, _("Una respuesta en borrador se revisa cuando se envía."))
        return redirect(response)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "surveys/responses/response_detail.html",
            _detail_context(request, response, review_form=form),
            status=400,
        )
    services.response_review(
        response=response,
        status=form.cleaned_data["status"],
        comment=form.cleaned_data["comment"],
        by=request.user,
    )
    messages.success(
        request,
        _("Se registró la revisión: %(status)s.") % {"status": response.get_status_display()},
    )
    return redirect(response)


@never_cache
@require_safe
@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Attachment.objects.select_related("response"), pk=pk)
    # The response's own check, with its relations for the rules.
    _response(request, found.response_id)
    if not found.file or not default_storage.exists(found.file.name):
        raise Http404
    inline = found.content_type in INLINE_TYPES
    served = FileResponse(
        found.file.open("rb"),
        as_attachment=not inline,
        filename=found.filename,
        content_type=found.content_type if inline else "application/octet-stream",
    )
    served["Content-Security-Policy"] = "default-src 'none'; sandbox"
    served["Cache-Control"] = "private, no-store"
    return served


urlpatterns = [
    path("campanas/<slug:slug>/respuestas/", response_list, name="responses"),
    path("respuestas/<int:pk>/", response_detail, name="response"),
    path("respuestas/<int:pk>/revisar/", response_review, name="response_review"),
    path("adjuntos/<int:pk>/", attachment, name="attachment"),
]
