"""Workbench 主动公开 endpoints: a happy path, a permission failure and a wrong state for each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.audit.models import AuditEvent
from gongkai.publishing.models import (
    ChannelMonthlyStat,
    Column,
    FindingStatus,
    Item,
    ItemStatus,
    RegisterYear,
    Review,
)
from gongkai.publishing.services import (
    attachment_add,
    columns_ensure_default,
    item_create,
    item_submit_for_review,
    review_decide,
)
from tests.publishing.conftest import planted_id


@pytest.fixture
def songcun(district):
    columns_ensure_default(actor=None, agency=district["songcun"])
    return district["songcun"]


@pytest.fixture
def draft(songcun, user_named):
    return item_create(
        actor=user_named("songcun_clerk"),
        agency=songcun,
        column=Column.objects.get(agency=songcun, slug="gsgg"),
        title="宋村镇临时救助公示",
        formed_on=dt.date(2026, 11, 20),
        body=f"<p>身份证号：{planted_id()}</p>",
    )


@pytest.fixture
def clean(songcun, user_named):
    return item_create(
        actor=user_named("songcun_clerk"),
        agency=songcun,
        column=Column.objects.get(agency=songcun, slug="gsgg"),
        title="宋村镇道路维修通告",
        formed_on=dt.date(2026, 11, 20),
    )


def publish(item, user_named):
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=item)
    for username in ("songcun_head", "songcun_secrecy", "songcun_leader"):
        review_decide(actor=user_named(username), review=review, decision="approve")
    item.refresh_from_db()
    return item


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- list / create / edit / detail ---------------------------------------------------------------


def test_item_list(login, draft):
    response = login("songcun_clerk").get("/workbench/agency/songcun/items/")
    assert response.status_code == 200
    assert draft.index_no in response.content.decode()
    assert login("gaocun_clerk").get("/workbench/agency/songcun/items/").status_code == 403
    filtered = login("songcun_clerk").get("/workbench/agency/songcun/items/?status=published")
    assert draft.index_no not in filtered.content.decode()


def test_item_list_counts_late_items_per_department(login, songcun, user_named):
    item_create(
        actor=user_named("songcun_clerk"),
        agency=songcun,
        column=Column.objects.get(agency=songcun, slug="gsgg"),
        title="早已形成的信息",
        formed_on=dt.date(2020, 1, 6),
        department=songcun.departments.get(name="党政办公室"),
    )
    response = login("songcun_clerk").get("/workbench/agency/songcun/items/")
    assert response.context["late"] == [{"department": "党政办公室", "late": 0, "overdue": 1}]


def test_item_new(login, songcun):
    client = login("songcun_clerk")
    column = Column.objects.get(agency=songcun, slug="gzdt")
    response = client.post(
        "/workbench/agency/songcun/items/new/",
        {
            "column": column.pk,
            "title": "宋村镇开展森林防火检查",
            "body": "<p>检查情况良好。</p>",
            "formed_on": "2026-11-20",
            "disclosure": "active",
            "doc_kind": "other",
        },
    )
    item = Item.objects.get(title="宋村镇开展森林防火检查")
    assert response.status_code == 302
    assert response["Location"] == f"/workbench/items/{item.pk}/"
    assert AuditEvent.objects.filter(
        verb="publishing.item_created", target_id=str(item.pk)
    ).exists()


def test_item_new_shows_errors_beside_fields(login, songcun):
    response = login("songcun_clerk").post(
        "/workbench/agency/songcun/items/new/", {"title": "", "disclosure": "active"}
    )
    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()
    assert not Item.objects.exists()


def test_item_new_refused_to_other_agencies_and_supervisors(login, songcun):
    assert login("gaocun_clerk").get("/workbench/agency/songcun/items/new/").status_code == 403
    assert (
        login("wendeng_supervisor").get("/workbench/agency/songcun/items/new/").status_code == 403
    )


def test_item_edit(login, clean):
    client = login("songcun_clerk")
    assert client.get(f"/workbench/items/{clean.pk}/edit/").status_code == 200
    data = {
        "column": clean.column_id,
        "title": "宋村镇道路维修通告（更新）",
        "formed_on": "2026-11-20",
        "disclosure": "active",
        "doc_kind": "other",
    }
    response = client.post(f"/workbench/items/{clean.pk}/edit/", data)
    assert response.status_code == 302
    clean.refresh_from_db()
    assert (clean.title, clean.version) == ("宋村镇道路维修通告（更新）", 2)


def test_item_edit_forbidden_and_wrong_state(login, clean, user_named):
    assert login("gaocun_clerk").get(f"/workbench/items/{clean.pk}/edit/").status_code == 403
    item_submit_for_review(actor=user_named("songcun_clerk"), item=clean)
    response = login("songcun_clerk").get(f"/workbench/items/{clean.pk}/edit/", follow=True)
    assert "不能修改" in " ".join(messages_of(response))


def test_item_detail_shows_findings_with_suggested_mask(login, draft):
    html = login("songcun_clerk").get(f"/workbench/items/{draft.pk}/").content.decode()
    masked = planted_id()[:2] + "*" * 13 + planted_id()[-3:]
    assert masked in html
    assert "一键遮盖" in html
    assert planted_id() in html  # the author sees the body she is editing
    assert login("zeku_clerk").get(f"/workbench/items/{draft.pk}/").status_code == 403


# --- findings ------------------------------------------------------------------------------------


def test_finding_mask(login, draft):
    finding = draft.findings.get()
    response = login("songcun_clerk").post(f"/workbench/findings/{finding.pk}/mask/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert planted_id() not in draft.body
    assert draft.findings.get(pk=finding.pk).status == FindingStatus.MASKED


def test_finding_mask_forbidden_and_wrong_state(login, draft):
    finding = draft.findings.get()
    assert login("gaocun_clerk").post(f"/workbench/findings/{finding.pk}/mask/").status_code == 403
    client = login("songcun_clerk")
    client.post(f"/workbench/findings/{finding.pk}/mask/")
    again = client.post(f"/workbench/findings/{finding.pk}/mask/", follow=True)
    assert "该发现已处理。" in messages_of(again)


def test_finding_override(login, draft):
    finding = draft.findings.get()
    client = login("songcun_secrecy")
    response = client.post(
        f"/workbench/findings/{finding.pk}/override/", {"reason": "已核实为样例号码"}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.resolution) == (FindingStatus.OVERRIDDEN, "已核实为样例号码")


def test_finding_override_forbidden_and_wrong_state(login, draft):
    finding = draft.findings.get()
    url = f"/workbench/findings/{finding.pk}/override/"
    assert login("songcun_clerk").post(url, {"reason": "x"}).status_code == 403
    client = login("songcun_secrecy")
    missing = client.post(url, {"reason": ""}, follow=True)
    assert "请填写确认可以公开的理由。" in messages_of(missing)
    client.post(url, {"reason": "已核实"})
    again = client.post(url, {"reason": "已核实"}, follow=True)
    assert "该发现已处理。" in messages_of(again)


# --- attachments ---------------------------------------------------------------------------------


def test_attachment_upload_is_scanned(login, clean):
    upload = SimpleUploadedFile("名单.txt", f"张某 {planted_id()}".encode())
    response = login("songcun_clerk").post(
        f"/workbench/items/{clean.pk}/attachments/", {"file": upload}, follow=True
    )
    assert "扫描发现1处" in " ".join(messages_of(response))
    assert clean.attachments.get().findings.count() == 1


def test_attachment_upload_forbidden_and_wrong_state(login, clean, user_named):
    upload = SimpleUploadedFile("a.txt", b"ok")
    url = f"/workbench/items/{clean.pk}/attachments/"
    assert login("gaocun_clerk").post(url, {"file": upload}).status_code == 403
    item_submit_for_review(actor=user_named("songcun_clerk"), item=clean)
    upload = SimpleUploadedFile("a.txt", b"ok")
    response = login("songcun_clerk").post(url, {"file": upload}, follow=True)
    assert "只有草稿或已退回的信息可以上传附件。" in messages_of(response)
    assert not clean.attachments.exists()


def test_attachment_upload_refuses_unknown_types(login, clean):
    upload = SimpleUploadedFile("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20)
    response = login("songcun_clerk").post(
        f"/workbench/items/{clean.pk}/attachments/", {"file": upload}, follow=True
    )
    assert "旧版" in " ".join(messages_of(response))


def test_attachment_strike(login, clean, user_named):
    attachment = attachment_add(
        actor=user_named("songcun_clerk"), item=clean, name="a.txt", data=b"ok"
    )
    url = f"/workbench/attachments/{attachment.pk}/strike/"
    assert login("gaocun_clerk").post(url).status_code == 403
    client = login("songcun_clerk")
    assert client.post(url).status_code == 302
    attachment.refresh_from_db()
    assert attachment.struck
    again = client.post(url, follow=True)
    assert "该附件已被替换或删除。" in messages_of(again)


# --- submit / review / withdraw -----------------------------------------------------------------


def test_submit_is_blocked_by_findings_then_succeeds(login, draft):
    client = login("songcun_clerk")
    blocked = client.post(f"/workbench/items/{draft.pk}/submit/", follow=True)
    assert "还有1处疑似个人信息" in " ".join(messages_of(blocked))
    client.post(f"/workbench/findings/{draft.findings.get().pk}/mask/")
    client.post(f"/workbench/items/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.status == ItemStatus.IN_REVIEW
    assert login("gaocun_clerk").post(f"/workbench/items/{draft.pk}/submit/").status_code == 403


def test_review_queue_shows_only_the_current_steps_reviewer(login, clean, user_named):
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=clean)
    head = login("songcun_head").get("/workbench/reviews/")
    assert [r.pk for r in head.context["reviews"]] == [review.pk]
    leader = login("songcun_leader").get("/workbench/reviews/")
    assert leader.context["reviews"] == []
    assert login("gaocun_head").get("/workbench/reviews/").context["reviews"] == []


def test_review_decision_page(login, clean, user_named):
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=clean)
    url = f"/workbench/reviews/{review.pk}/"
    assert login("songcun_head").get(url).status_code == 200
    assert login("songcun_leader").post(url, {"decision": "approve"}).status_code == 403
    assert login("gaocun_head").get(url).status_code == 403
    response = login("songcun_head").post(url, {"decision": "return", "comment": ""})
    assert "退回时请填写退回理由" in response.content.decode()
    response = login("songcun_head").post(url, {"decision": "return", "comment": "请补充"})
    assert response.status_code == 302
    clean.refresh_from_db()
    assert clean.status == ItemStatus.RETURNED
    closed = login("songcun_head").post(url, {"decision": "approve"}, follow=True)
    assert "该审核已结束。" in messages_of(closed)


def test_last_step_can_schedule_publication(login, clean, user_named):
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=clean)
    for username in ("songcun_head", "songcun_secrecy"):
        review_decide(actor=user_named(username), review=review, decision="approve")
    login("songcun_leader").post(
        f"/workbench/reviews/{review.pk}/",
        {"decision": "approve", "publish_at": "2099-01-05T09:00"},
    )
    clean.refresh_from_db()
    assert clean.status == ItemStatus.SCHEDULED
    assert clean.scheduled_at.isoformat() == "2099-01-05T01:00:00+00:00"
    assert Review.objects.get(pk=review.pk).status == "approved"


def test_withdraw(login, clean, user_named):
    item = publish(clean, user_named)
    url = f"/workbench/items/{item.pk}/withdraw/"
    assert login("songcun_clerk").post(url, {"reason": "错误"}).status_code == 403
    client = login("songcun_leader")
    empty = client.post(url, {"reason": ""}, follow=True)
    assert "请填写撤稿理由。" in messages_of(empty)
    client.post(url, {"reason": "数据有误"})
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN
    again = client.post(url, {"reason": "再次"}, follow=True)
    assert any("不能变为" in m for m in messages_of(again))


# --- channel statistics and registers ----------------------------------------------------------


def test_channel_stats_entry_and_import(login, songcun):
    client = login("songcun_clerk")
    url = "/workbench/agency/songcun/channels/?year=2023"
    assert client.get(url).status_code == 200
    client.post(url, {"action": "channel", "kind": "wechat", "name": "历史风韵 文化宋村"})
    channel = songcun.channels.get()
    client.post(
        url,
        {
            "action": "stat",
            "channel": channel.pk,
            "year": 2023,
            "month": 1,
            "items": 30,
            "reads": 1000,
        },
    )
    csv = SimpleUploadedFile(
        "s.csv", "channel,year,month,items,reads\n历史风韵 文化宋村,2023,2,28,900\n".encode()
    )
    response = client.post(url, {"action": "import", "file": csv}, follow=True)
    assert "新增1条" in " ".join(messages_of(response))
    assert list(ChannelMonthlyStat.objects.order_by("month").values_list("items", flat=True)) == [
        30,
        28,
    ]


def test_channel_stats_forbidden_and_bad_file(login, songcun):
    assert login("songcun_head").get("/workbench/agency/songcun/channels/").status_code == 403
    bad = SimpleUploadedFile("s.csv", b"channel,year\n")
    response = login("songcun_clerk").post(
        "/workbench/agency/songcun/channels/", {"action": "import", "file": bad}, follow=True
    )
    assert any("表头缺少列" in m for m in messages_of(response))


def test_registers(login, songcun):
    client = login("songcun_admin")
    response = client.post(
        "/workbench/agency/songcun/registers/",
        {"year": 2023, "licensing": 12, "punishment": 3, "coercion": 0, "fees_yuan": "1234.56"},
    )
    assert response.status_code == 302
    register = RegisterYear.objects.get(agency=songcun, year=2023)
    assert (register.licensing, register.fees_fen) == (12, 123456)
    assert login("songcun_leader").get("/workbench/agency/songcun/registers/").status_code == 403
    client = login("songcun_admin")
    invalid = client.post(
        "/workbench/agency/songcun/registers/",
        {"year": 2023, "licensing": -1, "punishment": 0, "coercion": 0, "fees_yuan": "0"},
    )
    assert invalid.status_code == 200
    assert RegisterYear.objects.get(agency=songcun, year=2023).licensing == 12


def test_guide_text(login, songcun, client):
    url = "/workbench/agency/songcun/guide/"
    assert login("songcun_clerk").get(url).status_code == 403
    admin = login("songcun_admin")
    response = admin.post(url, {"intro": "<p>本镇信息按第二十条编排。</p><script>x</script>"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="publishing.column_intro_set").count() == 1
    html = client.get("/agency/songcun/gk/guide/").content.decode()
    assert "<p>本镇信息按第二十条编排。</p>" in html
    assert "<script>x" not in html


def test_guide_text_without_columns(login, district):
    response = login("gaocun_admin").get("/workbench/agency/gaocun/guide/", follow=True)
    assert "尚未建立政府信息公开指南栏目" in " ".join(messages_of(response))


def test_attachment_download_for_staff(login, clean, user_named):
    attachment = attachment_add(
        actor=user_named("songcun_clerk"), item=clean, name="a.txt", data="内容".encode()
    )
    url = f"/workbench/attachments/{attachment.pk}/"
    response = login("songcun_secrecy").get(url)
    assert response.status_code == 200
    assert response.content.decode() == "内容"
    assert login("gaocun_secrecy").get(url).status_code == 403
    assert login("songcun_secrecy").get("/workbench/attachments/999999/").status_code == 403


def test_review_steps_configuration(login, songcun, user_named, clean):
    url = "/workbench/agency/songcun/review-steps/"
    assert login("songcun_clerk").get(url).status_code == 403
    admin = login("songcun_admin")
    page = admin.get(url)
    assert page.context["current"] == [
        ("初审", "department_head"),
        ("保密审查", "secrecy_reviewer"),
        ("签发", "leader"),
    ]
    missing_role = admin.post(url, {"name_1": "审核"})
    assert "请为该环节选择审核岗位。" in missing_role.content.decode()
    response = admin.post(url, {"name_1": "审核", "role_1": "department_head", "role_2": "leader"})
    assert response.status_code == 302
    review = item_submit_for_review(actor=user_named("songcun_clerk"), item=clean)
    assert list(review.steps.values_list("name", "role")) == [
        ("审核", "department_head"),
        ("分管领导审核", "leader"),
    ]
    empty = login("songcun_admin").post(url, {})
    assert "至少需要一个审核环节。" in empty.content.decode()


def test_item_list_flags_published_items_with_rescan_findings(login, clean, user_named):
    from gongkai.publishing.services import items_rescan_published

    item = publish(clean, user_named)
    Item.objects.filter(pk=item.pk).update(summary="联系电话13812345678")
    items_rescan_published(actor=None)
    response = login("songcun_clerk").get("/workbench/agency/songcun/items/")
    assert [i.pk for i in response.context["flagged"]] == [item.pk]
    assert "复查发现问题的已发布信息" in response.content.decode()


def test_index_pattern_page(login, songcun):
    url = "/workbench/agency/songcun/index-pattern/"
    assert login("songcun_clerk").get(url).status_code == 403
    admin = login("songcun_admin")
    assert f"{songcun.credit_code}/" in admin.get(url).content.decode()
    bad = admin.post(url, {"pattern": "{seq}", "digits": 5})
    assert "以保证索引号唯一" in bad.content.decode()
    assert admin.post(url, {"pattern": "{code}-{year}-{seq}", "digits": 6}).status_code == 302
    assert songcun.index_pattern.pattern == "{code}-{year}-{seq}"


def test_columns_setup(login, district):
    url = "/workbench/agency/zeku/columns/setup/"
    page = login("zeku_clerk").get("/workbench/agency/zeku/items/")
    assert "建立默认栏目" in page.content.decode()
    assert login("gaocun_clerk").post(url).status_code == 403
    response = login("zeku_clerk").post(url, follow=True)
    assert "已建立12个默认栏目。" in messages_of(response)
    assert Column.objects.filter(agency=district["zeku"]).count() == 12
    again = login("zeku_clerk").post(url, follow=True)
    assert "默认栏目均已存在。" in messages_of(again)
    assert login("zeku_clerk").get(url).status_code == 405


def test_validity_of_a_published_normative_document(login, songcun, user_named, clean):
    document = item_create(
        actor=user_named("songcun_clerk"),
        agency=songcun,
        column=Column.objects.get(agency=songcun, slug="zcwj"),
        title="宋村镇村级事务管理办法",
        formed_on=dt.date(2026, 11, 20),
        doc_kind="normative_document",
    )
    document = publish(document, user_named)
    url = f"/workbench/items/{document.pk}/validity/"
    data = {"validity": "repealed", "changed_on": "2026-11-25"}
    assert login("gaocun_clerk").post(url, data).status_code == 403
    client = login("songcun_clerk")
    missing_date = client.post(url, {"validity": "repealed"}, follow=True)
    assert "请填写失效或废止的日期。" in messages_of(missing_date)
    client.post(url, data)
    document.refresh_from_db()
    assert (document.validity, document.validity_changed_on) == ("repealed", dt.date(2026, 11, 25))
    assert document.status == ItemStatus.PUBLISHED
    other = client.post(f"/workbench/items/{clean.pk}/validity/", data, follow=True)
    assert "只有规章和行政规范性文件需要标注有效性。" in messages_of(other)
