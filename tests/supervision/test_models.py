from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from gongkai.supervision.models import PlanTask, Proposal, TaskStatus, WorkPlan

pytestmark = pytest.mark.django_db


def test_a_task_needs_an_owner(district: Any) -> None:
    plan = WorkPlan.objects.create(agency=district["wendeng"], year=2023, title="要点")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanTask.objects.create(plan=plan, text="无人负责的任务")


def test_done_iff_completed(district: Any) -> None:
    plan = WorkPlan.objects.create(agency=district["wendeng"], year=2023, title="要点")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanTask.objects.create(
            plan=plan, text="任务", responsible_agency=district["songcun"], status=TaskStatus.DONE
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanTask.objects.create(
            plan=plan,
            text="任务",
            responsible_agency=district["songcun"],
            completed_on=dt.date(2023, 5, 1),
        )


def test_one_plan_per_agency_and_year(district: Any) -> None:
    WorkPlan.objects.create(agency=district["wendeng"], year=2023, title="要点")
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkPlan.objects.create(agency=district["wendeng"], year=2023, title="另一个")


def test_published_reply_needs_a_reply(district: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            agency=district["minzheng"],
            kind="npc",
            year=2023,
            number="1",
            title="建议",
            proposer="代表",
            received_on=dt.date(2023, 3, 1),
            reply_published=True,
        )


def test_reply_not_before_receipt(district: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            agency=district["minzheng"],
            kind="npc",
            year=2023,
            number="1",
            title="建议",
            proposer="代表",
            received_on=dt.date(2023, 3, 1),
            status="replied",
            replied_on=dt.date(2023, 2, 1),
        )


def test_proposal_str_names_kind_and_number() -> None:
    proposal = Proposal(kind="cppcc", number="12", title="关于养老的提案")
    assert str(proposal) == "政协委员提案第12号 关于养老的提案"
