"""The national annual-report format as data.

Source: 《中华人民共和国政府信息公开工作年度报告格式》 issued with 国办公开办函〔2021〕30号, which
replaced the 2019 trial format (国办公开办函〔2019〕60号); see shared/spec/annual-report.md.
Reports for 2021 and later use the 2021 format (条例第四十九条、第五十条 require the report; the
format fixes its layout).

This module is the only place in the project where an official label is typed. Everything that
prints, parses or checks a report imports the labels and keys from here. The keys are ours (spec
§2–§4) and are used in the JSON, in the checker's cell addresses and in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ReportFormat(StrEnum):
    """Which national layout a report follows (spec §5 `format`)."""

    F2021 = "2021"
    F2019 = "2019"  # 国办公开办函〔2019〕60号 trial format
    LEGACY = "legacy"  # layouts older than 2019


# The 2021 format applies to reports for this year and later.
FORMAT_2021_FIRST_YEAR = 2021


class AgencyLevel(StrEnum):
    """The level of the reporting agency (spec §5 `agency.level`)."""

    PROVINCE = "province"
    CITY = "city"  # 设区的市
    COUNTY = "county"
    TOWNSHIP = "township"
    DEPARTMENT = "department"


# 立法法第九十一条、第九十三条: only 国务院部门, provincial governments and governments of 设区的市
# make 规章. Our `department` level covers departments of every tier, so it defaults to "cannot"
# and callers that know they are looking at a 国务院部门 pass `can_make_regulations=True` to the
# check.
LEVELS_THAT_MAKE_REGULATIONS: frozenset[AgencyLevel] = frozenset(
    {AgencyLevel.PROVINCE, AgencyLevel.CITY}
)

# How findings and the UI name a level (ours, not an official label).
AGENCY_LEVEL_NAMES: dict[AgencyLevel, str] = {
    AgencyLevel.PROVINCE: "省级人民政府",
    AgencyLevel.CITY: "设区的市人民政府",
    AgencyLevel.COUNTY: "县级人民政府",
    AgencyLevel.TOWNSHIP: "乡镇人民政府",
    AgencyLevel.DEPARTMENT: "政府部门",
}

# How findings name a format.
# The legal basis every report's preamble cites: 条例第四十九条、第五十条 require the report, the
# 2021 format fixes its layout.
REGULATION_TITLE = "《中华人民共和国政府信息公开条例》"
FORMAT_TITLE = "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"

FORMAT_NAMES: dict[ReportFormat, str] = {
    ReportFormat.F2021: "2021年版格式（国办公开办函〔2021〕30号）",
    ReportFormat.F2019: "2019年试行格式（国办公开办函〔2019〕60号）",
    ReportFormat.LEGACY: "2019年以前的旧格式",
}

TITLE_SUFFIX = "政府信息公开工作年度报告"


# -------------------------------------------------------------------------------------------------
# The six sections


@dataclass(frozen=True)
class Section:
    number: str  # "1".."6", the key in the JSON `sections` object and in `section.<n>` addresses
    heading: str
    table: str | None  # "table2" / "table3" / "table4" for the sections that carry a table


SECTIONS: tuple[Section, ...] = (
    Section("1", "一、总体情况", None),
    Section("2", "二、主动公开政府信息情况", "table2"),
    Section("3", "三、收到和处理政府信息公开申请情况", "table3"),
    Section("4", "四、政府信息公开行政复议、行政诉讼情况", "table4"),
    Section("5", "五、存在的主要问题及改进情况", None),
    Section("6", "六、其他需要报告的事项", None),
)
SECTION_NUMBERS: tuple[str, ...] = tuple(section.number for section in SECTIONS)
SECTION_BY_NUMBER: dict[str, Section] = {section.number: section for section in SECTIONS}

# The preamble (legal basis, statistical period, where to read the report, contact office) precedes
# section 1 and has no heading of its own. It travels in `sections` under this key.
PREAMBLE_KEY = "0"


# -------------------------------------------------------------------------------------------------
# Table 2 — 二、主动公开政府信息情况 (spec §2)


@dataclass(frozen=True)
class T2Column:
    key: str | None  # None for the single-valued items (`table2.licensing` has no column part)
    label: str


@dataclass(frozen=True)
class T2Item:
    key: str
    label: str
    columns: tuple[T2Column, ...]
    is_money: bool = False  # the fee row holds 万元, not a count

    def paths(self) -> tuple[str, ...]:
        """The item's cell paths inside table 2: `regulations.issued`, …, or just `licensing`."""
        return tuple(
            self.key if column.key is None else f"{self.key}.{column.key}"
            for column in self.columns
        )


