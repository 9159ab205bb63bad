"""Citizen consultations (issue 7) in figures, beside the bar:

- Ballots per second: 32 voters at once, each a separate process with its own
  database connection, cast ballots through ``services.ballot_cast`` (the
  eligibility check, the voter record and the ballot in one transaction) for a
  consultation with a single-choice, a multiple-choice and a ranking question.
  Three voters in four vote with their account, one in four with a voting
  table's code; one voter in twenty clicks twice (the second ballot must be
  refused). Bar: ≥ 500 ballots/s sustained on PostgreSQL, with no ballot lost
  and none counted twice: the run ends with a recount (``services.tally``)
  compared with what the voters were told.
- The consultation's page with its published result, and the receipt check.

The bar is for PostgreSQL; on SQLite (one writer at a time) the figure is
printed for information. It leaves out the HTTP layer (a ballot's page adds
Django's request handling: see the meetings' check-in for what that costs).
Figures, not assertions: a missed bar prints MISS.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import time
from functools import partial

from bench import concurrency
from bench.harness import Context, Page, Section, table

BAR_PER_SECOND = 500
WORKERS = 32
PER_WORKER = 300
PER_WORKER_QUICK = 40
DOUBLE_CLICK_EVERY = 20
SOLO = 100  # ballots cast by one process alone first: the cost of one ballot
SLUG = "medicion-de-boletas"
SEED = 2017


def sections(ctx: Context) -> list[Section]:
    if ctx.scale != "programme":
        return []
    from django.db import connection, connections

    per_worker = PER_WORKER_QUICK if ctx.quick else PER_WORKER
    consultation, voters = _prepare(WORKERS * per_worker)
    shares = [voters[i::WORKERS] for i in range(WORKERS)]
    solo, shares[0] = shares[0][:SOLO], shares[0][SOLO:]
    connections.close_all()
    solo_rate, solo_ms = _one_voter_alone(consultation.pk, solo)
    connections.close_all()
    run = concurrency.run(partial(_vote, consultation.pk), shares)
    load_before, load_after = run.load_before, run.load_after

    accepted, refused, errors = run.accepted, run.refused, run.errors
    wall, rate, latencies, receipts = run.wall, run.rate, run.latencies, run.receipts

    from polo.consultations import services

    consultation.refresh_from_db()
    fresh = services.tally(consultation)
    expected_clicks = sum(len(s) + len(s[::DOUBLE_CLICK_EVERY]) for s in shares) + len(solo)
    stored_receipts = set(consultation.ballots.values_list("receipt", flat=True))
    lost = len(set(receipts) - stored_receipts)
    accepted += len(solo)
    twice = fresh["ballots"] - len(voters)
    first_question = fresh["questions"][0]
    counted_options = sum(o["count"] for o in first_question["options"]) + first_question["blank"]
    consistent = (
        fresh["ballots"] == fresh["voters"] == accepted == len(voters)
        and lost == 0
        and twice == 0
        and counted_options == fresh["ballots"]
        and refused == expected_clicks - len(voters)
        and not errors
    )

    ctx.measure_page(Page("Consultas: consulta abierta", f"/consultas/{SLUG}/"))
    services.consultation_publish(consultation=_closed(consultation), by=None)
    published = ctx.measure_page(Page("Consultas: resultado publicado", f"/consultas/{SLUG}/"))
    receipt = receipts[0] if receipts else "X"
    check = ctx.measure_page(
        Page(
            "Consultas: comprobar un comprobante",
            f"/consultas/{SLUG}/comprobante/?recibo={receipt}",
        )
    )

    vendor = connection.vendor
    verdict = (
        ("PASS" if rate >= BAR_PER_SECOND else "MISS")
        if vendor == "postgresql"
        else "— (bar is for PostgreSQL)"
    )
    rows = [
        [
            f"{WORKERS} voters at once, {len(voters):,} ballots",
            f"{rate:,.0f}",
            f"{statistics.median(latencies):.1f}" if latencies else "—",
            f"{concurrency.p95(latencies):.1f}" if latencies else "—",
            f"≥ {BAR_PER_SECOND}/s: {verdict}",
        ]
    ]
    text = "\n".join(
        [
            table(
                ["what", "ballots/s", "median ms", "p95 ms", "bar"],
                rows,
                f"Ballots through services.ballot_cast, {WORKERS} processes "
                f"({vendor}); wall {wall:.2f} s.",
            ),
            "",
            f"One process alone first: {solo_rate:,.0f} ballots/s, median "
            f"{solo_ms:.1f} ms a ballot ({len(solo)} ballots; the cost of one ballot).",
            f"Accepted {accepted:,} (with the lone process's); second clicks refused {refused:,} "
            f"(expected {expected_clicks - len(voters):,}); errors {len(errors)}"
            + (f" (first: {errors[0]})" if errors else "")
            + ".",
            f"Recount: {fresh['ballots']:,} ballots, {fresh['voters']:,} voter records; "
            f"receipts lost {lost}, counted twice {max(twice, 0)}: "
            + ("CONSISTENT" if consistent else "INCONSISTENT"),
            f"Load average before the run {load_before}, after {load_after} "
            f"({os.cpu_count()} CPUs).",
            f"Published page: median {published.stats()['median']:.1f} ms, "
            f"{published.queries} queries; receipt check: median "
            f"{check.stats()['median']:.1f} ms, {check.queries} queries.",
        ]
    )
    data = {
        "ballots_per_second": rate,
        "one_process_ballots_per_second": solo_rate,
        "ballots": accepted,
        "refused_second_clicks": refused,
        "lost": lost,
        "counted_twice": max(twice, 0),
        "consistent": consistent,
        "wall_seconds": wall,
        "latency_median_ms": statistics.median(latencies) if latencies else None,
        "workers": WORKERS,
        "database": vendor,
        "load_before": load_before,
        "load_after": load_after,
    }
    return [Section("Consultas ciudadanas (issue 7)", text, data)]


def _prepare(count: int):
    """An open consultation of a programme municipality, ``count`` voters: three
    in four accounts living there, one in four codes of its voting table."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from polo.consultations import services
    from polo.consultations.models import Consultation
    from polo.territory.models import Municipality

    municipality = Municipality.objects.in_programme().order_by("code").first()
    now = timezone.now()
    Consultation.objects.filter(slug=SLUG).delete()
    consultation = Consultation.objects.create(
        title="Consulta de la medición de boletas",
        slug=SLUG,
        municipality=municipality,
        region=municipality.region,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(hours=6),
        status=Consultation.Status.SCHEDULED,
    )
    for text, kind, options in [
        ("¿Qué obra primero?", "single", ["Agua", "Caminos", "Escuela", "Clínica"]),
        ("¿Qué temas?", "multiple", ["Salud", "Seguridad", "Cultura", "Empleo"]),
        ("Ordene las propuestas", "ranking", ["Mercado", "Parque", "Biblioteca"]),
    ]:
        services.question_add(
            consultation=consultation,
            by=None,
            text=text,
            kind=kind,
            options=options,
            max_choices=2,
        )
    accounts = count * 3 // 4
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(
                email=f"votante{n}@boletas.bench",
                full_name=f"Votante {n}",
                municipality=municipality,
                password="!",
            )
            for n in range(accounts)
        ],
        batch_size=2000,
    )
    codes = services.codes_issue(consultation=consultation, count=count - accounts, by=None)
    voters = [("user", u.pk) for u in users] + [("code", c.code) for c in codes]
    random.Random(SEED).shuffle(voters)
    _analyze()
    return consultation, voters


