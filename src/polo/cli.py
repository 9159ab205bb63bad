"""The `polo` command: Django's management commands under friendlier names.

polo serve        run the development server (runserver)
polo worker       run the background-task worker (db_worker)
polo demo         fill the database with demo data
polo load-territory   load the INEGI territory catalogue
polo <anything>   any other Django management command (migrate, check, ...)
"""

from __future__ import annotations

import os
import secrets
import sys

ALIASES = {
    "serve": "runserver",
    "worker": "db_worker",
    "load-territory": "load_territory",
}

# Commands that read the code and write files but never sign, hash or serve
# anything: they need no secret key, so a checkout can run them (CI, a
# translator, a reviewer) without one. Every other command still refuses.
KEYLESS = {
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
    "makemessages",
    "compilemessages",
    "help",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polo.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    if len(args) > 1 and args[1] in KEYLESS and not os.environ.get("SECRET_KEY"):
        # A throwaway key, never stored: nothing these commands do uses it.
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.SECRET_KEY  # noqa: B018 (reading it loads and checks the settings)
    except ImproperlyConfigured as error:
        # Django would go on and fail later with a confusing AppRegistryNotReady.
        sys.stderr.write(
            f"polo: {error}\nFor development, run with DEBUG=1 (see docs/configuration.md).\n"
        )
        raise SystemExit(2) from None
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
