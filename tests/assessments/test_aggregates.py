"""Public and programme aggregates: each organisation counted once, by its
latest completed assessment; no figure of fewer than 5 organisations, nor one
that would give a hidden one away (complementary suppression)."""

from __future__ import annotations

import pytest

from polo.assessments import selectors
from polo.directory.models import NetworkMembership, Organization
from tests import factories as f
from tests.assessments.helpers import completed, url

LOW = {"gob_1": "1", "gob_2": "1", "inc_1": "1", "inc_2": "1"}  # 1.0 everywhere
HIGH = {"gob_1": "4", "gob_2": "1", "inc_1": "2", "inc_2": "3"}  # 3.0, 2.75; 2.875


@pytest.fixture
def third_region(oaxaca):
    return f.RegionFactory(slug="mixteca", name="Mixteca", state=oaxaca)


@pytest.fixture
def programme(instrument, coordinator, municipality, other_municipality, third_region):
    """Valles Centrales: 6 organisations at HIGH; La Montaña: 4 at LOW (too
    few to publish); Mixteca: 7 at HIGH, one of which had an earlier LOW."""
    mixteca = f.MunicipalityFactory(code="20039", name="Huajuapan de León", region=third_region)
    made = {"valles": [], "montana": [], "mixteca": []}
    for key, place, count, levels in (
        ("valles", municipality, 6, HIGH),
        ("montana", other_municipality, 4, LOW),
        ("mixteca", mixteca, 7, HIGH),
    ):
        for n in range(count):
            org = f.OrganizationFactory(
                name=f"{key} {n}",
                municipality=place,
                kind=Organization.Kind.COLLECTIVE if n % 2 else Organization.Kind.CSO,
            )
            if key == "mixteca" and n == 0:
                completed(org, coordinator, LOW)
            made[key].append((org, completed(org, coordinator, levels)))
    return made


def row(table, label):
    return next(r for r in table.rows if r.label == label)


def test_region_figures_are_means_of_the_latest_assessments(programme):
    table = selectors.aggregate("region")
    assert [area for area, _label in table.areas] == ["gobernanza", "incidencia"]
    mixteca = row(table, "Mixteca")
    assert mixteca.n == 7  # the earlier LOW assessment does not count
    assert [c.mean for c in mixteca.cells] == [pytest.approx(3.0), pytest.approx(2.75)]
    assert mixteca.overall.mean == pytest.approx(2.875)
    assert table.total.n == 17
    # (13 × 3.0 + 4 × 1.0) / 17 and (13 × 2.75 + 4 × 1.0) / 17
    assert table.total.cells[0].mean == pytest.approx(43 / 17)
    assert table.total.cells[1].mean == pytest.approx(39.75 / 17)


def test_a_group_of_fewer_than_five_is_hidden_and_so_is_the_one_that_would_give_it_away(
    programme,
):
    table = selectors.aggregate("region")
    montana, valles, mixteca = (
        row(table, "La Montaña"),
        row(table, "Valles Centrales"),
        row(table, "Mixteca"),
    )
    assert montana.overall.suppressed == "small"
    assert all(cell.suppressed == "small" for cell in montana.cells)
    # Total − Mixteca − Valles would give La Montaña: Valles (6 < 7) goes too.
    assert valles.overall.suppressed == "complementary"
    assert all(cell.suppressed == "complementary" for cell in valles.cells)
    assert not mixteca.overall.suppressed and not table.total.overall.suppressed


def test_the_threshold_is_a_setting(programme, settings):
    settings.POLO_MIN_CELL_SIZE = 3
    table = selectors.aggregate("region")
    assert not any(r.overall.suppressed for r in table.rows)
    assert row(table, "La Montaña").cells[0].mean == pytest.approx(1.0)
    settings.POLO_MIN_CELL_SIZE = 8
    table = selectors.aggregate("region")
    assert all(r.overall.suppressed for r in table.rows)
    assert not table.total.overall.suppressed


def test_nothing_at_all_is_published_below_the_threshold(instrument, coordinator, organization):
    completed(organization, coordinator, HIGH)
    table = selectors.aggregate("region")
    assert table.total.overall.suppressed == "small"
    assert all(r.overall.suppressed for r in table.rows)


