"""Who may see and handle an application: pure predicates over (user, application)."""

from __future__ import annotations

from typing import Any

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.permissions import can_supervise, can_work_in, has_role
from gongkai.applications.models import Application


def can_view(user: Any, application: Application) -> bool:
    """The handling agency's staff, and supervisors (read-only)."""
    return can_work_in(user, application.agency) or can_supervise(user, application.agency)


def can_handle(user: Any, application: Application) -> bool:
    """Only the handling agency's working staff act on an application; supervisors only read."""
    return can_work_in(user, application.agency)


def can_register(user: Any, agency: Agency) -> bool:
    return can_work_in(user, agency)


def can_approve_extension(user: Any, agency: Agency) -> bool:
    """条例第三十三条第一款: the head of the disclosure office approves an extension. In the platform
    that is the 公开办管理员 or the 分管领导 of the agency."""
    return has_role(user, agency, Role.OFFICE_ADMIN) or has_role(user, agency, Role.LEADER)
