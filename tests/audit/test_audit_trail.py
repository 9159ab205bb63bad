"""The audit trail: coordinators read who changed what, and when, on every record."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polo.audit import selectors
from polo.directory.models import Organization
from tests import factories as f


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def rows_of(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*)</tbody>", html).group(1)
    return re.findall(r"<tr>(.*?)</tr>", body)


def change(record, by, **values):
    """Save a change as `by` (as HistoryRequestMiddleware does for a request)."""
    for name, value in values.items():
        setattr(record, name, value)
    record._history_user = by
    record.save()
    return record


# --- Who may read it ---------------------------------------------------------


def test_visitors_are_sent_to_sign_in(as_visitor, db):
    response = as_visitor.get("/bitacora/")
    assert response.status_code == 302
    assert response["Location"].startswith("/cuentas/login/?next=/bitacora/")


@pytest.mark.parametrize(
    "persona", ["as_participant", "as_editor", "as_facilitator", "as_other_facilitator"]
)
def test_everyone_but_coordinators_is_refused(request, persona, organization):
    client = request.getfixturevalue(persona)
    assert client.get("/bitacora/").status_code == 403
    url = f"/bitacora/directory/organization/{organization.pk}/"
    assert client.get(url).status_code == 403


def test_coordinators_read_it(as_coordinator):
    assert as_coordinator.get("/bitacora/").status_code == 200


def test_visitors_asking_for_a_record_history_are_sent_to_sign_in(as_visitor, organization):
    response = as_visitor.get(f"/bitacora/directory/organization/{organization.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/cuentas/login/")


# --- What it shows -----------------------------------------------------------


def test_it_finds_every_domain_model_with_a_history_and_nothing_else():
    labels = {tracked.label for tracked in selectors.tracked_models()}
    assert {
        "accounts.user",
        "territory.region",
        "territory.municipality",
        "territory.community",
        "directory.organization",
        "directory.theme",
        "directory.membership",
    } <= labels
    assert "core.job" not in labels  # no history: not a domain record
    assert all(label.split(".")[0] not in {"auth", "admin", "account"} for label in labels)


def test_a_change_through_the_admin_shows_who_made_it_and_the_difference(
    as_coordinator, coordinator, region, municipality
):
    response = as_coordinator.post(
        f"/admin/territory/region/{region.pk}/change/",
        {
            "name": "Valles Centrales",
            "slug": region.slug,
            "state": region.state.pk,
            "description": "Los valles alrededor de Oaxaca de Juárez.",
            "ordering": 3,
            "municipalities": [municipality.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = text_of(as_coordinator.get("/bitacora/?tipo=territory.region"))
    row = rows_of(html)[0]
    assert "Marta Ruiz" in row
    assert "Valles Centrales" in row
    assert "Modificación" in row
    assert (
        "<strong>Descripción</strong>: "
        '<del><span class="visually-hidden">antes: </span>—</del>'
        ' <span aria-hidden="true">→</span> '
        '<ins><span class="visually-hidden">después: </span>'
        "Los valles alrededor de Oaxaca de Juárez.</ins>"
    ) in row
    assert "<strong>Orden</strong>" in row


def test_a_saved_change_shows_readable_values_for_choices_places_and_themes(
    as_coordinator, coordinator, organization, other_municipality
):
    theme = f.ThemeFactory(name="Derechos humanos")
    change(
        organization,
        coordinator,
        name="Mujeres de los Valles y la Sierra A.C.",
        status=Organization.Status.ARCHIVED,
        municipality=other_municipality,
    )
    organization._history_user = coordinator
    organization.themes.add(theme)
    html = text_of(as_coordinator.get("/bitacora/?tipo=directory.organization"))
    rows = rows_of(html)
    saved = next(r for r in rows if "<strong>Nombre</strong>" in r)
    assert "Mujeres de los Valles A.C.</del>" in saved
    assert "Mujeres de los Valles y la Sierra A.C.</ins>" in saved
    assert "Publicada</del>" in saved and "Archivada</ins>" in saved
    assert "Oaxaca de Juárez, Oax.</del>" in saved
    assert "Malinaltepec, Gro.</ins>" in saved
    themed = next(r for r in rows if "<strong>Temas</strong>" in r)
    assert "Derechos humanos</ins>" in themed
    assert "Marta Ruiz" in themed


def test_it_links_the_record_and_its_history(as_coordinator, coordinator, organization):
    change(organization, coordinator, acronym="MV")
    row = rows_of(text_of(as_coordinator.get("/bitacora/?tipo=directory.organization")))[0]
    assert f'<a href="/directorio/organizaciones/{organization.pk}/">' in row
    assert f'href="/bitacora/directory/organization/{organization.pk}/"' in row


def test_creations_and_deletions_are_marked_in_words_not_only_symbols(as_coordinator, coordinator):
    theme = f.ThemeFactory(name="Migración")
    theme._history_user = coordinator
    theme.delete()
    rows = rows_of(text_of(as_coordinator.get("/bitacora/?tipo=directory.theme")))
    deleted, created = rows[0], rows[1]
    assert '<span aria-hidden="true">−</span> Eliminación' in deleted
    assert "Registro eliminado." in deleted
    assert "Migración<br>" in deleted  # named, not linked: it is gone
    assert '<span aria-hidden="true">+</span> Creación' in created
    assert "Registro creado." in created


def test_changes_are_listed_newest_first_across_record_types(
    as_coordinator, coordinator, organization, region, time_machine
):
    time_machine.move_to("2027-05-01 10:00:00-06:00")
    change(region, coordinator, description="Primero")
    time_machine.move_to("2027-05-02 10:00:00-06:00")
    change(organization, coordinator, acronym="Segundo")
    time_machine.move_to("2027-05-03 10:00:00-06:00")
    change(region, coordinator, description="Tercero")
    as_coordinator.force_login(coordinator)  # a new session: the first one expired
    rows = rows_of(text_of(as_coordinator.get("/bitacora/?persona=coordinacion")))
    assert ["Tercero" in rows[0], "Segundo" in rows[1], "Primero" in rows[2]] == [True] * 3


def test_dates_follow_the_active_language(as_coordinator, coordinator, region, time_machine):
    time_machine.move_to("2027-05-03 16:30:00-06:00")
    change(region, coordinator, description="Con fecha")
    as_coordinator.force_login(coordinator)  # a new session: the first one expired
    spanish = text_of(as_coordinator.get("/bitacora/?tipo=territory.region"))
    assert ">03/05/2027 16:30</time>" in spanish
    as_coordinator.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = text_of(as_coordinator.get("/bitacora/?tipo=territory.region"))
    assert ">05/03/2027 4:30 p.m.</time>" in english


# --- Filters -----------------------------------------------------------------


def test_it_filters_by_record_type(as_coordinator, coordinator, organization, region):
    change(region, coordinator, description="Región cambiada")
    change(organization, coordinator, acronym="ORG")
    html = text_of(as_coordinator.get("/bitacora/?tipo=territory.region"))
    assert "Región cambiada" in html and "ORG</ins>" not in html
    assert '<option value="territory.region" selected>Regiones</option>' in html


def test_it_filters_by_who_made_the_change(
    as_coordinator, coordinator, facilitator, organization, region
):
    change(region, facilitator, description="Por Luis")
    change(organization, coordinator, acronym="POR-MARTA")
    by_luis = text_of(as_coordinator.get("/bitacora/?persona=hernández"))
    assert "Por Luis" in by_luis and "POR-MARTA" not in by_luis
    by_mail = text_of(as_coordinator.get("/bitacora/?persona=COORDINACION@ejemplo"))
    assert "POR-MARTA" in by_mail and "Por Luis" not in by_mail


def test_it_filters_by_date_range_in_local_days(as_coordinator, coordinator, region, time_machine):
    time_machine.move_to("2027-04-30 23:30:00-06:00")  # 05:30 on 1 May in UTC
    change(region, coordinator, description="Abril")
    time_machine.move_to("2027-05-01 00:30:00-06:00")
    change(region, coordinator, description="Mayo")
    time_machine.move_to("2027-05-09 12:00:00-06:00")
    change(region, coordinator, description="Después")
    as_coordinator.force_login(coordinator)  # a new session: the first one expired
    html = text_of(as_coordinator.get("/bitacora/?desde=2027-05-01&hasta=2027-05-01"))
    assert "Mayo</ins>" in html
    assert "Abril</ins>" not in html and "Después</ins>" not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("desde=ayer", "Introduzca una fecha válida."),
        ("hasta=2026-02-31", "Introduzca una fecha válida."),
        ("desde=2027-05-09&hasta=2027-05-01", "posterior a la fecha"),
        ("tipo=core.job", "Seleccione una opción válida."),
        ("tipo=../../etc/passwd", "Seleccione una opción válida."),
        ("persona=" + "x" * 151, "150 caracteres"),
    ],
)
def test_bad_filters_are_explained_and_show_nothing(as_coordinator, region, query, message):
    html = text_of(as_coordinator.get(f"/bitacora/?{query}"))
    assert message in html
    assert "Corrige los filtros" in html
    assert "<tbody>" not in html


# --- Pages and cost ----------------------------------------------------------


def test_pages_walk_the_whole_trail_once_even_when_changes_share_a_timestamp(
    coordinator, organization, region, municipality, time_machine
):
    time_machine.move_to("2027-06-01 09:00:00-06:00", tick=False)
    for n in range(4):
        change(region, coordinator, description=f"r{n}")
        change(organization, coordinator, acronym=f"o{n}")
        change(municipality, coordinator, seat=f"m{n}")
    everything = selectors.recent_changes(per_page=1000).entries
    seen, before = [], None
    while True:
        page = selectors.recent_changes(before=before, per_page=5)
        seen += [entry.key for entry in page.entries]
        if page.older is None:
            break
        before = page.older
    assert seen == [entry.key for entry in everything]
    assert len(seen) == len(set(seen))
    # And back: the page newer than the last one ends where the walk came from.
    back = selectors.recent_changes(after=selectors.Cursor(*seen[-1]), per_page=5)
    assert [entry.key for entry in back.entries] == seen[-6:-1]


def test_the_pagination_links_keep_the_filters(as_coordinator, coordinator, region):
    for n in range(selectors.PER_PAGE + 2):
        change(region, coordinator, ordering=n)
    first = as_coordinator.get("/bitacora/?tipo=territory.region").content.decode()
    older = re.search(r'<a href="([^"]+)" rel="next">', first).group(1).replace("&amp;", "&")
    assert "tipo=territory.region" in older and "antes=" in older
    second = text_of(as_coordinator.get(f"/bitacora/{older}"))
    assert len(rows_of(second)) >= 2
    assert 'rel="prev"' in second


@pytest.mark.parametrize(
    "cursor",
    [
        "basura",
        "2026-01-01T00:00:00~auth.group~1",
        "2026-01-01T00:00:00~territory.region~x",
        "2026-01-01T00:00:00~territory.region~1",
        "~~",
        "2026-13-45T99:00:00+00:00~a~1",
    ],
)
def test_a_broken_page_cursor_shows_the_first_page(as_coordinator, coordinator, region, cursor):
    change(region, coordinator, description="Visible")
    html = text_of(as_coordinator.get("/bitacora/", {"antes": cursor, "despues": cursor}))
    assert "Visible</ins>" in html


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_page(
    as_coordinator, coordinator, organization, region, municipality, other_municipality
):
    theme = f.ThemeFactory()

    def round_of_changes(n):
        change(region, coordinator, description=f"d{n}")
        change(
            organization,
            coordinator,
            acronym=f"a{n}",
            municipality=other_municipality if n % 2 else municipality,
        )
        organization._history_user = coordinator
        organization.themes.set([theme] if n % 2 else [])
        change(municipality, coordinator, seat=f"s{n}")

    # Session, user and two-factor check; per table at most its page rows, the
    # previous versions and the live records; one per related model and
    # many-to-many field named in the changes. Never one per row.
    bound = 3 + 3 * len(selectors.tracked_models()) + 4
    round_of_changes(0)
    round_of_changes(1)
    assert queries_for(as_coordinator, "/bitacora/") <= bound
    for n in range(2, 20):
        round_of_changes(n)
    assert len(selectors.recent_changes().entries) == selectors.PER_PAGE
    assert queries_for(as_coordinator, "/bitacora/") <= bound


# --- One record's history ----------------------------------------------------


def test_a_record_history_lists_its_versions_with_their_differences(
    as_coordinator, coordinator, organization
):
    change(organization, coordinator, acronym="MV")
    change(organization, coordinator, acronym="MVS")
    html = text_of(as_coordinator.get(f"/bitacora/directory/organization/{organization.pk}/"))
    assert "<h1>Historial de Mujeres de los Valles A.C.</h1>" in html
    assert "3 versiones registradas" in html
    rows = rows_of(html)
    assert "MV</del>" in rows[0] and "MVS</ins>" in rows[0]
    assert "MV</ins>" in rows[1]
    assert "Registro creado." in rows[2]


def test_a_deleted_record_keeps_its_history(as_coordinator, coordinator):
    theme = f.ThemeFactory(name="Cultura")
    pk = theme.pk
    theme._history_user = coordinator
    theme.delete()
    html = text_of(as_coordinator.get(f"/bitacora/directory/theme/{pk}/"))
    assert "Este registro ya fue eliminado." in html
    assert "Historial de Cultura" in html


@pytest.mark.parametrize(
    "path",
    [
        "/bitacora/core/job/1/",  # no history
        "/bitacora/auth/group/1/",  # not Polo's
        "/bitacora/directory/organization/abc/",  # malformed key
        "/bitacora/directory/organization/999999/",  # never existed
        "/bitacora/directory/nada/1/",
    ],
)
def test_record_histories_that_do_not_exist_are_not_found(as_coordinator, organization, path):
    assert as_coordinator.get(path).status_code == 404


def test_a_long_record_history_is_paginated(as_coordinator, coordinator, region):
    for n in range(selectors.RECORD_PER_PAGE + 1):
        change(region, coordinator, ordering=n + 1)
    url = f"/bitacora/territory/region/{region.pk}/"
    first = text_of(as_coordinator.get(url))
    assert "Página 1 de 2" in first
    second = text_of(as_coordinator.get(url + "?pagina=2"))
    assert "Página 2 de 2" in second
    assert "Página 1 de 2" in text_of(as_coordinator.get(url + "?pagina=nueve"))
    assert "Página 2 de 2" in text_of(as_coordinator.get(url + "?pagina=99"))
