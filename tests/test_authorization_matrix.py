"""The authorization matrix: every Polo view, requested as every role.

Each named URL of Polo's own apps has a row saying which status each role gets.
A new view without a row fails `test_every_view_has_a_row`, so nobody adds a page
without deciding who may see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from polo.core.models import Job
from polo.directory.models import Alliance, NetworkMembership, ProfileRevision
from polo.surveys import services as survey_services
from polo.surveys.instruments.baseline import baseline_xlsform
from polo.surveys.models import Campaign, Round
from tests import factories as f
from tests.conftest import client_for, module_rows, personas
from tests.directory import helpers_io as io_helpers
from tests.directory.helpers_io import media_root_fixture  # noqa: F401
from tests.indicators import helpers as indicator_helpers
from tests.qualitative import factories as qf
from tests.surveys import collect_helpers, manage_helpers

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


def staff(status: int) -> dict[str, int | str]:
    """Programme staff, whatever their region: facilitators and coordinators."""
    return {
        "visitor": LOGIN,
        "participant": 403,
        "editor": 403,
        "facilitator": status,
        "other_facilitator": status,
        "coordinator": status,
    }


def regional(status: int, outsider: int = 404, denied: int = 404) -> dict[str, int | str]:
    """Staff of the object's region and coordinators; others are told it is not there."""
    return {
        "visitor": LOGIN,
        "participant": denied,
        "editor": denied,
        "facilitator": status,
        "other_facilitator": outsider,
        "coordinator": status,
    }


