"""Every meetings view, requested as every role (the rows the authorization
matrix needs, tested here against the meetings' own world)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.meetings import services

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]
LOGIN = "login"


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status):
    return {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], status)}


def runs(status, denied=403):
    return {
        "visitor": LOGIN,
        "participant": denied,
        "editor": status,
        "facilitator": status,
        "other_facilitator": denied,
        "coordinator": status,
    }


def staff(status):
    return {
        "visitor": LOGIN,
        "participant": 403,
        "editor": 403,
        "facilitator": status,
        "other_facilitator": status,
        "coordinator": status,
    }


ROWS = {
    "index": (everyone(200), lambda w: [], "get", {}),
    "feed": (everyone(200), lambda w: [], "get", {}),
    "meeting": (everyone(200), lambda w: [w["meeting"].pk], "get", {}),
    "meeting_ics": (everyone(200), lambda w: [w["meeting"].pk], "get", {}),
    "meeting_create": (
        {
            "visitor": LOGIN,
            "participant": 403,
            "editor": 200,
            "facilitator": 200,
            "other_facilitator": 200,
            "coordinator": 200,
        },
        lambda w: [],
        "get",
        {},
    ),
    "meeting_edit": (runs(200), lambda w: [w["meeting"].pk], "get", {}),
    "register": (signed_in(200), lambda w: [w["meeting"].pk], "get", {}),
    "register_other": (runs(200), lambda w: [w["meeting"].pk], "get", {}),
    "my_registrations": (signed_in(200), lambda w: [], "get", {}),
    "registration": (runs(200, denied=404), lambda w: [w["registration"].pk], "get", {}),
    "registration_cancel": (runs(302, denied=404), lambda w: [w["registration"].pk], "post", {}),
    "checkin": (runs(200), lambda w: [w["meeting"].pk], "get", {}),
    "checkin_mark": (runs(302), lambda w: [w["meeting"].pk, w["registration"].pk], "post", {}),
    "walk_in": (runs(400), lambda w: [w["meeting"].pk], "post", {}),
    "paper_sheet": (runs(200), lambda w: [w["meeting"].pk], "get", {}),
    "sign_in_sheet": (runs(200), lambda w: [w["meeting"].pk], "get", {}),
    "checkin_qr": (runs(200), lambda w: [services.checkin_token(w["registration"])], "get", {}),
    "write_up": (runs(200), lambda w: [w["meeting"].pk], "get", {}),
    "evaluate": (signed_in(403), lambda w: [w["meeting"].pk], "get", {}),
    "figures": (everyone(200), lambda w: [], "get", {}),
    "figures_export": (everyone(200), lambda w: ["csv"], "get", {}),
    "figures_people": (staff(200), lambda w: [], "get", {}),
}


def test_every_meetings_url_has_a_row():
    from polo.meetings.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(ROWS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_role_gets_what_the_row_says(request, name, role, meeting, registration, media_root):
    expect, args, method, data = ROWS[name]
    client = request.getfixturevalue(f"as_{role}")
    world = {"meeting": meeting, "registration": registration}
    response = getattr(client, method)(reverse(f"meetings:{name}", args=args(world)), data)
    wanted = expect[role]
    if wanted == LOGIN:
        assert response.status_code == 302
        assert "/cuentas/login/" in response["Location"] or "login" in response["Location"]
    else:
        assert response.status_code == wanted, (name, role, response.status_code)


def test_the_participants_names_reach_only_those_who_run_the_meeting(
    as_participant, as_other_facilitator, as_editor, as_facilitator, as_coordinator, registration
):
    url = reverse("meetings:checkin", args=[registration.meeting.pk])
    for client in (as_editor, as_facilitator, as_coordinator):
        assert "Juana Gómez" in client.get(url).content.decode()
    for client in (as_participant, as_other_facilitator):
        assert "Juana Gómez" not in client.get(url).content.decode()
