"""Indicators of territorial development (issue 4) in figures, beside the bar.

With 1,000,000 stored answers (25,000 responses of a 40-question form, all in
one round: the worst case for "one round"), the time to compute an indicator
disaggregated by municipality for that round — the one aggregate query Polo
runs for it (``compute.SurveyComputation.rows``) — median of several runs,
for a percentage (a conditional count over EXISTS), a mean (the numeric answer
joined once) and a median (percentile_cont on PostgreSQL, window functions on
SQLite). Beside each, the same aggregate done by DuckDB over the same data
exported to Parquet, as the floor, and the ratio. Then the whole refresh of an
indicator (every breakdown, written as cells) and its public page.

The data is generated here, deterministic, and loaded in bulk (COPY on
PostgreSQL, executemany on SQLite); the CSV files it is loaded from are what
DuckDB turns into Parquet (DuckDB writes Parquet itself: no pyarrow). Runs at
the programme scale only (the figures do not depend on the directory's size).

Figures, not assertions: a bar missed prints MISS and the run goes on.
"""

from __future__ import annotations

import csv
import json
import random
import statistics
import time
from pathlib import Path

from bench.harness import Context, Page, Section, table

BAR_SECONDS = 1.0
RESPONSES = 25_000
SELECTS = 20  # s01..s20: select_one sino
NUMBERS = 20  # n01..n20: integers 0..40
RUNS = 7
SEED = 2017
CAMPAIGN_SLUG = "bench-indicadores"
NULLABLE = {"number", "municipality_id"}
BENCH_DIR = Path(__file__).resolve().parent.parent / "var" / "bench"


