"""Writes of the supervision app. Contract: keyword-only, explicit `actor` (None = the system: the
demo loader, scheduled jobs), one `transaction.atomic` each with `select_for_update` on what is
read-then-written, an audit row in the same transaction, `SupervisionError` /
`PermissionDeniedError` with Chinese messages on refusal.

- 工作要点: work_plan_create, plan_task_add, plan_task_update
- 建议提案: proposal_register, proposal_update
- 考核: assessment_sheet_create, criterion_add, assessment_compute, assessment_score_set
- 提醒: notifications_generate, notification_mark_read (the digest e-mail is in `digest.py`)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.agencies.models import Agency, Department
from gongkai.agencies.selectors import agency_subtree
from gongkai.audit.services import audit_record
from gongkai.core import clock
from gongkai.core.exceptions import PermissionDeniedError
from gongkai.core.storage import save_field_file
from gongkai.core.uploads import Kind, UploadRejected, validate_upload
from gongkai.supervision import departments, metrics
from gongkai.supervision.exceptions import SupervisionError
from gongkai.supervision.models import (
    Assessment,
    AssessmentScore,
    AssessmentSheet,
    Criterion,
    Notification,
    PlanTask,
    Proposal,
    ProposalKind,
    ProposalStatus,
    TaskStatus,
    WorkPlan,
)
from gongkai.supervision.permissions import can_manage_plan, can_update_work
from gongkai.supervision.shortfalls import Shortfall, shortfalls_for

EVIDENCE_TYPES = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "ofd", "jpg", "jpeg", "png", "zip"}
)
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_KINDS = frozenset(
    {Kind.PDF, Kind.OLE, Kind.DOCX, Kind.XLSX, Kind.OFD, Kind.JPEG, Kind.PNG, Kind.ZIP}
)


def check_evidence_file(upload: UploadedFile | None) -> None:
    """Evidence files: common office formats and images, at most 20 MB."""
    if upload is None:
        return
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_TYPES:
        raise SupervisionError("佐证材料只能是PDF、OFD、Word、Excel、图片或ZIP文件。")
    if (upload.size or 0) > EVIDENCE_MAX_BYTES:
        raise SupervisionError("佐证材料不能超过20MB。")
    try:
        # The content must be what the name says (no renamed executable, no zip bomb).
        validate_upload(
            upload,
            allowed=EVIDENCE_KINDS,
            max_bytes=EVIDENCE_MAX_BYTES,
            match_name=True,
            label="佐证材料",
        )
    except UploadRejected as exc:
        raise SupervisionError(exc.message) from exc


# --- 工作要点 -------------------------------------------------------------------------------------


def _require_manager(actor: Any, jurisdiction: Agency) -> None:
    if actor is not None and not can_manage_plan(actor, jurisdiction):
        raise PermissionDeniedError("只有本级政务公开办管理员可以维护工作要点和考核评分表。")


def work_plan_create(
    *, actor: Any, agency: Agency, year: int, title: str, source_document: str = ""
) -> WorkPlan:
    _require_manager(actor, agency)
    title = title.strip()
    if not title:
        raise SupervisionError("请填写工作要点的名称。")
    if not 2000 <= year <= 2100:
        raise SupervisionError("年度不正确。")
    with transaction.atomic():
        if WorkPlan.objects.filter(agency=agency, year=year).exists():
            raise SupervisionError(f"{agency.short_name}{year}年的工作要点已经存在。")
        plan = WorkPlan.objects.create(
            agency=agency, year=year, title=title, source_document=source_document.strip()
        )
        audit_record(
            actor=actor,
            verb="supervision.work_plan_created",
            target=plan,
            agency_id=agency.pk,
            data={"year": year, "title": title},
        )
    return plan


def plan_task_add(
    *,
    actor: Any,
    plan: WorkPlan,
    text: str,
    responsible_agency: Agency | None = None,
    responsible_department: Department | None = None,
    due_on: dt.date | None = None,
) -> PlanTask:
    _require_manager(actor, plan.agency)
    text = text.strip()
    if not text:
        raise SupervisionError("请填写任务内容。")
    if responsible_agency is None and responsible_department is None:
        raise SupervisionError("请指定责任单位或责任科室。")
    subtree = agency_subtree(plan.agency)
    owner = responsible_agency or (
        responsible_department.agency if responsible_department else None
    )
    if owner is None or not subtree.filter(pk=owner.pk).exists():
        raise SupervisionError("责任单位不在本级管辖范围内。")
    if (
        responsible_agency is not None
        and responsible_department is not None
        and responsible_department.agency_id != responsible_agency.pk
    ):
        raise SupervisionError("责任科室不属于所选责任单位。")
    with transaction.atomic():
        locked = WorkPlan.objects.select_for_update().get(pk=plan.pk)
        order = (locked.tasks.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        task = PlanTask.objects.create(
            plan=locked,
            order=order,
            text=text,
            responsible_agency=responsible_agency,
            responsible_department=responsible_department,
            due_on=due_on,
        )
        audit_record(
            actor=actor,
            verb="supervision.plan_task_added",
            target=task,
            agency_id=owner.pk,
            data={"plan": plan.pk, "due_on": due_on},
        )
    return task


def _task_owner(task: PlanTask) -> Agency:
    if task.responsible_agency is not None:
        return task.responsible_agency
    if task.responsible_department is None:
        raise SupervisionError("任务没有责任单位。")
    return task.responsible_department.agency


def plan_task_update(
    *,
    actor: Any,
    task: PlanTask,
    status: str,
    evidence: str = "",
    evidence_file: UploadedFile | None = None,
    completed_on: dt.date | None = None,
) -> PlanTask:
    """The responsible agency's staff report progress; 已完成 needs evidence and a date."""
    owner = _task_owner(task)
    if actor is not None and not can_update_work(actor, owner):
        raise PermissionDeniedError("只有责任单位的工作人员可以填报任务进展。")
    if status not in TaskStatus.values:
        raise SupervisionError("任务进展不正确。")
    check_evidence_file(evidence_file)
    evidence = evidence.strip()
    if status == TaskStatus.DONE:
        if not evidence and evidence_file is None and not task.evidence_file:
            raise SupervisionError("标记为已完成时，请填写落实情况或上传佐证材料。")
        completed_on = completed_on or clock.today()
        if completed_on > clock.today():
            raise SupervisionError("完成日期不能晚于今天。")
    else:
        completed_on = None
    with transaction.atomic():
        locked = PlanTask.objects.select_for_update().get(pk=task.pk)
        before = locked.status
        locked.status = status
        locked.evidence = evidence
        locked.completed_on = completed_on
        locked.updated_at = clock.now()
        fields = ["status", "evidence", "completed_on", "updated_at"]
        if evidence_file is not None:
            save_field_file(locked.evidence_file, str(evidence_file.name), evidence_file)
            fields.append("evidence_file")
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb="supervision.plan_task_updated",
            target=locked,
            agency_id=owner.pk,
            data={"from": before, "to": status, "completed_on": completed_on},
        )
    return locked


