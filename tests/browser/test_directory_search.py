"""The Thematic Directory in the browser: search with facets (without JavaScript, and
with htmx updating the results in place), the map of the same search, an organisation's
profile, and axe on those pages.

Each live-server test empties the database afterwards, so each builds the same small
directory (`directory` below: 31 published organisations in two states) and the tests
are few, each following one person's way through several pages."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from polo.directory.models import ContactPoint, Organization
from tests import factories as f
from tests.browser.axe import assert_all_accessible

# Trees of the three states: 24 organisations on the environment, none of whose
# words a search for "nino" could match.
TREES = (
    "Ahuehuete Amate Biznaga Cazahuate Cedro Ceiba Copal Encino Guaje Guayacán Huizache "
    "Jacaranda Maguey Mezquite Nopal Ocote Oyamel Pochote Sabino Tabachín Tepehuaje Tule "
    "Zapote Cuajilote"
).split()
PUBLIC_EMAIL = "hola@ninosdelsol.org.mx"
PRIVATE_PHONE = "951 000 1234"
PRIVATE_ADDRESS = "Calle Privada de los Pinos 12, interior 3"

# Facet values as the page's facets (and URLs) name them.
OAXACA, GUERRERO = "20", "12"
OAXACA_DE_JUAREZ, MALINALTEPEC = "20067", "12041"

# The facets as the page shows them: {legend: {value: count}}.
FACET_COUNTS = """
() => Object.fromEntries(Array.from(document.querySelectorAll('#filtros fieldset.facet'))
  .map(set => [
    set.querySelector('legend').textContent.trim(),
    Object.fromEntries(Array.from(set.querySelectorAll('li')).map(item => [
      item.querySelector('input[type=checkbox]').value,
      Number(item.querySelector('.facet-count').textContent.replace(/\\D/g, '')),
    ])),
  ]))
