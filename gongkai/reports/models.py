"""Annual reports as records: one per agency and year, its published versions and its ledger.

The working text and tables live in `ReportRecord.draft` as the canonical JSON of spec §5 (the
`AnnualReport` value); every publication freezes that JSON into a `ReportVersion`. Status changes
are written only by `services.report_transition`, which appends a `ReportEvent`.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from gongkai.agencies.models import Agency
from gongkai.core import clock
from gongkai.core.models import BaseModel
from gongkai.reports.states import Status, TableSource

# The 2021 format applies from the 2021 reports on; earlier years are read, never written here.
FIRST_YEAR = 2021
LAST_YEAR = 2100


class ReportRecord(BaseModel):
    """One agency's 政府信息公开工作年度报告 for one year, with its working draft."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="report_records", verbose_name="机关"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    draft = models.JSONField("工作稿（规范 JSON）")
    table_source = models.CharField(
        "表格来源", max_length=20, choices=TableSource.choices, default=TableSource.RECORDS
    )
    pending_change_note = models.TextField("更正说明（下次发布时使用）", blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["agency", "-year"]
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["agency", "year"], name="report_record_unique_year"),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="report_record_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(table_source__in=TableSource.values),
                name="report_record_table_source_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="report_record_year_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name}{self.year}年年度报告（{self.get_status_display()}）"


class ReportVersion(models.Model):
    """A published version: the frozen canonical JSON, with its publication date and change note.

    Version 1 is the first publication; every later version is a correction and says what changed.
    """

    record = models.ForeignKey(
        ReportRecord, on_delete=models.PROTECT, related_name="versions", verbose_name="年度报告"
    )
    number = models.PositiveIntegerField("版本号")
    report = models.JSONField("发布稿（规范 JSON）")
    published_on = models.DateField("发布日期")
    published_at = models.DateTimeField("发布时间", default=clock.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    change_note = models.TextField("更正说明", blank=True)

    class Meta:
        ordering: ClassVar = ["record", "-number"]
        verbose_name = "年度报告发布版本"
        verbose_name_plural = "年度报告发布版本"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["record", "number"], name="report_version_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="report_version_number_positive"
            ),
            # A correction is published with a visible note of what changed.
            models.CheckConstraint(
                condition=models.Q(number=1) | ~models.Q(change_note=""),
                name="report_version_correction_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record}第{self.number}版"

    @property
    def is_correction(self) -> bool:
        return self.number > 1


class ReportEvent(models.Model):
    """The report's ledger: every status change, who made it, why, and when."""

    record = models.ForeignKey(
        ReportRecord, on_delete=models.PROTECT, related_name="events", verbose_name="年度报告"
    )
    action = models.CharField("操作", max_length=20)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    comment = models.TextField("意见或说明", blank=True)
    at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        ordering: ClassVar = ["record", "at", "id"]
        verbose_name = "年度报告流转记录"
        verbose_name_plural = "年度报告流转记录"

    def __str__(self) -> str:
        return f"{self.record} {self.from_status or '—'}→{self.to_status}"

    @property
    def from_label(self) -> str:
        return Status(self.from_status).label if self.from_status else ""

    @property
    def to_label(self) -> str:
        return str(Status(self.to_status).label)


class RenderState(models.TextChoices):
    PENDING = "pending", "排队中"
    RENDERING = "rendering", "正在生成"
    DONE = "done", "已生成"
    FAILED = "failed", "生成失败"


class RenderedFile(models.Model):
    """A DOCX or PDF file of a report, rendered once by a background job and kept on the storage.

    Keyed by the digest of the canonical JSON it was rendered from, so a published version (frozen)
    is rendered once per format, and a working draft again only after it changed. `report` is the
    snapshot the job renders, so a draft edited meanwhile cannot change a file already asked for.
    """

    record = models.ForeignKey(
        ReportRecord,
        on_delete=models.CASCADE,
        related_name="rendered_files",
        verbose_name="年度报告",
    )
    version = models.ForeignKey(
        ReportVersion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rendered_files",
        verbose_name="发布版本（工作稿为空）",
    )
    file_format = models.CharField("格式", max_length=8)
    digest = models.CharField("内容摘要（SHA-256）", max_length=64)
    report = models.JSONField("生成所依据的报告（规范 JSON）")
    state = models.CharField(
        "状态", max_length=12, choices=RenderState.choices, default=RenderState.PENDING
    )
    file = models.FileField("文件", upload_to="reports/rendered/", max_length=200, blank=True)
    error = models.CharField("失败原因", max_length=200, blank=True)
    requested_at = models.DateTimeField("请求时间", default=clock.now)
    started_at = models.DateTimeField("开始生成时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["record", "-requested_at"]
        verbose_name = "年度报告文件"
        verbose_name_plural = "年度报告文件"
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["digest", "file_format"], name="rendered_file_unique_content"
            ),
            models.CheckConstraint(
                condition=models.Q(file_format__in=["docx", "pdf"]),
                name="rendered_file_format_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=RenderState.values), name="rendered_file_state_valid"
            ),
            # A finished file has its file; nothing else claims to be done.
            models.CheckConstraint(
                condition=~models.Q(state="done") | ~models.Q(file=""),
                name="rendered_file_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record} {self.file_format}（{self.get_state_display()}）"
