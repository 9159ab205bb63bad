"""The Thematic Directory (issue 3) in figures, each beside the bar the issue sets.

- The directory page with a text query and two facet filters: median and p95
  server time over three rounds of requests (the spread of the rounds' medians
  is the machine's noise), SQL queries, HTML size; the same search on its last
  page (the page size is fixed at 20, so the query count is compared across
  pages instead; tests/directory/test_facets.py asserts it).
- The same search through the API, with page_size 20 and 100.
- Where one request's time goes: every SQL statement of it run again and timed
  with its rows fetched (SQLite does its work while rows are fetched, which
  Django's query log does not time), and the plan of the slowest.
- At the national scale: the printable PDF of about 1,000 organisations, then
  the import of a generated 10,000-row CSV (preview, then the write, committed
  as pending organisations, last because it writes), with wall time and peak
  memory (tracemalloc's peak in a run of its own, since tracing slows Python
  down; the growth of the resident set, ru_maxrss, in the timed run).

Figures, not assertions: a bar missed prints MISS and the run goes on.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import math
import os
import random
import re
import resource
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.harness import Context, Page, PageResult, Section, kb, summarize, table

BAR_MEDIAN_MS = 50
BAR_P95_MS = 120
BAR_IMPORT_S = 20
BAR_PDF_S = 30
ROUNDS = 3
IMPORT_ROWS = 10_000
PDF_ORGANIZATIONS = 1_000
SEED = 2017

# A realistic search: a word, a theme and a state. The first that finds at least
# a page of results is used (the demo data decides), and the choice is printed.
SEARCHES = [
    {"q": "derechos", "theme": "salud", "state": "20"},
    {"q": "derechos", "theme": "educacion", "state": "20"},
    {"q": "mujeres", "theme": "salud", "state": "20"},
    {"q": "comunidad", "theme": "educacion", "state": "20"},
]


def sections(ctx: Context) -> list[Section]:
    load_at_start = os.getloadavg()
    out = [_search_section(ctx)]
    if ctx.scale == "national":
        out.append(_pdf_section(ctx))
        out.append(_import_section(ctx))
    load = " → ".join(
        " ".join(f"{x:.2f}" for x in value) for value in (load_at_start, os.getloadavg())
    )
    out[0].text = f"Load average (1, 5, 15 min) over the directory's benchmarks: {load}\n" + (
        out[0].text
    )
    out[0].data["load_average"] = [load_at_start, os.getloadavg()]
    return out


# --- figures beside their bars ---------------------------------------------------


def verdict(value: float, bar: float) -> str:
    return "PASS" if value <= bar else "MISS"


def against(value: float, bar: float, unit: str, digits: int = 1) -> str:
    return f"{value:.{digits}f} {unit} (bar ≤ {bar:g} {unit}: {verdict(value, bar)})"


# --- the search: page and API ----------------------------------------------------


def _search_params() -> tuple[dict[str, str], int]:
    from polo.directory.selectors import DirectoryFilters, organization_search

    best: tuple[dict[str, str], int] = (SEARCHES[0], -1)
    for params in SEARCHES:
        count = organization_search(DirectoryFilters.from_params(params)).count()
        if count >= 20:
            return params, count
        if count > best[1]:
            best = (params, count)
    return best


def _measure(ctx: Context, page: Page, requests: int | None = None) -> PageResult:
    if ctx.measure_page is None:  # pragma: no cover - run by python -m bench only
        raise RuntimeError("bench.directory needs the harness's measure_page")
    if requests is not None and requests != ctx.requests:
        # The harness measures with ctx.requests; a shorter run for a count.
        original = ctx.requests
        ctx.requests = requests
        try:
            return ctx.measure_page(page)
        finally:
            ctx.requests = original
    return ctx.measure_page(page)


def _search_section(ctx: Context) -> Section:
    params, count = _search_params()
    query = urlencode(params)
    rounds = 1 if ctx.quick else ROUNDS
    # Three rounds of half the requests each: as many samples as the other pages
    # get, and the page stays within the run's time even when it is slow.
    per_round = ctx.requests if rounds == 1 else max(10, ctx.requests // 2)
    results = [
        _measure(
            ctx,
            Page(f"Directorio: {query} (ronda {i}/{rounds})", f"/directorio/?{query}"),
            requests=per_round,
        )
        for i in range(1, rounds + 1)
    ]
    pooled = summarize([t for r in results for t in r.times_ms])
    medians = [r.stats()["median"] for r in results]
    spread = max(medians) - min(medians)
    pages = max(1, math.ceil(count / 20))
    last = _measure(
        ctx,
        Page(f"Directorio: {query}, página {pages}", f"/directorio/?{query}&page={pages}"),
        requests=max(5, ctx.requests // 5),
    )
    api = {
        size: _measure(
            ctx,
            Page(
                f"API: {query}, page_size={size}",
                f"/api/v1/organizations?{query}&page_size={size}",
            ),
        )
        for size in (20, 100)
    }
    first = results[0]
    rows = [
        [
            f"page /directorio/ ({rounds} × {per_round} requests)",
            against(pooled["median"], BAR_MEDIAN_MS, "ms"),
            against(pooled["p95"], BAR_P95_MS, "ms"),
            str(first.queries),
            kb(first.html_gzip_bytes),
        ],
        [
            f"page /directorio/, last page ({pages})",
            f"{last.stats()['median']:.1f} ms",
            f"{last.stats()['p95']:.1f} ms",
            str(last.queries),
            kb(last.html_gzip_bytes),
        ],
    ]
    for size, result in api.items():
        s = result.stats()
        rows.append(
            [
                f"API page_size={size}",
                against(s["median"], BAR_MEDIAN_MS, "ms"),
                against(s["p95"], BAR_P95_MS, "ms"),
                str(result.queries),
                f"{kb(result.html_gzip_bytes)} ({result.html_bytes / 1024:.1f} raw)",
            ]
        )
    same = "the same" if last.queries == first.queries else "NOT the same"
    text = [
        f"Search: {query} → {count:,} published organisations ({pages} pages of 20).",
        "",
        table(["what", "median", "p95", "SQL", "KB gzip"], rows, "Server time in process"),
        "",
        "Noise: medians of the rounds "
        + ", ".join(f"{m:.1f}" for m in medians)
        + f" ms; spread {spread:.1f} ms ({100 * spread / pooled['median']:.0f}% of the median).",
        f"Queries: page 1 and page {pages} make {same} number ({first.queries} and "
        f"{last.queries}); the page size is fixed (20), so a page-size comparison does not "
        "apply to the page; the API's is shown above.",
    ]
    breakdown = [
        _where_time_goes("Directory page", f"/directorio/?{query}", pooled["median"]),
        _where_time_goes(
            "API page_size=20",
            f"/api/v1/organizations?{query}&page_size=20",
            api[20].stats()["median"],
        ),
    ]
    afresh = _afresh(f"/directorio/?{query}", max(10, ctx.requests // 2))
    rows.insert(
        1,
        [
            "page /directorio/, facets counted afresh",
            against(afresh["median"], BAR_MEDIAN_MS, "ms"),
            against(afresh["p95"], BAR_P95_MS, "ms"),
            str(afresh["queries"]),
            kb(first.html_gzip_bytes),
        ],
    )
    text[2] = table(["what", "median", "p95", "SQL", "KB gzip"], rows, "Server time in process")
    text.insert(
        3,
        "The page as served reads the facet counts from the cache (a search made since the "
        "directory last changed, or within two minutes in another process); counted afresh, "
        "it is a search nobody made since.",
    )
    text += ["", *breakdown]
    return Section(
        title="Thematic Directory: search page and API",
        text="\n".join(text),
        data={
            "search": params,
            "results": count,
            "page": {
                "pooled_ms": pooled,
                "round_medians_ms": medians,
                "spread_ms": spread,
                "queries": first.queries,
                "html_gzip_bytes": first.html_gzip_bytes,
                "last_page": pages,
                "last_page_queries": last.queries,
                "facets_afresh_ms": afresh,
            },
            "api": {
                str(size): {
                    "ms": r.stats(),
                    "queries": r.queries,
                    "bytes": r.html_bytes,
                    "gzip_bytes": r.html_gzip_bytes,
                }
                for size, r in api.items()
            },
            "bars": {"median_ms": BAR_MEDIAN_MS, "p95_ms": BAR_P95_MS},
        },
    )


# --- where a request's time goes -------------------------------------------------


def _describe(sql: str) -> str:
    """A few words for a statement: what it selects or counts."""
    group = re.search(r"GROUP BY (.+?)(?: ORDER BY| LIMIT| HAVING|$)", sql)
    first_alias = re.search(r'AS "(\w+)"', sql)
    if sql.startswith("WITH base"):
        return "the seven facets' counts (one statement)"
    if "UNION" in sql:
        return "names of the selected values (UNION)"
    if re.match(r'SELECT COUNT\(\*\) AS "__count"', sql):
        return "count of the results"
    if group and first_alias:
        return f"facet counts by {first_alias.group(1)}"
    if "_prefetch_related_val_" in sql:
        table_name = re.search(r'FROM "(\w+)"', sql)
        return f"prefetch {table_name.group(1) if table_name else ''}"
    table_name = re.search(r'FROM "(\w+)"', sql)
    return f"rows of {table_name.group(1)}" if table_name else sql[:60]


def _afresh(url: str, requests: int) -> dict[str, float]:
    """The page with its facets counted afresh on every request (a search
    nobody made since the directory last changed): the page as served is the
    same search with its counts cached."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from polo.directory import facets

    counter = facets.facet_counts

    def uncached(filters, *, fresh: bool = False):
        return counter(filters, fresh=True)

    facets.facet_counts = uncached
    try:
        client = Client()
        for _ in range(3):
            client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured.captured_queries)  # the next request empties the log
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        facets.facet_counts = counter
    return {**summarize(times), "queries": queries}


