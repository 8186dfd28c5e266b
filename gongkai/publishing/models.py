"""主动公开: columns, catalogue items (政府信息公开目录), review, scanner findings, channels, registers.

Fields, constraints and single-row properties only: the workflow lives in `states.py` and
`services/`. Raw personal data found by the scanner is never stored: a ScanFinding keeps the masked
form and where it was found.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from gongkai.agencies.models import Agency, Department, Role
from gongkai.core.models import BaseModel
from gongkai.publishing.scanner import KIND_LABELS, FindingKind

# 第二十条 has 15 items; 第二十一条 (city, county and township governments) is stored as 16.
ARTICLE_21 = 16
ARTICLE20_NUMERALS = (
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
)
ARTICLE20_CHOICES: list[tuple[int, str]] = [
    (number, f"第二十条第（{numeral}）项") for number, numeral in enumerate(ARTICLE20_NUMERALS, 1)
] + [(ARTICLE_21, "第二十一条")]


class ColumnKind(models.TextChoices):
    GUIDE = "guide", "政府信息公开指南"
    RULES = "rules", "政府信息公开制度"
    STATUTORY = "statutory", "法定主动公开内容"
    ANNUAL_REPORT = "annual_report", "政府信息公开年报"
    SITE = "site", "其他栏目"


class ColumnType(models.TextChoices):
    """How fast a column must be updated (19号: news 2 weeks, notice/policy 6 months)."""

    NEWS = "news", "动态类"
    NOTICE = "notice", "公告类"
    POLICY = "policy", "政策类"


class Column(BaseModel):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="columns", verbose_name="机关"
    )
    name = models.CharField("栏目名称", max_length=60)
    slug = models.SlugField("网址标识", max_length=60)
    kind = models.CharField("栏目类别", max_length=20, choices=ColumnKind.choices)
    article20_item = models.PositiveSmallIntegerField(
        "第二十条事项", choices=ARTICLE20_CHOICES, null=True, blank=True
    )
    column_type = models.CharField(
        "栏目类型", max_length=10, choices=ColumnType.choices, default=ColumnType.NOTICE
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级栏目",
    )
    order = models.PositiveIntegerField("排序", default=0)
    intro = models.TextField("栏目说明", blank=True)
    # The column editor (services/columns.py): a hidden column is left out of the site's
    # navigation; an archived one (deleted while it still had items) takes no new items. Both keep
    # their pages and items reachable at the same URL.
    hidden = models.BooleanField("在网站导航中隐藏", default=False)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["agency", "order", "id"]
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["agency", "slug"], name="column_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(article20_item__isnull=True)
                | models.Q(article20_item__gte=1, article20_item__lte=ARTICLE_21),
                name="column_article20_item_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def meta_column_type(self) -> str:
        """The page meta tag ColumnType (47号): the section a column belongs to."""
        return self.name if self.kind == ColumnKind.SITE else "政府信息公开"

    @property
    def is_statutory(self) -> bool:
        """指南, 制度, 法定主动公开内容 and its sub-columns, 年报 (61号): fixed, never renamed or deleted."""
        return self.kind != ColumnKind.SITE

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class RetiredColumnSlug(models.Model):
    """The slug of a deleted column: never given to another column of the agency, so that an old
    portal URL never shows different content."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField("网址标识", max_length=60)
    name = models.CharField("原栏目名称", max_length=60)
    retired_at = models.DateTimeField("删除时间")

    class Meta:
        verbose_name = "已删除栏目的网址标识"
        verbose_name_plural = "已删除栏目的网址标识"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["agency", "slug"], name="retired_column_slug_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.slug}"


