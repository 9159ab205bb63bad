"""What an assessment gives back: the profile (charts with their data table,
strongest and weakest areas, item detail with the evidence), the downloads,
the printable report, the advocacy route with allies from the directory and
related content from other modules."""

from __future__ import annotations

import logging

import pytest

from polo.assessments import printing, related, services
from polo.assessments.models import AreaScore, PlanAction
from polo.directory.models import Organization
from tests import factories as f
from tests.assessments.helpers import url


def test_the_profile_page(done, as_member):
    page = as_member.get(url("profile", done.pk)).content.decode()
    assert page.count('role="img"') == 2  # radar and bars
    assert "<caption>Puntaje por área (de 1 a 4)</caption>" in page
    strongest = page.split("Áreas más fuertes", 1)[1].split("</ul>", 1)[0]
    weakest = page.split("Áreas por fortalecer", 1)[1].split("</ul>", 1)[0]
    assert "Gobernanza: 3.0" in strongest and "Incidencia: 2.8" in weakest
    assert "Actas de 2025" in page  # the evidence, under its item
    assert "4. Nivel 4" in page  # the level's own words
    assert "2.9" in page  # overall 2.875


def test_the_charts_carry_their_figures_in_words(done, as_member):
    page = as_member.get(url("profile", done.pk)).content.decode()
    assert "Este autodiagnóstico. Gobernanza: 3.0; Incidencia: 2.8." in page


def test_the_json_and_csv_downloads(done, as_editor):
    data = as_editor.get(url("profile_json", done.pk))
    assert "private" in data["Cache-Control"] and "no-store" in data["Cache-Control"]
    body = data.json()
    assert body["overall"] == pytest.approx(2.875)
    assert [(a["area"], a["score"]) for a in body["areas"]] == [
        ("gobernanza", pytest.approx(3.0)),
        ("incidencia", pytest.approx(2.75)),
    ]
    assert body["strongest"] == ["gobernanza"] and body["weakest"] == ["incidencia"]
    csv = as_editor.get(url("export", done.pk))
    text = csv.content.decode("utf-8-sig")
    assert "attachment;" in csv["Content-Disposition"]
    assert "Gobernanza,3.00,Establecido,2,2" in text


def test_a_formula_in_an_answer_does_not_run_in_a_spreadsheet(done, as_editor):
    response = done.response
    response.data = {**response.data, "gob_1_evidencia": '=HYPERLINK("http://x")'}
    response.save()
    text = as_editor.get(url("export", done.pk)).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_the_printable_report(done):
    PlanAction.objects.create(
        assessment=done,
        item="gob_2",
        title="Escribir un reglamento",
        responsible="Rosa",
        due_on="2027-03-31",
    )
    report = printing.render_report(done)
    assert report.pdf.startswith(b"%PDF") and report.pages >= 1
    for text in (
        "Mujeres de los Valles A.C.",
        "Escribir un reglamento",
        "El cabildo",
        "Actas de 2025",
    ):
        assert text in report.html


