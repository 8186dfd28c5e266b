"""The demo's 主动公开 data: 宋村镇's 政策解读 example, without changing the figures the demo must
reproduce (examples/seed-songcun-2023.txt)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.core import clock
from gongkai.demo import publishing
from gongkai.publishing.models import DocKind, InterpretationLink, Item
from gongkai.publishing.selectors import (
    interpretation_links_for,
    section1_figures,
    table2_figures,
)

pytestmark = pytest.mark.django_db


def test_songcun_has_a_policy_interpretation_linked_to_the_district_rules(
    district: dict[str, Any],
) -> None:
    publishing.load(district)
    reading = Item.objects.get(
        agency=district["songcun"], title="宋村镇2023年农村低保、特困供养政策及办理流程"
    )
    policy = Item.objects.get(
        agency=district["minzheng"], title="文登区最低生活保障审核确认实施细则"
    )
    assert reading.doc_kind == DocKind.INTERPRETATION
    assert interpretation_links_for(reading, public=True)["interprets"] == [policy]
    assert interpretation_links_for(policy, public=True)["interpretations"] == [reading]
    # Published a week after the document it interprets.
    assert clock.civil_date(reading.published_at) == dt.date(2023, 5, 16)
    assert policy.published_at is not None and policy.published_at < reading.published_at
    # The example is one of the 65 website items: the seed's figures stand.
    section1 = section1_figures(district["songcun"], 2023)
    assert section1["total_items"] == 465
    assert {row["column"]: row["items"] for row in section1["website_columns"]} == {
        "公示公告": 6,
        "机构职能": 11,
        "人事信息": 14,
        "工作动态": 30,
        "重点领域信息公开": 1,
        "政务公开组织推进": 1,
        "财政预决算": 2,
    }
    assert table2_figures(district["songcun"], 2023)["normative_documents"] == {
        "issued": 0,
        "repealed": 0,
        "in_force": 0,
    }
    # Loading again adds nothing.
    publishing.load(district)
    assert InterpretationLink.objects.count() == 1
