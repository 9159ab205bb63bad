"""Importing survey responses (issue 4) in figures, beside the bar the issue sets:

    Import 100,000 responses of a 40-question form from CSV: ≤ 60 s, peak memory ≤ 500 MB.

The form is built here with ``polo.surveys.workbooks`` (four groups, 40
questions of every kind the field uses: single and multiple choices, a
region → municipality cascade, integers with constraints, decimals, dates,
texts, a range, skip logic and a calculation) over the programme's regions and
municipalities. The CSV is written as KoboToolbox exports it (semicolons, group
paths joined with "/", a multiple choice as its names plus one 0/1 column per
option, ``_uuid`` and Kobo's own columns), from answers drawn to pass the
form's constraints and skip logic, and streamed to
``var/bench/surveys-import-<rows>.csv``.

The import is ``importing.import_file``, as the command line runs it: the
preview (every row through ``validation.compute`` and ``validation.validate``,
instance ids checked against the database) and the write (responses with their
history, and their aggregate rows), batch by batch as rows are checked, inside
one transaction that a rejected row rolls back; committed. Peak memory:
tracemalloc's peak in a run of its own, rolled back (tracing slows Python
down, so that run is not timed), and, in the timed run, the growth of the
resident set (ru_maxrss) and its peak after a reset.

Figures, not assertions: a bar missed prints MISS and the run goes on.
"""

from __future__ import annotations

import csv
import os
import random
import resource
import time
import uuid
from pathlib import Path
from typing import Any

from bench.harness import Context, Section, table

BAR_SECONDS = 60
BAR_MEMORY_MB = 500
ROWS = 100_000
QUICK_ROWS = 5_000
# tracemalloc slows Python down several times: its run reads a file of this
# many rows. The import streams (a batch at a time), so its memory does not
# grow with the file but for the set of instance ids seen (a few MB per
# 100,000): the timed run's resident set says so on the whole file.
TRACED_ROWS = 20_000
SEED = 2026
_measured: set[str] = set()

ES = "label::Español (es)"
EN = "label::English (en)"
SURVEY_HEADER = [
    "type",
    "name",
    ES,
    EN,
    "required",
    "relevant",
    "constraint",
    "constraint_message::Español (es)",
    "choice_filter",
    "calculation",
    "parameters",
]


def _q(kind, name, es, en, required="", relevant="", constraint="", message="", **more):
    return [
        kind,
        name,
        es,
        en,
        required,
        relevant,
        constraint,
        message,
        more.get("choice_filter", ""),
        more.get("calculation", ""),
        more.get("parameters", ""),
    ]


