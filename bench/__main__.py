"""`python -m bench`: build an isolated database, fill it, and measure.

    python -m bench                 programme scale, then the national set (50,000 orgs)
    python -m bench --quick         fewer requests and a smaller national set (a smoke run)
    python -m bench --scale programme --requests 200
    python -m bench --scale national --only directory   one area's benchmarks only
    python -m bench --keep ... then --reuse ...        measure again on the same data

The database is a fresh SQLite file under var/bench/ (removed first), or, when
BENCH_DATABASE_URL names a PostgreSQL server, a database ``polo_bench`` created
on it and dropped at the end. Settings are production-like (DEBUG off, gzip on).
Server time is measured in process through Django's test client, so it leaves
out the network and the WSGI server: it is the time Polo itself takes.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(os.environ.get("POLO_VAR_DIR") or ROOT / "var") / "bench"
# Two benchmarks at once need two databases: BENCH_DB_NAME names the second.
BENCH_DB_NAME = os.environ.get("BENCH_DB_NAME", "polo_bench")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="10 requests per page and a national set of 5,000 (smoke run)",
    )
    parser.add_argument("--requests", type=int, help="timed requests per page (default 100)")
    parser.add_argument("--warmup", type=int, help="untimed requests first (default 5)")
    parser.add_argument("--scale", choices=["programme", "national", "both"], default="both")
    parser.add_argument(
        "--national-size", type=int, help="organisations in the national set (default 50,000)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the benchmark database afterwards"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="start from the database a run with --keep left; implies --keep. Areas that "
        "load data of their own (meetings) add it again, so measure those on a fresh database",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="AREA",
        help="measure only this area's module (bench/AREA.py); may be repeated",
    )
    args = parser.parse_args(argv)
    if args.reuse:
        args.keep = True
    if args.requests is None:
        args.requests = 10 if args.quick else 100
    if args.warmup is None:
        args.warmup = 2 if args.quick else 5
    if args.national_size is None:
        args.national_size = 5_000 if args.quick else 50_000
    if args.requests < 1 or args.warmup < 0 or args.national_size < 0:
        parser.error("--requests must be at least 1; --warmup and --national-size not negative")
    if args.only:
        from bench import MODULES

        args.only = [name if name.startswith("bench.") else f"bench.{name}" for name in args.only]
        unknown = [name for name in args.only if name not in MODULES]
        if unknown:
            parser.error(f"unknown area: {', '.join(unknown)} (areas: {', '.join(MODULES)})")
    return args


# -- the isolated database --------------------------------------------------------


def prepare_database(*, reuse: bool = False) -> tuple[str, Callable[[], None]]:
    """Return the DATABASE_URL to use and a function that removes the database.

    ``reuse``: start from the database an earlier run left (``--keep``), if
    any; the setup steps then find their work done and take seconds."""
    server = os.environ.get("BENCH_DATABASE_URL")
    if not server:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / "bench.sqlite3"
        if not reuse:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        return f"sqlite:///{path}", lambda: None

    import psycopg

    parsed = urlparse(server)
    if parsed.scheme not in {"postgres", "postgresql"}:
        sys.exit("BENCH_DATABASE_URL must be a postgres:// URL")
    # The server's maintenance database creates and drops the benchmark one; a URL
    # that names the benchmark database itself (…/polo_bench) means the same server.
    admin_db = parsed.path.strip("/")
    if admin_db in {"", BENCH_DB_NAME}:
        admin_db = "postgres"
    admin_url = urlunparse(parsed._replace(path=f"/{admin_db}"))
    bench_url = urlunparse(parsed._replace(path=f"/{BENCH_DB_NAME}"))

    def admin(sql: str) -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql)

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB_NAME]
        ).fetchone()
    if not (reuse and exists):
        admin(f"DROP DATABASE IF EXISTS {BENCH_DB_NAME} WITH (FORCE)")
        admin(f"CREATE DATABASE {BENCH_DB_NAME}")

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        admin(f"DROP DATABASE IF EXISTS {BENCH_DB_NAME} WITH (FORCE)")

    return bench_url, drop


def configure_django(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "polo.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-for-a-real-site-0123")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["EMAIL_URL"] = "locmem://"
    os.environ["CACHE_URL"] = "locmem://"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Static files are read through the finders, not from a collected var/static.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


# -- measuring --------------------------------------------------------------------


def client_for(email: str | None):
    from django.test import Client

    from polo.accounts.models import User

    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def asset_bytes(url: str, client, notes: list[str]) -> bytes:
    """An asset's bytes: static files through the finders (nothing is collected here)."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    if url.startswith(settings.STATIC_URL):
        path = url[len(settings.STATIC_URL) :].split("?")[0]
        found = finders.find(path)
        if found:
            return Path(found).read_bytes()
        # The project's own static folder, in case no finder is configured for it.
        own = Path(settings.PACKAGE_DIR) / "static"
        if (own / path).is_file():
            note = f"{url}: no static-files finder finds it (read from {own.relative_to(ROOT)})"
            if note not in notes:
                notes.append(note)
            return (own / path).read_bytes()
    response = client.get(url)
    if response.status_code != 200:
        notes.append(f"asset {url} answered {response.status_code}")
    return b"".join(response.streaming_content) if response.streaming else response.content


