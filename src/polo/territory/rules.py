"""Who may change the territory catalogue: coordinators, through the admin.

Reading it is public (INEGI data and published counts), so the pages check
nothing. Regions are the programme's own and editable; the INEGI catalogue
(states, municipalities) is loaded by `polo load-territory`, so coordinators
only assign municipalities to regions and correct districts; communities can be
added (smaller places) and corrected, and only user-added ones deleted.
"""

from __future__ import annotations

import rules

from polo.accounts.rules import is_coordinator


@rules.predicate
def is_user_added(user, community) -> bool:
    """No object (the list, the add form) or a community that users added."""
    return community is None or community.source == community.Source.USER


rules.add_perm("territory", is_coordinator)
rules.add_perm("territory.view_state", is_coordinator)
rules.add_perm("territory.view_region", is_coordinator)
rules.add_perm("territory.add_region", is_coordinator)
rules.add_perm("territory.change_region", is_coordinator)
rules.add_perm("territory.delete_region", is_coordinator)
rules.add_perm("territory.view_municipality", is_coordinator)
rules.add_perm("territory.change_municipality", is_coordinator)
rules.add_perm("territory.view_community", is_coordinator)
rules.add_perm("territory.add_community", is_coordinator)
rules.add_perm("territory.change_community", is_coordinator)
rules.add_perm("territory.delete_community", is_coordinator & is_user_added)
