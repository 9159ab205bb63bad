"""The management side of surveys: instruments (XLSForm uploads and their
versions), campaigns and their rounds.

Facilitators and coordinators see instruments; coordinators upload them and
run campaigns (``surveys.manage_instruments``). A campaign the person may not
see is a 404; a page that needs a role the person lacks is a 403; visitors are
sent to sign in (rules in surveys/rules.py, campaign lists through
``selectors.campaigns_visible_to``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Count, Max, OuterRef, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from polo.surveys import forms, selectors, services
from polo.surveys.expressions import references
from polo.surveys.models import Campaign, FormVersion, Instrument, Response, Round
from polo.surveys.spec import DEFAULT_LANGUAGE, FormSpec, Node, language_code
from polo.surveys.xlsform import XLSFormError, convert_xlsform

GET_POST = ["GET", "HEAD", "POST"]
# A cascade's list (every municipality of three states) would make the
# preview heavy: the first options are shown, with the count of the rest.
PREVIEW_CHOICES = 12
LANG_ATTRIBUTE_RE = re.compile(r"[a-z]{2,3}")

view_instruments = permission_required("surveys.view_instruments", raise_exception=True)
manage_instruments = permission_required("surveys.manage_instruments", raise_exception=True)


# --- helpers ---------------------------------------------------------------------


def _version(slug: str, number: int) -> FormVersion:
    return get_object_or_404(
        FormVersion.objects.select_related("instrument", "created_by"),
        instrument__slug=slug,
        number=number,
    )


def _campaign(request: HttpRequest, slug: str, *, manage: bool = False) -> Campaign:
    """The campaign, if this person may see it (else 404) and, with ``manage``,
    change it (else 403)."""
    campaign = get_object_or_404(Campaign.objects.select_related("instrument"), slug=slug)
    if not request.user.has_perm("surveys.view_campaign", campaign):
        raise Http404
    if manage and not request.user.has_perm("surveys.manage_instruments"):
        raise PermissionDenied
    return campaign


# --- instruments -----------------------------------------------------------------


@require_safe
@login_required
@view_instruments
def instrument_list(request: HttpRequest) -> HttpResponse:
    latest = FormVersion.objects.filter(instrument=OuterRef("pk")).order_by("-number")
    instruments = Instrument.objects.annotate(
        version_count=Count("versions", distinct=True),
        campaign_count=Count("campaigns", distinct=True),
        latest_version=Subquery(latest.values("version")[:1]),
        latest_at=Max("versions__created_at"),
    ).order_by("title")
    return render(request, "surveys/manage/instrument_list.html", {"instruments": instruments})


@require_safe
@login_required
@view_instruments
def instrument_detail(request: HttpRequest, slug: str) -> HttpResponse:
    instrument = get_object_or_404(Instrument.objects.select_related("created_by"), slug=slug)
    versions = list(
        instrument.versions.select_related("created_by")
        .annotate(response_count=Count("responses"))
        .order_by("-number")
    )
    campaigns = selectors.campaigns_visible_to(request.user).filter(instrument=instrument)
    upload = None
    if request.user.has_perm("surveys.manage_instruments"):
        upload = forms.XLSFormUploadForm(initial={"instrument": instrument.slug})
        upload.fields["instrument"].widget = upload.fields["instrument"].hidden_widget()
        upload.fields["kind"].widget = upload.fields["kind"].hidden_widget()
    return render(
        request,
        "surveys/manage/instrument_detail.html",
        {
            "instrument": instrument,
            "versions": versions,
            "current": versions[0] if versions else None,
            "campaigns": campaigns,
            "upload": upload,
        },
    )


@never_cache
@require_http_methods(GET_POST)
@login_required
@manage_instruments
def instrument_upload(request: HttpRequest) -> HttpResponse:
    """Upload an XLSForm: a new instrument, or the next version of one. A form
    pyxform or Polo refuses is listed problem by problem, and nothing is kept."""
    initial = {"instrument": request.GET.get("instrumento", "")[:60]}
    form = forms.XLSFormUploadForm(request.POST or None, request.FILES or None, initial=initial)
    problems = []
    if request.method == "POST" and form.is_valid():
        instrument = form.cleaned_data["instrument"]
        data = form.xlsform_bytes()
        try:
            converted = convert_xlsform(data)
        except XLSFormError as error:
            problems = error.problems
        else:
            same_id = _instrument_with_form_id(converted.spec.form_id, exclude=instrument)
            if instrument is None and same_id is not None:
                form.add_error(
                    None,
                    _(
                        "El instrumento «%(title)s» ya usa el form_id «%(form_id)s». Si es una "
                        "versión nueva, súbela en su página; si es otro instrumento, cambia el "
                        "form_id en la hoja «settings»."
                    )
                    % {"title": same_id.title, "form_id": converted.spec.form_id},
                )
            else:
                try:
                    version = services.form_version_create(
                        data=data,
                        filename=form.filename(),
                        by=request.user,
                        instrument=instrument,
                        kind=form.cleaned_data["kind"],
                        converted=converted,
                    )
                except services.VersionConflict as conflict:
                    form.add_error(
                        None,
                        _(
                            "«%(title)s» ya tiene una versión «%(version)s». Cambia la versión "
                            "en la hoja «settings» (columna «version») y vuelve a subirlo: las "
                            "respuestas recibidas conservan la versión que respondieron."
                        )
                        % {"title": instrument.title, "version": conflict},
                    )
                else:
                    _upload_message(request, version)
                    return redirect(version.instrument)
    return render(
        request,
        "surveys/manage/instrument_upload.html",
        {"form": form, "problems": problems, "instrument": form.initial.get("instrument")},
    )


def _instrument_with_form_id(form_id: str, *, exclude: Instrument | None) -> Instrument | None:
    found = Instrument.objects.filter(versions__form_id=form_id)
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.first()


def _upload_message(request: HttpRequest, version: FormVersion) -> None:
    text = _("Se guardó la versión %(number)s («%(version)s») de «%(title)s».") % {
        "number": version.number,
        "version": version.version,
        "title": version.instrument.title,
    }
    if version.warnings:
        messages.warning(
            request,
            text + " " + _("pyxform dejó advertencias: revísalas abajo, en la versión."),
        )
    else:
        messages.success(request, text)


@require_safe
@login_required
@view_instruments
def instrument_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The questionnaire as a person reads it: sections, labels in every
    language of the form, types, conditions and options."""
    version = _version(slug, number)
    spec = version.form
    return render(
        request,
        "surveys/manage/version_detail.html",
        {
            "instrument": version.instrument,
            "version": version,
            "spec": spec,
            "languages": [(language, _code(language)) for language in spec.languages],
            "sections": preview_sections(spec, get_language()),
        },
    )


