"""Who may do what with instruments, campaigns and responses. Checked in one
place: views ask ``request.user.has_perm("surveys.<perm>", obj)``; lists go
through ``selectors.responses_visible_to`` and ``selectors.rounds_open_to``,
which answer the same questions for many rows at once.

- Coordinators design instruments and campaigns, and see everything.
- Facilitators collect for the campaigns of their regions (a campaign without
  regions is the whole programme's), and see and review the responses from
  municipalities of their regions.
- An organisation's editors answer on its behalf when a campaign asks
  organisations, and see their organisation's responses.
- Whoever captured a response sees it and, while it is a draft, goes on with it.
"""

from __future__ import annotations

import rules

from polo.accounts.rules import is_active_user, is_coordinator, is_facilitator
from polo.directory.rules import is_organization_editor


def _region_ids(user) -> set[int]:
    cached = getattr(user, "_polo_region_ids", None)
    if cached is None:
        cached = set(user.regions.values_list("pk", flat=True))
        user._polo_region_ids = cached
    return cached


@rules.predicate
def facilitates_campaign(user, campaign) -> bool:
    if campaign is None or not is_facilitator(user):
        return False
    regions = {region.pk for region in campaign.regions.all()}
    return not regions or bool(regions & _region_ids(user))


@rules.predicate
def facilitates_round(user, round_) -> bool:
    return round_ is not None and facilitates_campaign(user, round_.campaign)


@rules.predicate
def edits_some_organization(user, round_) -> bool:
    """An organisation editor may answer a campaign that asks organisations."""
    if round_ is None or not is_active_user(user):
        return False
    if round_.campaign.respondent != round_.campaign.Respondent.ORGANIZATION:
        return False
    return user.memberships.filter(is_editor=True).exists()


@rules.predicate
def round_accepts_responses(user, round_) -> bool:
    return round_ is not None and round_.accepts_responses


@rules.predicate
def facilitates_response_region(user, response) -> bool:
    if response is None or not is_facilitator(user):
        return False
    municipality = response.municipality
    if municipality is None or municipality.region_id is None:
        return facilitates_campaign(user, response.round.campaign)
    return municipality.region_id in _region_ids(user)


@rules.predicate
def captured_response(user, response) -> bool:
    return response is not None and is_active_user(user) and response.submitted_by_id == user.pk


@rules.predicate
def edits_response_organization(user, response) -> bool:
    return response is not None and is_organization_editor(user, response.organization)


@rules.predicate
def is_draft(user, response) -> bool:
    return response is not None and response.is_draft


is_response_steward = facilitates_response_region | is_coordinator

rules.add_perm("surveys.manage_instruments", is_coordinator)
rules.add_perm("surveys.view_instruments", is_facilitator | is_coordinator)
rules.add_perm("surveys.view_campaign", facilitates_campaign | is_coordinator)
rules.add_perm(
    "surveys.collect",
    round_accepts_responses & (facilitates_round | is_coordinator | edits_some_organization),
)
rules.add_perm(
    "surveys.view_response",
    is_response_steward | captured_response | edits_response_organization,
)
rules.add_perm(
    "surveys.continue_response",
    is_draft & (captured_response | edits_response_organization | is_response_steward),
)
rules.add_perm("surveys.edit_response", is_response_steward)
rules.add_perm("surveys.review_response", is_response_steward)
rules.add_perm("surveys.export_responses", facilitates_campaign | is_coordinator)
rules.add_perm("surveys.use_openrosa", is_facilitator | is_coordinator)

# The Django admin, for coordinators (read-mostly: instruments come from an
# upload, versions and responses are never edited there).
rules.add_perm("surveys", is_coordinator)
rules.add_perm("surveys.view_instrument", is_coordinator)
rules.add_perm("surveys.change_instrument", is_coordinator)
rules.add_perm("surveys.view_formversion", is_coordinator)
rules.add_perm("surveys.add_campaign", is_coordinator)
rules.add_perm("surveys.change_campaign", is_coordinator)
rules.add_perm("surveys.view_round", is_coordinator)
rules.add_perm("surveys.add_round", is_coordinator)
rules.add_perm("surveys.change_round", is_coordinator)
