"""The practices' sections on other apps' pages: an organisation's profile (the
practices it recorded) and a meeting's page (the practices presented there)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from polo.practices.models import GoodPractice

SECTION_LIMIT = 10


def _render(request, practices, *, heading, more_url=None, manage_url=None) -> str | None:
    shown = list(practices.select_related("municipality")[: SECTION_LIMIT + 1])
    if not shown and not manage_url:
        return None
    return render_to_string(
        "practices/_section.html",
        {
            "practices": shown[:SECTION_LIMIT],
            "more_url": more_url if len(shown) > SECTION_LIMIT else None,
            "heading": heading,
            "manage_url": manage_url,
        },
        request,
    )


def organization_section(request, organization) -> str | None:
    return _render(
        request,
        GoodPractice.objects.published()
        .filter(organization=organization)
        .order_by("-published_at", "pk"),
        heading=_("Buenas prácticas"),
        more_url=f"{reverse('practices:index')}?organizacion={organization.pk}",
    )


def meeting_section(request, meeting) -> str | None:
    manage_url = None
    if request.user.has_perm("meetings.run_meeting", meeting):
        manage_url = reverse("practices:meeting_practices", args=[meeting.pk])
    return _render(
        request,
        meeting.practices.published().order_by("title"),
        heading=_("Buenas prácticas presentadas"),
        manage_url=manage_url,
    )


def register_all() -> None:
    from polo.directory import sections as directory_sections
    from polo.meetings import sections as meeting_sections

    directory_sections.register("practices", organization_section)
    meeting_sections.register("practices", meeting_section)