class IndexCounter(models.Model):
    """The last 索引号 sequence number per agency and year. Locked with select_for_update; never
    decremented, so a number once given is never given again."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["agency", "year"], name="index_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


DEFAULT_INDEX_PATTERN = "{code}/{year}-{seq}"


class IndexPattern(BaseModel):
    """A jurisdiction's 索引号 pattern: it applies to the agency and its whole subtree, unless an
    agency below sets its own. Placeholders: {code} 统一社会信用代码, {year}, {seq} (zero-padded to
    `digits`). Changing it affects new numbers only: a given 索引号 never changes."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="index_pattern", verbose_name="机关"
    )
    pattern = models.CharField("索引号格式", max_length=100, default=DEFAULT_INDEX_PATTERN)
    digits = models.PositiveSmallIntegerField("序号位数", default=5)

    class Meta:
        verbose_name = "索引号格式"
        verbose_name_plural = "索引号格式"
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(digits__gte=3, digits__lte=8), name="index_pattern_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.pattern

    def render(self, code: str, year: int, seq: int) -> str:
        return (
            self.pattern.replace("{code}", code)
            .replace("{year}", str(year))
            .replace("{seq}", str(seq).zfill(self.digits))
        )


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审核中"
    RETURNED = "returned", "已退回"
    SCHEDULED = "scheduled", "待定时发布"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤稿"


class Disclosure(models.TextChoices):
    ACTIVE = "active", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    WITHHELD = "withheld", "不予公开"


class DocKind(models.TextChoices):
    REGULATION = "regulation", "规章"
    NORMATIVE = "normative_document", "行政规范性文件"
    INTERPRETATION = "interpretation", "政策解读"
    OTHER = "other", "其他"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"


