from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.supervision import sources

pytestmark = pytest.mark.django_db


def test_application_figures_count_due_soon_and_overdue(district: Any) -> None:
    from tests.applications.factories import online

    application = online(district["songcun"], dt.date(2023, 3, 1))
    due = application.reply_due
    assert due is not None
    at_receipt = sources.application_figures(district["songcun"], 2023, dt.date(2023, 3, 1))
    assert at_receipt is not None
    assert (at_receipt.received, at_receipt.open, at_receipt.due_soon, at_receipt.overdue) == (
        1,
        1,
        0,
        0,
    )
    day_before = sources.application_figures(district["songcun"], 2023, due - dt.timedelta(days=1))
    assert day_before is not None
    assert (day_before.due_soon, day_before.overdue) == (1, 0)
    after = sources.application_figures(district["songcun"], 2023, due + dt.timedelta(days=1))
    assert after is not None
    assert (after.due_soon, after.overdue) == (0, 1)


def test_remedy_figures_follow_table_4(district: Any) -> None:
    figures = sources.remedy_figures(district["songcun"], 2023)
    assert figures is not None
    assert [label for label, _ in figures.groups] == [
        "行政复议",
        "行政诉讼（未经复议直接起诉）",
        "行政诉讼（复议后起诉）",
    ]
    assert figures.total == 0


def test_a_missing_piece_of_another_app_reads_as_no_data(
    district: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gongkai.remedies.selectors

    monkeypatch.delattr(gongkai.remedies.selectors, "table4_counts")
    assert sources.remedy_figures(district["songcun"], 2023) is None


def test_columns_mark_what_items_are_filed_under(district: Any) -> None:
    from gongkai.publishing.services import columns_ensure_default

    columns_ensure_default(actor=None, agency=district["songcun"])
    facts = {c.slug: c for c in sources.columns_of(district["songcun"])}
    assert not facts["zn"].fileable  # 指南 is generated
    assert not facts["nb"].fileable  # 年报 is generated
    assert not facts["fdzdgknr"].fileable  # the statutory root has sub-columns
    assert facts["gzdt"].fileable and facts["gzdt"].column_type == "news"
