"""Who may do what in the supervising office's view: pure predicates over (user, agency).

- The supervising office (上级监管 over a subtree, and system administrators) reads everything in
  its subtree: dashboards, inspections, tasks, proposals, assessments. It writes nothing.
- The 公开办管理员 of a jurisdiction agency maintains that agency's 工作要点 and assessment sheets.
- An agency's working staff see and update their own tasks and proposals.
"""

from __future__ import annotations

from typing import Any

from gongkai.agencies.models import Agency
from gongkai.agencies.permissions import can_manage_agency, can_supervise, can_work_in


def can_oversee(user: Any, agency: Agency) -> bool:
    """Read the supervision figures of `agency` (its supervising office)."""
    return can_supervise(user, agency)


def can_view_own(user: Any, agency: Agency) -> bool:
    """See the agency's own tasks, proposals and self-inspection (its staff or its supervisor)."""
    return can_work_in(user, agency) or can_supervise(user, agency)


def can_manage_plan(user: Any, jurisdiction: Agency) -> bool:
    """Create work plans, their tasks and assessment sheets for a jurisdiction."""
    return can_manage_agency(user, jurisdiction)


def can_update_work(user: Any, agency: Agency) -> bool:
    """Update the agency's tasks and proposals: its working staff only (supervisors only read)."""
    return can_work_in(user, agency)
