"""The report's identity from its text: title → agency and year, agency name → level, the
publication date, and which national format it follows."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from gongkai.reports import format as fmt
from gongkai.reports.checker.labels import norm
from gongkai.reports.rules import old_format_signs
from gongkai.reports.rules.folding import nfkc

_TITLE = re.compile(
    r"^(?P<name>[^\d\s，。,:：;；《》“”\"|][^\s，。,:：;；《》“”\"|]{1,39}?)\s*(?:关于)?\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*"
    r"(?:的)?\s*政府信息公开"
)
_YEAR_MENTION = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE = r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.．]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.．]|月)\s*(?P<d>\d{1,2})"
_DATE_LABELLED = re.compile(
    r"(?:发布日期|发布时间|成文日期|日期|时间|发文日期)\s*[:：]?\s*" + _DATE
)
_DATE_ALONE = re.compile(r"^\s*" + _DATE + r"\s*日?\s*$")
_CHINESE_DATE = re.compile(
    r"^\s*(?P<y>[〇零一二三四五六七八九○Ｏ]{4})年(?P<m>[一二三四五六七八九十]{1,3})月"
    r"(?P<d>[一二三四五六七八九十]{1,3})日\s*$"
)
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}

_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_PROVINCE_ENDINGS = ("省", "自治区", "特别行政区")
_TOWNSHIP_ENDINGS = ("镇", "乡", "街道", "街道办事处", "苏木", "民族乡")
_COUNTY_ENDINGS = ("县", "区", "旗", "自治县", "自治旗", "林区", "特区")
_GOVERNMENT = ("人民政府办公室", "人民政府办公厅", "人民政府", "政府")
_SIGNS = tuple(
    re.sub(r"\s+", "", unicodedata.normalize("NFKC", sign.text)) for sign in fmt.OLD_FORMAT_SIGNS
)
_SENTENCE_ENDS = ("。", "；", ";", "！", "？")
_FORMAT_LEGACY_SIGNS = (
    "政府信息公开工作的基本情况",
    "政府信息公开的收费及减免情况",
    "提起行政诉讼的情况",
    "主动公开政府信息的情况",
    "依申请公开政府信息情况",
    "因政府信息公开申请行政复议",
)


@dataclass(frozen=True)
class Title:
    name: str
    year: int
    line: int  # index of the (last) line the title was read from


def find_title(lines: Sequence[str], limit: int) -> Title | None:
    """The "XX2023年政府信息公开工作年度报告" title among the first `limit` lines.

    Each line is tried alone first, then joined with the next (a title wrapped over two lines, or
    the agency on one line and "2023年政府信息公开工作年度报告" on the next).
    """
    # Titles are short lines; long prose lines are not normalised at all.
    head = [nfkc(line).strip() if len(line) <= 120 else "" for line in lines[:limit]]
    for index, line in enumerate(head):
        match = _TITLE.match(line)
        if match:
            return Title(_clean_name(match.group("name")), int(match.group("year")), index)
    for index in range(len(head) - 1):
        match = _TITLE.match(head[index] + head[index + 1])
        if match and len(match.group("name")) <= len(head[index]) + 1:
            return Title(_clean_name(match.group("name")), int(match.group("year")), index + 1)
    return None


def _clean_name(name: str) -> str:
    return name.strip().removesuffix("关于").strip()


def agency_level(name: str) -> fmt.AgencyLevel:
    """province / city / county / township / department from the agency's name."""
    compact = re.sub(r"[\s()（）]", "", name)
    base = compact
    for suffix in _GOVERNMENT:
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
            break
    else:
        if not base.endswith((*_TOWNSHIP_ENDINGS, *_COUNTY_ENDINGS, "市", *_PROVINCE_ENDINGS)):
            return fmt.AgencyLevel.DEPARTMENT
    if base in _MUNICIPALITIES or base.endswith(_PROVINCE_ENDINGS):
        return fmt.AgencyLevel.PROVINCE
    if base.endswith(_TOWNSHIP_ENDINGS):
        return fmt.AgencyLevel.TOWNSHIP
    if base.endswith(_COUNTY_ENDINGS):
        return fmt.AgencyLevel.COUNTY
    if base.endswith("市"):
        # A 县级市 directly under a prefecture is named after it ("XX市YY市"): county level.
        return fmt.AgencyLevel.COUNTY if base[:-1].count("市") >= 1 else fmt.AgencyLevel.CITY
    return fmt.AgencyLevel.DEPARTMENT


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _chinese_number(text: str) -> int:
    if text.startswith("十"):
        return 10 + (_CN_DIGIT.get(text[1], 0) if len(text) > 1 else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGIT.get(tens, 0) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)
    return _CN_DIGIT.get(text, 0)


