"""The annual report's workflow as plain data: statuses, actions and the TRANSITIONS table.

草稿 → 已报送 → 已审核 → 已发布, with 已报送 → 已退回 → 已报送 when the supervising office sends it
back. A published report being corrected goes back to 草稿 and through the same steps; publishing
it again freezes a new version (条例第四十九条 requires the report; a correction must not silently
overwrite what the public has read).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审核"
    PUBLISHED = "published", "已发布"


class Action(StrEnum):
    CREATE = "create"
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    PUBLISH = "publish"
    CORRECT = "correct"


ACTION_NAMES: dict[Action, str] = {
    Action.CREATE: "开始编制",
    Action.SUBMIT: "报送审核",
    Action.RETURN: "退回修改",
    Action.APPROVE: "审核通过",
    Action.PUBLISH: "发布",
    Action.CORRECT: "发起更正",
}


class TableSource(models.TextChoices):
    RECORDS = "records", "由业务记录生成"
    MANUAL = "manual", "手工填报"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    target: Status


TRANSITIONS: dict[Action, Transition] = {
    Action.SUBMIT: Transition(frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED),
    Action.RETURN: Transition(frozenset({Status.SUBMITTED}), Status.RETURNED),
    Action.APPROVE: Transition(frozenset({Status.SUBMITTED}), Status.APPROVED),
    Action.PUBLISH: Transition(frozenset({Status.APPROVED}), Status.PUBLISHED),
    Action.CORRECT: Transition(frozenset({Status.PUBLISHED}), Status.DRAFT),
}

# Text and tables may change only while the agency holds the report.
EDITABLE: frozenset[Status] = frozenset({Status.DRAFT, Status.RETURNED})


def can_transition(status: str, action: Action) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and status in transition.sources


def is_editable(status: str) -> bool:
    return status in EDITABLE
