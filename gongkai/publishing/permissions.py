"""Pure permission predicates for 主动公开, built on gongkai.agencies.permissions."""

from __future__ import annotations

from typing import Any

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.permissions import can_review, can_view_agency, can_work_in, has_role
from gongkai.publishing.models import Item, ReviewStep


def can_view_items(user: Any, agency: Agency) -> bool:
    return can_view_agency(user, agency)


def can_edit_items(user: Any, agency: Agency) -> bool:
    """Draft, edit, mask and submit items (any working role of the agency)."""
    return can_work_in(user, agency)


def can_decide_step(user: Any, step: ReviewStep, item: Item) -> bool:
    """谁公开谁审查: only a holder of the step's role in the item's agency decides it."""
    return has_role(user, item.agency, step.role)


def can_override_finding(user: Any, agency: Agency) -> bool:
    """Accepting a scanner finding as publishable is a reviewer's call, never the author's alone."""
    return can_review(user, agency)


def can_withdraw(user: Any, agency: Agency) -> bool:
    return has_role(user, agency, Role.LEADER) or has_role(user, agency, Role.OFFICE_ADMIN)


def can_manage_registers(user: Any, agency: Agency) -> bool:
    """Channel statistics and table-2 registers: the clerk and the office administrator."""
    return has_role(user, agency, Role.CLERK) or has_role(user, agency, Role.OFFICE_ADMIN)
