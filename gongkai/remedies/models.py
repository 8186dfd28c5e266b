"""行政复议 and 行政诉讼 cases about applications for information (procedures.md §6; table 4)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application
from gongkai.core.models import BaseModel


class CaseKind(models.TextChoices):
    # Keys are table 4's group keys (annual-report.md §4); the names are ours.
    REVIEW = "review", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"


class CaseOutcome(models.TextChoices):
    # Keys are table 4's column keys; `pending` while undecided.
    UPHELD = "upheld", "维持"
    CORRECTED = "corrected", "纠正（撤销、变更、确认违法或责令重作）"
    OTHER = "other", "其他（撤回、驳回等）"
    PENDING = "pending", "尚未审结"


class Case(BaseModel):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="remedy_cases", verbose_name="申请"
    )
    # The agency whose act is challenged: the handling agency of the application (denormalised so
    # that table 4 is one indexed query).
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="remedy_cases", verbose_name="被申请机关"
    )
    kind = models.CharField("类别", max_length=30, choices=CaseKind.choices)
    body = models.CharField("复议机关或人民法院", max_length=100)
    reference = models.CharField("案号", max_length=60, blank=True)
    filed_on = models.DateField("申请或起诉日期")
    decided_on = models.DateField("审结日期", null=True, blank=True)
    outcome = models.CharField(
        "结果", max_length=20, choices=CaseOutcome.choices, default=CaseOutcome.PENDING
    )
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )

    class Meta:
        ordering: ClassVar = ["-filed_on", "-id"]
        verbose_name = "复议诉讼案件"
        verbose_name_plural = "复议诉讼案件"
        indexes: ClassVar = [
            models.Index(fields=["agency", "filed_on"], name="remedy_case_agency_idx"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(kind__in=CaseKind.values), name="remedy_case_kind_valid"
            ),
            # 尚未审结 exactly while there is no decision date.
            models.CheckConstraint(
                condition=models.Q(outcome="pending", decided_on__isnull=True)
                | models.Q(
                    outcome__in=["upheld", "corrected", "other"],
                    decided_on__isnull=False,
                    decided_on__gte=models.F("filed_on"),
                ),
                name="remedy_case_decision_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on.isoformat()}"
