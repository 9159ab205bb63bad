"""`polo demo` at the programme's scale, on the real territory catalogue."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from allauth.mfa.utils import decrypt
from django.db import connection
from django.db.models import Count, Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from polo.accounts.models import Consent, PrivacyNotice, User
from polo.directory.models import Membership, Organization
from polo.territory.models import Region
from tests.demo.conftest import run_demo

# One programme-scale build for the module (tests/demo/conftest.py): the tests read it;
# those that run the demo again or change rows do so in their own rolled-back transaction.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("programme_demo")]

Kind = Organization.Kind
STAFF = ["facilitador@polo.demo", "coordinacion@polo.demo"]


def counts() -> dict:
    return {
        "organizations": dict(
            Organization.objects.values_list("kind").annotate(n=Count("id")).order_by()
        ),
        "themes": Organization.themes.through.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "emails": EmailAddress.objects.count(),
    }


def test_it_creates_the_programme_actors_at_the_seed_scale():
    assert Organization.objects.of_kind(Kind.CSO).count() == 190
    assert Organization.objects.of_kind(Kind.COLLECTIVE).count() == 50
    assert Organization.objects.of_kind(Kind.ACADEMIC).count() == 7
    assert Organization.objects.of_kind(Kind.NETWORK).count() == 3
    assert (
        Organization.objects.of_kind(Kind.LOCAL_AUTHORITY)
        .filter(name__startswith="H. Ayuntamiento de ")
        .count()
        >= 6
    )
    networks = Organization.objects.of_kind(Kind.NETWORK)
    assert {org.municipality.state.code for org in networks} == {"12", "20", "21"}


def test_every_organisation_is_in_a_programme_region_and_has_a_theme():
    assert Organization.objects.count() > 250
    assert not Organization.objects.filter(municipality__region__isnull=True).exists()
    assert not Organization.objects.filter(themes__isnull=True).exists()
    most_themes = Organization.objects.annotate(n=Count("themes")).aggregate(m=Max("n"))["m"]
    assert most_themes <= 3
    for region in Region.objects.all():
        assert Organization.objects.of_kind(Kind.CSO).in_region(region).exists(), region


def test_most_organisations_are_published_and_a_few_wait_for_review():
    csos = Organization.objects.of_kind(Kind.CSO)
    assert csos.published().count() >= 0.8 * csos.count()
    assert csos.filter(status__in=["pending", "draft"]).exists()
    assert all(org.description and org.founded_year for org in csos)


def test_the_main_municipality_of_each_region_has_the_most_organisations():
    for region in Region.objects.all():
        by_place = dict(
            Organization.objects.of_kind(Kind.CSO)
            .in_region(region)
            .values_list("municipality__code")
            .annotate(n=Count("id"))
        )
        main = region.municipalities.order_by("-population").first()
        assert by_place[main.code] == max(by_place.values()), region


def test_it_creates_a_thousand_students_in_the_seven_universities():
    students = User.objects.filter(email__endswith="@alumnos.polo.demo")
    assert students.count() == 1000
    assert not any(student.has_usable_password() for student in students)
    memberships = Membership.objects.filter(user__in=students)
    assert memberships.count() == 1000
    assert set(memberships.values_list("organization__kind", flat=True)) == {Kind.ACADEMIC}
    assert memberships.values("organization").distinct().count() == 7


def test_it_creates_one_demo_account_per_role(programme_demo):
    notice = PrivacyNotice.current()
    output = programme_demo

    participant = User.objects.get(email="participante@polo.demo")
    editor = User.objects.get(email="editora@polo.demo")
    facilitator = User.objects.get(email="facilitador@polo.demo")
    coordinator = User.objects.get(email="coordinacion@polo.demo")
    assert participant.role == User.Role.PARTICIPANT and not participant.is_staff
    assert editor.memberships.get(is_editor=True).organization.kind == Kind.CSO
    assert facilitator.role == User.Role.FACILITATOR
    assert set(facilitator.regions.values_list("slug", flat=True)) == {
        "valles-centrales",
        "mixteca-huajuapan",
    }
    assert coordinator.is_coordinator and coordinator.is_staff and coordinator.is_superuser
    for user in (participant, editor, facilitator, coordinator):
        assert user.check_password("polo-demo-2026")
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True).exists()
        assert Consent.objects.filter(user=user, notice=notice).exists()
        assert user.email in output
    assert "polo-demo-2026" in output


def test_staff_demo_accounts_have_totp_and_the_printed_code_is_valid(programme_demo, time_machine):
    output = programme_demo
    # Frozen clock: a 30-second TOTP window must not close between print and check.
    time_machine.move_to("2026-11-26 12:00:05-06:00", tick=False)
    codes = run_demo("--codes")

    for email in STAFF:
        authenticator = Authenticator.objects.get(user__email=email, type="totp")
        secret = decrypt(authenticator.data["secret"])
        assert secret in output
        assert f"otpauth://totp/{email.replace('@', '%40')}?secret={secret}" in output
        code = re.search(rf"{re.escape(email)}\s+(\d{{6}})", codes).group(1)
        assert validate_totp_code(secret, code)
        assert not validate_totp_code(secret, f"{(int(code) + 1) % 1_000_000:06d}")
    for email in ["participante@polo.demo", "editora@polo.demo"]:
        assert not Authenticator.objects.filter(user__email=email).exists()


def test_the_demo_coordinator_signs_in_with_password_and_code_and_reaches_the_admin(
    time_machine,
):
    time_machine.move_to("2026-11-26 12:00:05-06:00", tick=False)
    codes = run_demo("--codes")
    code = re.search(r"coordinacion@polo\.demo\s+(\d{6})", codes).group(1)
    client = Client()

    response = client.post(
        reverse("account_login"),
        {"login": "coordinacion@polo.demo", "password": "polo-demo-2026"},
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302

    assert client.get("/admin/").status_code == 200


def test_a_second_run_writes_nothing():
    # The module's build was the first run.
    before = counts()

    with CaptureQueriesContext(connection) as queries:
        output = run_demo()

    assert counts() == before
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert "0 nuevas" in output


def test_a_changed_demo_account_is_put_back():
    User.objects.filter(email="coordinacion@polo.demo").update(
        role=User.Role.PARTICIPANT, is_superuser=False
    )
    Authenticator.objects.filter(user__email="facilitador@polo.demo").delete()

    run_demo()

    coordinator = User.objects.get(email="coordinacion@polo.demo")
    assert coordinator.role == User.Role.COORDINATOR and coordinator.is_superuser
    assert Authenticator.objects.filter(user__email="facilitador@polo.demo").exists()
