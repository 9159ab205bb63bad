"""Every consultations view, requested as every role (the rows the
authorization matrix needs, tested here against the consultations' own world:
an open consultation and a draft, both in the facilitator's region)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.consultations.conftest import make_consultation

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]
LOGIN = "login"


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status):
    return {"visitor": LOGIN, **dict.fromkeys(ROLES[1:], status)}


def manages(status, denied=403, visitor=LOGIN):
    """The facilitators of the consultation's region and coordinators."""
    return {
        "visitor": visitor,
        "participant": denied,
        "editor": denied,
        "facilitator": status,
        "other_facilitator": denied,
        "coordinator": status,
    }


def draft(status):
    """A draft is not there (404) for anyone who does not manage it."""
    return manages(status, denied=404, visitor=404)


def open_(w):
    return [w["consultation"].slug]


def in_draft(w):
    return [w["draft"].slug]


ROWS = {
    "index": (everyone(200), lambda w: [], "get", {}),
    "detail": (everyone(200), open_, "get", {}),
    "receipt": (everyone(200), open_, "get", {}),
    "create": (
        {**manages(200), "other_facilitator": 200},
        lambda w: [],
        "get",
        {},
    ),
    "edit": (manages(200), open_, "get", {}),
    "question_add": (draft(400), in_draft, "post", {}),
    "question_remove": (draft(302), lambda w: [w["draft"].slug, w["question"].pk], "post", {}),
    "schedule": (draft(302), in_draft, "post", {}),
    "codes": (manages(200), open_, "get", {}),
    "voter_check": (manages(200), open_, "get", {}),
    "publish": (manages(409), open_, "post", {}),
    "audit": (manages(200), open_, "get", {}),
    # Signed in but living nowhere in particular: not on the roll (eligibility
    # itself is tested in test_eligibility).
    "vote": (signed_in(403), open_, "get", {}),
    "vote_code": (everyone(200), open_, "get", {}),
}


def test_every_consultations_url_has_a_row():
    from polo.consultations.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(ROWS)


@pytest.fixture
def world(municipality):
    consultation = make_consultation(municipality=municipality)
    draft_ = make_consultation(municipality=municipality, slug="borrador", status="draft")
    return {"consultation": consultation, "draft": draft_, "question": draft_.questions.first()}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_role_gets_what_the_row_says(request, name, role, world):
    expect, args, method, data = ROWS[name]
    client = request.getfixturevalue(f"as_{role}")
    response = getattr(client, method)(reverse(f"consultations:{name}", args=args(world)), data)
    wanted = expect[role]
    if wanted == LOGIN:
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        assert response.status_code == wanted, (name, role, response.status_code)


def test_a_draft_is_listed_only_for_those_who_manage_it(
    world, as_visitor, as_participant, as_other_facilitator, as_facilitator, as_coordinator
):
    url = reverse("consultations:index")
    for client in (as_visitor, as_participant, as_other_facilitator):
        page = client.get(url).content.decode()
        assert world["consultation"].get_absolute_url() in page
        assert world["draft"].get_absolute_url() not in page
    for client in (as_facilitator, as_coordinator):
        assert world["draft"].get_absolute_url() in client.get(url).content.decode()
