import datetime as dt

import pytest

from gongkai.applications import services as s
from gongkai.applications.exceptions import (
    ApplicationInvalid,
    CorrectionAlreadyRequested,
    ExtensionAlreadyGranted,
    InvalidTransition,
)
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.audit.models import AuditEvent
from gongkai.core import clock
from gongkai.core.exceptions import PermissionDeniedError, ValidationFailed
from gongkai.core.services import calendar_import
from tests.applications.factories import intake, online, organisation_intake, registered

pytestmark = pytest.mark.django_db

MON = dt.date(2024, 2, 5)  # procedures.md §1's example: 20 working days → 2024-03-08


def verbs(application):
    return list(
        AuditEvent.objects.filter(
            target_type="applications.application", target_id=str(application.pk)
        )
        .order_by("id")
        .values_list("verb", flat=True)
    )


def kinds(application):
    return list(application.events.order_by("on_date", "at", "id").values_list("kind", flat=True))


@pytest.fixture
def clerk(user_named):
    return user_named("songcun_clerk")


@pytest.fixture
def app(district):
    return online(district["songcun"], MON)


def test_online_submission_is_received_that_day_with_the_statutory_deadlines(app):
    assert app.status == "received" and app.channel == "online"
    assert app.received_on == MON
    assert app.reply_due == dt.date(2024, 3, 8)
    assert app.correction_notice_due == dt.date(2024, 2, 20)
    assert len(app.tracking_code) == 10
    assert kinds(app) == ["received"]
    assert verbs(app) == ["application.received"]
    audit = AuditEvent.objects.get(verb="application.received")
    assert "13812341234" not in str(audit.data) and "张三" not in str(audit.data)


def test_invalid_applicant_data_is_refused_with_field_messages(district):
    with pytest.raises(ApplicationInvalid) as exc:
        s.application_submit_online(
            agency=district["songcun"], intake=intake(id_number="371081198001010011", phone="12")
        )
    assert set(exc.value.errors) == {"id_number", "phone"}
    assert Application.objects.count() == 0


def test_an_organisation_needs_a_valid_credit_code(district):
    with pytest.raises(ApplicationInvalid) as exc:
        s.application_submit_online(
            agency=district["songcun"], intake=organisation_intake(id_number="91371081MA3C000010")
        )
    assert "id_number" in exc.value.errors
    ok = s.application_submit_online(agency=district["songcun"], intake=organisation_intake())
    assert ok.applicant_type == "business"


def test_register_by_ordinary_post_counts_from_the_confirmation(district, clerk):
    arrived, confirmed = dt.date(2024, 2, 5), dt.date(2024, 2, 6)
    with clock.frozen(confirmed):
        application = s.application_register(
            actor=clerk,
            agency=district["songcun"],
            intake=intake(),
            channel="post_ordinary",
            received_on=confirmed,
            arrived_on=arrived,
        )
    assert application.received_on == confirmed and application.arrived_on == arrived
    event = application.events.get()
    assert event.data["late_confirmation"] is True and "确认日晚于到达日" in event.reason
    assert verbs(application) == ["application.received"]


def test_register_in_person_refuses_a_different_arrival_date(district, clerk):
    with clock.frozen(MON), pytest.raises(ValidationFailed):
        s.application_register(
            actor=clerk,
            agency=district["songcun"],
            intake=intake(),
            channel="in_person",
            received_on=MON,
            arrived_on=MON - dt.timedelta(days=1),
        )


def test_register_needs_a_role_in_the_agency(district, user_named):
    with clock.frozen(MON), pytest.raises(PermissionDeniedError):
        registered(district["songcun"], user_named("gaocun_clerk"), MON)
    with clock.frozen(MON), pytest.raises(PermissionDeniedError):
        registered(district["songcun"], user_named("wendeng_supervisor"), MON)


def test_register_refuses_a_receipt_date_years_back_a_mistyped_year(district, clerk):
    with clock.frozen(dt.date(2025, 11, 20)):
        with pytest.raises(ValidationFailed, match="早于2020年1月1日，请核对日期"):
            s.application_register(
                actor=clerk,
                agency=district["songcun"],
                intake=intake(),
                channel="in_person",
                received_on=dt.date(2015, 11, 20),
            )
        # Entering last year's applications after the fact (补录) is fine.
        s.application_register(
            actor=clerk,
            agency=district["songcun"],
            intake=intake(),
            channel="in_person",
            received_on=dt.date(2024, 12, 30),
        )


