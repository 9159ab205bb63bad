"""Instruments, versions, campaigns and rounds through HTTP, per role: who sees
what, the XLSForm upload (good, refused with located problems, a version
conflict), the downloads, the questionnaire preview, and campaign and round
editing."""

from __future__ import annotations

import io
import zipfile
from html import escape

import pytest
import rules
from django.urls import reverse

from polo.core.budget import weigh_page
from polo.surveys.models import Campaign, FormVersion, Instrument, Response
from polo.surveys.xlsform import MAX_XLSFORM_BYTES
from tests.surveys.manage_helpers import (
    make_response,
    programme_campaign_fixture,  # noqa: F401
    small_form,
    upload,
)

pytestmark = pytest.mark.usefixtures("media_root")

UPLOAD = reverse("surveys:instrument_upload")
ROLES_WITHOUT_INSTRUMENTS = ["as_participant", "as_editor"]


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def post_form(client, data: bytes, name: str = "formulario.xlsx", **extra):
    return client.post(UPLOAD, {"xlsform": upload(data, name), "kind": "survey", **extra})


# --- who sees instruments ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ROLES_WITHOUT_INSTRUMENTS)
def test_participants_and_editors_are_refused_instruments(request, persona, baseline_version):
    client = request.getfixturevalue(persona)
    slug = baseline_version.instrument.slug
    for url in (
        reverse("surveys:instruments"),
        reverse("surveys:instrument", args=[slug]),
        reverse("surveys:instrument_version", args=[slug, 1]),
        reverse("surveys:instrument_xlsform", args=[slug, 1]),
        reverse("surveys:instrument_xform", args=[slug, 1]),
        reverse("surveys:campaigns"),
        UPLOAD,
    ):
        assert client.get(url).status_code == 403, url


def test_visitors_are_sent_to_sign_in(as_visitor, baseline_version):
    response = as_visitor.get(
        reverse("surveys:instrument", args=[baseline_version.instrument.slug])
    )
    assert response.status_code == 302
    assert "/cuentas/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["as_facilitator", "as_other_facilitator", "as_coordinator"])
def test_staff_read_instruments_and_their_versions(request, persona, baseline_version):
    client = request.getfixturevalue(persona)
    instrument = baseline_version.instrument
    listing = client.get(reverse("surveys:instruments"))
    assert listing.status_code == 200
    assert instrument.title in listing.content.decode()
    page = client.get(instrument.get_absolute_url()).content.decode()
    assert "2026110101" in page
    assert reverse("surveys:instrument_xlsform", args=[instrument.slug, 1]) in page
    assert reverse("surveys:instrument_xform", args=[instrument.slug, 1]) in page


def test_only_coordinators_are_offered_the_upload(as_facilitator, as_coordinator, baseline_version):
    instrument = baseline_version.instrument
    assert UPLOAD not in as_facilitator.get(instrument.get_absolute_url()).content.decode()
    assert UPLOAD in as_coordinator.get(instrument.get_absolute_url()).content.decode()
    assert as_facilitator.get(UPLOAD).status_code == 403
    assert post_form(as_facilitator, small_form()).status_code == 403
    assert not Instrument.objects.exclude(pk=instrument.pk).exists()


def test_downloads_give_the_original_xlsform_and_the_xform(as_facilitator, baseline_version):
    slug = baseline_version.instrument.slug
    xlsx = as_facilitator.get(reverse("surveys:instrument_xlsform", args=[slug, 1]))
    assert xlsx.status_code == 200
    assert f'filename="{slug}-v1.xlsx"' in xlsx["Content-Disposition"]
    baseline_version.xlsform.open("rb")
    assert b"".join(xlsx.streaming_content) == baseline_version.xlsform.read()
    xform = as_facilitator.get(reverse("surveys:instrument_xform", args=[slug, 1]))
    assert xform.status_code == 200
    assert xform["Content-Type"].startswith("text/xml")
    assert b'id="linea_base_osc"' in xform.content
    assert b'version="2026110101"' in xform.content


def test_an_unknown_version_is_a_404(as_coordinator, baseline_version):
    slug = baseline_version.instrument.slug
    for name in ("instrument_version", "instrument_xlsform", "instrument_xform"):
        assert as_coordinator.get(reverse(f"surveys:{name}", args=[slug, 9])).status_code == 404
    assert as_coordinator.get(reverse("surveys:instrument", args=["no-existe"])).status_code == 404


# --- the preview ------------------------------------------------------------------------


