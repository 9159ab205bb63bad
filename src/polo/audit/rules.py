"""Who may read the audit trail: coordinators only."""

import rules

from polo.accounts.rules import is_coordinator

rules.add_perm("audit.view_trail", is_coordinator)