def test_register_refuses_the_online_channel_and_future_dates(district, clerk):
    with clock.frozen(MON), pytest.raises(ValidationFailed):
        registered(district["songcun"], clerk, MON, channel="online")
    with clock.frozen(MON), pytest.raises(ValidationFailed):
        s.application_register(
            actor=clerk,
            agency=district["songcun"],
            intake=intake(),
            channel="fax",
            received_on=MON + dt.timedelta(days=1),
        )


def test_assign_moves_to_in_progress(app, clerk, district):
    department = district["songcun"].departments.first()
    with clock.frozen(MON):
        app = s.application_assign(actor=clerk, application=app, department=department)
    assert app.status == "in_progress" and app.department == department
    assert kinds(app) == ["received", "assigned"]
    assert verbs(app)[-1] == "application.assigned"


def test_correction_stops_the_clock_and_restarts_it_on_receipt(app, clerk):
    with clock.frozen(dt.date(2024, 2, 7)):
        app = s.application_request_correction(
            actor=clerk,
            application=app,
            items="请写明道路名称",
            correction_due=dt.date(2024, 2, 29),
        )
    assert app.status == "awaiting_correction" and app.reply_due is None
    assert app.correction_due == dt.date(2024, 2, 29)
    with clock.frozen(dt.date(2024, 3, 1)):
        app = s.application_receive_correction(actor=clerk, application=app)
    # 条例第三十条: 20 working days after 2024-03-01.
    assert app.status == "in_progress" and app.reply_due == dt.date(2024, 3, 29)
    assert kinds(app) == ["received", "correction_requested", "correction_received"]
    assert verbs(app)[-2:] == [
        "application.correction_requested",
        "application.correction_received",
    ]
    assert app.events.get(kind="correction_received").data["late"] is True


def test_correction_is_requested_once_only(app, clerk):
    with clock.frozen(dt.date(2024, 2, 7)):
        app = s.application_request_correction(
            actor=clerk, application=app, items="请写明", correction_due=dt.date(2024, 2, 20)
        )
        app = s.application_receive_correction(actor=clerk, application=app)
        with pytest.raises(CorrectionAlreadyRequested):
            s.application_request_correction(
                actor=clerk, application=app, items="再补", correction_due=dt.date(2024, 2, 28)
            )
    assert kinds(app).count("correction_requested") == 1


def test_receiving_a_correction_that_was_never_requested_is_a_wrong_state(app, clerk):
    with clock.frozen(MON), pytest.raises(InvalidTransition):
        s.application_receive_correction(actor=clerk, application=app)
    assert kinds(app) == ["received"]


def test_a_supervisor_and_another_agency_cannot_act(app, user_named):
    for name in ("wendeng_supervisor", "gaocun_clerk"):
        with clock.frozen(MON), pytest.raises(PermissionDeniedError):
            s.application_pause(
                actor=user_named(name), application=app, kind="third_party", party="某公司"
            )
    with pytest.raises(PermissionDeniedError):
        s.application_withdraw(actor=None, application=app)


def test_pause_and_resume_exclude_the_waiting_days(app, clerk):
    with clock.frozen(dt.date(2024, 2, 19)):
        app = s.application_pause(
            actor=clerk, application=app, kind="third_party", party="某建材公司"
        )
    assert app.status == "awaiting_opinion"
    with clock.frozen(dt.date(2024, 2, 23)):
        app = s.application_resume(actor=clerk, application=app, note="第三方不同意公开")
    # 2024-02-19 … 02-23: five working days do not count.
    assert app.status == "in_progress" and app.reply_due == dt.date(2024, 3, 15)
    assert verbs(app)[-2:] == ["application.paused", "application.resumed"]
    assert app.events.get(kind="paused").data == {"pause_kind": "third_party"}


