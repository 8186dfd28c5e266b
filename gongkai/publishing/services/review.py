"""Review before publishing (第十七条; 123号 先审后发), publication, scheduled publication, 撤稿.

The item's status changes only in `_transition`, which checks `states.TRANSITIONS`. Each service is
one transaction with its audit rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.permissions import can_manage_agency
from gongkai.audit.services import audit_record
from gongkai.core import clock
from gongkai.core.exceptions import PermissionDeniedError
from gongkai.publishing import search
from gongkai.publishing.exceptions import (
    InvalidTransition,
    OpenFindingsBlock,
    PublishingError,
    ReviewAlreadyOpen,
)
from gongkai.publishing.models import (
    Decision,
    FindingStatus,
    Item,
    ItemStatus,
    Review,
    ReviewStatus,
    ReviewStep,
    ReviewStepConfig,
    Withdrawal,
)
from gongkai.publishing.permissions import can_decide_step, can_edit_items, can_withdraw
from gongkai.publishing.services.catalogue import rescan_item
from gongkai.publishing.states import can_transition, is_editable

# The default when an agency has configured no steps: 初审 → 保密审查 → 签发.
DEFAULT_STEPS: tuple[tuple[str, str], ...] = (
    ("初审", Role.DEPARTMENT_HEAD),
    ("保密审查", Role.SECRECY_REVIEWER),
    ("签发", Role.LEADER),
)


def review_steps_for(agency: Agency) -> list[tuple[str, str]]:
    configured = list(
        ReviewStepConfig.objects.filter(agency=agency).order_by("order").values_list("name", "role")
    )
    return configured or list(DEFAULT_STEPS)


def review_steps_configure(*, actor: Any, agency: Agency, steps: list[tuple[str, str]]) -> None:
    """Replace the agency's review steps (at least one; each with a reviewing role)."""
    if not can_manage_agency(actor, agency):
        raise PermissionDeniedError("只有公开办管理员可以设置审核环节。")
    if not steps:
        raise PublishingError("至少需要一个审核环节。")
    for name, role in steps:
        if not name.strip() or role not in Role.values or role == Role.SUPERVISOR:
            raise PublishingError("每个审核环节都需要名称和审核岗位。")
    with transaction.atomic():
        ReviewStepConfig.objects.select_for_update().filter(agency=agency).delete()
        ReviewStepConfig.objects.bulk_create(
            ReviewStepConfig(agency=agency, order=order, name=name.strip(), role=role)
            for order, (name, role) in enumerate(steps, 1)
        )
        audit_record(
            actor=actor,
            verb="publishing.review_steps_configured",
            agency_id=agency.pk,
            data={"steps": [[name, role] for name, role in steps]},
        )


def _transition(item: Item, target: str, actor: Any, **extra: Any) -> None:
    if not can_transition(item.status, target):
        raise InvalidTransition(
            f"信息当前为“{item.get_status_display()}”状态，不能变为“{ItemStatus(target).label}”。"
        )
    previous = item.status
    item.status = target
    item.updated_at = clock.now()
    fields = ["status", "updated_at"]
    for name, value in extra.items():
        setattr(item, name, value)
        fields.append(name)
    item.save(update_fields=fields)
    audit_record(
        actor=actor,
        verb="publishing.item_status_changed",
        target=item,
        agency_id=item.agency_id,
        data={"from": previous, "to": target},
    )
    if ItemStatus.PUBLISHED in (previous, target):
        search.document_sync(item)  # the search index (the page cache: publishing.signals)


def open_findings_count(item: Item) -> int:
    """Findings that block publication: in the text, or in an attachment still attached."""
    open_findings = item.findings.filter(status=FindingStatus.OPEN)
    return (
        open_findings.filter(attachment=None).count()
        + open_findings.filter(attachment__is_current=True).count()
    )