SURVEY = [
    ["begin_group", "identificacion", "Identificación", "Identification"],
    _q("select_one region", "region", "Región", "Region", "yes"),
    _q(
        "select_one municipio",
        "municipio",
        "Municipio",
        "Municipality",
        "yes",
        choice_filter="region=${region}",
    ),
    _q("select_one tipo", "tipo_actor", "Tipo de actor", "Kind of actor", "yes"),
    _q(
        "integer",
        "anio_fundacion",
        "Año de fundación",
        "Year founded",
        "yes",
        constraint=". >= 1900 and . <= 2026",
        message="Entre 1900 y 2026.",
    ),
    _q("select_one sexo", "sexo", "Sexo de quien responde", "Sex", "yes"),
    _q(
        "integer",
        "edad",
        "Edad de quien responde",
        "Age",
        "yes",
        constraint=". >= 15 and . <= 99",
        message="Entre 15 y 99 años.",
    ),
    _q("select_one sino", "indigena", "¿Se reconoce indígena?", "Indigenous?", "yes"),
    _q("select_one lengua", "lengua", "Lengua", "Language", relevant="${indigena} = 'si'"),
    ["end_group"],
    ["begin_group", "capacidades", "Capacidades", "Capacity"],
    _q("select_one sino", "plan", "¿Plan estratégico?", "Strategic plan?", "yes"),
    _q(
        "integer",
        "plan_anios",
        "Años del plan",
        "Years of the plan",
        relevant="${plan} = 'si'",
        constraint=". > 0 and . <= 20",
        message="Entre 1 y 20.",
    ),
    _q("integer", "personas", "Personas en el equipo", "People", "yes", constraint=". >= 1"),
    _q(
        "integer",
        "mujeres",
        "Mujeres en el equipo",
        "Women",
        "yes",
        constraint=". >= 0 and . <= ${personas}",
        message="No más que el equipo.",
    ),
    _q(
        "calculate",
        "pct_mujeres",
        "",
        "",
        calculation="round(${mujeres} div ${personas} * 100, 1)",
    ),
    _q("integer", "voluntarios", "Voluntarios", "Volunteers", constraint=". >= 0"),
    _q("select_one presupuesto", "presupuesto", "Presupuesto", "Budget", "yes"),
    _q("select_multiple fuentes", "fuentes", "Fuentes", "Sources", "yes"),
    _q(
        "decimal",
        "pct_donativos",
        "% de donativos",
        "% donations",
        relevant="selected(${fuentes}, 'donativos')",
        constraint=". >= 0 and . <= 100",
    ),
    _q("select_one sino", "informe", "¿Informe anual?", "Annual report?", "yes"),
    _q("select_one sino", "auditoria", "¿Auditoría externa?", "External audit?"),
    _q("select_one sino", "sitio_web", "¿Sitio web?", "Website?"),
    _q("select_multiple redes", "redes", "Redes sociales", "Social media"),
    ["end_group"],
    ["begin_group", "incidencia", "Incidencia", "Advocacy"],
    _q("select_one sino", "consejos", "¿Participa en consejos?", "Councils?", "yes"),
    _q(
        "text",
        "consejos_cuales",
        "¿Cuáles?",
        "Which?",
        "yes",
        relevant="${consejos} = 'si'",
    ),
    _q("integer", "propuestas", "Propuestas", "Proposals", constraint=". >= 0"),
    _q(
        "integer",
        "adoptadas",
        "Adoptadas",
        "Adopted",
        relevant="${propuestas} > 0",
        constraint=". >= 0 and . <= ${propuestas}",
    ),
    _q(
        "range",
        "relacion",
        "Relación con el gobierno",
        "Relationship",
        parameters="start=1 end=5 step=1",
    ),
    _q(
        "select_multiple tema",
        "temas",
        "Temas",
        "Themes",
        "yes",
        constraint="count-selected(.) <= 3",
    ),
    _q("select_one tema", "tema_principal", "Tema principal", "Main theme", "yes"),
    _q("integer", "alianzas", "Alianzas", "Alliances", constraint=". >= 0"),
    _q("select_one sino", "red_osc", "¿En una red?", "In a network?"),
    _q("integer", "capacitaciones", "Capacitaciones", "Trainings", constraint=". >= 0"),
    ["end_group"],
    ["begin_group", "cierre", "Cierre", "Closing"],
    _q(
        "date",
        "fecha",
        "Fecha",
        "Date",
        "yes",
        constraint=". <= today()",
        message="No puede ser futura.",
    ),
    _q("geopoint", "ubicacion", "Ubicación", "Location"),
    _q("select_one escala", "satisfaccion", "Satisfacción", "Satisfaction", "yes"),
    _q("select_one sino", "recomendaria", "¿Recomendaría el programa?", "Recommend?"),
    _q("select_multiple necesidad", "necesidades", "Necesidades", "Needs"),
    _q("select_one necesidad", "prioridad", "Prioridad", "Priority"),
    _q("integer", "duracion", "Duración (minutos)", "Duration", constraint=". > 0"),
    _q("text", "entrevistador", "Entrevistador", "Interviewer", "yes"),
    _q("text", "comentarios", "Comentarios", "Comments"),
    _q("acknowledge", "consentimiento", "Consentimiento", "Consent", "yes"),
    ["end_group"],
]

FIXED_CHOICES = {
    "sino": ["si", "no"],
    "tipo": ["osc", "colectivo", "academica", "red", "comunitaria"],
    "sexo": ["mujer", "hombre", "otro"],
    "lengua": ["mixteco", "zapoteco", "nahuatl", "mazateco", "tlapaneco", "otra"],
    "presupuesto": ["menos_100k", "100k_1m", "mas_1m"],
    "fuentes": ["donativos", "gobierno", "cooperacion", "cuotas"],
    "redes": ["facebook", "instagram", "x", "whatsapp", "youtube"],
    "tema": ["salud", "educacion", "genero", "medio_ambiente", "derechos", "economia"],
    "escala": ["1", "2", "3", "4", "5"],
    "necesidad": ["financiamiento", "formacion", "equipo", "alianzas", "visibilidad", "legal"],
}
TEXTS = [
    "Consejo municipal de desarrollo rural sustentable",
    "Comité de salud; consejo de participación escolar",
    'Mesa de seguridad "ciudadana", COPLADEMUN',
    "Sin comentarios.",
    "La comunidad pide más talleres sobre derechos de las mujeres, en mixteco.",
    "Faltó tiempo: se retomará en la siguiente visita.",
]


