"""Supports of a common agenda's proposals (issue 7) in figures, beside the bar:

32 participants' processes at once, each with its own database connection,
support proposals of one agenda through ``agendas.services.support_add`` (the
support's row and the proposal's counter in one transaction). The agenda has
``PROPOSALS`` proposals, so the counters are contended as on a busy forum; one
support in twenty is clicked twice (the second must change nothing). Bar: ≥ 500
supports/s sustained on PostgreSQL, with none lost and none counted twice: the
run ends with a recount of the support rows, compared with what the processes
were told and with each proposal's counter.

Same scaffolding as the ballots (``bench.concurrency``). The bar is for
PostgreSQL; on SQLite the figure is printed for information. Figures, not
assertions: a missed bar prints MISS.
"""

from __future__ import annotations

import os
import random

from bench import concurrency
from bench.harness import Context, Section, table

BAR_PER_SECOND = 500
WORKERS = 32
PER_WORKER = 300
PER_WORKER_QUICK = 40
PROPOSALS = 60
DOUBLE_CLICK_EVERY = 20
SLUG = "medicion-de-apoyos"
EMAIL_DOMAIN = "apoyos.bench"
SEED = 2018


def sections(ctx: Context) -> list[Section]:
    if ctx.scale != "programme":
        return []
    from django.db import connection

    per_worker = PER_WORKER_QUICK if ctx.quick else PER_WORKER
    agenda, pairs = _prepare(WORKERS * per_worker)
    shares = [pairs[i::WORKERS] for i in range(WORKERS)]
    run = concurrency.run(_support, shares)

    from polo.agendas.models import Proposal, Support

    supports = Support.objects.filter(proposal__agenda=agenda)
    stored = supports.count()
    distinct = supports.values("proposal", "user").distinct().count()
    counters = dict(Proposal.objects.filter(agenda=agenda).values_list("pk", "support_count"))
    rows = dict.fromkeys(counters, 0)
    for pk in supports.values_list("proposal", flat=True):
        rows[pk] += 1
    counters_off = sum(1 for pk in counters if counters[pk] != rows[pk])
    expected_clicks = sum(len(s) + len(s[::DOUBLE_CLICK_EVERY]) for s in shares)
    lost = len(pairs) - stored
    twice = stored - distinct
    consistent = (
        stored == distinct == run.accepted == len(pairs)
        and counters_off == 0
        and run.refused == expected_clicks - len(pairs)
        and not run.errors
    )
    vendor = connection.vendor
    rate = run.rate
    verdict = (
        ("PASS" if rate >= BAR_PER_SECOND else "MISS")
        if vendor == "postgresql"
        else "— (bar is for PostgreSQL)"
    )
    median, p95 = run.median_ms(), run.p95_ms()
    text = "\n".join(
        [
            table(
                ["what", "supports/s", "median ms", "p95 ms", "bar"],
                [
                    [
                        f"{WORKERS} participants at once, {len(pairs):,} supports "
                        f"of {PROPOSALS} proposals",
                        f"{rate:,.0f}",
                        f"{median:.1f}" if median is not None else "—",
                        f"{p95:.1f}" if p95 is not None else "—",
                        f"≥ {BAR_PER_SECOND}/s: {verdict}",
                    ]
                ],
                f"Supports through agendas.services.support_add, {WORKERS} processes "
                f"({vendor}); wall {run.wall:.2f} s.",
            ),
            "",
            f"Accepted {run.accepted:,}; second clicks that changed nothing {run.refused:,} "
            f"(expected {expected_clicks - len(pairs):,}); errors {len(run.errors)}"
            + (f" (first: {run.errors[0]})" if run.errors else "")
            + ".",
            f"Recount: {stored:,} support rows ({distinct:,} distinct person and proposal); "
            f"lost {max(lost, 0)}, counted twice {max(twice, 0)}, proposal counters that "
            f"differ from their rows {counters_off}: "
            + ("CONSISTENT" if consistent else "INCONSISTENT"),
            f"Load average before the run {run.load_before}, after {run.load_after} "
            f"({os.cpu_count()} CPUs).",
        ]
    )
    data = {
        "supports_per_second": rate,
        "supports": run.accepted,
        "second_clicks": run.refused,
        "lost": max(lost, 0),
        "counted_twice": max(twice, 0),
        "counters_off": counters_off,
        "consistent": consistent,
        "wall_seconds": run.wall,
        "latency_median_ms": median,
        "workers": WORKERS,
        "proposals": PROPOSALS,
        "database": vendor,
        "load_before": run.load_before,
        "load_after": run.load_after,
    }
    return [Section("Apoyos a propuestas de una agenda común (issue 7)", text, data)]


def _prepare(count: int):
    """An agenda in deliberation (supports open) with ``PROPOSALS`` proposals and
    ``count`` distinct (proposal, participant) pairs, shuffled."""
    from django.db import connection

    from polo.accounts.models import User
    from polo.agendas.models import Agenda, Phase, Proposal
    from polo.directory.models import Theme
    from polo.territory.models import Region

    Agenda.objects.filter(slug=SLUG).delete()
    User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
    region = Region.objects.order_by("ordering", "name").first()
    agenda = Agenda.objects.create(
        title="Agenda de la medición de apoyos",
        slug=SLUG,
        region=region,
        theme=Theme.objects.order_by("slug").first(),
        phase=Phase.DELIBERATION,
    )
    people_count = -(-count // PROPOSALS) * 2  # each supports about half the proposals
    people = User.objects.bulk_create(
        [
            User(email=f"apoyo{n}@{EMAIL_DOMAIN}", full_name=f"Participante {n}", password="!")
            for n in range(people_count)
        ],
        batch_size=2000,
    )
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                agenda=agenda,
                author=people[n % len(people)],
                title=f"Propuesta {n + 1} de la medición",
                problem="Un problema de la región.",
                proposal="Lo que se propone.",
                authority_text="Presidencia municipal",
            )
            for n in range(PROPOSALS)
        ]
    )
    rng = random.Random(SEED)
    pairs = [(p.pk, u.pk) for u in people for p in proposals]
    pairs = rng.sample(pairs, count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would after the load
            cursor.execute("ANALYZE accounts_user, agendas_proposal, agendas_support")
    return agenda, pairs


def _support(share, worker, outcome, ready) -> None:
    """One participant process (``bench.concurrency``): its share of the supports."""
    from polo.accounts.models import User
    from polo.agendas import services
    from polo.agendas.models import Proposal

    proposals = Proposal.objects.select_related("agenda").in_bulk({p for p, _u in share})
    people = User.objects.in_bulk({u for _p, u in share})
    ready()
    for n, (proposal_pk, user_pk) in enumerate(share):
        clicks = 2 if n % DOUBLE_CLICK_EVERY == 0 else 1
        for _click in range(clicks):
            with concurrency.clock(outcome):
                try:
                    added = services.support_add(
                        proposal=proposals[proposal_pk], by=people[user_pk]
                    )
                except Exception as error:  # noqa: BLE001 - reported, not hidden
                    outcome["errors"].append(repr(error))
                else:
                    outcome["accepted" if added else "refused"] += 1
