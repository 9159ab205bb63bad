"""Who may do what with self-assessments. Checked in one place per view:
``request.user.has_perm("assessments.<perm>", obj)``; lists go through
``selectors.assessments_visible_to``, which answers the same question for many
rows at once.

An organisation's assessment is private to it, the facilitators of its region
and the coordinators:

- its members (any membership) see its assessments, results, plan and route;
- its editors start and take them, invite members, record the consensus, and
  keep the plan;
- the facilitators of its region see everything, run an assessment with the
  organisation in a workshop and record it on its behalf, and comment on the
  plan;
- coordinators, everything; they also manage the instrument.

Everybody else sees only aggregates (``assessments.view_aggregates``), with
small groups suppressed.
"""

from __future__ import annotations

import rules

from polo.accounts.rules import is_active_user, is_coordinator
from polo.directory.rules import facilitates_organization_region, is_organization_editor


def _organization(obj):
    """The organisation an object belongs to: itself, or an assessment's."""
    return getattr(obj, "organization", obj)


@rules.predicate
def is_member(user, obj) -> bool:
    organization = _organization(obj)
    if organization is None or not is_active_user(user):
        return False
    cache = user.__dict__.setdefault("_polo_member_of", {})
    if organization.pk not in cache:
        cache[organization.pk] = organization.memberships.filter(user=user).exists()
    return cache[organization.pk]


@rules.predicate
def is_editor(user, obj) -> bool:
    return is_organization_editor(user, _organization(obj))


@rules.predicate
def facilitates_region(user, obj) -> bool:
    return facilitates_organization_region(user, _organization(obj))


@rules.predicate
def is_in_progress(user, assessment) -> bool:
    return assessment is not None and not assessment.is_completed


@rules.predicate
def is_completed(user, assessment) -> bool:
    return assessment is not None and assessment.is_completed


is_steward = facilitates_region | is_coordinator

rules.add_perm("assessments.view_organization", is_member | is_steward)
rules.add_perm("assessments.start", is_editor | is_steward)
rules.add_perm("assessments.facilitate", is_steward)
rules.add_perm("assessments.view_assessment", is_member | is_steward)
rules.add_perm("assessments.edit_assessment", is_in_progress & (is_editor | is_steward))
rules.add_perm("assessments.view_member_answers", is_editor | is_steward)
rules.add_perm("assessments.edit_plan", is_completed & (is_editor | is_coordinator))
rules.add_perm("assessments.comment_plan", is_completed & (is_editor | is_steward))
rules.add_perm("assessments.manage_instrument", is_coordinator)
rules.add_perm("assessments.view_aggregates", rules.always_allow)

# Django admin, for coordinators (who are not superusers); the admin's
# "assessments.view_assessment" is the rule above, true for coordinators.
rules.add_perm("assessments", is_coordinator)
for _model in ("invitation", "areascore", "planaction", "plancomment"):
    rules.add_perm(f"assessments.view_{_model}", is_coordinator)
rules.add_perm("assessments.change_plancomment", is_coordinator)
rules.add_perm("assessments.delete_plancomment", is_coordinator)
