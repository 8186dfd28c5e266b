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


# --- the self-inspection's checks in the digest ---------------------------------------------------


@pytest.fixture
def songcun_inspected(district: Any, user_named: Any) -> Any:
    """宋村镇 with a clerk to mail, a published item whose body links to an item that does not
    exist, a 微信公众号 without statistics, and a finished link check that found its agency page
    down and a broken link."""
    from gongkai.publishing.models import Column
    from gongkai.publishing.services import (
        PublishedRow,
        channel_create,
        columns_ensure_default,
        items_import_published,
    )
    from gongkai.supervision.models import LinkCheckRun, LinkCheckStatus

    agency = district["songcun"]
    clerk = user_named("songcun_clerk")
    clerk.email = "clerk@songcun.example.cn"
    clerk.save(update_fields=["email"])
    columns_ensure_default(actor=None, agency=agency)
    (item,) = items_import_published(
        actor=None,
        agency=agency,
        rows=[
            PublishedRow(
                column=Column.objects.get(agency=agency, slug="gsgg"),
                title="宋村镇道路维修通告",
                published_at=dt.datetime(2023, 7, 3, 9, tzinfo=clock.SHANGHAI),
                body='<p>详见<a href="https://gk.wendeng.example.cn/agency/songcun/info/987654/">'
                "原通知</a>和<a href='https://old.example.cn/notice.pdf'>附件</a>。</p>",
            )
        ],
    )
    channel_create(actor=None, agency=agency, kind="wechat", name="宋村镇发布")
    LinkCheckRun.objects.create(
        agency=agency,
        base_url="https://gk.wendeng.example.cn/",
        status=LinkCheckStatus.DONE,
        started_at=dt.datetime(2023, 7, 4, 8, tzinfo=clock.SHANGHAI),
        finished_at=dt.datetime(2023, 7, 4, 8, 5, tzinfo=clock.SHANGHAI),
        site_status=200,
        page_status=503,
        links_found=2,
        links_checked=2,
        broken=[{"item": item.pk, "url": "https://old.example.cn/notice.pdf", "status": 404}],
    )
    return agency


def test_digest_lists_the_self_inspections_failing_checks(songcun_inspected: Any) -> None:
    with clock.frozen(dt.date(2023, 7, 5)):
        result = send_digests(agencies=[songcun_inspected], generate=False)
    assert result.sent == 1
    (message,) = mail.outbox
    body = message.body
    assert "自查发现的问题（链接检查完成于2023年7月4日）：" in body
    # The agency page did not answer; the site's home page did.
    assert "【单项否决·网站无法访问】本机关信息公开页面：" in body and "返回状态码503" in body
    assert "网站首页：" not in body
    assert (
        "【扣分项·链接不可用】https://old.example.cn/notice.pdf：“宋村镇道路维修通告”中的链接返回状态码404"
        in body
    )
    # A link to the site's own address, to an item that does not exist.
    assert (
        "【扣分项·链接指向未公开信息】https://gk.wendeng.example.cn/agency/songcun/info/987654/"
        in body
    )
    assert "指向已删除或不存在的信息" in body
    assert "【提醒·政务新媒体未填报统计】宋村镇发布：微信公众号没有任何月度统计" in body
    # No notification was generated: the count in the subject is the inspection's four problems.
    assert message.subject == "【政务公开提醒】宋村镇有4项待处理事项"


def test_digest_keeps_notices_first_and_does_not_repeat_them(
    songcun_inspected: Any, plan: Any
) -> None:
    with clock.frozen(dt.date(2023, 7, 5)):
        send_digests(agencies=[songcun_inspected])
    (message,) = mail.outbox
    body = message.body
    notices = Notification.objects.filter(agency=songcun_inspected, read_at__isnull=True).count()
    assert notices > 0
    # Notices are numbered first, the inspection's problems continue the numbering.
    assert f"\n{notices + 1}. 【单项否决·网站无法访问】" in body
    assert body.index("规范乡镇政府信息公开目录") < body.index("自查发现的问题")
    # Rules that notifications carry (stale or empty columns …) are not listed again.
    section = body[body.index("自查发现的问题") :]
    assert "空白栏目" not in section and "栏目长期未更新" not in section
    assert message.subject == f"【政务公开提醒】宋村镇有{notices + 4}项待处理事项"


def test_an_unfinished_link_check_is_not_reported(songcun_inspected: Any) -> None:
    from gongkai.supervision.models import LinkCheckRun, LinkCheckStatus

    LinkCheckRun.objects.create(
        agency=songcun_inspected,
        base_url="https://gk.wendeng.example.cn/",
        status=LinkCheckStatus.QUEUED,
    )
    with clock.frozen(dt.date(2023, 7, 5)):
        send_digests(agencies=[songcun_inspected], generate=False)
    # The finished run's results are still the ones reported.
    assert "链接检查完成于2023年7月4日" in mail.outbox[0].body


def test_a_long_list_of_problems_is_cut_short(district: Any) -> None:
    from gongkai.supervision.digest import INSPECTION_LINES_MAX, InspectionFindings, digest_message
    from gongkai.supervision.inspection import RULES, Flag, RuleKey, Severity

    flags = [
        Flag(RULES[RuleKey.BROKEN_LINK], Severity.DEDUCT, f"https://x.example.cn/{n}", "断链。")
        for n in range(INSPECTION_LINES_MAX + 5)
    ]
    subject, body = digest_message(
        district["songcun"], [], InspectionFindings(flags, dt.date(2023, 7, 4))
    )
    assert subject == f"【政务公开提醒】宋村镇有{INSPECTION_LINES_MAX + 5}项待处理事项"
    assert f"https://x.example.cn/{INSPECTION_LINES_MAX - 1}：" in body
    assert f"https://x.example.cn/{INSPECTION_LINES_MAX}：" not in body
    assert "……另有5项，请在自查页面查看。" in body


def test_nothing_failing_sends_nothing(district: Any, user_named: Any) -> None:
    clerk = user_named("songcun_clerk")
    clerk.email = "clerk@songcun.example.cn"
    clerk.save(update_fields=["email"])
    from gongkai.supervision.digest import inspection_findings

    with clock.frozen(dt.date(2023, 7, 5)):
        findings = inspection_findings(district["songcun"], dt.date(2023, 7, 5))
    assert findings.flags == [] and findings.link_check_on is None
    assert send_digests(agencies=[district["songcun"]], generate=False).sent == 0
    assert mail.outbox == []


def test_one_agency_failing_does_not_stop_the_others_mail(
    plan: Any, district: Any, user_named: Any, monkeypatch: Any, caplog: Any
) -> None:
    from gongkai.supervision import digest

    clerk = user_named("songcun_clerk")
    clerk.email = "clerk@songcun.example.cn"
    clerk.save(update_fields=["email"])
    original = digest.digest_recipients

    def broken_for_gaocun(agency: Any) -> Any:
        if agency.slug == "gaocun":
            raise ValueError("一个机关的数据有误")
        return original(agency)

    monkeypatch.setattr(digest, "digest_recipients", broken_for_gaocun)
    with clock.frozen(dt.date(2023, 7, 5)):
        result = send_digests(agencies=[district["gaocun"], district["songcun"]])
    assert result.sent == 1
    assert [message.to for message in mail.outbox] == [["clerk@songcun.example.cn"]]
    assert "could not be prepared" in caplog.text
