"""Reads of applications, scoped to the caller. The contract:

- Staff see only the applications of agencies they work in; supervisors (上级监管) see those of
  their subtree, read-only (`permissions.can_view`). Nobody else sees any.
- An applicant sees one application, by its 查询码 and the phone number given with it.
- `table3_counts` and `table4`-style counts are aggregates for the annual report: not personal data,
  keyed by the report's row and column keys.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When

from gongkai.agencies.models import Agency
from gongkai.agencies.permissions import WORK_ROLES, access_for
from gongkai.applications.clocks import application_deadlines
from gongkai.applications.deadlines import Deadlines
from gongkai.applications.intake import normalise_phone
from gongkai.applications.models import Application, ApplicationAttachment, ApplicationEvent
from gongkai.applications.permissions import can_handle, can_view
from gongkai.applications.states import (
    ALL_ROWS,
    APPLICANT_COLUMNS,
    RESULT_ROWS,
    WORKING,
    EventKind,
    Status,
)
from gongkai.applications.table3 import CountedApplication, Table3, count_table3
from gongkai.core import clock
from gongkai.core.calendar import load_calendar
from gongkai.core.exceptions import NotFoundError
from gongkai.core.grouped import counts_by_agency, fetch_raw
from gongkai.core.workdays import (
    CalendarInputError,
    WorkdayCalendar,
    add_workdays,
    workdays_until,
)

# procedures.md §3: staff are warned 5, 3 and 1 working days before a deadline.
WARNING_STEPS = (5, 3, 1)


def applications_for_user(user: Any) -> QuerySet[Application]:
    access = access_for(user)
    qs = Application.objects.select_related("agency", "department", "assigned_to")
    if access.superuser:
        return qs
    # The agencies first (the user's own, and each supervised subtree by a prefix query on
    # agency.path), as one list: the applications are then reached agency by agency through their
    # (agency, status, reply_due) index, never by scanning a whole status or date range.
    agencies = Q(pk__in=list(access.roles))
    for path in access.supervised_paths:
        agencies |= Q(path__startswith=path)
    return qs.filter(agency_id__in=Agency.objects.filter(agencies).values("id"))


def application_get_for_user(user: Any, pk: int) -> Application:
    application = applications_for_user(user).filter(pk=pk).first()
    if application is None or not can_view(user, application):
        raise NotFoundError()
    return application


def application_get_for_applicant(tracking_code: str, phone: str) -> Application:
    """The applicant's own application: the 查询码 and the phone number must both match."""
    code = (tracking_code or "").strip().upper().replace("-", "").replace(" ", "")
    number = normalise_phone(phone)
    if not code or not number:
        raise NotFoundError("查询码或联系电话不正确。")
    application = (
        Application.objects.select_related("agency", "transferred_to")
        .filter(tracking_code=code, phone=number)
        .first()
    )
    if application is None:
        raise NotFoundError("查询码或联系电话不正确。")
    return application


def application_events(application: Application) -> QuerySet[ApplicationEvent]:
    """The ledger of an application the caller has already been allowed to see."""
    return application.events.select_related("actor").order_by("on_date", "at", "id")


def _workdays_left(cal: WorkdayCalendar, day: dt.date, due: dt.date | None) -> int | None:
    """Working days left to `due` (negative when overdue). A deadline so far away that the calendar
    refuses the span (a record with a mistyped year) counts in calendar days: one bad record must
    not break the lists it is on."""
    if due is None:
        return None
    try:
        return workdays_until(cal, day, due)
    except CalendarInputError:
        return (due - day).days


@dataclass(frozen=True)
class QueueRow:
    application: Application
    workdays_left: int | None

    @property
    def overdue(self) -> bool:
        return self.workdays_left is not None and self.workdays_left < 0

    @property
    def warning(self) -> int | None:
        """The smallest warning step (5, 3 or 1) the deadline has reached, if any."""
        if self.workdays_left is None or self.workdays_left < 0:
            return None
        reached = [step for step in WARNING_STEPS if self.workdays_left <= step]
        return min(reached) if reached else None


QUEUE_VIEWS = ("open", "due_soon", "overdue", "expired", "finished")


