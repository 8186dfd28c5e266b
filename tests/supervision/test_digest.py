from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from gongkai.core import clock
from gongkai.supervision.digest import digest_recipients, send_digests
from gongkai.supervision.models import Notification

pytestmark = pytest.mark.django_db


def test_recipients_are_working_staff_with_email(district: Any, user_named: Any) -> None:
    clerk = user_named("songcun_clerk")
    clerk.email = "clerk@songcun.example.cn"
    clerk.save(update_fields=["email"])
    supervisor = user_named("wendeng_supervisor")
    supervisor.email = "sup@wendeng.example.cn"
    supervisor.save(update_fields=["email"])
    assert digest_recipients(district["songcun"]) == ["clerk@songcun.example.cn"]
    # Nobody with an address: the agency's own address.
    assert digest_recipients(district["wendeng"]) == ["zwgk@wendeng.example.cn"]


def test_digest_sends_one_message_per_agency_with_unread_notices(
    plan: Any, district: Any, user_named: Any
) -> None:
    clerk = user_named("songcun_clerk")
    clerk.email = "clerk@songcun.example.cn"
    clerk.save(update_fields=["email"])
    with clock.frozen(dt.date(2023, 7, 5)):
        result = send_digests(agencies=[district["songcun"]])
    assert result.sent == 1
    assert result.created == Notification.objects.filter(agency=district["songcun"]).count()
    (message,) = mail.outbox
    assert message.to == ["clerk@songcun.example.cn"]
    assert message.subject.startswith("【政务公开提醒】宋村镇有")
    assert "规范乡镇政府信息公开目录" in message.body


def test_digest_command_reports_counts(plan: Any, district: Any, capsys: Any) -> None:
    with clock.frozen(dt.date(2023, 7, 5)):
        call_command("supervision_digest", "--agency", "songcun")
    out = capsys.readouterr().out
    assert out.startswith("已检查1个机关，新增提醒")
    assert Notification.objects.filter(agency=district["songcun"], kind="task_overdue").exists()


def test_digest_command_refuses_unknown_agency(district: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nowhere"):
        call_command("supervision_digest", "--agency", "nowhere")
