"""The annual report as one frozen, typed value.

The generator builds an `AnnualReport` from the domain, the checker parses any published document
into one, and every renderer takes one and nothing else (style §3). The canonical JSON of spec §5
is its serialised form: `AnnualReport.to_json()` / `AnnualReport.from_json()` round-trip exactly.

Cells are `int | None`: `None` is a blank or non-numeric cell. A table that the document lacks is
`None`; a row or column that a present table lacks is simply absent from its `cells` (the checker
reports it as ROW-MISSING). Money is kept as integer yuan: the report prints 万元 with up to four
decimals, which is exactly one yuan, so rendering never rounds (spec §2).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import chain
from operator import add
from types import MappingProxyType
from typing import Any, ClassVar, TypeVar

from gongkai.reports import format as fmt

Cell = int | None
JsonObject = dict[str, Any]

_YUAN_PER_WAN = Decimal(10_000)
_FEN_PER_YUAN = 100


class ReportValueError(ValueError):
    """A value or JSON document that is not an annual report; the message is for people."""


# -------------------------------------------------------------------------------------------------
# Money


def wan_yuan_text(yuan: int) -> str:
    """Integer yuan as a 万元 decimal string: 0 → "0", 12345 → "1.2345", 120000 → "12", 5 →
    "0.0005"."""
    amount = (Decimal(yuan) / _YUAN_PER_WAN).normalize()
    return format(amount, "f")


def _whole_yuan(amount_in_yuan: Decimal) -> int:
    """Round to whole yuan, half up, but never turn a non-zero amount into 0 (spec §2)."""
    rounded = int(amount_in_yuan.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if rounded == 0 and amount_in_yuan != 0:
        return 1 if amount_in_yuan > 0 else -1
    return rounded


# The largest fee a report takes, in 万元 (a hundred billion yuan): any larger figure is a typo, and
# an exponent such as 1e30 must not reach the rounding (decimal.InvalidOperation).
FEE_WAN_YUAN_MAX = 10_000_000


class FeeTooLarge(ReportValueError):
    """A fee beyond FEE_WAN_YUAN_MAX."""


def yuan_from_wan_yuan(text: str) -> int:
    """Parse a 万元 decimal string ("1.2345", "0", "12") into whole yuan."""
    try:
        amount = Decimal(text.strip().replace(",", ""))
    except InvalidOperation as error:
        raise ReportValueError(f"收费金额“{text}”不是数字") from error
    if not amount.is_finite():
        raise ReportValueError(f"收费金额“{text}”不是数字")
    # adjusted() (the power of ten of the leading digit) needs no arithmetic: abs() of 1E+3000000
    # would overflow the decimal context.
    if amount.adjusted() >= len(str(FEE_WAN_YUAN_MAX)) or abs(amount) > FEE_WAN_YUAN_MAX:
        raise FeeTooLarge(f"收费金额“{text}”过大（不应超过{FEE_WAN_YUAN_MAX:,}万元）")
    return _whole_yuan(amount * _YUAN_PER_WAN)


def yuan_from_fen(fen: int) -> int:
    """Fees are collected to the fen; the report counts whole yuan without losing a small fee."""
    return _whole_yuan(Decimal(fen) / _FEN_PER_YUAN)


# -------------------------------------------------------------------------------------------------
# Tables


def _check_cell(path: str, value: object) -> Cell:
    # bool is an int subclass; a True in a count cell is a programming error, not the number 1.
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise ReportValueError(f"单元格 {path} 的值 {value!r} 不是整数")


# The types a cell may have without a closer look (bool, an int subclass, is not one of them), and
# those a count to be summed may have. Every report of a province is built at once, so the tables
# are checked with one C-level pass over their values (`frozenset.issuperset(map(type, …))`) and
# only a table that fails it gets the cell-by-cell check and its message.
_CELL_TYPES = frozenset({int, type(None)})
_COUNT_TYPES = frozenset({int})


@dataclass(frozen=True, eq=False)
class _Table:
    """Cells of one table keyed by their path inside it (`new_received.total`, `licensing`, …)."""

    cells: Mapping[str, Cell]

    NAME: ClassVar[str] = ""
    PATHS: ClassVar[tuple[str, ...]] = ()
    KNOWN: ClassVar[frozenset[str]] = frozenset()  # PATHS as a set, built once per class

    def __post_init__(self) -> None:
        cells = self.cells
        if tuple(cells) == self.PATHS:
            # A complete table in the format's order (what the generator builds): a copy, so
            # that the caller cannot change the table through its own dict.
            ordered = dict(cells)
        else:
            unknown = [path for path in cells if path not in self.KNOWN]
            if unknown:
                raise ReportValueError(
                    f"{fmt.TABLE_NAMES[self.NAME]}没有这些单元格：{'、'.join(unknown)}"
                )
            ordered = {path: cells[path] for path in self.PATHS if path in cells}
        if not _CELL_TYPES.issuperset(map(type, ordered.values())):
            for path, value in ordered.items():
                _check_cell(f"{self.NAME}.{path}", value)  # int subclasses pass, bool does not
        object.__setattr__(self, "cells", MappingProxyType(ordered))

    def get(self, path: str) -> Cell:
        """The cell's value; `None` when blank or absent (use `has` to tell them apart)."""
        return self.cells.get(path)

    def has(self, path: str) -> bool:
        return path in self.cells

    def __iter__(self) -> Iterator[tuple[str, Cell]]:
        return iter(self.cells.items())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Table) or type(self) is not type(other):
            return NotImplemented
        return dict(self.cells) == dict(other.cells)

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(self.cells.items())))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict(self.cells)!r})"


