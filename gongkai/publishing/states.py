"""The item's states and allowed transitions, as data (services consult it; nothing else moves status)."""

from __future__ import annotations

from gongkai.publishing.models import ItemStatus

EDITABLE = frozenset({ItemStatus.DRAFT, ItemStatus.RETURNED})

TRANSITIONS: dict[str, frozenset[str]] = {
    ItemStatus.DRAFT: frozenset({ItemStatus.IN_REVIEW}),
    ItemStatus.RETURNED: frozenset({ItemStatus.IN_REVIEW}),
    ItemStatus.IN_REVIEW: frozenset(
        {ItemStatus.RETURNED, ItemStatus.SCHEDULED, ItemStatus.PUBLISHED}
    ),
    ItemStatus.SCHEDULED: frozenset({ItemStatus.PUBLISHED}),
    ItemStatus.PUBLISHED: frozenset({ItemStatus.WITHDRAWN}),
    ItemStatus.WITHDRAWN: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def is_editable(status: str) -> bool:
    return status in EDITABLE
