"""The item state table: the allowed moves, including 撤稿 → 重新起草 (republishing)."""

from __future__ import annotations

import itertools

import pytest

from gongkai.publishing.models import ItemStatus
from gongkai.publishing.states import TRANSITIONS, can_reopen, can_transition, is_editable


def test_every_status_has_a_row_in_the_table():
    assert set(TRANSITIONS) == set(ItemStatus.values)


def test_a_withdrawn_item_can_only_go_back_to_drafting():
    assert TRANSITIONS[ItemStatus.WITHDRAWN] == frozenset({ItemStatus.DRAFT})
    assert can_reopen(ItemStatus.WITHDRAWN)
    # Straight back to the public site, or into review without a draft, is not a move.
    assert not can_transition(ItemStatus.WITHDRAWN, ItemStatus.PUBLISHED)
    assert not can_transition(ItemStatus.WITHDRAWN, ItemStatus.IN_REVIEW)


@pytest.mark.parametrize(
    "status",
    [
        ItemStatus.DRAFT,
        ItemStatus.RETURNED,
        ItemStatus.IN_REVIEW,
        ItemStatus.SCHEDULED,
        ItemStatus.PUBLISHED,
    ],
)
def test_only_withdrawn_items_can_be_reopened(status):
    assert not can_reopen(status)


def test_the_republish_path_is_the_ordinary_review_path():
    path = [
        ItemStatus.PUBLISHED,
        ItemStatus.WITHDRAWN,
        ItemStatus.DRAFT,
        ItemStatus.IN_REVIEW,
        ItemStatus.PUBLISHED,
    ]
    assert all(can_transition(a, b) for a, b in itertools.pairwise(path))
    assert is_editable(ItemStatus.DRAFT)
    assert not is_editable(ItemStatus.WITHDRAWN)