def capture_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    return CaptureQueriesContext(connection)


def run_modules(ctx, results: dict, only: list[str] | None = None) -> None:
    from bench import MODULES
    from bench.harness import measure_page, time_operation

    def measure(page):
        result = measure_page(
            page,
            ctx,
            client_for=client_for,
            asset_bytes=lambda url, client: asset_bytes(url, client, ctx.notes),
            capture_queries=capture_queries,
        )
        if result.status != page.status:
            results["failures"].append(
                f"{page.name} ({page.url}) answered {result.status}, expected {page.status}"
            )
        results["pages"].append(result)
        print(f"  {ctx.scale}: {page.name} {result.stats()['median']:.1f} ms", flush=True)
        return result

    ctx.measure_page = measure
    for name in MODULES:
        if only and name not in only:
            continue
        module = importlib.import_module(name)
        for page in getattr(module, "pages", lambda ctx: [])(ctx):
            measure(page)
        for operation in getattr(module, "operations", lambda ctx: [])(ctx):
            results["operations"].append(time_operation(operation, ctx.scale))
        for section in getattr(module, "sections", lambda ctx: [])(ctx):
            results["sections"].append((ctx.scale, section))


def analyze() -> None:
    """Fresh planner statistics: measure the steady state, not the minute after a load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(label: str, setup: list, run: Callable[[], object]) -> None:
    print(f"  {label}...", end=" ", flush=True)
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    setup.append((label, seconds))
    print(f"{seconds:.1f} s", flush=True)


# -- the report -------------------------------------------------------------------


def load_average() -> str:
    """The machine's load (1, 5 and 15 minutes) against its CPUs: other processes
    share it, and the figures are only as quiet as it is."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


