"""The agency tree, departments (科室) and staff memberships with roles."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from gongkai.core.models import BaseModel


class Level(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "设区的市级"
    COUNTY = "county", "县（区）级"
    TOWNSHIP = "township", "乡镇（街道）"
    DEPARTMENT = "department", "政府部门"


class Role(models.TextChoices):
    CLERK = "clerk", "信息员"
    DEPARTMENT_HEAD = "department_head", "科室负责人"
    SECRECY_REVIEWER = "secrecy_reviewer", "保密审查员"
    LEADER = "leader", "分管领导"
    OFFICE_ADMIN = "office_admin", "公开办管理员"
    SUPERVISOR = "supervisor", "上级监管"


class Agency(BaseModel):
    """An agency with its own disclosure duties (a township, a department, a district government).

    `path` is the materialised path of primary keys ("/1/4/"), so a subtree is one indexed prefix query.
    """

    name = models.CharField("机关全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40)
    slug = models.SlugField("网址标识", max_length=60, unique=True)
    level = models.CharField("层级", max_length=20, choices=Level.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级机关",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sort_order = models.PositiveIntegerField("排序", default=0)

    # The profile that the 政府信息公开指南 and the annual report's preamble print.
    office_name = models.CharField("信息公开工作机构", max_length=100, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    fax = models.CharField("传真", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    website = models.URLField("网站", blank=True)
    wechat_account = models.CharField("政务新媒体（微信公众号）", max_length=100, blank=True)

    # Annual report deadline for agencies in this jurisdiction (inherited down the tree); unset means
    # the statutory 31 January (条例第四十九条).
    report_deadline_month = models.PositiveSmallIntegerField("年报截止月", null=True, blank=True)
    report_deadline_day = models.PositiveSmallIntegerField("年报截止日", null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["path", "sort_order", "id"]
        verbose_name = "机关"
        verbose_name_plural = "机关"
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(report_deadline_month__isnull=True)
                | models.Q(report_deadline_month__gte=1, report_deadline_month__lte=12),
                name="agency_deadline_month_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2 if self.path else 0


class Department(BaseModel):
    """A 科室 (internal office) of an agency: the unit that drafts items and answers for them."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="departments", verbose_name="机关"
    )
    name = models.CharField("科室名称", max_length=60)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering: ClassVar = ["agency", "name"]
        verbose_name = "科室"
        verbose_name_plural = "科室"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["agency", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name}·{self.name}"


class Membership(BaseModel):
    """A user's role in an agency. SUPERVISOR covers the agency's whole subtree, read-only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="用户",
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name="机关"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="科室",
    )

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency.short_name} · {self.get_role_display()}"
