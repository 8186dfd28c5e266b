"""The registry of computed metrics an assessment criterion can be scored from.

Each metric turns one agency's records for a year into a `MetricValue`: the figure shown beside the
score (in Chinese, e.g. “按时发布 45/48 条（93.8%）”) and the fraction of the criterion's points it
earns (0–1). The scoring rules are the plain functions at the top, tested on their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from gongkai.agencies.models import Agency, Department
from gongkai.supervision import sources
from gongkai.supervision.inspection import column_states
from gongkai.supervision.models import PlanTask, Proposal, ProposalStatus, TaskStatus

ONE = Decimal(1)
ZERO = Decimal(0)
# Each stale or empty column, and each report check error, costs a fifth of the criterion's
# points; each overdue application a quarter.
PER_COLUMN = Decimal("0.2")
PER_ERROR = Decimal("0.2")
PER_APPLICATION = Decimal("0.25")


def ratio(done: int, total: int, *, when_none: Decimal = ONE) -> Decimal:
    if total <= 0:
        return when_none
    return Decimal(done) / Decimal(total)


def deduction(count: int, per: Decimal) -> Decimal:
    return max(ZERO, ONE - per * count)


def percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class MetricValue:
    figure: str
    fraction: Decimal

    def score(self, max_score: int) -> Decimal:
        clamped = min(ONE, max(ZERO, self.fraction))
        return (clamped * max_score).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


UNAVAILABLE = MetricValue("暂无数据", ZERO)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    rule: str
    compute: Callable[[Agency, int, dt.date], MetricValue]
    # The same measure for one 科室, for the metrics that make sense per department (items it
    # drafted, applications it handled, tasks it answers for); None: agency-level only. It answers
    # None for a department with nothing to measure (no item, application or task in the year).
    per_department: Callable[[Department, int, dt.date], MetricValue | None] | None = None


def as_of(year: int, today: dt.date) -> dt.date:
    """The day a year is judged on: its last day, or today while it is still running."""
    return min(today, dt.date(year, 12, 31))


def _timely(agency: Agency, year: int, today: dt.date) -> MetricValue:
    return _timely_of(sources.counted_items_of(agency, year))


def _timely_department(department: Department, year: int, today: dt.date) -> MetricValue | None:
    items = sources.counted_items_of(department.agency, year)
    own = [i for i in items if i.department_id == department.pk and i.published_on is not None]
    return _timely_of(own) if own else None


def _timely_of(counted: list[sources.ItemFact]) -> MetricValue:
    items = [i for i in counted if i.published_on is not None]
    late = sum(
        1
        for i in items
        if i.publish_due is not None and i.published_on and i.published_on > i.publish_due
    )
    if not items:
        return MetricValue("本年度未发布信息", ZERO)
    fraction = ratio(len(items) - late, len(items))
    return MetricValue(
        f"按时发布 {len(items) - late}/{len(items)} 条（{percent(fraction)}）", fraction
    )


def _column_counts(agency: Agency, year: int, today: dt.date) -> tuple[int, int]:
    day = as_of(year, today)
    items = [i for i in sources.public_items_of(agency) if i.published_on and i.published_on <= day]
    states = column_states(sources.columns_of(agency), items, day)
    return sum(1 for s in states if s.stale), sum(1 for s in states if s.empty)


def _stale(agency: Agency, year: int, today: dt.date) -> MetricValue:
    stale, _ = _column_counts(agency, year, today)
    return MetricValue(f"长期未更新栏目 {stale} 个", deduction(stale, PER_COLUMN))


def _empty(agency: Agency, year: int, today: dt.date) -> MetricValue:
    _, empty = _column_counts(agency, year, today)
    return MetricValue(f"空白栏目 {empty} 个", deduction(empty, PER_COLUMN))


def _applications(agency: Agency, year: int, today: dt.date) -> MetricValue:
    return _applications_of(sources.application_figures(agency, year, today), year, today)


def _applications_department(
    department: Department, year: int, today: dt.date
) -> MetricValue | None:
    figures = sources.application_figures(
        department.agency, year, today, department_id=department.pk
    )
    if figures is not None and not (figures.received or figures.finished or figures.open):
        return None
    return _applications_of(figures, year, today)


def _applications_of(
    figures: sources.ApplicationFigures | None, year: int, today: dt.date
) -> MetricValue:
    if figures is None:
        return UNAVAILABLE
    overdue = figures.replied_late + (figures.overdue if today.year == year else 0)
    return MetricValue(
        f"超期答复 {figures.replied_late} 件，当前超期未答复 {figures.overdue if today.year == year else 0} 件",
        deduction(overdue, PER_APPLICATION),
    )


def _report_on_time(agency: Agency, year: int, today: dt.date) -> MetricValue:
    status = sources.report_status(agency, year)
    if status is None:
        return UNAVAILABLE
    if status.published_on is None:
        return MetricValue(f"尚未发布（{status.status_label}，截止{status.deadline}）", ZERO)
    return MetricValue(
        f"{status.published_on}发布（截止{status.deadline}）",
        ONE if status.on_time else ZERO,
    )


def _report_errors(agency: Agency, year: int, today: dt.date) -> MetricValue:
    status = sources.report_status(agency, year)
    if status is None:
        return UNAVAILABLE
    if status.errors is None:
        return MetricValue("年度报告尚未编制", ZERO)
    return MetricValue(f"校验错误 {status.errors} 处", deduction(status.errors, PER_ERROR))


def _plan_tasks(agency: Agency, year: int, today: dt.date) -> MetricValue:
    return _tasks_of(PlanTask.objects.filter(owner_q(agency), plan__year=year))


def _plan_tasks_department(department: Department, year: int, today: dt.date) -> MetricValue | None:
    tasks = PlanTask.objects.filter(responsible_department=department, plan__year=year)
    return _tasks_of(tasks) if tasks.exists() else None


def _tasks_of(tasks: QuerySet[PlanTask]) -> MetricValue:
    total = tasks.count()
    done = tasks.filter(status=TaskStatus.DONE).count()
    if not total:
        return MetricValue("本年度无承担任务", ONE)
    fraction = ratio(done, total)
    return MetricValue(f"完成 {done}/{total} 项（{percent(fraction)}）", fraction)


def owner_q(agency: Agency) -> Q:
    """Tasks the agency answers for (directly, or through one of its departments)."""
    return Q(responsible_agency=agency) | Q(
        responsible_agency__isnull=True, responsible_department__agency=agency
    )


def _proposals(agency: Agency, year: int, today: dt.date) -> MetricValue:
    replied = Proposal.objects.filter(agency=agency, year=year, status=ProposalStatus.REPLIED)
    total = replied.count()
    published = replied.filter(reply_published=True).count()
    if not total:
        return MetricValue("本年度无已答复的建议提案", ONE)
    fraction = ratio(published, total)
    return MetricValue(f"答复公开 {published}/{total} 件（{percent(fraction)}）", fraction)


METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in (
        Metric(
            "timely_publication",
            "信息按时公开率",
            "条例第二十六条：20个工作日内公开",
            _timely,
            _timely_department,
        ),
        Metric("stale_columns", "长期未更新栏目", "每个扣该项分值的20%", _stale),
        Metric("empty_columns", "空白栏目", "每个扣该项分值的20%", _empty),
        Metric(
            "overdue_applications",
            "依申请公开超期答复",
            "每件扣该项分值的25%",
            _applications,
            _applications_department,
        ),
        Metric("report_on_time", "年度报告按时发布", "按期发布得满分，否则不得分", _report_on_time),
        Metric("report_errors", "年度报告校验错误", "每处错误扣该项分值的20%", _report_errors),
        Metric(
            "plan_tasks",
            "工作要点任务完成率",
            "按完成比例得分",
            _plan_tasks,
            _plan_tasks_department,
        ),
        Metric("proposals_published", "建议提案答复公开率", "按公开比例得分", _proposals),
    )
}
METRIC_CHOICES: list[tuple[str, str]] = [("", "人工评分（附佐证）")] + [
    (m.key, m.label) for m in METRICS.values()
]


def evaluate_department(
    key: str, department: Department, year: int, today: dt.date
) -> MetricValue | None:
    """The metric for one department; None when the metric is not measured per department or the
    department has nothing it measures in the year (the criterion does not apply to it)."""
    metric = METRICS.get(key)
    if metric is None or metric.per_department is None:
        return None
    return metric.per_department(department, year, today)


def evaluate(key: str, agency: Agency, year: int, today: dt.date) -> MetricValue:
    metric = METRICS.get(key)
    if metric is None:
        return UNAVAILABLE
    return metric.compute(agency, year, today)
