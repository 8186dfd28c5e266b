"""The working-day calendar as stored: overrides and entered years, loaded into a WorkdayCalendar.

Other apps never query WorkdayOverride themselves: they call `load_calendar()` and pass the result to
the pure arithmetic in `core.workdays` or their own `deadlines.py`.

Recompute hook: an app whose stored deadlines depend on the calendar registers a function with
`register_recompute_hook` (in its AppConfig.ready). When an administrator changes the calendar, the
service calls every hook, in the same transaction, with the calendar years that changed and the acting
user; each hook recomputes its open deadlines and logs every change it makes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from gongkai.core.models import CalendarYear, WorkdayOverride
from gongkai.core.workdays import Override, WorkdayCalendar

RecomputeHook = Callable[..., int]
_hooks: list[RecomputeHook] = []


def register_recompute_hook(hook: RecomputeHook) -> None:
    """`hook(*, years: frozenset[int], actor: User | None) -> int` (the number of deadlines changed)."""
    if hook not in _hooks:
        _hooks.append(hook)


def run_recompute_hooks(*, years: Iterable[int], actor: Any) -> int:
    changed = 0
    for hook in list(_hooks):
        changed += int(hook(years=frozenset(years), actor=actor) or 0)
    return changed


def load_calendar() -> WorkdayCalendar:
    overrides = [
        Override(o.date, o.is_workday, o.note)
        for o in WorkdayOverride.objects.only("date", "is_workday", "note")
    ]
    years = CalendarYear.objects.values_list("year", flat=True)
    return WorkdayCalendar(overrides, entered_years=list(years))
