"""Writes to agencies, departments and memberships. Each is one transaction with its audit row."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from gongkai.agencies.exceptions import AgencyError
from gongkai.agencies.models import Agency, Department, Membership, Role
from gongkai.agencies.permissions import can_manage_agency
from gongkai.audit.services import audit_record
from gongkai.core import clock
from gongkai.core.exceptions import PermissionDeniedError
from gongkai.core.identifiers import credit_code_error

PROFILE_FIELDS = (
    "short_name",
    "office_name",
    "address",
    "postcode",
    "office_hours",
    "phone",
    "fax",
    "email",
    "website",
    "wechat_account",
    "report_deadline_month",
    "report_deadline_day",
)


def agency_create(
    *,
    actor: Any,
    name: str,
    short_name: str,
    slug: str,
    level: str,
    credit_code: str,
    parent: Agency | None = None,
    **profile: Any,
) -> Agency:
    if actor is not None and not (
        actor.is_superuser or (parent and can_manage_agency(actor, parent))
    ):
        raise PermissionDeniedError("只有系统管理员或上级公开办管理员可以新建机关。")
    error = credit_code_error(credit_code)
    if error:
        raise AgencyError(error)
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise AgencyError(f"未知的机关资料字段：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        agency = Agency.objects.create(
            name=name,
            short_name=short_name,
            slug=slug,
            level=level,
            credit_code=credit_code.strip().upper(),
            parent=parent,
            **profile,
        )
        prefix = parent.path if parent else "/"
        agency.path = f"{prefix}{agency.pk}/"
        agency.save(update_fields=["path"])
        audit_record(
            actor=actor,
            verb="agency.created",
            target=agency,
            agency_id=agency.pk,
            data={"name": name, "level": level, "parent": parent.pk if parent else None},
        )
    return agency


def agency_update_profile(*, actor: Any, agency: Agency, **changes: Any) -> Agency:
    if not can_manage_agency(actor, agency):
        raise PermissionDeniedError("只有本机关的公开办管理员可以修改机关资料。")
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise AgencyError(f"未知的机关资料字段：{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        before = {f: getattr(locked, f) for f in changes}
        changed = [f for f, v in changes.items() if before[f] != v]
        if not changed:
            return locked
        for field in changed:
            setattr(locked, field, changes[field])
        locked.updated_at = clock.now()
        locked.full_clean(exclude=["path", "parent"])
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            verb="agency.profile_updated",
            target=locked,
            agency_id=locked.pk,
            data={f: {"from": before[f], "to": changes[f]} for f in changed},
        )
    return locked


def department_create(*, actor: Any, agency: Agency, name: str) -> Department:
    if actor is not None and not can_manage_agency(actor, agency):
        raise PermissionDeniedError("只有本机关的公开办管理员可以新建科室。")
    name = name.strip()
    if not name:
        raise AgencyError("请填写科室名称。")
    with transaction.atomic():
        if Department.objects.filter(agency=agency, name=name).exists():
            raise AgencyError(f"本机关已有名为“{name}”的科室。")
        department = Department.objects.create(agency=agency, name=name)
        audit_record(
            actor=actor,
            verb="department.created",
            target=department,
            agency_id=agency.pk,
            data={"name": name},
        )
    return department


def membership_grant(
    *,
    actor: Any,
    user: Any,
    agency: Agency,
    role: str,
    department: Department | None = None,
) -> Membership:
    if actor is not None and not can_manage_agency(actor, agency):
        raise PermissionDeniedError("只有本机关的公开办管理员可以分配岗位。")
    if role not in Role.values:
        raise AgencyError("未知的角色。")
    if department is not None and department.agency_id != agency.pk:
        raise AgencyError("科室不属于该机关。")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, agency=agency, role=role, defaults={"department": department}
        )
        if created:
            audit_record(
                actor=actor,
                verb="membership.granted",
                target=membership,
                agency_id=agency.pk,
                data={"user": user.get_username(), "role": role},
            )
    return membership


def membership_revoke(*, actor: Any, membership: Membership) -> None:
    if not can_manage_agency(actor, membership.agency):
        raise PermissionDeniedError("只有本机关的公开办管理员可以撤销岗位。")
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="membership.revoked",
            target=membership,
            agency_id=membership.agency_id,
            data={"user": membership.user.get_username(), "role": membership.role},
        )
        membership.delete()


def user_create(*, actor: Any, username: str, password: str, full_name: str = "") -> Any:
    """Create a staff account (used by the demo loader and administrators)."""
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.create_user(
            username=username, password=password, first_name=full_name[:150], is_staff=False
        )
        audit_record(actor=actor, verb="user.created", target=user, data={"username": username})
    return user