def _item_paths(key: str) -> tuple[str, ...]:
    return tuple(f"{key}.{column.key}" for column in fmt.T2_ITEM_BY_KEY[key].columns)


_T2_REGULATION_PATHS = _item_paths("regulations")
_T2_NORMATIVE_PATHS = _item_paths("normative_documents")


@dataclass(frozen=True, eq=False, repr=False)
class Table2(_Table):
    """二、主动公开政府信息情况. The fee cell (`fees_wan_yuan`) holds whole yuan."""

    NAME: ClassVar[str] = "table2"
    PATHS: ClassVar[tuple[str, ...]] = fmt.T2_PATHS
    KNOWN: ClassVar[frozenset[str]] = frozenset(PATHS)

    @classmethod
    def build(
        cls,
        *,
        regulations: tuple[Cell, Cell, Cell] = (0, 0, 0),
        normative_documents: tuple[Cell, Cell, Cell] = (0, 0, 0),
        licensing: Cell = 0,
        punishment: Cell = 0,
        coercion: Cell = 0,
        fees_yuan: Cell = 0,
    ) -> Table2:
        """A complete table 2; the triples are (本年制发, 本年废止, 现行有效)."""
        cells: dict[str, Cell] = {}
        for paths, triple in (
            (_T2_REGULATION_PATHS, regulations),
            (_T2_NORMATIVE_PATHS, normative_documents),
        ):
            cells.update(zip(paths, triple, strict=True))
        cells.update(
            licensing=licensing, punishment=punishment, coercion=coercion, fees_wan_yuan=fees_yuan
        )
        return cls(cells)

    @property
    def fees_yuan(self) -> Cell:
        return self.get(fmt.T2_FEES_PATH)

    def fees_wan_yuan(self) -> str | None:
        """The fee as printed: 万元 with up to four decimals, or None when blank."""
        yuan = self.fees_yuan
        return None if yuan is None else wan_yuan_text(yuan)


@dataclass(frozen=True, eq=False, repr=False)
class Table3(_Table):
    """三、收到和处理政府信息公开申请情况: 25 rows × 7 columns, paths `<row>.<column>`."""

    NAME: ClassVar[str] = "table3"
    PATHS: ClassVar[tuple[str, ...]] = tuple(
        f"{row}.{column}" for row in fmt.T3_ROW_KEYS for column in fmt.T3_COLUMN_KEYS
    )
    KNOWN: ClassVar[frozenset[str]] = frozenset(PATHS)

    @classmethod
    def from_rows(cls, rows: Mapping[str, Mapping[str, Cell]]) -> Table3:
        return cls(
            {
                f"{row}.{column}": value
                for row, cells in rows.items()
                for column, value in cells.items()
            }
        )

    def cell(self, row: str, column: str) -> Cell:
        return self.get(f"{row}.{column}")

    def has_cell(self, row: str, column: str) -> bool:
        return self.has(f"{row}.{column}")

    def has_row(self, row: str) -> bool:
        return any(self.has_cell(row, column) for column in fmt.T3_COLUMN_KEYS)

    def row(self, row: str) -> dict[str, Cell]:
        """The row's present cells keyed by column."""
        return {
            column: self.cell(row, column)
            for column in fmt.T3_COLUMN_KEYS
            if self.has_cell(row, column)
        }


