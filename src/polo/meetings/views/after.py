"""After the meeting: the write-up by those who run it (minutes, agreements,
photos and documents) and the attendees' evaluation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polo.meetings import selectors, services
from polo.meetings.forms import AgreementForm, EvaluationForm, MeetingFileForm, MinutesForm
from polo.meetings.models import MeetingFile, Registration
from polo.meetings.views.access import with_meeting


@require_http_methods(["GET", "POST"])
@with_meeting("meetings.run_meeting")
def write_up(request: HttpRequest, meeting) -> HttpResponse:
    minutes_form = MinutesForm(instance=meeting, prefix="minutes")
    agreement_form = AgreementForm(prefix="agreement")
    file_form = MeetingFileForm(prefix="file")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "minutes":
            minutes_form = MinutesForm(request.POST, instance=meeting, prefix="minutes")
            if minutes_form.is_valid():
                minutes_form.save()
                messages.success(request, _("Relatoría guardada."))
                return redirect("meetings:write_up", pk=meeting.pk)
        elif action == "agreement":
            agreement_form = AgreementForm(request.POST, prefix="agreement")
            if agreement_form.is_valid():
                services.agreement_add(meeting=meeting, **agreement_form.cleaned_data)
                messages.success(request, _("Acuerdo añadido."))
                return redirect("meetings:write_up", pk=meeting.pk)
        elif action == "file":
            file_form = MeetingFileForm(request.POST, request.FILES, prefix="file")
            if file_form.is_valid():
                upload = file_form.cleaned_data["file"]
                from polo.meetings.forms import ALLOWED_TYPES

                MeetingFile.objects.create(
                    meeting=meeting,
                    kind=ALLOWED_TYPES[file_form.content_type],
                    title=file_form.cleaned_data["title"],
                    file=upload,
                    content_type=file_form.content_type,
                    size=upload.size,
                    uploaded_by=request.user,
                )
                messages.success(request, _("Archivo añadido."))
                return redirect("meetings:write_up", pk=meeting.pk)
        status = 400
    return render(
        request,
        "meetings/write_up.html",
        {
            "meeting": meeting,
            "minutes_form": minutes_form,
            "agreement_form": agreement_form,
            "file_form": file_form,
            "agreements": meeting.agreements.select_related("commitment__agreement"),
            "files": meeting.files.all(),
            "evaluation": selectors.meeting_evaluation(meeting),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@with_meeting()
def evaluate(request: HttpRequest, meeting) -> HttpResponse:
    registration = (
        Registration.objects.filter(
            meeting=meeting, person__user=request.user, attended_at__isnull=False
        )
        .select_related("person")
        .first()
    )
    if registration is None:
        return render(
            request,
            "meetings/evaluation_form.html",
            {
                "meeting": meeting,
                "refused": _("Solo quienes asistieron a este encuentro pueden evaluarlo."),
            },
            status=403,
        )
    if hasattr(registration, "evaluation"):
        return render(request, "meetings/evaluation_form.html", {"meeting": meeting, "done": True})
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(registration=registration, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Gracias por su evaluación."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "meetings/evaluation_form.html",
        {"meeting": meeting, "form": form},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("<int:pk>/relatoria/", write_up, name="write_up"),
    path("<int:pk>/evaluacion/", evaluate, name="evaluate"),
]