@require_safe
@login_required
@view_instruments
def instrument_xlsform(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = _version(slug, number)
    if not version.xlsform or not default_storage.exists(version.xlsform.name):
        raise Http404
    return FileResponse(
        version.xlsform.open("rb"),
        as_attachment=True,
        filename=f"{version.instrument.slug}-v{version.number}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_safe
@login_required
@view_instruments
def instrument_xform(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = _version(slug, number)
    response = HttpResponse(version.xform, content_type="text/xml; charset=utf-8")
    filename = f"{version.instrument.slug}-v{version.number}.xml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the questionnaire preview -----------------------------------------------------

TYPE_LABELS = {
    "text": _("Texto"),
    "integer": _("Número entero"),
    "decimal": _("Número decimal"),
    "select_one": _("Una opción"),
    "select_multiple": _("Varias opciones"),
    "date": _("Fecha"),
    "time": _("Hora"),
    "datetime": _("Fecha y hora"),
    "geopoint": _("Punto geográfico"),
    "range": _("Escala"),
    "acknowledge": _("Aceptación"),
    "image": _("Fotografía"),
    "file": _("Archivo"),
    "note": _("Nota"),
    "calculate": _("Cálculo"),
    "hidden": _("Oculto"),
    "group": _("Grupo"),
    "repeat": _("Grupo que se repite"),
}


def type_label(node_type: str) -> str:
    label = TYPE_LABELS.get(node_type)
    return str(label) if label else node_type


@dataclass
class PreviewItem:
    node: Node
    depth: int
    title: str  # the label in the reader's language (or the form's first)
    labels: list[tuple[str, str, str]]  # (language, code, text) in the form's languages
    hints: list[tuple[str, str, str]]
    type_label: str
    depends_on: list[tuple[str, str]] = field(default_factory=list)  # (name, label)
    # (name, [(language code, label)] in the form's languages, in their order)
    choices: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    more_choices: int = 0
    messages: list[tuple[str, list[tuple[str, str, str]]]] = field(default_factory=list)


@dataclass
class PreviewSection:
    index: int
    title: str
    relevant: str
    items: list[PreviewItem]


def _code(language: str) -> str:
    """A language's code for a lang attribute; '' when the form does not give
    one (pyxform's unnamed language, a bare name such as "Mixteco")."""
    code = "" if language == DEFAULT_LANGUAGE else language_code(language)
    return code if LANG_ATTRIBUTE_RE.fullmatch(code) else ""


def _in_languages(spec: FormSpec, texts: dict[str, str]) -> list[tuple[str, str, str]]:
    """(language, its code, text) in the form's languages."""
    return [
        (language, _code(language), texts[language])
        for language in spec.languages
        if texts.get(language)
    ]


def preview_sections(spec: FormSpec, language: str | None) -> list[PreviewSection]:
    sections = []
    for section in spec.sections:
        items: list[PreviewItem] = []
        for node in section.nodes:
            if node.kind == "group" and node.name == section.name:
                # The section is this group: its title is the section's.
                for child in node.children:
                    _preview_nodes(spec, child, 0, language, items)
            else:
                _preview_nodes(spec, node, 0, language, items)
        title = spec.text(section.label, language) or section.name
        relevant = ""
        if section.nodes and section.nodes[0].kind != "question":
            relevant = section.nodes[0].source("relevant")
        sections.append(PreviewSection(section.index, title, relevant, items))
    return sections


def _preview_nodes(
    spec: FormSpec, node: Node, depth: int, language: str | None, items: list[PreviewItem]
) -> None:
    if node.name == "meta" or node.type in {"instanceID"}:
        return
    item = PreviewItem(
        node=node,
        depth=depth,
        title=spec.text(node.label, language),
        labels=_in_languages(spec, node.label),
        hints=_in_languages(spec, node.hint),
        type_label=type_label(node.type),
    )
    for key in ("relevant", "constraint", "calculation", "choice_filter", "required"):
        tree = node.expression(key)
        if tree is None:
            continue
        for name in sorted(references(tree)):
            source = spec.nodes.get(name)
            label = spec.text(source.label, language) if source is not None else ""
            if (name, label) not in item.depends_on and name != node.name:
                item.depends_on.append((name, label))
    if node.is_select:
        choices = spec.choices_for(node)
        item.choices = [
            (choice.name, [(_code(lang), choice.label.get(lang, "")) for lang in spec.languages])
            for choice in choices[:PREVIEW_CHOICES]
        ]
        item.more_choices = max(0, len(choices) - PREVIEW_CHOICES)
    item.messages = [
        (title, _in_languages(spec, texts))
        for title, texts in (
            (_("Mensaje si no se cumple la condición"), node.constraint_message),
            (_("Mensaje si falta la respuesta"), node.required_message),
        )
        if texts
    ]
    items.append(item)
    for child in node.children:
        _preview_nodes(spec, child, depth + 1, language, items)


# --- campaigns ---------------------------------------------------------------------


@require_safe
@login_required
@view_instruments
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = (
        selectors.campaigns_visible_to(request.user)
        .annotate(round_count=Count("rounds", distinct=True))
        .prefetch_related("regions")
        .order_by("-created_at")
    )
    return render(request, "surveys/manage/campaign_list.html", {"campaigns": campaigns})


@require_safe
@login_required
def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    visible = selectors.responses_visible_to(
        request.user, Response.objects.filter(round__campaign=campaign)
    )
    statuses = Response.Status
    by_round: dict[int, dict[str, int]] = {}
    for round_id, status, n in visible.values_list("round", "status").annotate(n=Count("pk")):
        by_round.setdefault(round_id, {})[status] = n
    by_region: dict[str, dict[str, int]] = {}
    for region, status, n in (
        visible.values_list("municipality__region__name", "status")
        .annotate(n=Count("pk"))
        .order_by("municipality__region__name")
    ):
        by_region.setdefault(region or "", {})[status] = n
    rounds = list(campaign.rounds.order_by("order"))
    for round_ in rounds:
        counts = by_round.get(round_.pk, {})
        round_.counts = [counts.get(status, 0) for status in statuses.values]
        round_.total = sum(counts.values())
    regions = [
        (name, [counts.get(status, 0) for status in statuses.values], sum(counts.values()))
        for name, counts in by_region.items()
    ]
    return render(
        request,
        "surveys/manage/campaign_detail.html",
        {
            "campaign": campaign,
            "regions_of_campaign": campaign.regions.order_by("ordering", "name"),
            "rounds": rounds,
            "statuses": statuses.choices,
            "region_counts": regions,
            "can_manage": request.user.has_perm("surveys.manage_instruments"),
            "can_export": request.user.has_perm("surveys.export_responses", campaign),
        },
    )


@never_cache
@require_http_methods(GET_POST)
@login_required
@manage_instruments
def campaign_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    instrument = Instrument.objects.filter(slug=request.GET.get("instrumento", "")[:60]).first()
    if instrument is not None:
        initial = {"instrument": instrument, "title": instrument.title}
    form = forms.CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        campaign = form.save()
        messages.success(
            request,
            _("Se creó la campaña «%(title)s». Agrega sus rondas.") % {"title": campaign.title},
        )
        return redirect(campaign)
    return render(request, "surveys/manage/campaign_form.html", {"form": form, "campaign": None})


@never_cache
@require_http_methods(GET_POST)
@login_required
def campaign_edit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug, manage=True)
    form = forms.CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        campaign = form.save()
        messages.success(request, _("Se guardaron los cambios de la campaña."))
        return redirect(campaign)
    return render(
        request, "surveys/manage/campaign_form.html", {"form": form, "campaign": campaign}
    )


@never_cache
@require_http_methods(GET_POST)
@login_required
def round_create(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug, manage=True)
    form = forms.RoundForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        round_ = form.save()
        messages.success(request, _("Se agregó la ronda «%(name)s».") % {"name": round_.name})
        return redirect(campaign)
    return render(
        request,
        "surveys/manage/round_form.html",
        {"form": form, "campaign": campaign, "round": None},
    )


def _round(campaign: Campaign, pk: int) -> Round:
    return get_object_or_404(Round, campaign=campaign, pk=pk)


@never_cache
@require_http_methods(GET_POST)
@login_required
def round_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = _campaign(request, slug, manage=True)
    round_ = _round(campaign, pk)
    form = forms.RoundForm(request.POST or None, instance=round_, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Se guardaron los cambios de la ronda."))
        return redirect(campaign)
    return render(
        request,
        "surveys/manage/round_form.html",
        {"form": form, "campaign": campaign, "round": round_},
    )


@require_POST
@login_required
def round_toggle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Open or close a round with one button on the campaign page."""
    campaign = _campaign(request, slug, manage=True)
    round_ = _round(campaign, pk)
    action = request.POST.get("accion")
    if action not in {"abrir", "cerrar"}:
        messages.error(request, _("No se entendió la acción."))
        return redirect(campaign)
    round_.is_open = action == "abrir"
    round_.save(update_fields=["is_open"])
    if round_.is_open and not campaign.is_open:
        messages.warning(
            request,
            _(
                "La ronda «%(name)s» quedó abierta, pero no recibirá respuestas mientras la "
                "campaña no esté abierta."
            )
            % {"name": round_.name},
        )
    elif round_.is_open:
        messages.success(
            request, _("La ronda «%(name)s» recibe respuestas.") % {"name": round_.name}
        )
    else:
        messages.success(
            request, _("La ronda «%(name)s» ya no recibe respuestas.") % {"name": round_.name}
        )
    return redirect(campaign)


urlpatterns = [
    path("instrumentos/", instrument_list, name="instruments"),
    path("instrumentos/subir/", instrument_upload, name="instrument_upload"),
    path("instrumentos/<slug:slug>/", instrument_detail, name="instrument"),
    path(
        "instrumentos/<slug:slug>/v<int:number>/",
        instrument_version,
        name="instrument_version",
    ),
    path(
        "instrumentos/<slug:slug>/v<int:number>/xlsform/",
        instrument_xlsform,
        name="instrument_xlsform",
    ),
    path(
        "instrumentos/<slug:slug>/v<int:number>/xform/",
        instrument_xform,
        name="instrument_xform",
    ),
    path("campanas/", campaign_list, name="campaigns"),
    path("campanas/nueva/", campaign_create, name="campaign_create"),
    path("campanas/<slug:slug>/", campaign_detail, name="campaign"),
    path("campanas/<slug:slug>/editar/", campaign_edit, name="campaign_edit"),
    path("campanas/<slug:slug>/rondas/nueva/", round_create, name="round_create"),
    path("campanas/<slug:slug>/rondas/<int:pk>/", round_edit, name="round_edit"),
    path("campanas/<slug:slug>/rondas/<int:pk>/abrir/", round_toggle, name="round_toggle"),
]
