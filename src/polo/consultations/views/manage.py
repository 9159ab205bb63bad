"""Managing a consultation (the facilitators of its region and coordinators):
create and edit the draft, its questions, schedule it, issue the voting table's
codes, publish the result after the close, read the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from polo.consultations import forms, services
from polo.consultations.models import Consultation
from polo.consultations.views.access import with_consultation

MANAGE = "consultations.manage_consultation"


def _draft_only(request: HttpRequest, consultation) -> HttpResponse | None:
    if consultation.status != Consultation.Status.DRAFT:
        messages.error(request, _("Solo se cambia la definición de una consulta en borrador."))
        return redirect(consultation)
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("consultations.create_consultation"):
        raise PermissionDenied
    form = forms.ConsultationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "voter_emails"}
        consultation = services.consultation_create(by=request.user, **data)
        if form.voters:
            services.eligible_list_set(
                consultation=consultation, users=form.voters, by=request.user
            )
        return redirect("consultations:edit", consultation.slug)
    return render(request, "consultations/consultation_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@with_consultation(MANAGE)
def edit(request: HttpRequest, consultation) -> HttpResponse:
    form = forms.ConsultationForm(request.POST or None, instance=consultation, user=request.user)
    if request.method == "POST":
        if refused := _draft_only(request, consultation):
            return refused
        if form.is_valid():
            services.consultation_edit(
                consultation=form.instance, by=request.user, changed=form.changed_data
            )
            if "voter_emails" in form.changed_data:
                services.eligible_list_set(
                    consultation=consultation, users=form.voters, by=request.user
                )
            messages.success(request, _("Consulta guardada."))
            return redirect("consultations:edit", consultation.slug)
    return render(
        request,
        "consultations/consultation_form.html",
        {
            "form": form,
            "consultation": consultation,
            "questions": consultation.questions.prefetch_related("options"),
            "question_form": forms.QuestionForm(),
        },
    )


@require_POST
@with_consultation(MANAGE)
def question_add(request: HttpRequest, consultation) -> HttpResponse:
    if refused := _draft_only(request, consultation):
        return refused
    form = forms.QuestionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "consultations/consultation_form.html",
            {
                "form": forms.ConsultationForm(instance=consultation, user=request.user),
                "consultation": consultation,
                "questions": consultation.questions.prefetch_related("options"),
                "question_form": form,
            },
            status=400,
        )
    services.question_add(consultation=consultation, by=request.user, **form.cleaned_data)
    return redirect("consultations:edit", consultation.slug)


@require_POST
@with_consultation(MANAGE)
def question_remove(request: HttpRequest, consultation, pk: int) -> HttpResponse:
    if refused := _draft_only(request, consultation):
        return refused
    question = get_object_or_404(consultation.questions, pk=pk)
    services.question_remove(question=question, by=request.user)
    return redirect("consultations:edit", consultation.slug)


@require_POST
@with_consultation(MANAGE)
def schedule(request: HttpRequest, consultation) -> HttpResponse:
    if refused := _draft_only(request, consultation):
        return refused
    try:
        services.consultation_schedule(consultation=consultation, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("consultations:edit", consultation.slug)
    messages.success(request, _("Consulta programada: se abrirá en la fecha indicada."))
    return redirect(consultation)


@require_http_methods(["GET", "HEAD", "POST"])
@with_consultation(MANAGE)
def codes(request: HttpRequest, consultation) -> HttpResponse:
    """The voting table's codes: issue more, and print the unused ones."""
    form = forms.CodesForm(request.POST or None)
    if request.method == "POST":
        if consultation.current_status in (
            Consultation.Status.CLOSED,
            Consultation.Status.PUBLISHED,
        ):
            return HttpResponse(_("La consulta ya cerró."), status=409)
        if form.is_valid():
            services.codes_issue(
                consultation=consultation, count=form.cleaned_data["count"], by=request.user
            )
            return redirect("consultations:codes", consultation.slug)
    unused = (
        consultation.codes.filter(voter_record__isnull=True)
        .select_related("issued_by")
        .only("code", "issued_on", "issued_by__full_name")
    )
    return render(
        request,
        "consultations/codes.html",
        {
            "consultation": consultation,
            "form": form,
            "unused": unused,
            "issued": consultation.codes.count(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_consultation(MANAGE)
def voter_check(request: HttpRequest, consultation) -> HttpResponse:
    """Before handing a code at the voting table: has this person's account
    already voted online? Yes or no, never what. (A code is anonymous, so a
    person could otherwise vote with their account and again with a code.)
    The e-mail is posted, not put in the address, to keep it out of logs."""
    form = forms.VoterCheckForm(request.POST or None)
    checked = None
    if request.method == "POST" and form.is_valid():
        user = (
            get_user_model()
            .objects.filter(email__iexact=form.cleaned_data["email"])
            .only("pk")
            .first()
        )
        checked = {
            "account": user is not None,
            "voted": user is not None and consultation.voter_records.filter(user=user).exists(),
        }
    return render(
        request,
        "consultations/voter_check.html",
        {"consultation": consultation, "form": form, "checked": checked},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_POST
@with_consultation(MANAGE)
def publish(request: HttpRequest, consultation) -> HttpResponse:
    try:
        services.consultation_publish(consultation=consultation, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return HttpResponse(str(error), status=409)
    messages.success(request, _("Resultado publicado."))
    return redirect(consultation)


@require_safe
@with_consultation(MANAGE)
def audit(request: HttpRequest, consultation) -> HttpResponse:
    entries = consultation.audit_log.select_related("actor").order_by("at", "pk")
    return render(
        request, "consultations/audit.html", {"consultation": consultation, "entries": entries}
    )


urlpatterns = [
    path("nueva/", create, name="create"),
    path("<slug:slug>/editar/", edit, name="edit"),
    path("<slug:slug>/preguntas/", question_add, name="question_add"),
    path("<slug:slug>/preguntas/<int:pk>/quitar/", question_remove, name="question_remove"),
    path("<slug:slug>/programar/", schedule, name="schedule"),
    path("<slug:slug>/codigos/", codes, name="codes"),
    path("<slug:slug>/codigos/comprobar/", voter_check, name="voter_check"),
    path("<slug:slug>/publicar/", publish, name="publish"),
    path("<slug:slug>/bitacora/", audit, name="audit"),
]