# --- 建议提案 -------------------------------------------------------------------------------------


def proposal_register(
    *,
    actor: Any,
    agency: Agency,
    kind: str,
    year: int,
    number: str,
    title: str,
    proposer: str,
    received_on: dt.date,
) -> Proposal:
    if actor is not None and not can_update_work(actor, agency):
        raise PermissionDeniedError("只有承办机关的工作人员可以登记建议提案。")
    if kind not in ProposalKind.values:
        raise SupervisionError("请选择人大代表建议或政协委员提案。")
    number, title, proposer = number.strip(), title.strip(), proposer.strip()
    if not (number and title and proposer):
        raise SupervisionError("请填写编号、标题和提出人。")
    with transaction.atomic():
        if Proposal.objects.filter(kind=kind, year=year, number=number).exists():
            raise SupervisionError(f"{year}年第{number}号{ProposalKind(kind).label}已经登记。")
        proposal = Proposal.objects.create(
            agency=agency,
            kind=kind,
            year=year,
            number=number,
            title=title,
            proposer=proposer,
            received_on=received_on,
        )
        audit_record(
            actor=actor,
            verb="supervision.proposal_registered",
            target=proposal,
            agency_id=agency.pk,
            data={"kind": kind, "year": year, "number": number},
        )
    return proposal