def application_queue(
    user: Any,
    *,
    view: str = "open",
    agency: Agency | None = None,
    calendar: WorkdayCalendar | None = None,
    today: dt.date | None = None,
) -> list[QueueRow]:
    """The caller's applications sorted by reply deadline (none last).

    `due_soon`: the reply clock is running and at most 5 working days are left; `overdue`: the
    reply clock is running and the deadline has passed. While the clock stands still (补正,
    征求意见, 缴费) an application is in neither list; `expired` lists those whose 补正 or payment
    deadline has passed, so that the office decides on them (条例第三十条: lapse or go on).
    """
    if view not in QUEUE_VIEWS:
        view = "open"
    qs = applications_for_user(user)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return _queue_rows(qs, view=view, calendar=calendar, today=today)


def _queue_rows(
    qs: QuerySet[Application],
    *,
    view: str,
    calendar: WorkdayCalendar | None,
    today: dt.date | None,
) -> list[QueueRow]:
    day = today or clock.today()
    if view == "finished":
        qs = qs.exclude(status__in=WORKING).filter(outcome_on__isnull=False)
        return [QueueRow(a, None) for a in qs.order_by("-outcome_on", "-id")[:200]]
    if view in ("due_soon", "overdue"):
        # One condition on status (two would make PostgreSQL's planner think almost nothing
        # matches, and scan the whole date range of the installation).
        qs = qs.filter(status__in=sorted(WORKING), reply_due__isnull=False)
    else:
        qs = qs.filter(
            status__in=[
                Status.RECEIVED,
                Status.IN_PROGRESS,
                Status.AWAITING_CORRECTION,
                Status.AWAITING_OPINION,
                Status.AWAITING_FEE,
            ]
        )
    if view == "overdue":
        qs = qs.filter(reply_due__lt=day)
    if view == "expired":
        qs = qs.filter(
            Q(status=Status.AWAITING_CORRECTION, correction_due__lt=day)
            | Q(status=Status.AWAITING_FEE, fee_due__lt=day)
        )
    cal = calendar or load_calendar()
    if view == "due_soon":
        # The window in SQL too, so that only the candidates are loaded: due today at the earliest,
        # and before the 6th working day from today (a deadline on a rest day after the 5th working
        # day still has 5 working days left).
        horizon = add_workdays(cal, day, WARNING_STEPS[0] + 1).due - dt.timedelta(days=1)
        qs = qs.filter(reply_due__gte=day, reply_due__lte=horizon)
    rows: list[QueueRow] = []
    for application in qs.order_by("reply_due", "received_on", "id"):
        left = _workdays_left(cal, day, application.reply_due)
        row = QueueRow(application, left)
        if view == "due_soon" and (left is None or left < 0 or left > WARNING_STEPS[0]):
            continue
        rows.append(row)
    rows.sort(key=lambda r: (r.application.reply_due is None, r.application.reply_due or day))
    return rows


@dataclass(frozen=True)
class DeadlineWarnings:
    """What the clerk's home page warns about: overdue replies first, then those due within 5, 3
    and 1 working days (procedures.md §3), most urgent first."""

    overdue: list[QueueRow]
    due_soon: list[QueueRow]

    @property
    def rows(self) -> list[QueueRow]:
        return self.overdue + self.due_soon

    def count(self, step: int) -> int:
        """How many are due within `step` working days (not overdue)."""
        return sum(1 for row in self.due_soon if (row.workdays_left or 0) <= step)

    @property
    def within(self) -> dict[int, int]:
        """{5: n, 3: n, 1: n}: how many are due within each warning step."""
        return {step: self.count(step) for step in WARNING_STEPS}


def deadline_warnings(
    user: Any,
    *,
    agency: Agency | None = None,
    calendar: WorkdayCalendar | None = None,
    today: dt.date | None = None,
) -> DeadlineWarnings:
    """The overdue and due-soon applications of the agencies the user works in (not those it only
    supervises), from the stored deadlines of `deadlines.compute_deadlines` — the same rows as the
    queue's 已超期 and 即将到期 tabs."""
    cal = calendar or load_calendar()
    day = today or clock.today()
    # Only agencies where the user holds a working role (a superuser without one sees none here).
    working = [pk for pk, roles in access_for(user).roles.items() if roles & WORK_ROLES]
    qs = applications_for_user(user).filter(agency_id__in=working)
    if agency is not None:
        qs = qs.filter(agency=agency)
    overdue = _queue_rows(qs, view="overdue", calendar=cal, today=day)
    overdue.sort(key=lambda row: row.workdays_left or 0)
    return DeadlineWarnings(
        overdue=overdue, due_soon=_queue_rows(qs, view="due_soon", calendar=cal, today=day)
    )