@dataclass(frozen=True)
class T2Group:
    header: str  # 第二十条第（一）项 …
    column_labels: tuple[str, ...]  # the column-header row, starting with 信息内容
    items: tuple[T2Item, ...]


T2_ITEM_LABEL_HEADER = "信息内容"
_T2_COUNT_COLUMNS = (
    T2Column("issued", "本年制发件数"),
    T2Column("repealed", "本年废止件数"),
    T2Column("in_force", "现行有效件数"),
)
_T2_DECISIONS = (T2Column(None, "本年处理决定数量"),)
_T2_FEES = (T2Column(None, "本年收费金额（单位：万元）"),)

T2_GROUPS: tuple[T2Group, ...] = (
    T2Group(
        "第二十条第（一）项",
        (T2_ITEM_LABEL_HEADER, *(column.label for column in _T2_COUNT_COLUMNS)),
        (
            T2Item("regulations", "规章", _T2_COUNT_COLUMNS),
            T2Item("normative_documents", "行政规范性文件", _T2_COUNT_COLUMNS),
        ),
    ),
    T2Group(
        "第二十条第（五）项",
        (T2_ITEM_LABEL_HEADER, _T2_DECISIONS[0].label),
        (T2Item("licensing", "行政许可", _T2_DECISIONS),),
    ),
    T2Group(
        "第二十条第（六）项",
        (T2_ITEM_LABEL_HEADER, _T2_DECISIONS[0].label),
        (
            T2Item("punishment", "行政处罚", _T2_DECISIONS),
            T2Item("coercion", "行政强制", _T2_DECISIONS),
        ),
    ),
    T2Group(
        "第二十条第（八）项",
        (T2_ITEM_LABEL_HEADER, _T2_FEES[0].label),
        (T2Item("fees_wan_yuan", "行政事业性收费", _T2_FEES, is_money=True),),
    ),
)
T2_ITEMS: tuple[T2Item, ...] = tuple(item for group in T2_GROUPS for item in group.items)
T2_ITEM_BY_KEY: dict[str, T2Item] = {item.key: item for item in T2_ITEMS}
T2_PATHS: tuple[str, ...] = tuple(path for item in T2_ITEMS for path in item.paths())
T2_FEES_PATH = "fees_wan_yuan"
# The widest group (（一）) has three value columns; single-valued items span all three.
T2_VALUE_COLUMNS = len(_T2_COUNT_COLUMNS)


# -------------------------------------------------------------------------------------------------
# Table 3 — 三、收到和处理政府信息公开申请情况 (spec §3)


@dataclass(frozen=True)
class T3Column:
    key: str
    label: str
    is_organisation: bool  # printed under 法人或其他组织


T3_CORNER_LABEL = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_HEADER_LABEL = "申请人情况"
T3_ORGANISATION_GROUP_LABEL = "法人或其他组织"

T3_COLUMNS: tuple[T3Column, ...] = (
    T3Column("natural_person", "自然人", False),
    T3Column("business", "商业企业", True),
    T3Column("research", "科研机构", True),
    T3Column("public_interest", "社会公益组织", True),
    T3Column("legal_services", "法律服务机构", True),
    T3Column("other_org", "其他", True),
    T3Column("total", "总计", False),
)
T3_TOTAL_COLUMN = "total"
T3_APPLICANT_COLUMNS: tuple[T3Column, ...] = tuple(
    column for column in T3_COLUMNS if column.key != T3_TOTAL_COLUMN
)
T3_COLUMN_KEYS: tuple[str, ...] = tuple(column.key for column in T3_COLUMNS)
T3_COLUMN_BY_KEY: dict[str, T3Column] = {column.key: column for column in T3_COLUMNS}


@dataclass(frozen=True)
class T3Row:
    """One row of table 3 with the label of every level it sits under.

    A row repeats the labels of its enclosing groups (`denied_law_forbidden` carries
    三、本年度办理结果 and （三）不予公开 too); the printed layout merges equal consecutive labels,
    see `t3_label_layout`.
    """

    key: str
    level1: str
    level2: str | None = None
    level3: str | None = None

    @property
    def label(self) -> str:
        """The most specific label: what a reader calls this row."""
        return self.level3 or self.level2 or self.level1

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(label for label in (self.level1, self.level2, self.level3) if label)


