"""The daily deadline digest (applications/digest.py), its huey task and its command."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.applications.digest import (
    digest_already_sent,
    digest_recipients,
    send_application_digests,
)
from gongkai.applications.selectors import agency_deadline_warnings
from gongkai.audit.models import AuditEvent
from gongkai.core import clock
from tests.applications.factories import RESIDENT_ID, online

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 3, 29)


@pytest.fixture
def clerk_mail(user_named):
    clerk = user_named("songcun_clerk")
    clerk.email = "clerk@songcun.example.cn"
    clerk.save(update_fields=["email"])
    admin = user_named("songcun_admin")
    admin.email = "admin@songcun.example.cn"
    admin.save(update_fields=["email"])
    return clerk


@pytest.fixture
def due(district):
    # One overdue, one due within 5 working days, one not yet due.
    return [
        online(district["songcun"], dt.date(2024, 2, 20)),
        online(district["songcun"], dt.date(2024, 3, 6)),
        online(district["songcun"], dt.date(2024, 3, 25)),
    ]


def test_recipients_are_the_clerks_else_the_office_address(district, clerk_mail):
    assert digest_recipients(district["songcun"]) == ["clerk@songcun.example.cn"]
    assert digest_recipients(district["wendeng"]) == ["zwgk@wendeng.example.cn"]
    assert digest_recipients(district["gaocun"]) == []


def test_one_message_listing_overdue_and_due_soon(district, clerk_mail, due):
    with clock.frozen(TODAY):
        result = send_application_digests(agencies=[district["songcun"]])
        warnings = agency_deadline_warnings(district["songcun"])
    assert (result.sent, result.already_sent, result.failed) == (1, 0, 0)
    (message,) = mail.outbox
    assert message.to == ["clerk@songcun.example.cn"]
    assert message.subject == "【依申请公开期限提醒】宋村镇：已超期1件，即将到期1件"
    assert due[0].tracking_code in message.body and due[1].tracking_code in message.body
    assert due[2].tracking_code not in message.body
    assert f"/workbench/applications/{due[0].pk}/" in message.body
    assert "已超期" in message.body and f"剩{warnings.due_soon[0].workdays_left}个工作日" in (
        message.body
    )
    # No personal data in the mail or the record.
    for secret in ("张三", RESIDENT_ID, "13812341234"):
        assert secret not in message.body
    record = AuditEvent.objects.get(verb="application.digest_sent")
    assert record.data == {
        "day": "2024-03-29",
        "overdue": [due[0].pk],
        "due_soon": [due[1].pk],
        "recipients": 1,
    }


def test_running_twice_a_day_sends_once(district, clerk_mail, due):
    with clock.frozen(TODAY):
        send_application_digests()
        again = send_application_digests()
    assert again.sent == 0 and again.already_sent == 1
    assert len(mail.outbox) == 1
    with clock.frozen(TODAY + dt.timedelta(days=3)):  # the next Monday: a new day, a new digest
        assert send_application_digests().sent == 1
    assert len(mail.outbox) == 2


def test_a_failed_send_is_retried_on_the_next_run(district, clerk_mail, due, monkeypatch):
    import gongkai.applications.digest as digest

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(digest, "send_mail", refuse)
    with clock.frozen(TODAY):
        assert send_application_digests().failed == 1
        assert not digest_already_sent(district["songcun"], TODAY)
        monkeypatch.undo()
        assert send_application_digests().sent == 1
        assert digest_already_sent(district["songcun"], TODAY)
    assert len(mail.outbox) == 1


def test_nothing_due_sends_nothing(district, clerk_mail):
    online(district["songcun"], dt.date(2024, 3, 25))
    with clock.frozen(TODAY):
        assert send_application_digests().sent == 0
    assert mail.outbox == []


def test_the_periodic_task_runs_the_digest(district, clerk_mail, due):
    from gongkai.applications.tasks import daily_deadline_digest

    with clock.frozen(TODAY):
        assert daily_deadline_digest.call_local() == 1
        assert daily_deadline_digest.call_local() == 0
    assert len(mail.outbox) == 1


def test_the_command_sends_and_reports(district, clerk_mail, due, capsys):
    with clock.frozen(TODAY):
        call_command("applications_digest", "--agency", "songcun")
        call_command("applications_digest", "--agency", "songcun")
        out = capsys.readouterr().out
        with pytest.raises(CommandError, match="nowhere"):
            call_command("applications_digest", "--agency", "nowhere")
        with pytest.raises(CommandError, match="不能晚于今天"):
            call_command("applications_digest", "--date", "2024-04-01")
    assert "发送邮件1封" in out and "今日已发送而跳过1个" in out
    assert len(mail.outbox) == 1