def test_the_preview_reads_as_a_questionnaire(as_facilitator, baseline_version):
    page = as_facilitator.get(
        reverse("surveys:instrument_version", args=[baseline_version.instrument.slug, 1])
    ).content.decode()
    # Sections, in order, with labels in both languages.
    order = [page.index(title) for title in ("Identificación", "Capacidades", "Incidencia")]
    assert order == sorted(order)
    assert "¿Tiene un plan estratégico escrito?" in page
    assert "Does it have a written strategic plan?" in page
    assert 'lang="en"' in page
    # Types, requirement, skip logic and where it comes from, constraints and messages.
    assert "Número entero" in page
    assert "obligatoria" in page
    assert "${plan_estrategico} = &#x27;si&#x27;" in page
    assert 'href="#p-plan_estrategico"' in page
    assert "No puede ser mayor que el equipo." in page
    # Choices with their labels; the cascade's filter.
    assert "Organización de la sociedad civil" in page
    assert "region=${region}" in page
    # The repeat and the range's parameters.
    assert "Grupo que se repite" in page
    assert "start=1" in page


def test_the_preview_shortens_long_choice_lists(as_coordinator, coordinator):
    choices = [["municipio", f"m{i:03d}", f"Municipio {i}", f"Municipality {i}"] for i in range(40)]
    post_form(
        as_coordinator,
        small_form(
            survey=[["select_one municipio", "municipio", "Municipio", "Municipality"]],
            choices=choices,
        ),
    )
    version = FormVersion.objects.get()
    page = as_coordinator.get(
        reverse("surveys:instrument_version", args=[version.instrument.slug, 1])
    ).content.decode()
    assert "Municipio 11" in page
    assert "Municipio 12<" not in page
    assert "y 28 opciones más" in page


# --- uploading ------------------------------------------------------------------------


def test_a_coordinator_uploads_a_new_instrument(as_coordinator, coordinator):
    response = post_form(as_coordinator, small_form(), kind="assessment")
    instrument = Instrument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == instrument.get_absolute_url()
    assert instrument.kind == Instrument.Kind.ASSESSMENT
    assert instrument.title == "Encuesta corta"
    version = instrument.versions.get()
    assert (version.number, version.version, version.created_by) == (1, "1", coordinator)
    page = as_coordinator.get(response["Location"]).content.decode()
    assert "Se guardó la versión 1" in page


def test_a_new_upload_is_a_new_version_and_responses_keep_theirs(
    as_coordinator, baseline_version, baseline_round, municipality, baseline_xlsx
):
    answered = make_response(baseline_round, municipality)
    instrument = baseline_version.instrument
    data = small_form(form_id="linea_base_osc", version="2026120101")
    response = post_form(as_coordinator, data, instrument=instrument.slug)
    assert response.status_code == 302
    assert list(instrument.versions.values_list("number", "version")) == [
        (2, "2026120101"),
        (1, "2026110101"),
    ]
    answered.refresh_from_db()
    assert answered.form_version == baseline_version
    assert instrument.current_version.number == 2


def test_the_same_version_again_is_refused_with_a_clear_message(
    as_coordinator, baseline_version, baseline_xlsx, media_root
):
    files = stored_files(media_root)
    response = post_form(as_coordinator, baseline_xlsx, instrument=baseline_version.instrument.slug)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ya tiene una versión «2026110101»" in page
    assert FormVersion.objects.count() == 1
    assert stored_files(media_root) == files


def test_a_new_instrument_with_a_form_id_in_use_points_to_the_existing_one(
    as_coordinator, baseline_version, baseline_xlsx
):
    response = post_form(as_coordinator, small_form(form_id="linea_base_osc", version="9"))
    assert response.status_code == 200
    assert "ya usa el form_id «linea_base_osc»" in response.content.decode()
    assert Instrument.objects.count() == 1


def test_warnings_of_pyxform_are_shown(as_coordinator):
    # A label-less select_one's choices: pyxform warns and converts.
    data = small_form(
        survey=[["select_one sino", "acepta", "¿Acepta?", "Agrees?"]],
        choices=[["sino", "si", "", ""], ["sino", "no", "No", "No"]],
    )
    response = post_form(as_coordinator, data)
    version = FormVersion.objects.get()
    assert version.warnings
    page = as_coordinator.get(response["Location"]).content.decode()
    assert "pyxform dejó advertencias" in page
    assert "Advertencias de pyxform" in page
    assert escape(version.warnings[0]) in page


