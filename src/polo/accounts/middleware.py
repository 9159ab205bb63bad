"""Staff roles must use two-factor authentication (TOTP)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a staff member without TOTP may still reach: the account pages (to set
# it up or sign out), the language switch, health checks and static files.
ALLOWED_PREFIXES = ("/cuentas/", "/i18n/", "/healthz", "/static/", "/media/")


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
                _("Tu rol requiere verificación en dos pasos. Configura una aplicación "
                  "de autenticación para continuar."),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
