"""The demo district: 威海市文登区 with 宋村镇, two other townships and one district department.

All prose here is written for the demo. Facts about 宋村镇 (address, phone, WeChat account) are those
its published 2023 report states. The credit codes are made up, with correct check characters.
Everything is written through the domain services, so the demo has a complete audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from gongkai.agencies.models import Agency, Department, Level, Role
from gongkai.agencies.services import (
    agency_create,
    department_create,
    membership_grant,
    user_create,
)
from gongkai.core.identifiers import credit_code_check_char


def credit_code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: str
    short_name: str
    level: str
    code_body: str
    parent: str | None
    profile: dict[str, str]
    departments: tuple[str, ...]


DISTRICT = "wendeng"

AGENCIES: tuple[DemoAgency, ...] = (
    DemoAgency(
        "wendeng",
        "威海市文登区人民政府",
        "文登区政府",
        Level.COUNTY,
        "11371000MB1234567",
        None,
        {
            "office_name": "威海市文登区人民政府办公室（区政务公开办公室）",
            "address": "威海市文登区龙山路66号",
            "postcode": "264400",
            "office_hours": "工作日上午8:30—12:00，下午13:30—17:30（法定节假日除外）",
            "phone": "0631—8451000",
            "email": "zwgk@wendeng.example.cn",
            "website": "http://www.wendeng.gov.cn",
        },
        ("政务公开科", "法制科"),
    ),
    DemoAgency(
        "songcun",
        "威海市文登区宋村镇人民政府",
        "宋村镇",
        Level.TOWNSHIP,
        "11371081MB0001234",
        "wendeng",
        {
            "office_name": "威海市文登区宋村镇人民政府办公室",
            "address": "威海市文登区宋村镇昌阳路10号",
            "postcode": "264414",
            "office_hours": "工作日上午8:30—12:00，下午13:30—17:30（法定节假日除外）",
            "phone": "0631—8898088",
            "website": "http://www.wendeng.gov.cn",
            "wechat_account": "历史风韵 文化宋村",
        },
        ("党政办公室", "经济发展办公室", "社会事务办公室", "财政所"),
    ),
    DemoAgency(
        "gaocun",
        "威海市文登区高村镇人民政府",
        "高村镇",
        Level.TOWNSHIP,
        "11371081MB0002345",
        "wendeng",
        {
            "office_name": "威海市文登区高村镇人民政府党政办公室",
            "address": "威海市文登区高村镇政府驻地",
            "office_hours": "工作日上午8:30—12:00，下午13:30—17:30",
            "phone": "0631—8600000",
            "wechat_account": "印象高村",
        },
        ("党政办公室", "农业农村办公室"),
    ),
    DemoAgency(
        "zeku",
        "威海市文登区泽库镇人民政府",
        "泽库镇",
        Level.TOWNSHIP,
        "11371081MB0003456",
        "wendeng",
        {
            "office_name": "威海市文登区泽库镇人民政府党政办公室",
            "address": "威海市文登区泽库镇政府驻地",
            "office_hours": "工作日上午8:30—12:00，下午13:30—17:30",
            "phone": "0631—8700000",
        },
        ("党政办公室", "社会事务办公室"),
    ),
    DemoAgency(
        "minzheng",
        "威海市文登区民政局",
        "区民政局",
        Level.DEPARTMENT,
        "11371081MB0004567",
        "wendeng",
        {
            "office_name": "威海市文登区民政局办公室",
            "address": "威海市文登区龙山路66号",
            "office_hours": "工作日上午8:30—12:00，下午13:30—17:30",
            "phone": "0631—8450000",
        },
        ("办公室", "社会救助科", "养老服务科"),
    ),
)

# Every demo agency gets one user per working role; the district also gets a supervisor.
AGENCY_ROLES: tuple[tuple[str, str], ...] = (
    (Role.CLERK, "clerk"),
    (Role.DEPARTMENT_HEAD, "head"),
    (Role.SECRECY_REVIEWER, "secrecy"),
    (Role.LEADER, "leader"),
    (Role.OFFICE_ADMIN, "admin"),
)
ROLE_PERSON = {
    "clerk": "信息员",
    "head": "科室负责人",
    "secrecy": "保密审查员",
    "leader": "分管领导",
    "admin": "公开办管理员",
    "supervisor": "上级监管",
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    agency: str
    role: str


def demo_logins() -> list[DemoLogin]:
    logins = [DemoLogin("wendeng_supervisor", "威海市文登区人民政府（含全区）", "上级监管")]
    for spec in AGENCIES:
        for _, suffix in AGENCY_ROLES:
            logins.append(DemoLogin(f"{spec.slug}_{suffix}", spec.name, ROLE_PERSON[suffix]))
    return logins


def _user(username: str, full_name: str) -> Any:
    user_model = get_user_model()
    existing = user_model.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return user_create(
        actor=None, username=username, password=settings.GONGKAI_DEMO_PASSWORD, full_name=full_name
    )


def ensure_district() -> dict[str, Agency]:
    """Create the agencies, departments, users and roles that are missing. Idempotent."""
    agencies: dict[str, Agency] = {}
    with transaction.atomic():
        for spec in AGENCIES:
            agency = Agency.objects.filter(slug=spec.slug).first()
            if agency is None:
                agency = agency_create(
                    actor=None,
                    name=spec.name,
                    short_name=spec.short_name,
                    slug=spec.slug,
                    level=spec.level,
                    credit_code=credit_code(spec.code_body),
                    parent=agencies.get(spec.parent) if spec.parent else None,
                    **spec.profile,
                )
            agencies[spec.slug] = agency
            for name in spec.departments:
                if not Department.objects.filter(agency=agency, name=name).exists():
                    department_create(actor=None, agency=agency, name=name)
            first_department = Department.objects.filter(agency=agency).order_by("id").first()
            for role, suffix in AGENCY_ROLES:
                user = _user(f"{spec.slug}_{suffix}", f"{spec.short_name}{ROLE_PERSON[suffix]}")
                department = (
                    first_department if role in (Role.CLERK, Role.DEPARTMENT_HEAD) else None
                )
                membership_grant(
                    actor=None, user=user, agency=agency, role=role, department=department
                )
        supervisor = _user("wendeng_supervisor", "区政务公开办监管员")
        membership_grant(
            actor=None, user=supervisor, agency=agencies[DISTRICT], role=Role.SUPERVISOR
        )
    return agencies
