"""Fixtures for the accounts tests: a clean cache (allauth's rate limits live
there) and the privacy-notice middleware switched on whether or not the
settings list it yet."""

from __future__ import annotations

import pytest
from django.core.cache import cache

PRIVACY_MIDDLEWARE = "polo.accounts.middleware.PrivacyNoticeMiddleware"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def privacy_middleware(settings):
    if PRIVACY_MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, PRIVACY_MIDDLEWARE]


SIGNUP_URL = "/cuentas/signup/"
STRONG_PASSWORD = "Tlayuda-con-asiento-2026"


def signup_data(**overrides) -> dict[str, str]:
    data = {
        "full_name": "Guadalupe Santiago López",
        "email": "lupita@ejemplo.mx",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        "accept_privacy": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def confirmation_link(message) -> str:
    """The e-mail confirmation path from a message in django.core.mail.outbox."""
    import re

    match = re.search(r"https?://[^/\s]+(/cuentas/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)
