"""Fixtures of the publishing tests: the demo district with its 主动公开 data loaded."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def demo_publishing(district: dict[str, Any]) -> dict[str, Any]:
    from gongkai.demo import publishing

    publishing.load(district)
    return district


@pytest.fixture
def songcun(district: dict[str, Any]) -> Any:
    from gongkai.publishing.services import columns_ensure_default

    agency = district["songcun"]
    columns_ensure_default(actor=None, agency=agency)
    return agency


@pytest.fixture
def column(songcun: Any) -> Any:
    from gongkai.publishing.models import Column

    return Column.objects.get(agency=songcun, slug="gsgg")


@pytest.fixture
def make_item(songcun: Any, column: Any, user_named: Any) -> Any:
    """make_item(body=...) → a draft of 宋村镇 written by songcun_clerk."""
    import datetime as dt

    from gongkai.publishing.services import item_create

    def make(**fields: Any) -> Any:
        values: dict[str, Any] = {
            "title": "宋村镇关于道路维修的通告",
            "summary": "道路维修期间请绕行。",
            "body": "<p>昌阳路维修期间请绕行。</p>",
            "formed_on": dt.date(2026, 11, 20),
        }
        values.update(fields)
        return item_create(
            actor=user_named("songcun_clerk"), agency=songcun, column=column, **values
        )

    return make


def planted_id() -> str:
    from gongkai.demo.publishing import planted_id_number

    return planted_id_number()