@dataclass(frozen=True, eq=False, repr=False)
class Table4(_Table):
    """四、政府信息公开行政复议、行政诉讼情况: 3 groups × 5 columns, paths `<group>.<column>`."""

    NAME: ClassVar[str] = "table4"
    PATHS: ClassVar[tuple[str, ...]] = tuple(
        f"{group}.{column}" for group in fmt.T4_GROUP_KEYS for column in fmt.T4_COLUMN_KEYS
    )
    KNOWN: ClassVar[frozenset[str]] = frozenset(PATHS)

    @classmethod
    def from_groups(cls, groups: Mapping[str, Mapping[str, Cell]]) -> Table4:
        return cls(
            {
                f"{group}.{column}": value
                for group, cells in groups.items()
                for column, value in cells.items()
            }
        )

    def cell(self, group: str, column: str) -> Cell:
        return self.get(f"{group}.{column}")

    def has_cell(self, group: str, column: str) -> bool:
        return self.has(f"{group}.{column}")

    def has_group(self, group: str) -> bool:
        return any(self.has_cell(group, column) for column in fmt.T4_COLUMN_KEYS)


def zero_table2() -> Table2:
    return Table2.build()


def zero_table3() -> Table3:
    return Table3(dict.fromkeys(Table3.PATHS, 0))


def zero_table4() -> Table4:
    return Table4(dict.fromkeys(Table4.PATHS, 0))


# The fillable rows and columns of tables 3 and 4, and the paths of the cells in the order the
# builders give them: each row's parts, then its total. That is the format's order, and the paths
# are the very string objects of the table's PATHS, so that `_Table` takes the cells as they come.
T3_APPLICANT_KEYS: tuple[str, ...] = tuple(column.key for column in fmt.T3_APPLICANT_COLUMNS)
_T3_APPLICANT_SET = frozenset(T3_APPLICANT_KEYS)
_T3_FILLED_SET = frozenset(row for row in fmt.T3_ROW_KEYS if row != fmt.T3_TOTAL_ROW)
_T3_ZERO_ROWS = dict.fromkeys(fmt.T3_ROW_KEYS, (0,) * len(T3_APPLICANT_KEYS))
_T3_UNKNOWN_ROW = "表三没有可填写的行“{}”（（七）总计由各项办理结果相加得出）"
_T4_PART_SET = frozenset(fmt.T4_PARTS)
_T4_GROUP_SET = frozenset(fmt.T4_GROUP_KEYS)
_T4_ZERO_ROWS = dict.fromkeys(fmt.T4_GROUP_KEYS, (0,) * len(fmt.T4_PARTS))
_T4_UNKNOWN_GROUP = "表四没有“{}”这一组"


def _built_paths(
    table: type[_Table], outer: tuple[str, ...], parts: tuple[str, ...], total: str
) -> tuple[str, ...]:
    canonical = {path: path for path in table.PATHS}
    return tuple(canonical[f"{row}.{column}"] for row in outer for column in (*parts, total))


_T3_BUILT_PATHS = _built_paths(Table3, fmt.T3_ROW_KEYS, T3_APPLICANT_KEYS, fmt.T3_TOTAL_COLUMN)
_T4_BUILT_PATHS = _built_paths(Table4, fmt.T4_GROUP_KEYS, fmt.T4_PARTS, fmt.T4_TOTAL_COLUMN)


def _with_totals(paths: tuple[str, ...], rows: Iterable[Sequence[int]]) -> dict[str, Cell]:
    """The cells of `rows` (in the order of the table's rows) each followed by its sum: C-level
    iteration only, no Python frame per row or cell."""
    counts = list(map(tuple, rows))
    cells = chain.from_iterable(map(add, counts, zip(map(sum, counts))))
    return dict(zip(paths, cells, strict=True))


