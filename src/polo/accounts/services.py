"""Writes on accounts: consent, rectification, cancellation (ARCO)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from polo.accounts import personal_data
from polo.accounts.models import ANONYMIZED_NAME, Cancellation, Consent, PrivacyNotice, User
from polo.territory.models import Municipality


def consent_record(*, user: User, notice: PrivacyNotice) -> Consent:
    """The person accepted this version of the notice (once; the first date stands)."""
    consent, _created = Consent.objects.get_or_create(user=user, notice=notice)
    return consent


@transaction.atomic
def profile_update(
    *, user: User, full_name: str, municipality: Municipality | None, language: str
) -> User:
    """Rectification: the person corrects their own data."""
    user.full_name = full_name
    user.municipality = municipality
    user.language = language
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=["full_name", "municipality", "language"])
    return user


@transaction.atomic
def account_cancel(*, user: User, reason: str = "") -> Cancellation:
    """Cancellation (ARCO): anonymize the person; keep the rows aggregate figures count.

    Order matters: other apps' anonymizers run first, while the person's data
    are still there to find their own rows; then the account's traces that
    identify or authenticate the person go (e-mail addresses, authenticators,
    sessions); then the user row and its history are anonymized.
    """
    cancellation = Cancellation.objects.create(user=user, reason=reason[:200])
    personal_data.anonymize(user)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    _delete_sessions(user)
    user.anonymize()
    _scrub_user_history(user)
    return cancellation


def _scrub_user_history(user: User) -> None:
    # The historical rows keep when the account changed and what kind of change
    # it was; their copies of the person's name, e-mail and place go.
    personal_data.scrub_history(
        User.history,
        object_ids=[user.pk],
        full_name=ANONYMIZED_NAME,
        email=user.email,
        municipality=None,
        language="es-mx",
    )


DATABASE_SESSION_ENGINES = {
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
}


def _delete_sessions(user: User) -> None:
    # Sessions are not indexed by user, so with the database backend every live
    # session is decoded once. Whatever the backend, the unusable password set
    # by anonymize() already invalidates them all (Django checks a hash of the
    # password on each request); deleting them also removes their data.
    if settings.SESSION_ENGINE not in DATABASE_SESSION_ENGINES:
        return
    user_id = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=stale).delete()
