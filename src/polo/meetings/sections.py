"""Sections other apps add to a meeting's page (e.g. the good practices
presented there, from the practices app), without this app importing them.

    from polo.meetings import sections

    def practices_section(request, meeting):
        practices = meeting.practices.published()          # the practices app's own M2M
        if not practices:
            return None                                     # nothing to show: no section
        return render_to_string(
            "practices/_meeting_section.html", {"practices": practices}, request
        )

    sections.register("practices", practices_section)   # in PracticesConfig.ready()

Each function returns HTML (a string, rendered from the app's own template, so
it is escaped there) or None; sections appear in the order registered, under the
meeting's own content.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Section = Callable[[HttpRequest, object], str | None]

_sections: dict[str, Section] = {}


def register(name: str, fn: Section) -> None:
    _sections[name] = fn


def render_sections(request: HttpRequest, meeting) -> list[SafeString]:
    rendered = []
    for fn in _sections.values():
        html = fn(request, meeting)
        if html:
            rendered.append(mark_safe(html))  # noqa: S308 (rendered by the app's own template)
    return rendered
