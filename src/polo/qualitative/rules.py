"""Who may do what with focus groups, the codebook and coded passages. Checked
in one place: views ask ``request.user.has_perm("qualitative.<perm>", obj)``;
lists go through ``selectors`` (``focus_groups_visible_to``,
``passages_visible_to``), which answer the same questions for many rows.

- The public sees the dashboard's aggregates and the quotes a coordinator
  published, nothing else.
- Notes may hold what participants said about themselves and others: a
  session, its notes and its coding are seen by the facilitators of the
  session's region and by coordinators.
- Facilitators and coordinators add themes to the codebook; only coordinators
  edit, retire and merge them, and publish quotes.
- Open answers of a survey are coded by staff who may see the response
  (``surveys.view_response``), in rounds of campaigns they work in.
"""

from __future__ import annotations

import rules

from polo.accounts.rules import is_active_user, is_coordinator, is_facilitator


def _region_ids(user) -> set[int]:
    cached = getattr(user, "_polo_region_ids", None)
    if cached is None:
        cached = set(user.regions.values_list("pk", flat=True))
        user._polo_region_ids = cached
    return cached


@rules.predicate
def facilitates_focus_group_region(user, focus_group) -> bool:
    if focus_group is None or not is_facilitator(user):
        return False
    region_id = focus_group.municipality.region_id
    return region_id is not None and region_id in _region_ids(user)


@rules.predicate
def steward_of_passage_source(user, passage) -> bool:
    """The passage's session or response is one this person may code."""
    if passage is None or not is_active_user(user):
        return False
    if passage.focus_group_id:
        return user.has_perm("qualitative.code_focus_group", passage.focus_group)
    return user.has_perm("qualitative.code_response", passage.response)


@rules.predicate
def may_view_response(user, response) -> bool:
    return response is not None and user.has_perm("surveys.view_response", response)


@rules.predicate
def may_view_campaign_of_round(user, round_) -> bool:
    return round_ is not None and user.has_perm("surveys.view_campaign", round_.campaign)


is_staff_member = is_facilitator | is_coordinator
is_session_steward = facilitates_focus_group_region | is_coordinator

rules.add_perm("qualitative.view_dashboard", rules.always_allow)
rules.add_perm("qualitative.view_unsuppressed", is_staff_member)
rules.add_perm("qualitative.list_focus_groups", is_staff_member)
rules.add_perm("qualitative.add_focus_group", is_staff_member)
rules.add_perm("qualitative.view_focus_group", is_session_steward)
rules.add_perm("qualitative.change_focus_group", is_session_steward)
rules.add_perm("qualitative.code_focus_group", is_session_steward)
rules.add_perm("qualitative.code_response", is_staff_member & may_view_response)
rules.add_perm("qualitative.view_open_answers", is_staff_member & may_view_campaign_of_round)
rules.add_perm("qualitative.change_passage", steward_of_passage_source)
rules.add_perm("qualitative.publish_quote", is_coordinator)
rules.add_perm("qualitative.list_passages", is_staff_member)
rules.add_perm("qualitative.export_codings", is_staff_member)
rules.add_perm("qualitative.view_codebook", is_staff_member)
rules.add_perm("qualitative.add_code", is_staff_member)
rules.add_perm("qualitative.manage_codebook", is_coordinator)

# Django admin, for coordinators (who are not superusers).
rules.add_perm("qualitative", is_coordinator)
for _model in ("focusgroup", "code", "passage", "coding"):
    rules.add_perm(f"qualitative.view_{_model}", is_coordinator)
for _model in ("focusgroup", "code"):
    rules.add_perm(f"qualitative.change_{_model}", is_coordinator)