"""


@pytest.fixture
def directory(programme, other_municipality):
    """Six organisations for children ("Niños…"), four of them on the theme
    "Infancia", and 24 environmental ones, in Oaxaca de Juárez (Oaxaca) and
    Malinaltepec (Guerrero); with the programme's own organisation, 31 published.
    One draft that must never show."""
    oaxaca_de_juarez = programme["municipality"]
    infancia = f.ThemeFactory(slug="infancia", name="Infancia")
    salud = f.ThemeFactory(slug="salud", name="Salud")
    ambiente = f.ThemeFactory(slug="medio-ambiente", name="Medio ambiente")

    def add(name, municipality, themes, **fields):
        org = f.OrganizationFactory.build(name=name, municipality=municipality, **fields)
        # No audit trail for the fixture: each save would copy every relation into
        # the history (some 35 queries an organisation), and no page here reads it.
        org.skip_history_when_saving = True
        org.save()
        org.themes.set(themes)
        org.refresh_search_fields()  # with the themes, as the editing services do
        org.save()
        return org

    children = {
        "Niños del Sol A.C.": (oaxaca_de_juarez, [infancia]),
        "Casa de los Niños Zapotecas": (oaxaca_de_juarez, [infancia, salud]),
        "Niños Sanos de Oaxaca": (oaxaca_de_juarez, [infancia]),
        "Red por los Niños de Oaxaca": (oaxaca_de_juarez, [salud]),
        "Niños de la Montaña A.C.": (other_municipality, [infancia]),
        "Escuelita para Niños Me'phaa": (other_municipality, [salud]),
    }
    made = {
        name: add(name, place, themes, description="Acompañamos a la infancia y sus familias.")
        for name, (place, themes) in children.items()
    }
    for index, tree in enumerate(TREES):
        place = oaxaca_de_juarez if index < 14 else other_municipality
        add(
            f"Colectivo Ambiental {tree}",
            place,
            [ambiente],
            description="Cuidamos los bosques, el agua y el suelo de la región.",
        )
    add("Niños en Borrador", oaxaca_de_juarez, [infancia], status=Organization.Status.DRAFT)

    sol = made["Niños del Sol A.C."]
    for kind, value, is_public in (
        (ContactPoint.Kind.EMAIL, PUBLIC_EMAIL, True),
        (ContactPoint.Kind.PHONE, PRIVATE_PHONE, False),
        (ContactPoint.Kind.ADDRESS, PRIVATE_ADDRESS, False),
    ):
        ContactPoint.objects.create(organization=sol, kind=kind, value=value, is_public=is_public)
    return {
        "children": list(children),
        # Expected by construction, not asked of the search code under test.
        "children_on_infancia": {
            name for name, (_place, themes) in children.items() if infancia in themes
        },
        "on_environment": len(TREES),
        "published": 1 + len(children) + len(TREES),  # and the programme's own
        "sol": sol,
        "montana": made["Niños de la Montaña A.C."],
    }


def heading(page):
    return page.locator("#resultados-titulo")


def result_names(page) -> list[str]:
    return page.locator("ol.result-list > li h3 a").all_inner_texts()


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_without_javascript_a_visitor_searches_filters_and_pages_through_the_results(
    new_context, directory
):
    context = new_context(java_script_enabled=False)
    probe = context.new_page()
    probe.set_content("<p id=out>off</p><script>out.textContent = 'on'</script>")
    expect(probe.locator("#out")).to_have_text("off")  # scripts really are off
    page = context.new_page()
    page.goto(reverse("directory:index"))
    expect(heading(page)).to_have_text(f"{directory['published']} organizaciones encontradas")

    # Accents and case forgiven: "nino" finds the "Niños".
    page.get_by_label("Buscar organizaciones").fill("nino")
    page.get_by_role("button", name="Buscar", exact=True).click()
    expect(heading(page)).to_have_text("6 organizaciones encontradas")
    assert query_of(page)["q"] == ["nino"]
    assert sorted(result_names(page)) == sorted(directory["children"])

    # A facet ticked and applied with the form's own button: a plain GET.
    page.get_by_role("checkbox", name="Infancia", exact=True).check()
    page.get_by_role("button", name="Aplicar filtros").click()
    expect(page).to_have_url(re.compile(r"[?&]theme=infancia(&|$)"))
    params = query_of(page)
    assert params["q"] == ["nino"] and params["theme"] == ["infancia"]
    expected = directory["children_on_infancia"]
    expect(heading(page)).to_have_text(f"{len(expected)} organizaciones encontradas")
    assert set(result_names(page)) == expected
    expect(page.get_by_role("checkbox", name="Infancia", exact=True)).to_be_checked()
    in_use = page.locator("#filtros-en-uso + ul")
    expect(in_use).to_contain_text("«nino»")
    expect(in_use).to_contain_text("Infancia")

    # Pagination keeps the filters: 24 on the environment, 20 a page.
    page.goto(reverse("directory:index"))
    page.get_by_role("checkbox", name="Medio ambiente", exact=True).check()
    page.get_by_role("button", name="Aplicar filtros").click()
    expect(heading(page)).to_have_text(f"{directory['on_environment']} organizaciones encontradas")
    first_page = result_names(page)
    assert len(first_page) == 20
    page.get_by_role("navigation", name="Páginas de resultados").get_by_role(
        "link", name="Siguiente"
    ).click()
    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    assert query_of(page)["theme"] == ["medio-ambiente"]
    expect(page.get_by_text("Página 2 de 2")).to_be_visible()
    second_page = result_names(page)
    assert len(second_page) == directory["on_environment"] - 20
    assert not set(first_page) & set(second_page)
    assert all(name.startswith("Colectivo Ambiental") for name in first_page + second_page)
    expect(page.get_by_role("checkbox", name="Medio ambiente", exact=True)).to_be_checked()


def test_with_htmx_the_results_change_in_place_and_the_back_button_restores_the_search(
    page, directory
):
    documents, fragments = [], []

    def watch(request):
        if request.resource_type == "document":
            documents.append(request.url)
        elif request.headers.get("hx-request") == "true":
            fragments.append(request.url)

    page.goto(reverse("directory:index"))
    page.on("request", watch)
    # Lives only as long as this document: a reload or a navigation would drop it.
    page.evaluate("window.sinRecargar = 'la misma página'")

    page.get_by_label("Buscar organizaciones").fill("nino")
    page.get_by_role("button", name="Buscar", exact=True).click()
    expect(heading(page)).to_have_text("6 organizaciones encontradas")
    expect(page).to_have_url(re.compile(r"[?&]q=nino(&|$)"))  # hx-push-url
    before = page.evaluate(FACET_COUNTS)
    assert before["Estado"] == {OAXACA: 4, GUERRERO: 2}
    assert before["Tema"] == {"infancia": 4, "salud": 3}

    page.get_by_role("checkbox", name="Infancia", exact=True).check()  # no button: htmx
    expected = directory["children_on_infancia"]
    expect(heading(page)).to_have_text(f"{len(expected)} organizaciones encontradas")
    expect(page).to_have_url(re.compile(r"[?&]theme=infancia(&|$)"))
    assert query_of(page)["q"] == ["nino"]
    assert set(result_names(page)) == expected
    after = page.evaluate(FACET_COUNTS)
    assert after["Estado"] == {OAXACA: 3, GUERRERO: 1}
    assert after["Municipio sede"] == {OAXACA_DE_JUAREZ: 3, MALINALTEPEC: 1}
    # A facet's counts ignore its own selection: the other theme stays offered.
    assert after["Tema"] == before["Tema"]
    # The status line for screen readers follows the results.
    expect(page.locator("#directory-status")).to_have_text(
        f"{len(expected)} organizaciones encontradas"
    )

    assert page.evaluate("window.sinRecargar") == "la misma página"
    assert documents == [], f"the page was loaded again: {documents}"
    assert len(fragments) >= 2, f"htmx asked for no fragment: {fragments}"

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"theme="))
    expect(heading(page)).to_have_text("6 organizaciones encontradas")
    assert query_of(page)["q"] == ["nino"]
    expect(page.get_by_role("checkbox", name="Infancia", exact=True)).not_to_be_checked()
    assert sorted(result_names(page)) == sorted(directory["children"])
    # The search box says what the results are for, and the next filter keeps the text.
    expect(page.get_by_label("Buscar organizaciones")).to_have_value("nino")
    page.get_by_role("checkbox", name="Salud", exact=True).check()
    expect(page).to_have_url(re.compile(r"[?&]theme=salud(&|$)"))
    assert query_of(page)["q"] == ["nino"]
    expect(heading(page)).to_have_text("3 organizaciones encontradas")


def test_with_htmx_pagination_keeps_the_filters_in_place(page, directory):
    page.goto(reverse("directory:index") + "?theme=medio-ambiente")
    page.evaluate("window.sinRecargar = 'la misma página'")
    first_page = result_names(page)
    page.get_by_role("navigation", name="Páginas de resultados").get_by_role(
        "link", name="Siguiente"
    ).click()
    expect(page.get_by_text("Página 2 de 2")).to_be_visible()
    params = query_of(page)
    assert params["theme"] == ["medio-ambiente"] and params["page"] == ["2"]
    second_page = result_names(page)
    assert len(first_page) + len(second_page) == directory["on_environment"]
    assert not set(first_page) & set(second_page)
    assert page.evaluate("window.sinRecargar") == "la misma página"


def test_the_map_shows_the_same_search_with_its_counts_and_markers(page, directory):
    page.goto(reverse("directory:index") + "?q=nino&theme=infancia")
    page.get_by_role("link", name="Ver estos resultados en el mapa").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("directory:map"))))
    params = query_of(page)
    assert params["q"] == ["nino"] and params["theme"] == ["infancia"]

    svg = page.locator("figure.map-figure svg.map-svg")
    expect(svg).to_have_count(1)
    # Named by its title and its description (aria-labelledby names both).
    expect(svg).to_have_role("group")  # it holds links
    expect(svg).to_have_accessible_name(
        re.compile(r"^Organizaciones del directorio por municipio Mapa de \d+ municipios")
    )

    table = page.locator("#tabla-municipios table")
    expect(table.locator("caption")).to_have_text("Organizaciones encontradas por municipio sede")
    rows = {
        row.locator("th").inner_text(): int(row.locator("td.num").inner_text())
        for row in table.locator("tbody tr").all()
    }
    by_place: dict[str, int] = {}
    for org in Organization.objects.filter(name__in=directory["children_on_infancia"]):
        by_place[org.municipality.name] = by_place.get(org.municipality.name, 0) + 1
    assert by_place == {"Oaxaca de Juárez": 3, "Malinaltepec": 1}
    assert rows == by_place
    expect(heading(page)).to_have_text("4 organizaciones encontradas")

    # Each municipality with results is a link on the map, titled with its count.
    expect(svg.locator('a[aria-label="Oaxaca de Juárez: 3 organizaciones"]')).to_have_count(1)
    expect(svg.locator('a[aria-label="Malinaltepec: 1 organización"]')).to_have_count(1)
    # Three without coordinates in one municipality: one numbered group, linking
    # to that municipality's list with the same search.
    group = svg.locator('.map-markers a[aria-label="3 organizaciones en Oaxaca de Juárez"]')
    expect(group).to_have_count(1)
    expect(group).to_contain_text("3")
    group_params = parse_qs(urlsplit(group.get_attribute("href")).query)
    assert group_params["municipality"] == [OAXACA_DE_JUAREZ]
    assert group_params["q"] == ["nino"] and group_params["theme"] == ["infancia"]
    # Alone in its municipality: a marker to its profile.
    single = svg.locator(f'.map-markers a[href="{directory["montana"].get_absolute_url()}"]')
    expect(single).to_have_attribute("aria-label", "Niños de la Montaña A.C.")


def test_a_profile_opened_from_the_results_shows_its_public_contacts_and_no_private_one(
    page, directory
):
    page.goto(reverse("directory:index") + "?q=nino")
    page.locator("ol.result-list").get_by_role("link", name="Niños del Sol A.C.").click()
    expect(page).to_have_url(re.compile(re.escape(directory["sol"].get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Niños del Sol A.C.")
    contact = page.locator("section[aria-labelledby=contacto]")
    expect(contact.get_by_role("link", name=PUBLIC_EMAIL)).to_have_attribute(
        "href", f"mailto:{PUBLIC_EMAIL}"
    )
    text, source = page.locator("body").inner_text(), page.content()
    for private in (PRIVATE_PHONE, PRIVATE_ADDRESS):
        assert private not in text and private not in source, f"{private!r} is public"
    assert "privado" not in contact.inner_text()
    expect(page.locator("main")).to_contain_text("Infancia")


def filtered_pages(directory) -> dict[str, str]:
    search = "?q=nino&theme=infancia"
    return {
        "directory with results and facets selected": reverse("directory:index") + search,
        "directory map": reverse("directory:map") + search,
        "profile": directory["sol"].get_absolute_url(),
    }


def test_the_directory_map_and_profile_have_no_serious_accessibility_violations(page, directory):
    assert_all_accessible(page, filtered_pages(directory))


def test_the_directory_map_and_profile_on_a_phone_have_no_serious_accessibility_violations(
    phone_page, directory
):
    assert_all_accessible(phone_page, filtered_pages(directory))
