"""The organisation's side: record a practice, change it, add its evidence,
send it to review, archive it, say where it was presented; "my organisation's
practices". Plain POST forms that work without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from polo.practices import selectors, services
from polo.practices.forms import EvidenceForm, PracticeForm, PracticeMeetingsForm
from polo.practices.models import Evidence, GoodPractice
from polo.practices.views.access import with_practice

GET_POST = ["GET", "HEAD", "POST"]
CHANGE = "practices.change_practice"


def _save(request: HttpRequest, practice: GoodPractice | None) -> HttpResponse:
    form = PracticeForm(request.POST or None, instance=practice, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = services.practice_save(form=form, by=request.user)
        messages.success(request, _("Buena práctica guardada."))
        if practice is None:
            return redirect("practices:practice_evidence", saved.slug)
        return redirect(saved.get_absolute_url())
    return render(
        request,
        "practices/practice_form.html",
        {"form": form, "practice": practice},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_http_methods(GET_POST)
def practice_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("practices.create_practice"):
        raise PermissionDenied
    return _save(request, None)


@never_cache
@require_http_methods(GET_POST)
@with_practice(CHANGE)
def practice_edit(request: HttpRequest, practice) -> HttpResponse:
    return _save(request, practice)


@require_POST
@with_practice(CHANGE)
def practice_submit(request: HttpRequest, practice) -> HttpResponse:
    try:
        services.practice_submit(practice=practice, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Enviada a revisión: el equipo facilitador de la región la revisará.")
        )
    return redirect(practice.get_absolute_url())


@require_POST
@with_practice(CHANGE)
def practice_archive(request: HttpRequest, practice) -> HttpResponse:
    try:
        services.practice_archive(practice=practice, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Práctica archivada: ya no es pública."))
    return redirect(practice.get_absolute_url())


def _say_if_back_to_review(request: HttpRequest, practice, was_published: bool) -> None:
    """An editor's change of evidence sends a published practice back to review."""
    if not was_published:
        return
    practice.refresh_from_db(fields=["status"])
    if not practice.is_published:
        messages.warning(
            request,
            _(
                "Esta práctica estaba publicada: con el cambio vuelve a revisión y deja de "
                "verse hasta que se apruebe."
            ),
        )


@never_cache
@require_http_methods(GET_POST)
@with_practice(CHANGE)
def practice_evidence(request: HttpRequest, practice) -> HttpResponse:
    """The evidence of the results: add a note, a link or a file; remove one."""
    form = EvidenceForm()
    status = 200
    was_published = practice.is_published
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            raw = request.POST.get("evidence", "")
            evidence = get_object_or_404(
                Evidence, pk=int(raw) if raw.isdigit() and len(raw) < 10 else 0, practice=practice
            )
            services.evidence_remove(evidence=evidence, by=request.user)
            messages.success(request, _("Evidencia quitada."))
            _say_if_back_to_review(request, practice, was_published)
            return redirect("practices:practice_evidence", practice.slug)
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evidence_add(
                    practice=practice,
                    by=request.user,
                    kind=data["kind"],
                    title=data["title"],
                    note=data["note"],
                    url=data["url"],
                    upload=data["file"],
                    content_type=getattr(form, "content_type", ""),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("Evidencia añadida."))
                _say_if_back_to_review(request, practice, was_published)
                return redirect("practices:practice_evidence", practice.slug)
        status = 400
    return render(
        request,
        "practices/practice_evidence.html",
        {"practice": practice, "form": form, "evidence": practice.evidence.all()},
        status=status,
    )


@never_cache
@require_http_methods(GET_POST)
@with_practice(CHANGE)
def practice_meetings(request: HttpRequest, practice) -> HttpResponse:
    current = list(practice.meetings.all())
    form = PracticeMeetingsForm(
        request.POST or None, current=current, initial={"meetings": current}
    )
    if request.method == "POST" and form.is_valid():
        services.practice_set_meetings(
            practice=practice, meetings=form.cleaned_data["meetings"], by=request.user
        )
        messages.success(request, _("Encuentros guardados."))
        return redirect(practice.get_absolute_url())
    return render(
        request,
        "practices/practice_meetings.html",
        {"practice": practice, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
@require_safe
def my_practices(request: HttpRequest) -> HttpResponse:
    organizations = list(selectors.organizations_edited_by(request.user))
    return render(
        request,
        "practices/my_practices.html",
        {
            "organizations": organizations,
            "practices": selectors.practices_of(organizations) if organizations else [],
        },
    )


urlpatterns = [
    path("nueva/", practice_create, name="practice_create"),
    path("mis-practicas/", my_practices, name="my_practices"),
    path("<slug:slug>/editar/", practice_edit, name="practice_edit"),
    path("<slug:slug>/enviar/", practice_submit, name="practice_submit"),
    path("<slug:slug>/archivar/", practice_archive, name="practice_archive"),
    path("<slug:slug>/evidencias/", practice_evidence, name="practice_evidence"),
    path("<slug:slug>/encuentros/", practice_meetings, name="practice_meetings"),
]