def item_submit_for_review(*, actor: Any, item: Item) -> Review:
    """Send a draft (or a returned item) into review. Blocked while scanner findings are open."""
    if not can_edit_items(actor, item.agency):
        raise PermissionDeniedError("您不是该机关的工作人员，不能送审。")
    with transaction.atomic():
        item = Item.objects.select_for_update().select_related("agency").get(pk=item.pk)
        if not is_editable(item.status):
            raise InvalidTransition(f"信息当前为“{item.get_status_display()}”状态，不能送审。")
        blocking = open_findings_count(item)
        if blocking:
            raise OpenFindingsBlock(
                f"还有{blocking}处疑似个人信息或密级标志未处理，请遮盖或由审核人确认后再送审。"
            )
        if Review.objects.filter(item=item, status=ReviewStatus.OPEN).exists():
            raise ReviewAlreadyOpen()
        review = Review.objects.create(
            item=item, submitted_by=actor, item_version=item.version, status=ReviewStatus.OPEN
        )
        steps = review_steps_for(item.agency)
        ReviewStep.objects.bulk_create(
            ReviewStep(review=review, order=order, name=name, role=role)
            for order, (name, role) in enumerate(steps, 1)
        )
        _transition(item, ItemStatus.IN_REVIEW, actor)
        audit_record(
            actor=actor,
            verb="publishing.review_started",
            target=review,
            agency_id=item.agency_id,
            data={"item": item.pk, "version": item.version, "steps": [n for n, _ in steps]},
        )
    return review


def current_step(review: Review) -> ReviewStep | None:
    return review.steps.filter(decided_at__isnull=True).order_by("order").first()


def review_decide(
    *,
    actor: Any,
    review: Review,
    decision: str,
    comment: str = "",
    publish_at: dt.datetime | None = None,
) -> Review:
    """Decide the review's current step. Approving the last step publishes the item now, or at
    `publish_at` when that is in the future; returning sends it back to its author."""
    comment = (comment or "").strip()
    if decision not in Decision.values:
        raise PublishingError("请选择审核意见（通过或退回）。")
    if decision == Decision.RETURN and not comment:
        raise PublishingError("退回时请填写退回理由，以便起草人修改。")
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        item = Item.objects.select_for_update().select_related("agency").get(pk=review.item_id)
        if review.status != ReviewStatus.OPEN:
            raise InvalidTransition("该审核已结束。")
        step = current_step(review)
        if step is None:
            raise InvalidTransition("该审核没有待处理的环节。")
        step = ReviewStep.objects.select_for_update().get(pk=step.pk)
        if not can_decide_step(actor, step, item):
            raise PermissionDeniedError(
                f"“{step.name}”环节需由{Role(step.role).label}审核，您没有该岗位。"
            )
        now = clock.now()
        step.decided_by = actor
        step.decided_at = now
        step.decision = decision
        step.comment = comment
        step.save(update_fields=["decided_by", "decided_at", "decision", "comment"])
        audit_record(
            actor=actor,
            verb="publishing.review_step_decided",
            target=review,
            agency_id=item.agency_id,
            data={"item": item.pk, "step": step.name, "decision": decision, "comment": comment},
        )
        if decision == Decision.RETURN:
            review.status = ReviewStatus.RETURNED
            review.closed_at = now
            review.save(update_fields=["status", "closed_at"])
            _transition(item, ItemStatus.RETURNED, actor)
            return review
        if current_step(review) is not None:
            return review
        review.status = ReviewStatus.APPROVED
        review.closed_at = now
        review.save(update_fields=["status", "closed_at"])
        if publish_at is not None and publish_at > now:
            _transition(item, ItemStatus.SCHEDULED, actor, scheduled_at=publish_at)
        else:
            _transition(item, ItemStatus.PUBLISHED, actor, published_at=now, scheduled_at=None)
    return review


