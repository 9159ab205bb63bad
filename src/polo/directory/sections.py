"""Sections other apps add to an organisation's public profile (e.g. the good
practices it recorded, from the practices app), without this app importing them.

    from polo.directory import sections

    def practices_section(request, organization):
        practices = organization.practices.published()
        if not practices:
            return None                                     # nothing to show: no section
        return render_to_string(
            "practices/_section.html", {"practices": practices}, request
        )

    sections.register("practices", practices_section)   # in PracticesConfig.ready()

Each function returns HTML (a string, rendered from the app's own template, so
it is escaped there) or None; sections appear in the order registered, at the
end of the profile. The same hook as polo.meetings.sections.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Section = Callable[[HttpRequest, object], str | None]

_sections: dict[str, Section] = {}


def register(name: str, fn: Section) -> None:
    _sections[name] = fn


def render_sections(request: HttpRequest, organization) -> list[SafeString]:
    rendered = []
    for fn in _sections.values():
        html = fn(request, organization)
        if html:
            rendered.append(mark_safe(html))  # noqa: S308 (rendered by the app's own template)
    return rendered