def test_the_report_downloads_as_a_pdf(done, as_facilitator):
    response = as_facilitator.get(url("report", done.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.fixture
def neighbours(done, municipality, other_municipality):
    salud = f.ThemeFactory(slug="salud", name="Salud")
    nearby = f.OrganizationFactory(name="Salud Comunitaria A.C.", municipality=municipality)
    draft = f.OrganizationFactory(
        name="Borrador de Salud", municipality=municipality, status=Organization.Status.DRAFT
    )
    council = f.OrganizationFactory(
        name="H. Ayuntamiento", municipality=municipality, kind=Organization.Kind.LOCAL_AUTHORITY
    )
    far = f.OrganizationFactory(name="Salud en la Montaña", municipality=other_municipality)
    same_region = f.MunicipalityFactory(
        code="20068", name="Santa Lucía", region=municipality.region
    )
    in_region = f.OrganizationFactory(name="Salud de Santa Lucía", municipality=same_region)
    for org in (nearby, draft, council, far, in_region, done.organization):
        org.themes.add(salud)
    return {
        "nearby": nearby,
        "draft": draft,
        "council": council,
        "far": far,
        "in_region": in_region,
    }


def test_the_route_names_the_problem_the_authority_and_published_allies(
    done, neighbours, as_member
):
    page = as_member.get(url("route", done.pk)).content.decode()
    assert "Falta agua potable en la colonia" in page and "El cabildo" in page
    assert "Pedir cita con la regidora" in page
    assert "Salud Comunitaria A.C." in page
    assert "Salud de Santa Lucía" in page  # fewer than three allies here: the region too
    for absent in ("Borrador de Salud", "H. Ayuntamiento", "Salud en la Montaña"):
        assert absent not in page
    assert page.count("Mujeres de los Valles A.C.") == 2  # breadcrumb and title only


def test_the_route_lists_what_other_modules_register(done, as_member):
    seen = []

    def forums(context):
        seen.append(context)
        yield related.RelatedItem(
            "Foro de agua y salud", "/encuentros/foro-agua/", kind="Foro", description="Oaxaca"
        )

    def broken(context):
        raise RuntimeError("a module's bug")

    related.register("test.forums", forums)
    related.register("test.broken", broken)
    try:
        page = as_member.get(url("route", done.pk))
    finally:
        related.unregister("test.forums")
        related.unregister("test.broken")
    assert page.status_code == 200
    assert '<a href="/encuentros/foro-agua/">Foro de agua y salud</a>' in page.content.decode()
    assert seen[0].theme_slugs == ("salud",) or seen[0].theme_slugs == ()
    assert seen[0].municipality == done.organization.municipality
    assert seen[0].problem == "Falta agua potable en la colonia"


def test_a_response_edited_afterwards_through_the_surveys_pages_is_scored_again(
    done, as_facilitator, as_editor
):
    from tests.surveys.collect_helpers import post_section

    response = post_section(
        as_facilitator, done.response, 1, {"inc_1": "4", "inc_2": "4"}, action="guardar"
    )
    assert response.status_code == 302
    page = as_editor.get(url("profile", done.pk)).content.decode()
    assert "Incidencia: 4.0" in page.split("Áreas más fuertes", 1)[1]
    assert AreaScore.objects.get(assessment=done, area="incidencia").score == pytest.approx(4.0)


def test_the_profile_costs_the_same_queries_whatever_it_holds(
    done, organization, editor, as_editor
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.assessments.helpers import completed

    def count(assessment, *, cold: bool) -> int:
        as_editor.get(url("profile", assessment.pk))  # the session, the language...
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert as_editor.get(url("profile", assessment.pk)).status_code == 200
        return len(queries.captured_queries)

    first_cold, first_warm = count(done, cold=True), count(done, cold=False)
    again = completed(
        organization, editor, {"gob_1": "1", "gob_2": "1", "inc_1": "1", "inc_2": "1"}
    )
    for n in range(5):
        PlanAction.objects.create(
            assessment=again,
            item="gob_1",
            title=f"Acción {n}",
            responsible="Rosa",
            due_on="2027-01-01",
        )
    # Drawn afresh, one query more to read the previous assessment's scores;
    # served from the cache, the same count.
    assert count(again, cold=True) == first_cold + 1
    assert count(again, cold=False) == first_warm < first_cold


def test_the_cached_profile_follows_a_new_upload_of_evidence(done, as_editor, as_facilitator):
    as_editor.get(url("profile", done.pk))
    from tests.surveys.collect_helpers import post_section

    post_section(
        as_facilitator,
        done.response,
        0,
        {"gob_1_evidencia": "Acta nueva de mayo"},
        action="guardar",
    )
    assert "Acta nueva de mayo" in as_editor.get(url("profile", done.pk)).content.decode()


def test_logging_a_failing_provider(done, as_member, caplog):
    related.register("test.broken", lambda context: 1 / 0)
    try:
        with caplog.at_level(logging.ERROR, logger="polo.assessments.related"):
            assert as_member.get(url("route", done.pk)).status_code == 200
    finally:
        related.unregister("test.broken")
    assert "test.broken" in caplog.text


def test_services_refuse_what_the_rules_refuse(done, participant, other_facilitator):
    from django.core.exceptions import PermissionDenied

    for person in (participant, other_facilitator):
        with pytest.raises(PermissionDenied):
            services.plan_action_add(
                assessment=done, item="gob_2", title="X", responsible="Y", due_on=None, by=person
            )
        with pytest.raises(PermissionDenied):
            services.plan_comment_add(assessment=done, text="hola", by=person)
        with pytest.raises(PermissionDenied):
            services.assessment_start(organization=done.organization, by=person)
