"""The daily deadline digest: each agency's clerks get one e-mail listing the applications whose
reply is overdue or due within 5 working days (`selectors.agency_deadline_warnings`, i.e. the stored
deadlines of `deadlines.compute_deadlines`; nothing is computed twice).

Once a day per agency, however often the job runs: the sending is claimed first by an audit row
(`application.digest_sent`, with the day and the application ids, never personal data) written while
the agency row is locked, and the mail goes out after that commits. If the mail server refuses, an
`application.digest_failed` row releases the claim and the next run tries again. The message carries
查询码, dates and the number of working days left — no names, ID or phone numbers.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from gongkai.agencies.models import Agency, Membership, Role
from gongkai.agencies.selectors import agencies_public
from gongkai.applications.selectors import DeadlineWarnings, QueueRow, agency_deadline_warnings
from gongkai.audit.models import AuditEvent
from gongkai.audit.services import audit_record
from gongkai.core import clock
from gongkai.core.calendar import load_calendar

log = logging.getLogger(__name__)

SENT = "application.digest_sent"
FAILED = "application.digest_failed"


@dataclass(frozen=True)
class DigestResult:
    agencies: int
    sent: int
    already_sent: int
    failed: int


def digest_recipients(agency: Agency) -> list[str]:
    """The agency's active clerks (信息员) with an e-mail address, else the agency's own address."""
    emails = sorted(
        {
            email
            for email in Membership.objects.filter(
                agency=agency, role=Role.CLERK, user__is_active=True
            ).values_list("user__email", flat=True)
            if email
        }
    )
    if not emails and agency.email:
        emails = [agency.email]
    return emails


def digest_message(agency: Agency, warnings: DeadlineWarnings, day: dt.date) -> tuple[str, str]:
    overdue, soon = len(warnings.overdue), len(warnings.due_soon)
    subject = f"【依申请公开期限提醒】{agency.short_name}：已超期{overdue}件，即将到期{soon}件"
    base = f"https://{settings.GONGKAI_SITE_DOMAIN}/workbench/applications/"
    lines = [f"{agency.name}：", "", f"截至{day.year}年{day.month}月{day.day}日，"]
    lines.append("以下政府信息公开申请的答复期限已届满或将在5个工作日内届满（条例第三十三条）：")

    def line(row_number: int, row: QueueRow) -> str:
        application = row.application
        left = row.workdays_left or 0
        when = (
            f"已超期{-left}个工作日"
            if left < 0
            else "今日到期"
            if left == 0
            else f"剩{left}个工作日"
        )
        due = application.reply_due.isoformat() if application.reply_due else ""
        return (
            f"{row_number}. 查询码 {application.tracking_code}，"
            f"{application.received_on.isoformat()}收到，答复期限 {due}（{when}）"
            f"\n   {base}{application.pk}/"
        )

    if warnings.overdue:
        lines += ["", f"一、已超期（{overdue}件）"]
        lines += [line(n, row) for n, row in enumerate(warnings.overdue, 1)]
    if warnings.due_soon:
        lines += ["", f"{'二' if warnings.overdue else '一'}、即将到期（{soon}件）"]
        lines += [line(n, row) for n, row in enumerate(warnings.due_soon, 1)]
    lines += ["", "请登录政务公开工作台及时办理。此邮件由系统每日自动发送，请勿回复。"]
    return subject, "\n".join(lines)


def digest_already_sent(agency: Agency, day: dt.date) -> bool:
    """True when a digest for `day` was sent to `agency` (a claim not released by a failure)."""
    rows = AuditEvent.objects.filter(agency_id=agency.pk, verb__in=[SENT, FAILED]).filter(
        data__day=day.isoformat()
    )
    sent = sum(1 for verb in rows.values_list("verb", flat=True) if verb == SENT)
    return sent > rows.count() - sent


def send_application_digests(
    *, agencies: Iterable[Agency] | None = None, day: dt.date | None = None
) -> DigestResult:
    """Send today's digest to every agency that has overdue or due-soon applications and has not
    had today's digest yet."""
    targets = list(agencies) if agencies is not None else list(agencies_public())
    today = day or clock.today()
    calendar = load_calendar()
    sent = already = failed = 0
    for agency in targets:
        warnings = agency_deadline_warnings(agency, calendar=calendar, today=today)
        recipients = digest_recipients(agency)
        if not warnings.rows or not recipients:
            continue
        with transaction.atomic():
            # The lock serialises two runs of the job: the second sees the first one's claim.
            Agency.objects.select_for_update().filter(pk=agency.pk).first()
            if digest_already_sent(agency, today):
                already += 1
                continue
            audit_record(
                actor=None,
                verb=SENT,
                target=agency,
                agency_id=agency.pk,
                data={
                    "day": today.isoformat(),
                    "overdue": [row.application.pk for row in warnings.overdue],
                    "due_soon": [row.application.pk for row in warnings.due_soon],
                    "recipients": len(recipients),
                },
            )
        subject, body = digest_message(agency, warnings, today)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except OSError as error:
            log.warning("applications digest for agency %s failed: %s", agency.pk, error)
            with transaction.atomic():
                audit_record(
                    actor=None,
                    verb=FAILED,
                    target=agency,
                    agency_id=agency.pk,
                    data={"day": today.isoformat(), "error": type(error).__name__},
                )
            failed += 1
            continue
        sent += 1
    return DigestResult(len(targets), sent, already, failed)
