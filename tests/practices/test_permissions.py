"""Every practices view, requested as every role (the rows the authorization
matrix needs, tested here against the practices' own world)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.practices.models import Evidence
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]
LOGIN = "login"


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status):
    return {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], status)}


def editors_and_reviewers(status, denied=403):
    """The organisation's editors, the facilitator of the region, coordinators."""
    return {
        "visitor": LOGIN,
        "participant": denied,
        "editor": status,
        "facilitator": status,
        "other_facilitator": denied,
        "coordinator": status,
    }


def reviewers(status):
    return {**editors_and_reviewers(status), "editor": 403}


def staff(status):
    return {
        "visitor": LOGIN,
        "participant": 403,
        "editor": 403,
        "facilitator": status,
        "other_facilitator": status,
        "coordinator": status,
    }


def slug(w):
    return [w["practice"].slug]


def draft_slug(w):
    return [w["draft"].slug]


ROWS = {
    "index": (everyone(200), lambda w: [], "get", {}),
    "practice": (everyone(200), slug, "get", {}),
    "evidence_file": (everyone(200), lambda w: [w["practice"].slug, w["file"].pk], "get", {}),
    "practice_create": (
        {**staff(200), "editor": 200},
        lambda w: [],
        "get",
        {},
    ),
    "my_practices": (signed_in(200), lambda w: [], "get", {}),
    "practice_edit": (editors_and_reviewers(200), slug, "get", {}),
    "practice_submit": (editors_and_reviewers(302, denied=404), draft_slug, "post", {}),
    "practice_archive": (editors_and_reviewers(302, denied=404), draft_slug, "post", {}),
    "practice_evidence": (editors_and_reviewers(200), slug, "get", {}),
    "practice_meetings": (editors_and_reviewers(200), slug, "get", {}),
    "review_queue": (staff(200), lambda w: [], "get", {}),
    "practice_review": (reviewers(200), slug, "get", {}),
    # The meeting's side: those who run the meeting (its organisers, the
    # facilitator of its region, coordinators).
    "meeting_practices": (editors_and_reviewers(200), lambda w: [w["meeting"].pk], "get", {}),
}


def test_every_practices_url_has_a_row():
    from polo.practices.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(ROWS)


@pytest.fixture
def world(practice, draft, organization, municipality, media_root):
    meeting = MeetingFactory(municipality=municipality)
    meeting.organizers.add(organization)
    from django.core.files.base import ContentFile

    file = Evidence(practice=practice, kind="file", title="Foto", content_type="image/png")
    file.file.save("foto.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 32), save=False)
    file.save()
    return {"practice": practice, "draft": draft, "meeting": meeting, "file": file}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_role_gets_what_the_row_says(request, name, role, world):
    expect, args, method, data = ROWS[name]
    client = request.getfixturevalue(f"as_{role}")
    response = getattr(client, method)(reverse(f"practices:{name}", args=args(world)), data)
    wanted = expect[role]
    if wanted == LOGIN:
        assert response.status_code == 302, (name, role, response.status_code)
        assert "/cuentas/login/" in response["Location"]
    else:
        assert response.status_code == wanted, (name, role, response.status_code)


def test_a_draft_is_not_found_by_those_who_may_not_see_it(
    as_visitor, as_participant, as_other_facilitator, as_editor, as_facilitator, draft
):
    url = draft.get_absolute_url()
    for client in (as_visitor, as_participant, as_other_facilitator):
        assert client.get(url).status_code == 404
    for client in (as_editor, as_facilitator):
        assert client.get(url).status_code == 200
    assert "Huertos escolares" not in as_visitor.get(reverse("practices:index")).content.decode()
