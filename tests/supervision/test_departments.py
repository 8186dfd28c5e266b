"""Per-department figures and department assessments (departments.py, metrics per department)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.supervision.departments import UNASSIGNED, department_rows
from gongkai.supervision.metrics import evaluate_department
from gongkai.supervision.services import plan_task_add, plan_task_update
from tests.supervision.factories import publish

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 2, 1)


def test_rows_count_items_tasks_per_department(
    district: dict[str, Any], plan: Any, user_named: Any
) -> None:
    songcun = district["songcun"]
    office = songcun.departments.get(name="党政办公室")
    finance = songcun.departments.get(name="财政所")
    publish(songcun, "gzdt", "按时", dt.date(2023, 3, 8), department=office)
    # Formed in January, published in May: past the 20-working-day deadline.
    publish(
        songcun,
        "gsgg",
        "迟发",
        dt.date(2023, 5, 8),
        department=office,
        formed_on=dt.date(2023, 1, 5),
    )
    publish(songcun, "gsgg", "无科室", dt.date(2023, 4, 8))
    publish(songcun, "gsgg", "去年的", dt.date(2022, 4, 8), department=finance)
    task = plan_task_add(
        actor=user_named("wendeng_admin"),
        plan=plan,
        text="财政预决算公开",
        responsible_department=finance,
        due_on=dt.date(2023, 9, 30),
    )
    plan_task_update(
        actor=user_named("songcun_clerk"),
        task=task,
        status="done",
        evidence="已公开。",
        completed_on=dt.date(2023, 8, 1),
    )
    rows = {r.name: r for r in department_rows(songcun, 2023, TODAY)}
    assert (rows["党政办公室"].published, rows["党政办公室"].late) == (2, 1)
    assert rows["党政办公室"].timely_percent == "50.0%"
    assert rows["财政所"].published == 0
    assert (rows["财政所"].tasks_done, rows["财政所"].tasks_total) == (1, 1)
    assert rows[UNASSIGNED].published == 1
    assert rows[UNASSIGNED].applications is None
    assert rows["党政办公室"].applications is not None
    assert list(rows)[-1] == UNASSIGNED


def test_department_metrics_apply_only_where_there_is_something_to_measure(
    district: dict[str, Any],
) -> None:
    songcun = district["songcun"]
    office = songcun.departments.get(name="党政办公室")
    finance = songcun.departments.get(name="财政所")
    publish(songcun, "gzdt", "按时", dt.date(2023, 3, 8), department=office)
    value = evaluate_department("timely_publication", office, 2023, TODAY)
    assert value is not None
    assert value.figure == "按时发布 1/1 条（100.0%）"
    assert value.score(20) == 20
    assert evaluate_department("timely_publication", finance, 2023, TODAY) is None
    assert evaluate_department("overdue_applications", finance, 2023, TODAY) is None
    assert evaluate_department("plan_tasks", finance, 2023, TODAY) is None
    # Agency-level metrics are never measured per department.
    assert evaluate_department("stale_columns", office, 2023, TODAY) is None
    assert evaluate_department("report_on_time", office, 2023, TODAY) is None
