from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.core import clock
from gongkai.core.exceptions import PermissionDeniedError
from gongkai.supervision.exceptions import SupervisionError
from gongkai.supervision.models import (
    AssessmentScore,
    Notification,
    PlanTask,
    Proposal,
    ProposalKind,
    ProposalStatus,
    TaskStatus,
)
from gongkai.supervision.services import (
    assessment_compute,
    assessment_score_set,
    assessment_sheet_create,
    criterion_add,
    notification_mark_read,
    notifications_generate,
    plan_task_add,
    plan_task_update,
    proposal_register,
    proposal_update,
    work_plan_create,
)
from tests.supervision.conftest import audit_verbs, last_audit_id

pytestmark = pytest.mark.django_db


def test_work_plan_create_writes_an_audit_row(district: Any, user_named: Any) -> None:
    before = last_audit_id()
    plan = work_plan_create(
        actor=user_named("wendeng_admin"), agency=district["wendeng"], year=2024, title="2024年要点"
    )
    event = AuditEvent.objects.get(pk__gt=before)
    assert event.verb == "supervision.work_plan_created"
    assert event.target_id == str(plan.pk)
    assert event.agency_id == district["wendeng"].pk
    assert event.data["year"] == 2024


def test_only_the_jurisdiction_admin_creates_plans(district: Any, user_named: Any) -> None:
    for username in ("wendeng_supervisor", "songcun_admin", "wendeng_clerk"):
        with pytest.raises(PermissionDeniedError):
            work_plan_create(
                actor=user_named(username), agency=district["wendeng"], year=2024, title="要点"
            )


def test_a_second_plan_for_the_same_year_is_refused(plan: Any, user_named: Any) -> None:
    with pytest.raises(SupervisionError, match="已经存在"):
        work_plan_create(
            actor=user_named("wendeng_admin"), agency=plan.agency, year=2023, title="又一个"
        )


def test_task_owner_must_be_in_the_jurisdiction(plan: Any, district: Any, user_named: Any) -> None:
    from gongkai.agencies.services import agency_create
    from gongkai.demo.district import credit_code

    outsider = agency_create(
        actor=None,
        name="另一个区人民政府",
        short_name="另一区",
        slug="other",
        level="county",
        credit_code=credit_code("11371000MB7654321"),
    )
    with pytest.raises(SupervisionError, match="管辖范围"):
        plan_task_add(
            actor=user_named("wendeng_admin"), plan=plan, text="任务", responsible_agency=outsider
        )


def test_task_add_numbers_tasks_and_audits(plan: Any, district: Any, user_named: Any) -> None:
    before = last_audit_id()
    department = district["songcun"].departments.get(name="党政办公室")
    task = plan_task_add(
        actor=user_named("wendeng_admin"),
        plan=plan,
        text="更新公开指南",
        responsible_department=department,
    )
    assert task.order == 3
    assert task.owner_agency_id == district["songcun"].pk
    assert audit_verbs(before) == ["supervision.plan_task_added"]


def test_staff_complete_their_task_with_evidence(plan: Any, district: Any, user_named: Any) -> None:
    task = plan.tasks.get(responsible_agency=district["songcun"])
    before = last_audit_id()
    with clock.frozen(dt.date(2023, 6, 20)):
        updated = plan_task_update(
            actor=user_named("songcun_clerk"),
            task=task,
            status=TaskStatus.DONE,
            evidence="已完成目录梳理，共调整栏目3个。",
        )
    assert updated.status == TaskStatus.DONE
    assert updated.completed_on == dt.date(2023, 6, 20)
    event = AuditEvent.objects.get(pk__gt=before)
    assert event.verb == "supervision.plan_task_updated"
    assert event.data["from"] == "not_started"
    assert event.data["to"] == "done"


def test_done_without_evidence_is_refused(plan: Any, district: Any, user_named: Any) -> None:
    task = plan.tasks.get(responsible_agency=district["songcun"])
    with pytest.raises(SupervisionError, match="佐证"):
        plan_task_update(actor=user_named("songcun_clerk"), task=task, status=TaskStatus.DONE)


def test_supervisor_and_other_agencies_cannot_update_a_task(
    plan: Any, district: Any, user_named: Any
) -> None:
    task = plan.tasks.get(responsible_agency=district["songcun"])
    for username in ("wendeng_supervisor", "gaocun_clerk"):
        with pytest.raises(PermissionDeniedError):
            plan_task_update(actor=user_named(username), task=task, status=TaskStatus.IN_PROGRESS)
    assert PlanTask.objects.get(pk=task.pk).status == TaskStatus.NOT_STARTED


