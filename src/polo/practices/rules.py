"""Who may see and do what with good practices. Views ask
``request.user.has_perm("practices.<perm>", practice)`` in one place each.

The same shape as the directory's profiles (directory/rules.py), on whose
predicates these are built:

- Published practices are public; drafts, practices in review, returned and
  archived ones are seen by the organisation's editors and the reviewers.
- Editors of the recording organisation create and change its practices and send
  them to review; reviewers are the facilitators of the practice's region (from
  its municipality) and coordinators: they publish or return with a reason.
- Private contact data is seen by the same people who may change the practice.
- Which meetings a practice was presented at: its editors and reviewers from the
  practice's side, and those who run the meeting (meetings.run_meeting) from the
  meeting's side.
"""

from __future__ import annotations

import rules

from polo.accounts.rules import is_active_user, is_coordinator, is_facilitator
from polo.directory.rules import is_organization_editor
from polo.meetings.rules import is_organization_editor_anywhere


@rules.predicate
def edits_practice(user, practice) -> bool:
    return practice is not None and is_organization_editor(user, practice.organization)


@rules.predicate
def facilitates_practice_region(user, practice) -> bool:
    if practice is None or not is_active_user(user) or not user.is_facilitator:
        return False
    region_id = practice.municipality.region_id
    return region_id is not None and user.regions.filter(pk=region_id).exists()


@rules.predicate
def is_published_practice(user, practice) -> bool:
    return practice is not None and practice.is_published


@rules.predicate
def is_editable(user, practice) -> bool:
    return practice is not None and practice.is_editable


reviews_practice = facilitates_practice_region | is_coordinator

rules.add_perm("practices.view_practice", is_published_practice | edits_practice | reviews_practice)
rules.add_perm("practices.view_private_contact", edits_practice | reviews_practice)
rules.add_perm("practices.change_practice", is_editable & (edits_practice | reviews_practice))
rules.add_perm("practices.review_practice", reviews_practice)
rules.add_perm(
    "practices.create_practice", is_organization_editor_anywhere | is_facilitator | is_coordinator
)
rules.add_perm("practices.review_queue", is_facilitator | is_coordinator)
rules.add_perm("practices.my_practices", is_active_user)

# Django admin, for coordinators.
rules.add_perm("practices", is_coordinator)
for _model in ("goodpractice", "evidence"):
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"practices.{_action}_{_model}", is_coordinator)
