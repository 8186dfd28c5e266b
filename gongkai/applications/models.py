"""Applications for information (依申请公开) and their event ledger.

No workflow here: statuses change only in `services.application_transition`. The deadline columns
are derived from the ledger (`deadlines.compute_deadlines`) and stored so that queues can sort and
filter by them with an index.
"""

from __future__ import annotations

import secrets
from pathlib import PurePath
from typing import ClassVar

from django.conf import settings
from django.db import models

from gongkai.agencies.models import Agency, Department
from gongkai.applications.intake import mask_id, mask_phone
from gongkai.applications.states import (
    APPLICANT_COLUMNS,
    ENDING_NAMES,
    FINISHED_STATUSES,
    REPLY_TYPE_BY_KEY,
    RESULT_ROWS,
    EventKind,
    Status,
)
from gongkai.core import clock
from gongkai.core.models import BaseModel


class ApplicantType(models.TextChoices):
    # Keys are table 3's column keys (annual-report.md §3); the names are ours, for the form.
    NATURAL_PERSON = "natural_person", "自然人"
    BUSINESS = "business", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICES = "legal_services", "法律服务机构"
    OTHER_ORG = "other_org", "其他法人或非法人组织"


assert tuple(ApplicantType.values) == APPLICANT_COLUMNS  # noqa: S101


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    OTHER = "other", "其他有效身份证件（护照、港澳台居民居住证等）"


class FormWanted(models.TextChoices):
    PAPER = "paper", "纸质文本"
    ELECTRONIC = "electronic", "电子文档"
    OTHER = "other", "其他形式"


class Delivery(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "当面领取"
    ONLINE = "online", "在线查看（本平台）"


class Channel(models.TextChoices):
    ONLINE = "online", "网上申请（本平台）"
    IN_PERSON = "in_person", "当面提交"
    POST_SIGNED = "post_signed", "邮寄（挂号信、EMS等需签收）"
    POST_ORDINARY = "post_ordinary", "邮寄（平信）"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"


_finished = sorted(FINISHED_STATUSES)


class Application(BaseModel):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="applications", verbose_name="受理机关"
    )
    tracking_code = models.CharField("查询码", max_length=16, unique=True)

    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType.choices)
    applicant_name = models.CharField("申请人姓名或名称", max_length=100)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices)
    id_number = models.CharField("证件号码", max_length=40)
    phone = models.CharField("联系电话", max_length=20)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)

    description = models.TextField("所需政府信息的名称、文号或者便于查询的其他特征性描述")
    purpose = models.TextField("用途（选填）", blank=True)
    form_wanted = models.CharField("信息的载体形式", max_length=20, choices=FormWanted.choices)
    delivery = models.CharField("获取信息的方式", max_length=20, choices=Delivery.choices)
    channel = models.CharField("提交方式", max_length=20, choices=Channel.choices)

    # 条例第三十一条: the receipt date depends on the channel (procedures.md §2).
    arrived_on = models.DateField("送达日期", null=True, blank=True)
    received_on = models.DateField("收到申请之日", db_index=True)

    status = models.CharField(
        "办理状态", max_length=30, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="承办科室",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name="承办人",
    )

    # Stored deadlines (derived from the ledger by services; recomputed when the calendar changes).
    correction_notice_due = models.DateField("补正告知期限", null=True, blank=True)
    correction_due = models.DateField("补正期限", null=True, blank=True)
    reply_due = models.DateField("答复期限", null=True, blank=True, db_index=True)
    extension_notice_due = models.DateField("延期告知期限", null=True, blank=True)
    fee_due = models.DateField("缴费期限", null=True, blank=True)
    provisional = models.BooleanField("期限为暂定", default=False)
    extended = models.BooleanField("已延期", default=False)

    # The outcome: one table-3 result row, set when the procedure ends (reply, lapse, withdrawal).
    outcome = models.CharField(
        "办理结果（年报表三）", max_length=40, blank=True, choices=[(r, r) for r in RESULT_ROWS]
    )
    outcome_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    reply_type = models.CharField("答复类型", max_length=30, blank=True)
    reply_basis = models.CharField("法律依据", max_length=300, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    transferred_to = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="告知或转办的机关",
    )
    fee_amount = models.PositiveIntegerField("信息处理费（元）", null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-received_on", "-id"]
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        indexes: ClassVar = [
            models.Index(fields=["agency", "status", "reply_due"], name="application_queue_idx"),
            models.Index(fields=["agency", "received_on"], name="application_received_idx"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(applicant_type__in=APPLICANT_COLUMNS),
                name="application_applicant_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="application_channel_valid"
            ),
            # One outcome exactly when the procedure has ended, dated (annual-report.md §3).
            models.CheckConstraint(
                condition=(
                    models.Q(
                        status__in=_finished,
                        outcome__in=RESULT_ROWS,
                        outcome_on__isnull=False,
                    )
                    | (
                        ~models.Q(status__in=_finished)
                        & models.Q(outcome="", outcome_on__isnull=True)
                    )
                ),
                name="application_outcome_iff_finished",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome_on__isnull=True)
                | models.Q(outcome_on__gte=models.F("received_on")),
                name="application_outcome_after_receipt",
            ),
            models.CheckConstraint(
                condition=models.Q(arrived_on__isnull=True)
                | models.Q(received_on__gte=models.F("arrived_on")),
                name="application_receipt_not_before_arrival",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code}（{self.agency.short_name}）"

    @property
    def is_open(self) -> bool:
        return self.status not in FINISHED_STATUSES

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def id_masked(self) -> str:
        return mask_id(self.id_number)

    @property
    def reply_type_name(self) -> str:
        reply = REPLY_TYPE_BY_KEY.get(self.reply_type)
        return reply.name if reply else ENDING_NAMES.get(self.outcome, "")


class ApplicationEvent(models.Model):
    """One line of the ledger. Append-only: services create rows and never change them."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="events", verbose_name="申请"
    )
    kind = models.CharField("事项", max_length=30, choices=EventKind.choices)
    from_status = models.CharField("原状态", max_length=30, blank=True)
    to_status = models.CharField("新状态", max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="经办人",
    )
    reason = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    at = models.DateTimeField("记录时间", default=clock.now)
    on_date = models.DateField("发生日期")

    class Meta:
        ordering: ClassVar = ["at", "id"]
        verbose_name = "申请办理记录"
        verbose_name_plural = "申请办理记录"
        indexes: ClassVar = [
            models.Index(fields=["application", "kind"], name="application_event_kind_idx"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values), name="application_event_kind_valid"
            ),
            # 条例第三十条、第三十三条: one 补正 notice and one extension per application.
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=models.Q(kind__in=["correction_requested", "extended", "received"]),
                name="application_event_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.on_date.isoformat()} {self.get_kind_display()}"


def attachment_path(instance: ApplicationAttachment, filename: str) -> str:
    """A random stored name: the original name (often a person's name) stays in the row only."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"applications/{instance.application_id}/{secrets.token_hex(12)}{suffix}"


class ApplicationAttachment(BaseModel):
    """A file that came with the application (proof of identity, a 补正 …). Never served publicly:
    the workbench streams it to the handling staff only."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="attachments", verbose_name="申请"
    )
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )

    class Meta:
        ordering: ClassVar = ["created_at", "id"]
        verbose_name = "申请附件"
        verbose_name_plural = "申请附件"

    def __str__(self) -> str:
        return self.name