BROKEN = {
    "random bytes": (b"\x00\x01 no es un libro" * 50, None, ""),
    "a truncated zip": (None, None, ""),
    "relevant with a syntax error": (
        small_form(
            survey=[
                ["select_one sino", "acepta", "¿Acepta?", "Agrees?"],
                ["text", "motivo", "¿Por qué?", "Why?", "${acepta} = = 'no'"],
            ]
        ),
        3,
        "relevant (E)",
    ),
    "an unknown list": (
        small_form(survey=[["select_one colores", "color", "Color", "Colour"]]),
        2,
        "type (A)",
    ),
    "an unsupported type": (
        small_form(survey=[["geotrace", "ruta", "Ruta", "Route"]]),
        2,
        "type (A)",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_form_lists_located_problems_and_saves_nothing(as_coordinator, media_root, case):
    data, row, column = BROKEN[case]
    if data is None:
        data = small_form()[:600]
    response = post_form(as_coordinator, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "no se guardó" in page
    if row is not None:
        assert f'<td class="num">{row}</td>' in page
        assert f"<td>{column}</td>" in page
        assert "<td>survey</td>" in page
    assert not Instrument.objects.exists()
    assert not FormVersion.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_that_is_not_xlsx_by_name_or_too_big_is_refused(as_coordinator, media_root):
    response = post_form(as_coordinator, small_form(), name="formulario.xls")
    assert "extensión .xlsx" in response.content.decode()
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("relleno.bin", b"\0" * (MAX_XLSFORM_BYTES + 10))
    response = post_form(as_coordinator, big.getvalue())
    assert "pesa más de 5 MB" in response.content.decode()
    assert not FormVersion.objects.exists()
    assert stored_files(media_root) == []


def test_an_upload_without_a_file_says_so(as_coordinator):
    response = as_coordinator.post(UPLOAD, {"kind": "survey"})
    assert response.status_code == 200
    assert "Este campo es obligatorio" in response.content.decode()


# --- campaigns and rounds ---------------------------------------------------------------


def campaign_data(instrument, region, **overrides):
    data = {
        "instrument": instrument.pk,
        "title": "Línea base 2027",
        "slug": "linea-base-2027",
        "description": "Segunda campaña.",
        "respondent": "community",
        "regions": [region.pk],
        "status": "draft",
    }
    data.update(overrides)
    return data


def test_a_coordinator_creates_and_edits_a_campaign(
    as_coordinator, coordinator, baseline_version, region, other_region
):
    instrument = baseline_version.instrument
    response = as_coordinator.post(
        reverse("surveys:campaign_create"), campaign_data(instrument, region)
    )
    campaign = Campaign.objects.get(slug="linea-base-2027")
    assert response["Location"] == campaign.get_absolute_url()
    assert campaign.created_by == coordinator
    assert list(campaign.regions.all()) == [region]
    response = as_coordinator.post(
        reverse("surveys:campaign_edit", args=[campaign.slug]),
        campaign_data(instrument, other_region, status="open", title="Línea base 2027 (bis)"),
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.title, campaign.status) == ("Línea base 2027 (bis)", "open")
    assert list(campaign.regions.all()) == [other_region]
    # Nothing is overwritten without history: the first title is still there.
    assert campaign.history.filter(title="Línea base 2027", status="draft").exists()


def test_campaign_forms_refuse_bad_input(as_coordinator, baseline_version, region, campaign):
    instrument = baseline_version.instrument
    empty = Instrument.objects.create(slug="vacio", title="Sin versiones")
    cases = {
        "slug": campaign_data(instrument, region, slug=campaign.slug),
        "slug ": campaign_data(instrument, region, slug="nueva"),
        "instrument": campaign_data(empty, region),
        "respondent": campaign_data(instrument, region, respondent="alien"),
        "title": campaign_data(instrument, region, title="x" * 300),
        "regions": campaign_data(instrument, region, regions=["999999"]),
    }
    for field, data in cases.items():
        response = as_coordinator.post(reverse("surveys:campaign_create"), data)
        assert response.status_code == 200, field
        assert response.context["form"].errors.get(field.strip()), field
    assert Campaign.objects.count() == 1


def test_a_campaign_with_responses_keeps_its_instrument(
    as_coordinator, campaign, baseline_round, municipality, region
):
    make_response(baseline_round, municipality)
    other = Instrument.objects.create(slug="otro", title="Otro")
    as_coordinator.post(
        reverse("surveys:campaign_edit", args=[campaign.slug]),
        campaign_data(other, region, slug=campaign.slug, title="Cambiada"),
    )
    campaign.refresh_from_db()
    assert campaign.instrument.slug != "otro"
    assert campaign.title == "Cambiada"


def test_campaign_pages_per_role(
    as_participant,
    as_editor,
    as_facilitator,
    as_other_facilitator,
    as_coordinator,
    campaign,
):
    detail = reverse("surveys:campaign", args=[campaign.slug])
    edit = reverse("surveys:campaign_edit", args=[campaign.slug])
    assert as_participant.get(detail).status_code == 404
    assert as_editor.get(detail).status_code == 404
    assert as_other_facilitator.get(detail).status_code == 404
    assert as_facilitator.get(detail).status_code == 200
    assert as_coordinator.get(detail).status_code == 200
    assert as_facilitator.get(edit).status_code == 403
    assert as_other_facilitator.get(edit).status_code == 404
    assert as_coordinator.get(edit).status_code == 200
    assert campaign.title in as_facilitator.get(reverse("surveys:campaigns")).content.decode()
    listing = as_other_facilitator.get(reverse("surveys:campaigns")).content.decode()
    assert campaign.title not in listing


def test_the_campaign_page_counts_responses_per_round_status_and_region(
    as_coordinator,
    as_facilitator,
    programme_campaign,
    municipality,
    other_municipality,
    region,
    other_region,
):
    round_ = programme_campaign.rounds.get()
    make_response(round_, municipality)
    make_response(round_, municipality, status="approved")
    make_response(round_, other_municipality, status="rejected")
    page = as_coordinator.get(programme_campaign.get_absolute_url())
    rounds = page.context["rounds"]
    assert rounds[0].counts == [0, 1, 1, 0, 1]  # draft, submitted, approved, on hold, rejected
    assert rounds[0].total == 3
    assert sorted(page.context["region_counts"]) == [
        (other_region.name, [0, 0, 0, 0, 1], 1),
        (region.name, [0, 1, 1, 0, 0], 2),
    ]
    # A facilitator's figures count only the responses they may see.
    page = as_facilitator.get(programme_campaign.get_absolute_url())
    assert page.context["rounds"][0].total == 2
    assert [name for name, *_ in page.context["region_counts"]] == [region.name]


def test_rounds_are_added_edited_opened_and_closed(as_coordinator, as_facilitator, campaign):
    create = reverse("surveys:round_create", args=[campaign.slug])
    assert as_facilitator.get(create).status_code == 403
    assert as_coordinator.get(create).context["form"]["order"].value() == 1
    response = as_coordinator.post(
        create, {"kind": "baseline", "name": "Línea base", "order": 1, "starts_on": "2026-11-01"}
    )
    assert response.status_code == 302
    round_ = campaign.rounds.get()
    assert not round_.is_open
    toggle = reverse("surveys:round_toggle", args=[campaign.slug, round_.pk])
    assert as_facilitator.post(toggle, {"accion": "abrir"}).status_code == 403
    as_coordinator.post(toggle, {"accion": "abrir"})
    round_.refresh_from_db()
    assert round_.is_open and round_.accepts_responses
    as_coordinator.post(toggle, {"accion": "cerrar"})
    round_.refresh_from_db()
    assert not round_.is_open
    as_coordinator.post(toggle, {"accion": "borrar"})
    round_.refresh_from_db()
    assert not round_.is_open
    assert as_coordinator.get(toggle).status_code == 405
    edit = reverse("surveys:round_edit", args=[campaign.slug, round_.pk])
    response = as_coordinator.post(
        edit, {"kind": "endline", "name": "Final", "order": 3, "is_open": "on"}
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert (round_.kind, round_.name, round_.order, round_.is_open) == ("endline", "Final", 3, True)


def test_round_forms_refuse_bad_input(as_coordinator, campaign, baseline_round):
    create = reverse("surveys:round_create", args=[campaign.slug])
    cases = {
        "order": {"kind": "midline", "name": "Medio", "order": baseline_round.order},
        "kind": {"kind": "weekly", "name": "Semanal", "order": 2},
        "ends_on": {
            "kind": "midline",
            "name": "Medio",
            "order": 2,
            "starts_on": "2027-05-01",
            "ends_on": "2027-04-01",
        },
    }
    for field, data in cases.items():
        response = as_coordinator.post(create, data)
        assert response.status_code == 200, field
        assert response.context["form"].errors.get(field), field
    assert campaign.rounds.count() == 1


def test_a_round_of_another_campaign_is_a_404(as_coordinator, campaign, programme_campaign):
    foreign = programme_campaign.rounds.get()
    url = reverse("surveys:round_edit", args=[campaign.slug, foreign.pk])
    assert as_coordinator.get(url).status_code == 404
    url = reverse("surveys:round_toggle", args=[campaign.slug, foreign.pk])
    assert as_coordinator.post(url, {"accion": "cerrar"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_open


def test_the_instrument_list_has_a_fixed_number_of_queries(
    as_coordinator, coordinator, django_assert_max_num_queries
):
    for n in range(3):
        post_form(as_coordinator, small_form(form_id=f"f{n}"))
    with django_assert_max_num_queries(8) as few:
        as_coordinator.get(reverse("surveys:instruments"))
    queries = len(few.captured_queries)
    for n in range(3, 9):
        post_form(as_coordinator, small_form(form_id=f"f{n}"))
    with django_assert_max_num_queries(queries):
        page = as_coordinator.get(reverse("surveys:instruments"))
    assert len(page.context["instruments"]) == 9


# --- the admin --------------------------------------------------------------------------

ADMIN_PAGES = [
    "admin:surveys_instrument_changelist",
    "admin:surveys_formversion_changelist",
    "admin:surveys_campaign_changelist",
    "admin:surveys_round_changelist",
    "admin:surveys_response_changelist",
]


@pytest.mark.skipif(
    not rules.perm_exists("surveys.view_instrument"),
    reason="the admin rules for surveys are not in surveys/rules.py yet",
)
def test_coordinators_read_surveys_in_the_admin_and_versions_stay_read_only(
    as_coordinator, as_facilitator, baseline_round, municipality
):
    response = make_response(baseline_round, municipality)
    version = baseline_round.campaign.instrument.current_version
    for name in ADMIN_PAGES:
        assert as_coordinator.get(reverse(name)).status_code == 200, name
        assert as_facilitator.get(reverse(name)).status_code == 302, name
    page = as_coordinator.get(reverse("admin:surveys_formversion_change", args=[version.pk]))
    assert page.status_code == 200
    assert b'name="version"' not in page.content  # shown, not editable
    assert reverse("surveys:instrument_version", args=[version.instrument.slug, 1]).encode() in (
        page.content
    )
    assert as_coordinator.get(reverse("admin:surveys_instrument_add")).status_code == 403
    page = as_coordinator.get(reverse("admin:surveys_response_change", args=[response.pk]))
    assert page.status_code == 200
    assert b'name="data"' not in page.content
    assert response.get_absolute_url().encode() in page.content
    posted = as_coordinator.post(
        reverse("admin:surveys_response_change", args=[response.pk]), {"status": "approved"}
    )
    assert posted.status_code == 403
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED


def test_the_questionnaire_of_a_long_form_is_within_the_page_budget(as_coordinator):
    survey = []
    for group in range(10):
        survey.append(["begin_group", f"g{group}", f"Sección {group}", f"Section {group}"])
        for n in range(20):
            survey.append(
                [
                    "select_one sino",
                    f"p{group}_{n}",
                    f"¿La organización cumple con el criterio {group}.{n} del diagnóstico?",
                    f"Does the organisation meet criterion {group}.{n} of the diagnosis?",
                    f"${{p{group}_0}} = 'si'" if n else "",
                ]
            )
        survey.append(["end_group"])
    post_form(as_coordinator, small_form(survey=survey))
    version = FormVersion.objects.get()
    assert len(version.form.questions) == 201  # and instanceID
    page = as_coordinator.get(
        reverse("surveys:instrument_version", args=[version.instrument.slug, 1])
    )
    assert page.status_code == 200
    assert weigh_page(page.content).problems() == []


def test_the_campaign_list_has_a_fixed_number_of_queries(
    as_facilitator, baseline_version, region, other_region, django_assert_max_num_queries
):
    def add(first, count):
        for n in range(first, first + count):
            campaign = Campaign.objects.create(
                instrument=baseline_version.instrument, slug=f"c{n}", title=f"Campaña {n}"
            )
            campaign.regions.set([region, other_region] if n % 2 else [])
            campaign.rounds.create(kind="baseline", name="Línea base", order=1)

    add(0, 2)
    with django_assert_max_num_queries(12) as few:
        as_facilitator.get(reverse("surveys:campaigns"))
    queries = len(few.captured_queries)
    add(2, 10)
    with django_assert_max_num_queries(queries):
        page = as_facilitator.get(reverse("surveys:campaigns"))
    assert len(page.context["campaigns"]) == 12
