"""No CDN: every request a page makes goes to Polo itself."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.browser.test_accessibility import public_pages


def test_pages_request_nothing_from_other_hosts(page, live_server, programme):
    own = urlsplit(live_server.url).netloc
    requested: dict[str, list[str]] = {}
    current = {"page": ""}
    page.on("request", lambda request: requested[current["page"]].append(request.url))

    for name, path in public_pages(programme).items():
        current["page"] = name
        requested[name] = []
        # Assets (styles, scripts, images, fonts) load before the load event; the home
        # page also waits for the network to settle, for anything fetched afterwards.
        page.goto(path, wait_until="networkidle" if path == "/" else "load")

    assert all(urls and urlsplit(urls[0]).netloc == own for urls in requested.values())
    foreign = {
        name: [u for u in urls if urlsplit(u).scheme != "data" and urlsplit(u).netloc != own]
        for name, urls in requested.items()
    }
    foreign = {name: urls for name, urls in foreign.items() if urls}
    assert not foreign, f"pages fetched from other hosts: {foreign}"