def test_overdue_is_derived_from_the_due_date(plan: Any, district: Any) -> None:
    task = plan.tasks.get(responsible_agency=district["songcun"])
    assert not task.is_overdue(dt.date(2023, 6, 30))
    assert task.is_overdue(dt.date(2023, 7, 1))
    assert task.status_label(dt.date(2023, 7, 1)) == "已逾期"


def _proposal(district: Any, user_named: Any, number: str = "15") -> Proposal:
    return proposal_register(
        actor=user_named("minzheng_clerk"),
        agency=district["minzheng"],
        kind=ProposalKind.NPC,
        year=2023,
        number=number,
        title="关于加强农村养老服务的建议",
        proposer="张代表",
        received_on=dt.date(2023, 3, 10),
    )


def test_proposal_register_and_reply_publication(district: Any, user_named: Any) -> None:
    before = last_audit_id()
    proposal = _proposal(district, user_named)
    with clock.frozen(dt.date(2023, 6, 1)):
        proposal = proposal_update(
            actor=user_named("minzheng_clerk"),
            proposal=proposal,
            status=ProposalStatus.REPLIED,
            replied_on=dt.date(2023, 5, 20),
            reply_published=True,
            reply_url="http://www.wendeng.gov.cn/art/2023/5/20/art_1.html",
        )
    assert proposal.reply_published
    assert audit_verbs(before) == [
        "supervision.proposal_registered",
        "supervision.proposal_updated",
    ]


def test_duplicate_proposal_number_is_refused(district: Any, user_named: Any) -> None:
    _proposal(district, user_named)
    with pytest.raises(SupervisionError, match="已经登记"):
        _proposal(district, user_named)


def test_unreplied_proposal_cannot_be_published(district: Any, user_named: Any) -> None:
    proposal = _proposal(district, user_named)
    with pytest.raises(SupervisionError, match="尚未答复"):
        proposal_update(
            actor=user_named("minzheng_clerk"),
            proposal=proposal,
            status=ProposalStatus.IN_PROGRESS,
            reply_published=True,
            reply_url="http://example.invalid/",
        )


def test_reply_before_receipt_is_refused(district: Any, user_named: Any) -> None:
    proposal = _proposal(district, user_named)
    with pytest.raises(SupervisionError, match="早于交办日期"):
        proposal_update(
            actor=user_named("minzheng_clerk"),
            proposal=proposal,
            status=ProposalStatus.REPLIED,
            replied_on=dt.date(2023, 3, 1),
        )


