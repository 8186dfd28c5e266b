"""Rules on the prose: TEXT-TABLE-MISMATCH and CHANNEL-SUM (spec §6).

The prose of a report restates its figures ("本年度共收到政府信息公开申请12件") and breaks totals
down ("公开政府信息465篇，其中…346条…6条、11条…"). Both are warnings: the reading is heuristic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from gongkai.reports import format as fmt
from gongkai.reports.rules.findings import (
    Finding,
    Rule,
    describe_cell,
    finding,
)
from gongkai.reports.rules.folding import nfkc_recent
from gongkai.reports.value import AnnualReport, Cell, Table2, Table3, Table4

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_MAGNITUDE = {"十": 10, "百": 100, "千": 1000}
_NUM = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+|[零〇一二两三四五六七八九十百千]+)"
# A gap inside one clause: no digits and no clause punctuation (after NFKC, ，；：become ,;:).
_GAP = r"[^\d。,;:!?\n]"


def parse_number(text: str) -> int | None:
    """Arabic ("12", "1,234") or Chinese ("十二", "一百零五", "两") numerals; None if neither."""
    text = text.replace(",", "")
    if text.isdigit():
        return int(text)
    total = 0
    digit: int | None = None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _MAGNITUDE:
            total += (1 if digit is None else digit) * _MAGNITUDE[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


@dataclass(frozen=True)
class _Claim:
    """A figure the prose states, and the table cells it must agree with."""

    what: str  # how the message names it
    addresses: tuple[str, ...]  # cells whose sum the figure is compared with
    extra: tuple[str, ...] = ()  # a tolerated reading: the same sum plus these cells


@dataclass(frozen=True)
class _ClaimPattern:
    regex: re.Pattern[str]
    claim: _Claim | None  # None: decided by `_carry_claim` from the words before the match
    zero: bool = False  # a negative statement ("未收到…申请") claims 0
    # A word every match contains: a section without it is not searched (a substring test costs
    # a fraction of running the pattern over the whole section).
    needs: str = ""


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace("GAP", _GAP).replace("NUM", _NUM))


_T3_TOTAL = fmt.T3_TOTAL_COLUMN
_RECEIVED = _Claim(
    "收到政府信息公开申请",
    (f"table3.new_received.{_T3_TOTAL}",),
    # "共受理申请15件" often includes last year's carry-over.
    extra=(f"table3.carried_over.{_T3_TOTAL}",),
)
_PROCESSED = _Claim("办结政府信息公开申请", (f"table3.{fmt.T3_TOTAL_ROW}.{_T3_TOTAL}",))
_CARRIED_OVER = _Claim("上年结转的申请", (f"table3.carried_over.{_T3_TOTAL}",))
_CARRIED_FORWARD = _Claim("结转下年度继续办理的申请", (f"table3.carried_forward.{_T3_TOTAL}",))
_REVIEW = _Claim("政府信息公开行政复议案件", ("table4.review.total",))
_LITIGATION = _Claim(
    "政府信息公开行政诉讼案件",
    ("table4.litigation_direct.total", "table4.litigation_after_review.total"),
)
_NORMATIVE = {
    "issued": _Claim("本年制发行政规范性文件", ("table2.normative_documents.issued",)),
    "repealed": _Claim("本年废止行政规范性文件", ("table2.normative_documents.repealed",)),
    "in_force": _Claim("现行有效行政规范性文件", ("table2.normative_documents.in_force",)),
}
_NOT_APPLICANT = r"(?!人|书|表|材料|事项|渠道|途径|方式)"

_CLAIM_PATTERNS: tuple[_ClaimPattern, ...] = (
    _ClaimPattern(
        _p(
            rf"(?:收到|受理|接收|接到|新收)GAP{{0,16}}?申请{_NOT_APPLICANT}[共计为]{{0,2}}NUM(?P<u>[件个份])"
        ),
        _RECEIVED,
        needs="申请",
    ),
    _ClaimPattern(
        _p(rf"(?:未|没有)(?:收到|受理|接收|接到)GAP{{0,16}}?申请{_NOT_APPLICANT}"),
        _RECEIVED,
        zero=True,
        needs="申请",
    ),
    _ClaimPattern(_p(r"办结GAP{0,12}?[共计为]{0,2}NUM(?P<u>[件个])"), _PROCESSED, needs="办结"),
    _ClaimPattern(
        _p(rf"(?:答复|办理完毕|完成)GAP{{0,12}}?申请{_NOT_APPLICANT}[共计为]{{0,2}}NUM(?P<u>件)"),
        _PROCESSED,
        needs="申请",
    ),
    _ClaimPattern(_p(r"结转GAP{0,12}?[共计为]{0,2}NUM(?P<u>件)"), None, needs="结转"),
    _ClaimPattern(
        _p(r"行政复议(?:案件|申请)?[共计为]{0,2}NUM(?P<u>[件起宗个])"), _REVIEW, needs="行政复议"
    ),
    _ClaimPattern(
        _p(
            r"(?:未|没有)(?:发生|出现|收到|被申请|被提起|因GAP{0,14}?被申请)GAP{0,14}?行政复议(?!后)"
        ),
        _REVIEW,
        zero=True,
        needs="行政复议",
    ),
    _ClaimPattern(
        _p(r"行政诉讼(?:案件)?[共计为]{0,2}NUM(?P<u>[件起宗个])"), _LITIGATION, needs="行政诉讼"
    ),
    _ClaimPattern(
        _p(r"(?:未|没有)(?:发生|出现|被提起|被起诉)GAP{0,14}?行政诉讼"),
        _LITIGATION,
        zero=True,
        needs="行政诉讼",
    ),
    _ClaimPattern(
        _p(
            r"(?:制发|印发|出台|制定|发布)(?:了)?(?:行政)?规范性文件[共计为]{0,2}NUM(?P<u>[件个份])"
        ),
        _NORMATIVE["issued"],
        needs="规范性文件",
    ),
    _ClaimPattern(
        _p(r"废止(?:了)?(?:行政)?规范性文件[共计为]{0,2}NUM(?P<u>[件个份])"),
        _NORMATIVE["repealed"],
        needs="规范性文件",
    ),
    _ClaimPattern(
        _p(r"现行有效(?:的)?(?:行政)?规范性文件[共计为]{0,2}NUM(?P<u>[件个份])"),
        _NORMATIVE["in_force"],
        needs="规范性文件",
    ),
)
_CARRIED_OVER_WORDS = re.compile(r"(?:上年|上一年|去年)度?(?:未办结的?)?$")


def _carry_claim(text: str, start: int) -> _Claim:
    """结转 alone is ambiguous: "上年结转2件" is 二, "结转下年度2件" / "结转2件" is 四."""
    before = text[max(0, start - 8) : start]
    return _CARRIED_OVER if _CARRIED_OVER_WORDS.search(before) else _CARRIED_FORWARD


def _sum_cells(report: AnnualReport, addresses: Sequence[str]) -> int | None:
    total = 0
    for address in addresses:
        value = _cell(report, address)
        if value is None:
            return None
        total += value
    return total


def _cell(report: AnnualReport, address: str) -> Cell:
    name, path = address.split(".", 1)
    table: Table2 | Table3 | Table4 | None = getattr(report, name)
    return None if table is None else table.get(path)


def _prose_sections(report: AnnualReport) -> Iterator[tuple[str, str]]:
    for number in fmt.SECTION_NUMBERS:
        text = report.section(number)
        if text:
            # Both prose rules fold every section of a report, one after the other.
            yield number, nfkc_recent(text)


def check_text_against_tables(report: AnnualReport) -> list[Finding]:
    """TEXT-TABLE-MISMATCH: a figure stated in the prose differs from the table.

    Finds "收到/受理…申请N件", "办结N件", "结转N件", "行政复议N件", "行政诉讼N起",
    "制发规范性文件N件" (Arabic or Chinese numerals) and negative statements such as
    "未收到政府信息公开申请" (0).
    """
    found: list[Finding] = []
    seen: set[tuple[str, str, int]] = set()
    for number, text in _prose_sections(report):
        for pattern in _CLAIM_PATTERNS:
            if pattern.needs not in text:
                continue
            for match in pattern.regex.finditer(text):
                stated = 0 if pattern.zero else parse_number(match.group("n"))
                if stated is None:
                    continue
                claim = pattern.claim or _carry_claim(text, match.start())
                key = (number, claim.what, stated)
                if key in seen:
                    continue
                seen.add(key)
                actual = _sum_cells(report, claim.addresses)
                if actual is None:
                    continue
                accepted = {actual}
                if claim.extra and (extra := _sum_cells(report, claim.extra)) is not None:
                    accepted.add(actual + extra)
                if stated in accepted:
                    continue
                found.append(
                    finding(
                        Rule.TEXT_TABLE_MISMATCH,
                        [f"section.{number}", *claim.addresses],
                        _mismatch_message(number, claim, pattern, match, stated, actual),
                    )
                )
    return found


def _mismatch_message(
    number: str,
    claim: _Claim,
    pattern: _ClaimPattern,
    match: re.Match[str],
    stated: int,
    actual: int,
) -> str:
    heading = fmt.SECTION_BY_NUMBER[number].heading
    said = f"没有{claim.what}" if pattern.zero else f"{claim.what}{stated}{match.group('u')}"
    cells = "与".join(describe_cell(address) for address in claim.addresses)
    total = "之和" if len(claim.addresses) > 1 else ""
    return f"“{heading}”部分写明{said}（“{match.group(0)}”），但{cells}{total}为{actual}"


# CHANNEL-SUM: "公开政府信息465篇，其中…346条…6条、11条…" — a total and its breakdown.
_BREAKDOWN = re.compile(r"其中|具体包括|具体为|包括|分别为|分别是")
_ITEM = re.compile(
    r"(?<![\d.第])(?P<n>\d+(?:\.\d+)?)(?P<m>万|千)?(?P<u>[篇条则份件个项期])(?P<etc>等)?"
)
_UNIT_FAMILY = {"篇": "篇", "条": "篇", "则": "篇", "份": "篇"}


@dataclass(frozen=True)
class _Item:
    value: int
    unit: str
    family: str
    start: int
    end: int
    open_ended: bool  # followed by 等: the list is not exhaustive


def _items(sentence: str) -> list[_Item]:
    items = []
    for match in _ITEM.finditer(sentence):
        number = Decimal(match.group("n")) * (
            {"万": 10_000, "千": 1_000}[match.group("m")] if match.group("m") else 1
        )
        if number != number.to_integral_value():
            continue
        unit = match.group("u")
        items.append(
            _Item(
                int(number),
                unit,
                _UNIT_FAMILY.get(unit, unit),
                match.start(),
                match.end(),
                bool(match.group("etc")),
            )
        )
    return items


@dataclass(frozen=True)
class _Mismatch:
    total: _Item
    parts: tuple[_Item, ...]


def _breakdowns(sentence: str) -> list[_Mismatch]:
    """Totals followed by an exhaustive breakdown whose parts do not add up.

    The total is the last figure before 其中 (or 具体包括 …); its parts are the figures of the same
    kind after it, until they reach the total or the sentence ends. A part followed by its own 其中
    owns the figures after that, up to its own value, so nested breakdowns are not counted twice.
    """
    markers = [match.start() for match in _BREAKDOWN.finditer(sentence)]
    if not markers:
        return []
    items = _items(sentence)
    mismatches: list[_Mismatch] = []
    for marker in markers:
        before = [item for item in items if item.end <= marker]
        if not before:
            continue
        total = before[-1]
        after = [item for item in items if item.start > marker and item.family == total.family]
        parts, open_ended = _take_parts(after, total.value, markers, len(sentence))
        if open_ended or len(parts) < 2:
            continue
        if sum(part.value for part in parts) != total.value:
            mismatches.append(_Mismatch(total, tuple(parts)))
    return mismatches


def _take_parts(
    items: list[_Item], target: int, markers: list[int], sentence_end: int
) -> tuple[list[_Item], bool]:
    """A total's parts: figures in order until they reach it, skipping each part's own parts."""
    parts: list[_Item] = []
    running = 0
    index = 0
    open_ended = False
    while index < len(items) and running < target:
        item = items[index]
        parts.append(item)
        running += item.value
        open_ended = open_ended or item.open_ended
        index += 1
        next_start = items[index].start if index < len(items) else sentence_end
        if any(item.end <= marker < next_start for marker in markers):
            # The part has a breakdown of its own: skip its sub-items (checked on their own marker).
            sub_total = 0
            while index < len(items) and sub_total < item.value:
                sub_total += items[index].value
                index += 1
    return parts, open_ended


def check_channel_sums(report: AnnualReport) -> list[Finding]:
    """CHANNEL-SUM: the prose gives a total and a breakdown ("其中…") that do not add up."""
    found = []
    for number, text in _prose_sections(report):
        if _BREAKDOWN.search(text) is None:
            continue  # no sentence of it gives a breakdown (no marker spans 。!? or a newline)
        heading = fmt.SECTION_BY_NUMBER[number].heading
        for sentence in re.split(r"[。!?\n]", text):
            for mismatch in _breakdowns(sentence):
                values = [part.value for part in mismatch.parts]
                unit = mismatch.total.unit
                found.append(
                    finding(
                        Rule.CHANNEL_SUM,
                        [f"section.{number}"],
                        f"“{heading}”部分：总数为{mismatch.total.value}{unit}，但其后所列各项之和为"
                        f"{sum(values)}（{'+'.join(str(v) for v in values)}）",
                    )
                )
    return found