def sections(ctx: Context) -> list[Section]:
    if ctx.scale != "programme":
        return []
    runs = 3 if ctx.quick else RUNS
    responses = 2_500 if ctx.quick else RESPONSES
    print(f"  indicators: generating {responses:,} responses × 40 answers...", flush=True)
    started = time.perf_counter()
    setup = _load(responses)
    load_seconds = time.perf_counter() - started
    print(f"  indicators: loaded in {load_seconds:.1f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    cases = _cases(setup)
    rows, data = [], {"responses": responses, "answers": responses * 40, "cases": {}}
    for name, indicator, duck_sql in cases:
        polo = _median_seconds(lambda i=indicator: _polo_rows(i, setup["round"].pk), runs)
        duck = _median_seconds(lambda q=duck_sql: _duck(setup, q), runs)
        groups = len(_polo_rows(indicator, setup["round"].pk))
        check = _compare(indicator, setup, duck_sql)
        verdict = "PASS" if polo <= BAR_SECONDS else "MISS"
        rows.append(
            [
                name,
                f"{polo * 1000:.0f}",
                f"{duck * 1000:.0f}",
                f"{polo / duck:.1f}" if duck else "—",
                str(groups),
                check,
                f"≤ {BAR_SECONDS * 1000:.0f} ms: {verdict}",
            ]
        )
        data["cases"][name] = {"polo_s": polo, "duckdb_s": duck, "groups": groups, "same": check}
    refresh = _median_seconds(lambda: _refresh(cases[0][1]), max(3, runs // 2))
    page = ctx.measure_page(
        Page("Diagnóstico: un indicador sobre todas las respuestas", cases[0][1].get_absolute_url())
    )
    dashboard = ctx.measure_page(Page("Diagnóstico: tablero", "/diagnostico/"))
    plan = _plan(cases[0][1], setup["round"].pk)
    text = "\n".join(
        [
            f"{responses:,} responses × 40 answers = {responses * 40:,} answers in one round "
            f"over {setup['municipalities']} municipalities, loaded in {load_seconds:.1f} s "
            f"(CSV → {'COPY' if connection.vendor == 'postgresql' else 'executemany'}).",
            "",
            table(
                [
                    "indicator by municipality, one round",
                    "Polo ms",
                    "DuckDB ms",
                    "ratio",
                    "groups",
                    "same figures",
                    "bar",
                ],
                rows,
                f"Median of {runs} runs; DuckDB reads the Parquet files each run (the floor).",
            ),
            "",
            f"Refresh of the percentage (all breakdowns: total, region, municipality and a "
            f"question; written as cells): {refresh:.2f} s (median).",
            f"Its public page: {page.stats()['median']:.1f} ms median, {page.queries} queries; "
            f"the dashboard: {dashboard.stats()['median']:.1f} ms, {dashboard.queries} queries.",
            "",
            "Plan of the percentage by municipality:",
            plan,
        ]
    )
    data.update({"refresh_s": refresh, "load_s": load_seconds, "page_ms": page.stats()["median"]})
    return [Section("Indicadores del diagnóstico (issue 4)", text, data)]


# --- the data ----------------------------------------------------------------------


def _form_bytes() -> bytes:
    from polo.surveys.workbooks import xlsform_bytes

    survey = [["type", "name", "label"]]
    survey += [["select_one sino", f"s{i:02d}", f"Pregunta {i}"] for i in range(1, SELECTS + 1)]
    survey += [["integer", f"n{i:02d}", f"Número {i}"] for i in range(1, NUMBERS + 1)]
    choices = [["list_name", "name", "label"], ["sino", "si", "Sí"], ["sino", "no", "No"]]
    settings = [["form_title", "form_id", "version"], ["Bench", "bench_40", "1"]]
    return xlsform_bytes({"survey": survey, "choices": choices, "settings": settings})


def _load(responses: int) -> dict:
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from polo.accounts.models import User
    from polo.surveys import services
    from polo.surveys.models import Answer, Campaign, Response, Round
    from polo.territory.models import Municipality

    coordinator = User.objects.filter(email="coordinacion@polo.demo").first()
    existing = Campaign.objects.filter(slug=CAMPAIGN_SLUG).first()
    if existing is not None:  # --keep and a second run: the data is there
        round_ = existing.rounds.get(order=1)
        count = Municipality.objects.filter(
            pk__in=Response.objects.filter(round=round_).values("municipality_id")
        ).count()
        return {"round": round_, "campaign": existing, "municipalities": count}
    version = services.form_version_create(
        data=_form_bytes(), filename="bench.xlsx", by=coordinator
    )
    campaign = Campaign.objects.create(
        instrument=version.instrument, slug=CAMPAIGN_SLUG, title="Bench", status="open"
    )
    round_ = Round.objects.create(campaign=campaign, kind="baseline", name="Línea base", order=1)
    places = list(Municipality.objects.filter(region__isnull=False).values_list("pk", "population"))
    rng = random.Random(SEED)
    chosen = rng.choices(
        [pk for pk, _ in places], weights=[max(p, 1) for _, p in places], k=responses
    )
    first_response = (Response.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    first_answer = (Answer.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    now = timezone.now().isoformat()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    responses_csv = BENCH_DIR / "indicators-responses.csv"
    answers_csv = BENCH_DIR / "indicators-answers.csv"
    answer_id = first_answer
    with responses_csv.open("w", newline="") as rf, answers_csv.open("w", newline="") as af:
        rw, aw = csv.writer(rf), csv.writer(af)
        rw.writerow(
            [
                "id",
                "round_id",
                "form_version_id",
                "instance_id",
                "respondent_kind",
                "municipality_id",
                "data",
                "current_section",
                "status",
                "source",
                "review_comment",
                "started_at",
                "submitted_at",
                "updated_at",
            ]
        )
        aw.writerow(
            ["id", "response_id", "round_id", "municipality_id", "name", "row", "value", "number"]
        )
        for n, municipality in enumerate(chosen):
            pk = first_response + n
            # Each respondent leans yes or no, so that figures vary by municipality.
            lean = rng.random()
            data = {}
            for i in range(1, SELECTS + 1):
                data[f"s{i:02d}"] = "si" if rng.random() < lean else "no"
            for i in range(1, NUMBERS + 1):
                data[f"n{i:02d}"] = str(int(rng.random() * 40 * lean))
            rw.writerow(
                [
                    pk,
                    round_.pk,
                    version.pk,
                    f"uuid:bench-{pk}",
                    "organization",
                    municipality,
                    json.dumps(data),
                    0,
                    "submitted",
                    "import",
                    "",
                    now,
                    now,
                    now,
                ]
            )
            for name, value in data.items():
                aw.writerow(
                    [
                        answer_id,
                        pk,
                        round_.pk,
                        municipality,
                        name,
                        0,
                        value,
                        value if name.startswith("n") else "",
                    ]
                )
                answer_id += 1
    if connection.vendor == "postgresql":
        _copy(responses_csv, Response._meta.db_table)
        _copy(answers_csv, Answer._meta.db_table)
        with connection.cursor() as cursor:
            for model in (Response, Answer):
                table_name = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), "
                    f"(SELECT MAX(id) FROM {table_name}))"
                )
    else:
        _executemany(responses_csv, Response._meta.db_table)
        _executemany(answers_csv, Answer._meta.db_table)
    return {
        "round": round_,
        "campaign": campaign,
        "municipalities": len(set(chosen)),
        "responses_csv": responses_csv,
        "answers_csv": answers_csv,
    }


def _copy(path: Path, table_name: str) -> None:
    from django.db import connection

    with path.open() as handle:
        header = handle.readline().strip()
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            # An empty field is NULL (a number not given), but text columns stay "".
            keep = [c for c in ("review_comment", "value") if c in header.split(",")]
            options = f", FORCE_NOT_NULL ({', '.join(keep)})" if keep else ""
            with raw.copy(
                f"COPY {table_name} ({header}) FROM STDIN WITH (FORMAT csv, NULL ''{options})"
            ) as copy:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)


def _executemany(path: Path, table_name: str) -> None:
    from django.db import connection, transaction

    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        sql = (
            f"INSERT INTO {table_name} ({', '.join(header)}) "
            f"VALUES ({', '.join(['%s'] * len(header))})"
        )
        nullable = [i for i, name in enumerate(header) if name in NULLABLE]
        with transaction.atomic(), connection.cursor() as cursor:
            batch = []
            for row in reader:
                for i in nullable:
                    row[i] = row[i] or None
                batch.append(row)
                if len(batch) == 10_000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


# --- what is measured ------------------------------------------------------------------


def _cases(setup: dict):
    from polo.indicators import services
    from polo.indicators.models import Indicator

    campaign = setup["campaign"]
    round_id = setup["round"].pk
    definitions = [
        (
            "percentage (s01 = si)",
            {
                "slug": "bench-porcentaje",
                "unit": Indicator.Unit.PERCENT,
                "numerator": {"question": "s01", "operator": "=", "value": "si"},
                "disaggregations": ["question:s02"],
            },
            f"""
            SELECT r.municipality_id, COUNT(*) AS size,
                   COUNT(*) FILTER (WHERE r.id IN (
                       SELECT response_id FROM '{{answers}}' WHERE name = 's01' AND value = 'si'
                   )) AS hits
            FROM '{{responses}}' r
            WHERE r.round_id = {round_id} AND r.status NOT IN ('draft', 'rejected')
            GROUP BY r.municipality_id
            """,
        ),
        (
            "mean (n01)",
            {"slug": "bench-promedio", "unit": Indicator.Unit.MEAN, "value_question": "n01"},
            f"""
            SELECT r.municipality_id, COUNT(*) AS size, AVG(a.number) AS mean
            FROM '{{responses}}' r JOIN '{{answers}}' a
              ON a.response_id = r.id AND a.name = 'n01' AND a.number IS NOT NULL
            WHERE r.round_id = {round_id} AND r.status NOT IN ('draft', 'rejected')
            GROUP BY r.municipality_id
            """,
        ),
        (
            "median (n01)",
            {"slug": "bench-mediana", "unit": Indicator.Unit.MEDIAN, "value_question": "n01"},
            f"""
            SELECT r.municipality_id, COUNT(*) AS size, MEDIAN(a.number) AS middle
            FROM '{{responses}}' r JOIN '{{answers}}' a
              ON a.response_id = r.id AND a.name = 'n01' AND a.number IS NOT NULL
            WHERE r.round_id = {round_id} AND r.status NOT IN ('draft', 'rejected')
            GROUP BY r.municipality_id
            """,
        ),
    ]
    cases = []
    for name, fields, sql in definitions:
        indicator = Indicator.objects.filter(slug=fields["slug"]).first()
        if indicator is None:
            indicator = services.indicator_save(
                indicator=Indicator(
                    name=f"Bench: {name}", campaign=campaign, is_published=True, **fields
                ),
                by=None,
            )
        cases.append((name, indicator, sql))
    _parquet(setup)
    return cases


def _polo_rows(indicator, round_id: int) -> list[dict]:
    from polo.indicators.compute import SurveyComputation

    return SurveyComputation(indicator, round_ids=[round_id]).rows("municipality")


def _refresh(indicator) -> None:
    from polo.indicators import services

    services.indicator_refresh(indicator)


def _parquet(setup: dict) -> None:
    import duckdb

    setup["parquet"] = {}
    for name in ("responses", "answers"):
        source = setup.get(f"{name}_csv") or BENCH_DIR / f"indicators-{name}.csv"
        target = BENCH_DIR / f"indicators-{name}.parquet"
        duckdb.sql(
            f"COPY (SELECT * FROM read_csv('{source}', header = true, auto_detect = true)) "
            f"TO '{target}' (FORMAT parquet)"
        )
        setup["parquet"][name] = target


def _duck(setup: dict, sql: str) -> list[tuple]:
    import duckdb

    query = sql.replace("{answers}", str(setup["parquet"]["answers"])).replace(
        "{responses}", str(setup["parquet"]["responses"])
    )
    return duckdb.sql(query).fetchall()


def _compare(indicator, setup: dict, sql: str) -> str:
    """Whether Polo and DuckDB agree, group by group (to 6 decimals)."""
    polo = {}
    for row in _polo_rows(indicator, setup["round"].pk):
        value = row.get("hits", row.get("mean", row.get("middle")))
        polo[row["grp"]] = (row["size"], round(float(value), 6) if value is not None else None)
    duck = {
        key: (size, round(float(value), 6) if value is not None else None)
        for key, size, value in _duck(setup, sql)
    }
    return "yes" if polo == duck else f"NO ({len(polo)} vs {len(duck)} groups)"


def _median_seconds(run, runs: int) -> float:
    run()  # warm-up: caches, the query plan
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _plan(indicator, round_id: int) -> str:
    from django.db import connection

    from polo.indicators.compute import SurveyComputation

    computation = SurveyComputation(indicator, round_ids=[round_id])
    queryset = (
        computation.grouped("municipality")
        .values("round_id", "grp")
        .annotate(**computation.measures())
    )
    sql, params = queryset.query.sql_with_params()
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join("  " + " ".join(str(c) for c in row) for row in cursor.fetchall())
