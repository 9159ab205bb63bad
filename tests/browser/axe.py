"""Accessibility checks with axe-core (bundled by axe-playwright-python)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.1 levels A and AA: what the programme promises.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def serious_violations(page) -> list[dict]:
    results = _axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict], url: str) -> str:
    lines = [f"{len(violations)} serious or critical WCAG 2.1 AA violation(s) on {url}:"]
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
    """Fails listing every serious or critical WCAG 2.1 A/AA violation on the page as it
    stands (rule id, impact, help, and each offending element)."""
    violations = serious_violations(page)
    assert not violations, describe(violations, page.url)
