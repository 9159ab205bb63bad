"""Two requests the accounts app makes of signed-in people, checked on every page.

- StaffTwoFactorMiddleware: facilitators and coordinators must use two-factor
  authentication (TOTP); without it they are sent to set it up.
- PrivacyNoticeMiddleware: when a new privacy notice becomes current, a person
  who accepted an earlier one is asked to accept it before going on.

Both leave alone the pages a person needs to comply or to leave: the allauth
pages (/cuentas/: sign out, two-factor set-up), the privacy notice itself, the
language switch, health checks and static files.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Exists
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

ALLOWED_PREFIXES = (
    "/cuentas/",
    "/cuenta/aviso-de-privacidad/",
    "/cuenta/cancelada/",
    "/i18n/",
    "/healthz",
    "/api/",
    "/openrosa/formList",
    "/openrosa/forms/",
    "/openrosa/submission",
    "/static/",
    "/media/",
)


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.STAFF_TWO_FACTOR_REQUIRED
            and user is not None
            and user.is_authenticated
            and user.is_programme_staff
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not _has_totp(user)
        ):
            messages.warning(
                request,
                _(
                    "Tu rol requiere verificación en dos pasos. Configura una aplicación "
                    "de autenticación para continuar."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class PrivacyNoticeMiddleware:
    """Ask for the current notice's acceptance; only on full page loads (GET).

    A form posted from a page loaded before the notice changed still goes
    through: redirecting a POST would lose what the person typed; an htmx
    fragment is not a page to swap the notice into, and the next full page
    load will ask. People who
    never accepted any notice (accounts made in the admin or by `polo demo`)
    are not asked here; sign-up is where consent is first given.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.method == "GET"
            and "HX-Request" not in request.headers
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and _owes_acceptance(user)
        ):
            url = reverse("accounts:privacy_notice_accept")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _owes_acceptance(user) -> bool:
    """One query: a current notice exists, not accepted, and an earlier one was."""
    from polo.accounts.models import Consent, PrivacyNotice

    return (
        PrivacyNotice.objects.filter(is_current=True)
        .exclude(consents__user=user)
        .filter(Exists(Consent.objects.filter(user=user)))
        .exists()
    )
