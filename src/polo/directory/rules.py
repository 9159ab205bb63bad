"""Who may see and change what in the actor registry. Checked in one place:
views ask ``request.user.has_perm("directory.<perm>", organization)``.

- Published profiles are public; drafts, pending ones and archived ones are seen
  by their editors, the facilitators of their region and coordinators.
- Editors (an editor membership) change their organisation; facilitators change
  and review those of their regions; coordinators everything, and only they
  merge records or revert changes.
- Private contact data is seen by the same people who may edit the profile.
"""

from __future__ import annotations

import rules

from polo.accounts.rules import is_active_user, is_coordinator, is_facilitator


@rules.predicate
def is_organization_editor(user, organization) -> bool:
    if organization is None or not is_active_user(user):
        return False
    return organization.memberships.filter(user=user, is_editor=True).exists()


@rules.predicate
def facilitates_organization_region(user, organization) -> bool:
    if organization is None or not is_active_user(user) or not user.is_facilitator:
        return False
    region_id = organization.municipality.region_id
    if region_id is None:
        return False
    return user.regions.filter(pk=region_id).exists()


@rules.predicate
def is_published(user, organization) -> bool:
    return organization is not None and organization.is_published


@rules.predicate
def facilitates_community_region(user, community) -> bool:
    if community is None or not is_active_user(user) or not user.is_facilitator:
        return False
    region_id = community.municipality.region_id
    return region_id is not None and user.regions.filter(pk=region_id).exists()


is_steward = facilitates_organization_region | is_coordinator

rules.add_perm("directory.view_organization", is_published | is_organization_editor | is_steward)
rules.add_perm("directory.view_private_contacts", is_organization_editor | is_steward)
rules.add_perm("directory.change_organization", is_organization_editor | is_steward)
rules.add_perm("directory.review_organization", is_steward)
rules.add_perm("directory.propose_organization", rules.always_allow)
rules.add_perm("directory.review_queue", is_facilitator | is_coordinator)
rules.add_perm("directory.import_organizations", is_facilitator | is_coordinator)
rules.add_perm("directory.edit_key_community", facilitates_community_region | is_coordinator)
rules.add_perm("directory.merge_organization", is_coordinator)
rules.add_perm("directory.revert_organization", is_coordinator)

# Django admin, for coordinators (who are not superusers).
rules.add_perm("directory", is_coordinator)
for _model in (
    "theme",
    "population",
    "language",
    "membership",
    "identifier",
    "contactpoint",
    "networkmembership",
    "alliance",
    "keycommunity",
    "profilerevision",
):
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"directory.{_action}_{_model}", is_coordinator)
for _action in ("add", "delete"):
    rules.add_perm(f"directory.{_action}_organization", is_coordinator)
