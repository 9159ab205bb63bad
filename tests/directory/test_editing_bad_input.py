"""Broken and hostile input on the editing forms: each gets a clear message,
nothing is half-saved, and nothing typed runs as markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from polo.directory.models import Organization, ProfileRevision
from tests import factories as f
from tests.directory.helpers_editing import image_file, profile_data, theme

pytestmark = pytest.mark.django_db

PROPOSE = reverse("directory:propose")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def organization(organization):
    organization.themes.add(theme())
    return organization


def edit_url(organization: Organization) -> str:
    return reverse("directory:organization_edit", args=[organization.pk])


def propose(client, municipality, **fields):
    return client.post(PROPOSE, profile_data(municipality=municipality.pk, **fields))


@pytest.mark.parametrize(
    "rfc", ["MUV120315", "1234567890123", "MUV121315AB1", "MUV120315AB1X", "<b>MUV</b>"]
)
def test_a_bad_rfc_is_refused(as_participant, municipality, rfc):
    response = propose(as_participant, municipality, rfc=rfc)

    assert "rfc" in response.context["forms"].profile.errors
    assert not Organization.objects.exists()


def test_an_rfc_and_a_cluni_as_people_type_them_are_normalized(as_participant, municipality):
    propose(as_participant, municipality, rfc=" muv-120315-ab1 ", cluni="muv 1203150901 a")

    organization = Organization.objects.get()
    assert (organization.rfc, organization.cluni) == ("MUV120315AB1", "MUV1203150901A")


@pytest.mark.parametrize("cluni", ["MUV12031509", "MUV1203150901AB", "123"])
def test_a_bad_cluni_is_refused(as_participant, municipality, cluni):
    response = propose(as_participant, municipality, cluni=cluni)

    assert "cluni" in response.context["forms"].profile.errors


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [("40.41", "-3.70"), ("17.06", "96.72"), ("91", "-96.7"), ("17.06", ""), ("norte", "-96.7")],
)
def test_coordinates_outside_mexico_or_half_given_are_refused(
    as_participant, municipality, latitude, longitude
):
    response = propose(as_participant, municipality, latitude=latitude, longitude=longitude)

    errors = response.context["forms"].profile.errors
    assert "latitude" in errors or "longitude" in errors
    assert not Organization.objects.exists()


def test_coordinates_with_many_decimals_are_rounded(as_participant, municipality):
    propose(as_participant, municipality, latitude="17.06060606", longitude="-96.72533333")

    organization = Organization.objects.get()
    assert str(organization.latitude) == "17.060606"
    assert str(organization.longitude) == "-96.725333"


def test_a_year_in_the_future_is_refused(as_participant, municipality):
    response = propose(as_participant, municipality, founded_year=2999)

    assert "founded_year" in response.context["forms"].profile.errors


def test_a_huge_description_is_refused_with_its_limit(as_participant, municipality):
    response = propose(as_participant, municipality, description="a" * 100_000)

    errors = response.context["forms"].profile.errors["description"]
    assert "5000" in errors[0] or "5,000" in errors[0] or "5 000" in errors[0]
    assert not Organization.objects.exists()


def test_control_and_invisible_characters_are_stripped(as_participant, municipality):
    propose(
        as_participant,
        municipality,
        name="Colectivo\x00 Nueva\u202e Esperanza\u200b\x07",
        description="Primera línea.\r\n\r\n\r\n\r\nSegunda\x1b[31m línea.",
    )

    organization = Organization.objects.get()
    assert organization.name == "Colectivo Nueva Esperanza"
    assert organization.description == "Primera línea.\n\nSegunda[31m línea."


def test_a_name_of_only_symbols_is_refused(as_participant, municipality):
    response = propose(as_participant, municipality, name="\u202e\u200b -- ")

    assert "name" in response.context["forms"].profile.errors


def test_hostile_markup_is_kept_as_text_and_escaped_everywhere(
    as_participant, as_coordinator, municipality, as_visitor
):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    propose(as_participant, municipality, name=f"Colectivo {hostile}", description=hostile)
    organization = Organization.objects.get()
    assert organization.name == f"Colectivo {hostile}"

    pages = [
        as_participant.get(edit_url(organization)),
        as_coordinator.get(reverse("directory:review_queue")),
        as_coordinator.get(reverse("directory:organization_review", args=[organization.pk])),
    ]
    as_coordinator.post(
        reverse("directory:organization_review", args=[organization.pk]), {"decision": "approve"}
    )
    pages.append(as_visitor.get(organization.get_absolute_url()))
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html


# --- the logo ------------------------------------------------------------------------


def test_a_real_png_is_stored_under_a_random_name(as_participant, municipality, media_root):
    response = propose(as_participant, municipality, logo=image_file("Mi logo (final).png"))

    assert response.status_code == 302
    logo = Organization.objects.get().logo
    assert logo.name.endswith(".png") and "final" not in logo.name
    assert (media_root / logo.name).exists()


def test_a_jpeg_named_png_is_stored_as_what_it_is(as_participant, municipality):
    propose(as_participant, municipality, logo=image_file("logo.png", image_format="JPEG"))

    assert Organization.objects.get().logo.name.endswith(".jpg")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("logo.png", b"Esto es texto, no una imagen.", "image/png"),
            "PNG, JPEG o WebP",
        ),
        (
            SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
            "PNG, JPEG o WebP",
        ),
        (image_file("logo.gif", image_format="GIF"), "PNG, JPEG o WebP"),
        (image_file("ancho.png", size=(4001, 10)), "4000"),
        (SimpleUploadedFile("grande.png", b"\x89PNG\r\n\x1a\n" + b"0" * (3 * 1024 * 1024)), "2 MB"),
    ],
    ids=["text-renamed", "svg", "gif", "too-wide", "3-mb"],
)
def test_a_logo_that_is_not_a_sensible_image_is_refused(
    as_participant, municipality, media_root, upload, message
):
    response = propose(as_participant, municipality, logo=upload)

    errors = response.context["forms"].profile.errors["logo"]
    assert message in errors[0]
    assert not Organization.objects.exists()
    assert not any(Path(media_root).rglob("*.*"))


def test_a_truncated_png_is_refused(as_participant, municipality):
    data = image_file().read()

    response = propose(
        as_participant, municipality, logo=SimpleUploadedFile("corto.png", data[: len(data) // 2])
    )

    assert "logo" in response.context["forms"].profile.errors


def test_a_logo_proposed_for_a_published_profile_waits_and_is_applied_on_approval(
    as_editor, as_coordinator, organization, media_root
):
    as_editor.post(
        edit_url(organization), profile_data(organization=organization, logo=image_file())
    )
    revision = ProfileRevision.objects.get()
    pending = revision.data["logo"]
    assert pending.startswith("logos/pendientes/") and (media_root / pending).exists()
    organization.refresh_from_db()
    assert not organization.logo

    as_coordinator.post(
        reverse("directory:revision_review", args=[revision.pk]), {"decision": "approve"}
    )

    organization.refresh_from_db()
    assert organization.logo.name == pending


def test_a_rejected_logo_is_deleted(as_editor, as_coordinator, organization, media_root):
    as_editor.post(
        edit_url(organization), profile_data(organization=organization, logo=image_file())
    )
    revision = ProfileRevision.objects.get()

    as_coordinator.post(
        reverse("directory:revision_review", args=[revision.pk]),
        {"decision": "reject", "note": "Logotipo borroso."},
    )

    assert not (media_root / revision.data["logo"]).exists()


# --- forged requests ---------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused(participant, municipality, editor, organization):
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(participant)

    response = forged.post(PROPOSE, profile_data(municipality=municipality.pk))

    assert response.status_code == 403
    assert not Organization.objects.exclude(pk=organization.pk).exists()
    forged.force_login(editor)
    response = forged.post(
        reverse("directory:membership_remove", args=[organization.pk, editor.memberships.get().pk])
    )
    assert response.status_code == 403


def test_ids_that_are_not_numbers_or_too_big_are_handled(as_coordinator, as_editor, organization):
    response = as_coordinator.get(reverse("directory:merge"), {"keep": "abc", "drop": "1e9"})
    assert response.status_code == 200 and response.context["form"].errors
    huge = "9" * 30
    response = as_coordinator.get(reverse("directory:merge"), {"keep": huge, "drop": "1"})
    assert response.status_code == 200 and response.context["form"].errors
    response = as_editor.post(
        reverse("directory:organization_networks", args=[organization.pk]),
        {"accion": "unirse", "network": huge},
    )
    assert response.status_code == 200


def test_a_forged_choice_outside_the_lists_is_refused(as_participant, municipality):
    response = propose(as_participant, municipality, kind="gobierno-mundial", themes=[99999])

    errors = response.context["forms"].profile.errors
    assert "kind" in errors and "themes" in errors


def test_too_many_contact_rows_are_refused(as_coordinator, organization):
    rows = [("email", f"persona{n}@ejemplo.mx", False) for n in range(40)]

    response = as_coordinator.post(
        edit_url(organization), profile_data(organization=organization, contacts=rows)
    )

    assert response.status_code == 200
    assert not organization.contacts.exists()


def test_a_community_that_does_not_exist_gets_suggestions(as_participant, municipality):
    f.CommunityFactory(municipality=municipality, name="San Felipe del Agua")

    response = propose(as_participant, municipality, community="San Felipe del Awa")

    error = response.context["forms"].profile.errors["community"][0]
    assert "San Felipe del Agua" in error
