"""Who may use the import, export and print views: every role on every view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.core.models import Job
from polo.directory.models import Organization
from tests.conftest import client_for
from tests.directory.helpers_io import (  # noqa: F401 (fixtures)
    import_job,
    media_root_fixture,
    print_job,
)

pytestmark = pytest.mark.usefixtures("media_root")

ROLES = ["visitor", "participant", "editor", "facilitator", "other_facilitator", "coordinator"]
LOGIN = "login"


@pytest.fixture
def people(participant, editor, facilitator, other_facilitator, coordinator):
    return {
        "visitor": None,
        "participant": participant,
        "editor": editor,
        "facilitator": facilitator,
        "other_facilitator": other_facilitator,
        "coordinator": coordinator,
    }


def check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/cuentas/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.status_code


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(ROLES, [LOGIN, 403, 403, 200, 200, 200], strict=True)),
)
def test_the_upload_page_is_for_facilitators_and_coordinators(people, role, expected):
    check(client_for(people[role]).get(reverse("directory:import")), expected)


@pytest.mark.parametrize(
    ("role", "expected"), list(zip(ROLES, [LOGIN, 403, 403, 400, 400, 400], strict=True))
)
def test_only_they_may_upload(people, role, expected):
    response = client_for(people[role]).post(reverse("directory:import"), {})
    check(response, expected)
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(ROLES, [LOGIN, 403, 403, 200, 404, 200], strict=True)),
)
def test_a_preview_is_seen_by_whoever_uploaded_it_and_coordinators(people, role, expected):
    job = import_job(people["facilitator"])
    url = reverse("directory:import_preview", args=[job.pk])
    check(client_for(people[role]).get(url), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(ROLES, [LOGIN, 403, 403, 302, 404, 403], strict=True)),
)
def test_only_whoever_uploaded_a_file_confirms_its_import(people, role, expected, municipality):
    job = import_job(people["facilitator"])
    url = reverse("directory:import_confirm", args=[job.pk])
    check(client_for(people[role]).post(url), expected)


def test_confirming_takes_a_post(people):
    job = import_job(people["facilitator"])
    url = reverse("directory:import_confirm", args=[job.pk])
    assert client_for(people["facilitator"]).get(url).status_code == 405


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(ROLES, [LOGIN, 403, 403, 200, 404, 200], strict=True)),
)
def test_a_report_is_seen_by_whoever_imported_and_coordinators(people, role, expected):
    job = import_job(people["facilitator"], applied=True)
    url = reverse("directory:import_report", args=[job.pk])
    check(client_for(people[role]).get(url), expected)


def test_an_unknown_or_other_kind_of_job_is_not_an_import(people):
    other = Job.objects.create(kind="test", title="Otra cosa", owner=people["facilitator"])
    client = client_for(people["facilitator"])
    assert client.get(reverse("directory:import_preview", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_everyone_may_export_the_public_directory(people, organization, role, fmt):
    response = client_for(people[role]).get(reverse("directory:export", kwargs={"fmt": fmt}))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(ROLES, [LOGIN, 200, 200, 200, 200, 200], strict=True)),
)
def test_the_print_form_is_for_signed_in_people(people, role, expected):
    check(client_for(people[role]).get(reverse("directory:print")), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(ROLES, [LOGIN, 302, 302, 302, 302, 302], strict=True)),
)
def test_signed_in_people_may_ask_for_the_pdf(people, organization, role, expected):
    assert Organization.objects.published().exists()
    response = client_for(people[role]).post(reverse("directory:print"), {"alcance": "todo"})
    check(response, expected)
    assert Job.objects.filter(kind="directory.print").count() == (0 if role == "visitor" else 1)


@pytest.mark.parametrize(
    ("role", "expected"),
    list(zip(ROLES, [LOGIN, 200, 404, 404, 404, 200], strict=True)),
)
def test_a_pdf_is_downloaded_by_whoever_asked_for_it_and_coordinators(people, role, expected):
    job = print_job(people["participant"])
    url = reverse("directory:print_download", args=[job.pk])
    check(client_for(people[role]).get(url), expected)
