"""The supervising office's records: the year's 政务公开工作要点 and their tasks, 人大建议/政协提案,
assessment sheets and results, and in-app notifications.

Fields, constraints and single-row properties only; writes live in `services.py`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models

from gongkai.agencies.models import Agency, Department
from gongkai.core.models import BaseModel


class WorkPlan(BaseModel):
    """政务公开工作要点: one per jurisdiction agency and year (e.g. the district's 2023 要点)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="work_plans", verbose_name="制定机关"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    source_document = models.CharField("来源文件", max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["-year", "agency"]
        verbose_name = "政务公开工作要点"
        verbose_name_plural = "政务公开工作要点"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["agency", "year"], name="work_plan_unique_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="work_plan_year_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


OVERDUE_LABEL = "已逾期"


class PlanTask(BaseModel):
    """One task of a work plan, with who answers for it, by when, and the evidence of completion.

    `overdue` is never stored: it is derived from `due_on` and today (`is_overdue`)."""

    plan = models.ForeignKey(
        WorkPlan, on_delete=models.CASCADE, related_name="tasks", verbose_name="工作要点"
    )
    order = models.PositiveIntegerField("序号", default=0)
    text = models.TextField("任务内容")
    responsible_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_tasks",
        verbose_name="责任单位",
    )
    responsible_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_tasks",
        verbose_name="责任科室",
    )
    due_on = models.DateField("完成时限", null=True, blank=True, db_index=True)
    status = models.CharField(
        "进展", max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    evidence = models.TextField("落实情况及佐证", blank=True)
    evidence_file = models.FileField("佐证材料", upload_to="supervision/%Y/", blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["plan", "order", "id"]
        verbose_name = "工作任务"
        verbose_name_plural = "工作任务"
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(responsible_agency__isnull=False)
                | models.Q(responsible_department__isnull=False),
                name="plan_task_has_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(status="done", completed_on__isnull=False)
                | (~models.Q(status="done") & models.Q(completed_on__isnull=True)),
                name="plan_task_done_iff_completed",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=TaskStatus.values), name="plan_task_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def owner_agency_id(self) -> int | None:
        """The agency that answers for the task (the department's agency when only that is set)."""
        if self.responsible_agency_id is not None:
            return self.responsible_agency_id
        return self.responsible_department.agency_id if self.responsible_department else None

    def is_overdue(self, today: dt.date) -> bool:
        return self.status != TaskStatus.DONE and self.due_on is not None and self.due_on < today

    def status_label(self, today: dt.date) -> str:
        return OVERDUE_LABEL if self.is_overdue(today) else str(self.get_status_display())


class ProposalKind(models.TextChoices):
    NPC = "npc", "人大代表建议"
    CPPCC = "cppcc", "政协委员提案"


class ProposalStatus(models.TextChoices):
    RECEIVED = "received", "已交办"
    IN_PROGRESS = "in_progress", "办理中"
    REPLIED = "replied", "已答复"


class Proposal(BaseModel):
    """A 人大代表建议 or 政协委员提案 handled by an agency, and whether its reply is public."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="proposals", verbose_name="承办机关"
    )
    kind = models.CharField("类别", max_length=10, choices=ProposalKind.choices)
    # The year of the 人代会/政协会议 session that assigned it: the report year it is counted in.
    year = models.PositiveSmallIntegerField("年度")
    number = models.CharField("编号", max_length=40)
    title = models.CharField("标题", max_length=200)
    proposer = models.CharField("提出人", max_length=100)
    received_on = models.DateField("交办日期", db_index=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    status = models.CharField(
        "办理状态", max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.RECEIVED
    )
    reply_published = models.BooleanField("答复已公开", default=False)
    reply_url = models.URLField("公开网址", blank=True)
    reply_item = models.ForeignKey(
        "publishing.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="公开信息",
    )

    class Meta:
        ordering: ClassVar = ["-received_on", "kind", "number"]
        verbose_name = "建议提案"
        verbose_name_plural = "建议提案"
        indexes: ClassVar = [
            models.Index(fields=["agency", "year"], name="proposal_agency_year_idx"),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kind", "year", "number"], name="proposal_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ProposalKind.values), name="proposal_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status="replied", replied_on__isnull=False)
                | (~models.Q(status="replied") & models.Q(replied_on__isnull=True)),
                name="proposal_replied_iff_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(reply_published=False) | models.Q(status="replied"),
                name="proposal_published_after_reply",
            ),
            models.CheckConstraint(
                condition=models.Q(replied_on__isnull=True)
                | models.Q(replied_on__gte=models.F("received_on")),
                name="proposal_reply_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}第{self.number}号 {self.title}"


class AssessmentSheet(BaseModel):
    """A jurisdiction's scoring sheet (考核评分表) for one year."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="assessment_sheets", verbose_name="考核机关"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)

    class Meta:
        ordering: ClassVar = ["-year", "agency"]
        verbose_name = "考核评分表"
        verbose_name_plural = "考核评分表"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["agency", "year"], name="assessment_sheet_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def max_total(self) -> int:
        return sum(c.max_score for c in self.criteria.all())


class Criterion(BaseModel):
    """One row of a sheet: computed from a registered metric (`metrics.METRICS`) or scored by hand
    (`metric` blank) with evidence attached."""

    sheet = models.ForeignKey(
        AssessmentSheet, on_delete=models.CASCADE, related_name="criteria", verbose_name="评分表"
    )
    order = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("考核内容", max_length=200)
    max_score = models.PositiveSmallIntegerField("分值")
    metric = models.CharField("数据来源", max_length=40, blank=True)

    class Meta:
        ordering: ClassVar = ["sheet", "order", "id"]
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["sheet", "name"], name="criterion_unique_name"),
            models.CheckConstraint(
                condition=models.Q(max_score__gte=1, max_score__lte=100),
                name="criterion_max_score_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manual(self) -> bool:
        return not self.metric


class Assessment(BaseModel):
    """One agency's result on a sheet (kept per year)."""

    sheet = models.ForeignKey(
        AssessmentSheet, on_delete=models.CASCADE, related_name="assessments", verbose_name="评分表"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="assessments", verbose_name="被考核机关"
    )
    total = models.DecimalField("总分", max_digits=6, decimal_places=1, default=0)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["sheet", "-total", "agency"]
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["sheet", "agency"], name="assessment_unique_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name} {self.total}"


class AssessmentScore(BaseModel):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name="考核结果"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name="考核指标"
    )
    figure = models.CharField("计算依据", max_length=200, blank=True)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, default=0)
    evidence = models.TextField("佐证说明", blank=True)
    evidence_file = models.FileField("佐证材料", upload_to="supervision/%Y/", blank=True)

    class Meta:
        ordering: ClassVar = ["assessment", "criterion__order", "criterion_id"]
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="assessment_score_unique"
            ),
            models.CheckConstraint(condition=models.Q(score__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion} {self.score}"


class NotificationKind(models.TextChoices):
    STALE_COLUMN = "stale_column", "栏目长期未更新"
    EMPTY_COLUMN = "empty_column", "空白栏目"
    UNDATED_ITEM = "undated_item", "信息缺少日期"
    LATE_PUBLICATION = "late_publication", "信息超期未公开"
    OPEN_FINDING = "open_finding", "个人信息扫描待处理"
    APPLICATION_OVERDUE = "application_overdue", "依申请公开超期"
    APPLICATION_DUE = "application_due", "依申请公开即将到期"
    REPORT_LATE = "report_late", "年度报告未按时发布"
    TASK_OVERDUE = "task_overdue", "工作要点任务逾期"
    PROPOSAL_OPEN = "proposal_open", "建议提案答复未公开"


class Notification(BaseModel):
    """An in-app notice to an agency (or one of its users). `key` identifies the shortfall, so that
    generating again does not repeat a notice that is still unread."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="notifications", verbose_name="机关"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="用户",
    )
    kind = models.CharField("类别", max_length=30, choices=NotificationKind.choices)
    key = models.CharField("事项标识", max_length=120)
    text = models.CharField("内容", max_length=500)
    link = models.CharField("链接", max_length=300, blank=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["agency", "key"],
                condition=models.Q(read_at__isnull=True),
                name="notification_one_unread_per_key",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class LinkCheckStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "检查中"
    DONE = "done", "已完成"
    FAILED = "failed", "未完成"


ACTIVE_LINK_CHECK = (LinkCheckStatus.QUEUED, LinkCheckStatus.RUNNING)


class LinkCheckRun(BaseModel):
    """One run of the self-inspection's link checker (a huey job) for an agency: whether the site
    and the agency's page answer, and the links of its published items that do not."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="link_check_runs", verbose_name="机关"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
    )
    # The site's own address: site-relative links resolve against it; it is the only internal
    # address the checker fetches.
    base_url = models.CharField("网站地址", max_length=300)
    status = models.CharField(
        "状态", max_length=10, choices=LinkCheckStatus.choices, default=LinkCheckStatus.QUEUED
    )
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    site_status = models.PositiveSmallIntegerField("首页状态码", null=True, blank=True)
    page_status = models.PositiveSmallIntegerField("机关页面状态码", null=True, blank=True)
    links_found = models.PositiveIntegerField("链接总数", default=0)
    links_checked = models.PositiveIntegerField("已检查链接", default=0)
    # The links that failed: [{"item": pk, "url": str, "status": int | None, "error": str}].
    broken = models.JSONField("不可用链接", default=list, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = "链接检查"
        verbose_name_plural = "链接检查"
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["agency"],
                condition=models.Q(status__in=["queued", "running"]),
                name="link_check_one_active_per_agency",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=LinkCheckStatus.values),
                name="link_check_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} 链接检查 {self.get_status_display()}"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_LINK_CHECK


class DepartmentAssessment(BaseModel):
    """One department's (科室's) result on a sheet: the criteria that can be measured per
    department (`metrics.Metric.per_department`), scored out of their own maximum."""

    sheet = models.ForeignKey(
        AssessmentSheet,
        on_delete=models.CASCADE,
        related_name="department_assessments",
        verbose_name="评分表",
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="assessments", verbose_name="科室"
    )
    total = models.DecimalField("得分", max_digits=6, decimal_places=1, default=0)
    max_total = models.PositiveSmallIntegerField("适用指标满分", default=0)
    # [{"criterion": pk, "figure": str, "score": "12.5"}] for each applicable criterion.
    scores = models.JSONField("指标得分", default=list, blank=True)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["sheet", "department__agency", "department__name"]
        verbose_name = "科室考核结果"
        verbose_name_plural = "科室考核结果"
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["sheet", "department"], name="department_assessment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.total}/{self.max_total}"

    @property
    def percent(self) -> Decimal | None:
        """The score on a 100-point scale (None when no criterion applies)."""
        if not self.max_total:
            return None
        return (Decimal(self.total) * 100 / self.max_total).quantize(Decimal("0.1"))