def table3_from_counts(counts: Mapping[str, Mapping[str, int]]) -> Table3:
    """Table 3 from per-row, per-applicant counts; computes the 总计 column and （七）总计 row.

    `counts` may hold every row except `total_processed` and every column except `total`; what it
    omits is 0. The caller supplies `new_received`, `carried_over` and `carried_forward`, so the
    balance 一 + 二 = （七） + 四 holds only if its counts do (the generator derives them from the
    same ledger).
    """
    rows: dict[str, tuple[int, ...]] = {}
    for row, cells in counts.items():
        if row not in _T3_FILLED_SET:
            raise ReportValueError(_T3_UNKNOWN_ROW.format(row))
        for column in cells:
            if column not in _T3_APPLICANT_SET:
                raise ReportValueError(
                    f"表三没有可填写的列“{column}”（总计列由各申请人列相加得出）"
                )
        rows[row] = tuple(cells.get(column, 0) for column in T3_APPLICANT_KEYS)
    return table3_from_applicant_counts(rows)


def table3_from_applicant_counts(rows: Mapping[str, Sequence[int]]) -> Table3:
    """`table3_from_counts` with each row's counts in the order of `T3_APPLICANT_KEYS` (the
    applicant columns of `fmt.T3_COLUMNS`): what the generator folds every agency's figures with."""
    _check_counts("table3", rows, _T3_FILLED_SET, T3_APPLICANT_KEYS, _T3_UNKNOWN_ROW)
    lines = {**_T3_ZERO_ROWS, **rows}  # every row, in the format's order
    results = map(lines.__getitem__, fmt.T3_RESULT_ROWS)
    lines[fmt.T3_TOTAL_ROW] = tuple(map(sum, zip(*results, strict=True)))
    return Table3(_with_totals(_T3_BUILT_PATHS, lines.values()))


def table4_from_counts(counts: Mapping[str, Mapping[str, int]]) -> Table4:
    """Table 4 from per-group counts of 结果维持/结果纠正/其他结果/尚未审结; 总计 is computed."""
    groups: dict[str, tuple[int, ...]] = {}
    for group, cells in counts.items():
        if group not in _T4_GROUP_SET:
            raise ReportValueError(_T4_UNKNOWN_GROUP.format(group))
        for column in cells:
            if column not in _T4_PART_SET:
                raise ReportValueError(f"表四没有可填写的列“{column}”（总计由各项相加得出）")
        groups[group] = tuple(cells.get(column, 0) for column in fmt.T4_PARTS)
    return table4_from_part_counts(groups)


def table4_from_part_counts(groups: Mapping[str, Sequence[int]]) -> Table4:
    """`table4_from_counts` with each group's counts in the order of `fmt.T4_PARTS`."""
    _check_counts("table4", groups, _T4_GROUP_SET, fmt.T4_PARTS, _T4_UNKNOWN_GROUP)
    return Table4(_with_totals(_T4_BUILT_PATHS, {**_T4_ZERO_ROWS, **groups}.values()))


def _check_counts(
    table: str,
    given: Mapping[str, Sequence[object]],
    rows: frozenset[str],
    columns: tuple[str, ...],
    unknown_row: str,
) -> None:
    """The counts to be summed: rows that can be filled in, one count per column, each an int (not
    a bool, not blank). One pass over all of them; only a failure looks row by row for its message.
    """
    if (
        rows.issuperset(given)
        and {len(columns)}.issuperset(map(len, given.values()))
        and _COUNT_TYPES.issuperset(map(type, chain.from_iterable(given.values())))
    ):
        return
    for row, values in given.items():
        if row not in rows:
            raise ReportValueError(unknown_row.format(row))
        if len(values) != len(columns):
            raise ReportValueError(
                f"{fmt.TABLE_NAMES[table]}“{row}”应有 {len(columns)} 个数，实有 {len(values)} 个"
            )
        for column, value in zip(columns, values, strict=True):
            if value is None:
                raise ReportValueError("计算合计时遇到空白单元格")
            _check_cell(f"{table}.{row}.{column}", value)


# -------------------------------------------------------------------------------------------------
# The report


@dataclass(frozen=True)
class Agency:
    name: str
    level: fmt.AgencyLevel


_SECTION_KEYS = (fmt.PREAMBLE_KEY, *fmt.SECTION_NUMBERS)


