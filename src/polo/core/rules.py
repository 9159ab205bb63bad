"""Who may see what the core app shows: background jobs."""

import rules

from polo.accounts.rules import is_coordinator


@rules.predicate
def owns_job(user, job) -> bool:
    return job is not None and user.is_authenticated and job.owner_id == user.pk


rules.add_perm("core.view_job", owns_job | is_coordinator)
