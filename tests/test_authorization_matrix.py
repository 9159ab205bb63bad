"""The authorization matrix: every Polo view, requested as every role.

Each named URL of Polo's own apps has a row saying which status each role gets.
A new view without a row fails `test_every_view_has_a_row`, so nobody adds a page
without deciding who may see it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from polo.core.models import Job
from polo.directory.models import Alliance, NetworkMembership, ProfileRevision
from tests import factories as f
from tests.conftest import client_for
from tests.directory import helpers_io as io_helpers
from tests.directory.helpers_io import media_root_fixture  # noqa: F401

# Import and print jobs write files: keep them in a temporary MEDIA_ROOT.
pytestmark = pytest.mark.usefixtures("media_root")

ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]
LOGIN = "login"  # a redirect to the login page


@dataclass
class Row:
    expect: dict[str, int | str]
    kwargs: Any = None  # a function of the world giving the URL's kwargs
    method: str = "get"
    data: dict = field(default_factory=dict)


def everyone(status: int) -> dict[str, int | str]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, visitor: int | str = LOGIN) -> dict[str, int | str]:
    return {"visitor": visitor, **dict.fromkeys(ROLES[1:], status)}


def only_coordinator(denied: int = 403) -> dict[str, int | str]:
    return {"visitor": LOGIN, **dict.fromkeys(ROLES[1:5], denied), "coordinator": 200}


def steward_or_editor(status: int) -> dict[str, int | str]:
    """The organisation's editor, the facilitator of its region and coordinators."""
    return {
        "visitor": LOGIN,
        "participant": 403,
        "editor": status,
        "facilitator": status,
        "other_facilitator": 403,
        "coordinator": status,
    }


def steward(status: int) -> dict[str, int | str]:
    """Reviewers: the facilitator of the organisation's region and coordinators."""
    return {
        "visitor": LOGIN,
        "participant": 403,
        "editor": 403,
        "facilitator": status,
        "other_facilitator": 403,
        "coordinator": status,
    }


