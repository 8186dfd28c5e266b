"""The report workflow services: each writes its event and audit rows, or refuses in Chinese."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.core import clock
from gongkai.reports.exceptions import (
    InvalidReportTransition,
    ReportInputInvalid,
    ReportNotEditable,
    ReportPermissionDenied,
    ReportSubmitRefused,
)
from gongkai.reports.generator import NoSources
from gongkai.reports.models import ReportEvent, ReportRecord, ReportVersion
from gongkai.reports.selectors import previous_published_value, record_value
from gongkai.reports.services import (
    report_approve,
    report_draft_get_or_create,
    report_publish,
    report_refresh_tables,
    report_return,
    report_save_draft,
    report_start_correction,
    report_submit,
    report_transition,
)
from gongkai.reports.states import Action, Status, TableSource
from tests.reports.test_generator import FakeSources, full_sources

pytestmark = pytest.mark.django_db

FINISHED = {
    "1": "本年度本机关依法推进政府信息公开工作，主动公开、依申请公开和平台建设均按要求落实。",
    "2": "",
    "3": "",
    "4": "",
    "5": "存在的主要问题是公开内容还不够丰富。下一步将加强培训，提升公开质量。",
    "6": "（一）信息处理费收取情况。本年度未收到政府信息公开申请，未收取信息处理费。\n"
    "（二）人大代表建议和政协提案办理情况。本年度未承办建议提案。\n"
    "（三）本年度政务公开工作要点落实情况。已按要点逐项落实。",
}


def new_draft(
    user_named: Any, district: Any, slug: str = "songcun", year: int = 2023
) -> ReportRecord:
    record, _ = report_draft_get_or_create(
        actor=user_named(f"{slug}_clerk"), agency=district[slug], year=year, sources=NoSources()
    )
    return record


def finished(
    user_named: Any, district: Any, slug: str = "songcun", year: int = 2023
) -> ReportRecord:
    record = new_draft(user_named, district, slug, year)
    return report_save_draft(actor=user_named(f"{slug}_clerk"), record=record, sections=FINISHED)


def published(
    user_named: Any, district: Any, slug: str = "songcun", year: int = 2023
) -> ReportRecord:
    record = finished(user_named, district, slug, year)
    report_submit(actor=user_named(f"{slug}_admin"), record=record)
    report_approve(actor=user_named("wendeng_supervisor"), record=record)
    with clock.frozen(dt.date(year + 1, 1, 25)):
        report_publish(actor=user_named(f"{slug}_leader"), record=record)
    return ReportRecord.objects.get(pk=record.pk)


def audit_verbs(record: ReportRecord) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="reports.reportrecord", target_id=str(record.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def events(record: ReportRecord) -> list[tuple[str, str, str]]:
    return list(
        ReportEvent.objects.filter(record=record)
        .order_by("id")
        .values_list("action", "from_status", "to_status")
    )


# --- drafting ---


def test_a_draft_is_created_from_the_records_with_event_and_audit(district, user_named):
    record, notes = report_draft_get_or_create(
        actor=user_named("songcun_clerk"),
        agency=district["songcun"],
        year=2023,
        sources=full_sources(),
    )
    assert record.status == Status.DRAFT
    assert record.table_source == TableSource.RECORDS
    assert notes == ()
    assert record_value(record).table3.cell("new_received", "total") == 5
    assert events(record) == [("create", "", "draft")]
    assert audit_verbs(record) == ["report.create"]
    again, notes = report_draft_get_or_create(
        actor=user_named("songcun_clerk"), agency=district["songcun"], year=2023
    )
    assert again.pk == record.pk and notes == ()
    assert audit_verbs(record) == ["report.create"]


def test_without_records_the_draft_is_manual_and_says_so(district, user_named):
    record, notes = report_draft_get_or_create(
        actor=user_named("songcun_clerk"),
        agency=district["songcun"],
        year=2023,
        sources=NoSources(),
    )
    assert record.table_source == TableSource.MANUAL
    assert len(notes) == 3


def test_only_the_agencys_staff_create_its_draft(district, user_named):
    with pytest.raises(ReportPermissionDenied):
        report_draft_get_or_create(
            actor=user_named("gaocun_clerk"), agency=district["songcun"], year=2023
        )
    with pytest.raises(ReportPermissionDenied):
        report_draft_get_or_create(
            actor=user_named("wendeng_supervisor"), agency=district["songcun"], year=2023
        )
    with pytest.raises(ReportInputInvalid, match="报告年度应在2021年至"):
        report_draft_get_or_create(
            actor=user_named("songcun_clerk"), agency=district["songcun"], year=2019
        )
    assert not ReportRecord.objects.exists()


def test_saving_text_and_tables_recomputes_the_totals(district, user_named):
    record = new_draft(user_named, district)
    saved = report_save_draft(
        actor=user_named("songcun_clerk"),
        record=record,
        sections={"1": "总体情况正文"},
        tables={
            "table3.new_received.natural_person": "３",
            "table3.granted.natural_person": "2",
            "table3.carried_forward.natural_person": "1",
            "table2.fees_wan_yuan": "0.0150",
            "table4.review.upheld": "1",
        },
    )
    value = record_value(saved)
    assert value.sections["1"] == "总体情况正文"
    assert value.table3.cell("new_received", "total") == 3
    assert value.table3.cell("total_processed", "natural_person") == 2
    assert value.table2.fees_yuan == 150
    assert value.table4.cell("review", "total") == 1
    assert saved.table_source == TableSource.MANUAL
    assert audit_verbs(record)[-1] == "report.save"
    assert events(record) == [("create", "", "draft")]


@pytest.mark.parametrize(
    ("cell", "raw", "message"),
    [
        ("table3.granted.business", "abc", "表三“（一）予以公开”行“商业企业”列填写的“abc”不是数字"),
        ("table3.granted.business", "-1", "是负数"),
        ("table4.review.upheld", "1.5", "不是整数"),
        ("table2.fees_wan_yuan", "一万", "应填写以万元为单位的金额"),
        ("table9.x", "1", "表格中没有单元格"),
        # Huge or exponent numbers are refused at once, without a traceback or a slow int().
        ("table3.granted.business", "1e3000000", "不是整数，应填写非负整数"),
        ("table3.granted.business", "9" * 5000, "过大"),
        ("table3.granted.business", "1000000000", "过大"),
        ("table4.review.upheld", "12.0e1", "不是整数"),
        ("table2.fees_wan_yuan", "1e25", "过大"),
        ("table2.fees_wan_yuan", "1E+3000000", "过大"),
    ],
)
def test_invalid_input_saves_nothing(district, user_named, cell, raw, message):
    record = new_draft(user_named, district)
    before = dict(ReportRecord.objects.get(pk=record.pk).draft)
    with pytest.raises(ReportInputInvalid, match=message):
        report_save_draft(
            actor=user_named("songcun_clerk"),
            record=record,
            sections={"1": "这段文字不应保存"},
            tables={"table3.granted.natural_person": "5", cell: raw},
        )
    assert ReportRecord.objects.get(pk=record.pk).draft == before
    assert audit_verbs(record) == ["report.create"]


def test_refreshing_tables_keeps_the_prose(district, user_named):
    record = finished(user_named, district)
    refreshed, notes = report_refresh_tables(
        actor=user_named("songcun_clerk"), record=record, sources=full_sources()
    )
    value = record_value(refreshed)
    assert value.sections["5"] == FINISHED["5"]
    assert value.table3.cell("new_received", "total") == 5
    assert refreshed.table_source == TableSource.RECORDS and notes == ()
    assert audit_verbs(record)[-1] == "report.refresh_tables"


# --- submit ---


def test_submit_is_refused_naming_the_cells_and_numbers(district, user_named):
    record = finished(user_named, district)
    report_save_draft(
        actor=user_named("songcun_clerk"),
        record=record,
        tables={"table3.new_received.natural_person": "2", "table3.new_received.total": "5"},
        compute_totals=False,
    )
    with pytest.raises(ReportSubmitRefused) as refused:
        report_submit(actor=user_named("songcun_admin"), record=record)
    message = refused.value.message
    assert "“一、本年新收政府信息公开申请数量”行" in message
    assert "5" in message and "2" in message
    assert ReportRecord.objects.get(pk=record.pk).status == Status.DRAFT
    assert events(record) == [("create", "", "draft")]


def test_submit_is_refused_while_prompts_remain(district, user_named):
    record = new_draft(user_named, district)
    with pytest.raises(ReportSubmitRefused, match=r"【待填写】.*一、总体情况"):
        report_submit(actor=user_named("songcun_admin"), record=record)


def test_submit_writes_event_and_audit(district, user_named):
    record = finished(user_named, district)
    submitted = report_submit(actor=user_named("songcun_admin"), record=record)
    assert submitted.status == Status.SUBMITTED
    assert submitted.submitted_at is not None
    assert events(record)[-1] == ("submit", "draft", "submitted")
    assert audit_verbs(record)[-1] == "report.submit"
    with pytest.raises(ReportNotEditable):
        report_save_draft(actor=user_named("songcun_clerk"), record=record, sections={"1": "改"})
    with pytest.raises(InvalidReportTransition, match="当前为“已报送”，不能报送"):
        report_submit(actor=user_named("songcun_admin"), record=record)


def test_a_clerk_cannot_submit(district, user_named):
    record = finished(user_named, district)
    with pytest.raises(ReportPermissionDenied, match="公开办管理员或分管领导"):
        report_submit(actor=user_named("songcun_clerk"), record=record)


# --- return, approve ---


def test_the_supervisor_returns_with_a_comment(district, user_named):
    record = finished(user_named, district)
    report_submit(actor=user_named("songcun_admin"), record=record)
    with pytest.raises(ReportInputInvalid, match="请填写退回意见"):
        report_return(actor=user_named("wendeng_supervisor"), record=record, comment="  ")
    returned = report_return(
        actor=user_named("wendeng_supervisor"), record=record, comment="第五部分请补充整改措施"
    )
    assert returned.status == Status.RETURNED
    event = ReportEvent.objects.filter(record=record).last()
    assert (event.action, event.comment, event.actor.username) == (
        "return",
        "第五部分请补充整改措施",
        "wendeng_supervisor",
    )
    assert audit_verbs(record)[-1] == "report.return"
    # Returned: editable again and can be resubmitted.
    report_save_draft(actor=user_named("songcun_clerk"), record=record, sections={"5": "已补充"})
    assert (
        report_submit(actor=user_named("songcun_admin"), record=record).status == Status.SUBMITTED
    )


def test_only_the_supervising_office_reviews(district, user_named):
    record = finished(user_named, district)
    report_submit(actor=user_named("songcun_admin"), record=record)
    for username in ("songcun_admin", "gaocun_admin"):
        with pytest.raises(ReportPermissionDenied):
            report_approve(actor=user_named(username), record=record)
    approved = report_approve(actor=user_named("wendeng_supervisor"), record=record)
    assert approved.status == Status.APPROVED
    assert events(record)[-1] == ("approve", "submitted", "approved")
    assert audit_verbs(record)[-1] == "report.approve"


def test_a_draft_cannot_be_approved_or_returned(district, user_named):
    record = finished(user_named, district)
    with pytest.raises(InvalidReportTransition):
        report_approve(actor=user_named("wendeng_supervisor"), record=record)
    with pytest.raises(InvalidReportTransition):
        report_return(actor=user_named("wendeng_supervisor"), record=record, comment="退回")


# --- publish, correct ---


def test_publish_freezes_version_one_dated_today(district, user_named):
    record = published(user_named, district)
    assert record.status == Status.PUBLISHED
    version = ReportVersion.objects.get(record=record)
    assert (version.number, version.published_on, version.change_note) == (
        1,
        dt.date(2024, 1, 25),
        "",
    )
    assert version.report["published_on"] == "2024-01-25"
    assert version.published_by.username == "songcun_leader"
    assert events(record)[-1] == ("publish", "approved", "published")
    assert audit_verbs(record) == [
        "report.create",
        "report.save",
        "report.submit",
        "report.approve",
        "report.publish",
    ]
    assert previous_published_value(district["songcun"], 2024).published_on == dt.date(2024, 1, 25)


def test_publish_needs_approval_and_a_signing_role(district, user_named):
    record = finished(user_named, district)
    with pytest.raises(InvalidReportTransition, match="审核通过后才能发布"):
        report_publish(actor=user_named("songcun_admin"), record=record)
    report_submit(actor=user_named("songcun_admin"), record=record)
    report_approve(actor=user_named("wendeng_supervisor"), record=record)
    with pytest.raises(ReportPermissionDenied):
        report_publish(actor=user_named("songcun_clerk"), record=record)
    with pytest.raises(ReportPermissionDenied):
        report_publish(actor=user_named("wendeng_supervisor"), record=record)
    assert not ReportVersion.objects.exists()


def test_a_correction_publishes_version_two_with_its_note(district, user_named):
    record = published(user_named, district)
    with pytest.raises(ReportInputInvalid, match="请填写更正说明"):
        report_start_correction(actor=user_named("songcun_admin"), record=record, change_note="")
    corrected = report_start_correction(
        actor=user_named("songcun_admin"), record=record, change_note="更正第五部分的文字错误"
    )
    assert corrected.status == Status.DRAFT
    assert events(record)[-1] == ("correct", "published", "draft")
    assert audit_verbs(record)[-1] == "report.correct"
    report_save_draft(
        actor=user_named("songcun_clerk"), record=record, sections={"5": "更正后的第五部分"}
    )
    report_submit(actor=user_named("songcun_admin"), record=record)
    report_approve(actor=user_named("wendeng_supervisor"), record=record)
    with clock.frozen(dt.date(2024, 2, 3)):
        second = report_publish(actor=user_named("songcun_admin"), record=record)
    assert (second.number, second.change_note, second.published_on) == (
        2,
        "更正第五部分的文字错误",
        dt.date(2024, 2, 3),
    )
    first = ReportVersion.objects.get(record=record, number=1)
    assert first.report["sections"]["5"] == FINISHED["5"]
    assert second.report["sections"]["5"] == "更正后的第五部分"


def test_a_correction_without_a_note_cannot_be_published(district, user_named):
    record = published(user_named, district)
    report_start_correction(actor=user_named("songcun_admin"), record=record, change_note="更正")
    ReportRecord.objects.filter(pk=record.pk).update(pending_change_note="")
    report_submit(actor=user_named("songcun_admin"), record=record)
    report_approve(actor=user_named("wendeng_supervisor"), record=record)
    with pytest.raises(ReportInputInvalid, match="必须填写更正说明"):
        report_publish(actor=user_named("songcun_admin"), record=record)
    assert ReportVersion.objects.filter(record=record).count() == 1


def test_only_a_published_report_can_be_corrected(district, user_named):
    record = finished(user_named, district)
    with pytest.raises(InvalidReportTransition, match="只有已发布的报告才能发起更正"):
        report_start_correction(actor=user_named("songcun_admin"), record=record, change_note="x")


def test_transition_refuses_an_action_from_the_wrong_status(district, user_named):
    record = new_draft(user_named, district)
    with pytest.raises(InvalidReportTransition, match="当前为“草稿”，不能发布"):
        report_transition(actor=None, record=record, action=Action.PUBLISH)


def test_carry_over_is_checked_against_last_years_published_report(district, user_named):
    published(user_named, district, year=2022)
    record = finished(user_named, district, year=2023)
    report_save_draft(
        actor=user_named("songcun_clerk"),
        record=record,
        tables={
            "table3.carried_over.natural_person": "1",
            "table3.granted.natural_person": "1",
        },
    )
    with pytest.raises(
        ReportSubmitRefused, match=r"“二、上年结转政府信息公开申请数量”为1.*2022年度报告"
    ):
        report_submit(actor=user_named("songcun_admin"), record=record)


def test_fake_sources_are_reusable():
    assert FakeSources().table3_counts(None, 2023) is None