@dataclass(frozen=True)
class AnnualReport:
    """One agency's 政府信息公开工作年度报告 for one calendar year.

    `sections` maps "1".."6" to each section's plain text (paragraphs separated by newlines;
    sections 2–4 hold the prose around their table) and "0" to the preamble. A section the document
    lacks is absent.
    """

    format: fmt.ReportFormat
    agency: Agency
    year: int
    published_on: dt.date | None
    sections: Mapping[str, str] = field(default_factory=dict)
    table2: Table2 | None = None
    table3: Table3 | None = None
    table4: Table4 | None = None

    def __post_init__(self) -> None:
        unknown = [key for key in self.sections if key not in _SECTION_KEYS]
        if unknown:
            raise ReportValueError(f"报告没有编号为 {'、'.join(unknown)} 的部分（只有 0–6）")
        for key, text in self.sections.items():
            if not isinstance(text, str):
                raise ReportValueError(f"第 {key} 部分的正文不是文字")
        ordered = {key: self.sections[key] for key in _SECTION_KEYS if key in self.sections}
        object.__setattr__(self, "sections", MappingProxyType(ordered))

    def __hash__(self) -> int:
        return hash(
            (
                self.format,
                self.agency,
                self.year,
                self.published_on,
                tuple(self.sections.items()),
                self.table2,
                self.table3,
                self.table4,
            )
        )

    @property
    def title(self) -> str:
        """威海市文登区宋村镇人民政府2023年政府信息公开工作年度报告"""
        return f"{self.agency.name}{self.year}年{fmt.TITLE_SUFFIX}"

    @property
    def preamble(self) -> str:
        return self.sections.get(fmt.PREAMBLE_KEY, "")

    def section(self, number: str) -> str | None:
        return self.sections.get(number)

    # --- canonical JSON (spec §5) ---

    def to_json_dict(self) -> JsonObject:
        """The canonical JSON of spec §5: `sections` holds "1".."6" only (the preamble is not part
        of the interchange format; `to_storage_dict` keeps it)."""
        data = self.to_storage_dict()
        data["sections"] = {k: v for k, v in self.sections.items() if k != fmt.PREAMBLE_KEY}
        return data

    def to_storage_dict(self) -> JsonObject:
        """The canonical JSON plus the preamble as section "0": what the platform stores."""
        return {
            "format": self.format.value,
            "agency": {"name": self.agency.name, "level": self.agency.level.value},
            "year": self.year,
            "published_on": None if self.published_on is None else self.published_on.isoformat(),
            "sections": dict(self.sections),
            "table2": None if self.table2 is None else _table2_to_json(self.table2),
            "table3": None
            if self.table3 is None
            else _nested_to_json(self.table3, fmt.T3_ROW_KEYS),
            "table4": None
            if self.table4 is None
            else _nested_to_json(self.table4, fmt.T4_GROUP_KEYS),
        }

    def to_json(self) -> str:
        """The canonical JSON text: keys in the order of spec §5, UTF-8 characters unescaped."""
        return json.dumps(self.to_json_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any]) -> AnnualReport:
        _expect_keys(
            data,
            {"format", "agency", "year", "published_on", "sections", "table2", "table3", "table4"},
            "报告",
        )
        report_format = _enum(fmt.ReportFormat, data.get("format"), "format")
        agency = data.get("agency")
        if not isinstance(agency, Mapping):
            raise ReportValueError("缺少 agency（机关名称和层级）")
        _expect_keys(agency, {"name", "level"}, "agency")
        name = agency.get("name")
        if not isinstance(name, str) or not name:
            raise ReportValueError("agency.name（机关名称）必须是非空文字")
        level = _enum(fmt.AgencyLevel, agency.get("level"), "agency.level")
        year = data.get("year")
        if not isinstance(year, int) or isinstance(year, bool):
            raise ReportValueError("year（报告年度）必须是整数")
        published = data.get("published_on")
        if published is not None and not isinstance(published, str):
            raise ReportValueError("published_on（发布日期）必须是 YYYY-MM-DD 格式的日期或 null")
        try:
            published_on = None if published is None else dt.date.fromisoformat(published)
        except ValueError as error:
            raise ReportValueError(f"发布日期“{published}”不是 YYYY-MM-DD 格式的日期") from error
        sections = data.get("sections", {})
        if not isinstance(sections, Mapping):
            raise ReportValueError("sections（各部分正文）必须是对象")
        return cls(
            format=report_format,
            agency=Agency(name=name, level=level),
            year=year,
            published_on=published_on,
            sections=dict(sections),
            table2=_table2_from_json(data.get("table2")),
            table3=_nested_from_json(
                Table3, data.get("table3"), fmt.T3_ROW_KEYS, fmt.T3_COLUMN_KEYS
            ),
            table4=_nested_from_json(
                Table4, data.get("table4"), fmt.T4_GROUP_KEYS, fmt.T4_COLUMN_KEYS
            ),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> AnnualReport:
        try:
            data = json.loads(text)
        except ValueError as error:
            raise ReportValueError(f"不是有效的 JSON：{error}") from error
        if not isinstance(data, Mapping):
            raise ReportValueError("JSON 顶层必须是对象")
        return cls.from_json_dict(data)


def zero_report(
    *,
    agency: Agency,
    year: int,
    published_on: dt.date | None = None,
    sections: Mapping[str, str] | None = None,
) -> AnnualReport:
    """A 2021-format report with all three tables printed in full with zeros (spec §1)."""
    return AnnualReport(
        format=fmt.ReportFormat.F2021,
        agency=agency,
        year=year,
        published_on=published_on,
        sections=dict.fromkeys(fmt.SECTION_NUMBERS, "") if sections is None else sections,
        table2=zero_table2(),
        table3=zero_table3(),
        table4=zero_table4(),
    )


_T = TypeVar("_T", "Table3", "Table4")
_E = TypeVar("_E", fmt.ReportFormat, fmt.AgencyLevel)


# --- JSON helpers ---


def _table2_to_json(table: Table2) -> JsonObject:
    out: JsonObject = {}
    for item in fmt.T2_ITEMS:
        if item.is_money:
            if table.has(item.key):
                out[item.key] = table.fees_wan_yuan()
        elif item.columns[0].key is None:
            if table.has(item.key):
                out[item.key] = table.get(item.key)
        else:
            present = {
                str(column.key): table.get(f"{item.key}.{column.key}")
                for column in item.columns
                if table.has(f"{item.key}.{column.key}")
            }
            if present:
                out[item.key] = present
    return out


def _nested_to_json(table: Table3 | Table4, outer: tuple[str, ...]) -> JsonObject:
    out: JsonObject = {}
    for path, value in table:
        first, second = path.split(".")
        out.setdefault(first, {})[second] = value
    return {key: out[key] for key in outer if key in out}


def _table2_from_json(data: object) -> Table2 | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise ReportValueError("table2（表二）必须是对象或 null")
    _expect_keys(data, set(fmt.T2_ITEM_BY_KEY), "table2")
    cells: dict[str, Cell] = {}
    for item in fmt.T2_ITEMS:
        if item.key not in data:
            continue
        raw = data[item.key]
        if item.is_money:
            if raw is None:
                cells[item.key] = None
            elif isinstance(raw, str):
                cells[item.key] = yuan_from_wan_yuan(raw)
            elif isinstance(raw, int) and not isinstance(raw, bool):
                cells[item.key] = raw * 10_000
            else:
                raise ReportValueError(f"table2.{item.key}（收费金额）必须是万元数字文字或 null")
        elif item.columns[0].key is None:
            cells[item.key] = _check_cell(f"table2.{item.key}", raw)
        else:
            if not isinstance(raw, Mapping):
                raise ReportValueError(f"table2.{item.key} 必须是对象")
            _expect_keys(raw, {str(column.key) for column in item.columns}, f"table2.{item.key}")
            for column_key, value in raw.items():
                cells[f"{item.key}.{column_key}"] = _check_cell(
                    f"table2.{item.key}.{column_key}", value
                )
    return Table2(cells)


def _nested_from_json(
    table_class: type[_T], data: object, outer: tuple[str, ...], inner: tuple[str, ...]
) -> _T | None:
    if data is None:
        return None
    name = table_class.NAME
    if not isinstance(data, Mapping):
        raise ReportValueError(f"{name}（{fmt.TABLE_NAMES[name]}）必须是对象或 null")
    _expect_keys(data, set(outer), name)
    cells: dict[str, Cell] = {}
    for key, row in data.items():
        if not isinstance(row, Mapping):
            raise ReportValueError(f"{name}.{key} 必须是对象")
        _expect_keys(row, set(inner), f"{name}.{key}")
        for column, value in row.items():
            cells[f"{key}.{column}"] = _check_cell(f"{name}.{key}.{column}", value)
    return table_class(cells)


def _expect_keys(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise ReportValueError(f"{where} 中有无法识别的字段：{'、'.join(unknown)}")


def _enum(enum: type[_E], raw: object, where: str) -> _E:
    try:
        return enum(str(raw))
    except ValueError as error:
        allowed = "、".join(member.value for member in enum)
        raise ReportValueError(f"{where} 的值 {raw!r} 无效，应为：{allowed}") from error
