from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from gongkai.supervision.metrics import (
    METRICS,
    MetricValue,
    as_of,
    deduction,
    evaluate,
    ratio,
)
from tests.supervision.factories import publish


def test_deduction_never_goes_below_zero() -> None:
    assert deduction(0, Decimal("0.2")) == Decimal(1)
    assert deduction(2, Decimal("0.2")) == Decimal("0.6")
    assert deduction(7, Decimal("0.2")) == Decimal(0)


def test_ratio_of_nothing_is_the_given_default() -> None:
    assert ratio(0, 0) == Decimal(1)
    assert ratio(0, 0, when_none=Decimal(0)) == Decimal(0)
    assert ratio(3, 4) == Decimal("0.75")


def test_score_is_rounded_to_a_tenth_and_clamped() -> None:
    assert MetricValue("", Decimal(2) / Decimal(3)).score(10) == Decimal("6.7")
    assert MetricValue("", Decimal("1.5")).score(10) == Decimal("10.0")
    assert MetricValue("", Decimal("-1")).score(10) == Decimal("0.0")


def test_a_year_is_judged_at_its_end_or_today() -> None:
    assert as_of(2023, dt.date(2024, 1, 5)) == dt.date(2023, 12, 31)
    assert as_of(2024, dt.date(2024, 6, 1)) == dt.date(2024, 6, 1)


def test_unknown_metric_has_no_data() -> None:
    from gongkai.agencies.models import Agency

    assert evaluate("nope", Agency(name="某镇"), 2023, dt.date(2024, 1, 1)).figure == "暂无数据"


@pytest.mark.django_db
def test_timely_publication_rate_counts_late_items(district: Any) -> None:
    songcun = district["songcun"]
    # Formed 1 March 2023: 20 working days later is 29 March.
    publish(songcun, "gsgg", "按时发布的公告", dt.date(2023, 3, 20), formed_on=dt.date(2023, 3, 1))
    publish(songcun, "gsgg", "迟发的公告", dt.date(2023, 5, 4), formed_on=dt.date(2023, 3, 1))
    value = evaluate("timely_publication", songcun, 2023, dt.date(2024, 1, 10))
    assert value.figure == "按时发布 1/2 条（50.0%）"
    assert value.score(10) == Decimal("5.0")


@pytest.mark.django_db
def test_stale_and_empty_columns_are_judged_at_the_year_end(district: Any) -> None:
    songcun = district["songcun"]
    publish(songcun, "gzdt", "工作动态一", dt.date(2023, 12, 25))
    publish(songcun, "gsgg", "公示公告一", dt.date(2023, 3, 1))
    # Published after the year's end: does not count for 2023.
    publish(songcun, "rsxx", "人事信息一", dt.date(2024, 1, 3))
    stale = evaluate("stale_columns", songcun, 2023, dt.date(2024, 1, 10))
    empty = evaluate("empty_columns", songcun, 2023, dt.date(2024, 1, 10))
    assert stale.figure == "长期未更新栏目 1 个"  # 公示公告, last updated in March
    assert stale.fraction == Decimal("0.8")
    # 政策文件、机构职能、财政预决算、人事信息、重点领域信息公开、政务公开组织推进、政府信息公开制度
    assert empty.figure == "空白栏目 7 个"
    assert empty.fraction == Decimal(0)


@pytest.mark.django_db
def test_report_metrics_without_a_report(district: Any) -> None:
    on_time = evaluate("report_on_time", district["songcun"], 2023, dt.date(2024, 2, 5))
    errors = evaluate("report_errors", district["songcun"], 2023, dt.date(2024, 2, 5))
    assert on_time.figure == "尚未发布（未开始编制，截止2024-01-31）"
    assert on_time.fraction == 0
    assert errors.figure == "年度报告尚未编制"


def test_every_metric_has_a_label_and_rule() -> None:
    assert all(m.label and m.rule for m in METRICS.values())


@pytest.mark.django_db
def test_report_metrics_read_the_reports_draft(district: Any, user_named: Any) -> None:
    from gongkai.core import clock
    from gongkai.reports.selectors import report_findings
    from gongkai.reports.services import report_draft_get_or_create

    with clock.frozen(dt.date(2024, 1, 10)):
        record, _ = report_draft_get_or_create(
            actor=user_named("songcun_clerk"), agency=district["songcun"], year=2023
        )
    errors = sum(1 for f in report_findings(record) if f.severity == "error")
    on_time = evaluate("report_on_time", district["songcun"], 2023, dt.date(2024, 2, 5))
    quality = evaluate("report_errors", district["songcun"], 2023, dt.date(2024, 2, 5))
    assert on_time.figure == "尚未发布（草稿，截止2024-01-31）"
    assert quality.figure == f"校验错误 {errors} 处"
    assert quality.fraction == max(Decimal(0), 1 - Decimal("0.2") * errors)
