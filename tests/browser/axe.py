"""axe-core (from npm: ``make axe`` installs the version package-lock.json pins) injected into a
page, reporting what breaks WCAG 2.1 A and AA. A missing install fails loudly, as a missing
Chromium does: these checks are never skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\\n` +
    v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary}`).join("\\n"));
}"""


def axe_violations(page) -> list[str]:
    """Each WCAG 2.1 AA rule the page breaks, with the elements that break it."""
    if not AXE.exists():
        pytest.fail(
            f"axe-core not found at {AXE}: run `make axe` (npm ci) first. The accessibility "
            "checks need it.",
            pytrace=False,
        )
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(_RUN, WCAG_21_AA)
