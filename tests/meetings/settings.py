"""Until the lead installs the app in polo.settings and mounts its URLs, the
meetings tests run with this settings module (``--ds tests.meetings.settings``).
Once installed it changes nothing (the app is added only if missing)."""

from polo.settings import *  # noqa: F403
from polo.settings import INSTALLED_APPS

if "polo.meetings" not in INSTALLED_APPS:
    INSTALLED_APPS = [
        *INSTALLED_APPS[: INSTALLED_APPS.index("polo.api")],
        "polo.meetings",
        *INSTALLED_APPS[INSTALLED_APPS.index("polo.api") :],
    ]
    ROOT_URLCONF = "tests.meetings.urls"
