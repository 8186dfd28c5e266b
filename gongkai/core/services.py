"""Writes to the working-day calendar. Callers (views, commands) authorise first.

Changing the calendar changes deadlines: after the change, in the same transaction, every registered
recompute hook (core.calendar) recomputes the open deadlines of the years affected and logs each change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gongkai.audit.services import audit_record
from gongkai.core import clock
from gongkai.core.calendar import run_recompute_hooks
from gongkai.core.exceptions import ValidationFailed
from gongkai.core.models import CalendarYear, WorkdayOverride
from gongkai.core.workdays import parse_notice


@dataclass(frozen=True)
class CalendarImportResult:
    created: int
    changed: int
    unchanged: int
    years: tuple[int, ...]
    deadlines_recomputed: int


def calendar_import(
    *, actor: Any, text: str, source: str = "", mark_years_entered: bool = True
) -> CalendarImportResult:
    """Import a pasted notice (`2027-02-06 休`, `2027-02-14 班` …). All or nothing.

    With `mark_years_entered`, the years the lines cover count as fully entered afterwards: their
    dates stop being provisional.
    """
    parsed = parse_notice(text)
    if parsed.errors:
        raise ValidationFailed("；".join(parsed.errors[:10]))
    created = changed = unchanged = 0
    with transaction.atomic():
        existing = {
            o.date: o
            for o in WorkdayOverride.objects.select_for_update().filter(
                date__in=[p.day for p in parsed.overrides]
            )
        }
        for item in parsed.overrides:
            row = existing.get(item.day)
            if row is None:
                WorkdayOverride.objects.create(
                    date=item.day, is_workday=item.workday, note=item.note, created_by=actor
                )
                created += 1
            elif row.is_workday != item.workday or row.note != item.note:
                row.is_workday, row.note, row.updated_at = item.workday, item.note, clock.now()
                row.save(update_fields=["is_workday", "note", "updated_at"])
                changed += 1
            else:
                unchanged += 1
        if mark_years_entered:
            for year in parsed.years:
                CalendarYear.objects.get_or_create(
                    year=year, defaults={"source": source[:200], "entered_by": actor}
                )
        recomputed = run_recompute_hooks(years=parsed.years, actor=actor)
        audit_record(
            actor=actor,
            verb="calendar.imported",
            data={
                "years": list(parsed.years),
                "created": created,
                "changed": changed,
                "source": source[:200],
                "deadlines_recomputed": recomputed,
            },
        )
    return CalendarImportResult(created, changed, unchanged, parsed.years, recomputed)


def workday_override_delete(*, actor: Any, day: dt.date) -> None:
    with transaction.atomic():
        row = WorkdayOverride.objects.select_for_update().filter(date=day).first()
        if row is None:
            raise ValidationFailed(f"{day.isoformat()} 没有调整记录。")
        data = {"date": day.isoformat(), "is_workday": row.is_workday, "note": row.note}
        row.delete()
        recomputed = run_recompute_hooks(years=[day.year], actor=actor)
        audit_record(
            actor=actor,
            verb="calendar.override_deleted",
            data={**data, "deadlines_recomputed": recomputed},
        )


def calendar_year_unmark(*, actor: Any, year: int) -> None:
    """Make a year provisional again (its notice was entered wrongly or incompletely)."""
    with transaction.atomic():
        deleted, _ = CalendarYear.objects.filter(year=year).delete()
        if not deleted:
            raise ValidationFailed(f"{year}年尚未标记为已录入。")
        recomputed = run_recompute_hooks(years=[year], actor=actor)
        audit_record(
            actor=actor,
            verb="calendar.year_unmarked",
            data={"year": year, "deadlines_recomputed": recomputed},
        )
