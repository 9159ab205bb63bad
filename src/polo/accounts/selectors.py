"""Reads for the accounts pages."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from polo.accounts.models import PrivacyNotice, User
from polo.territory.models import Municipality


def profile_overview(*, user: User) -> dict[str, Any]:
    """Everything the profile page shows, for the signed-in person only."""
    current_notice = PrivacyNotice.current()
    consents = list(user.consents.select_related("notice").order_by("-accepted_at"))
    return {
        "person": user,
        "municipality": (
            Municipality.objects.select_related("state").filter(pk=user.municipality_id).first()
        ),
        "regions": list(user.regions.order_by("name")),
        "memberships": list(
            user.memberships.select_related("organization").order_by("organization__name")
        ),
        "email_addresses": list(EmailAddress.objects.filter(user=user).order_by("-primary")),
        "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "consents": consents,
        "current_notice": current_notice,
        "accepted_current": current_notice is not None
        and any(consent.notice_id == current_notice.pk for consent in consents),
    }


def privacy_notice_versions() -> list[PrivacyNotice]:
    """Every published version, newest first, without their (long) texts."""
    return list(PrivacyNotice.objects.defer("text_es", "text_en"))
