"""Fixtures of the supervision tests: a 2023 work plan of the district with tasks, and proposals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.audit.models import AuditEvent


def audit_verbs(since: int = 0) -> list[str]:
    return list(
        AuditEvent.objects.filter(pk__gt=since).order_by("id").values_list("verb", flat=True)
    )


def last_audit_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture
def plan(district: dict[str, Any], user_named: Any) -> Any:
    from gongkai.supervision.services import plan_task_add, work_plan_create

    admin = user_named("wendeng_admin")
    plan = work_plan_create(
        actor=admin,
        agency=district["wendeng"],
        year=2023,
        title="2023年文登区政务公开工作要点",
        source_document="文政办字〔2023〕1号",
    )
    plan_task_add(
        actor=admin,
        plan=plan,
        text="规范乡镇政府信息公开目录",
        responsible_agency=district["songcun"],
        due_on=dt.date(2023, 6, 30),
    )
    plan_task_add(
        actor=admin,
        plan=plan,
        text="做好建议提案办理复文公开",
        responsible_agency=district["minzheng"],
        due_on=dt.date(2023, 12, 31),
    )
    return plan


@pytest.fixture
def huey_immediate() -> Any:
    """Run huey tasks in the calling thread (in-memory queue) for the test's duration."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = before
