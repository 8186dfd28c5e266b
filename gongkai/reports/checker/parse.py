"""Lines and table rows → the canonical `AnnualReport` value plus the raw text of every cell.

The parser is label-driven: it finds the official labels of each table (tolerantly, see
`labels.py`) in the section that carries the table and reads the figures that follow a row label —
within the same row for real tables (HTML, DOCX, XLSX, `|` rows), in reading order for scraped
text and PDF, where a label may also be split over several lines. A document cut short is read as
far as it goes: the rows it never reaches are absent (ROW-MISSING), the tables it never reaches
are `None` (TABLE-MISSING).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from gongkai.reports import format as fmt
from gongkai.reports.checker.detect import (
    agency_level,
    detect_format,
    find_published_on,
    find_title,
    guess_year,
)
from gongkai.reports.checker.document import Line, SourceDocument, text_line
from gongkai.reports.checker.labels import (
    MAX_JOIN,
    PREFIXES,
    Kind,
    Label,
    labels_by_key,
    labels_for,
    norm,
)
from gongkai.reports.checker.numbers import FEES_ADDRESS, is_number_token, read_cell
from gongkai.reports.checker.sections import could_be_heading, heading_number
from gongkai.reports.rules import Finding
from gongkai.reports.rules.folding import nfkc
from gongkai.reports.value import Agency, AnnualReport, Cell, Table2, Table3, Table4

UNKNOWN_AGENCY = "（未能识别的机关）"
# The title and the publication date are looked for in the first lines only.
HEAD_LINES = 40
_METADATA = re.compile(
    r"^(?:source|agency|year|level|partial|url)\s*:|^(?:发布日期|发布时间|来源|信息来源|"
    r"发布机构|索引号|文号|字号|浏览次数|点击数|时间)\s*[:：]|【\s*(?:打印|关闭|字体)",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|"
    r"[〇零一二三四五六七八九○]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*$"
)


@dataclass(frozen=True)
class ParsedReport:
    """What a document says, read into the value; `cells` holds the raw text of each cell read."""

    report: AnnualReport
    cells: Mapping[str, str]
    findings: tuple[Finding, ...]  # CELL-BLANK / CELL-INVALID found while reading the cells
    text: str  # the raw text (OLD-FORMAT signs, the workbench view)
    kind: str  # html / text / docx / pdf / xlsx / json
    title_found: bool
    year_known: bool
    looks_like_report: bool


class Token(NamedTuple):
    text: str
    key: str
    line: int
    row: int | None  # the grid row (line index) of a table cell; None for a reading-order token
    number: bool


def _split(text: str) -> list[str]:
    """A reading-order line holding several cells ("规章 0 0 0", "审结 总计 结果"): split it at
    spaces when it holds figures or only short pieces (prose keeps its spaces)."""
    parts = text.split()
    if len(parts) > 1 and (
        any(is_number_token(part) for part in parts) or all(len(part) <= 10 for part in parts)
    ):
        return parts
    return [text]


_TOKEN_KEYS: dict[str, tuple[str, bool]] = {}


def _token_key(text: str) -> tuple[str, bool]:
    """(comparison key, whether it is a figure) of a cell text; cached, as the same labels and
    small figures recur in every report."""
    found = _TOKEN_KEYS.get(text)
    if found is None:
        found = (norm(text), is_number_token(text))
        if len(_TOKEN_KEYS) < 65_536:
            _TOKEN_KEYS[text] = found
    return found


# `Token(...)` goes through a Python-level `__new__`; building the tuple directly is the same
# value at a third of the cost (tokenize makes several hundred tokens per report).
_new_token = tuple.__new__


def tokenize(
    lines: Sequence[Line], start: int, end: int, skip: frozenset[int] = frozenset()
) -> list[Token]:
    tokens: list[Token] = []
    append = tokens.append
    keys = _TOKEN_KEYS
    for index in range(start, end):
        if index in skip:
            continue
        line = lines[index]
        row = index if line.grid else None
        for part in line.cells if line.grid else _split(line.cells[0]):
            found = keys.get(part)
            if found is None:
                found = _token_key(part)
            append(_new_token(Token, (part, found[0], index, row, found[1])))
    return tokens


@dataclass
class _TableRead:
    """The cells of one table as read: path → raw text, and the tokens it used."""

    present: bool = False
    raw: dict[str, str] = field(default_factory=dict)
    used_lines: set[int] = field(default_factory=set)


class _Region:
    """The tokens of the part of the document a table is looked for in."""

    def __init__(self, tokens: list[Token], table: str, at_document_end: bool) -> None:
        self.tokens = tokens
        self.table = table
        self.at_document_end = at_document_end
        self._memo: dict[int, tuple[list[Label], int] | None] = {}
        self._cell_matches = _CELL_MATCHES[table]

    def match(self, index: int) -> tuple[list[Label], int] | None:
        """The labels starting at `index` and how many tokens they take (fragments joined)."""
        token = self.tokens[index]
        # A figure or an empty cell starts no label; a table cell is one label or none. These
        # are nearly all the tokens, answered here; only reading-order text joins fragments.
        if token.number or not token.key:
            return None
        if token.row is not None:
            return self._cell_matches.get(token.key)
        memo = self._memo
        if index in memo:
            return memo[index]
        result = self._match(index)
        memo[index] = result
        return result

    def _match(self, index: int) -> tuple[list[Label], int] | None:
        """The labels a reading-order token starts, joined with the fragments after it."""
        prefixes = PREFIXES[self.table]
        best: tuple[list[Label], int] | None = None
        key = ""
        for offset in range(MAX_JOIN):
            position = index + offset
            if position >= len(self.tokens):
                break
            part = self.tokens[position]
            if part.row is not None or not part.key or (offset and part.number):
                break
            key += part.key
            found = labels_for(key, self.table)
            if found:
                best = (found, offset + 1)
            if key not in prefixes:
                break
        return best

    def values(self, index: int, label: Token, count: int) -> tuple[list[Token], int, bool]:
        """Up to `count` value tokens after a row label; the index after them; whether the
        document ended before they were all read."""
        values: list[Token] = []
        position = index
        tokens = self.tokens
        while position < len(tokens) and len(values) < count:
            token = tokens[position]
            if label.row is not None:
                if token.row != label.row:
                    break
                if not values and token.key == label.key:  # a merged label repeated by its span
                    position += 1
                    continue
            elif token.row is not None:
                break
            if not token.number and self.match(position) is not None:
                break
            values.append(token)
            position += 1
        ended = position >= len(tokens) and self.at_document_end
        return values, position, ended


# A table cell's match: its key's labels, taking that one token.
_CELL_MATCHES: dict[str, dict[str, tuple[list[Label], int]]] = {
    table: {key: (labels, 1) for key, labels in labels_by_key(table).items() if labels}
    for table in fmt.TABLE_SECTION
}


def _assign(
    read: _TableRead, paths: Sequence[str], values: list[Token], ended: bool, label: Token
) -> None:
    raw, used = read.raw, read.used_lines
    used.add(label.line)
    for path, token in zip(paths, values, strict=False):
        raw.setdefault(path, token.text)
        used.add(token.line)
    if not ended:
        # The row is there but some cells are not: they are blank.
        for path in paths[len(values) :]:
            raw.setdefault(path, "")


def _read_table2(region: _Region) -> _TableRead:
    read = _TableRead()
    tokens = region.tokens
    index = 0
    while index < len(tokens):
        matched = region.match(index)
        if matched is None:
            index += 1
            continue
        labels, used = matched
        read.present = read.present or any(
            label.kind is Kind.ROW or label.key in _T2_GROUP_HEADERS for label in labels
        )
        _use(read, tokens, index, used)
        row = next((label for label in labels if label.kind is Kind.ROW), None)
        if row is None:
            index += used
            continue
        paths = _T2_PATHS[row.key]
        values, after, ended = region.values(index + used, tokens[index], len(paths))
        if read.raw.keys().isdisjoint(paths):
            _assign(read, paths, values, ended, tokens[index])
        index = max(after, index + used)
    return read


def _read_table3(region: _Region) -> _TableRead:
    read = _TableRead()
    tokens = region.tokens
    group: str | None = None  # the level-2 group (（三）不予公开 …) the rows are under
    header_columns: list[str] = []  # the applicant columns the header names, before the first row
    columns: tuple[str, ...] | None = None  # decided at the first row
    index = 0
    while index < len(tokens):
        matched = region.match(index)
        if matched is None:
            index += 1
            continue
        labels, used = matched
        read.present = read.present or any(
            label.kind in (Kind.ROW, Kind.GROUP) or label.key in _T3_HEADERS for label in labels
        )
        _use(read, tokens, index, used)
        row_key = _t3_row(labels, group)
        if row_key is None:
            if columns is None:
                header_columns += [
                    label.key
                    for label in labels
                    if label.kind is Kind.HEADER and label.key in fmt.T3_COLUMN_KEYS
                ]
            for label in labels:
                if label.kind is Kind.GROUP and label.key != fmt.T3_ROWS[2].level1:
                    group = label.key
            index += used
            continue
        row = fmt.T3_ROW_BY_KEY[row_key]
        group = row.level2 if row.level3 else None
        if columns is None:
            columns = _t3_columns(region, index, used, tokens[index], header_columns)
        paths = _t3_paths(row_key, columns)
        values, after, ended = region.values(index + used, tokens[index], len(paths))
        if read.raw.keys().isdisjoint(paths):
            _assign(read, paths, values, ended, tokens[index])
        index = max(after, index + used)
    return read


def _use(read: _TableRead, tokens: list[Token], index: int, used: int) -> None:
    """The lines of the `used` tokens from `index` on (a label, perhaps in fragments) are read."""
    if used == 1:
        read.used_lines.add(tokens[index].line)
    else:
        read.used_lines.update(tokens[i].line for i in range(index, index + used))


_T2_PATHS: dict[str, tuple[str, ...]] = {item.key: tuple(item.paths()) for item in fmt.T2_ITEMS}


@lru_cache(maxsize=256)
def _t3_paths(row_key: str, columns: tuple[str, ...]) -> tuple[str, ...]:
    """The paths of a table 3 row's cells for the columns printed (the same for every report)."""
    return tuple(f"{row_key}.{column}" for column in columns)