COLLECT_PAGE = {
    "visitor": LOGIN,
    "participant": 404,
    "editor": 200,
    "facilitator": 200,
    "other_facilitator": 404,
    "coordinator": 200,
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
    "api:meeting_list": Row(everyone(200)),
    "api:agreement_list": Row(everyone(200)),
    "api:practice_list": Row(everyone(200)),
    "api:agenda_list": Row(everyone(200)),
    "api:agenda_proposals": Row(everyone(200), kwargs=lambda w: {"slug": w["api_agenda"].slug}),
    "api:consultation_list": Row(everyone(200)),
    "api:consultation_detail": Row(
        everyone(200), kwargs=lambda w: {"slug": w["api_consultation"].slug}
    ),
    # Surveys: the web form.
    "surveys:collect_start": Row(signed_in(200)),
    "surveys:collect_new": Row(
        steward_or_editor(200), kwargs=lambda w: {"round_pk": w["round"].pk}
    ),
    "surveys:collect_section": Row(
        COLLECT_PAGE, kwargs=lambda w: {"pk": w["draft"].pk, "index": 0}
    ),
    "surveys:collect_review": Row(COLLECT_PAGE, kwargs=lambda w: {"pk": w["draft"].pk}),
    # OpenRosa: the protocol ignores sessions (collectors use app passwords).
    "openrosa:form_list": Row(everyone(401)),
    "openrosa:form_download": Row(everyone(401), kwargs=lambda w: {"xform_id": "linea-base.r1"}),
    "openrosa:submission": Row(everyone(401)),
    "openrosa:setup": Row(staff(200)),
    # Qualitative diagnosis.
    "qualitative:dashboard": Row(everyone(200)),
    "qualitative:focus_groups": Row(staff(200)),
    "qualitative:focus_group_create": Row(staff(200)),
    "qualitative:focus_group": Row(regional(200), kwargs=lambda w: {"pk": qf.matrix_session(w).pk}),
    "qualitative:focus_group_edit": Row(
        regional(200), kwargs=lambda w: {"pk": qf.matrix_session(w).pk}
    ),
    "qualitative:open_answers": Row(
        regional(200, outsider=403, denied=403),
        kwargs=lambda w: {"round_pk": qf.matrix_round(w).pk},
    ),
    "qualitative:passages": Row(staff(200)),
    "qualitative:passage": Row(regional(200), kwargs=lambda w: {"pk": qf.matrix_passage(w).pk}),
    "qualitative:passage_delete": Row(
        regional(302), kwargs=lambda w: {"pk": qf.matrix_passage(w).pk}, method="post"
    ),
    "qualitative:quote": Row(
        {**regional(200), "facilitator": 403}, kwargs=lambda w: {"pk": qf.matrix_passage(w).pk}
    ),
    "qualitative:codebook": Row(staff(200)),
    "qualitative:code_edit": Row(
        only_coordinator(), kwargs=lambda w: {"slug": qf.matrix_code(w).slug}
    ),
    "qualitative:code_merge": Row(
        only_coordinator(), kwargs=lambda w: {"slug": qf.matrix_code(w).slug}
    ),
    "qualitative:export": Row(staff(200), kwargs=lambda w: {"fmt": "csv"}),
    # Surveys: instruments, campaigns, responses.
    "surveys:instruments": Row(staff(200)),
    "surveys:instrument_upload": Row(only_coordinator()),
    "surveys:instrument": Row(
        staff(200), kwargs=lambda w: {"slug": w["survey"]["instrument"].slug}
    ),
    "surveys:instrument_version": Row(
        staff(200), kwargs=lambda w: {"slug": w["survey"]["instrument"].slug, "number": 1}
    ),
    "surveys:instrument_xlsform": Row(
        staff(200), kwargs=lambda w: {"slug": w["survey"]["instrument"].slug, "number": 1}
    ),
    "surveys:instrument_xform": Row(
        staff(200), kwargs=lambda w: {"slug": w["survey"]["instrument"].slug, "number": 1}
    ),
    "surveys:campaigns": Row(staff(200)),
    "surveys:campaign_create": Row(only_coordinator()),
    "surveys:campaign": Row(regional(200), kwargs=lambda w: {"slug": w["survey"]["campaign"].slug}),
    "surveys:campaign_edit": Row(
        {**regional(200), "facilitator": 403},
        kwargs=lambda w: {"slug": w["survey"]["campaign"].slug},
    ),
    "surveys:round_create": Row(
        {**regional(200), "facilitator": 403},
        kwargs=lambda w: {"slug": w["survey"]["campaign"].slug},
    ),
    "surveys:round_edit": Row(
        {**regional(200), "facilitator": 403},
        kwargs=lambda w: {"slug": w["survey"]["campaign"].slug, "pk": w["survey"]["round"].pk},
    ),
    "surveys:round_toggle": Row(
        {**regional(302), "facilitator": 403},
        kwargs=lambda w: {"slug": w["survey"]["campaign"].slug, "pk": w["survey"]["round"].pk},
        method="post",
        data={"accion": "cerrar"},
    ),
    "surveys:responses": Row(
        regional(200), kwargs=lambda w: {"slug": w["survey"]["campaign"].slug}
    ),
    "surveys:response": Row(
        {**regional(200), "editor": 200}, kwargs=lambda w: {"pk": w["survey"]["response"].pk}
    ),
    "surveys:attachment": Row(
        {**regional(200), "editor": 200}, kwargs=lambda w: {"pk": w["survey"]["attachment"].pk}
    ),
    "surveys:response_review": Row(
        {**regional(302), "editor": 403},
        kwargs=lambda w: {"pk": w["survey"]["response"].pk},
        method="post",
        data={"status": "approved", "comment": ""},
    ),
    # Indicators and the diagnosis dashboard.
    "indicators:index": Row(everyone(200)),
    "indicators:indicator": Row(everyone(200), kwargs=lambda w: {"slug": w["indicator"].slug}),
    "indicators:export": Row(
        everyone(200), kwargs=lambda w: {"slug": w["indicator"].slug, "fmt": "csv"}
    ),
    "indicators:refresh": Row(
        {**staff(302)}, kwargs=lambda w: {"slug": w["indicator"].slug}, method="post"
    ),
    "indicators:report": Row(signed_in(200)),
    "indicators:report_download": Row(
        {
            "visitor": LOGIN,
            "participant": 200,
            "editor": 404,
            "facilitator": 404,
            "other_facilitator": 404,
            "coordinator": 200,
        },
        kwargs=lambda w: {"job_id": indicator_helpers.report_job(w["participant"]).pk},
    ),
    "indicators:manage": Row(only_coordinator()),
    "indicators:create": Row(only_coordinator()),
    "indicators:edit": Row(only_coordinator(), kwargs=lambda w: {"slug": w["indicator"].slug}),
    "indicators:publish": Row(
        {**only_coordinator(), "coordinator": 302},
        kwargs=lambda w: {"slug": w["indicator"].slug},
        method="post",
        data={"publish": "1"},
    ),
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


def app_matrix_names() -> set[str]:
    """Views whose rows live in their app's own per-role test, with a world of
    that app's (members of an organisation, meetings and registrations, import
    jobs): each of those tests also checks that its app has no view without a row."""
    from tests.agendas.test_permissions import MODERATION_ROWS as moderation_rows
    from tests.agendas.test_permissions import ROWS as agenda_rows
    from tests.agreements.test_permissions import ROWS as agreement_rows
    from tests.assessments.test_permissions import ROWS as assessment_rows
    from tests.consultations.test_permissions import ROWS as consultation_rows
    from tests.meetings.test_permissions import ROWS as meeting_rows
    from tests.practices.test_permissions import ROWS as practice_rows
    from tests.surveys.test_importing import MATRIX_ROWS as import_rows

    return (
        {f"assessments:{name}" for name in assessment_rows}
        | {f"agreements:{name}" for name in agreement_rows}
        | {f"agendas:{name}" for name in agenda_rows}
        | {f"moderation:{name}" for name in moderation_rows}
        | {f"meetings:{name}" for name in meeting_rows}
        | {f"practices:{name}" for name in practice_rows}
        | {f"consultations:{name}" for name in consultation_rows}
        | set(import_rows)
    )


def test_every_view_has_a_row():
    missing = polo_url_names() - set(MATRIX) - set(EXEMPT) - app_matrix_names()
    assert not missing, f"views without a row in the authorization matrix: {sorted(missing)}"


def test_every_row_names_a_view():
    assert set(MATRIX) <= polo_url_names()


class World(dict):
    """The objects a row's URL needs. Most are built only when a row asks for
    them (``BUILDERS``), so that each case sets up no more than it requests."""

    def __missing__(self, key: str):
        value = self[key] = BUILDERS[key](self)
        return value


BUILDERS: dict[str, Any] = {}


def builds(name: str):
    def register(function):
        BUILDERS[name] = function
        return function

    return register


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """The personas, made once for the module's hundreds of cases (rolled back after)."""
    with module_rows(django_db_blocker):
        everyone = personas()
        yield {
            "visitor": None,
            **{role: everyone[role] for role in ROLES[1:]},
            "organization": everyone["organization"],
            "job": Job.objects.create(
                kind="test", title="Exportación", owner=everyone["participant"]
            ),
            "theme": f.ThemeFactory(),
        }


@pytest.fixture
def world(people, db):
    """A fresh World per case over the shared personas: what a case builds (or
    changes) is rolled back with it, and the cache starts empty."""
    cache.clear()
    return World(people)


@builds("survey_version")
def _survey_version(w):
    municipality = w["organization"].municipality
    region = municipality.region
    data = baseline_xlsform(
        regions=[(region.slug, region.name)],
        municipalities=[(municipality.code, municipality.name, region.slug)],
    )
    return survey_services.form_version_create(
        data=data, filename="linea_base.xlsx", by=w["coordinator"]
    )


@builds("campaign")
def _campaign(w):
    campaign = Campaign.objects.create(
        instrument=w["survey_version"].instrument,
        slug="linea-base-2026",
        title="Línea base 2026",
        respondent=Campaign.Respondent.ORGANIZATION,
        status=Campaign.Status.OPEN,
    )
    campaign.regions.set([w["organization"].municipality.region])
    return campaign


@builds("round")
def _round(w):
    return Round.objects.create(
        campaign=w["campaign"], kind=Round.Kind.BASELINE, name="Línea base", order=1, is_open=True
    )


@builds("draft")
def _draft(w):
    return collect_helpers.start(
        client_for(w["editor"]), w["round"], organizacion=w["organization"].pk
    )


@builds("survey")
def _survey(w):
    return manage_helpers.survey_world(
        coordinator=w["coordinator"],
        facilitator=w["facilitator"],
        organization=w["organization"],
        region=w["organization"].municipality.region,
    )


@builds("api_consultation")
def _api_consultation(w):
    from tests.consultations.conftest import make_consultation

    return make_consultation(municipality=w["organization"].municipality, slug="consulta-api")


@builds("api_agenda")
def _api_agenda(w):
    from tests.agendas.conftest import make_agenda, make_proposal

    agenda = make_agenda(w["organization"].municipality.region, w["theme"], slug="agenda-api")
    make_proposal(agenda, w["participant"])
    return agenda


@builds("indicator")
def _indicator(w):
    return indicator_helpers.indicator(w["coordinator"], published=True)


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
