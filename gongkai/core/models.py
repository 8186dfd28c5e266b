"""Core models: the abstract BaseModel and the working-day calendar's own tables."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.core import clock


class BaseModel(models.Model):
    """Every domain row knows when it was created and last changed (times from core.clock)."""

    created_at = models.DateTimeField("创建时间", default=clock.now, editable=False)
    updated_at = models.DateTimeField("更新时间", default=clock.now)

    class Meta:
        abstract = True


class WorkdayOverride(BaseModel):
    """One date whose status differs from (or is not known to) chinesecalendar.

    Wins over the package. Typically entered by pasting the State Council's yearly notice.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {'班' if self.is_workday else '休'}"


class CalendarYear(BaseModel):
    """A year whose holiday notice has been entered in full: its dates are no longer provisional."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("依据", max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )

    class Meta:
        ordering = ["year"]
        verbose_name = "已录入节假日的年份"
        verbose_name_plural = "已录入节假日的年份"

    def __str__(self) -> str:
        return f"{self.year}年"
