"""The item's states and allowed transitions, as data (services consult it; nothing else moves status).

A withdrawn item (撤稿) may be taken back into drafting (`WITHDRAWN → DRAFT`, 撤稿后重新发布): it is
revised and goes through the whole review again before it is public once more, keeping its 索引号
and its withdrawal record.
"""

from __future__ import annotations

from gongkai.publishing.models import ItemStatus

EDITABLE = frozenset({ItemStatus.DRAFT, ItemStatus.RETURNED})

TRANSITIONS: dict[str, frozenset[str]] = {
    ItemStatus.DRAFT: frozenset({ItemStatus.IN_REVIEW}),
    ItemStatus.RETURNED: frozenset({ItemStatus.IN_REVIEW}),
    ItemStatus.IN_REVIEW: frozenset(
        {ItemStatus.RETURNED, ItemStatus.SCHEDULED, ItemStatus.PUBLISHED}
    ),
    # A scheduled publication can still be stopped (先审后发): back to its author, reason recorded.
    ItemStatus.SCHEDULED: frozenset({ItemStatus.PUBLISHED, ItemStatus.RETURNED}),
    ItemStatus.PUBLISHED: frozenset({ItemStatus.WITHDRAWN}),
    ItemStatus.WITHDRAWN: frozenset({ItemStatus.DRAFT}),
}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def is_editable(status: str) -> bool:
    return status in EDITABLE


def can_reopen(status: str) -> bool:
    """Whether the item can be taken back into drafting after 撤稿 (to be republished)."""
    return can_transition(status, ItemStatus.DRAFT)