def _where_time_goes(label: str, url: str, median_ms: float) -> str:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    timed = []
    for query in captured.captured_queries:
        sql = query["sql"]
        best = math.inf
        rows = 0
        for _ in range(3):
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(sql)
                rows = len(cursor.fetchall())
                best = min(best, time.perf_counter() - started)
        timed.append((best * 1000, rows, sql))
    total = sum(t for t, _r, _s in timed)
    timed.sort(key=lambda item: -item[0])
    lines = [
        f"Where the time goes: {label} — its {len(timed)} statements, run again alone with "
        f"their rows fetched (best of 3), take {total:.1f} ms against a {median_ms:.1f} ms "
        "median; the rest is Python (building the queries, the template or the JSON) and, "
        "on a busy machine, waiting for a CPU.",
    ]
    lines += [f"  {ms:7.1f} ms {rows:6d} rows  {_describe(sql)}" for ms, rows, sql in timed[:8]]
    if timed:
        lines.append(f"  Plan of the slowest ({_describe(timed[0][2])}):")
        lines += [f"    {line}" for line in _explain(timed[0][2])[:30]]
    return "\n".join(lines)


def _explain(sql: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            # The plan's nodes, conditions and filters; not the memory details.
            noise = ("Buffers:", "Batches:", "Buckets:", "Heap Blocks:", "Sort Method:")
            return [row[0] for row in cursor.fetchall() if not row[0].strip().startswith(noise)]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [" ".join(str(c) for c in row[3:]) for row in cursor.fetchall()]


# --- time and memory of one operation --------------------------------------------


@dataclass
class Run:
    seconds: float
    rss_start_mb: float | None
    rss_peak_mb: float | None  # VmHWM after a reset: the peak during the run
    maxrss_delta_mb: float
    result: Any = None


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Linux: start the peak resident set (VmHWM, ru_maxrss) again from the
    current size, so that a run's peak is its own and not the demo load's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def timed_run(fn: Callable[[], Any]) -> Run:
    gc.collect()
    reset = _reset_peak()
    rss_start = _status_mb("VmRSS")
    maxrss_start = _maxrss_mb()
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    return Run(
        seconds=seconds,
        rss_start_mb=rss_start,
        rss_peak_mb=_status_mb("VmHWM") if reset else None,
        maxrss_delta_mb=_maxrss_mb() - maxrss_start,
        result=result,
    )


def traced_peak_mb(fn: Callable[[], Any]) -> float:
    """The peak of Python's own allocations during fn (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def _memory(run: Run, traced: float | None) -> str:
    parts = []
    if traced is not None:
        parts.append(f"tracemalloc peak {traced:.0f} MB")
    parts.append(f"ru_maxrss +{run.maxrss_delta_mb:.0f} MB")
    if run.rss_peak_mb is not None and run.rss_start_mb is not None:
        parts.append(f"RSS {run.rss_start_mb:.0f} → peak {run.rss_peak_mb:.0f} MB")
    return " · ".join(parts)


# --- the printable PDF -----------------------------------------------------------


def _print_selection(target: int) -> tuple[dict[str, list[str]], int, str]:
    """The state whose published organisations are nearest ``target``."""
    from django.db.models import Count

    from polo.directory.models import Organization

    rows = (
        Organization.objects.published()
        .values_list("municipality__state__code", "municipality__state__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    code, name, n = min(rows, key=lambda row: (abs(row[2] - target), row[0]))
    return {"state": [code]}, n, f"state={code} ({name})"


def _warm_weasyprint() -> float:
    """A worker imports WeasyPrint and loads its fonts once, not per PDF: do it
    before the timed run, and say how long it took."""
    started = time.perf_counter()
    from weasyprint import HTML

    HTML(string="<p>Polo</p>").write_pdf()
    return time.perf_counter() - started


def _pdf_section(ctx: Context) -> Section:
    from polo.directory import printing
    from polo.directory.selectors import DirectoryFilters

    target = 200 if ctx.quick else PDF_ORGANIZATIONS
    params, count, label = _print_selection(target)
    filters = DirectoryFilters.from_params(params)
    print(f"  {ctx.scale}: PDF of {count:,} organisations ({label})...", flush=True)
    warm = _warm_weasyprint()
    # Tracing every allocation would slow WeasyPrint several times over and the
    # run takes long already: its peak memory is the resident set's growth.
    run = timed_run(lambda: printing.render_pdf(filters))
    result = run.result
    started = time.perf_counter()
    printing.directory_context(filters)
    context_seconds = time.perf_counter() - started
    rows = [
        [
            f"PDF, {result.count:,} organisations ({label})",
            against(run.seconds, BAR_PDF_S, "s"),
            f"{result.pages}",
            f"{len(result.pdf) / 2**20:.1f}",
            _memory(run, None),
        ]
    ]
    text = [
        table(["what", "wall time", "pages", "MB", "peak memory"], rows, "Printable edition"),
        f"Of which reading and grouping the organisations (directory_context): "
        f"{context_seconds:.1f} s; the rest is WeasyPrint (layout, drawing, writing). "
        f"Before the timed run, importing WeasyPrint and loading its fonts took {warm:.1f} s "
        "(once per worker process).",
    ]
    return Section(
        title="Thematic Directory: printable PDF",
        text="\n".join(text),
        data={
            "filter": params,
            "organizations": result.count,
            "pages": result.pages,
            "pdf_bytes": len(result.pdf),
            "seconds": run.seconds,
            "context_seconds": context_seconds,
            "warm_up_seconds": warm,
            "maxrss_delta_mb": run.maxrss_delta_mb,
            "rss_start_mb": run.rss_start_mb,
            "rss_peak_mb": run.rss_peak_mb,
            "bar_s": BAR_PDF_S,
        },
    )


# --- the import ------------------------------------------------------------------

HEADERS = [
    "Nombre de la organización",
    "Siglas",
    "Tipo",
    "Figura jurídica",
    "Descripción",
    "RFC",
    "CLUNI",
    "Año de fundación",
    "Tamaño del equipo",
    "Estado",
    "Municipio",
    "Clave INEGI del municipio",
    "Latitud",
    "Longitud",
    "Temas",
    "Poblaciones atendidas",
    "Lenguas de trabajo",
    "Municipios donde trabaja",
    "Correo electrónico",
    "Teléfono",
    "Teléfono público",
    "Sitio web",
    "Facebook",
    "Dirección",
]
KINDS = [
    ("Asociación civil", 55),
    ("OSC", 10),
    ("Colectivo", 20),
    ("Organización comunitaria", 8),
    ("Red", 2),
    ("Institución académica", 2),
    ("Otro organismo público", 3),
]
OPENINGS = [
    "Centro de Apoyo",
    "Colectivo",
    "Fundación",
    "Red Ciudadana",
    "Unión de Mujeres",
    "Asociación",
    "Círculo de Estudios",
    "Comité Comunitario",
    "Cooperativa",
    "Observatorio",
    "Casa de la Juventud",
    "Grupo de Promotoras",
]
PURPOSES = [
    "para el Desarrollo Comunitario",
    "por los Derechos de la Niñez",
    "por la Salud Indígena",
    "para la Educación Popular",
    "por el Agua y la Tierra",
    "de Mujeres Artesanas",
    "por la Participación Ciudadana",
    "para la Construcción de Paz",
    "de Jóvenes Emprendedores",
    "por la Memoria y la Cultura",
    "para la Inclusión de Personas con Discapacidad",
    "por la Soberanía Alimentaria",
    "de Apoyo a Personas Migrantes",
    "para la Transparencia Municipal",
]
NICKNAMES = [
    "Nueva Esperanza",
    "Tonantzin",
    "Yolotl",
    "Ñuu Savi",
    "Mano Vuelta",
    "Sembradoras",
    "Xochiquetzal",
    "Raíces",
    "Caminos",
    "Tequio",
    "Guelaguetza",
    "Mujeres del Maíz",
    "Semilla",
    "Ixchel",
]
ACTIVITIES = [
    "acompaña a familias campesinas en la defensa de su territorio",
    "imparte talleres de derechos humanos en escuelas y comunidades",
    "promueve la salud materna con parteras tradicionales",
    "forma a jóvenes como promotores de participación ciudadana",
    "documenta casos de violencia de género y canaliza a las víctimas",
    "impulsa huertos escolares y la soberanía alimentaria",
    "ofrece asesoría jurídica gratuita a personas migrantes y sus familias",
    "organiza brigadas de protección civil ante sismos e inundaciones",
    "traduce materiales de salud a lenguas indígenas",
    "da seguimiento ciudadano al presupuesto municipal",
]
STREETS = ["Av. Juárez", "Calle Hidalgo", "Calle Morelos", "Privada de Allende", "Av. Reforma"]


@dataclass
class _Place:
    code: str
    name: str
    state_code: str
    state_name: str


def _letters(name: str, rng: random.Random) -> str:
    from polo.directory.text import fold

    initials = [w[0] for w in fold(name).split() if w[:1].isalpha() and w[0] != "ñ"]
    while len(initials) < 3:
        initials.append(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ"))
    return "".join(initials[:3]).upper()


def import_csv(rows: int, path: Path, *, seed: int = SEED) -> tuple[bytes, dict[str, int]]:
    """A spreadsheet as people have it: Spanish headers with accents, Windows-1252
    and semicolons (Excel in Mexico), municipalities by INEGI key or by name and
    state, themes by name, some rows naming existing organisations by RFC, some
    near-duplicates of existing names, a few broken rows. Returns the bytes and
    how many rows of each kind were written."""
    from polo.directory.models import Language, Organization, Population, Theme
    from polo.directory.text import fold
    from polo.territory.models import Municipality

    rng = random.Random(seed)
    places = [
        _Place(code, name, state_code, state_name)
        for code, name, state_code, state_name in Municipality.objects.order_by("code").values_list(
            "code", "name", "state__code", "state__name"
        )
    ]
    weights = list(Municipality.objects.order_by("code").values_list("population", flat=True))
    weights = [max(1, w or 1) for w in weights]
    by_state: dict[str, list[_Place]] = {}
    for place in places:
        by_state.setdefault(place.state_code, []).append(place)
    themes = list(Theme.objects.order_by("pk").values_list("name", flat=True))
    populations = list(Population.objects.order_by("pk").values_list("name", flat=True))
    languages = list(Language.objects.order_by("pk").values_list("name", flat=True))
    existing = list(
        Organization.objects.exclude(rfc="")
        .filter(merged_into__isnull=True)
        .order_by("pk")
        .values_list("rfc", "name", "municipality__code")[:20_000]
    )
    without_ids = list(
        Organization.objects.filter(rfc="", cluni="", merged_into__isnull=True)
        .order_by("pk")
        .values_list("name", "municipality__code")[:20_000]
    )
    place_by_code = {place.code: place for place in places}

    plan = {"update": rows // 25, "duplicate": rows // 40, "broken": rows // 100}
    plan["new"] = rows - sum(plan.values())
    kinds = ["new"] * plan["new"] + ["update"] * plan["update"]
    kinds += ["duplicate"] * plan["duplicate"] + ["broken"] * plan["broken"]
    rng.shuffle(kinds)
    updates = rng.sample(existing, min(plan["update"], len(existing)))
    duplicates = rng.sample(without_ids, min(plan["duplicate"], len(without_ids)))
    names: set[str] = set()
    serial = 0
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for number, kind in enumerate(kinds):
        place = rng.choices(places, weights=weights)[0]
        row = dict.fromkeys(HEADERS, "")
        if kind == "update" and updates:
            rfc, name, code = updates.pop()
            place = place_by_code[code]
            row["RFC"] = rfc
        elif kind == "duplicate" and duplicates:
            name, code = duplicates.pop()
            place = place_by_code[code]
            # How the same organisation comes back in someone else's spreadsheet.
            name = re.sub(r",?\s*(A\.C\.|I\.A\.P\.|S\.C\.)$", "", name).upper()
        else:
            for _attempt in range(20):
                name = (
                    f"{rng.choice(OPENINGS)} {rng.choice(NICKNAMES)} "
                    f"{rng.choice(PURPOSES)} de {place.name}"
                )
                if name not in names:
                    break
            while name in names:
                name = f"{name} {rng.randint(2, 99)}"
            names.add(name)
            serial += 1
            if rng.random() < 0.4:
                row["RFC"] = (
                    f"{_letters(name, rng)}{rng.randint(0, 99):02d}{rng.randint(1, 12):02d}"
                    f"{rng.randint(1, 28):02d}{_base36(serial // 10, 2)}{serial % 10}"
                )
            if rng.random() < 0.2:
                row["CLUNI"] = (
                    f"{_letters(name, rng)}{rng.randint(0, 99):02d}{rng.randint(1, 12):02d}"
                    f"{rng.randint(1, 28):02d}{serial % 10_000:04d}{rng.choice('ABCDEFGH')}"
                )
        kind_label = rng.choices([k for k, _w in KINDS], weights=[w for _k, w in KINDS])[0]
        row["Nombre de la organización"] = name
        if kind_label in ("Asociación civil", "OSC") and rng.random() < 0.5:
            row["Siglas"] = "".join(w[0] for w in name.split() if w[0].isupper())[:7]
        row["Tipo"] = kind_label
        if kind_label == "Asociación civil":
            row["Figura jurídica"] = rng.choice(["A.C.", "Asociación civil", "I.A.P."])
        theme_names = rng.sample(themes, rng.choice([1, 1, 2, 2, 3]))
        row["Temas"] = "; ".join(
            t if rng.random() < 0.8 else t.lower().replace("ó", "o").replace("é", "e")
            for t in theme_names
        )
        row["Descripción"] = (
            f"Somos una organización que {rng.choice(ACTIVITIES)} en {place.name}, "
            f"{place.state_name}, desde {rng.randint(1985, 2022)}. "
            + ("También " + rng.choice(ACTIVITIES) + "." if rng.random() < 0.5 else "")
            + ("\n«Trabajamos con la comunidad, no para ella.»" if rng.random() < 0.05 else "")
        )
        row["Año de fundación"] = str(rng.randint(1980, 2023))
        row["Tamaño del equipo"] = rng.choice(["1 a 5 personas", "6 a 15 personas", "12", "3", ""])
        if rng.random() < 0.5:
            row["Clave INEGI del municipio"] = place.code
        else:
            row["Municipio"] = place.name
            row["Estado"] = place.state_name
        if rng.random() < 0.3:
            row["Latitud"] = f"{rng.uniform(15.5, 30.5):.5f}"
            row["Longitud"] = f"{rng.uniform(-115.0, -88.0):.5f}"
        if rng.random() < 0.5:
            row["Poblaciones atendidas"] = ", ".join(rng.sample(populations, rng.randint(1, 2)))
        if rng.random() < 0.25:
            row["Lenguas de trabajo"] = "; ".join(rng.sample(languages, rng.randint(1, 2)))
        if rng.random() < 0.3:
            neighbours = rng.sample(
                by_state[place.state_code], min(3, len(by_state[place.state_code]))
            )
            row["Municipios donde trabaja"] = "; ".join(p.code for p in neighbours)
        handle = re.sub(r"[^a-z]", "", fold(name))[:20] or "contacto"
        row["Correo electrónico"] = f"contacto@{handle}{number}.org.mx"
        row["Teléfono"] = (
            f"+52 {rng.randint(200, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
        )
        row["Teléfono público"] = rng.choice(["sí", "no", ""])
        if rng.random() < 0.4:
            row["Sitio web"] = f"www.{handle}{number}.org.mx"
        if rng.random() < 0.3:
            row["Facebook"] = f"https://facebook.com/{handle}{number}"
        if rng.random() < 0.5:
            row["Dirección"] = (
                f"{rng.choice(STREETS)} {rng.randint(1, 999)}, Col. Centro, {place.name}"
            )
        if kind == "broken":
            problem = number % 4
            if problem == 0:
                row["RFC"] = "XYZ-12-AB"
            elif problem == 1:
                row["Clave INEGI del municipio"] = ""
                row["Municipio"] = place.name[:-1] + "x"  # a typo: "did you mean"
                row["Estado"] = place.state_name
            elif problem == 2:
                row["Correo electrónico"] = "contacto@"
            else:
                row["Año de fundación"] = "2099"
        writer.writerow([row[h] for h in HEADERS])
    text = out.getvalue()
    try:
        data = text.encode("cp1252")
    except UnicodeEncodeError:
        data = text.encode("utf-8-sig")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data, plan


def _base36(number: int, width: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(width):
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out


class _RolledBack(Exception):
    pass


def _import_section(ctx: Context) -> Section:
    from django.db import transaction

    from bench.__main__ import BENCH_DIR, ROOT
    from polo.directory import importing

    rows = 1_000 if ctx.quick else IMPORT_ROWS
    path = BENCH_DIR / f"directory-import-{rows}.csv"
    data, written = import_csv(rows, path)
    print(
        f"  {ctx.scale}: import of {rows:,} rows ({path.name}, {len(data) / 2**20:.1f} MB)...",
        flush=True,
    )

    preview = timed_run(lambda: importing.plan_import(data, file_name=path.name))
    plan = preview.result
    preview_traced = traced_peak_mb(lambda: importing.plan_import(data, file_name=path.name))
    # The plan is stored as JSON between the preview and the confirmation.
    started = time.perf_counter()
    stored = json.dumps(plan, ensure_ascii=False)
    plan_again = json.loads(stored)
    json_seconds = time.perf_counter() - started

    def apply(plan_copy: dict) -> dict:
        return importing.apply_import(plan_copy, user=None, publish=False, duplicates="skip")

    def apply_rolled_back() -> None:
        try:
            with transaction.atomic():
                apply(json.loads(stored))
                raise _RolledBack
        except _RolledBack:
            pass

    # The timed run first and committed (so that the resident set's growth is its
    # own), then the traced one, rolled back (RFC and names are not unique in the
    # database, so writing the same rows again is allowed).
    write = timed_run(lambda: apply(plan_again))
    apply_traced = traced_peak_mb(apply_rolled_back)
    outcome = write.result
    total = preview.seconds + write.seconds
    counts = plan["counts"]
    table_rows = [
        [
            "preview (read + plan)",
            f"{preview.seconds:.1f} s",
            _memory(preview, preview_traced),
        ],
        [
            "plan as JSON (stored, read back)",
            f"{json_seconds:.1f} s",
            f"{len(stored) / 2**20:.1f} MB",
        ],
        ["import (write, one transaction)", f"{write.seconds:.1f} s", _memory(write, apply_traced)],
        ["preview + import", against(total, BAR_IMPORT_S, "s"), ""],
    ]
    text = [
        f"File: {path.relative_to(ROOT) if ROOT in path.parents else path}"
        f" — {rows:,} rows, {len(data) / 2**20:.1f} MB, read as {plan['format']}; written as "
        f"{written['new']:,} new, {written['update']:,} naming an existing RFC, "
        f"{written['duplicate']:,} near-duplicate names, {written['broken']:,} broken.",
        f"Plan: {counts['create']:,} to create, {counts['update']:,} to update, "
        f"{counts['duplicate']:,} possible duplicates, {counts['rejected']:,} rejected. "
        f"Written: {len(outcome['created']):,} created (pending review), "
        f"{len(outcome['updated']):,} updated, {len(outcome['skipped_duplicates']):,} "
        "duplicates skipped.",
        "",
        table(["step", "wall time", "peak memory"], table_rows, "Import of a CSV"),
    ]
    return Section(
        title="Thematic Directory: import",
        text="\n".join(text),
        data={
            "rows": rows,
            "file_bytes": len(data),
            "written": written,
            "plan_counts": counts,
            "preview_seconds": preview.seconds,
            "json_seconds": json_seconds,
            "plan_json_bytes": len(stored),
            "apply_seconds": write.seconds,
            "total_seconds": total,
            "preview_tracemalloc_peak_mb": preview_traced,
            "apply_tracemalloc_peak_mb": apply_traced,
            "preview_maxrss_delta_mb": preview.maxrss_delta_mb,
            "apply_maxrss_delta_mb": write.maxrss_delta_mb,
            "created": len(outcome["created"]),
            "updated": len(outcome["updated"]),
            "bar_s": BAR_IMPORT_S,
        },
    )
