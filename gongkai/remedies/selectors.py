"""Reads of remedies cases. The contract: cases are read through an application the caller may
already see (`cases_for_application`), or as table-4 aggregates for an agency's annual report."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import CharField, Count, F, Q, QuerySet, Value, When

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application
from gongkai.applications.selectors import applications_for_user
from gongkai.core.exceptions import NotFoundError
from gongkai.core.grouped import counts_by_agency, fetch_raw
from gongkai.remedies.models import Case, CaseKind, CaseOutcome

Table4 = dict[str, dict[str, int]]
TABLE4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


def cases_for_application(application: Application) -> QuerySet[Case]:
    return Case.objects.filter(application=application).order_by("filed_on", "id")


def case_get_for_user(user: Any, pk: int) -> Case:
    visible = applications_for_user(user).values("pk")
    case = (
        Case.objects.select_related("application__agency")
        .filter(pk=pk, application__in=visible)
        .first()
    )
    if case is None:
        raise NotFoundError()
    return case


def count_table4(cases: list[tuple[str, dt.date, dt.date | None, str]], year: int) -> Table4:
    """Pure: (kind, filed_on, decided_on, outcome) → table 4 of `year`.

    procedures.md §6: a case counts in Y if it was decided in Y (by its outcome) or is still open
    at the end of Y (尚未审结, even if it is decided later).
    """
    table = {kind: dict.fromkeys(TABLE4_COLUMNS, 0) for kind in CaseKind.values}
    last = dt.date(year, 12, 31)
    for kind, filed_on, decided_on, outcome in cases:
        if filed_on > last:
            continue
        if decided_on is not None and decided_on.year == year:
            column = outcome
        elif decided_on is None or decided_on > last:
            column = CaseOutcome.PENDING
        else:
            continue
        table[kind][column] += 1
        table[kind]["total"] += 1
    return table


def table4_counts(agency: Agency, year: int) -> Table4:
    """Table 4 of `agency`'s annual report for `year`: {group_key: {column_key: count}} with groups
    review / litigation_direct / litigation_after_review and columns upheld / corrected / other /
    pending / total (annual-report.md §4)."""
    rows = (
        Case.objects.filter(agency=agency, filed_on__lte=dt.date(year, 12, 31))
        .filter(Q(decided_on__isnull=True) | Q(decided_on__gte=dt.date(year, 1, 1)))
        .values_list("kind", "filed_on", "decided_on", "outcome")
    )
    return count_table4(list(rows), year)


# The groups of table 4 and the columns that are counted, in the table's order (总计 is their sum).
TABLE4_GROUPS: tuple[str, ...] = tuple(CaseKind.values)
TABLE4_PARTS = TABLE4_COLUMNS[:-1]
PartCounts = dict[str, tuple[int, ...]]
_GROUP_INDEX = {group: index for index, group in enumerate(TABLE4_GROUPS)}
_PART_INDEX = {column: index for index, column in enumerate(TABLE4_PARTS)}


@functools.cache
def _table4_offsets(kind: str, result: str, year: int) -> tuple[int, ...]:
    """Where one case of a bucket of `table4_part_counts_by_agency` counts, as offsets into an
    agency's counters (row-major over `TABLE4_GROUPS` × `TABLE4_PARTS`), an offset repeated when it
    counts more than once. `count_table4` itself counts a representative case, so that the counting
    rule stays in one place; the totals it gives are dropped."""
    first = dt.date(year, 1, 1)
    decided = None if result == CaseOutcome.PENDING else first
    offsets: list[int] = []
    for group, columns in count_table4([(kind, first, decided, result)], year).items():
        for column, value in columns.items():
            if column in _PART_INDEX:
                offsets += [_GROUP_INDEX[group] * len(TABLE4_PARTS) + _PART_INDEX[column]] * value
    return tuple(offsets)


def table4_part_counts_by_agency(agencies: QuerySet[Agency], year: int) -> dict[int, PartCounts]:
    """Table 4 of `year` for every agency of `agencies` at once, without its totals: {agency pk:
    {group: counts}} with every group of `TABLE4_GROUPS` and its counts in the order of `TABLE4_PARTS`
    (zeros for an agency without cases) — the shape the report's builders take. With the totals
    added it is `table4_counts` of each agency.

    One GROUP BY query buckets the cases by what `count_table4` looks at — decided in the year (by
    which outcome) or not — and each bucket's size is added where `count_table4` counts a
    representative case of it (`_table4_offsets`): the counting rule stays in one place.
    """
    first = dt.date(year, 1, 1)
    last = dt.date(year, 12, 31)
    ids = list(agencies.values_list("pk", flat=True))
    if not ids:
        return {}
    buckets = (
        Case.objects.filter(agency__in=agencies.values("pk"), filed_on__lte=last)
        .filter(Q(decided_on__isnull=True) | Q(decided_on__gte=first))
        .annotate(
            result=DbCase(
                When(decided_on__lte=last, then=F("outcome")),
                default=Value(CaseOutcome.PENDING.value),
                output_field=CharField(),
            )
        )
        .values_list("agency_id", "kind", "result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return counts_by_agency(
        fetch_raw(buckets),
        ids,
        lambda *key: _table4_offsets(*key, year),
        TABLE4_GROUPS,
        len(TABLE4_PARTS),
    )


def table4_counts_by_agency(agencies: QuerySet[Agency], year: int) -> dict[int, Table4]:
    """Table 4 of `year` for every agency of `agencies` at once ({agency pk: table}), equal to
    `table4_counts` for each of them (zeros for an agency without cases): the counts of
    `table4_part_counts_by_agency`, with their totals."""
    return {
        pk: {
            group: dict(zip(TABLE4_COLUMNS, (*counts, sum(counts)), strict=True))
            for group, counts in groups.items()
        }
        for pk, groups in table4_part_counts_by_agency(agencies, year).items()
    }