def report(results: dict, setup: list, args: argparse.Namespace, database: str) -> str:
    from bench.harness import BUDGET_ASSETS, BUDGET_BYTES, kb, table

    def ms(value: float) -> str:
        return f"{value:.1f}"

    parts = [
        f"Polo benchmarks · {database} · Python {platform.python_version()} · "
        f"{args.requests} requests per page after {args.warmup} warm-up",
        f"Load average (1, 5, 15 min): at the start {results['load'][0]}; "
        f"at the end {results['load'][1]}",
        "",
        table(
            ["step", "seconds"],
            [[label, f"{s:.1f}"] for label, s in setup],
            "Setup (isolated database)",
        ),
        "",
    ]
    rows = []
    for r in results["pages"]:
        s = r.stats()
        budget = (
            "ok" if r.transferred <= BUDGET_BYTES and r.asset_count <= BUDGET_ASSETS else "OVER"
        )
        rows.append(
            [
                r.scale,
                r.name,
                str(r.status),
                ms(s["median"]),
                ms(s["p95"]),
                ms(s["min"]),
                ms(s["max"]),
                ms(s["stdev"]),
                str(r.queries),
                kb(r.html_gzip_bytes),
                str(r.asset_count),
                kb(r.transferred),
                budget,
            ]
        )
    parts.append(
        table(
            [
                "scale",
                "page",
                "status",
                "median ms",
                "p95 ms",
                "min ms",
                "max ms",
                "stdev ms",
                "SQL",
                "HTML KB gz",
                "assets",
                "total KB gz",
                "budget",
            ],
            rows,
            "Pages: server time in process; size as transferred (gzip), HTML plus its assets",
        )
    )
    if results["operations"]:
        op_rows = []
        for o in results["operations"]:
            times = sorted(o.times_s)
            op_rows.append(
                [
                    o.scale,
                    o.name,
                    str(len(times)),
                    f"{times[len(times) // 2]:.3f}",
                    f"{times[0]:.3f}",
                    f"{times[-1]:.3f}",
                ]
            )
        parts += [
            "",
            table(
                ["scale", "operation", "runs", "median s", "min s", "max s"], op_rows, "Operations"
            ),
        ]
    parts += [
        "",
        f"Budget: at most {BUDGET_BYTES // 1024} KB transferred and "
        f"{BUDGET_ASSETS} asset requests per page.",
    ]
    for scale, section in results["sections"]:
        parts += ["", f"{section.title} ({scale})", section.text.rstrip()]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    database_url, drop_database = prepare_database(reuse=args.reuse)
    database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(f"Benchmark database: {database} ({database_url.rsplit('@', 1)[-1]})", flush=True)
    configure_django(database_url)

    from django.core.management import call_command

    from bench.harness import Context

    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    setup: list[tuple[str, float]] = []
    results: dict = {"pages": [], "operations": [], "sections": [], "failures": []}
    load_at_start = load_average()
    print(f"Load average: {load_at_start}", flush=True)
    notes: list[str] = []
    try:
        timed("migrate", setup, lambda: call_command("migrate", verbosity=0, **quiet))
        timed("polo load-territory", setup, lambda: call_command("load_territory", **quiet))
        timed(
            "polo load-territory (again: no changes)",
            setup,
            lambda: call_command("load_territory", **quiet),
        )
        demo = {"force": True, "skip_territory": True, **quiet}
        timed("polo demo", setup, lambda: call_command("demo", **demo))
        timed("polo demo (again: no changes)", setup, lambda: call_command("demo", **demo))
        timed("ANALYZE (as autovacuum would after a bulk load)", setup, analyze)
        if args.scale in {"programme", "both"}:
            run_modules(
                Context("programme", args.requests, args.warmup, notes, quick=args.quick),
                results,
                args.only,
            )
        if args.scale in {"national", "both"}:
            timed(
                f"polo demo --scale national ({args.national_size:,} organisations)",
                setup,
                lambda: call_command(
                    "demo", scale="national", national_size=args.national_size, **demo
                ),
            )
            timed("ANALYZE (after the national set)", setup, analyze)
            run_modules(
                Context("national", args.requests, args.warmup, notes, quick=args.quick),
                results,
                args.only,
            )
    finally:
        if not args.keep:
            drop_database()

    results["load"] = (load_at_start, load_average())
    text = report(results, setup, args, database)
    print()
    print(text)
    for note in notes:
        print(f"NOTE: {note}")
    for failure in results["failures"]:
        print(f"FAILED: {failure}")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    out = BENCH_DIR / "results.json"
    out.write_text(
        json.dumps(
            {
                "database": database,
                "requests": args.requests,
                "setup_seconds": dict(setup),
                "pages": [r.as_dict() for r in results["pages"]],
                "operations": [o.as_dict() for o in results["operations"]],
                "sections": [
                    {"scale": scale, "title": s.title, "text": s.text, "data": s.data}
                    for scale, s in results["sections"]
                ],
                "load_average": {"start": results["load"][0], "end": results["load"][1]},
                "notes": notes,
                "failures": results["failures"],
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"\nFigures also in {out}")
    return 1 if results["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
