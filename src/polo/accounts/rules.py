"""Role predicates every app builds its rules on, and the accounts app's own rules.

Roles (see User): participant (every account), facilitator (programme staff of
one or more regions), coordinator (everything, everywhere). An "organisation
editor" is a participant with an editor membership: its predicates live in
directory.rules, next to Membership.

    from polo.accounts.rules import facilitates_region, is_coordinator
    rules.add_perm("surveys.collect_in_region", is_coordinator | facilitates_region)
"""

from __future__ import annotations

import rules


@rules.predicate
def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_coordinator(user) -> bool:
    return is_active_user(user) and user.is_coordinator


@rules.predicate
def is_facilitator(user) -> bool:
    return is_active_user(user) and user.is_facilitator


@rules.predicate
def is_programme_staff(user) -> bool:
    return is_active_user(user) and user.is_programme_staff


@rules.predicate
def facilitates_region(user, region) -> bool:
    """The object is a territory.Region the person facilitates."""
    return is_active_user(user) and user.facilitates(region)


# One's own account: every signed-in, active person manages only their own, so
# these rules take no object; views always act on request.user.
rules.add_perm("accounts.manage_own_account", is_active_user)

# Django admin, for coordinators (who are not superusers): the module, the
# people (view and change role and regions, never delete: cancellation
# anonymizes instead), the privacy notices, and read-only consents.
rules.add_perm("accounts", is_coordinator)
rules.add_perm("accounts.view_user", is_coordinator)
rules.add_perm("accounts.change_user", is_coordinator)
rules.add_perm("accounts.view_privacynotice", is_coordinator)
rules.add_perm("accounts.add_privacynotice", is_coordinator)
rules.add_perm("accounts.change_privacynotice", is_coordinator)
rules.add_perm("accounts.view_consent", is_coordinator)
rules.add_perm("accounts.view_cancellation", is_coordinator)