def test_extension_needs_the_office_head_and_is_granted_once(app, clerk, user_named):
    with clock.frozen(dt.date(2024, 3, 4)):
        with pytest.raises(PermissionDeniedError):
            s.application_extend(
                actor=clerk,
                application=app,
                approved_by=user_named("songcun_head"),
                approved_on=dt.date(2024, 3, 4),
                notified_on=dt.date(2024, 3, 4),
                reason="需调取档案",
            )
        app = s.application_extend(
            actor=clerk,
            application=app,
            approved_by=user_named("songcun_leader"),
            approved_on=dt.date(2024, 3, 4),
            notified_on=dt.date(2024, 3, 4),
            reason="需调取档案",
        )
        assert app.extended and app.reply_due == dt.date(2024, 4, 8)
        assert app.status == "received"
        event = app.events.get(kind="extended")
        assert event.from_status == event.to_status == "received"
        assert verbs(app)[-1] == "application.extended"
        with pytest.raises(ExtensionAlreadyGranted):
            s.application_extend(
                actor=clerk,
                application=app,
                approved_by=user_named("songcun_admin"),
                approved_on=dt.date(2024, 3, 4),
                notified_on=dt.date(2024, 3, 4),
                reason="再延",
            )


def test_extension_after_the_original_deadline_is_refused(app, clerk, user_named):
    with clock.frozen(dt.date(2024, 3, 11)), pytest.raises(ValidationFailed) as exc:
        s.application_extend(
            actor=clerk,
            application=app,
            approved_by=user_named("songcun_admin"),
            approved_on=dt.date(2024, 3, 11),
            notified_on=dt.date(2024, 3, 11),
            reason="太晚了",
        )
    assert "第三十三条" in exc.value.message
    assert kinds(app) == ["received"]


def test_fee_notice_pauses_and_payment_resumes(app, clerk):
    with clock.frozen(dt.date(2024, 2, 19)):
        with pytest.raises(ValidationFailed):
            s.application_fee_notice(actor=clerk, application=app, method="by_pages", quantity=30)
        app = s.application_fee_notice(
            actor=clerk, application=app, method="by_pages", quantity=150
        )
    assert app.status == "awaiting_fee" and app.fee_amount == 1700
    assert app.fee_due == dt.date(2024, 3, 18)
    with clock.frozen(dt.date(2024, 2, 20)):
        app = s.application_fee_paid(actor=clerk, application=app)
    assert app.status == "in_progress" and app.reply_due == dt.date(2024, 3, 12)
    assert verbs(app)[-2:] == ["application.fee_notified", "application.fee_paid"]


def test_unpaid_fee_lapses_only_after_its_deadline(app, clerk):
    with clock.frozen(dt.date(2024, 2, 19)):
        app = s.application_fee_notice(actor=clerk, application=app, method="by_count", quantity=11)
    with clock.frozen(dt.date(2024, 3, 18)), pytest.raises(ValidationFailed):
        s.application_lapse(actor=clerk, application=app)
    with clock.frozen(dt.date(2024, 3, 19)):
        app = s.application_lapse(actor=clerk, application=app)
    assert app.status == "lapsed" and app.outcome == "other_no_fee"
    assert app.outcome_on == dt.date(2024, 3, 19)
    assert verbs(app)[-1] == "application.lapsed"


def test_no_correction_in_time_lapses(app, clerk):
    with clock.frozen(dt.date(2024, 2, 6)):
        app = s.application_request_correction(
            actor=clerk, application=app, items="请写明", correction_due=dt.date(2024, 2, 20)
        )
    with clock.frozen(dt.date(2024, 2, 21)):
        app = s.application_lapse(actor=clerk, application=app, reason="逾期未补正")
    assert app.outcome == "other_no_correction" and app.status == "lapsed"


def test_lapse_is_a_wrong_state_while_working(app, clerk):
    with clock.frozen(MON), pytest.raises(InvalidTransition):
        s.application_lapse(actor=clerk, application=app)


