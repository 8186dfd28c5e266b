from __future__ import annotations

from typing import Any

import pytest

from gongkai.supervision.models import Assessment, PlanTask, Proposal, WorkPlan
from gongkai.supervision.selectors import section6_facts

pytestmark = pytest.mark.django_db


def test_demo_loader_is_idempotent_and_matches_the_seed(district: dict[str, Any]) -> None:
    from gongkai.demo import supervision

    supervision.load(district)
    counts = (WorkPlan.objects.count(), PlanTask.objects.count(), Proposal.objects.count())
    supervision.load(district)
    assert (WorkPlan.objects.count(), PlanTask.objects.count(), Proposal.objects.count()) == counts
    assert counts == (1, 7, 3)

    # 宋村镇 received no 建议 or 提案 in 2023 (its report, section 六（二）).
    songcun = section6_facts(district["songcun"], 2023)
    assert songcun["proposals_total"] == {"received": 0, "replied": 0, "published": 0}
    assert (songcun["plan"]["tasks_done"], songcun["plan"]["tasks_total"]) == (1, 2)

    minzheng = section6_facts(district["minzheng"], 2023)
    assert minzheng["proposals"]["npc"]["received"] == 2
    assert minzheng["proposals"]["cppcc"] == {
        "label": "政协委员提案",
        "received": 1,
        "replied": 1,
        "published": 1,
    }
    assert Assessment.objects.filter(sheet__year=2023).count() == 4
    songcun_result = Assessment.objects.get(sheet__year=2023, agency=district["songcun"])
    training = songcun_result.scores.get(criterion__name="政务公开培训和宣传")
    assert (training.score, training.evidence) == (
        8,
        "组织镇村干部政务公开培训2次，参加全区培训1次。",
    )
    assert songcun_result.total == sum(s.score for s in songcun_result.scores.all())
