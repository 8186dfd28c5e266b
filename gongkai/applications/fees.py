"""信息处理费 (条例第四十二条; 国办函〔2020〕109号《政府信息公开信息处理费管理办法》): pure.

Provision is free; a fee may be charged only when quantity or frequency clearly exceeds a reasonable
range, and then by one of two progressive methods, each tier pricing only the part inside it
(procedures.md §5):

- 按件计收: applications of the same applicant in one calendar month. 1–10 free; 11–30 at 100 元
  each; from 31 on, in bands of 10, each band 100 元 more per application (31–40: 200 元,
  41–50: 300 元, …).
- 按量计收: pages within one application. 1–30 free; 31–100 at 10 元; 101–200 at 20 元;
  over 200 at 40 元 a page.

Amounts are whole yuan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from gongkai.core.exceptions import ValidationFailed

FeeMethod = Literal["by_count", "by_pages"]

FREE_APPLICATIONS: Final = 10
FIRST_PAID_APPLICATIONS_LAST: Final = 30
FIRST_PAID_APPLICATION_RATE: Final = 100
BAND_SIZE: Final = 10
BAND_STEP: Final = 100

# (first page, last page or None for "and above", yuan per page)
PAGE_TIERS: Final[tuple[tuple[int, int | None, int], ...]] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)

# Bounds against absurd input (and unbounded loops): no real request comes near them.
MAX_APPLICATIONS: Final = 100_000
MAX_PAGES: Final = 10_000_000
# Beyond this many bands of 10, the explanation shows the first and last few only.
BANDS_SHOWN: Final = 8


@dataclass(frozen=True)
class FeeTier:
    """One tier used: the units `first`..`last` inside it, at `rate` 元 each."""

    first: int
    last: int
    rate: int

    @property
    def units(self) -> int:
        return self.last - self.first + 1

    @property
    def subtotal(self) -> int:
        return self.units * self.rate


@dataclass(frozen=True)
class FeeQuote:
    method: FeeMethod
    quantity: int
    tiers: tuple[FeeTier, ...]
    explanation: tuple[str, ...]

    @property
    def amount(self) -> int:
        return sum(tier.subtotal for tier in self.tiers)


def _check_quantity(quantity: int, noun: str, maximum: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise ValidationFailed(f"{noun}必须是整数。", code="fee_quantity_not_integer")
    if quantity < 0:
        raise ValidationFailed(f"{noun}不能为负数。", code="fee_quantity_negative")
    if quantity > maximum:
        raise ValidationFailed(
            f"{noun}过大（超过{maximum}），请检查输入。", code="fee_quantity_too_large"
        )


def _tier_line(tier: FeeTier, unit: str, price_unit: str) -> str:
    span = (
        f"第{tier.first}{unit}" if tier.first == tier.last else f"第{tier.first}—{tier.last}{unit}"
    )
    if tier.rate == 0:
        return f"{span}：免费。"
    return f"{span}：{tier.units}{unit} × {tier.rate}元/{price_unit} = {tier.subtotal}元。"


def count_tiers(applications: int) -> tuple[FeeTier, ...]:
    """The 按件 tiers that `applications` in one month reach, each cut to the part inside it."""
    tiers: list[FeeTier] = []
    if applications >= 1:
        tiers.append(FeeTier(1, min(applications, FREE_APPLICATIONS), 0))
    if applications > FREE_APPLICATIONS:
        tiers.append(
            FeeTier(
                FREE_APPLICATIONS + 1,
                min(applications, FIRST_PAID_APPLICATIONS_LAST),
                FIRST_PAID_APPLICATION_RATE,
            )
        )
    first = FIRST_PAID_APPLICATIONS_LAST + 1
    rate = FIRST_PAID_APPLICATION_RATE + BAND_STEP
    while first <= applications:
        tiers.append(FeeTier(first, min(applications, first + BAND_SIZE - 1), rate))
        first += BAND_SIZE
        rate += BAND_STEP
    return tuple(tiers)


def page_tiers(pages: int) -> tuple[FeeTier, ...]:
    """The 按量 tiers that `pages` reach, each cut to the part inside it."""
    tiers: list[FeeTier] = []
    for first, last, rate in PAGE_TIERS:
        if pages < first:
            break
        tiers.append(FeeTier(first, pages if last is None else min(pages, last), rate))
    return tuple(tiers)


def quote_by_count(applications: int) -> FeeQuote:
    """按件计收: the fee for the `applications`-th application count of one applicant in a month."""
    _check_quantity(applications, "申请件数", MAX_APPLICATIONS)
    tiers = count_tiers(applications)
    lines = [
        "计收方式：按件计收（同一申请人一个自然月内的申请件数；条例第四十二条、国办函〔2020〕109号）。",
        f"本月申请件数：{applications}件。",
    ]
    tier_lines = [_tier_line(tier, "件", "件") for tier in tiers]
    if len(tier_lines) > 2 + BANDS_SHOWN:
        hidden = len(tier_lines) - 2 - BANDS_SHOWN
        tier_lines = [
            *tier_lines[: 2 + BANDS_SHOWN // 2],
            f"……（中间{hidden}档从略，每档10件，单价逐档递增100元）",
            *tier_lines[-(BANDS_SHOWN // 2) :],
        ]
    lines += tier_lines
    amount = sum(tier.subtotal for tier in tiers)
    lines.append(f"合计：{amount}元。" if amount else "合计：0元，不收费。")
    return FeeQuote("by_count", applications, tiers, tuple(lines))


def quote_by_pages(pages: int) -> FeeQuote:
    """按量计收: the fee for `pages` pages within one application."""
    _check_quantity(pages, "页数", MAX_PAGES)
    tiers = page_tiers(pages)
    lines = [
        "计收方式：按量计收（同一申请的页数；条例第四十二条、国办函〔2020〕109号）。",
        f"页数：{pages}页。",
    ]
    lines += [_tier_line(tier, "页", "页") for tier in tiers]
    amount = sum(tier.subtotal for tier in tiers)
    lines.append(f"合计：{amount}元。" if amount else "合计：0元，不收费。")
    return FeeQuote("by_pages", pages, tiers, tuple(lines))


def fee_by_count(applications: int) -> int:
    """按件计收, in yuan: 35 applications in a month → 20×100 + 5×200 = 3000."""
    return quote_by_count(applications).amount


def fee_by_pages(pages: int) -> int:
    """按量计收, in yuan: 150 pages → 70×10 + 50×20 = 1700."""
    return quote_by_pages(pages).amount
