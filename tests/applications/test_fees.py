"""applications.fees: 信息处理费 (国办函〔2020〕109号), checked against a per-unit price list."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.applications.fees import (
    FeeTier,
    fee_by_count,
    fee_by_pages,
    quote_by_count,
    quote_by_pages,
)
from gongkai.core.exceptions import ValidationFailed


def price_of_application(number: int) -> int:
    """The price of the `number`-th application in a month, straight from the rule's wording."""
    if number <= 10:
        return 0
    if number <= 30:
        return 100
    return 200 + 100 * ((number - 31) // 10)


def price_of_page(number: int) -> int:
    if number <= 30:
        return 0
    if number <= 100:
        return 10
    if number <= 200:
        return 20
    return 40


def test_examples_from_the_spec() -> None:
    # 35 in a month: 20×100 + 5×200; 150 pages: 70×10 + 50×20.
    assert fee_by_count(35) == 3000
    assert fee_by_pages(150) == 1700


@pytest.mark.parametrize(
    ("applications", "amount"),
    [
        (0, 0),
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 2000),
        (31, 2200),
        (40, 4000),
        (41, 4300),
        (50, 7000),
    ],
)
def test_fee_by_count_at_the_tier_edges(applications: int, amount: int) -> None:
    assert fee_by_count(applications) == amount


@pytest.mark.parametrize(
    ("pages", "amount"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_fee_by_pages_at_the_tier_edges(pages: int, amount: int) -> None:
    assert fee_by_pages(pages) == amount


def test_count_explanation_lists_each_tier_used() -> None:
    quote = quote_by_count(35)
    assert quote.tiers == (FeeTier(1, 10, 0), FeeTier(11, 30, 100), FeeTier(31, 35, 200))
    assert quote.explanation[2:] == (
        "第1—10件：免费。",
        "第11—30件：20件 × 100元/件 = 2000元。",
        "第31—35件：5件 × 200元/件 = 1000元。",
        "合计：3000元。",
    )
    assert "按件计收" in quote.explanation[0]


def test_pages_explanation_lists_each_tier_used() -> None:
    quote = quote_by_pages(150)
    assert quote.explanation[2:] == (
        "第1—30页：免费。",
        "第31—100页：70页 × 10元/页 = 700元。",
        "第101—150页：50页 × 20元/页 = 1000元。",
        "合计：1700元。",
    )


def test_free_quantities_say_no_fee() -> None:
    assert quote_by_count(0).explanation[-1] == "合计：0元，不收费。"
    assert quote_by_pages(30).explanation[-1] == "合计：0元，不收费。"


def test_long_count_explanation_is_shortened_but_the_amount_is_whole() -> None:
    quote = quote_by_count(500)
    assert len(quote.explanation) < 20
    assert any("从略" in line for line in quote.explanation)
    assert quote.amount == sum(price_of_application(n) for n in range(1, 501))


@pytest.mark.parametrize("quote", [quote_by_count, quote_by_pages])
def test_negative_quantities_are_refused_in_chinese(quote: object) -> None:
    assert callable(quote)
    with pytest.raises(ValidationFailed, match="不能为负数"):
        quote(-1)


def test_absurd_quantities_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="过大"):
        fee_by_count(10**9)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 400))
def test_fee_by_count_matches_the_per_application_prices(applications: int) -> None:
    expected = sum(price_of_application(n) for n in range(1, applications + 1))
    assert fee_by_count(applications) == expected
    assert fee_by_count(applications + 1) >= fee_by_count(applications)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 3000))
def test_fee_by_pages_matches_the_per_page_prices(pages: int) -> None:
    expected = sum(price_of_page(n) for n in range(1, pages + 1))
    assert fee_by_pages(pages) == expected
    assert fee_by_pages(pages + 1) >= fee_by_pages(pages)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 5000), st.integers(0, 5000))
def test_fees_are_monotonic(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert fee_by_count(low) <= fee_by_count(high)
    assert fee_by_pages(low) <= fee_by_pages(high)
