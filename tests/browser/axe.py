"""Accessibility checks with axe-core (bundled by axe-playwright-python)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.1 levels A and AA: what the programme promises.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def serious_violations(page) -> list[dict]:
    """The serious and critical WCAG 2.1 A/AA violations on the page as it stands."""
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict], where: str) -> str:
    """Each violation with its rule id, impact, help and every offending element."""
    lines = [f"{where}: {len(violations)} serious or critical WCAG 2.1 AA violation(s)"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fails listing every serious or critical WCAG 2.1 A/AA violation on the page."""
    violations = serious_violations(page)
    assert not violations, describe(violations, page.url)


def assert_all_accessible(page, paths: dict[str, str], *, status: int = 200) -> None:
    """Visits each page in turn and fails once, at the end, listing the violations of
    every page that has any (so one run shows all the work to do, not the first page's)."""
    reports = []
    for name, path in paths.items():
        response = page.goto(path)
        assert response is not None and response.status == status, (
            f"{name} ({path}) answered {response and response.status}, not {status}"
        )
        violations = serious_violations(page)
        if violations:
            reports.append(describe(violations, f"{name} ({path})"))
    assert not reports, "\n\n".join(reports)