def _t3_columns(
    region: _Region, index: int, used: int, label: Token, header_columns: list[str]
) -> tuple[str, ...]:
    """The columns of table 3 as printed. Normally all seven; when the header names fewer (at least
    three) *and* the first row holds exactly that many figures, the table lacks the others, which
    are then absent (ROW-MISSING) instead of misread as shifted or blank cells."""
    named = set(header_columns)
    if not 3 <= len(named) < len(fmt.T3_COLUMN_KEYS):
        return fmt.T3_COLUMN_KEYS
    values, _, ended = region.values(index + used, label, len(fmt.T3_COLUMN_KEYS))
    if ended or len(values) != len(named):
        return fmt.T3_COLUMN_KEYS
    return tuple(key for key in fmt.T3_COLUMN_KEYS if key in named)


def _t3_row(labels: Sequence[Label], group: str | None) -> str | None:
    for label in labels:
        if label.kind is Kind.ROW:
            return label.key
    for label in labels:
        if (
            label.kind is Kind.BARE
            and group is not None
            and fmt.T3_ROW_BY_KEY[label.key].level2 == group
        ):
            return label.key
    return None


def _t4_columns(seen: list[str]) -> list[str]:
    """The paths of the columns the header shows, in order: runs of column labels in the
    official order belong to 行政复议, 未经复议直接起诉, 复议后起诉 in turn."""
    order = {key: index for index, key in enumerate(fmt.T4_COLUMN_KEYS)}
    runs: list[list[str]] = []
    for key in seen:
        if runs and order[key] > order[runs[-1][-1]]:
            runs[-1].append(key)
        else:
            runs.append([key])
    if not runs or len(runs) > len(fmt.T4_GROUP_KEYS):
        runs = [list(fmt.T4_COLUMN_KEYS)] * len(fmt.T4_GROUP_KEYS)
    return [
        f"{group}.{column}"
        for group, run in zip(fmt.T4_GROUP_KEYS, runs, strict=False)
        for column in run
    ]