_RESULTS = "三、本年度办理结果"
_DENIED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_REJECTED = "（五）不予处理"
_OTHER = "（六）其他处理"

T3_ROWS: tuple[T3Row, ...] = (
    T3Row("new_received", "一、本年新收政府信息公开申请数量"),
    T3Row("carried_over", "二、上年结转政府信息公开申请数量"),
    T3Row("granted", _RESULTS, "（一）予以公开"),
    T3Row("partial", _RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    T3Row("denied_state_secret", _RESULTS, _DENIED, "1.属于国家秘密"),
    T3Row("denied_law_forbidden", _RESULTS, _DENIED, "2.其他法律行政法规禁止公开"),
    T3Row("denied_security_stability", _RESULTS, _DENIED, "3.危及“三安全一稳定”"),
    T3Row("denied_third_party", _RESULTS, _DENIED, "4.保护第三方合法权益"),
    T3Row("denied_internal_affairs", _RESULTS, _DENIED, "5.属于三类内部事务信息"),
    T3Row("denied_process_info", _RESULTS, _DENIED, "6.属于四类过程性信息"),
    T3Row("denied_enforcement_file", _RESULTS, _DENIED, "7.属于行政执法案卷"),
    T3Row("denied_admin_query", _RESULTS, _DENIED, "8.属于行政查询事项"),
    T3Row("unable_not_held", _RESULTS, _UNABLE, "1.本机关不掌握相关政府信息"),
    T3Row("unable_needs_creation", _RESULTS, _UNABLE, "2.没有现成信息需要另行制作"),
    T3Row("unable_still_unclear", _RESULTS, _UNABLE, "3.补正后申请内容仍不明确"),
    T3Row("rejected_petition", _RESULTS, _REJECTED, "1.信访举报投诉类申请"),
    T3Row("rejected_duplicate", _RESULTS, _REJECTED, "2.重复申请"),
    T3Row("rejected_publication", _RESULTS, _REJECTED, "3.要求提供公开出版物"),
    T3Row("rejected_excessive", _RESULTS, _REJECTED, "4.无正当理由大量反复申请"),
    T3Row("rejected_confirmation", _RESULTS, _REJECTED, "5.要求行政机关确认或重新出具已获取信息"),
    T3Row(
        "other_no_correction",
        _RESULTS,
        _OTHER,
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    T3Row(
        "other_no_fee",
        _RESULTS,
        _OTHER,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    T3Row("other_other", _RESULTS, _OTHER, "3.其他"),
    T3Row("total_processed", _RESULTS, "（七）总计"),
    T3Row("carried_forward", "四、结转下年度继续办理"),
)
T3_ROW_KEYS: tuple[str, ...] = tuple(row.key for row in T3_ROWS)
T3_ROW_BY_KEY: dict[str, T3Row] = {row.key: row for row in T3_ROWS}
T3_TOTAL_ROW = "total_processed"
# The 21 result rows whose sum is （七）总计: （一）（二）, the eight 不予公开, three 无法提供,
# five 不予处理 and three 其他处理. One application is counted in exactly one of them (spec §3
# counting rules).
T3_RESULT_ROWS: tuple[str, ...] = T3_ROW_KEYS[
    T3_ROW_KEYS.index("granted") : T3_ROW_KEYS.index(T3_TOTAL_ROW)
]
T3_LABEL_COLUMNS = 3


@dataclass(frozen=True)
class LabelCell:
    """A row-header cell of table 3 as printed: `level` is 1–3, spans count rows/label columns."""

    text: str
    level: int
    rowspan: int
    colspan: int


def t3_label_layout() -> tuple[tuple[LabelCell, ...], ...]:
    """The row-header cells each row of table 3 starts with, merged as in the official table.

    三、本年度办理结果 spans 22 rows; （三）8, （四）3, （五）5, （六）3; rows 一、二、四 span the
    three label columns and （一）（二）（七） span two (spec §3). A row whose label is covered by
    a cell above gets no cell for that level.
    """
    layout: list[tuple[LabelCell, ...]] = []
    for index, row in enumerate(T3_ROWS):
        cells: list[LabelCell] = []
        previous = T3_ROWS[index - 1] if index else None
        # Level 1: starts a cell unless the previous row has the same level-1 label.
        if previous is None or previous.level1 != row.level1:
            span = _run_length(index, row.level1, None)
            colspan = T3_LABEL_COLUMNS if row.level2 is None else 1
            cells.append(LabelCell(row.level1, 1, span, colspan))
        if row.level2 is not None and (
            previous is None or previous.level1 != row.level1 or previous.level2 != row.level2
        ):
            span = _run_length(index, row.level1, row.level2)
            colspan = 2 if row.level3 is None else 1
            cells.append(LabelCell(row.level2, 2, span, colspan))
        if row.level3 is not None:
            cells.append(LabelCell(row.level3, 3, 1, 1))
        layout.append(tuple(cells))
    return tuple(layout)


def _run_length(start: int, level1: str, level2: str | None) -> int:
    """How many consecutive rows from `start` sit under the same level-1 (and level-2) label."""
    length = 0
    for row in T3_ROWS[start:]:
        if row.level1 != level1 or (level2 is not None and row.level2 != level2):
            break
        length += 1
    return length


# -------------------------------------------------------------------------------------------------
# Table 4 — 四、政府信息公开行政复议、行政诉讼情况 (spec §4)


@dataclass(frozen=True)
class T4Group:
    key: str
    label: str  # 行政复议 / 行政诉讼
    sublabel: str | None  # 未经复议直接起诉 / 复议后起诉


@dataclass(frozen=True)
class T4Column:
    key: str
    label: str


T4_LITIGATION_LABEL = "行政诉讼"
T4_GROUPS: tuple[T4Group, ...] = (
    T4Group("review", "行政复议", None),
    T4Group("litigation_direct", T4_LITIGATION_LABEL, "未经复议直接起诉"),
    T4Group("litigation_after_review", T4_LITIGATION_LABEL, "复议后起诉"),
)
T4_COLUMNS: tuple[T4Column, ...] = (
    T4Column("upheld", "结果维持"),
    T4Column("corrected", "结果纠正"),
    T4Column("other", "其他结果"),
    T4Column("pending", "尚未审结"),
    T4Column("total", "总计"),
)
T4_TOTAL_COLUMN = "total"
T4_GROUP_KEYS: tuple[str, ...] = tuple(group.key for group in T4_GROUPS)
T4_COLUMN_KEYS: tuple[str, ...] = tuple(column.key for column in T4_COLUMNS)
T4_GROUP_BY_KEY: dict[str, T4Group] = {group.key: group for group in T4_GROUPS}
T4_COLUMN_BY_KEY: dict[str, T4Column] = {column.key: column for column in T4_COLUMNS}
T4_PARTS: tuple[str, ...] = tuple(key for key in T4_COLUMN_KEYS if key != T4_TOTAL_COLUMN)


# -------------------------------------------------------------------------------------------------
# Table names as printed in findings and renderings


TABLE_NAMES: dict[str, str] = {"table2": "表二", "table3": "表三", "table4": "表四"}
TABLE_SECTION: dict[str, str] = {
    section.table: section.number for section in SECTIONS if section.table is not None
}


# -------------------------------------------------------------------------------------------------
# The 2019 trial format (国办公开办函〔2019〕60号) and older layouts: signs that a report for 2021
# or later was written in the wrong format (spec §6 OLD-FORMAT).


@dataclass(frozen=True)
class OldFormatSign:
    text: str
    table: str  # where the sign appears, for the finding's cells


OLD_FORMAT_SIGNS: tuple[OldFormatSign, ...] = (
    OldFormatSign("本年新制作数量", "table2"),
    OldFormatSign("本年新公开数量", "table2"),
    OldFormatSign("对外公开总数量", "table2"),
    OldFormatSign("上一年项目数量", "table2"),
    OldFormatSign("本年增/减", "table2"),
    OldFormatSign("其他对外管理服务事项", "table2"),
    OldFormatSign("第二十条第（九）项", "table2"),
    OldFormatSign("政府集中采购", "table2"),
)
# The 2019 table 2 had a row 规范性文件; the 2021 format says 行政规范性文件.
OLD_FORMAT_BARE_ROW = OldFormatSign("规范性文件", "table2")
OLD_FORMAT_BARE_ROW_2021 = T2_ITEM_BY_KEY["normative_documents"].label
# The 2019 table 3 had （六）其他处理 as a single row; the 2021 format splits it into three
# sub-rows.
OLD_FORMAT_UNSPLIT_ROW = OldFormatSign(_OTHER, "table3")
OLD_FORMAT_SPLIT_ROW_2021 = T3_ROW_BY_KEY["other_no_correction"].level3 or ""