def publish_scheduled(*, now: dt.datetime | None = None) -> int:
    """Publish every approved item whose set time has come (the huey task and `publish_due`)."""
    moment = now or clock.now()
    published = 0
    pending = Item.objects.filter(status=ItemStatus.SCHEDULED, scheduled_at__lte=moment)
    for pk in pending.values_list("pk", flat=True):
        with transaction.atomic():
            item = Item.objects.select_for_update().get(pk=pk)
            # Claimed under the lock: another worker may have published it meanwhile.
            if item.status != ItemStatus.SCHEDULED or item.scheduled_at is None:
                continue
            _transition(
                item,
                ItemStatus.PUBLISHED,
                None,
                published_at=item.scheduled_at,
                scheduled_at=None,
            )
            published += 1
    return published


def item_withdraw(*, actor: Any, item: Item, reason: str) -> Withdrawal:
    """撤稿: a published item leaves the public site; the reason is kept in the record."""
    reason = (reason or "").strip()
    if not reason:
        raise PublishingError("请填写撤稿理由。")
    if not can_withdraw(actor, item.agency):
        raise PermissionDeniedError("只有分管领导或公开办管理员可以撤稿。")
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        _transition(item, ItemStatus.WITHDRAWN, actor)
        withdrawal = Withdrawal.objects.create(item=item, reason=reason, withdrawn_by=actor)
        audit_record(
            actor=actor,
            verb="publishing.item_withdrawn",
            target=item,
            agency_id=item.agency_id,
            data={"reason": reason, "index_no": item.index_no},
        )
    return withdrawal


def item_unschedule(*, actor: Any, item: Item, reason: str) -> Item:
    """Stop a scheduled publication (先审后发: a problem found after the last approval need not go
    public first): the item goes back to its author as returned, to be revised and reviewed again;
    the reason is recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise PublishingError("请填写取消定时发布的理由。")
    if not can_withdraw(actor, item.agency):
        raise PermissionDeniedError("只有分管领导或公开办管理员可以取消定时发布。")
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.status != ItemStatus.SCHEDULED:
            raise InvalidTransition(
                f"信息当前为“{item.get_status_display()}”状态，没有待执行的定时发布。"
            )
        scheduled_at = item.scheduled_at
        _transition(item, ItemStatus.RETURNED, actor, scheduled_at=None)
        audit_record(
            actor=actor,
            verb="publishing.item_unscheduled",
            target=item,
            agency_id=item.agency_id,
            data={
                "reason": reason,
                "scheduled_at": scheduled_at.astimezone(clock.SHANGHAI).isoformat()
                if scheduled_at
                else None,
            },
        )
    return item


def item_reopen(*, actor: Any, item: Item, reason: str) -> Item:
    """撤稿后重新发布: take a withdrawn item back into drafting, to be revised and sent through the
    whole review again. It keeps its 索引号 and its withdrawal records (the latest one notes when
    and why it was reopened); its text and current attachments are scanned again at once, so that
    what the scanner's rules now catch blocks the resubmission."""
    reason = (reason or "").strip()
    if not reason:
        raise PublishingError("请填写重新起草的说明（修改了什么、为什么重新发布）。")
    if not can_edit_items(actor, item.agency):
        raise PermissionDeniedError("您不是该机关的工作人员，不能重新起草。")
    with transaction.atomic():
        item = Item.objects.select_for_update().select_related("agency").get(pk=item.pk)
        withdrawal = (
            Withdrawal.objects.select_for_update()
            .filter(item=item, reopened_at__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        _transition(item, ItemStatus.DRAFT, actor)
        if withdrawal is not None:
            withdrawal.reopened_at = clock.now()
            withdrawal.reopened_by = actor
            withdrawal.reopen_reason = reason
            withdrawal.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
        found = rescan_item(item, actor)
        audit_record(
            actor=actor,
            verb="publishing.item_reopened",
            target=item,
            agency_id=item.agency_id,
            data={"reason": reason, "index_no": item.index_no, "findings": found},
        )
    return item