def agency_deadline_warnings(
    agency: Agency, *, calendar: WorkdayCalendar | None = None, today: dt.date | None = None
) -> DeadlineWarnings:
    """The same warnings for one agency as a whole. Unscoped: the daily digest job calls it for
    the agency whose own staff it mails."""
    cal = calendar or load_calendar()
    day = today or clock.today()
    qs = Application.objects.select_related("agency").filter(agency=agency)
    overdue = _queue_rows(qs, view="overdue", calendar=cal, today=day)
    overdue.sort(key=lambda row: row.workdays_left or 0)
    return DeadlineWarnings(
        overdue=overdue, due_soon=_queue_rows(qs, view="due_soon", calendar=cal, today=day)
    )


def applications_similar_earlier(user: Any, application: Application) -> QuerySet[Application]:
    """The same applicant's earlier applications to the same agency (evidence for 重复申请,
    条例第三十六条第六项): same ID number, received on or before this one."""
    return (
        applications_for_user(user)
        .filter(agency_id=application.agency_id, id_number=application.id_number)
        .filter(received_on__lte=application.received_on)
        .exclude(pk=application.pk)
        .order_by("-received_on", "-id")
    )


def table3_counts(agency: Agency, year: int) -> Table3:
    """Table 3 of `agency`'s annual report for `year`: {row_key: {column_key: count}}, with the 25
    rows and 7 columns (incl. `total`) of annual-report.md §3. Counting rules: `table3.py`."""
    first = dt.date(year, 1, 1)
    last = dt.date(year, 12, 31)
    rows = (
        Application.objects.filter(agency=agency, received_on__lte=last)
        .filter(Q(outcome_on__isnull=True) | Q(outcome_on__gte=first))
        .values_list("applicant_type", "received_on", "outcome", "outcome_on")
    )
    return count_table3((CountedApplication(*row) for row in rows), year)


def application_clocks(application: Application, *, today: dt.date | None = None) -> Deadlines:
    """The deadlines of an application the caller may see, computed live from its ledger (an open
    pause moves the reply deadline every working day), with their explanation in Chinese."""
    return application_deadlines(application, today=today)


def attachment_get_for_user(user: Any, application_pk: int, pk: int) -> ApplicationAttachment:
    """A file of an application; only the handling agency's staff open files (they may hold
    identity documents), supervisors do not."""
    application = application_get_for_user(user, application_pk)
    if not can_handle(user, application):
        raise NotFoundError()
    attachment = application.attachments.filter(pk=pk).first()
    if attachment is None:
        raise NotFoundError()
    return attachment


def fee_figures(agency: Agency, year: int) -> dict[str, int]:
    """信息处理费 for the annual report's section 六 (条例第四十二条): fee notices sent in `year`,
    the amounts they notified, and what was collected (fees paid in `year`, at the notified amount).
    Unscoped: the report generator calls it for the agency whose report it builds."""
    events = ApplicationEvent.objects.filter(
        application__agency=agency, on_date__year=year
    ).select_related("application")
    notices = notified = collected = 0
    for event in events.filter(kind__in=[EventKind.FEE_NOTIFIED, EventKind.FEE_PAID]):
        if event.kind == EventKind.FEE_NOTIFIED:
            notices += 1
            notified += int(event.data.get("amount") or 0)
        else:
            collected += int(event.application.fee_amount or 0)
    return {"notices": notices, "notified_yuan": notified, "collected_yuan": collected}


# The rows of table 3 that are counted, in the table's order: （七）总计 is the sum of the result
# rows, left to whoever prints the table. Each comes with its counts in the order of
# `APPLICANT_COLUMNS` (the 总计 column is their sum, likewise left out).
COUNTED_ROWS: tuple[str, ...] = ("new_received", "carried_over", *RESULT_ROWS, "carried_forward")
ApplicantCounts = dict[str, tuple[int, ...]]
_COUNTED_ROW_INDEX = {row: index for index, row in enumerate(COUNTED_ROWS)}
_APPLICANT_INDEX = {column: index for index, column in enumerate(APPLICANT_COLUMNS)}


