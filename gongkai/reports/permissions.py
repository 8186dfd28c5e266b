"""Who may do what with an agency's annual report: pure predicates over (user, agency).

Any working role drafts (`can_work_in`); the 公开办管理员 or the 分管领导 submits, publishes and
starts a correction; the supervising office (上级监管 over the agency's subtree) returns or approves.
"""

from __future__ import annotations

from typing import Any

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.permissions import can_supervise, can_view_agency, can_work_in, has_role


def can_view_report(user: Any, agency: Agency) -> bool:
    return can_view_agency(user, agency)


def can_edit_report(user: Any, agency: Agency) -> bool:
    return can_work_in(user, agency)


def can_sign_report(user: Any, agency: Agency) -> bool:
    """Submit, publish and correct: the 公开办管理员 or the 分管领导 of the agency."""
    return has_role(user, agency, Role.OFFICE_ADMIN) or has_role(user, agency, Role.LEADER)


def can_review_report(user: Any, agency: Agency) -> bool:
    """Return or approve: the supervising office of the agency's subtree."""
    return can_supervise(user, agency)
