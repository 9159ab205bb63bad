"""The self-assessment (issue 5) in figures, each beside the bar the issue sets.

- The aggregate profile by region (``/autodiagnostico/panorama/?por=region``,
  public, small groups suppressed) over every organisation's latest completed
  assessment: about 40 at the programme's scale, 10,000 more at the national
  scale (``polo.demo.assessments`` writes them). Bar: server time ≤ 500 ms.
  The same aggregate as a function call, and by the other groupings.
- A single profile page (charts, tables, item detail, change since the
  previous assessment) as the demo editor and as a coordinator: median ≤ 50
  ms and a fixed query count, compared across several organisations'
  profiles (those with an earlier assessment read its scores: one query more).
- The other pages of an assessment: plan, advocacy route, the hub; and the
  printable PDF report's wall time.

Figures, not assertions: a bar missed prints MISS and the run goes on.
"""

from __future__ import annotations

import statistics
import time

from bench.harness import Context, Operation, Page, Section, table

BAR_AGGREGATE_MS = 500
BAR_PROFILE_MS = 50
EDITOR = "editora@polo.demo"
COORDINATOR = "coordinacion@polo.demo"


def _editor_assessment():
    from polo.assessments.models import Assessment

    return (
        Assessment.objects.current()
        .filter(organization__memberships__user__email=EDITOR)
        .order_by("-completed_at")
        .first()
    )


def pages(ctx: Context) -> list[Page]:
    assessment = _editor_assessment()
    found = [
        Page("Autodiagnóstico: inicio (visitante)", "/autodiagnostico/"),
        Page("Autodiagnóstico: inicio (coordinación)", "/autodiagnostico/", user=COORDINATOR),
        Page("Autodiagnóstico: panorama por tema", "/autodiagnostico/panorama/?por=tema"),
    ]
    if assessment is None:
        ctx.notes.append(
            "bench.assessments: the demo editor has no assessment (demo step missing?)"
        )
        return found
    base = f"/autodiagnostico/{assessment.pk}"
    return found + [
        Page("Autodiagnóstico: resumen (editora)", f"{base}/", user=EDITOR),
        Page("Autodiagnóstico: plan de mejora (editora)", f"{base}/plan/", user=EDITOR),
        Page("Autodiagnóstico: ruta de incidencia (editora)", f"{base}/ruta/", user=EDITOR),
    ]


def operations(ctx: Context) -> list[Operation]:
    from polo.assessments import selectors

    return [
        Operation(
            f"assessments.selectors.aggregate({by!r}, fresh=True)",
            lambda by=by: selectors.aggregate(by, fresh=True),
            repeat=5,
        )
        for by in ("region", "tipo", "red", "tema")
    ]


def _cold_ms(url: str, ctx: Context) -> list[float]:
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    times = []
    for _ in range(5 if ctx.quick else 20):
        cache.clear()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _cpu_ms(url: str, email: str, ctx: Context) -> float:
    from django.test import Client

    from polo.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    for _ in range(ctx.warmup):
        client.get(url)
    times = []
    for _ in range(max(10, ctx.requests // 2)):
        started = time.process_time()
        client.get(url)
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def verdict(value: float, bar: float) -> str:
    return "PASS" if value <= bar else "MISS"


def sections(ctx: Context) -> list[Section]:
    from polo.assessments.models import Assessment

    current = Assessment.objects.current().count()
    lines = [f"Organisations with a completed assessment (latest counted): {current:,}"]
    data: dict = {"current_assessments": current}

    aggregate = ctx.measure_page(
        Page("Autodiagnóstico: panorama por región (visitante)", "/autodiagnostico/panorama/")
    )
    cold = _cold_ms("/autodiagnostico/panorama/", ctx)
    lines.append(
        f"Aggregate profile by region over {current:,} assessments, computed afresh for every "
        f"request (cache emptied first): median {statistics.median(cold):.1f} ms, max "
        f"{max(cold):.1f} ms (bar ≤ {BAR_AGGREGATE_MS} ms: "
        f"{verdict(statistics.median(cold), BAR_AGGREGATE_MS)})"
    )
    median = aggregate.stats()["median"]
    lines.append(
        f"The same page as served (the table cached until the next completion, at most 10 "
        f"minutes): median {median:.1f} ms, p95 {aggregate.stats()['p95']:.1f} ms, "
        f"{aggregate.queries} SQL"
    )
    data["aggregate_by_region_ms"] = aggregate.stats()
    data["aggregate_by_region_cold_ms"] = cold

    rows = []
    profiles = []
    editor_assessment = _editor_assessment()
    others = list(
        Assessment.objects.current()
        .exclude(pk=getattr(editor_assessment, "pk", None))
        .order_by("pk")
        .values_list("pk", "previous_id")[:200]
    )
    with_previous = next((pk for pk, previous in others if previous), None)
    without_previous = next((pk for pk, previous in others if not previous), None)
    if editor_assessment is not None:
        profiles.append(("editora, propio (con anterior)", editor_assessment.pk, EDITOR))
        profiles.append(("coordinación, mismo perfil", editor_assessment.pk, COORDINATOR))
    if with_previous:
        profiles.append(
            ("coordinación, otra organización con anterior", with_previous, COORDINATOR)
        )
    if without_previous:
        profiles.append(
            ("coordinación, otra organización sin anterior", without_previous, COORDINATOR)
        )
    queries: dict[str, set[int]] = {"with": set(), "without": set()}
    for label, pk, user in profiles:
        result = ctx.measure_page(
            Page(f"Autodiagnóstico: perfil ({label})", f"/autodiagnostico/{pk}/perfil/", user=user)
        )
        stats = result.stats()
        has_previous = Assessment.objects.filter(pk=pk, previous__isnull=False).exists()
        if user == COORDINATOR:
            queries["with" if has_previous else "without"].add(result.queries)
        rows.append(
            [
                label,
                f"{stats['median']:.1f}",
                f"{stats['p95']:.1f}",
                str(result.queries),
                verdict(stats["median"], BAR_PROFILE_MS),
            ]
        )
    if rows:
        lines.append("")
        lines.append(
            table(
                ["profile page", "median ms", "p95 ms", "SQL", f"≤ {BAR_PROFILE_MS} ms"],
                rows,
                "A single profile page",
            )
        )
        fixed = all(len(counts) <= 1 for counts in queries.values())
        lines.append(
            "Query count across organisations' profiles (same viewer): "
            + ("fixed" if fixed else f"NOT FIXED {queries}")
            + " (an earlier assessment adds the one query that reads its scores)"
        )
        data["profiles"] = rows

    if editor_assessment is not None:
        cpu = _cpu_ms(f"/autodiagnostico/{editor_assessment.pk}/perfil/", EDITOR, ctx)
        lines.append(
            f"The editor's profile page in CPU time (process_time, which a busy machine "
            f"inflates less than wall time): median {cpu:.1f} ms"
        )
        data["profile_cpu_ms"] = cpu

        from polo.assessments import printing

        times = []
        for _ in range(1 if ctx.quick else 3):
            started = time.perf_counter()
            report = printing.render_report(editor_assessment)
            times.append(time.perf_counter() - started)
        lines.append(
            f"Printable report (PDF, {report.pages} pages, {len(report.pdf) / 1024:.0f} KB): "
            f"median {statistics.median(times):.2f} s over {len(times)} run(s)"
        )
        data["report_seconds"] = times
    return [Section("The self-assessment (issue 5)", "\n".join(lines), data)]