def _analyze() -> None:
    """Statistics for the thousands of accounts and codes just added, as
    autovacuum would gather them after such a load (the run's own ANALYZE came
    before them). With the statistics of a table without these voters, the
    planner may read the municipality's index instead of the primary key's."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE accounts_user, consultations_votingcode")


def _vote(consultation_pk, share, worker, outcome, ready) -> None:
    """One voter process (``bench.concurrency``): its share of the voters."""
    from django.contrib.auth import get_user_model

    from polo.consultations import services
    from polo.consultations.models import Consultation

    consultation = Consultation.objects.get(pk=consultation_pk)
    spec = services.ballot_spec(consultation)
    users = {
        u.pk: u
        for u in get_user_model().objects.filter(pk__in=[v for k, v in share if k == "user"])
    }
    rng = random.Random(f"{SEED}:{worker}")
    questions = list(spec.items())
    ready()
    for n, (kind, who) in enumerate(share):
        answers = {}
        for pk, question in questions:
            options = sorted(question.options)
            size = {"single": 1, "multiple": 2, "ranking": len(options)}[question.kind]
            answers[pk] = rng.sample(options, rng.randint(0, size))
        identity = {"user": users[who]} if kind == "user" else {"code": who}
        clicks = 2 if n % DOUBLE_CLICK_EVERY == 0 else 1
        for _click in range(clicks):
            with concurrency.clock(outcome):
                try:
                    receipt = services.ballot_cast(
                        consultation=consultation, answers=answers, spec=spec, **identity
                    )
                except services.AlreadyVoted:
                    outcome["refused"] += 1
                except Exception as error:  # noqa: BLE001 - reported, not hidden
                    outcome["errors"].append(repr(error))
                else:
                    outcome["accepted"] += 1
                    outcome["receipts"].append(receipt)


def _one_voter_alone(consultation_pk, voters) -> tuple[float, float]:
    """The same ballots from this process alone, one after the other."""
    from django.contrib.auth import get_user_model

    from polo.consultations import services
    from polo.consultations.models import Consultation

    consultation = Consultation.objects.get(pk=consultation_pk)
    spec = services.ballot_spec(consultation)
    users = get_user_model().objects.in_bulk([v for k, v in voters if k == "user"])
    first = {pk: sorted(q.options)[:1] for pk, q in spec.items()}
    times = []
    began = time.perf_counter()
    for kind, who in voters:
        identity = {"user": users[who]} if kind == "user" else {"code": who}
        started = time.perf_counter()
        services.ballot_cast(consultation=consultation, answers=first, spec=spec, **identity)
        times.append((time.perf_counter() - started) * 1000)
    wall = time.perf_counter() - began
    return (len(voters) / wall if wall else 0.0), (statistics.median(times) if times else 0.0)


def _closed(consultation):
    """Close the consultation now (its dates moved), so that it can be published."""
    from django.utils import timezone

    consultation.opens_at = timezone.now() - datetime.timedelta(hours=2)
    consultation.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    consultation.save(update_fields=["opens_at", "closes_at"])
    return consultation
