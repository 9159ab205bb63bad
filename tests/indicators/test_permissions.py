"""Every indicators view, per role: the public dashboard and published
indicators for everyone; drafts for programme staff only; management for
coordinators; recomputing for staff; the printed report for anyone signed in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.indicators import helpers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]
LOGIN = "login"


@pytest.fixture
def clients(
    as_visitor, as_participant, as_editor, as_facilitator, as_other_facilitator, as_coordinator
):
    return dict(
        zip(
            ROLES,
            [
                as_visitor,
                as_participant,
                as_editor,
                as_facilitator,
                as_other_facilitator,
                as_coordinator,
            ],
            strict=True,
        )
    )


@pytest.fixture
def world(coordinator, participant, municipality, other_municipality):
    return {
        "published": helpers.indicator(coordinator, published=True),
        "draft": helpers.indicator(coordinator, published=False),
        "job": helpers.report_job(participant),
    }


def check(clients, url, expected, method="get", data=None):
    for role in ROLES:
        response = getattr(clients[role], method)(url, data or {})
        want = expected[role]
        if want == LOGIN:
            assert response.status_code == 302 and "/cuentas/login/" in response["Location"], role
        else:
            assert response.status_code == want, (url, role, response.status_code)


def everyone(status):
    return dict.fromkeys(ROLES, status)


STAFF_ONLY = {
    "visitor": 404,
    "participant": 404,
    "editor": 404,
    "facilitator": 200,
    "other_facilitator": 200,
    "coordinator": 200,
}
COORDINATOR = {
    "visitor": LOGIN,
    "participant": 403,
    "editor": 403,
    "facilitator": 403,
    "other_facilitator": 403,
    "coordinator": 200,
}


def test_the_dashboard_is_public(clients, world):
    check(clients, reverse("indicators:index"), everyone(200))


def test_a_published_indicator_is_public(clients, world):
    check(clients, world["published"].get_absolute_url(), everyone(200))
    check(
        clients, reverse("indicators:export", args=[world["published"].slug, "csv"]), everyone(200)
    )
    check(
        clients, reverse("indicators:export", args=[world["published"].slug, "xlsx"]), everyone(200)
    )


def test_a_draft_is_for_programme_staff_and_hidden_from_others(clients, world):
    check(clients, world["draft"].get_absolute_url(), STAFF_ONLY)
    check(clients, reverse("indicators:export", args=[world["draft"].slug, "csv"]), STAFF_ONLY)


def test_an_unknown_format_is_not_found(clients, world):
    check(
        clients, reverse("indicators:export", args=[world["published"].slug, "pdf"]), everyone(404)
    )


def test_the_dashboard_never_lists_a_draft(as_coordinator, as_visitor, world):
    for client in (as_visitor, as_coordinator):
        html = client.get(reverse("indicators:index")).content.decode()
        assert world["published"].name in html
        assert world["draft"].name not in html


def test_management_is_for_coordinators(clients, world):
    check(clients, reverse("indicators:manage"), COORDINATOR)
    check(clients, reverse("indicators:create"), COORDINATOR)
    check(clients, reverse("indicators:edit", args=[world["draft"].slug]), COORDINATOR)


def test_publishing_is_for_coordinators(clients, world):
    expected = {**COORDINATOR, "coordinator": 302}
    check(
        clients,
        reverse("indicators:publish", args=[world["draft"].slug]),
        expected,
        "post",
        {"publish": "1"},
    )
    world["draft"].refresh_from_db()
    assert world["draft"].is_published


def test_recomputing_is_for_staff(clients, world):
    expected = {
        "visitor": LOGIN,
        "participant": 403,
        "editor": 403,
        "facilitator": 302,
        "other_facilitator": 302,
        "coordinator": 302,
    }
    check(clients, reverse("indicators:refresh", args=[world["published"].slug]), expected, "post")


def test_recomputing_a_draft_is_not_found_for_the_public(clients, world):
    expected = {
        "visitor": LOGIN,
        "participant": 404,
        "editor": 404,
        "facilitator": 302,
        "other_facilitator": 302,
        "coordinator": 302,
    }
    check(clients, reverse("indicators:refresh", args=[world["draft"].slug]), expected, "post")


def test_the_report_is_for_anyone_signed_in(clients, world):
    check(clients, reverse("indicators:report"), {**everyone(200), "visitor": LOGIN})


def test_a_report_is_downloaded_by_its_owner_and_coordinators(clients, world):
    expected = {
        "visitor": LOGIN,
        "participant": 200,
        "editor": 404,
        "facilitator": 404,
        "other_facilitator": 404,
        "coordinator": 200,
    }
    check(clients, reverse("indicators:report_download", args=[world["job"].pk]), expected)


def test_an_unfinished_report_is_not_found(as_participant, participant, world):
    job = helpers.report_job(participant, done=False)
    response = as_participant.get(reverse("indicators:report_download", args=[job.pk]))
    assert response.status_code == 404


def test_get_is_refused_where_only_post_acts(as_coordinator, world):
    for name in ("indicators:publish", "indicators:refresh"):
        response = as_coordinator.get(reverse(name, args=[world["published"].slug]))
        assert response.status_code == 405
