"""Per department (科室): the figures of each department of an agency for a year, and the department
assessments of a sheet.

A department answers for the items it drafted (`Item.department`), the applications it handled
(`Application.department`, the 承办科室) and the 工作要点 tasks assigned to it. Only the metrics that
measure those (`metrics.Metric.per_department`) score a department; the others (columns, the annual
report, 建议提案, manual scores) are the agency's and do not apply, nor does a per-department
criterion with nothing to measure (a 科室 that published nothing in the year is not scored on
timeliness). A department's result is out of the maximum of the criteria that apply to it, and is
also given on a 100-point scale.

Unscoped: the selectors and services decide who may read or compute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from gongkai.agencies.models import Agency, Department
from gongkai.core import clock
from gongkai.supervision import sources
from gongkai.supervision.metrics import METRICS, evaluate_department
from gongkai.supervision.models import (
    AssessmentSheet,
    Criterion,
    DepartmentAssessment,
    PlanTask,
    TaskStatus,
)

UNASSIGNED = "（未指定科室）"


@dataclass
class DepartmentRow:
    name: str
    department_id: int | None  # None: items with no department recorded
    published: int = 0  # published in the year
    late: int = 0  # of which after the 20-working-day deadline
    unpublished_overdue: int = 0  # not public today although past the deadline
    applications: sources.ApplicationFigures | None = None
    tasks_total: int = 0
    tasks_done: int = 0

    @property
    def timely_percent(self) -> str:
        if not self.published:
            return "—"
        return f"{(self.published - self.late) * 100 / self.published:.1f}%"


def department_rows(agency: Agency, year: int, today: dt.date) -> list[DepartmentRow]:
    """Each department of the agency (active ones, and inactive ones with records) with its figures
    for `year`; items without a department make a last row of their own."""
    rows: dict[int | None, DepartmentRow] = {
        d.pk: DepartmentRow(d.name, d.pk)
        for d in Department.objects.filter(agency=agency).order_by("name")
    }
    active = set(
        Department.objects.filter(agency=agency, is_active=True).values_list("pk", flat=True)
    )

    def row_for(department_id: int | None) -> DepartmentRow:
        if department_id not in rows:
            rows[department_id] = DepartmentRow(UNASSIGNED, None)
        return rows[department_id]

    for item in sources.counted_items_of(agency, year):
        if item.published_on is None:
            continue
        row = row_for(item.department_id)
        row.published += 1
        if item.publish_due is not None and item.published_on > item.publish_due:
            row.late += 1
    for item in sources.unpublished_overdue_of(agency, today):
        row_for(item.department_id).unpublished_overdue += 1
    tasks = PlanTask.objects.filter(responsible_department__agency=agency, plan__year=year)
    for task_department, status in tasks.values_list("responsible_department_id", "status"):
        row = row_for(task_department)
        row.tasks_total += 1
        row.tasks_done += status == TaskStatus.DONE
    for department_id, row in rows.items():
        if department_id is not None:
            row.applications = sources.application_figures(
                agency, year, today, department_id=department_id
            )

    def has_records(row: DepartmentRow) -> bool:
        apps = row.applications
        return bool(
            row.published
            or row.unpublished_overdue
            or row.tasks_total
            or (apps is not None and (apps.received or apps.open or apps.finished))
        )

    ordered = [r for pk, r in rows.items() if pk is not None and (pk in active or has_records(r))]
    if None in rows:
        ordered.append(rows[None])
    return ordered


# --- department assessments ------------------------------------------------------------------------


def applicable_criteria(criteria: Sequence[Criterion]) -> list[Criterion]:
    """The sheet's criteria measured per department."""
    return [
        c
        for c in criteria
        if c.metric and c.metric in METRICS and METRICS[c.metric].per_department is not None
    ]


@dataclass(frozen=True)
class DepartmentResult:
    department: Department
    scores: list[dict[str, object]]  # {"criterion": pk, "figure": str, "score": str}
    total: str
    max_total: int


def department_results(
    sheet: AssessmentSheet, agencies: Sequence[Agency], today: dt.date
) -> list[DepartmentResult]:
    """Score every active department of the assessed agencies on the applicable criteria (reads
    only: the caller stores the results in its transaction)."""
    criteria = applicable_criteria(list(sheet.criteria.all()))
    if not criteria:
        return []
    results = []
    departments = Department.objects.filter(agency__in=list(agencies), is_active=True)
    for department in departments.select_related("agency").order_by("agency__path", "name"):
        scores: list[dict[str, object]] = []
        total = Decimal(0)
        maximum = 0
        for criterion in criteria:
            value = evaluate_department(criterion.metric, department, sheet.year, today)
            if value is None:
                continue
            score = value.score(criterion.max_score)
            total += score
            maximum += criterion.max_score
            scores.append({"criterion": criterion.pk, "figure": value.figure, "score": str(score)})
        results.append(DepartmentResult(department, scores, str(total), maximum))
    return results


def department_results_store(sheet: AssessmentSheet, results: Sequence[DepartmentResult]) -> int:
    """Write the results inside the caller's transaction; departments no longer assessed lose
    their row. Returns how many rows were written."""
    now = clock.now()
    DepartmentAssessment.objects.filter(sheet=sheet).exclude(
        department__in=[r.department for r in results]
    ).delete()
    for result in results:
        DepartmentAssessment.objects.update_or_create(
            sheet=sheet,
            department=result.department,
            defaults={
                "total": result.total,
                "max_total": result.max_total,
                "scores": result.scores,
                "computed_at": now,
                "updated_at": now,
            },
        )
    return len(results)
