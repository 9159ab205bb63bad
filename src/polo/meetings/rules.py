"""Who may see and do what with meetings. Views ask
``request.user.has_perm("meetings.<perm>", meeting)`` in one place each.

- Published (and cancelled) meetings are public; drafts are seen by those who run them.
- A meeting is *run* by its organisers (editors of an organiser organisation), the
  facilitators of its region (from its municipality) and coordinators: they see the
  participants' personal data, take attendance and write up the meeting.
- Any signed-in person registers themselves for an open meeting; those who run a
  meeting register people without an account on their behalf.
"""

from __future__ import annotations

import rules

from polo.accounts.rules import is_active_user, is_coordinator, is_facilitator


@rules.predicate
def is_meeting_organizer(user, meeting) -> bool:
    if meeting is None or not is_active_user(user):
        return False
    return meeting.organizers.filter(memberships__user=user, memberships__is_editor=True).exists()


@rules.predicate
def facilitates_meeting_region(user, meeting) -> bool:
    if meeting is None or not is_active_user(user) or not user.is_facilitator:
        return False
    if meeting.municipality_id is None or meeting.municipality.region_id is None:
        return False
    return user.regions.filter(pk=meeting.municipality.region_id).exists()


@rules.predicate
def is_public_meeting(user, meeting) -> bool:
    return meeting is not None and meeting.is_public


@rules.predicate
def is_organization_editor_anywhere(user) -> bool:
    return is_active_user(user) and user.memberships.filter(is_editor=True).exists()


runs_meeting = is_meeting_organizer | facilitates_meeting_region | is_coordinator

rules.add_perm("meetings.view_meeting", is_public_meeting | runs_meeting)
rules.add_perm("meetings.run_meeting", runs_meeting)
rules.add_perm("meetings.register_self", is_active_user)
rules.add_perm(
    "meetings.create_meeting", is_facilitator | is_coordinator | is_organization_editor_anywhere
)
rules.add_perm("meetings.view_own_registrations", is_active_user)
# People lists behind the figures: staff; facilitators see their regions' rows only.
rules.add_perm("meetings.view_people", is_facilitator | is_coordinator)

# Django admin, for coordinators.
rules.add_perm("meetings", is_coordinator)
# meetings.view_meeting (above) already lets coordinators see every meeting.
for _action in ("add", "change", "delete"):
    rules.add_perm(f"meetings.{_action}_meeting", is_coordinator)
for _model in (
    "agendaitem",
    "person",
    "registration",
    "meetingagreement",
    "meetingfile",
    "evaluation",
):
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"meetings.{_action}_{_model}", is_coordinator)