def test_the_public_page_shows_no_hidden_figure(programme, as_visitor):
    page = as_visitor.get(url("aggregates")).content.decode()
    assert "Mixteca" in page and "2.9" in page
    montana = page.split("La Montaña", 1)[1].split("</tr>", 1)[0]
    assert "1.0" not in montana and "menos de 5" in montana and "oculto" in montana
    valles = page.split("Valles Centrales", 1)[1].split("</tr>", 1)[0]
    assert "2.9" not in valles and "3.0" not in valles


def test_the_download_hides_the_same_cells(programme, as_visitor):
    response = as_visitor.get(url("aggregates_csv") + "?por=region")
    text = response.content.decode("utf-8-sig")
    montana = next(line for line in text.splitlines() if line.startswith("La Montaña"))
    assert "menos de 5 organizaciones" in montana and "1.00" not in montana
    assert "oculto para proteger otra cifra" in next(
        line for line in text.splitlines() if line.startswith("Valles Centrales")
    )


def test_by_kind_of_organisation(programme):
    table = selectors.aggregate("tipo")
    assert {r.label: r.n for r in table.rows} == {
        "Organización de la sociedad civil": 9,
        "Colectivo o grupo": 8,
    }


def test_by_network_and_theme_an_organisation_counts_in_each_of_its_groups(programme, municipality):
    network = f.OrganizationFactory(
        name="Red Oaxaqueña", kind=Organization.Kind.NETWORK, municipality=municipality
    )
    other = f.OrganizationFactory(
        name="Red Mixteca", kind=Organization.Kind.NETWORK, municipality=municipality
    )
    theme = f.ThemeFactory(slug="salud", name="Salud")
    for org, _assessment in programme["valles"] + programme["mixteca"][:2]:
        NetworkMembership.objects.create(network=network, member=org)
        org.themes.add(theme)
    NetworkMembership.objects.create(network=other, member=programme["valles"][0][0])
    by_network = selectors.aggregate("red")
    assert {r.label: r.n for r in by_network.rows} == {"Red Mixteca": 1, "Red Oaxaqueña": 8}
    assert row(by_network, "Red Mixteca").overall.suppressed == "small"
    assert by_network.overlapping
    by_theme = selectors.aggregate("tema")
    assert {r.label: r.n for r in by_theme.rows} == {"Salud": 8}


def test_members_own_answers_never_count(programme, coordinator):
    from polo.assessments import services
    from polo.surveys.models import Answer
    from polo.surveys.rendering import drafts

    org, _assessment = programme["mixteca"][1]
    member = f.UserFactory()
    f.MembershipFactory(user=member, organization=org, is_editor=False)
    ongoing = services.assessment_start(organization=org, by=coordinator)
    own = services.invitation_create(assessment=ongoing, user=member, by=coordinator).response
    own.data = {**own.data, **LOW}
    own.save()
    sent, problems = drafts.response_submit(
        response=own, by=member, expected_version=drafts.version_of(own)
    )
    assert not problems and not sent.is_draft
    # The member's answers are in the surveys engine's rows, in their own round...
    assert Answer.objects.filter(response=sent, name="gob_1", value="1").exists()
    assert sent.round.order == 2
    # ...and in none of the assessments' figures.
    table = selectors.aggregate("region")
    assert row(table, "Mixteca").cells[0].mean == pytest.approx(3.0)
    assert row(table, "Mixteca").n == 7


def test_a_few_queries_whatever_the_number_of_assessments(programme, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        selectors.aggregate("region")


def test_the_cached_table_changes_as_soon_as_an_assessment_is_completed(
    programme, coordinator, municipality, django_assert_max_num_queries
):
    before = selectors.aggregate("region")
    with django_assert_max_num_queries(2):  # the cache key's query alone
        assert selectors.aggregate("region").total.n == before.total.n
    org = f.OrganizationFactory(name="Nueva", municipality=municipality)
    completed(org, coordinator, LOW)
    after = selectors.aggregate("region")
    assert after.total.n == before.total.n + 1
    assert row(after, "Valles Centrales").n == 7
    assert selectors.aggregate("region", fresh=True).total.cells[0].mean == pytest.approx(
        after.total.cells[0].mean
    )
