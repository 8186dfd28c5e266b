"""JSON rendering: the canonical JSON of spec §5 (what `report build --format json` writes)."""

from __future__ import annotations

from gongkai.reports.value import AnnualReport


def render_json(report: AnnualReport) -> str:
    """The canonical JSON text; `AnnualReport.from_json` reads it back to an equal value."""
    return report.to_json()