def test_reply_sets_the_one_table3_row(app, clerk):
    with clock.frozen(dt.date(2024, 2, 20)):
        app = s.application_reply(
            actor=clerk, application=app, reply_type="partial", text="部分公开，其余涉及个人隐私"
        )
    assert app.status == "replied" and app.outcome == "partial"
    assert app.reply_basis == "《中华人民共和国政府信息公开条例》第三十七条"
    event = app.events.get(kind="replied")
    assert event.data["outcome"] == "partial" and event.to_status == "replied"
    assert verbs(app)[-1] == "application.replied"
    with clock.frozen(dt.date(2024, 2, 21)), pytest.raises(InvalidTransition):
        s.application_reply(actor=clerk, application=app, reply_type="provide", text="再答复")


def test_still_unclear_needs_a_returned_correction(app, clerk):
    with clock.frozen(MON), pytest.raises(ValidationFailed):
        s.application_reply(actor=clerk, application=app, reply_type="still_unclear", text="x")


def test_dates_cannot_run_backwards_in_the_ledger(app, clerk):
    with clock.frozen(dt.date(2024, 2, 9)):
        s.application_pause(actor=clerk, application=app, kind="other_agency", party="区自然资源局")
        with pytest.raises(ValidationFailed):
            s.application_resume(actor=clerk, application=app, on=dt.date(2024, 2, 8))
        with pytest.raises(ValidationFailed):
            s.application_resume(actor=clerk, application=app, on=dt.date(2024, 2, 10))


def test_withdraw_from_any_open_state_counts_as_other(app, clerk):
    with clock.frozen(dt.date(2024, 2, 9)):
        s.application_pause(actor=clerk, application=app, kind="third_party", party="某公司")
        app = s.application_withdraw(actor=clerk, application=app, reason="申请人书面撤回")
    assert app.status == "withdrawn" and app.outcome == "other_other"
    assert verbs(app)[-1] == "application.withdrawn"


def test_transfer_replies_not_held_and_opens_the_application_at_the_other_agency(
    app, clerk, district
):
    with clock.frozen(dt.date(2024, 2, 9)):
        app = s.application_transfer(actor=clerk, application=app, to_agency=district["minzheng"])
    assert app.status == "replied" and app.outcome == "unable_not_held"
    assert app.transferred_to == district["minzheng"]
    assert "威海市文登区民政局" in app.reply_text
    new = Application.objects.get(agency=district["minzheng"])
    assert new.received_on == dt.date(2024, 2, 9) and new.status == "received"
    assert new.events.get().data["transferred_from"] == app.pk
    assert verbs(app)[-1] == "application.transferred" and verbs(new) == ["application.received"]
    with pytest.raises(ValidationFailed):
        s.application_transfer(actor=clerk, application=new, to_agency=district["minzheng"])


def test_close_archives_a_replied_application(app, clerk):
    with clock.frozen(dt.date(2024, 2, 9)):
        with pytest.raises(InvalidTransition):
            s.application_close(actor=clerk, application=app)
        app = s.application_reply(actor=clerk, application=app, reply_type="provide", text="提供")
        app = s.application_close(actor=clerk, application=app)
    assert app.status == "closed" and app.outcome == "granted"


def test_entering_next_years_calendar_recomputes_and_logs_open_deadlines(
    district, clerk, user_named
):
    december = dt.date(2026, 12, 21)
    application = online(district["songcun"], december)
    assert application.provisional
    before = application.reply_due
    with clock.frozen(december):
        calendar_import(
            actor=user_named("wendeng_admin"),
            text="2027-01-01至2027-01-03 休 元旦\n2027-01-04 班\n2027-01-11至2027-01-15 休 测试",
        )
    application.refresh_from_db()
    assert not application.provisional
    assert application.reply_due != before
    event = ApplicationEvent.objects.get(application=application, kind="deadline_recomputed")
    assert event.data["reply_due"] == [before.isoformat(), application.reply_due.isoformat()]
    assert "application.deadline_recomputed" in verbs(application)


