"""Focus-group sessions: the list, create, edit, and the session's page where
its notes are coded (a form per paragraph, and one for an exact passage)."""

from __future__ import annotations

from bisect import bisect_right

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from rules.contrib.views import permission_required

from polo.qualitative import forms, selectors, services
from polo.qualitative.models import AGE_BANDS, Coding, FocusGroup, Passage
from polo.qualitative.views._shared import GET_POST, focus_group_for, form_errors

PAGE_SIZE = 30


@never_cache
@require_safe
@login_required
@permission_required("qualitative.list_focus_groups", raise_exception=True)
def focus_groups(request: HttpRequest) -> HttpResponse:
    sessions = (
        selectors.focus_groups_visible_to(request.user)
        .annotate(passage_count=Count("passages"))
        .order_by("-held_on", "-pk")
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "qualitative/focusgroup_list.html",
        {"page": page, "rounds": selectors.rounds_for_open_answers(request.user)},
    )


@never_cache
@require_http_methods(GET_POST)
@login_required
@permission_required("qualitative.add_focus_group", raise_exception=True)
def focus_group_create(request: HttpRequest) -> HttpResponse:
    form = forms.FocusGroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            focus_group = services.focus_group_create(
                by=request.user,
                fields=form.fields_for_service(),
                languages=form.cleaned_data["languages"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Se registró la sesión."))
            return redirect(focus_group)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "qualitative/focusgroup_form.html", {"form": form}, status=status)


@never_cache
@require_http_methods(GET_POST)
@login_required
def focus_group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    focus_group = focus_group_for(request, pk, "qualitative.change_focus_group")
    form = forms.FocusGroupForm(request.POST or None, instance=focus_group, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.focus_group_update(
                focus_group=focus_group,
                by=request.user,
                fields=form.fields_for_service(),
                languages=form.cleaned_data["languages"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            stale = focus_group.passages.filter(is_stale=True).count()
            if stale:
                messages.warning(
                    request,
                    _(
                        "Se guardaron los cambios. %(n)s fragmentos codificados ya no están en "
                        "las notas: revísalos al final de la página."
                    )
                    % {"n": stale},
                )
            else:
                messages.success(request, _("Se guardaron los cambios."))
            return redirect(focus_group)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "qualitative/focusgroup_form.html",
        {"form": form, "focus_group": focus_group},
        status=status,
    )


@never_cache
@require_http_methods(GET_POST)
@login_required
def focus_group(request: HttpRequest, pk: int) -> HttpResponse:
    """The session and its notes, paragraph by paragraph, with what is coded in
    each and the forms to code more. A refused coding comes back with the
    typed passage and the reason."""
    posting = request.method == "POST"
    perm = "qualitative.code_focus_group" if posting else "qualitative.view_focus_group"
    focus_group = focus_group_for(request, pk, perm)
    failed = None
    if request.method == "POST":
        form = forms.CodingForm(request.POST)
        if form.is_valid():
            start, end = form.offsets()
            try:
                passage = services.passage_code_focus_group(
                    focus_group=focus_group,
                    by=request.user,
                    codes=form.cleaned_data["codes"],
                    paragraph=form.cleaned_data["paragraph"],
                    passage=form.cleaned_data["passage"],
                    start=start,
                    end=end,
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Se codificó el fragmento con: %(codes)s.")
                    % {"codes": ", ".join(str(code) for code in passage.codes.all())},
                )
                return redirect(f"{focus_group.get_absolute_url()}#fragmento-{passage.pk}")
        failed = _failed(form)
    context = _coding_context(focus_group, failed)
    return render(
        request, "qualitative/focusgroup_detail.html", context, status=400 if failed else 200
    )


def _failed(form: forms.CodingForm) -> dict:
    """What the person sent, to show again beside the reason it was refused."""
    paragraph = form.data.get("paragraph", "")
    return {
        "paragraph": int(paragraph) if paragraph.isdigit() and len(paragraph) < 9 else None,
        "passage": form.data.get("passage", ""),
        "codes": {value for value in form.data.getlist("codes") if value.isdigit()},
        "errors": [error for errors in form.errors.values() for error in errors],
    }


def _coding_context(focus_group: FocusGroup, failed: dict | None) -> dict:
    passages = list(
        focus_group.passages.prefetch_related(
            Prefetch("codings", queryset=Coding.objects.select_related("code__parent"))
        ).order_by("start", "pk")
    )
    found = focus_group.paragraphs()
    starts = [paragraph.start for paragraph in found]
    by_paragraph: dict[int, list[Passage]] = {}
    stale = []
    for passage in passages:
        if passage.is_stale or not found:
            stale.append(passage)
            continue
        index = max(bisect_right(starts, passage.start) - 1, 0)
        by_paragraph.setdefault(index, []).append(passage)
    codes = list(selectors.codebook().filter(is_active=True))
    return {
        "focus_group": focus_group,
        "languages": list(focus_group.languages.all()),
        "paragraphs": [
            {
                "paragraph": paragraph,
                "prefix": f"p{paragraph.index}",
                "passages": by_paragraph.get(paragraph.index, []),
            }
            for paragraph in found
        ],
        "stale": stale,
        "age_bands": [label for _band, label in AGE_BANDS],
        "codes": codes,
        "failed": failed,
    }


urlpatterns = [
    path("sesiones/", focus_groups, name="focus_groups"),
    path("sesiones/nueva/", focus_group_create, name="focus_group_create"),
    path("sesiones/<int:pk>/", focus_group, name="focus_group"),
    path("sesiones/<int:pk>/editar/", focus_group_edit, name="focus_group_edit"),
]