def _read_table4(region: _Region) -> _TableRead:
    read = _TableRead()
    tokens = region.tokens
    index = 0
    seen: list[str] = []
    values: list[Token] = []
    while index < len(tokens):
        matched = region.match(index)
        if matched is not None:
            labels, used = matched
            if values:
                break
            read.present = read.present or any(label.kind is Kind.T4_GROUP for label in labels)
            if not read.present:
                index += used
                continue
            _use(read, tokens, index, used)
            column = next((label for label in labels if label.kind is Kind.T4_COLUMN), None)
            if column is not None:
                seen.append(column.key)
            index += used
            continue
        token = tokens[index]
        value_like = token.number or (
            len(token.text.strip()) <= 2 and (token.row is not None or bool(values))
        )
        if read.present and value_like:
            values.append(token)
        elif read.present and values and len(token.key) > 12:
            break
        index += 1
        if read.present and len(values) >= len(fmt.T4_COLUMN_KEYS) * len(fmt.T4_GROUP_KEYS):
            break
    if not read.present:
        return read
    paths = _t4_columns(seen)
    ended = index >= len(tokens) and region.at_document_end and len(values) < len(paths)
    for path, token in zip(paths, values, strict=False):
        read.raw[path] = token.text
        read.used_lines.add(token.line)
    if not ended and values:
        for path in paths[len(values) :]:
            read.raw.setdefault(path, "")
    return read