def test_a_calendar_change_that_invalidates_an_extension_is_logged_not_blocking(
    district, clerk, user_named
):
    # Received 2026-12-21; the original deadline is 2027-01-18, provisional (Monday–Friday rule).
    application = online(district["songcun"], dt.date(2026, 12, 21))
    assert application.reply_due == dt.date(2027, 1, 18)
    with clock.frozen(dt.date(2027, 1, 18)):
        application = s.application_extend(
            actor=clerk,
            application=application,
            approved_by=user_named("songcun_admin"),
            approved_on=dt.date(2027, 1, 18),
            notified_on=dt.date(2027, 1, 18),
            reason="需调取档案",
        )
        extended_due = application.reply_due
        # Two weekend working days move the original deadline to 2027-01-14, before the approval.
        result = calendar_import(
            actor=user_named("wendeng_admin"), text="2027-01-09 班\n2027-01-10 班"
        )
    assert result.years == (2027,)
    application.refresh_from_db()
    assert application.reply_due == extended_due  # kept, not silently changed
    event = application.events.get(kind="deadline_recomputed")
    assert "请人工核对" in event.reason and event.data == {"error": "extension_too_late"}
    assert verbs(application)[-1] == "application.deadline_recompute_failed"


def pdf(name="证明.pdf", body=b"%PDF-1.4 demo"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_online_submission_keeps_its_attachment(district):
    with clock.frozen(MON):
        application = s.application_submit_online(
            agency=district["songcun"], intake=intake(), attachments=[pdf()]
        )
    attachment = application.attachments.get()
    assert attachment.name == "证明.pdf" and attachment.content_type == "application/pdf"
    assert "证明" not in attachment.file.name and attachment.file.read().startswith(b"%PDF")
    audit = AuditEvent.objects.get(verb="application.received")
    assert audit.data["attachments"] == [attachment.pk]


def test_attachments_are_checked_by_type_and_content(district):
    for upload, message in (
        (pdf("a.exe"), "只接受"),
        (pdf("a.pdf", b"MZ\x90\x00"), "内容与其格式不符"),
        (pdf("a.pdf", b""), "空文件"),
    ):
        with pytest.raises(ApplicationInvalid) as exc:
            s.application_submit_online(
                agency=district["songcun"], intake=intake(), attachments=[upload]
            )
        assert message in exc.value.errors["attachment"]
    assert Application.objects.count() == 0


def test_staff_attach_a_file_with_an_audit_row(app, clerk, user_named):
    with clock.frozen(MON):
        s.application_attach(actor=clerk, application=app, upload=pdf())
        with pytest.raises(PermissionDeniedError):
            s.application_attach(
                actor=user_named("wendeng_supervisor"), application=app, upload=pdf()
            )
    assert app.attachments.count() == 1
    assert verbs(app)[-1] == "application.attachment_added"


def stored_files(settings):
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT) / "applications"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


class Boom(RuntimeError):
    pass


def test_files_written_before_a_rollback_are_deleted(district, settings, monkeypatch):
    def failing_audit(**kwargs):
        raise Boom("the audit log is unavailable")

    monkeypatch.setattr(s, "audit_record", failing_audit)
    with clock.frozen(MON), pytest.raises(Boom):
        s.application_submit_online(
            agency=district["songcun"], intake=intake(), attachments=[pdf(), pdf("b.pdf")]
        )
    assert Application.objects.count() == 0
    assert stored_files(settings) == []


def test_a_failing_second_file_removes_the_first(district, settings, monkeypatch):
    from gongkai.applications.models import ApplicationAttachment

    original = ApplicationAttachment.save
    calls = []

    def save_once(self, *args, **kwargs):
        calls.append(self.name)
        if len(calls) == 2:
            raise Boom("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ApplicationAttachment, "save", save_once)
    with clock.frozen(MON), pytest.raises(Boom):
        s.application_submit_online(
            agency=district["songcun"], intake=intake(), attachments=[pdf(), pdf("b.pdf")]
        )
    assert stored_files(settings) == []


def test_staff_attachment_rolled_back_leaves_no_file(app, clerk, settings, monkeypatch):
    def failing_audit(**kwargs):
        raise Boom("the audit log is unavailable")

    monkeypatch.setattr(s, "audit_record", failing_audit)
    with clock.frozen(MON), pytest.raises(Boom):
        s.application_attach(actor=clerk, application=app, upload=pdf())
    assert app.attachments.count() == 0
    assert stored_files(settings) == []
    monkeypatch.undo()
    with clock.frozen(MON):
        s.application_attach(actor=clerk, application=app, upload=pdf())
    assert len(stored_files(settings)) == 1
