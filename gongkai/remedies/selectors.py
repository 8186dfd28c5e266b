"""Reads of remedies cases. The contract: cases are read through an application the caller may
already see (`cases_for_application`), or as table-4 aggregates for an agency's annual report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application
from gongkai.applications.selectors import applications_for_user
from gongkai.core.exceptions import NotFoundError
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
