"""Who may see and do what with consultations. Views ask
``request.user.has_perm("consultations.<perm>", consultation)``.

- A consultation is public once it leaves the draft; a draft is seen by those
  who manage it: the facilitators of its region and coordinators.
- Any signed-in person may try to vote: whether they are eligible is the
  ballot's own check (a 403 with the reason), not a permission.
- A voting table's ballot and a receipt's check need no account: the code and
  the receipt are the credentials.
"""

from __future__ import annotations

import rules

from polo.accounts.rules import is_active_user, is_coordinator, is_facilitator


@rules.predicate
def facilitates_consultation_region(user, consultation) -> bool:
    if consultation is None or not is_active_user(user) or not user.is_facilitator:
        return False
    region_id = consultation.territory_region_id
    return region_id is not None and user.regions.filter(pk=region_id).exists()


@rules.predicate
def is_public_consultation(user, consultation) -> bool:
    return consultation is not None and consultation.status != "draft"


manages = facilitates_consultation_region | is_coordinator

rules.add_perm("consultations.view_consultation", is_public_consultation | manages)
rules.add_perm("consultations.manage_consultation", manages)
rules.add_perm("consultations.create_consultation", is_facilitator | is_coordinator)
rules.add_perm("consultations.vote", is_active_user)

# Django admin, for coordinators: the definitions and the audit log (read only).
# Ballots and voter records have no admin at all.
rules.add_perm("consultations", is_coordinator)
# consultations.view_consultation (above) already lets coordinators see every one.
rules.add_perm("consultations.add_consultation", is_coordinator)
rules.add_perm("consultations.change_consultation", is_coordinator)
for _model in ("question", "option"):
    for _action in ("view", "add", "change"):
        rules.add_perm(f"consultations.{_action}_{_model}", is_coordinator)
rules.add_perm("consultations.view_auditlog", is_coordinator)
