"""The e-mail digest of notifications: for each agency, generate notifications from its current
shortfalls, then send its staff one message listing every unread notice and the self-inspection's
failing checks that notifications do not carry (the site and agency page answering, broken links
and links to withdrawn or missing items from the last finished link check, 政务新媒体 activity).

Sending happens outside any transaction (after `notifications_generate` has committed); a failing
mail server stops nothing but that agency's message. No personal data goes into the messages.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail

from gongkai.agencies.models import Agency, Membership
from gongkai.agencies.permissions import WORK_ROLES
from gongkai.agencies.selectors import agencies_public
from gongkai.core import clock
from gongkai.supervision.inspection import Flag
from gongkai.supervision.models import LinkCheckRun, LinkCheckStatus, Notification
from gongkai.supervision.overview import agency_inspection
from gongkai.supervision.services import notifications_generate
from gongkai.supervision.shortfalls import RULE_KIND

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestResult:
    agencies: int
    created: int
    sent: int


def digest_recipients(agency: Agency) -> list[str]:
    """The agency's working staff with an e-mail address, else the agency's own address."""
    emails = sorted(
        {
            email
            for email in Membership.objects.filter(
                agency=agency, role__in=list(WORK_ROLES), user__is_active=True
            ).values_list("user__email", flat=True)
            if email
        }
    )
    if not emails and agency.email:
        emails = [agency.email]
    return emails


# At most this many self-inspection problems are listed one by one (a site with hundreds of broken
# links gets the first ones and a count; the workbench's self-inspection page has them all).
INSPECTION_LINES_MAX = 20


@dataclass(frozen=True)
class InspectionFindings:
    """The self-inspection's failing checks that no notification carries."""

    flags: list[Flag]
    link_check_on: dt.date | None  # when the link check whose results are included finished


def _last_finished_link_check(agency: Agency) -> LinkCheckRun | None:
    return (
        LinkCheckRun.objects.filter(agency=agency, status=LinkCheckStatus.DONE)
        .select_related("agency")
        .order_by("-finished_at", "-id")
        .first()
    )


def inspection_findings(agency: Agency, today: dt.date) -> InspectionFindings:
    """The self-inspection of `agency` today with its last finished link check: the flags whose
    rules the notifications leave out (those they carry are listed as notices already)."""
    run = _last_finished_link_check(agency)
    # Links to the site's own address count as internal, as on the self-inspection page.
    site_host = urlsplit(run.base_url).netloc if run is not None else ""
    inspection = agency_inspection(agency, today, run=run, site_host=site_host)
    flags = [flag for flag in inspection.flags if flag.rule.key not in RULE_KIND]
    finished = run.finished_at if run is not None else None
    return InspectionFindings(flags, clock.civil_date(finished) if finished else None)


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def digest_message(
    agency: Agency, notes: Sequence[Notification], findings: InspectionFindings | None = None
) -> tuple[str, str]:
    problems = findings.flags if findings is not None else []
    subject = f"【政务公开提醒】{agency.short_name}有{len(notes) + len(problems)}项待处理事项"
    lines = [
        f"{agency.name}：",
        "",
        "以下事项需要处理（按国办秘函〔2019〕19号和《条例》要求）：",
        "",
    ]
    for number, note in enumerate(notes, 1):
        lines.append(f"{number}. 【{note.get_kind_display()}】{note.text}")
    if findings is not None and problems:
        checked = (
            f"（链接检查完成于{_date(findings.link_check_on)}）" if findings.link_check_on else ""
        )
        if notes:
            lines.append("")
        lines.append(f"自查发现的问题{checked}：")
        for number, flag in enumerate(problems[:INSPECTION_LINES_MAX], len(notes) + 1):
            lines.append(
                f"{number}. 【{flag.severity_label}·{flag.rule.name}】{flag.subject}：{flag.detail}"
                f"{flag.rule.fix}"
            )
        if len(problems) > INSPECTION_LINES_MAX:
            lines.append(f"……另有{len(problems) - INSPECTION_LINES_MAX}项，请在自查页面查看。")
    lines += ["", "请登录政务公开工作台查看详情并整改。此邮件由系统自动发送，请勿回复。"]
    return subject, "\n".join(lines)


def send_digests(
    *, agencies: Iterable[Agency] | None = None, generate: bool = True
) -> DigestResult:
    targets = list(agencies) if agencies is not None else list(agencies_public())
    today = clock.today()
    created = sent = 0
    for agency in targets:
        try:
            if generate:
                created += len(notifications_generate(agency))
            notes = list(
                Notification.objects.filter(agency=agency, read_at__isnull=True).order_by(
                    "created_at", "id"
                )
            )
            recipients = digest_recipients(agency)
            if not recipients:
                continue
            findings = inspection_findings(agency, today)
            if not notes and not findings.flags:
                continue
            subject, body = digest_message(agency, notes, findings)
        except Exception:  # one agency's failure must not stop the others' mail
            log.exception("digest for agency %s could not be prepared", agency.pk)
            continue
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except OSError as error:
            log.warning("digest mail for agency %s failed: %s", agency.pk, type(error).__name__)
            continue
        sent += 1
    return DigestResult(len(targets), created, sent)