class Item(BaseModel):
    """One catalogue entry (政府信息公开目录) with the metadata of platform.md §3."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="items", verbose_name="发布机构"
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name="承办科室",
    )
    column = models.ForeignKey(
        Column, on_delete=models.PROTECT, related_name="items", verbose_name="栏目"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="起草人",
    )
    index_no = models.CharField("索引号", max_length=60, unique=True)
    title = models.CharField("名称", max_length=200)
    summary = models.TextField("内容概述", blank=True)
    body = models.TextField("正文", blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    # 第二十六条: published within 20 working days of being formed or changed.
    formed_on = models.DateField("信息形成或变更日期")
    publish_due = models.DateField("应公开日期", db_index=True)
    published_at = models.DateTimeField("发布日期", null=True, blank=True, db_index=True)
    scheduled_at = models.DateTimeField("定时发布时间", null=True, blank=True, db_index=True)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    topic = models.CharField("主题分类", max_length=40, blank=True)
    article20_item = models.PositiveSmallIntegerField(
        "第二十条事项", choices=ARTICLE20_CHOICES, null=True, blank=True
    )
    disclosure = models.CharField(
        "公开属性", max_length=12, choices=Disclosure.choices, default=Disclosure.ACTIVE
    )
    disclosure_reason = models.CharField("不公开理由", max_length=200, blank=True)
    doc_kind = models.CharField(
        "文件类别", max_length=20, choices=DocKind.choices, default=DocKind.OTHER
    )
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, blank=True)
    validity_changed_on = models.DateField("失效或废止日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=ItemStatus.choices, default=ItemStatus.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        ordering: ClassVar = ["-published_at", "-id"]
        verbose_name = "公开信息"
        verbose_name_plural = "公开信息"
        indexes: ClassVar = [
            models.Index(fields=["agency", "status", "published_at"], name="item_agency_pub"),
            # A column's list, newest first, without sorting the whole column (portal).
            models.Index(fields=["column", "status", "published_at"], name="item_column_pub"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="item_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.index_no} {self.title}"

    @property
    def has_validity(self) -> bool:
        return self.doc_kind in (DocKind.REGULATION, DocKind.NORMATIVE)

    @property
    def is_interpretation(self) -> bool:
        return self.doc_kind == DocKind.INTERPRETATION

    @property
    def is_policy(self) -> bool:
        """A policy document a 政策解读 may interpret: a 规章 or 规范性文件, or any item filed under a
        policy-type column (政策文件), other than an interpretation itself."""
        if self.doc_kind == DocKind.INTERPRETATION:
            return False
        return self.has_validity or self.column.column_type == ColumnType.POLICY


class ItemVersion(models.Model):
    """Every saved version of an item, kept for the record."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    title = models.CharField("名称", max_length=200)
    summary = models.TextField("内容概述", blank=True)
    body = models.TextField("正文", blank=True)
    metadata = models.JSONField("元数据", default=dict)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField("保存时间")
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        ordering: ClassVar = ["item", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"


class Attachment(BaseModel):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="publishing/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    file_type = models.CharField("文件类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name="替换的旧版本",
    )
    is_current = models.BooleanField("当前版本", default=True)
    struck = models.BooleanField("已删除", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["item", "id"]
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.name


class FindingStatus(models.TextChoices):
    OPEN = "open", "待处理"
    MASKED = "masked", "已遮盖"
    OVERRIDDEN = "overridden", "审核人确认可公开"


class FindingField(models.TextChoices):
    TITLE = "title", "名称"
    SUMMARY = "summary", "内容概述"
    BODY = "body", "正文"
    ATTACHMENT = "attachment", "附件"


class ScanFinding(BaseModel):
    """One scanner finding. Keeps the masked form only, never the raw value."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="findings")
    attachment = models.ForeignKey(
        Attachment, on_delete=models.CASCADE, null=True, blank=True, related_name="findings"
    )
    field = models.CharField("位置类别", max_length=12, choices=FindingField.choices)
    kind = models.CharField("类别", max_length=20)
    masked = models.CharField("遮盖后", max_length=300)
    location = models.CharField("位置", max_length=200, blank=True)
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=FindingStatus.choices,
        default=FindingStatus.OPEN,
        db_index=True,
    )
    resolution = models.CharField("处理说明", max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["item", "field", "start", "id"]
        verbose_name = "扫描发现"
        verbose_name_plural = "扫描发现"

    def __str__(self) -> str:
        return f"{self.kind} {self.masked}"

    @property
    def label(self) -> str:
        try:
            return KIND_LABELS[FindingKind(self.kind)]
        except ValueError:
            return self.kind


class ReviewStepConfig(BaseModel):
    """The review steps of one agency, in order. No rows means the default three steps."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="review_steps")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("环节名称", max_length=30)
    role = models.CharField("审核岗位", max_length=30, choices=Role.choices)

    class Meta:
        ordering: ClassVar = ["agency", "order"]
        verbose_name = "审核环节设置"
        verbose_name_plural = "审核环节设置"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["agency", "order"], name="review_step_config_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "审核中"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


class Review(BaseModel):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(
        "状态", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    item_version = models.PositiveIntegerField("送审版本")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at", "-id"]
        verbose_name = "审核"
        verbose_name_plural = "审核"
        constraints: ClassVar = [
            # 先审后发: one review in progress per item at a time.
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(status="open"),
                name="review_one_open_per_item",
            ),
        ]

    def __str__(self) -> str:
        return f"审核#{self.pk}（{self.get_status_display()}）"


class Decision(models.TextChoices):
    APPROVE = "approve", "通过"
    RETURN = "return", "退回"


class ReviewStep(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("环节名称", max_length=30)
    role = models.CharField("审核岗位", max_length=30, choices=Role.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField("审核意见", max_length=10, choices=Decision.choices, blank=True)
    comment = models.TextField("审核说明", blank=True)

    class Meta:
        ordering: ClassVar = ["review", "order"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["review", "order"], name="review_step_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Withdrawal(BaseModel):
    """撤稿: kept in the record with its reason."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="withdrawals")
    reason = models.TextField("撤稿理由")
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # 撤稿后重新发布: the item was taken back into drafting to be revised and reviewed again.
    reopened_at = models.DateTimeField("重新起草时间", null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField("重新起草说明", blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = "撤稿记录"
        verbose_name_plural = "撤稿记录"

    def __str__(self) -> str:
        return f"{self.item_id} 撤稿"


class InterpretationLink(BaseModel):
    """A 政策解读 item and a policy document it interprets (shown both ways: 解读的文件 / 相关解读)."""

    interpretation = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="interpreted_links", verbose_name="政策解读"
    )
    policy = models.ForeignKey(
        Item,
        on_delete=models.CASCADE,
        related_name="interpretation_links",
        verbose_name="解读的文件",
    )

    class Meta:
        ordering: ClassVar = ["interpretation", "id"]
        verbose_name = "政策解读关联"
        verbose_name_plural = "政策解读关联"
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["interpretation", "policy"], name="interpretation_link_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(interpretation=models.F("policy")),
                name="interpretation_link_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interpretation_id} → {self.policy_id}"


class ChannelKind(models.TextChoices):
    WEBSITE = "website", "政府网站"
    WECHAT = "wechat", "微信公众号"
    OTHER = "other", "其他渠道"


class Channel(BaseModel):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="channels")
    kind = models.CharField("渠道类型", max_length=10, choices=ChannelKind.choices)
    name = models.CharField("渠道名称", max_length=100)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering: ClassVar = ["agency", "order", "id"]
        verbose_name = "发布渠道"
        verbose_name_plural = "发布渠道"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["agency", "name"], name="channel_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ChannelMonthlyStat(BaseModel):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="stats")
    year = models.PositiveSmallIntegerField("年份")
    month = models.PositiveSmallIntegerField("月份")
    items = models.PositiveIntegerField("发布条数", default=0)
    reads = models.PositiveIntegerField("阅读量", default=0)

    class Meta:
        ordering: ClassVar = ["channel", "year", "month"]
        verbose_name = "渠道月度统计"
        verbose_name_plural = "渠道月度统计"
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["channel", "year", "month"], name="channel_stat_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="channel_stat_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.year}-{self.month:02d}"


class RegisterYear(BaseModel):
    """Table 2's yearly counts (第二十条第（五）（六）（八）项). Money in integer fen."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="registers")
    year = models.PositiveSmallIntegerField("年份")
    licensing = models.PositiveIntegerField("行政许可处理决定数量", default=0)
    punishment = models.PositiveIntegerField("行政处罚处理决定数量", default=0)
    coercion = models.PositiveIntegerField("行政强制处理决定数量", default=0)
    fees_fen = models.PositiveBigIntegerField("行政事业性收费金额（分）", default=0)

    class Meta:
        ordering: ClassVar = ["agency", "-year"]
        verbose_name = "年度登记数据"
        verbose_name_plural = "年度登记数据"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["agency", "year"], name="register_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}"

    @property
    def fees_yuan(self) -> str:
        return f"{self.fees_fen // 100}.{self.fees_fen % 100:02d}"


# --- whole-site search (publishing/search.py) -------------------------------------------------------


class SearchDocument(models.Model):
    """A published item as the search index sees it: the filter fields and the searched text
    (title, then a newline, then summary and the body's plain text up to a limit, in their
    original case). One row per published item; withdrawn items have none."""

    item = models.OneToOneField(
        Item, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    column = models.ForeignKey(Column, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("结果类别", max_length=12)
    published_at = models.DateTimeField("发布日期")
    text = models.TextField("检索文本")

    class Meta:
        # With the item id last, the ids a filter leaves are read from the index alone
        # (search._filter_ids): on SQLite the item id is not the rowid.
        indexes: ClassVar = [
            models.Index(fields=["agency", "published_at", "item"], name="search_doc_agency_ids"),
            models.Index(fields=["column", "published_at"], name="search_doc_column"),
            models.Index(fields=["published_at", "item"], name="search_doc_published_ids"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}"


class SearchPosting(models.Model):
    """The ids of the documents containing one character or character pair (`gram`), for one
    block of 4,096 item ids: sorted unsigned 32-bit integers, native byte order."""

    gram = models.CharField(max_length=2)
    block = models.PositiveIntegerField()
    count = models.PositiveIntegerField()
    ids = models.BinaryField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["gram", "block"], name="search_posting_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.gram} {self.block}"


class SearchIndexState(models.Model):
    """One row: the version of what the public site shows. Every change to published content
    bumps it (in the writing transaction), which invalidates the portal's page cache; locking the
    row also serialises writers of the search index."""

    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"v{self.version}"
