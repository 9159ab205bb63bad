"""Who may see and do what with indicators. Checked in one place per view:
``request.user.has_perm("indicators.<perm>", obj)``; ``selectors.exact_scope``
answers "whose exact figures" for a whole table at once, with the same rule.

- The dashboard and every published indicator are public, with small cells
  suppressed. Unpublished indicators are seen by programme staff only.
- Exact figures (suppressed cells shown, with a warning that they must not be
  published): coordinators everywhere; a facilitator for the regions they
  facilitate and the municipalities in them. Everyone else, staff included
  outside their regions, sees the public figures.
- Coordinators define, edit and publish indicators; programme staff recompute
  them (the figures change as responses are reviewed).
- Anyone signed in may ask for the printable report of a region (public
  figures only: it is made to be shared).
"""

from __future__ import annotations

import rules

from polo.accounts.rules import (
    facilitates_region,
    is_active_user,
    is_coordinator,
    is_programme_staff,
)


@rules.predicate
def is_published(user, indicator) -> bool:
    return indicator is not None and indicator.is_published


rules.add_perm("indicators.view_dashboard", rules.always_allow)
rules.add_perm("indicators.read_indicator", is_published | is_programme_staff)
# The object is a territory.Region.
rules.add_perm("indicators.see_exact_figures", is_coordinator | facilitates_region)
rules.add_perm("indicators.manage_indicators", is_coordinator)
rules.add_perm("indicators.refresh_indicator", is_programme_staff)
rules.add_perm("indicators.print_report", is_active_user)

# Django admin, for coordinators (who are not superusers).
rules.add_perm("indicators", is_coordinator)
for _action in ("view", "add", "change", "delete"):
    rules.add_perm(f"indicators.{_action}_indicator", is_coordinator)
rules.add_perm("indicators.view_cell", is_coordinator)
