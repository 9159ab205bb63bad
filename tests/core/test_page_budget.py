"""The page budget: at most 100 KB transferred (HTML and assets, gzipped) and at
most 4 asset requests, all served by Polo, on every public page, measured with
the real territory catalogue (the maps are the heaviest part of a page)."""

from __future__ import annotations

import base64
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from polo.core.budget import MAX_ASSETS, MAX_BYTES, weigh_page
from polo.directory.models import Organization
from polo.territory.models import Municipality, Region, State

PUBLIC_PAGES = [
    "/",
    "/cuentas/login/",
    "/cuentas/signup/",
    "/cuentas/password/reset/",
    "/cuenta/aviso-de-privacidad/",
    "/directorio/",
    "/territorio/",
    "/no-existe-esta-pagina/",
]


@pytest.fixture(scope="module")
def territory(django_db_setup, django_db_blocker):
    """The real INEGI catalogue, loaded once for the module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_territory", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def programme(territory, db, privacy_notice):
    """A directory at the programme's scale: 250 published actors across the regions."""
    places = list(Municipality.objects.in_programme().order_by("code"))
    assert places, "the catalogue has no programme municipalities"
    kinds = (
        [Organization.Kind.CSO] * 19
        + [Organization.Kind.COLLECTIVE] * 5
        + [
            Organization.Kind.ACADEMIC,
            Organization.Kind.NETWORK,
        ]
    )
    Organization.objects.bulk_create(
        Organization(
            name=f"Organización para el desarrollo comunitario número {n} A.C.",
            kind=kinds[n % len(kinds)],
            status=Organization.Status.PUBLISHED,
            description="Trabaja por los derechos de las mujeres y la niñez en su región.",
            municipality=places[(n * 37) % len(places)],
        )
        for n in range(250)
    )


def assert_within_budget(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code in {200, 404}, (path, response.status_code)
    weight = weigh_page(response.content)
    print(  # shown with `pytest -s`: the figures the budget is about
        f"{path}: {weight.total_bytes / 1024:.1f} KB gzipped "
        f"(HTML {weight.html_bytes / 1024:.1f} KB), {weight.asset_requests} assets"
    )
    assert weight.problems() == [], path


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_stay_within_the_budget(as_visitor, programme, path):
    assert_within_budget(as_visitor, path)


def test_every_region_page_stays_within_the_budget(as_visitor, programme):
    regions = list(Region.objects.all())
    assert len(regions) == 6
    for region in regions:
        assert_within_budget(as_visitor, region.get_absolute_url())


def test_state_pages_stay_within_the_budget(as_visitor, programme):
    for code in ("12", "20", "21"):
        assert_within_budget(as_visitor, f"/territorio/estados/{code}/")
    assert State.objects.filter(code__in=["12", "20", "21"]).count() == 3


def test_the_largest_municipality_page_stays_within_the_budget(as_visitor, programme):
    biggest = Municipality.objects.in_programme().order_by("-population").first()
    assert_within_budget(as_visitor, biggest.get_absolute_url())


def test_the_home_page_for_a_signed_in_coordinator_stays_within_the_budget(
    as_coordinator, programme
):
    assert_within_budget(as_coordinator, "/")


# --- The checker itself: it must be able to fail ------------------------------


def page(head: str = "", body: str = "") -> bytes:
    return (
        f'<!doctype html><html lang="es-MX"><head><meta charset="utf-8">{head}</head>'
        f"<body>{body}</body></html>"
    ).encode()


def test_the_checker_counts_the_html_and_each_asset_once():
    css = '<link rel="stylesheet" href="/static/polo/polo.css">'
    weight = weigh_page(page(head=css + css, body='<img src="data:image/png;base64,AAAA">'))
    assert list(weight.assets) == ["/static/polo/polo.css"]
    assert weight.asset_requests == 1
    assert weight.total_bytes == weight.html_bytes + weight.assets["/static/polo/polo.css"]
    assert weight.problems() == []


def test_the_checker_fails_an_oversized_page():
    noise = base64.b64encode(random.Random(7).randbytes(150 * 1024)).decode()
    weight = weigh_page(page(body=f"<p>{noise}</p>"))
    assert weight.html_bytes > MAX_BYTES
    assert any("over the budget" in problem for problem in weight.problems())


def test_the_checker_fails_a_page_whose_assets_are_too_heavy():
    scripts = "".join(
        f'<script src="/static/admin/js/vendor/{name}" defer></script>'
        for name in ("jquery/jquery.js", "select2/select2.full.js")
    )
    weight = weigh_page(page(head=scripts))
    assert weight.html_bytes < 1024 and weight.asset_requests == 2
    assert weight.total_bytes > MAX_BYTES
    assert weight.problems()


def test_the_checker_fails_a_page_with_too_many_asset_requests():
    assets = [
        '<link rel="stylesheet" href="/static/polo/polo.css">',
        '<script src="/static/django_htmx/htmx-2.min.js" defer></script>',
        '<link rel="stylesheet" href="/static/admin/css/base.css">',
        '<script src="/static/admin/js/core.js"></script>',
        '<img src="/static/admin/img/icon-yes.svg" alt="">',
    ]
    weight = weigh_page(page(head="".join(assets)))
    assert weight.asset_requests == MAX_ASSETS + 1
    assert any("asset requests" in problem for problem in weight.problems())
    assert weigh_page(page(head="".join(assets[:MAX_ASSETS]))).problems() == []


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="https://cdn.example.org/htmx.min.js"></script>',
        '<link rel="stylesheet" href="//fonts.example.com/css?family=Roboto">',
        '<img src="http://testserver/static/polo/polo.css" alt="">',
    ],
)
def test_the_checker_fails_assets_from_another_origin(tag):
    problems = weigh_page(page(head=tag)).problems()
    assert problems and "external asset" in problems[0]


@pytest.mark.parametrize(
    "tag",
    [
        '<link rel="stylesheet" href="/static/polo/no-existe.css">',
        '<script src="/media/subido.js"></script>',
    ],
)
def test_the_checker_fails_assets_it_cannot_find(tag):
    problems = weigh_page(page(head=tag)).problems()
    assert problems and "not found" in problems[0]


def test_the_live_home_page_is_weighed_with_its_real_assets(as_visitor, db):
    weight = weigh_page(as_visitor.get("/").content)
    assert set(weight.assets) == {"/static/polo/polo.css", "/static/django_htmx/htmx-2.min.js"}
    assert weight.assets["/static/django_htmx/htmx-2.min.js"] > 10 * 1024
    assert weight.external == [] and weight.missing == []
