"""Reading one printed cell into the value: counts through the shared `rules.parse_cell`, the fee
(万元, a decimal) here. Blank or non-numeric cells become None and keep their raw text in the
finding."""

from __future__ import annotations

import re
from functools import lru_cache

from gongkai.reports import format as fmt
from gongkai.reports.rules import Finding, Rule, describe_cell, finding, parse_cell
from gongkai.reports.rules.folding import nfkc
from gongkai.reports.value import Cell, ReportValueError, yuan_from_wan_yuan

FEES_ADDRESS = f"table2.{fmt.T2_FEES_PATH}"
_NUMBER_TOKEN = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?(?:万元|元|件|个|条|项|起|次|人|篇|份)?")
_MONEY = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


@lru_cache(maxsize=65_536)
def is_number_token(text: str) -> bool:
    """Whether a token printed in a table is a figure ("0", "０", "1,234", "12件", "1.5")."""
    return bool(_NUMBER_TOKEN.fullmatch(nfkc(text).strip()))


def read_cell(address: str, raw: str) -> tuple[Cell, tuple[Finding, ...]]:
    if address == FEES_ADDRESS:
        return read_fee(raw)
    text = raw.strip()
    if text.isascii() and text.isdigit():  # the common case, without the general reading
        return int(text), ()
    return parse_cell(address, raw)


def read_fee(raw: str) -> tuple[Cell, tuple[Finding, ...]]:
    """The fee in 万元 ("0", "1.2345", "0.05万元") as whole yuan."""
    text = re.sub(r"\s+", "", nfkc(raw)).removesuffix("万元")
    if _MONEY.fullmatch(text):
        try:
            yuan = yuan_from_wan_yuan(text)
        except ReportValueError:
            yuan = None
        if yuan is not None:
            if yuan < 0:
                return yuan, (
                    finding(
                        Rule.CELL_INVALID,
                        [FEES_ADDRESS],
                        f"{describe_cell(FEES_ADDRESS)}为负数（{raw.strip()}）",
                    ),
                )
            return yuan, ()
    shown = f"“{raw.strip()}”" if raw.strip() else "空白"
    return None, (
        finding(
            Rule.CELL_BLANK,
            [FEES_ADDRESS],
            f"{describe_cell(FEES_ADDRESS)}为{shown}，不是数字；没有收费的应填写0",
        ),
    )