def questions() -> list[list[Any]]:
    return [row for row in SURVEY if not row[0].startswith(("begin_", "end_"))]


def form_xlsx(regions: list[tuple[str, str]], municipalities: list[tuple[str, str, str]]):
    from polo.surveys.workbooks import xlsform_bytes

    choices = [["list_name", "name", ES, EN, "region"]]
    for list_name, names in FIXED_CHOICES.items():
        choices += [[list_name, name, name.replace("_", " ").capitalize(), name] for name in names]
    choices += [["region", slug, name, name, ""] for slug, name in regions]
    choices += [["municipio", code, name, name, region] for code, name, region in municipalities]
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        ["Diagnóstico de organizaciones (bench)", "bench_osc", "2026112601", "Español (es)"],
    ]
    return xlsform_bytes(
        {"survey": [SURVEY_HEADER, *SURVEY], "choices": choices, "settings": settings}
    )


# --- the answers and the file ------------------------------------------------------


def _answers(rng: random.Random, places: list[tuple[str, str]], today: str) -> dict[str, str]:
    """One response that passes the form: constraints kept, skip logic followed."""
    region, municipio = rng.choice(places)
    a: dict[str, str] = {
        "region": region,
        "municipio": municipio,
        "tipo_actor": rng.choice(FIXED_CHOICES["tipo"]),
        "anio_fundacion": str(rng.randint(1970, 2025)),
        "sexo": rng.choice(FIXED_CHOICES["sexo"]),
        "edad": str(rng.randint(18, 80)),
        "indigena": rng.choice(["si", "no", "no"]),
        "plan": rng.choice(["si", "no"]),
    }
    if a["indigena"] == "si":
        a["lengua"] = rng.choice(FIXED_CHOICES["lengua"])
    if a["plan"] == "si":
        a["plan_anios"] = str(rng.randint(1, 10))
    people = rng.randint(1, 40)
    a["personas"] = str(people)
    a["mujeres"] = str(rng.randint(0, people))
    a["voluntarios"] = str(rng.randint(0, 30))
    a["presupuesto"] = rng.choice(FIXED_CHOICES["presupuesto"])
    fuentes = rng.sample(FIXED_CHOICES["fuentes"], rng.randint(1, 3))
    a["fuentes"] = " ".join(n for n in FIXED_CHOICES["fuentes"] if n in fuentes)
    if "donativos" in fuentes:
        a["pct_donativos"] = f"{rng.uniform(5, 95):.1f}"
    a["informe"] = rng.choice(["si", "no"])
    a["auditoria"] = rng.choice(["si", "no"])
    a["sitio_web"] = rng.choice(["si", "no"])
    redes = rng.sample(FIXED_CHOICES["redes"], rng.randint(0, 3))
    if redes:
        a["redes"] = " ".join(n for n in FIXED_CHOICES["redes"] if n in redes)
    a["consejos"] = rng.choice(["si", "no"])
    if a["consejos"] == "si":
        a["consejos_cuales"] = rng.choice(TEXTS[:3])
    proposals = rng.randint(0, 8)
    a["propuestas"] = str(proposals)
    if proposals:
        a["adoptadas"] = str(rng.randint(0, proposals))
    a["relacion"] = str(rng.randint(1, 5))
    temas = rng.sample(FIXED_CHOICES["tema"], rng.randint(1, 3))
    a["temas"] = " ".join(n for n in FIXED_CHOICES["tema"] if n in temas)
    a["tema_principal"] = rng.choice(temas)
    a["alianzas"] = str(rng.randint(0, 12))
    a["red_osc"] = rng.choice(["si", "no"])
    a["capacitaciones"] = str(rng.randint(0, 10))
    a["fecha"] = today
    a["ubicacion"] = (
        f"{rng.uniform(16.0, 19.0):.5f} {rng.uniform(-99.5, -96.0):.5f} "
        f"{rng.randint(5, 2500)} {rng.randint(3, 30)}"
    )
    a["satisfaccion"] = rng.choice(FIXED_CHOICES["escala"])
    a["recomendaria"] = rng.choice(["si", "si", "no"])
    needs = rng.sample(FIXED_CHOICES["necesidad"], rng.randint(1, 3))
    a["necesidades"] = " ".join(n for n in FIXED_CHOICES["necesidad"] if n in needs)
    a["prioridad"] = rng.choice(needs)
    a["duracion"] = str(rng.randint(15, 90))
    a["entrevistador"] = rng.choice(["Luis Hernández", "Elena Flores", "Ana Pérez", "Juan Ruiz"])
    if rng.random() < 0.4:
        a["comentarios"] = rng.choice(TEXTS)
    a["consentimiento"] = "OK"
    return a