def proposal_update(
    *,
    actor: Any,
    proposal: Proposal,
    status: str,
    replied_on: dt.date | None = None,
    reply_published: bool = False,
    reply_url: str = "",
    reply_item: Any = None,
) -> Proposal:
    """Progress, reply and publication of the reply (建议提案办理复文公开)."""
    if actor is not None and not can_update_work(actor, proposal.agency):
        raise PermissionDeniedError("只有承办机关的工作人员可以填报办理情况。")
    if status not in ProposalStatus.values:
        raise SupervisionError("办理状态不正确。")
    if status == ProposalStatus.REPLIED:
        if replied_on is None:
            raise SupervisionError("已答复的建议提案请填写答复日期。")
        if replied_on < proposal.received_on:
            raise SupervisionError("答复日期不能早于交办日期。")
        if replied_on > clock.today():
            raise SupervisionError("答复日期不能晚于今天。")
    else:
        replied_on = None
        if reply_published:
            raise SupervisionError("尚未答复的建议提案不能标记为答复已公开。")
    if reply_item is not None and reply_item.agency_id != proposal.agency_id:
        raise SupervisionError("所选公开信息不属于承办机关。")
    if reply_published and not (reply_url.strip() or reply_item is not None):
        raise SupervisionError("答复已公开时，请填写公开网址或选择公开信息。")
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = locked.status
        locked.status = status
        locked.replied_on = replied_on
        locked.reply_published = reply_published
        locked.reply_url = reply_url.strip() if reply_published else ""
        locked.reply_item = reply_item if reply_published else None
        locked.updated_at = clock.now()
        locked.save(
            update_fields=[
                "status",
                "replied_on",
                "reply_published",
                "reply_url",
                "reply_item",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            verb="supervision.proposal_updated",
            target=locked,
            agency_id=locked.agency_id,
            data={"from": before, "to": status, "published": reply_published},
        )
    return locked


# --- 考核 -----------------------------------------------------------------------------------------


def assessment_sheet_create(
    *,
    actor: Any,
    agency: Agency,
    year: int,
    title: str,
    criteria: list[tuple[str, int, str]] | None = None,
) -> AssessmentSheet:
    """A sheet with its rows (name, max score, metric key or "" for manual scoring)."""
    _require_manager(actor, agency)
    title = title.strip()
    if not title:
        raise SupervisionError("请填写评分表名称。")
    rows = criteria or []
    for name, max_score, metric in rows:
        _validate_criterion(name, max_score, metric)
    with transaction.atomic():
        if AssessmentSheet.objects.filter(agency=agency, year=year).exists():
            raise SupervisionError(f"{year}年的考核评分表已经存在。")
        sheet = AssessmentSheet.objects.create(agency=agency, year=year, title=title)
        for order, (name, max_score, metric) in enumerate(rows, 1):
            Criterion.objects.create(
                sheet=sheet, order=order, name=name.strip(), max_score=max_score, metric=metric
            )
        audit_record(
            actor=actor,
            verb="supervision.assessment_sheet_created",
            target=sheet,
            agency_id=agency.pk,
            data={"year": year, "criteria": [[n, m, k] for n, m, k in rows]},
        )
    return sheet


def _validate_criterion(name: str, max_score: int, metric: str) -> None:
    if not name.strip():
        raise SupervisionError("请填写考核内容。")
    if not 1 <= max_score <= 100:
        raise SupervisionError("分值应在1到100之间。")
    if metric and metric not in metrics.METRICS:
        raise SupervisionError("数据来源不正确。")


def criterion_add(
    *, actor: Any, sheet: AssessmentSheet, name: str, max_score: int, metric: str = ""
) -> Criterion:
    _require_manager(actor, sheet.agency)
    _validate_criterion(name, max_score, metric)
    with transaction.atomic():
        locked = AssessmentSheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.criteria.filter(name=name.strip()).exists():
            raise SupervisionError("评分表中已有同名的考核内容。")
        order = (
            locked.criteria.order_by("-order").values_list("order", flat=True).first() or 0
        ) + 1
        criterion = Criterion.objects.create(
            sheet=locked, order=order, name=name.strip(), max_score=max_score, metric=metric
        )
        audit_record(
            actor=actor,
            verb="supervision.criterion_added",
            target=criterion,
            agency_id=sheet.agency_id,
            data={"name": criterion.name, "max_score": max_score, "metric": metric},
        )
    return criterion


def assessed_agencies(sheet: AssessmentSheet) -> list[Agency]:
    """The agencies a sheet assesses: the jurisdiction's subtree below it."""
    return list(agency_subtree(sheet.agency).exclude(pk=sheet.agency_id))


def _recompute_total(assessment: Assessment) -> None:
    assessment.total = sum((s.score for s in assessment.scores.all()), Decimal(0))
    assessment.computed_at = clock.now()
    assessment.updated_at = assessment.computed_at
    assessment.save(update_fields=["total", "computed_at", "updated_at"])


def assessment_compute(*, actor: Any, sheet: AssessmentSheet) -> list[Assessment]:
    """Compute every assessed agency's scores on the computed criteria (manual scores are kept)."""
    _require_manager(actor, sheet.agency)
    today = clock.today()
    agencies = assessed_agencies(sheet)
    criteria = list(sheet.criteria.all())
    # Read the figures before the transaction: they come from other apps and may be slow.
    figures = {
        (agency.pk, c.pk): metrics.evaluate(c.metric, agency, sheet.year, today)
        for agency in agencies
        for c in criteria
        if c.metric
    }
    by_department = departments.department_results(sheet, agencies, today)
    results = []
    with transaction.atomic():
        AssessmentSheet.objects.select_for_update().get(pk=sheet.pk)
        departments.department_results_store(sheet, by_department)
        for agency in agencies:
            assessment, _ = Assessment.objects.get_or_create(sheet=sheet, agency=agency)
            for criterion in criteria:
                score, _ = AssessmentScore.objects.get_or_create(
                    assessment=assessment, criterion=criterion
                )
                if criterion.metric:
                    value = figures[(agency.pk, criterion.pk)]
                    score.figure = value.figure
                    score.score = value.score(criterion.max_score)
                    score.save(update_fields=["figure", "score", "updated_at"])
            _recompute_total(assessment)
            results.append(assessment)
        audit_record(
            actor=actor,
            verb="supervision.assessment_computed",
            target=sheet,
            agency_id=sheet.agency_id,
            data={
                "agencies": len(results),
                "totals": {a.agency_id: a.total for a in results},
                "departments": {r.department.pk: r.total for r in by_department},
            },
        )
    return results


def assessment_score_set(
    *,
    actor: Any,
    score: AssessmentScore,
    value: Decimal,
    evidence: str,
    evidence_file: UploadedFile | None = None,
) -> AssessmentScore:
    """Score a manual criterion with its evidence."""
    criterion = score.criterion
    _require_manager(actor, criterion.sheet.agency)
    if not criterion.is_manual:
        raise SupervisionError("该指标由系统按业务数据计算，不能手工打分。")
    if value < 0 or value > criterion.max_score:
        raise SupervisionError(f"得分应在0到{criterion.max_score}分之间。")
    check_evidence_file(evidence_file)
    if not evidence.strip() and evidence_file is None and not score.evidence_file:
        raise SupervisionError("手工打分请填写佐证说明或上传佐证材料。")
    with transaction.atomic():
        locked = AssessmentScore.objects.select_for_update().get(pk=score.pk)
        locked.score = value.quantize(Decimal("0.1"))
        locked.evidence = evidence.strip()
        locked.figure = "人工评分"
        fields = ["score", "evidence", "figure", "updated_at"]
        if evidence_file is not None:
            save_field_file(locked.evidence_file, str(evidence_file.name), evidence_file)
            fields.append("evidence_file")
        locked.save(update_fields=fields)
        _recompute_total(locked.assessment)
        audit_record(
            actor=actor,
            verb="supervision.assessment_scored",
            target=locked,
            agency_id=locked.assessment.agency_id,
            data={"criterion": criterion.name, "score": locked.score},
        )
    return locked


# --- 提醒 -----------------------------------------------------------------------------------------


def notifications_generate(agency: Agency, *, actor: Any = None) -> list[Notification]:
    """Turn the agency's current shortfalls into unread notifications; a shortfall whose notice is
    still unread is not notified twice. Returns the notifications created."""
    found: list[Shortfall] = shortfalls_for(agency, clock.today())
    created: list[Notification] = []
    with transaction.atomic():
        list(Notification.objects.select_for_update().filter(agency=agency, read_at__isnull=True))
        unread = set(
            Notification.objects.filter(agency=agency, read_at__isnull=True).values_list(
                "key", flat=True
            )
        )
        for shortfall in found:
            if shortfall.key in unread:
                continue
            created.append(
                Notification.objects.create(
                    agency=agency,
                    kind=shortfall.kind,
                    key=shortfall.key,
                    text=shortfall.text[:500],
                    link=shortfall.link,
                )
            )
        if created:
            audit_record(
                actor=actor,
                verb="supervision.notifications_generated",
                agency_id=agency.pk,
                data={"count": len(created), "kinds": sorted({n.kind for n in created})},
            )
    return created


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    if not can_update_work(actor, notification.agency):
        raise PermissionDeniedError("只有本机关的工作人员可以处理提醒。")
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.read_at is None:
            locked.read_at = clock.now()
            locked.save(update_fields=["read_at", "updated_at"])
            audit_record(
                actor=actor,
                verb="supervision.notification_read",
                target=locked,
                agency_id=locked.agency_id,
                data={"kind": locked.kind},
            )
    return locked