@functools.cache
def _table3_offsets(applicant_type: str, before: int, result: str, year: int) -> tuple[int, ...]:
    """Where one application of a bucket of `table3_applicant_counts_by_agency` counts, as offsets
    into an agency's counters (row-major over `COUNTED_ROWS` × `APPLICANT_COLUMNS`), an offset
    repeated when it counts more than once. `count_table3` itself counts a representative
    application, so that the counting rules stay in `table3.py`; the totals it gives are dropped."""
    first = dt.date(year, 1, 1)
    representative = CountedApplication(
        applicant_type,
        first - dt.timedelta(days=1) if before else first,
        result,
        first if result else None,
    )
    offsets: list[int] = []
    for row, columns in count_table3([representative], year).items():
        if row not in _COUNTED_ROW_INDEX or not any(columns.values()):
            continue
        for column, value in columns.items():
            if column in _APPLICANT_INDEX:
                offset = _COUNTED_ROW_INDEX[row] * len(APPLICANT_COLUMNS) + _APPLICANT_INDEX[column]
                offsets += [offset] * value
    return tuple(offsets)


def table3_applicant_counts_by_agency(
    agencies: QuerySet[Agency], year: int
) -> dict[int, ApplicantCounts]:
    """Table 3 of `year` for every agency of `agencies` at once, without its totals: {agency pk:
    {row: counts}} with every row of `COUNTED_ROWS` and its counts in the order of
    `APPLICANT_COLUMNS` (zeros for an agency without applications) — the shape the report's
    builders take. With the totals added it is `table3_counts` of each agency.

    One GROUP BY query: the applications are bucketed by what `count_table3` looks at — received
    before or in the year, finished in the year (with which result) or not — and each bucket's size
    is added where `count_table3` counts a representative application of it (`_table3_offsets`).
    So the counting rules stay in `table3.py`; the query only sorts dates against the year's bounds.
    """
    first = dt.date(year, 1, 1)
    last = dt.date(year, 12, 31)
    ids = list(agencies.values_list("pk", flat=True))
    if not ids:
        return {}
    buckets = (
        Application.objects.filter(agency__in=agencies.values("pk"), received_on__lte=last)
        .filter(Q(outcome_on__isnull=True) | Q(outcome_on__gte=first))
        .annotate(
            before=Case(When(received_on__lt=first, then=Value(1)), default=Value(0)),
            result=Case(
                When(outcome_on__lte=last, then=F("outcome")),
                default=Value(""),
                output_field=CharField(),
            ),
        )
        .values_list("agency_id", "applicant_type", "before", "result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return counts_by_agency(
        fetch_raw(buckets),
        ids,
        lambda *key: _table3_offsets(*key, year),
        COUNTED_ROWS,
        len(APPLICANT_COLUMNS),
    )


_TABLE3_COLUMNS = (*APPLICANT_COLUMNS, "total")


def _table3_with_totals(rows: ApplicantCounts) -> Table3:
    """An agency's counts with their totals: the nested table `count_table3` gives."""
    processed = tuple(map(sum, zip(*map(rows.__getitem__, RESULT_ROWS), strict=True)))
    lines = {**rows, "total_processed": processed}
    return {
        row: dict(zip(_TABLE3_COLUMNS, (*counts, sum(counts)), strict=True))
        for row, counts in zip(ALL_ROWS, map(lines.__getitem__, ALL_ROWS), strict=True)
    }


def table3_counts_by_agency(agencies: QuerySet[Agency], year: int) -> dict[int, Table3]:
    """Table 3 of `year` for every agency of `agencies` at once ({agency pk: table}), equal to
    `table3_counts` for each of them; an agency without applications gets a table of zeros. The
    counts of `table3_applicant_counts_by_agency`, with their totals."""
    return {
        pk: _table3_with_totals(rows)
        for pk, rows in table3_applicant_counts_by_agency(agencies, year).items()
    }
