"""Who moderates: any signed-in person reports; who hides or restores an item
is the item's module's say (``registry.register(..., moderators=...)``); the
queue is for programme staff (facilitators see the items they moderate)."""

from __future__ import annotations

import rules

from polo.accounts.rules import is_active_user, is_coordinator, is_facilitator
from polo.moderation import registry


@rules.predicate
def moderates_item(user, item) -> bool:
    if item is None or not is_active_user(user):
        return False
    entry = registry.entry_for(type(item))
    return entry is not None and entry.moderators(user, item)


rules.add_perm("moderation.report", is_active_user)
rules.add_perm("moderation.moderate_item", moderates_item)
rules.add_perm("moderation.view_queue", is_facilitator | is_coordinator)

rules.add_perm("moderation", is_coordinator)
for _model in ("report", "decision"):
    rules.add_perm(f"moderation.view_{_model}", is_coordinator)
