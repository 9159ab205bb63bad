"""Who may see and do what with agreements. Views ask
``request.user.has_perm("agreements.<perm>", obj)`` in one place each.

- Signed agreements (in force, concluded or cancelled) are public; drafts are
  seen by those who manage them.
- An agreement is *managed* (created, edited, its parties and commitments set)
  by the facilitators of its region and by coordinators.
- An update on a commitment is posted by an editor of the responsible party, or
  by those who manage the agreement on its behalf (recorded as such).
- An update is confirmed or disputed by an editor of another signing party
  (role "party": not a witness nor technical support), who neither entered the
  update nor edits the party that reported it.
"""

from __future__ import annotations

import rules

from polo.accounts.rules import is_active_user, is_coordinator, is_facilitator


def _edits(user, organization_ids) -> bool:
    return user.memberships.filter(organization_id__in=organization_ids, is_editor=True).exists()


@rules.predicate
def facilitates_agreement_region(user, agreement) -> bool:
    if agreement is None or not is_active_user(user) or not user.is_facilitator:
        return False
    return user.regions.filter(pk=agreement.region_id).exists()


@rules.predicate
def is_public_agreement(user, agreement) -> bool:
    return agreement is not None and agreement.is_public


manages_agreement = facilitates_agreement_region | is_coordinator


@rules.predicate
def manages_commitment_agreement(user, commitment) -> bool:
    return commitment is not None and manages_agreement(user, commitment.agreement)


@rules.predicate
def edits_responsible_party(user, commitment) -> bool:
    if commitment is None or not is_active_user(user):
        return False
    return _edits(user, [commitment.responsible.organization_id])


def reviewing_party(user, update):
    """The signing party on whose behalf ``user`` may confirm or dispute
    ``update``, or None: not the person who entered it, not an editor of the
    party that reported it, and only for a party with role "party"."""
    from polo.agreements.models import Party

    if update is None or not is_active_user(user) or update.entered_by_id == user.pk:
        return None
    edited = Party.objects.filter(
        agreement_id=update.commitment.agreement_id,
        organization__memberships__user=user,
        organization__memberships__is_editor=True,
    ).order_by("pk")
    parties = list(edited)
    if any(party.pk == update.party_id for party in parties):
        return None
    return next((party for party in parties if party.role == Party.Role.PARTY), None)


@rules.predicate
def edits_another_party(user, update) -> bool:
    """An editor of another signing party than the one that reported (see
    ``reviewing_party``)."""
    return reviewing_party(user, update) is not None


@rules.predicate
def runs_meeting_of(user, meeting_agreement) -> bool:
    """Whoever runs the meeting where the agreement was reached (meetings.run_meeting)."""
    from polo.meetings.rules import runs_meeting

    return meeting_agreement is not None and runs_meeting(user, meeting_agreement.meeting)


rules.add_perm("agreements.view_agreement", is_public_agreement | manages_agreement)
rules.add_perm("agreements.create_agreement", is_facilitator | is_coordinator)
rules.add_perm("agreements.manage_agreement", manages_agreement)
rules.add_perm("agreements.post_update", edits_responsible_party | manages_commitment_agreement)
rules.add_perm("agreements.review_update", edits_another_party)
# An agreement reached at a meeting turned into a commitment (of an agreement the
# meeting's organisers are party to, or of a new draft).
rules.add_perm("agreements.commit_meeting_agreement", runs_meeting_of)

# Django admin, for coordinators.
rules.add_perm("agreements", is_coordinator)
for _model in ("agreement", "party", "signatory", "commitment", "commitmentupdate", "reminder"):
    for _action in ("view", "add", "change", "delete"):
        if (_model, _action) != ("agreement", "view"):
            rules.add_perm(f"agreements.{_action}_{_model}", is_coordinator)
