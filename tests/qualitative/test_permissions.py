"""Every view of the qualitative diagnosis, requested as every role, with the
status each must get: the rows the authorization matrix needs
(tests/test_authorization_matrix.py), kept here too so that this app's suite
checks them on its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from polo.qualitative.models import Passage
from tests.conftest import client_for
from tests.qualitative.factories import (
    matrix_code,
    matrix_passage,
    matrix_round,
    matrix_session,
    open_response,
    passage_of_answer,
)

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]
LOGIN = "login"


@dataclass
class Row:
    expect: dict[str, int | str]
    kwargs: Any = None
    method: str = "get"
    data: dict = field(default_factory=dict)


def statuses(*values) -> dict[str, int | str]:
    return dict(zip(ROLES, values, strict=True))


STAFF = statuses(LOGIN, 403, 403, 200, 200, 200)
SESSION_STEWARD = statuses(LOGIN, 404, 404, 200, 404, 200)

MATRIX: dict[str, Row] = {
    "qualitative:dashboard": Row(statuses(200, 200, 200, 200, 200, 200)),
    "qualitative:focus_groups": Row(STAFF),
    "qualitative:focus_group_create": Row(STAFF),
    "qualitative:focus_group": Row(SESSION_STEWARD, kwargs=lambda w: {"pk": matrix_session(w).pk}),
    "qualitative:focus_group_edit": Row(
        SESSION_STEWARD, kwargs=lambda w: {"pk": matrix_session(w).pk}
    ),
    "qualitative:open_answers": Row(
        statuses(LOGIN, 403, 403, 200, 403, 200),
        kwargs=lambda w: {"round_pk": matrix_round(w).pk},
    ),
    "qualitative:passages": Row(STAFF),
    "qualitative:passage": Row(SESSION_STEWARD, kwargs=lambda w: {"pk": matrix_passage(w).pk}),
    "qualitative:passage_delete": Row(
        statuses(LOGIN, 404, 404, 302, 404, 302),
        kwargs=lambda w: {"pk": matrix_passage(w).pk},
        method="post",
    ),
    "qualitative:quote": Row(
        statuses(LOGIN, 404, 404, 403, 404, 200), kwargs=lambda w: {"pk": matrix_passage(w).pk}
    ),
    "qualitative:codebook": Row(STAFF),
    "qualitative:code_edit": Row(
        statuses(LOGIN, 403, 403, 403, 403, 200), kwargs=lambda w: {"slug": matrix_code(w).slug}
    ),
    "qualitative:code_merge": Row(
        statuses(LOGIN, 403, 403, 403, 403, 200), kwargs=lambda w: {"slug": matrix_code(w).slug}
    ),
    "qualitative:export": Row(STAFF, kwargs=lambda w: {"fmt": "csv"}),
}


@pytest.fixture
def world(participant, editor, facilitator, other_facilitator, coordinator, organization):
    return {
        "visitor": None,
        "participant": participant,
        "editor": editor,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "coordinator": coordinator,
        "organization": organization,
    }


def test_every_view_of_the_app_has_a_row():
    from django.urls import get_resolver

    resolver = get_resolver()
    names = {
        f"qualitative:{name}"
        for name in resolver.namespace_dict["qualitative"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == set(MATRIX)


CASES = [(name, role) for name in sorted(MATRIX) for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_gets_the_expected_status(world, url_name, role):
    row = MATRIX[url_name]
    url = reverse(url_name, kwargs=row.kwargs(world) if row.kwargs else None)
    response = getattr(client_for(world[role]), row.method)(url, row.data)
    expected = row.expect[role]
    if expected == LOGIN:
        assert response.status_code == 302, (url, role, response.status_code)
        assert "/cuentas/login/" in response["Location"]
    else:
        assert response.status_code == expected, (url, role, response.status_code)


# --- Writes, role by role --------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("participant", 404),
        ("editor", 404),
        ("other_facilitator", 404),
        ("facilitator", 302),
        ("coordinator", 302),
    ],
)
def test_only_stewards_of_the_session_code_its_notes(world, role, expected):
    session = matrix_session(world)
    code = matrix_code(world)

    response = client_for(world[role]).post(
        session.get_absolute_url(), {"paragraph": "0", "codes": [code.pk]}
    )

    assert response.status_code == expected
    assert Passage.objects.exists() == (expected == 302)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("participant", 404), ("other_facilitator", 404), ("facilitator", 302)],
)
def test_only_stewards_edit_a_session(world, role, expected):
    from tests.qualitative.test_sessions import session_data

    session = matrix_session(world)
    url = reverse("qualitative:focus_group_edit", args=[session.pk])

    response = client_for(world[role]).post(
        url, session_data(session.municipality, title="Cambiado")
    )

    session.refresh_from_db()
    assert response.status_code == expected
    assert (session.title == "Cambiado") == (expected == 302)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("participant", 403), ("editor", 403), ("facilitator", 302), ("coordinator", 302)],
)
def test_staff_add_themes(world, role, expected):
    response = client_for(world[role]).post(reverse("qualitative:codebook"), {"name": "Migración"})

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("facilitator", 403), ("other_facilitator", 404), ("coordinator", 302)],
)
def test_only_coordinators_publish_quotes(world, role, expected):
    passage = matrix_passage(world)

    response = client_for(world[role]).post(
        reverse("qualitative:quote", args=[passage.pk]), {"published_text": "Texto"}
    )

    passage.refresh_from_db()
    assert response.status_code == expected
    assert passage.is_published == (expected == 302)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("participant", 403),
        ("editor", 403),  # sees the organisation's responses, but does not code them
        ("other_facilitator", 403),
        ("facilitator", 302),
        ("coordinator", 302),
    ],
)
def test_only_staff_who_see_a_response_code_it(world, role, expected):
    round_ = matrix_round(world)
    response_ = open_response(
        round_,
        world["organization"].municipality,
        problems="Falta agua.",
        organization=world["organization"],
    )
    code = matrix_code(world)

    response = client_for(world[role]).post(
        reverse("qualitative:open_answers", args=[round_.pk]),
        {"response": response_.pk, "question": "problemas", "row": "0", "codes": [code.pk]},
    )

    assert response.status_code == expected


def test_a_facilitator_of_another_region_cannot_open_a_passage_of_an_answer(
    world, other_facilitator
):
    round_ = matrix_round(world)
    answer = open_response(round_, world["organization"].municipality, problems="Falta agua.")
    passage = passage_of_answer(answer, [matrix_code(world)])

    response = client_for(other_facilitator).get(passage.get_absolute_url())

    assert response.status_code == 404