_T2_GROUP_HEADERS = frozenset(group.header for group in fmt.T2_GROUPS)
_T3_HEADERS = frozenset({fmt.T3_CORNER_LABEL, fmt.T3_HEADER_LABEL, fmt.T3_ORGANISATION_GROUP_LABEL})
_READERS = {"table2": _read_table2, "table3": _read_table3, "table4": _read_table4}


def _cells(read: _TableRead, table: str) -> tuple[dict[str, Cell], list[Finding], dict[str, str]]:
    values: dict[str, Cell] = {}
    findings: list[Finding] = []
    raw: dict[str, str] = {}
    for path, text in read.raw.items():
        address = f"{table}.{path}"
        raw[address] = text
        figure = text.strip()
        # The common cell, a plain count, without the general reading (`read_cell` does the same).
        if figure.isdigit() and figure.isascii() and address != FEES_ADDRESS:
            values[path] = int(figure)
            continue
        value, found = read_cell(address, text)
        values[path] = value
        findings.extend(found)
    return values, findings, raw


def _table_range(section: str, sections: Sequence[tuple[str, int]], total: int) -> tuple[int, int]:
    """The lines a table is looked for in: its section; if the document lacks the heading, the
    stretch between the sections found before and after it."""
    start, end = 0, total
    for position, (number, line) in enumerate(sections):
        if number == section:
            following = sections[position + 1][1] if position + 1 < len(sections) else total
            return line + 1, following
        if int(number) < int(section):
            start = line + 1
        elif int(number) > int(section):
            end = min(end, line)
    return start, end


def _sections(lines: Sequence[Line]) -> list[tuple[str, int]]:
    """(section number, heading line) in document order; numbers only increase."""
    found: list[tuple[str, int]] = []
    last = 0
    for index, line in enumerate(lines):
        text = line.cells[0]
        if line.grid:
            # A heading printed inside the table, as one cell spanning the row. Only a cell that
            # starts like a heading can be one: most rows are ruled out by their first cell.
            first = next((cell for cell in line.cells if cell), "")
            if not could_be_heading(first):
                continue
            filled = {cell for cell in line.cells if cell}
            if len(filled) != 1:
                continue
            text = filled.pop()
        number = heading_number(text)
        if number is not None and int(number) > last:
            found.append((number, index))
            last = int(number)
    return found


