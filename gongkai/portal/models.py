"""The portal's own rows: public pages rendered when their content changes (`portal/pages.py`).

A derived store, like the search index: every row can be rebuilt from the catalogue at any time
(`gongkai portal_render`), and no person writes it, so it has no audit rows of its own; the
changes that cause a page to be rendered again are audited where they are made.
"""

from __future__ import annotations

from django.db import models

from gongkai.agencies.models import Agency
from gongkai.publishing.models import Item


class PageKind(models.TextChoices):
    ITEM = "item", "信息页"
    COLUMN = "column", "栏目页"
    SECTION = "section", "政府信息公开首页"


class RenderedPage(models.Model):
    """One public page's own parts (title, meta tags, content…), rendered ahead of any visit.

    `parts` holds the parts joined by `pages.PART_SEPARATOR`, compressed with zlib; the page is
    served by putting them into the site's shell (`pages.Shell`). `fingerprint` names the
    templates, code and site settings it was rendered with: a row whose fingerprint is not the
    running code's is never served.
    """

    path = models.CharField("网址", max_length=255, unique=True)
    kind = models.CharField("页面类别", max_length=16, choices=PageKind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    parts = models.BinaryField("页面内容")
    fingerprint = models.CharField("模板指纹", max_length=16)
    rendered_at = models.DateTimeField("生成时间")

    class Meta:
        db_table = "portal_renderedpage"  # named in pages.stored_parts' SQL
        verbose_name = "预生成页面"
        verbose_name_plural = "预生成页面"

    def __str__(self) -> str:
        return self.path