def find_published_on(lines: Sequence[str], head: int) -> dt.date | None:
    """发布日期/时间 near the top; otherwise the date under the signature at the end."""
    for line in lines[:head]:
        if len(line) > 200 or not ("日" in line or "时间" in line):
            continue
        match = _DATE_LABELLED.search(nfkc(line))
        if match:
            found = _date(match.group("y"), match.group("m"), match.group("d"))
            if found is not None:
                return found
    for line in reversed(lines[-6:]):
        text = nfkc(line)
        match = _DATE_ALONE.match(text)
        if match:
            found = _date(match.group("y"), match.group("m"), match.group("d"))
            if found is not None:
                return found
        chinese = _CHINESE_DATE.match(line)
        if chinese:
            year = "".join(str(_CN_DIGIT.get(char, 0)) for char in chinese.group("y"))
            found = _date(
                year,
                str(_chinese_number(chinese.group("m"))),
                str(_chinese_number(chinese.group("d"))),
            )
            if found is not None:
                return found
    return None


def guess_year(text: str, published_on: dt.date | None) -> int | None:
    """Without a title: the year before publication, else the year the text mentions most."""
    if published_on is not None:
        return published_on.year - 1
    years = Counter(int(year) for year in _YEAR_MENTION.findall(text[:20_000]))
    return years.most_common(1)[0][0] if years else None


# Words that every old-format sign, the bare 规范性文件 row and both forms of （六）其他处理
# contain; a line without any of them cannot show a sign.
_TRIGGERS = (
    "数量", "增", "管理服务", "九", "集中采购", "规范性文件", "其他处理", "不补正",
)  # fmt: skip
_BARE_ROW = norm(fmt.OLD_FORMAT_BARE_ROW.text)
_BARE_ROW_2021 = norm(fmt.OLD_FORMAT_BARE_ROW_2021)
_SPLIT = re.sub(r"\s+", "", unicodedata.normalize("NFKC", fmt.OLD_FORMAT_SPLIT_ROW_2021))
_UNSPLIT = re.sub(r"\s+", "", unicodedata.normalize("NFKC", fmt.OLD_FORMAT_UNSPLIT_ROW.text))


def _trigger_lines(text: str) -> list[str]:
    """The lines of `text` holding a trigger word, in order: found with `str.find` (a C search
    per word) instead of a pattern run over every line."""
    starts: set[int] = set()
    for word in _TRIGGERS:
        at = text.find(word)
        while at >= 0:
            starts.add(text.rfind("\n", 0, at) + 1)
            at = text.find(word, at + 1)
    out = []
    for start in sorted(starts):
        end = text.find("\n", start)
        out.append(text[start:] if end < 0 else text[start:end])
    return out


_SHORT = 40


def _compact(line: str) -> str:
    """NFKC with all whitespace dropped."""
    if len(line) <= _SHORT:
        return _compact_short(line)
    return "".join(nfkc(line).split())


@lru_cache(maxsize=65_536)
def _compact_short(line: str) -> str:
    """`_compact` of a short line, cached: table rows and headings recur from report to report
    (long lines are prose, each seen once)."""
    return "".join(nfkc(line).split())


def might_be_old_format(text: str, lines: Sequence[str]) -> bool:
    """A cheap test that rules out most 2021 reports before `old_format_signs` looks closely."""
    # Only lines holding a trigger word can hold a sign: fold those, not the whole text.
    flat = "".join(_compact(line) for line in _trigger_lines(text))
    if any(sign in flat for sign in _SIGNS) or (_UNSPLIT in flat and _SPLIT not in flat):
        return True
    if flat.count(_BARE_ROW) <= flat.count(_BARE_ROW_2021):
        return False  # every 规范性文件 is the 2021 行政规范性文件
    # A cell equal to 规范性文件 contains 件 (NFKC keeps it), so other lines need no folding.
    return any(
        "件" in cell and norm(cell) == _BARE_ROW
        for line in lines
        if "件" in line
        for cell in line.replace("\t", "|").split("|")
    )


def detect_format(text: str, year: int | None, lines: Sequence[str]) -> fmt.ReportFormat:
    """2021 unless the text shows the 2019 trial format's labels or an older layout's headings.

    An older layout is recognised by its headings (short lines), never by words in the prose.
    """
    if year is not None and year < 2019:
        return fmt.ReportFormat.LEGACY
    # A sentence ("本年度未发生…提起行政诉讼的情况。") is no heading, however short.
    # Joined by newlines, which no heading (folded, so without whitespace) nor sign contains: a
    # sign found in the whole is found in one heading.
    headings = "\n".join(
        _compact(line)
        for line in lines
        if len(line) <= _SHORT and not line.rstrip().endswith(_SENTENCE_ENDS)
    )
    if any(sign in headings for sign in _FORMAT_LEGACY_SIGNS):
        return fmt.ReportFormat.LEGACY
    if might_be_old_format(text, lines) and old_format_signs(text):
        return fmt.ReportFormat.F2019
    return fmt.ReportFormat.F2021
