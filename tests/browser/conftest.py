"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every test under tests/browser is marked ``browser`` here, so ``pytest -m browser`` runs
them alone and ``pytest -m "not browser"`` leaves them out. Without /usr/bin/chromium they
are skipped (``apt-get install chromium``), unless POLO_REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from tests import factories as f

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's own browser download does not work on these machines: drive the
# Debian package, and keep it from phoning home (no updates, sync or QUIC probes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent
PHONE = {"width": 390, "height": 844}
MISSING = f"{CHROMIUM} is missing: apt-get install chromium to enable browser tests"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the marker must be on the items before `-m` deselects by it.
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # pytest reports a fixture's skip at each test's own line, which makes one summary
    # line per browser test; pointing them all here makes one line for the whole lot.
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and MISSING in report.longrepr[2]:
        report.longrepr = (__file__, 0, report.longrepr[2])
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        if os.environ.get("POLO_REQUIRE_BROWSER") == "1":
            pytest.fail(f"POLO_REQUIRE_BROWSER=1 but {MISSING}", pytrace=False)
        pytest.skip(MISSING)

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop "running" in this thread for as long
    # as it is started, so Django believes the tests' ORM calls (factories, reading the
    # database after a browser step) happen inside async code and raises
    # SynchronousOnlyOperation. They do not: the calls are plain, sequential and
    # synchronous, so the check is switched off while Playwright runs, and only then.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser, live_server) -> Iterator[Callable]:
    """Opens fresh browser contexts (own cookies and storage) on the live server;
    Spanish (Mexico) unless told otherwise. All are closed after the test."""
    contexts = []

    def open_context(**options):
        options.setdefault("locale", "es-MX")
        options.setdefault("base_url", live_server.url)
        context = browser.new_context(**options)
        # Auto-waiting does the waiting; a short ceiling makes a missing element fail fast.
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def phone_page(new_context):
    return new_context(
        viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True
    ).new_page()


@pytest.fixture
def english_page(new_context):
    return new_context(locale="en-US").new_page()


def log_in(context, user, live_server) -> None:
    """Gives a browser context the session of `user` without going through the login
    form (the account journey test covers the form)."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def participant_page(new_context, participant, live_server):
    context = new_context()
    log_in(context, participant, live_server)
    return context.new_page()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The live server shares this process's local-memory cache: drawn maps and
    # allauth's rate-limit counters must not leak from one test's database to the next.
    cache.clear()
    yield
    cache.clear()


def square(x: int, y: int, size: int = 4_000) -> dict:
    """A square boundary in map units, enough for the maps to draw and link it."""
    return {
        "svg_path": f"M{x} {y}L{x + size} {y}L{x + size} {y + size}L{x} {y + size}Z",
        "bbox": [x, y, x + size, y + size],
        "label_point": [x + size // 2, y + size // 2],
    }


@pytest.fixture
def programme(region, other_region, municipality, other_municipality, organization, privacy_notice):
    """Rows for every public page to show real content: two regions in two states, drawn
    municipalities (so the maps and their links appear), a community, a published
    organisation and a current privacy notice."""
    for place, (x, y) in ((municipality, (0, 0)), (other_municipality, (0, 8_000))):
        for field, value in square(x, y).items():
            setattr(place, field, value)
        place.save()
    f.MunicipalityFactory(
        code="20068",
        name="Santa Lucía del Camino",
        state=region.state,
        region=region,
        **square(4_000, 0),
    )
    f.CommunityFactory(municipality=municipality, name="San Felipe del Agua")
    return {
        "region": region,
        "municipality": municipality,
        "organization": organization,
        "notice": privacy_notice,
    }
