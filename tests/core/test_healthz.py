"""/healthz: 200 with the database up, 503 when it is down; never cached."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def test_it_answers_200_with_the_database_state(as_visitor, db):
    response = as_visitor.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


def test_it_is_never_cached_and_shares_nothing_across_origins(as_visitor, db):
    response = as_visitor.get("/healthz")
    assert "no-store" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    assert "Access-Control-Allow-Origin" not in response
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_it_answers_head_and_refuses_post(as_visitor, db):
    assert as_visitor.head("/healthz").status_code == 200
    assert as_visitor.post("/healthz").status_code == 405


def test_staff_without_two_factor_still_reach_it(db):
    from tests import factories as f
    from tests.conftest import client_for

    staff = f.UserFactory(email="sin-totp@ejemplo.mx", role="coordinator", is_staff=True)
    assert client_for(staff).get("/healthz").status_code == 200


# Runs in a separate Python: Django configured, as the suite's plugin does, but
# with a PostgreSQL address where nothing listens (port 1). No mock: the
# database really is unreachable.
PROBE = textwrap.dedent(
    """
    import json, os
    import django
    django.setup()
    from django.test import Client
    response = Client().get("/healthz")
    print(json.dumps({"status": response.status_code, "body": response.json(),
                      "cache": response["Cache-Control"]}))
    """
)


def test_it_answers_503_when_the_database_is_down():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "polo.settings"),
        "PYTHONPATH": os.pathsep.join([str(SRC), *sys.path]),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/none",
        "SECRET_KEY": "tests-only-secret-key-not-for-production-0123456789abcdef",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "testserver",
        "CACHE_URL": "locmem://",
        "EMAIL_URL": "locmem://",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 503
    assert result["body"] == {"status": "error", "database": "unavailable"}
    assert "no-store" in result["cache"]
