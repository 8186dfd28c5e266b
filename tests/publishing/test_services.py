"""The publishing services: each asserts its state changes and the audit rows it writes."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from gongkai.audit.models import AuditEvent
from gongkai.core import clock
from gongkai.core.exceptions import DomainError, PermissionDeniedError
from gongkai.core.models import WorkdayOverride
from gongkai.publishing.exceptions import InvalidTransition, OpenFindingsBlock
from gongkai.publishing.extract import FileTooLargeError, UnsupportedFileTypeError
from gongkai.publishing.models import (
    Channel,
    ChannelMonthlyStat,
    FindingStatus,
    Item,
    ItemStatus,
    Review,
    ReviewStatus,
    ReviewStepConfig,
    Withdrawal,
)
from gongkai.publishing.services import (
    attachment_add,
    attachment_strike,
    channel_stats_import,
    finding_mask,
    finding_override,
    item_submit_for_review,
    item_update,
    item_withdraw,
    publish_due_recompute,
    publish_scheduled,
    register_set,
    review_decide,
    review_steps_configure,
)
from tests.publishing.conftest import planted_id

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=clock.SHANGHAI)


def verbs(**filters) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("verb", flat=True))


def approve_all(review, user_named, *, publish_at=None):
    for username in ("songcun_head", "songcun_secrecy", "songcun_leader"):
        review_decide(
            actor=user_named(username),
            review=review,
            decision="approve",
            comment="同意",
            publish_at=publish_at,
        )


def test_item_create_assigns_an_index_number_version_and_audit_row(make_item, songcun):
    item = make_item()
    assert item.index_no == f"{songcun.credit_code}/{clock.today().year}-00001"
    assert item.status == ItemStatus.DRAFT
    assert item.versions.count() == 1
    assert item.publish_due > item.formed_on
    event = AuditEvent.objects.get(verb="publishing.item_created")
    assert event.target_id == str(item.pk)
    assert event.data == {"index_no": item.index_no, "findings": 0}


def test_index_numbers_are_never_reused_after_a_delete(make_item):
    first = make_item()
    number = first.index_no
    first.versions.all().delete()
    first.delete()
    second = make_item()
    assert second.index_no != number
    assert second.index_no.endswith("-00002")


def test_index_number_is_unique_in_the_database(make_item):
    first = make_item()
    second = make_item()
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=second.pk).update(index_no=first.index_no)


def test_planted_id_number_is_found_and_blocks_submission(make_item, user_named):
    item = make_item(body=f"<p>身份证号：{planted_id()}</p>")
    finding = item.findings.get()
    assert (finding.kind, finding.masked, finding.status) == (
        "id_number",
        planted_id()[:2] + "*" * 13 + planted_id()[-3:],
        FindingStatus.OPEN,
    )
    assert planted_id() not in str(AuditEvent.objects.values_list("data", flat=True))
    with pytest.raises(OpenFindingsBlock):
        item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    assert not Review.objects.exists()


def test_one_click_mask_saves_a_new_version_and_unblocks(make_item, user_named):
    item = make_item(body=f"<p>身份证号：{planted_id()}，电话13812345678</p>")
    assert item.findings.filter(status=FindingStatus.OPEN).count() == 2
    first = item.findings.get(kind="id_number")
    item = finding_mask(actor=user_named("songcun_clerk"), finding=first)
    assert planted_id() not in item.body
    assert item.version == 2
    assert item.findings.filter(status=FindingStatus.OPEN).count() == 1
    mobile = item.findings.get(kind="mobile", status=FindingStatus.OPEN)
    item = finding_mask(actor=user_named("songcun_clerk"), finding=mobile)
    assert "138****5678" in item.body
    assert verbs(verb="publishing.finding_masked") == ["publishing.finding_masked"] * 2
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    assert review.steps.count() == 3


def test_override_needs_a_reviewer_and_a_reason(make_item, user_named):
    item = make_item(summary="咨询电话13812345678")
    finding = item.findings.get()
    with pytest.raises(PermissionDeniedError):
        finding_override(actor=user_named("songcun_clerk"), finding=finding, reason="公开电话")
    with pytest.raises(DomainError, match="理由"):
        finding_override(actor=user_named("songcun_secrecy"), finding=finding, reason=" ")
    finding_override(actor=user_named("songcun_secrecy"), finding=finding, reason="镇政府值班手机")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OVERRIDDEN
    event = AuditEvent.objects.get(verb="publishing.finding_overridden")
    assert event.data["reason"] == "镇政府值班手机"
    # The accepted number is not reported again when the item is saved again.
    item_update(actor=user_named("songcun_clerk"), item=item, title="改过的标题")
    assert not item.findings.filter(status=FindingStatus.OPEN).exists()


def test_update_keeps_every_version_and_refuses_outside_draft(make_item, user_named):
    item = make_item()
    item = item_update(
        actor=user_named("songcun_clerk"), item=item, title="新标题", body="<p>改</p>"
    )
    assert list(item.versions.values_list("number", "title")) == [
        (1, "宋村镇关于道路维修的通告"),
        (2, "新标题"),
    ]
    assert AuditEvent.objects.get(verb="publishing.item_updated").data["fields"] == [
        "body",
        "title",
    ]
    item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    with pytest.raises(InvalidTransition):
        item_update(actor=user_named("songcun_clerk"), item=item, title="再改")


def test_body_is_sanitised(make_item):
    item = make_item(body='<p onclick="x()">正文<script>alert(1)</script></p>')
    assert item.body == "<p>正文</p>"


def test_review_runs_three_steps_then_publishes(make_item, user_named):
    item = make_item()
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    with pytest.raises(PermissionDeniedError, match="初审"):
        review_decide(actor=user_named("songcun_leader"), review=review, decision="approve")
    with clock.frozen(NOW):
        approve_all(review, user_named)
    item.refresh_from_db()
    review.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert item.published_at == NOW
    assert review.status == ReviewStatus.APPROVED
    steps = list(review.steps.values_list("name", "decided_by__username", "decision"))
    assert steps == [
        ("初审", "songcun_head", "approve"),
        ("保密审查", "songcun_secrecy", "approve"),
        ("签发", "songcun_leader", "approve"),
    ]
    assert verbs(verb__startswith="publishing.review") == [
        "publishing.review_started",
        "publishing.review_step_decided",
        "publishing.review_step_decided",
        "publishing.review_step_decided",
    ]
    transitions = AuditEvent.objects.filter(verb="publishing.item_status_changed")
    assert [e.data["to"] for e in transitions.order_by("id")] == ["in_review", "published"]
    with pytest.raises(InvalidTransition):
        review_decide(actor=user_named("songcun_leader"), review=review, decision="approve")


def test_return_goes_back_to_the_author_with_a_comment(make_item, user_named):
    item = make_item()
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    with pytest.raises(DomainError, match="退回理由"):
        review_decide(actor=user_named("songcun_head"), review=review, decision="return")
    review_decide(
        actor=user_named("songcun_head"), review=review, decision="return", comment="请补充时间"
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.RETURNED
    item = item_update(actor=user_named("songcun_clerk"), item=item, summary="维修时间为三天。")
    second = item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    assert second.pk != review.pk
    assert second.item_version == item.version


def test_only_one_open_review_per_item_in_the_database(make_item, user_named):
    item = make_item()
    item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(item=item, item_version=1, status=ReviewStatus.OPEN)
    Review.objects.create(item=item, item_version=1, status=ReviewStatus.RETURNED)


def test_submitting_twice_is_refused(make_item, user_named):
    item = make_item()
    item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    with pytest.raises(InvalidTransition):
        item_submit_for_review(actor=user_named("songcun_clerk"), item=item)


def test_outsiders_cannot_submit(make_item, user_named):
    item = make_item()
    with pytest.raises(PermissionDeniedError):
        item_submit_for_review(actor=user_named("gaocun_clerk"), item=item)


def test_configured_steps_replace_the_default(make_item, user_named, songcun):
    review_steps_configure(
        actor=user_named("songcun_admin"),
        agency=songcun,
        steps=[("审核", "department_head"), ("签发", "leader")],
    )
    assert ReviewStepConfig.objects.filter(agency=songcun).count() == 2
    assert verbs(verb="publishing.review_steps_configured") == [
        "publishing.review_steps_configured"
    ]
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=make_item())
    assert list(review.steps.values_list("name", flat=True)) == ["审核", "签发"]
    with pytest.raises(PermissionDeniedError):
        review_steps_configure(actor=user_named("songcun_clerk"), agency=songcun, steps=[])


def test_scheduled_publication(make_item, user_named):
    item = make_item()
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    at = NOW + dt.timedelta(days=1)
    with clock.frozen(NOW):
        approve_all(review, user_named, publish_at=at)
    item.refresh_from_db()
    assert (item.status, item.scheduled_at) == (ItemStatus.SCHEDULED, at)
    with clock.frozen(NOW):
        assert publish_scheduled() == 0
    with clock.frozen(at + dt.timedelta(minutes=1)):
        out = io.StringIO()
        call_command("publish_due", stdout=out)
    assert "已发布1条" in out.getvalue()
    item.refresh_from_db()
    assert (item.status, item.published_at) == (ItemStatus.PUBLISHED, at)
    event = AuditEvent.objects.filter(verb="publishing.item_status_changed").last()
    assert event.actor_id is None
    assert event.data == {"from": "scheduled", "to": "published"}


def test_a_scheduled_publication_can_be_stopped_and_goes_back_to_its_author(
    make_item, user_named, client
):
    from gongkai.publishing.services import item_unschedule

    item = make_item()
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    at = NOW + dt.timedelta(days=1)
    with clock.frozen(NOW):
        approve_all(review, user_named, publish_at=at)
    with pytest.raises(PermissionDeniedError):
        item_unschedule(actor=user_named("songcun_clerk"), item=item, reason="发现错误")
    with pytest.raises(DomainError, match="取消定时发布的理由"):
        item_unschedule(actor=user_named("songcun_leader"), item=item, reason=" ")
    with clock.frozen(NOW):
        item = item_unschedule(actor=user_named("songcun_leader"), item=item, reason="附件版本有误")
    assert (item.status, item.scheduled_at) == (ItemStatus.RETURNED, None)
    event = AuditEvent.objects.get(verb="publishing.item_unscheduled")
    assert event.data == {"reason": "附件版本有误", "scheduled_at": at.isoformat()}
    with clock.frozen(at + dt.timedelta(minutes=1)):
        assert publish_scheduled() == 0  # nothing goes public
    with pytest.raises(DomainError, match="没有待执行的定时发布"):
        item_unschedule(actor=user_named("songcun_leader"), item=item, reason="再次取消")
    # The author revises it and sends it through the whole review again.
    assert item_submit_for_review(actor=user_named("songcun_clerk"), item=item).steps.count() == 3


def test_the_workbench_stops_a_scheduled_publication(make_item, user_named, login):
    item = make_item()
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    with clock.frozen(NOW):
        approve_all(review, user_named, publish_at=NOW + dt.timedelta(days=1))
    from django.urls import reverse

    leader = login("songcun_leader")
    page = leader.get(reverse("workbench:publishing_item", args=[item.pk])).content.decode()
    assert "取消定时发布" in page
    url = reverse("workbench:publishing_item_unschedule", args=[item.pk])
    response = leader.post(url, {"reason": "标题有误"}, follow=True)
    assert "已取消定时发布" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    clerk = login("songcun_clerk")
    assert clerk.post(url, {"reason": "x"}).status_code == 403


def test_withdraw_needs_a_reason_and_a_leader(make_item, user_named):
    item = make_item()
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    approve_all(review, user_named)
    with pytest.raises(PermissionDeniedError):
        item_withdraw(actor=user_named("songcun_clerk"), item=item, reason="错误")
    with pytest.raises(DomainError, match="撤稿理由"):
        item_withdraw(actor=user_named("songcun_leader"), item=item, reason="")
    item_withdraw(actor=user_named("songcun_leader"), item=item, reason="日期有误")
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN
    assert Withdrawal.objects.get(item=item).reason == "日期有误"
    assert AuditEvent.objects.get(verb="publishing.item_withdrawn").data["reason"] == "日期有误"
    with pytest.raises(InvalidTransition):
        item_withdraw(actor=user_named("songcun_leader"), item=item, reason="再撤")


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_attachment_findings_block_until_a_new_version_is_uploaded(make_item, user_named):
    clerk = user_named("songcun_clerk")
    item = make_item()
    attachment = attachment_add(
        actor=clerk, item=item, name="名单.docx", data=docx_bytes(f"张某 {planted_id()}")
    )
    assert attachment.file_type == "docx"
    finding = attachment.findings.get()
    assert finding.location.startswith("名单.docx")
    with pytest.raises(DomainError, match="新版本附件"):
        finding_mask(actor=clerk, finding=finding)
    with pytest.raises(OpenFindingsBlock):
        item_submit_for_review(actor=clerk, item=item)
    masked = planted_id()[:2] + "*" * 13 + planted_id()[-3:]
    new = attachment_add(
        actor=clerk,
        item=item,
        name="名单.docx",
        data=docx_bytes(f"张某 {masked}"),
        replaces=attachment,
    )
    finding.refresh_from_db()
    attachment.refresh_from_db()
    assert finding.status == FindingStatus.MASKED
    assert not attachment.is_current
    assert new.replaces == attachment
    assert not new.findings.exists()
    item_submit_for_review(actor=clerk, item=item)
    assert verbs(verb="publishing.attachment_added") == ["publishing.attachment_added"] * 2


def test_striking_an_attachment_resolves_its_findings(make_item, user_named):
    clerk = user_named("songcun_clerk")
    item = make_item()
    attachment = attachment_add(
        actor=clerk, item=item, name="名单.txt", data=f"{planted_id()}".encode()
    )
    attachment_strike(actor=clerk, attachment=attachment)
    attachment.refresh_from_db()
    assert attachment.struck
    assert attachment.findings.get().status == FindingStatus.MASKED
    assert (
        AuditEvent.objects.get(verb="publishing.attachment_struck").data["findings_resolved"] == 1
    )


def test_attachments_are_typed_by_content_and_size_limited(make_item, user_named, settings):
    clerk = user_named("songcun_clerk")
    item = make_item()
    with pytest.raises(UnsupportedFileTypeError):
        attachment_add(
            actor=clerk, item=item, name="a.docx", data=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        )
    settings.GONGKAI_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(FileTooLargeError):
        attachment_add(actor=clerk, item=item, name="a.txt", data=b"x" * 11)
    assert not item.attachments.exists()


def test_channel_stats_import(songcun, user_named):
    text = (
        "\ufeffchannel,kind,year,month,items,reads\n"
        '历史风韵 文化宋村,wechat,2023,1,30,"36,000"\n'
        "历史风韵 文化宋村,wechat,2023,2,28,34000\n"
    )
    result = channel_stats_import(actor=user_named("songcun_clerk"), agency=songcun, text=text)
    assert (result.created, result.updated, result.channels_created) == (2, 0, 1)
    again = channel_stats_import(
        actor=user_named("songcun_clerk"),
        agency=songcun,
        text="渠道名称,年份,月份,发布条数,阅读量\n历史风韵 文化宋村,2023,2,29,35000\n",
    )
    assert (again.created, again.updated) == (0, 1)
    stat = ChannelMonthlyStat.objects.get(month=2)
    assert (stat.items, stat.reads) == (29, 35000)
    assert Channel.objects.get().kind == "wechat"
    assert (
        verbs(verb="publishing.channel_stats_imported") == ["publishing.channel_stats_imported"] * 2
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "空"),
        ("channel,year\n", "表头缺少列"),
        ("channel,kind,year,month,items\n新渠道,,2023,1,3\n", "第2行：渠道“新渠道”尚未建立"),
        ("channel,kind,year,month,items\n新渠道,wechat,2023,13,3\n", "第2行：月份"),
        ("channel,kind,year,month,items\n新渠道,wechat,2023,1,三\n", "第2行：发布条数"),
    ],
)
def test_channel_stats_import_refuses_bad_files(songcun, user_named, text, message):
    with pytest.raises(DomainError, match=message):
        channel_stats_import(actor=user_named("songcun_clerk"), agency=songcun, text=text)
    assert not ChannelMonthlyStat.objects.exists()


def test_register_set_records_before_and_after(songcun, user_named):
    admin = user_named("songcun_admin")
    register_set(
        actor=admin, agency=songcun, year=2023, licensing=1, punishment=2, coercion=0, fees_fen=0
    )
    register_set(
        actor=admin, agency=songcun, year=2023, licensing=5, punishment=2, coercion=0, fees_fen=150
    )
    events = AuditEvent.objects.filter(verb="publishing.register_set").order_by("id")
    assert events[1].data["from"]["licensing"] == 1
    assert events[1].data["to"]["licensing"] == 5
    with pytest.raises(PermissionDeniedError):
        register_set(
            actor=user_named("songcun_head"),
            agency=songcun,
            year=2023,
            licensing=0,
            punishment=0,
            coercion=0,
            fees_fen=0,
        )


def test_calendar_change_recomputes_publish_due(make_item):
    item = make_item(formed_on=dt.date(2026, 11, 20))
    before = item.publish_due
    # 2026-11-20 is a Friday; 20 working days later is Friday 2026-12-18.
    assert before == dt.date(2026, 12, 18)
    WorkdayOverride.objects.create(date=dt.date(2026, 11, 23), is_workday=False, note="测试")
    with transaction.atomic():
        changed = publish_due_recompute(years=frozenset({2026}), actor=None)
    item.refresh_from_db()
    assert changed == 1
    # One working day fewer in the period pushes it over the weekend to Monday.
    assert item.publish_due == dt.date(2026, 12, 21)
    assert AuditEvent.objects.get(verb="publishing.publish_due_recomputed").data == {
        "from": before.isoformat(),
        "to": item.publish_due.isoformat(),
    }


def test_the_recompute_hook_is_registered_with_the_calendar(make_item):
    from gongkai.core.calendar import run_recompute_hooks

    item = make_item(formed_on=dt.date(2026, 11, 20))
    WorkdayOverride.objects.create(date=dt.date(2026, 11, 23), is_workday=False, note="测试")
    with transaction.atomic():
        assert run_recompute_hooks(years=[2026], actor=None) >= 1
    item.refresh_from_db()
    assert item.publish_due == dt.date(2026, 12, 21)


def test_rescan_of_published_items_finds_what_the_rules_now_catch(make_item, user_named):
    clerk = user_named("songcun_clerk")
    item = make_item()
    attachment = attachment_add(actor=clerk, item=item, name="名单.txt", data=b"ok")
    review = item_submit_for_review(actor=clerk, item=item)
    approve_all(review, user_named)
    # A value the scanner would catch slips in (e.g. published before a rule existed).
    Item.objects.filter(pk=item.pk).update(summary=f"身份证号{planted_id()}")
    attachment.file.save("名单.txt", io.BytesIO("联系电话13812345678".encode()), save=True)
    out = io.StringIO()
    call_command("rescan_published", "--agency", "songcun", stdout=out)
    assert "发现2处" in out.getvalue()
    kinds = sorted(item.findings.filter(status=FindingStatus.OPEN).values_list("kind", flat=True))
    assert kinds == ["id_number", "mobile"]
    assert AuditEvent.objects.get(verb="publishing.item_rescanned").data == {"findings": 2}
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED


def test_index_pattern_of_the_jurisdiction_applies_to_new_numbers_below_it(
    make_item, user_named, district, songcun
):
    from gongkai.publishing.services import index_pattern_set

    old = make_item()
    with pytest.raises(PermissionDeniedError):
        index_pattern_set(
            actor=user_named("songcun_clerk"), agency=district["wendeng"], pattern="x"
        )
    with pytest.raises(DomainError, match="唯一"):
        index_pattern_set(
            actor=user_named("wendeng_admin"), agency=district["wendeng"], pattern="{year}-{seq}"
        )
    index_pattern_set(
        actor=user_named("wendeng_admin"),
        agency=district["wendeng"],
        pattern="WD-{code}-{year}-{seq}",
        digits=4,
    )
    new = make_item()
    year = clock.today().year
    assert new.index_no == f"WD-{songcun.credit_code}-{year}-0002"
    old.refresh_from_db()
    assert old.index_no == f"{songcun.credit_code}/{year}-00001"
    assert AuditEvent.objects.get(verb="publishing.index_pattern_set").data["to"] == [
        "WD-{code}-{year}-{seq}",
        4,
    ]
