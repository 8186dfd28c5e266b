"""Grouped counts dealt out per agency: the shared step of the batch report selectors.

A GROUP BY query returns rows `(agency id, *bucket key, n)`. Each kind of bucket is counted in
fixed cells of a table (its offsets, worked out once per kind by the caller's counting rule), and
every agency's cells live in one flat list, agency after agency, so that a group row costs two dict
lookups and its adds — the selectors read hundreds of thousands of such rows for a province.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet


def fetch_raw(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The queryset's rows as the database gives them, without Django's per-row converters (for
    rows of ints and strings only)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def counts_by_agency(
    rows: Sequence[tuple[Any, ...]],
    ids: Sequence[int],
    offsets_for: Callable[..., tuple[int, ...]],
    row_keys: Sequence[str],
    width: int,
) -> dict[int, dict[str, tuple[int, ...]]]:
    """{agency id: {row key: counts}} from grouped `rows` `(agency id, *key, n)`: each row's `n`
    added at `offsets_for(*key)` within its agency's `len(row_keys) × width` cells. Every agency
    of `ids` gets every row (zeros where nothing was counted); rows of other agencies are left out."""
    size = len(row_keys) * width
    counts = [0] * (len(ids) * size)
    bases = {pk: index * size for index, pk in enumerate(ids)}
    offsets_of: dict[tuple[Any, ...], tuple[int, ...]] = {}
    for agency_id, *key_parts, n in rows:
        key = tuple(key_parts)
        offsets = offsets_of.get(key)
        if offsets is None:
            offsets = offsets_of[key] = offsets_for(*key)
        base = bases.get(agency_id)
        if base is None:  # an agency created after `ids` was read
            continue
        for offset in offsets:
            counts[base + offset] += n
    # The counters cut into rows and the rows dealt out agency by agency, in C-level passes.
    lines = list(zip(*[iter(counts)] * width, strict=True))
    height = len(row_keys)
    return {
        pk: dict(zip(row_keys, lines[start : start + height], strict=True))
        for pk, start in zip(ids, range(0, len(lines), height), strict=True)
    }
