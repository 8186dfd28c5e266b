"""The default column tree of an agency's 政府信息公开 section (61号) and the site columns.

Names are the ones 61号 and the 第二十条 practice use; an agency may add, merge or rename columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.publishing.models import ARTICLE_21, ColumnKind, ColumnType


@dataclass(frozen=True)
class ColumnSpec:
    slug: str
    name: str
    kind: str
    column_type: str = ColumnType.NOTICE
    article20_item: int | None = None
    parent: str | None = None


STATUTORY_ROOT = "fdzdgknr"

DEFAULT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("zn", "政府信息公开指南", ColumnKind.GUIDE, ColumnType.POLICY),
    ColumnSpec("zd", "政府信息公开制度", ColumnKind.RULES, ColumnType.POLICY),
    ColumnSpec(STATUTORY_ROOT, "法定主动公开内容", ColumnKind.STATUTORY, ColumnType.NOTICE),
    ColumnSpec(
        "zcwj", "政策文件", ColumnKind.STATUTORY, ColumnType.POLICY, 1, parent=STATUTORY_ROOT
    ),
    ColumnSpec(
        "jgzn", "机构职能", ColumnKind.STATUTORY, ColumnType.NOTICE, 2, parent=STATUTORY_ROOT
    ),
    ColumnSpec(
        "czyjs", "财政预决算", ColumnKind.STATUTORY, ColumnType.NOTICE, 7, parent=STATUTORY_ROOT
    ),
    ColumnSpec(
        "rsxx", "人事信息", ColumnKind.STATUTORY, ColumnType.NOTICE, 14, parent=STATUTORY_ROOT
    ),
    ColumnSpec(
        "zdly",
        "重点领域信息公开",
        ColumnKind.STATUTORY,
        ColumnType.NOTICE,
        ARTICLE_21,
        parent=STATUTORY_ROOT,
    ),
    ColumnSpec("nb", "政府信息公开年报", ColumnKind.ANNUAL_REPORT, ColumnType.NOTICE),
    ColumnSpec("gsgg", "公示公告", ColumnKind.SITE, ColumnType.NOTICE),
    ColumnSpec("gzdt", "工作动态", ColumnKind.SITE, ColumnType.NEWS),
    ColumnSpec("zwgkzztj", "政务公开组织推进", ColumnKind.SITE, ColumnType.NOTICE),
)

# The four first-level columns of the 政府信息公开 section, in the order 61号 prescribes.
SECTION_ORDER: tuple[str, ...] = (
    ColumnKind.GUIDE,
    ColumnKind.RULES,
    ColumnKind.STATUTORY,
    ColumnKind.ANNUAL_REPORT,
)
