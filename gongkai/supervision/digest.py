"""The e-mail digest of notifications: for each agency, generate notifications from its current
shortfalls, then send its staff one message listing every unread notice.

Sending happens outside any transaction (after `notifications_generate` has committed); a failing
mail server stops nothing but that agency's message. No personal data goes into the messages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

from gongkai.agencies.models import Agency, Membership
from gongkai.agencies.permissions import WORK_ROLES
from gongkai.agencies.selectors import agencies_public
from gongkai.supervision.models import Notification
from gongkai.supervision.services import notifications_generate

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


def digest_message(agency: Agency, notes: list[Notification]) -> tuple[str, str]:
    subject = f"【政务公开提醒】{agency.short_name}有{len(notes)}项待处理事项"
    lines = [
        f"{agency.name}：",
        "",
        "以下事项需要处理（按国办秘函〔2019〕19号和《条例》要求）：",
        "",
    ]
    for number, note in enumerate(notes, 1):
        lines.append(f"{number}. 【{note.get_kind_display()}】{note.text}")
    lines += ["", "请登录政务公开工作台查看详情并整改。此邮件由系统自动发送，请勿回复。"]
    return subject, "\n".join(lines)


def send_digests(
    *, agencies: Iterable[Agency] | None = None, generate: bool = True
) -> DigestResult:
    targets = list(agencies) if agencies is not None else list(agencies_public())
    created = sent = 0
    for agency in targets:
        if generate:
            created += len(notifications_generate(agency))
        notes = list(
            Notification.objects.filter(agency=agency, read_at__isnull=True).order_by(
                "created_at", "id"
            )
        )
        recipients = digest_recipients(agency)
        if not notes or not recipients:
            continue
        subject, body = digest_message(agency, notes)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except OSError as error:
            log.warning("digest mail for agency %s failed: %s", agency.pk, type(error).__name__)
            continue
        sent += 1
    return DigestResult(len(targets), created, sent)
