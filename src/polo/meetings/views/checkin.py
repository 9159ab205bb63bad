"""Attendance on the day, for those who run the meeting: the check-in list on a
phone (search, tick, walk-in), the QR code scanned at the door, and the paper
sign-in sheet (printed with blank rows, typed in afterwards).

Every POST is idempotent (marking twice keeps the first mark), so a weak
connection can send again; with htmx the row is replaced in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from polo.meetings import selectors, services
from polo.meetings.forms import CheckinSearchForm, PaperSheetForm, WalkInForm
from polo.meetings.views.access import LoginRequired, login_redirect, meeting_for, with_meeting

RUN = "meetings.run_meeting"
LIST_LIMIT = 300


@require_safe
@with_meeting(RUN)
def checkin(request: HttpRequest, meeting) -> HttpResponse:
    search = CheckinSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    registrations = list(selectors.checkin_list(meeting, query)[: LIST_LIMIT + 1])
    truncated = len(registrations) > LIST_LIMIT
    context = {
        "truncated": truncated,
        "meeting": meeting,
        "search": search,
        "query": query,
        "registrations": registrations[:LIST_LIMIT],
        "counts": selectors.meeting_counts(meeting),
        "walk_in_form": WalkInForm(meeting=meeting),
    }
    template = "meetings/checkin.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#rows"
    return render(request, template, context)


@require_POST
@with_meeting(RUN)
def checkin_mark(request: HttpRequest, meeting, registration: int) -> HttpResponse:
    attended = request.POST.get("attended", "1") != "0"
    try:
        marked = services.attendance_mark(
            meeting=meeting, registration_id=registration, by=request.user, attended=attended
        )
    except services.MeetingError as error:
        if request.htmx:
            return HttpResponse(str(error), status=409)
        messages.error(request, str(error))
        return redirect("meetings:checkin", pk=meeting.pk)
    if request.htmx:
        return render(request, "meetings/checkin.html#row", {"meeting": meeting, "r": marked})
    messages.success(
        request,
        (_("Asistencia registrada: %(name)s.") if attended else _("Asistencia retirada: %(name)s."))
        % {"name": marked.person.full_name},
    )
    url = reverse("meetings:checkin", args=[meeting.pk])
    query = request.POST.get("q", "")
    return redirect(f"{url}?q={query}" if query else url)


@require_POST
@with_meeting(RUN)
def walk_in(request: HttpRequest, meeting) -> HttpResponse:
    form = WalkInForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            registration = services.walk_in_add(
                meeting=meeting, data=form.person_data(), by=request.user
            )
        except services.MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Asistencia registrada: %(name)s.") % {"name": registration.person.full_name},
            )
            return redirect("meetings:checkin", pk=meeting.pk)
    return render(
        request,
        "meetings/checkin.html",
        {
            "meeting": meeting,
            "search": CheckinSearchForm(),
            "registrations": list(selectors.checkin_list(meeting)[:LIST_LIMIT]),
            "counts": selectors.meeting_counts(meeting),
            "walk_in_form": form,
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
def checkin_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The URL in a registration's QR code: the facilitator confirms, then it marks."""
    if not request.user.is_authenticated:
        return login_redirect(request)
    try:
        registration = services.registration_from_token(token)
    except services.MeetingError as error:
        return render(request, "meetings/checkin_qr.html", {"error": str(error)}, status=400)
    try:
        meeting = meeting_for(request, registration.meeting_id, RUN)
    except LoginRequired:
        return login_redirect(request)
    except (Http404, PermissionDenied):
        return render(
            request,
            "meetings/checkin_qr.html",
            {
                "error": _(
                    "Esta inscripción es de un encuentro que usted no coordina "
                    "(otra región u organización)."
                )
            },
            status=403,
        )
    if request.method == "POST":
        try:
            services.attendance_mark(
                meeting=meeting, registration_id=registration.pk, by=request.user
            )
        except services.MeetingError as error:
            return render(request, "meetings/checkin_qr.html", {"error": str(error)}, status=409)
        messages.success(
            request, _("Asistencia registrada: %(name)s.") % {"name": registration.person.full_name}
        )
        return redirect("meetings:checkin", pk=meeting.pk)
    return render(
        request,
        "meetings/checkin_qr.html",
        {"registration": registration, "meeting": meeting, "token": token},
    )


@require_http_methods(["GET", "POST"])
@with_meeting(RUN)
def paper_sheet(request: HttpRequest, meeting) -> HttpResponse:
    """Type in a paper sheet: tick who came, add the rows written by hand."""
    registrations = list(selectors.checkin_list(meeting))
    rows = 5
    if request.method == "POST":
        form = PaperSheetForm(request.POST, registrations=registrations)
        walk_ins = [
            WalkInForm(request.POST, meeting=meeting, prefix=f"new-{i}")
            for i in range(rows)
            if request.POST.get(f"new-{i}-full_name", "").strip()
        ]
        if form.is_valid() and all(w.is_valid() for w in walk_ins):
            for registration_id in form.cleaned_data["attended"]:
                services.attendance_mark(
                    meeting=meeting, registration_id=registration_id, by=request.user
                )
            for walk in walk_ins:
                services.walk_in_add(meeting=meeting, data=walk.person_data(), by=request.user)
            messages.success(
                request,
                _("Hoja capturada: %(n)s asistencias marcadas y %(m)s personas añadidas.")
                % {"n": len(form.cleaned_data["attended"]), "m": len(walk_ins)},
            )
            return redirect("meetings:checkin", pk=meeting.pk)
        status = 400
        new_forms = [
            WalkInForm(request.POST, meeting=meeting, prefix=f"new-{i}")
            if request.POST.get(f"new-{i}-full_name", "").strip()
            else WalkInForm(meeting=meeting, prefix=f"new-{i}")
            for i in range(rows)
        ]
    else:
        status = 200
        form = PaperSheetForm(
            registrations=registrations,
            initial={"attended": [r.pk for r in registrations if r.attended]},
        )
        new_forms = [WalkInForm(meeting=meeting, prefix=f"new-{i}") for i in range(rows)]
    ticked = set(form["attended"].value() or [])
    return render(
        request,
        "meetings/paper_sheet.html",
        {
            "meeting": meeting,
            "form": form,
            "registrations": registrations,
            "ticked": {str(v) for v in ticked},
            "new_forms": new_forms,
        },
        status=status,
    )


@require_safe
@with_meeting(RUN)
def sign_in_sheet(request: HttpRequest, meeting) -> HttpResponse:
    """The printable sheet (PDF): the registration list with blank rows for walk-ins."""
    from weasyprint import HTML

    html = render_to_string(
        "meetings/sign_in_sheet.html",
        {
            "meeting": meeting,
            "registrations": list(selectors.checkin_list(meeting)),
            "blank_rows": range(15),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="hoja-asistencia-{meeting.pk}.pdf"'
    return response


urlpatterns = [
    path("<int:pk>/asistencia/", checkin, name="checkin"),
    path("<int:pk>/asistencia/<int:registration>/", checkin_mark, name="checkin_mark"),
    path("<int:pk>/asistencia/sin-inscripcion/", walk_in, name="walk_in"),
    path("<int:pk>/asistencia/hoja/", paper_sheet, name="paper_sheet"),
    path("<int:pk>/asistencia/hoja.pdf", sign_in_sheet, name="sign_in_sheet"),
    path("asistencia/qr/<str:token>/", checkin_qr, name="checkin_qr"),
]