def write_csv(path: Path, rows: int, places: list[tuple[str, str]], seed: int = SEED) -> int:
    """The file KoboToolbox would export; returns its size in bytes."""
    import datetime as dt

    from django.utils import timezone

    rng = random.Random(seed)
    today = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    columns: list[tuple[str, str, str | None]] = []  # (header, question, option)
    group = ""
    for row in SURVEY:
        if row[0] == "begin_group":
            group = row[1]
            continue
        if row[0] == "end_group":
            continue
        name = row[1]
        columns.append((f"{group}/{name}", name, None))
        if row[0].startswith("select_multiple "):
            for option in FIXED_CHOICES[row[0].split()[1]]:
                columns.append((f"{group}/{name}/{option}", name, option))
    meta = ["_id", "_uuid", "_submission_time", "_validation_status", "_status", "_index"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([title for title, _n, _o in columns] + meta)
        for index in range(1, rows + 1):
            answers = _answers(rng, places, today)
            values = []
            for _title, name, option in columns:
                value = answers.get(name, "")
                if option is not None:
                    value = ("1" if option in value.split() else "0") if value else ""
                values.append(value)
            instance = uuid.UUID(int=rng.getrandbits(128), version=4)
            values += [index, str(instance), f"{today}T15:{index % 60:02d}:00", "", "", index]
            writer.writerow(values)
    return path.stat().st_size


# --- the measurement ---------------------------------------------------------------


class _RolledBack(Exception):
    pass


def sections(ctx: Context) -> list[Section]:
    # Once per run, at the first scale measured: the national organisations
    # do not change what an import of responses does.
    if _measured:
        return []
    _measured.add(ctx.scale)
    return [import_section(ctx)]


def prepare_target():
    """The instrument, a campaign over the programme's regions and a round."""
    from polo.surveys import services
    from polo.surveys.models import Campaign, Instrument, Round
    from polo.territory.models import Municipality, Region

    municipalities = list(
        Municipality.objects.in_programme()
        .select_related("region")
        .order_by("region__slug", "code")
        .values_list("code", "name", "region__slug")
    )
    regions = list(
        Region.objects.filter(slug__in={m[2] for m in municipalities})
        .order_by("slug")
        .values_list("slug", "name")
    )
    instrument = Instrument.objects.filter(slug="bench-osc").first()
    if instrument is None:
        version = services.form_version_create(
            data=form_xlsx(regions, municipalities), filename="bench_osc.xlsx", by=None
        )
        instrument = version.instrument
        instrument.slug = "bench-osc"
        instrument.save(update_fields=["slug"])
    version = instrument.versions.order_by("-number").first()
    campaign, _created = Campaign.objects.get_or_create(
        slug="bench-diagnostico",
        defaults={
            "instrument": instrument,
            "title": "Diagnóstico (bench)",
            "status": Campaign.Status.OPEN,
        },
    )
    round_, _created = Round.objects.get_or_create(
        campaign=campaign,
        order=1,
        defaults={"kind": Round.Kind.BASELINE, "name": "Línea base (bench)", "is_open": True},
    )
    places = [(region, code) for code, _name, region in municipalities]
    return round_, version, places


def import_section(ctx: Context) -> Section:
    from django.db import connection, transaction

    from bench.__main__ import BENCH_DIR, ROOT
    from bench.directory import _memory, against, timed_run, traced_peak_mb
    from polo.surveys import importing
    from polo.surveys.importing import checking
    from polo.surveys.models import Answer, Response

    rows = int(os.environ.get("BENCH_SURVEY_ROWS") or (QUICK_ROWS if ctx.quick else ROWS))
    round_, version, places = prepare_target()
    questions_count = sum(1 for q in version.form.questions if q.is_input)
    path = BENCH_DIR / f"surveys-import-{rows}.csv"
    started = time.perf_counter()
    size = write_csv(path, rows, places)
    written_in = time.perf_counter() - started
    print(
        f"  {ctx.scale}: survey import of {rows:,} responses ({path.name}, "
        f"{size / 2**20:.1f} MB, written in {written_in:.1f} s)...",
        flush=True,
    )

    traced_rows = min(rows, TRACED_ROWS)
    traced_path = BENCH_DIR / f"surveys-import-{traced_rows}.csv"
    if traced_rows != rows:
        write_csv(traced_path, traced_rows, places, seed=SEED + 1)

    def run_import(source: Path = path) -> dict:
        with source.open("rb") as handle:
            return importing.import_file(
                handle,
                round_=round_,
                version=version,
                file_name=source.name,
                limit=importing.common.MAX_FILE_BYTES,
            )

    def traced() -> None:
        try:
            with transaction.atomic():
                run_import(traced_path)
                raise _RolledBack
        except _RolledBack:
            pass

    # The traced run first, rolled back (a committed run would leave every
    # response imported, and the next run would skip them all); then the
    # timed one, committed.
    traced_mb = traced_peak_mb(traced)
    before = Response.objects.filter(round=round_).count()
    run = timed_run(run_import)
    # The answers are checked in forked workers (importing.checking): their
    # memory is their own, beside the main process's.
    workers = checking.workers_for(rows)
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    plan = run.result
    created = Response.objects.filter(round=round_).count() - before
    answers = Answer.objects.filter(round=round_).count()
    counts = plan["counts"]
    rss_peak = run.rss_peak_mb
    memory_figure = max(traced_mb, rss_peak - (run.rss_start_mb or 0) if rss_peak else 0)
    table_rows = [
        [
            "preview + write (one transaction)",
            against(run.seconds, BAR_SECONDS, "s"),
            _memory(run, traced_mb)
            + (f" (tracemalloc over {traced_rows:,} rows)" if traced_rows != rows else ""),
        ],
        [
            "peak memory of the import",
            against(memory_figure, BAR_MEMORY_MB, "MB", 0),
            "the larger of tracemalloc's peak and the resident set's growth",
        ],
        [
            f"answers checked by {workers} process{'es' if workers > 1 else ''}",
            "",
            f"largest worker's resident set {children_mb:.0f} MB (mostly shared with the main "
            "process, forked)"
            if workers > 1
            else "in the main process",
        ],
    ]
    text = [
        f"Database: {connection.vendor}. Form: {questions_count} questions "
        f"({len(version.form.questions)} stored values with the calculation and metadata), "
        f"4 groups, a region → municipality cascade over {len(places)} municipalities.",
        f"File: {path.relative_to(ROOT) if ROOT in path.parents else path} — {rows:,} "
        f"responses, {size / 2**20:.1f} MB, read as {plan['format']}.",
        f"Plan: {counts['create']:,} to create, {counts['skip']:,} already imported, "
        f"{counts['rejected']:,} rejected. Written: {created:,} responses and "
        f"{answers:,} aggregate rows (Answer).",
        "",
        table(["step", "wall time", "peak memory"], table_rows, "Import of a KoboToolbox CSV"),
    ]
    return Section(
        title="Surveys: import of responses",
        text="\n".join(text),
        data={
            "database": connection.vendor,
            "rows": rows,
            "questions": questions_count,
            "file_bytes": size,
            "plan_counts": counts,
            "created": created,
            "answers": answers,
            "seconds": run.seconds,
            "tracemalloc_peak_mb": traced_mb,
            "tracemalloc_rows": traced_rows,
            "maxrss_delta_mb": run.maxrss_delta_mb,
            "rss_start_mb": run.rss_start_mb,
            "rss_peak_mb": run.rss_peak_mb,
            "workers": workers,
            "workers_maxrss_mb": children_mb,
            "bar_seconds": BAR_SECONDS,
            "bar_memory_mb": BAR_MEMORY_MB,
        },
    )