def test_other_agencies_cannot_register_proposals(district: Any, user_named: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        proposal_register(
            actor=user_named("songcun_clerk"),
            agency=district["minzheng"],
            kind=ProposalKind.CPPCC,
            year=2023,
            number="1",
            title="提案",
            proposer="李委员",
            received_on=dt.date(2023, 3, 1),
        )


def test_assessment_computes_metric_rows_and_keeps_manual_scores(
    plan: Any, district: Any, user_named: Any
) -> None:
    admin = user_named("wendeng_admin")
    sheet = assessment_sheet_create(
        actor=admin,
        agency=district["wendeng"],
        year=2023,
        title="2023年政务公开考核",
        criteria=[("工作要点任务完成", 10, "plan_tasks"), ("培训和宣传", 5, "")],
    )
    criterion_add(
        actor=admin, sheet=sheet, name="建议提案复文公开", max_score=5, metric="proposals_published"
    )
    songcun_task = plan.tasks.get(responsible_agency=district["songcun"])
    with clock.frozen(dt.date(2023, 6, 20)):
        plan_task_update(
            actor=user_named("songcun_clerk"),
            task=songcun_task,
            status=TaskStatus.DONE,
            evidence="已完成",
        )
    before = last_audit_id()
    with clock.frozen(dt.date(2024, 1, 10)):
        results = assessment_compute(actor=admin, sheet=sheet)
    by_agency = {a.agency.slug: a for a in results}
    assert set(by_agency) == {"songcun", "gaocun", "zeku", "minzheng"}
    songcun = by_agency["songcun"]
    scores = {s.criterion.name: s for s in songcun.scores.all()}
    assert scores["工作要点任务完成"].score == Decimal("10.0")
    assert scores["工作要点任务完成"].figure == "完成 1/1 项（100.0%）"
    minzheng_scores = {s.criterion.name: s for s in by_agency["minzheng"].scores.all()}
    assert minzheng_scores["工作要点任务完成"].score == Decimal("0.0")
    assert minzheng_scores["工作要点任务完成"].figure == "完成 0/1 项（0.0%）"
    # No proposals replied: nothing to publish, full marks.
    assert scores["建议提案复文公开"].score == Decimal("5.0")
    assert songcun.total == Decimal("15.0")
    assert audit_verbs(before) == ["supervision.assessment_computed"]

    manual = scores["培训和宣传"]
    before = last_audit_id()
    assessment_score_set(actor=admin, score=manual, value=Decimal("4"), evidence="开展培训2次")
    songcun.refresh_from_db()
    assert songcun.total == Decimal("19.0")
    assert audit_verbs(before) == ["supervision.assessment_scored"]
    # Recomputing keeps the manual score.
    with clock.frozen(dt.date(2024, 1, 11)):
        assessment_compute(actor=admin, sheet=sheet)
    assert AssessmentScore.objects.get(pk=manual.pk).score == Decimal("4.0")


def test_manual_score_needs_evidence_and_range(district: Any, user_named: Any) -> None:
    admin = user_named("wendeng_admin")
    sheet = assessment_sheet_create(
        actor=admin, agency=district["wendeng"], year=2023, title="考核", criteria=[("培训", 5, "")]
    )
    assessment_compute(actor=admin, sheet=sheet)
    score = AssessmentScore.objects.filter(criterion__sheet=sheet).first()
    assert score is not None
    with pytest.raises(SupervisionError, match="佐证"):
        assessment_score_set(actor=admin, score=score, value=Decimal(3), evidence="")
    with pytest.raises(SupervisionError, match="0到5分"):
        assessment_score_set(actor=admin, score=score, value=Decimal(6), evidence="说明")


def test_unknown_metric_is_refused(district: Any, user_named: Any) -> None:
    with pytest.raises(SupervisionError, match="数据来源"):
        assessment_sheet_create(
            actor=user_named("wendeng_admin"),
            agency=district["wendeng"],
            year=2023,
            title="考核",
            criteria=[("某项", 5, "no_such_metric")],
        )


def test_notifications_are_generated_once_per_unread_shortfall(
    plan: Any, district: Any, user_named: Any
) -> None:
    songcun = district["songcun"]
    before = last_audit_id()
    with clock.frozen(dt.date(2023, 7, 5)):
        created = notifications_generate(songcun)
        again = notifications_generate(songcun)
    kinds = {n.kind for n in created}
    assert "task_overdue" in kinds
    task_note = next(n for n in created if n.kind == "task_overdue")
    assert "规范乡镇政府信息公开目录" in task_note.text
    assert again == []
    assert audit_verbs(before) == ["supervision.notifications_generated"]

    notification_mark_read(actor=user_named("songcun_clerk"), notification=task_note)
    with clock.frozen(dt.date(2023, 7, 6)):
        renewed = notifications_generate(songcun)
    assert [n.key for n in renewed] == [task_note.key]
    assert Notification.objects.filter(agency=songcun, key=task_note.key).count() == 2


def test_supervisor_cannot_mark_notifications_read(
    plan: Any, district: Any, user_named: Any
) -> None:
    with clock.frozen(dt.date(2023, 7, 5)):
        created = notifications_generate(district["songcun"])
    with pytest.raises(PermissionDeniedError):
        notification_mark_read(actor=user_named("wendeng_supervisor"), notification=created[0])


def test_evidence_file_is_kept_and_checked(plan: Any, district: Any, user_named: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = plan.tasks.get(responsible_agency=district["songcun"])
    clerk = user_named("songcun_clerk")
    with pytest.raises(SupervisionError, match="佐证材料只能是"):
        plan_task_update(
            actor=clerk,
            task=task,
            status=TaskStatus.DONE,
            evidence_file=SimpleUploadedFile("run.exe", b"MZ"),
        )
    with clock.frozen(dt.date(2023, 6, 20)):
        updated = plan_task_update(
            actor=clerk,
            task=task,
            status=TaskStatus.DONE,
            evidence_file=SimpleUploadedFile("目录梳理情况.pdf", b"%PDF-1.4 demo"),
        )
    assert updated.evidence_file.name.endswith(".pdf")
    assert updated.evidence_file.read() == b"%PDF-1.4 demo"
