"""From the ledger to the clocks: which dated facts of an application's events bear on its deadlines.

Reads only: the events are passed in or read from the application; the arithmetic is
`deadlines.compute_deadlines`. Services use it to store the deadline columns, pages to explain them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from gongkai.applications.deadlines import PAUSE_KINDS as PAUSE_KIND_VALUES
from gongkai.applications.deadlines import (
    ClockFacts,
    Deadlines,
    Extension,
    Pause,
    PauseKind,
    compute_deadlines,
    fee_payment_due,
)
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.applications.states import EventKind
from gongkai.core import clock
from gongkai.core.calendar import load_calendar
from gongkai.core.exceptions import ValidationFailed
from gongkai.core.workdays import WorkdayCalendar, WorkdayPeriod


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# Acts that end a running pause (the opinion or payment came, or the procedure ended).
_PAUSE_ENDERS = frozenset(
    {
        EventKind.RESUMED,
        EventKind.FEE_PAID,
        EventKind.REPLIED,
        EventKind.TRANSFERRED,
        EventKind.LAPSED,
        EventKind.WITHDRAWN,
    }
)


def _pause_kind(value: str) -> PauseKind:
    if value not in PAUSE_KIND_VALUES:
        raise ValidationFailed(f"未知的暂停类型：{value}。")
    return cast(PauseKind, value)


def clock_facts(
    application: Application, events: Iterable[ApplicationEvent], today: dt.date
) -> ClockFacts:
    """The dated facts of the ledger that bear on the clocks (deadlines.ClockFacts)."""
    correction_requested: dt.date | None = None
    correction_due: dt.date | None = None
    correction_received: dt.date | None = None
    extension: Extension | None = None
    pauses: list[Pause] = []
    open_pause: tuple[dt.date, str] | None = None
    for event in sorted(events, key=lambda e: (e.on_date, e.at, e.pk or 0)):
        kind = event.kind
        if kind == EventKind.CORRECTION_REQUESTED:
            correction_requested = event.on_date
            correction_due = _date(event.data.get("correction_due"))
        elif kind == EventKind.CORRECTION_RECEIVED:
            correction_received = event.on_date
        elif kind == EventKind.EXTENDED:
            approved = _date(event.data.get("approved_on")) or event.on_date
            notified = _date(event.data.get("notified_on")) or event.on_date
            extension = Extension(approved, notified)
        elif kind == EventKind.PAUSED:
            open_pause = (event.on_date, str(event.data.get("pause_kind", "third_party")))
        elif kind == EventKind.FEE_NOTIFIED:
            # Our reading of 国办函〔2020〕109号 (procedures.md §3): the payment wait does not count.
            open_pause = (event.on_date, "fee")
        elif kind in _PAUSE_ENDERS and open_pause is not None:
            pauses.append(Pause(open_pause[0], event.on_date, _pause_kind(open_pause[1])))
            open_pause = None
    if open_pause is not None:
        pauses.append(Pause(open_pause[0], None, _pause_kind(open_pause[1])))
    return ClockFacts(
        received=application.received_on,
        correction_requested=correction_requested,
        correction_received=correction_received,
        correction_due=correction_due,
        pauses=tuple(pauses),
        extension=extension,
        today=max(today, application.received_on),
    )


def application_deadlines(
    application: Application,
    *,
    events: Sequence[ApplicationEvent] | None = None,
    calendar: WorkdayCalendar | None = None,
    today: dt.date | None = None,
) -> Deadlines:
    """The deadlines as the ledger stands (as of `today`), with their explanation in Chinese."""
    rows = list(application.events.all()) if events is None else list(events)
    facts = clock_facts(application, rows, today or clock.today())
    return compute_deadlines(facts, calendar or load_calendar())


def fee_period(
    events: Sequence[ApplicationEvent], calendar: WorkdayCalendar
) -> WorkdayPeriod | None:
    """The payment period of the latest fee notice (国办函〔2020〕109号), if one was sent."""
    notices = [e for e in events if e.kind == EventKind.FEE_NOTIFIED]
    if not notices:
        return None
    notice = notices[-1]
    received = _date(notice.data.get("notice_received_on")) or notice.on_date
    return fee_payment_due(calendar, received)