def parse_document(
    document: SourceDocument, *, published_on: dt.date | None = None
) -> ParsedReport:
    """Read a document into the report value. Never raises on odd input: what it cannot find is
    absent from the value, which the rules report."""
    lines = _split_headings(document.lines)
    plain = [line.text for line in lines]
    text = document.text
    sections = _sections(lines)
    first_heading = sections[0][1] if sections else len(lines)
    title = find_title(plain, min(HEAD_LINES, max(first_heading, 1) + 1))
    published = published_on or find_published_on(plain, min(HEAD_LINES, first_heading + 1))
    year = title.year if title else guess_year(text, published)
    report_format = detect_format(text, year, plain)

    boundaries = [index for _, index in sections] + [len(lines)]
    section_ranges = {
        number: (start + 1, boundaries[position + 1])
        for position, (number, start) in enumerate(sections)
    }
    tables: dict[str, _TableRead] = {}
    used: set[int] = set()
    for table, reader in _READERS.items():
        start, end = _table_range(fmt.TABLE_SECTION[table], sections, len(lines))
        region = _Region(tokenize(lines, start, end, frozenset(used)), table, end >= len(lines))
        tables[table] = reader(region)
        used |= tables[table].used_lines

    texts: dict[str, str] = {}
    title_line = title.line if title else -1
    preamble = [
        line.cells[0]
        for index, line in enumerate(lines[:first_heading])
        if index > title_line
        and not line.grid
        and line.cells[0]
        and not _METADATA.search(line.cells[0])
        and find_title([line.cells[0]], 1) is None
    ]
    if preamble:
        texts[fmt.PREAMBLE_KEY] = "\n".join(preamble)
    for number, (start, end) in section_ranges.items():
        body = [
            lines[index].cells[0]
            for index in range(start, end)
            if not lines[index].grid and index not in used and lines[index].cells[0]
        ]
        texts[number] = "\n".join(body)
    name = title.name if title else UNKNOWN_AGENCY
    if sections:
        last = sections[-1][0]
        texts[last] = _drop_signature(texts[last], name)

    findings: list[Finding] = []
    raw_cells: dict[str, str] = {}
    values: dict[str, dict[str, Cell] | None] = {}
    for table, read in tables.items():
        if not read.present:
            values[table] = None
            continue
        cells, found, raw = _cells(read, table)
        findings.extend(found)
        raw_cells.update(raw)
        values[table] = cells
    table2, table3, table4 = values["table2"], values["table3"], values["table4"]
    report = AnnualReport(
        format=report_format,
        agency=Agency(name, agency_level(name) if title else fmt.AgencyLevel.DEPARTMENT),
        year=year if year is not None else 0,
        published_on=published,
        sections=texts,
        table2=None if table2 is None else Table2(table2),
        table3=None if table3 is None else Table3(table3),
        table4=None if table4 is None else Table4(table4),
    )
    looks = bool(title or sections or any(read.present for read in tables.values()))
    return ParsedReport(
        report=report,
        cells=raw_cells,
        findings=tuple(findings),
        text=text,
        kind=document.kind,
        title_found=title is not None,
        year_known=year is not None,
        looks_like_report=looks,
    )


_NUMERALS = frozenset(section.heading[0] for section in fmt.SECTIONS)
_OFFICIAL_HEADINGS = tuple(
    (section.heading, unicodedata.normalize("NFKC", section.heading)) for section in fmt.SECTIONS
)


def _split_headings(lines: Sequence[Line]) -> tuple[Line, ...]:
    """A heading printed at the start of its first paragraph ("一、总体情况 2023年，…") becomes a
    heading line and a text line."""
    out: list[Line] = []
    for line in lines:
        text = line.cells[0]
        if (
            not line.grid
            and len(text) > 12
            and text.lstrip()[:1] in _NUMERALS
            and heading_number(text) is None
        ):
            folded = nfkc(text[:40]).lstrip()
            for heading, normalised in _OFFICIAL_HEADINGS:
                if folded.startswith(normalised):
                    stripped = text.lstrip()
                    rest = (
                        stripped[len(heading) :]
                        if stripped.startswith(heading)
                        else nfkc(stripped)[len(normalised) :]
                    )
                    out.append(text_line(heading))
                    rest = rest.lstrip(" \u3000。.:：")
                    if rest:
                        out.append(text_line(rest))
                    break
            else:
                out.append(line)
        else:
            out.append(line)
    return tuple(out)


def _drop_signature(text: str, name: str) -> str:
    """The last section ends with the agency's name and the date: they are not section text."""
    lines = text.split("\n")
    key = norm(name)
    while lines and (_DATE_LINE.match(lines[-1]) or (key and norm(lines[-1]) == key)):
        lines.pop()
    return "\n".join(lines)
