"""How allauth creates and signs in Polo's people."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from polo.accounts.models import PrivacyNotice


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Consent needs a notice to consent to: without a current one, allauth
        # shows the "sign-up closed" page instead of a form that cannot succeed.
        return PrivacyNotice.current() is not None

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.email = user.email.lower()
        # Set before the first save, so that the account's history starts with
        # the name rather than with an empty one corrected a moment later.
        user.full_name = form.cleaned_data.get("full_name", "")
        user.language = _supported_language(translation.get_language())
        if commit:
            user.save()
        return user

    def format_email_subject(self, subject: str) -> str:
        return f"[Polo] {subject}"

    def post_login(self, request, user, **kwargs):
        # The preferred language from the profile becomes the site's language
        # on this device (Django's LocaleMiddleware reads this cookie).
        response = super().post_login(request, user, **kwargs)
        language = _supported_language(user.language)
        if hasattr(response, "set_cookie"):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response


def _supported_language(code: str | None) -> str:
    codes = [language for language, _name in settings.LANGUAGES]
    return code if code in codes else settings.LANGUAGE_CODE
