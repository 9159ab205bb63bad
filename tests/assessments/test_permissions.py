"""Every page of the self-assessment as every role: visitor, participant
(an outsider), a member of the organisation who does not edit it, its
editor, the facilitator of its region, a facilitator of another region, a
coordinator. An outsider never sees another organisation's assessment: not
through a page, not through a download (CSV, JSON, PDF, evidence), and not
through the surveys engine's own doors either.

The same rows, without the member, go into tests/test_authorization_matrix.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.assessments.helpers import MATRIX_KWARGS
from tests.conftest import client_for

pytestmark = pytest.mark.usefixtures("media_root")

ROLES = [
    "visitor",
    "participant",
    "member",
    "editor",
    "facilitator",
    "other_facilitator",
    "coordinator",
]
LOGIN = "login"


def roles(visitor, participant, member, editor, facilitator, other, coordinator):
    return dict(
        zip(
            ROLES,
            [visitor, participant, member, editor, facilitator, other, coordinator],
            strict=True,
        )
    )


EVERYONE = roles(200, 200, 200, 200, 200, 200, 200)
SEES = roles(LOGIN, 404, 200, 200, 200, 404, 200)  # the organisation and its stewards
TAKES = roles(LOGIN, 404, 403, 200, 200, 404, 200)  # editors and stewards, in progress
PLANS = roles(LOGIN, 404, 403, 200, 403, 404, 200)  # editors and coordinators
COORDINATOR = roles(LOGIN, 403, 403, 403, 403, 403, 200)

ROWS = {
    "index": (EVERYONE, None, "get"),
    "aggregates": (EVERYONE, None, "get"),
    "aggregates_csv": (EVERYONE, None, "get"),
    "instrument": (COORDINATOR, None, "get"),
    "instrument_xlsx": (COORDINATOR, None, "get"),
    "organization": (SEES, "organization", "get"),
    "start": (TAKES, "organization", "get"),
    "detail": (SEES, "completed", "get"),
    "members": (TAKES, "ongoing", "get"),
    "invitation_remove": (
        {**TAKES, "editor": 302, "facilitator": 302, "coordinator": 302},
        "invitation",
        "post",
    ),
    "consensus": (TAKES, "ongoing", "get"),
    "complete": (TAKES, "ongoing", "get"),
    "from_response": (
        {**SEES, "member": 302, "editor": 302, "facilitator": 302, "coordinator": 302},
        "response",
        "get",
    ),
    "profile": (SEES, "completed", "get"),
    "profile_json": (SEES, "completed", "get"),
    "export": (SEES, "completed", "get"),
    "report": (SEES, "completed", "get"),
    "route": (SEES, "completed", "get"),
    "evidence": (SEES, "evidence", "get"),
    "plan": (SEES, "completed", "get"),
    "plan_action": (PLANS, "action", "get"),
    "plan_comment": (
        roles(LOGIN, 404, 403, 200, 200, 404, 200),
        "completed",
        "post",
    ),
}


@pytest.fixture
def world(participant, member, editor, facilitator, other_facilitator, coordinator, organization):
    return {
        "visitor": None,
        "participant": participant,
        "member": member,
        "editor": editor,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "coordinator": coordinator,
        "organization": organization,
    }


def test_every_view_of_the_app_has_a_row():
    from tests.test_authorization_matrix import polo_url_names

    names = {name.split(":", 1)[1] for name in polo_url_names() if name.startswith("assessments:")}
    assert names == set(ROWS)


CASES = [(name, role) for name in sorted(ROWS) for role in ROLES]


@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_gets_the_expected_status(world, name, role):
    expect, kwargs, method = ROWS[name]
    address = reverse(
        f"assessments:{name}", kwargs=MATRIX_KWARGS[kwargs](world) if kwargs else None
    )
    client = client_for(world[role])
    # A comment posted empty is refused with the form again (200) to those who may comment.
    response = getattr(client, method)(address, {} if method == "post" else None)
    expected = expect[role]
    if expected == LOGIN:
        assert response.status_code == 302 and "/cuentas/login/" in response["Location"]
    else:
        assert response.status_code == expected, (address, role, response.status_code)


def test_an_outsider_gets_nothing_through_any_door(world):
    """The organisation's own data never appears for an outsider; and the
    surveys engine's doors (the response, its export) keep them out too."""
    done = MATRIX_KWARGS["completed"](world)["pk"]
    from polo.assessments.models import Assessment

    assessment = Assessment.objects.get(pk=done)
    consensus = assessment.response
    for role in ("participant", "other_facilitator"):
        client = client_for(world[role])
        for address in (
            reverse("assessments:profile", args=[done]),
            reverse("assessments:profile_json", args=[done]),
            reverse("assessments:export", args=[done]),
            reverse("assessments:report", args=[done]),
            reverse("surveys:response", args=[consensus.pk]),
        ):
            assert client.get(address).status_code in {403, 404}, (role, address)

    def exported(role: str) -> bytes:
        response = client_for(world[role]).get(
            reverse("surveys:responses_export", args=[consensus.round.campaign.slug]),
            {"formato": "csv"},
        )
        assert response.status_code == 200, response.status_code
        return b"".join(response.streaming_content) if response.streaming else response.content

    # Polo's public API says nothing of an organisation's assessment.
    api = client_for(world["participant"]).get(
        reverse("api:organization_detail", kwargs={"id": world["organization"].pk})
    )
    assert api.status_code == 200
    assert b"autodiagn" not in api.content.lower() and b"overall" not in api.content

    # The region's facilitator exports it; a facilitator of another region gets
    # the campaign's export without this organisation's response in it.
    assert consensus.instance_id.encode() in exported("facilitator")
    assert consensus.instance_id.encode() not in exported("other_facilitator")


def test_the_index_lists_only_what_each_person_may_see(world):
    done = MATRIX_KWARGS["completed"](world)["pk"]
    name = world["organization"].name
    assert (
        name in client_for(world["facilitator"]).get(reverse("assessments:index")).content.decode()
    )
    for role in ("participant", "other_facilitator"):
        page = client_for(world[role]).get(reverse("assessments:index")).content.decode()
        assert name not in page and f"/autodiagnostico/{done}/" not in page
