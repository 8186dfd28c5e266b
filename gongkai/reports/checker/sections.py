"""Finding the six section headings, tolerantly.

A heading is a short line that starts with a Chinese numeral and 、 (or ．/./space) and names the
section: the 2021 headings, the 2019-style ones (一、政府信息公开工作的基本情况) and older layouts
(一、概述 … 五、因政府信息公开申请行政复议、提起行政诉讼的情况 … 七、其他需要报告的事项) are
recognised by their key words. Table 3's row labels (一、本年新收…, 三、本年度办理结果) also start
with a numeral and are never headings.
"""

from __future__ import annotations

import re

from gongkai.reports import format as fmt
from gongkai.reports.checker.labels import T3_LEVEL1_KEYS, norm

_NUMERALS = "一二三四五六七八九十"
_START = re.compile(rf"^\s*[{_NUMERALS}]{{1,2}}\s*[、.．,，\s]")
MAX_HEADING = 36

# Key words of each section, checked in this order (a later section's words are more specific).
_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("6", ("其他需要报告", "其他事项", "其他需报告")),
    ("5", ("存在的主要问题", "主要问题", "改进情况", "改进措施", "存在问题")),
    ("4", ("行政复议", "行政诉讼")),
    ("3", ("收到和处理", "依申请", "申请情况", "申请公开")),
    ("2", ("主动公开",)),
    ("1", ("总体情况", "基本情况", "概述", "总体")),
)
_OFFICIAL = {norm(section.heading): section.number for section in fmt.SECTIONS}


def could_be_heading(text: str) -> bool:
    """Whether `text` starts like a heading (a numeral and 、): `heading_number` is None otherwise."""
    return _START.match(text) is not None


def heading_number(text: str) -> str | None:
    """The section number ("1".."6") a heading line names, or None if the line is no heading."""
    if not _START.match(text) or len(text) > MAX_HEADING * 2:
        return None
    key = norm(text)
    if key in _OFFICIAL:
        return _OFFICIAL[key]
    if len(key) > MAX_HEADING or text.rstrip().endswith(("。", "；", ";")):
        return None
    if key.startswith(T3_LEVEL1_KEYS):
        return None
    for number, words in _KEYWORDS:
        if any(word in key for word in words):
            return number
    return None
