"""The codebook: its themes with how often each is used; staff add themes,
coordinators edit, retire and merge them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from polo.qualitative import forms, selectors, services
from polo.qualitative.views._shared import GET_POST, code_for, form_errors


@never_cache
@require_http_methods(GET_POST)
@login_required
@permission_required("qualitative.view_codebook", raise_exception=True)
def codebook(request: HttpRequest) -> HttpResponse:
    form = None
    if request.user.has_perm("qualitative.add_code"):
        form = forms.CodeForm(request.POST or None)
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            code = services.code_create(
                by=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                parent=form.cleaned_data["parent"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Se agregó el tema «%(name)s».") % {"name": code})
            return redirect("qualitative:codebook")
    codes = selectors.codebook().annotate(uses=Count("codings")).select_related("merged_into")
    return render(
        request,
        "qualitative/codebook.html",
        {
            "codes": codes,
            "form": form,
            "can_manage": request.user.has_perm("qualitative.manage_codebook"),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@never_cache
@require_http_methods(GET_POST)
@login_required
@permission_required("qualitative.manage_codebook", raise_exception=True)
def code_edit(request: HttpRequest, slug: str) -> HttpResponse:
    code = code_for(slug)
    form = forms.CodeEditForm(
        request.POST or None,
        code=code,
        initial={
            "name": code.name,
            "description": code.description,
            "parent": code.parent_id,
            "is_active": code.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.code_update(code=code, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Se guardó el tema."))
            return redirect("qualitative:codebook")
    return render(
        request,
        "qualitative/code_form.html",
        {"code": code, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@require_http_methods(GET_POST)
@login_required
@permission_required("qualitative.manage_codebook", raise_exception=True)
def code_merge(request: HttpRequest, slug: str) -> HttpResponse:
    drop = code_for(slug)
    form = forms.CodeMergeForm(request.POST or None, drop=drop)
    if request.method == "POST" and form.is_valid():
        keep = form.cleaned_data["keep"]
        try:
            moved = services.code_merge(drop=drop, keep=keep, by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("«%(drop)s» se fusionó en «%(keep)s»: %(n)s fragmentos pasaron al tema.")
                % {"drop": drop, "keep": keep, "n": moved},
            )
            return redirect("qualitative:codebook")
    return render(
        request,
        "qualitative/code_merge.html",
        {"code": drop, "form": form, "uses": drop.codings.count()},
        status=400 if form.is_bound and form.errors else 200,
    )


urlpatterns = [
    path("temas/", codebook, name="codebook"),
    path("temas/<slug:slug>/editar/", code_edit, name="code_edit"),
    path("temas/<slug:slug>/fusionar/", code_merge, name="code_merge"),
]
