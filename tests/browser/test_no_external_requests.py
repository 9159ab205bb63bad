"""No CDN: every request a page makes goes to Polo itself."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

PAGES = {
    "home": lambda rows: "/",
    "login": lambda rows: "/cuentas/login/",
    "signup": lambda rows: "/cuentas/signup/",
    "directory": lambda rows: "/directorio/",
    "region": lambda rows: rows["region"].get_absolute_url(),
}


@pytest.fixture
def rows(region, municipality, organization, privacy_notice):
    return {"region": region, "municipality": municipality}


@pytest.mark.parametrize("path_of", PAGES.values(), ids=PAGES.keys())
def test_the_page_requests_nothing_from_other_hosts(page, live_server, rows, path_of):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path_of(rows), wait_until="networkidle")

    own = urlsplit(live_server.url).netloc
    assert requested and urlsplit(requested[0]).netloc == own
    foreign = [
        url for url in requested if urlsplit(url).scheme != "data" and urlsplit(url).netloc != own
    ]
    assert not foreign, f"{page.url} fetched from other hosts: {foreign}"
