"""How a participant is named on public pages: first name and the initial of
the surname ("Carmen L."), never the full name or the e-mail, so that taking
part in an agenda does not publish who someone is in full."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def public_name(user) -> str:
    name = (getattr(user, "full_name", "") or "").split()
    if not name:
        return "—"
    if len(name) == 1:
        return name[0]
    return f"{name[0]} {name[1][0]}."
