"""Writes on accounts: consent, export of one's data, cancellation."""

from __future__ import annotations

from django.db import transaction

from polo.accounts.models import Cancellation, Consent, PrivacyNotice, User


def consent_record(*, user: User, notice: PrivacyNotice) -> Consent:
    consent, _created = Consent.objects.get_or_create(user=user, notice=notice)
    return consent


@transaction.atomic
def account_cancel(*, user: User, reason: str = "") -> None:
    """Anonymize the person; keep the rows that aggregate figures count."""
    Cancellation.objects.create(user=user, reason=reason[:200])
    user.anonymize()
