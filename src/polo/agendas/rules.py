"""Who may see and do what with common agendas. Views ask
``request.user.has_perm("agendas.<perm>", agenda_or_item)`` once each.

- An agenda is public once it leaves the draft; a draft is seen by those who
  run it: its facilitators, the facilitators of its region, coordinators.
- Any signed-in person may propose, comment, support and amend while the phase
  allows it (the phase is the services' check: a refusal with the reason);
  who may prioritise is the eligibility (``selectors.is_eligible``).
- A proposal is changed by its author while proposals are being collected;
  an amendment is decided by the proposal's author.
- Moderators of an agenda's proposals and comments: the agenda's runners.
"""

from __future__ import annotations

import rules

from polo.accounts.rules import is_active_user, is_coordinator, is_facilitator


@rules.predicate
def runs_agenda(user, agenda) -> bool:
    """One of the agenda's facilitators, or a facilitator of its region."""
    if agenda is None or not is_active_user(user) or not user.is_facilitator:
        return False
    region_id = agenda.territory_region_id
    if region_id is not None and user.regions.filter(pk=region_id).exists():
        return True
    return agenda.facilitators.filter(pk=user.pk).exists()


@rules.predicate
def is_public_agenda(user, agenda) -> bool:
    return agenda is not None and agenda.is_public


@rules.predicate
def wrote_it(user, item) -> bool:
    return item is not None and is_active_user(user) and item.author_id == user.pk


@rules.predicate
def proposal_is_editable(user, proposal) -> bool:
    return proposal is not None and proposal.agenda.allows_proposals


@rules.predicate
def authors_amended_proposal(user, amendment) -> bool:
    return (
        amendment is not None and is_active_user(user) and (amendment.proposal.author_id == user.pk)
    )


manages = runs_agenda | is_coordinator

rules.add_perm("agendas.view_agenda", is_public_agenda | manages)
rules.add_perm("agendas.manage_agenda", manages)
rules.add_perm("agendas.create_agenda", is_facilitator | is_coordinator)
rules.add_perm("agendas.participate", is_active_user)
rules.add_perm("agendas.edit_proposal", wrote_it & proposal_is_editable)
rules.add_perm("agendas.decide_amendment", authors_amended_proposal)


def moderates(user, item) -> bool:
    """For the moderation registry: a proposal's or comment's agenda runners."""
    agenda = item.agenda if hasattr(item, "agenda") else item.proposal.agenda
    return bool(manages(user, agenda))


# Django admin, for coordinators.
rules.add_perm("agendas", is_coordinator)
# agendas.view_agenda (above) already lets coordinators see every agenda.
rules.add_perm("agendas.change_agenda", is_coordinator)
for _model in ("proposal", "comment", "amendment", "inpersontally", "priority"):
    for _action in ("view", "change"):
        rules.add_perm(f"agendas.{_action}_{_model}", is_coordinator)
