"""The public side: the list of agreements, the accountability pages per region
and per local authority, an agreement, a commitment with its timeline, and the
files (the signed document, evidence) served only to who may see them."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from polo.agreements import selectors
from polo.agreements.models import Agreement, Commitment, today
from polo.agreements.views.access import agreement_for, commitment_for, update_for
from polo.directory.models import Organization
from polo.territory.models import Region

PAGE_SIZE = 30


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_agreements_list(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    drafts = []
    can_create = request.user.has_perm("agreements.create_agreement")
    if can_create:
        drafts = Agreement.objects.filter(status=Agreement.Status.DRAFT).select_related("region")
        if not request.user.is_coordinator:
            drafts = drafts.filter(region__in=request.user.regions.all())
    authorities = (
        Organization.objects.filter(
            kind=Organization.Kind.LOCAL_AUTHORITY,
            agreement_parties__agreement__in=Agreement.objects.public(),
        )
        .distinct()
        .order_by("name")
        .only("pk", "name")
    )
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "page": page,
            "regions": Region.objects.order_by("ordering", "name").only("slug", "name"),
            "authorities": authorities,
            "figures": selectors.figures(selectors.public_commitments()),
            "can_create": can_create,
            "drafts": drafts,
        },
    )


@require_safe
def region(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Region, slug=slug)
    agreements = Agreement.objects.public().in_region(place)
    commitments = selectors.public_commitments().filter(agreement__region=place)
    return render(
        request,
        "agreements/accountability.html",
        {
            "heading": place.name,
            "region": place,
            "agreements": selectors.agreements_with_commitments(agreements),
            "figures": selectors.figures(commitments),
            "overdue": selectors.commitments_with_trail(commitments.overdue())
            .select_related("agreement")
            .order_by("due_on", "pk"),
        },
    )


@require_safe
def authority(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(
        Organization.objects.published().select_related("municipality__region"),
        pk=pk,
        kind=Organization.Kind.LOCAL_AUTHORITY,
    )
    agreements = Agreement.objects.public().filter(parties__organization=organization)
    own = selectors.public_commitments().filter(responsible__organization=organization)
    return render(
        request,
        "agreements/accountability.html",
        {
            "heading": organization.name,
            "authority": organization,
            "agreements": selectors.agreements_with_commitments(agreements, commitments=own),
            "figures": selectors.figures(own),
            "overdue": selectors.commitments_with_trail(own.overdue())
            .select_related("agreement")
            .order_by("due_on", "pk"),
        },
    )


@require_safe
def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = agreement_for(request, slug)
    full = selectors.agreements_with_commitments(
        Agreement.objects.filter(pk=agreement.pk)
    ).prefetch_related("themes", "municipalities")[0]
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": full,
            "figures": selectors.figures(Commitment.objects.filter(agreement=agreement)),
            "manages": request.user.has_perm("agreements.manage_agreement", agreement),
        },
    )


@require_safe
def _source_meeting(request: HttpRequest, commitment):
    """The meeting whose agreement this commitment arises from, if the person may see it."""
    from polo.meetings.models import MeetingAgreement

    origin = (
        MeetingAgreement.objects.filter(commitment=commitment)
        .select_related("meeting__municipality")
        .first()
    )
    if origin is None or not request.user.has_perm("meetings.view_meeting", origin.meeting):
        return None
    return origin.meeting


def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = commitment_for(request, pk)
    user = request.user
    updates = list(
        commitment.updates.select_related(
            "party__organization", "reviewed_party__organization", "entered_by"
        )
    )
    in_force = commitment.agreement.is_in_force
    for update in updates:
        update.can_review = (
            in_force
            and update.review == "pending"
            and user.has_perm("agreements.review_update", update)
        )
    return render(
        request,
        "agreements/commitment_detail.html",
        {
            "commitment": commitment,
            "agreement": commitment.agreement,
            "overdue": commitment.is_overdue(),
            "today": today(),
            "updates": updates,
            "source_meeting": _source_meeting(request, commitment),
            "can_post": commitment.agreement.is_in_force
            and user.has_perm("agreements.post_update", commitment),
            "manages": user.has_perm("agreements.manage_agreement", commitment.agreement),
        },
    )


def _file_response(field, filename: str) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Served as a download, never rendered in the site's origin.
    return FileResponse(handle, as_attachment=True, filename=filename)


@require_safe
def document(request: HttpRequest, slug: str) -> FileResponse:
    agreement = agreement_for(request, slug)
    return _file_response(agreement.document, f"convenio-{agreement.slug}.pdf")


@require_safe
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    update = update_for(request, pk)
    extension = update.file.name.rsplit(".", 1)[-1] if update.file else "pdf"
    return _file_response(update.file, f"evidencia-{update.pk}.{extension}")


urlpatterns = [
    path("", index, name="index"),
    path("region/<slug:slug>/", region, name="region"),
    path("autoridad/<int:pk>/", authority, name="authority"),
    path("compromisos/<int:pk>/", commitment_detail, name="commitment"),
    path("avances/<int:pk>/evidencia/", evidence, name="evidence"),
    path("<slug:slug>/", agreement_detail, name="agreement"),
    path("<slug:slug>/convenio.pdf", document, name="document"),
]
