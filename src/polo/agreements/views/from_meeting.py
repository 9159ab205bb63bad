"""An agreement reached at a meeting (in its minutes) turned into a commitment,
by whoever runs the meeting: of an agreement in force that one of the meeting's
organisers is party to, or of a new draft agreement that those who manage the
region's agreements then complete and sign."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from polo.agreements import selectors, services
from polo.agreements.forms_meeting import ExistingAgreementForm, NewDraftForm
from polo.agreements.views.access import check, refusals
from polo.meetings.models import MeetingAgreement


@require_http_methods(["GET", "POST"])
@refusals
def from_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting_agreement = get_object_or_404(
        MeetingAgreement.objects.select_related(
            "meeting__municipality", "commitment__agreement", "commitment__responsible"
        ),
        pk=pk,
    )
    meeting = meeting_agreement.meeting
    if not request.user.has_perm("meetings.view_meeting", meeting):
        raise Http404
    check(
        request,
        "agreements.commit_meeting_agreement",
        meeting_agreement,
        _("Solo quienes llevan el encuentro convierten sus acuerdos en compromisos."),
    )
    parties = selectors.parties_for_meeting(meeting, request.user)
    organizers = meeting.organizers.order_by("name")
    existing = ExistingAgreementForm(meeting_agreement=meeting_agreement, parties=parties)
    new = NewDraftForm(meeting_agreement=meeting_agreement, organizers=organizers)
    status = 200
    if meeting_agreement.commitment_id is not None:
        status = 409 if request.method == "POST" else 200
    elif request.method == "POST":
        action = request.POST.get("action")
        if action == "existing":
            existing = ExistingAgreementForm(
                request.POST, meeting_agreement=meeting_agreement, parties=parties
            )
            form = existing
        elif action == "new":
            new = NewDraftForm(
                request.POST, meeting_agreement=meeting_agreement, organizers=organizers
            )
            form = new
        else:
            form = None
        status = 400
        if form is not None and form.is_valid():
            data = form.cleaned_data
            fields = {
                "meeting_agreement": meeting_agreement,
                "text": data["text"],
                "due_on": data["due_on"],
                "indicator": data["indicator"],
                "by": request.user,
            }
            try:
                if action == "existing":
                    services.commitment_from_meeting(responsible=data["responsible"], **fields)
                else:
                    services.agreement_draft_from_meeting(
                        title=data["title"],
                        kind=data["kind"],
                        responsible_organization=data["responsible"],
                        **fields,
                    )
            except services.AgreementError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, _("El acuerdo es ahora un compromiso de convenio."))
                return redirect("meetings:write_up", pk=meeting.pk)
    return render(
        request,
        "agreements/from_meeting.html",
        {
            "meeting": meeting,
            "meeting_agreement": meeting_agreement,
            "commitment": meeting_agreement.commitment,
            "existing": existing,
            "new": new,
            "has_parties": parties.exists(),
        },
        status=status,
    )


urlpatterns = [
    path("desde-encuentro/<int:pk>/", from_meeting, name="from_meeting"),
]