MATRIX: dict[str, Row] = {
    "core:home": Row(everyone(200)),
    "core:healthz": Row(everyone(200)),
    "core:job": Row(
        {
            "visitor": LOGIN,
            "participant": 200,
            "editor": 404,
            "facilitator": 404,
            "other_facilitator": 404,
            "coordinator": 200,
        },
        kwargs=lambda w: {"job_id": w["job"].pk},
    ),
    "accounts:profile": Row(signed_in(200)),
    "accounts:privacy_notice": Row(everyone(200)),
    "accounts:privacy_notice_version": Row(everyone(200), kwargs=lambda w: {"version": "2026-11"}),
    "accounts:privacy_notice_accept": Row(signed_in(200)),
    "accounts:profile_edit": Row(signed_in(200)),
    "accounts:my_data": Row(signed_in(200)),
    "accounts:cancel": Row(signed_in(200)),
    "accounts:cancelled": Row(everyone(200)),
    "audit:index": Row(only_coordinator()),
    "audit:record": Row(
        only_coordinator(),
        kwargs=lambda w: {
            "app_label": "directory",
            "model_name": "organization",
            "pk": w["organization"].pk,
        },
    ),
    "territory:regions": Row(everyone(200)),
    "territory:region": Row(
        everyone(200), kwargs=lambda w: {"slug": w["organization"].municipality.region.slug}
    ),
    "territory:state": Row(
        everyone(200), kwargs=lambda w: {"code": w["organization"].municipality.state.code}
    ),
    "territory:municipality": Row(
        everyone(200), kwargs=lambda w: {"code": w["organization"].municipality.code}
    ),
    "directory:index": Row(everyone(200)),
    "directory:map": Row(everyone(200)),
    "directory:import": Row(
        {
            "visitor": LOGIN,
            "participant": 403,
            "editor": 403,
            "facilitator": 200,
            "other_facilitator": 200,
            "coordinator": 200,
        }
    ),
    "directory:import_preview": Row(
        {
            "visitor": LOGIN,
            "participant": 403,
            "editor": 403,
            "facilitator": 200,
            "other_facilitator": 404,
            "coordinator": 200,
        },
        kwargs=lambda w: {"job_id": io_helpers.import_job(w["facilitator"]).pk},
    ),
    "directory:import_confirm": Row(
        {
            "visitor": LOGIN,
            "participant": 403,
            "editor": 403,
            "facilitator": 302,
            "other_facilitator": 404,
            "coordinator": 403,
        },
        kwargs=lambda w: {"job_id": io_helpers.import_job(w["facilitator"]).pk},
        method="post",
    ),
    "directory:import_report": Row(
        {
            "visitor": LOGIN,
            "participant": 403,
            "editor": 403,
            "facilitator": 200,
            "other_facilitator": 404,
            "coordinator": 200,
        },
        kwargs=lambda w: {"job_id": io_helpers.import_job(w["facilitator"], applied=True).pk},
    ),
    "directory:export": Row(everyone(200), kwargs=lambda w: {"fmt": "csv"}),
    "directory:print": Row(signed_in(200)),
    "directory:print_download": Row(
        {
            "visitor": LOGIN,
            "participant": 200,
            "editor": 404,
            "facilitator": 404,
            "other_facilitator": 404,
            "coordinator": 200,
        },
        kwargs=lambda w: {"job_id": io_helpers.print_job(w["participant"]).pk},
    ),
    "directory:propose": Row(signed_in(200)),
    "directory:organization_edit": Row(
        steward_or_editor(200), kwargs=lambda w: {"pk": w["organization"].pk}
    ),
    "directory:organization_submit": Row(
        steward_or_editor(302), kwargs=lambda w: {"pk": w["organization"].pk}, method="post"
    ),
    "directory:organization_members": Row(
        steward_or_editor(200), kwargs=lambda w: {"pk": w["organization"].pk}
    ),
    "directory:membership_remove": Row(
        steward_or_editor(302),
        kwargs=lambda w: {
            "pk": w["organization"].pk,
            "membership_pk": w["editor"].memberships.get().pk,
        },
        method="post",
    ),
    "directory:organization_networks": Row(
        steward_or_editor(200), kwargs=lambda w: {"pk": w["organization"].pk}
    ),
    "directory:network_membership_end": Row(
        steward_or_editor(302),
        kwargs=lambda w: {
            "pk": w["organization"].pk,
            "link_pk": NetworkMembership.objects.create(
                network=f.OrganizationFactory(
                    kind="network", municipality=w["organization"].municipality
                ),
                member=w["organization"],
            ).pk,
        },
        method="post",
    ),
    "directory:organization_alliances": Row(
        steward_or_editor(200), kwargs=lambda w: {"pk": w["organization"].pk}
    ),
    "directory:alliance_action": Row(
        steward_or_editor(302),
        kwargs=lambda w: {
            "pk": w["organization"].pk,
            "alliance_pk": Alliance.objects.create(
                source=f.OrganizationFactory(municipality=w["organization"].municipality),
                target=w["organization"],
                kind="agreement",
            ).pk,
            "action": "confirmar",
        },
        method="post",
    ),
    "directory:organization_history": Row(
        only_coordinator(), kwargs=lambda w: {"pk": w["organization"].pk}
    ),
    "directory:organization_revert": Row(
        only_coordinator(),
        kwargs=lambda w: {
            "pk": w["organization"].pk,
            "history_id": w["organization"].history.latest().history_id,
        },
    ),
    "directory:review_queue": Row(
        {
            "visitor": LOGIN,
            "participant": 403,
            "editor": 403,
            "facilitator": 200,
            "other_facilitator": 200,
            "coordinator": 200,
        }
    ),
    "directory:organization_review": Row(
        steward(200), kwargs=lambda w: {"pk": w["organization"].pk}
    ),
    "directory:revision_review": Row(
        steward(200),
        kwargs=lambda w: {
            "revision_pk": ProfileRevision.objects.create(
                organization=w["organization"], data={"acronym": "MV"}, submitted_by=w["editor"]
            ).pk
        },
    ),
    "directory:merge": Row(only_coordinator()),
    "directory:key_community_edit": Row(
        steward(200),
        kwargs=lambda w: {
            "community_pk": f.CommunityFactory(municipality=w["organization"].municipality).pk
        },
    ),
    "directory:organization": Row(everyone(200), kwargs=lambda w: {"pk": w["organization"].pk}),
    "api:api-root": Row(everyone(200)),
    "api:openapi-json": Row(everyone(200)),
    "api:organization_list": Row(everyone(200)),
    "api:organization_detail": Row(everyone(200), kwargs=lambda w: {"id": w["organization"].pk}),
    "api:theme_list": Row(everyone(200)),
    "api:population_list": Row(everyone(200)),
    "api:language_list": Row(everyone(200)),
    "api:region_list": Row(everyone(200)),
    "api:municipality_list": Row(everyone(200)),
}

# Views of Polo's apps that the matrix leaves out on purpose, with the reason.
EXEMPT: dict[str, str] = {}


def polo_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                module = getattr(pattern.urlconf_module, "__name__", "")
                if ns and module.startswith("polo."):
                    walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and namespace and pattern.name:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_view_has_a_row():
    missing = polo_url_names() - set(MATRIX) - set(EXEMPT)
    assert not missing, f"views without a row in the authorization matrix: {sorted(missing)}"


def test_every_row_names_a_view():
    assert set(MATRIX) <= polo_url_names()


@pytest.fixture
def world(
    participant, editor, facilitator, other_facilitator, coordinator, organization, privacy_notice
):
    job = Job.objects.create(kind="test", title="Exportación", owner=participant)
    return {
        "visitor": None,
        "participant": participant,
        "editor": editor,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "coordinator": coordinator,
        "organization": organization,
        "job": job,
        "theme": f.ThemeFactory(),
    }


CASES = [(name, role) for name in sorted(MATRIX) for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_gets_the_expected_status(world, url_name, role):
    row = MATRIX[url_name]
    url = reverse(url_name, kwargs=row.kwargs(world) if row.kwargs else None)
    client = client_for(world[role])
    response = getattr(client, row.method)(url, row.data)
    expected = row.expect[role]
    if expected == LOGIN:
        assert response.status_code == 302, (url, role, response.status_code)
        assert "/cuentas/login/" in response["Location"], response["Location"]
    else:
        assert response.status_code == expected, (url, role, response.status_code)
