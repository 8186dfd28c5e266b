from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.core import clock
from gongkai.core.exceptions import NotFoundError
from gongkai.supervision.models import ProposalKind, ProposalStatus, TaskStatus
from gongkai.supervision.selectors import (
    oversee_root_get,
    own_agency_get,
    plan_get_for_user,
    plan_tasks,
    plans_for_user,
    proposal_get_for_user,
    proposals_for_agency,
    section6_facts,
    supervised_agencies,
    supervision_roots,
    task_get_for_user,
    tasks_for_agency,
)
from gongkai.supervision.services import (
    plan_task_update,
    proposal_register,
    proposal_update,
)

pytestmark = pytest.mark.django_db


def _proposals(district: Any, user_named: Any) -> None:
    clerk = user_named("minzheng_clerk")
    agency = district["minzheng"]
    npc = proposal_register(
        actor=clerk,
        agency=agency,
        kind=ProposalKind.NPC,
        year=2023,
        number="23",
        title="关于完善社区养老服务设施的建议",
        proposer="王代表",
        received_on=dt.date(2023, 3, 1),
    )
    cppcc = proposal_register(
        actor=clerk,
        agency=agency,
        kind=ProposalKind.CPPCC,
        year=2023,
        number="41",
        title="关于加强困难群众临时救助的提案",
        proposer="刘委员",
        received_on=dt.date(2023, 3, 2),
    )
    proposal_register(
        actor=clerk,
        agency=agency,
        kind=ProposalKind.CPPCC,
        year=2022,
        number="7",
        title="上年度的提案",
        proposer="赵委员",
        received_on=dt.date(2022, 3, 2),
    )
    with clock.frozen(dt.date(2023, 7, 1)):
        proposal_update(
            actor=clerk,
            proposal=npc,
            status=ProposalStatus.REPLIED,
            replied_on=dt.date(2023, 6, 1),
            reply_published=True,
            reply_url="http://www.wendeng.gov.cn/art/2023/6/1/art_2.html",
        )
        proposal_update(
            actor=clerk,
            proposal=cppcc,
            status=ProposalStatus.REPLIED,
            replied_on=dt.date(2023, 6, 2),
        )


def test_section6_facts_counts_proposals_by_kind_and_plan_tasks(
    plan: Any, district: Any, user_named: Any
) -> None:
    _proposals(district, user_named)
    task = plan.tasks.get(responsible_agency=district["minzheng"])
    with clock.frozen(dt.date(2023, 12, 1)):
        plan_task_update(
            actor=user_named("minzheng_clerk"),
            task=task,
            status=TaskStatus.DONE,
            evidence="复文已公开",
        )
    facts = section6_facts(district["minzheng"], 2023)
    assert facts == {
        "year": 2023,
        "proposals": {
            "npc": {"label": "人大代表建议", "received": 1, "replied": 1, "published": 1},
            "cppcc": {"label": "政协委员提案", "received": 1, "replied": 1, "published": 0},
        },
        "proposals_total": {"received": 2, "replied": 2, "published": 1},
        "plan": {
            "title": "2023年文登区政务公开工作要点",
            "source_document": "文政办字〔2023〕1号",
            "agency": "威海市文登区人民政府",
            "own": False,
            "tasks_total": 1,
            "tasks_done": 1,
        },
    }


def test_section6_facts_for_the_district_counts_the_whole_plan(plan: Any, district: Any) -> None:
    facts = section6_facts(district["wendeng"], 2023)
    assert facts["plan"]["own"] is True
    assert (facts["plan"]["tasks_done"], facts["plan"]["tasks_total"]) == (0, 2)


def test_section6_facts_without_proposals_or_plan(district: Any) -> None:
    facts = section6_facts(district["songcun"], 2023)
    assert facts["proposals_total"] == {"received": 0, "replied": 0, "published": 0}
    assert facts["plan"] is None


def test_supervisor_sees_the_subtree_and_nothing_else(district: Any, user_named: Any) -> None:
    supervisor = user_named("wendeng_supervisor")
    assert {a.slug for a in supervised_agencies(supervisor)} == set(district)
    assert [a.slug for a in supervision_roots(supervisor)] == ["wendeng"]
    assert oversee_root_get(supervisor, "songcun") == district["songcun"]
    assert not supervised_agencies(user_named("songcun_admin")).exists()
    with pytest.raises(NotFoundError):
        oversee_root_get(user_named("songcun_admin"), "songcun")


def test_staff_see_their_own_tasks_only(plan: Any, district: Any, user_named: Any) -> None:
    clerk = user_named("songcun_clerk")
    assert [t.text for t in tasks_for_agency(clerk, district["songcun"])] == [
        "规范乡镇政府信息公开目录"
    ]
    assert list(plans_for_user(clerk)) == [plan]
    assert [t.text for t in plan_tasks(clerk, plan)] == ["规范乡镇政府信息公开目录"]
    other = plan.tasks.get(responsible_agency=district["minzheng"])
    with pytest.raises(NotFoundError):
        task_get_for_user(clerk, other.pk)
    with pytest.raises(NotFoundError):
        tasks_for_agency(clerk, district["minzheng"])


def test_supervisor_reads_every_task_and_proposal(
    plan: Any, district: Any, user_named: Any
) -> None:
    _proposals(district, user_named)
    supervisor = user_named("wendeng_supervisor")
    assert plan_get_for_user(supervisor, plan.pk) == plan
    assert len(plan_tasks(supervisor, plan)) == 2
    proposals = proposals_for_agency(supervisor, district["minzheng"], 2023)
    assert {p.number for p in proposals} == {"23", "41"}
    assert proposal_get_for_user(supervisor, proposals[0].pk) == proposals[0]


def test_clerk_of_another_agency_cannot_read_proposals(district: Any, user_named: Any) -> None:
    _proposals(district, user_named)
    clerk = user_named("gaocun_clerk")
    with pytest.raises(NotFoundError):
        proposals_for_agency(clerk, district["minzheng"])
    with pytest.raises(NotFoundError):
        own_agency_get(clerk, "minzheng")
    assert own_agency_get(clerk, "gaocun") == district["gaocun"]
