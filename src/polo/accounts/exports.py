"""The accounts app's sections of a person's data export (see personal_data).

Registered in AccountsConfig.ready(). Each function returns only the person's
own data; the two-factor section says which methods are on, never a secret.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from polo.accounts import personal_data
from polo.accounts.models import User


def profile(user: User) -> dict[str, Any]:
    municipality = user.municipality
    return {
        "full_name": user.full_name,
        "email": user.email,
        "municipality": (
            {
                "code": municipality.code,
                "name": municipality.name,
                "state": municipality.state.name,
            }
            if municipality
            else None
        ),
        "language": user.language,
        "role": user.role,
        "regions": [region.name for region in user.regions.order_by("name")],
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def email_addresses(user: User) -> list[dict[str, Any]]:
    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("email")
    ]


def two_factor(user: User) -> list[dict[str, Any]]:
    return [
        {
            "type": authenticator.type,
            "created_at": authenticator.created_at,
            "last_used_at": authenticator.last_used_at,
        }
        for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
    ]


def consents(user: User) -> list[dict[str, Any]]:
    return [
        {
            "notice_version": consent.notice.version,
            "notice_published_on": consent.notice.published_on,
            "accepted_at": consent.accepted_at,
        }
        for consent in user.consents.select_related("notice").order_by("accepted_at")
    ]


def memberships(user: User) -> list[dict[str, Any]]:
    # Through the reverse relation, so that accounts need not import directory.
    return [
        {
            "organization": membership.organization.name,
            "organization_id": membership.organization_id,
            "position": membership.position,
            "is_editor": membership.is_editor,
            "start_date": membership.start_date,
            "end_date": membership.end_date,
        }
        for membership in user.memberships.select_related("organization").order_by("pk")
    ]


def profile_history(user: User) -> list[dict[str, Any]]:
    """Past versions of the profile: they are personal data too.

    Who made a change is said only as "you" or "programme staff": the name of
    the staff member is not this person's data.
    """
    rows = User.history.filter(id=user.pk).select_related("municipality").order_by("history_date")
    return [
        {
            "date": row.history_date,
            "change": {"+": "created", "~": "changed", "-": "deleted"}.get(row.history_type),
            "full_name": row.full_name,
            "email": row.email,
            "municipality": row.municipality.name if row.municipality_id else None,
            "language": row.language,
            "role": row.role,
            "changed_by": _changed_by(row, user),
        }
        for row in rows
    ]


def _changed_by(row, user: User) -> str | None:
    if row.history_user_id is None:
        return None
    return "you" if row.history_user_id == user.pk else "programme_staff"


def register() -> None:
    personal_data.register("profile", profile)
    personal_data.register("email_addresses", email_addresses)
    personal_data.register("two_factor", two_factor)
    personal_data.register("consents", consents)
    personal_data.register("memberships", memberships)
    personal_data.register("profile_history", profile_history)
