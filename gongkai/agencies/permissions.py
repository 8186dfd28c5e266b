"""Every permission rule of the platform about agencies, as pure predicates over (user, agency).

Roles are per agency (Membership). `上级监管` (SUPERVISOR) at an agency covers that agency and its whole
subtree, read-only. System administrators (Django superusers) may manage everything. Interface code asks
these predicates and nothing else; tests exercise them as a matrix (tests/agencies/test_permissions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai.agencies.models import Agency, Level, Membership, Role

WORK_ROLES = frozenset(
    {Role.CLERK, Role.DEPARTMENT_HEAD, Role.SECRECY_REVIEWER, Role.LEADER, Role.OFFICE_ADMIN}
)
REVIEW_ROLES = frozenset({Role.DEPARTMENT_HEAD, Role.SECRECY_REVIEWER, Role.LEADER})
JURISDICTION_LEVELS = frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY})


@dataclass(frozen=True)
class UserAccess:
    roles: dict[int, frozenset[str]]
    supervised_paths: tuple[str, ...]
    superuser: bool


def access_for(user: Any) -> UserAccess:
    """The user's roles, loaded once per user object (cached on it for the request)."""
    cached = getattr(user, "_gongkai_access", None)
    if cached is not None:
        return cached
    if user is None or not user.is_authenticated or not user.is_active:
        access = UserAccess({}, (), False)
    else:
        roles: dict[int, set[str]] = {}
        supervised: list[str] = []
        for agency_id, role, path in Membership.objects.filter(user=user).values_list(
            "agency_id", "role", "agency__path"
        ):
            roles.setdefault(agency_id, set()).add(role)
            if role == Role.SUPERVISOR:
                supervised.append(path)
        access = UserAccess(
            {k: frozenset(v) for k, v in roles.items()}, tuple(supervised), user.is_superuser
        )
    if user is not None:
        user._gongkai_access = access
    return access


def roles_in(user: Any, agency: Agency) -> frozenset[str]:
    return access_for(user).roles.get(agency.pk, frozenset())


def supervises(user: Any, agency: Agency) -> bool:
    """True when the user holds 上级监管 at this agency or at one of its ancestors."""
    return any(agency.path.startswith(p) for p in access_for(user).supervised_paths)


def can_view_agency(user: Any, agency: Agency) -> bool:
    access = access_for(user)
    return access.superuser or bool(roles_in(user, agency)) or supervises(user, agency)


def can_work_in(user: Any, agency: Agency) -> bool:
    """May draft and handle the agency's records (any working role; supervisors only read)."""
    return bool(roles_in(user, agency) & WORK_ROLES)


def has_role(user: Any, agency: Agency, role: str) -> bool:
    return role in roles_in(user, agency)


def can_review(user: Any, agency: Agency) -> bool:
    return bool(roles_in(user, agency) & REVIEW_ROLES)


def can_manage_agency(user: Any, agency: Agency) -> bool:
    """Edit the profile, departments and staff of the agency."""
    return access_for(user).superuser or has_role(user, agency, Role.OFFICE_ADMIN)


def can_supervise(user: Any, agency: Agency) -> bool:
    return access_for(user).superuser or supervises(user, agency)


def can_edit_calendar(user: Any) -> bool:
    """The working-day calendar is installation-wide: system administrators and the 公开办管理员
    of a jurisdiction-level agency (county or above) maintain it."""
    access = access_for(user)
    if access.superuser:
        return True
    admin_of = [aid for aid, roles in access.roles.items() if Role.OFFICE_ADMIN in roles]
    return Agency.objects.filter(pk__in=admin_of, level__in=JURISDICTION_LEVELS).exists()


def must_use_second_factor(user: Any) -> bool:
    """Administrators (system and 公开办管理员) need TOTP when the setting requires it."""
    access = access_for(user)
    return access.superuser or any(Role.OFFICE_ADMIN in r for r in access.roles.values())
