"""撤稿后重新发布 (review.item_reopen): back to drafting through the state table, revised, reviewed
again and published with the same 索引号; the withdrawal stays in the record; the scanner runs
again."""

from __future__ import annotations

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.core.exceptions import DomainError, PermissionDeniedError
from gongkai.publishing.exceptions import InvalidTransition, OpenFindingsBlock
from gongkai.publishing.models import FindingStatus, ItemStatus, Withdrawal
from gongkai.publishing.selectors import items_public
from gongkai.publishing.services import (
    finding_mask,
    item_reopen,
    item_submit_for_review,
    item_update,
    item_withdraw,
)
from tests.publishing.test_services import approve_all


@pytest.fixture
def withdrawn(make_item, user_named):
    item = make_item()
    approve_all(item_submit_for_review(actor=user_named("songcun_clerk"), item=item), user_named)
    item_withdraw(actor=user_named("songcun_leader"), item=item, reason="日期有误")
    item.refresh_from_db()
    return item


def test_a_withdrawn_item_is_revised_reviewed_and_published_again(withdrawn, user_named):
    clerk = user_named("songcun_clerk")
    index_no = withdrawn.index_no
    assert withdrawn not in items_public()
    item = item_reopen(actor=clerk, item=withdrawn, reason="更正日期后重新发布")
    assert item.status == ItemStatus.DRAFT
    withdrawal = Withdrawal.objects.get(item=item)
    assert withdrawal.reason == "日期有误"
    assert withdrawal.reopen_reason == "更正日期后重新发布"
    assert withdrawal.reopened_by == clerk
    assert withdrawal.reopened_at is not None
    item = item_update(actor=clerk, item=item, title="宋村镇关于道路维修的通告（更正）")
    approve_all(item_submit_for_review(actor=clerk, item=item), user_named)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert item.index_no == index_no
    assert item in items_public()
    assert item.reviews.count() == 2
    moves = [
        (e.data["from"], e.data["to"])
        for e in AuditEvent.objects.filter(
            verb="publishing.item_status_changed", target_id=str(item.pk)
        ).order_by("id")
    ]
    assert moves[-4:] == [
        ("published", "withdrawn"),
        ("withdrawn", "draft"),
        ("draft", "in_review"),
        ("in_review", "published"),
    ]
    reopened = AuditEvent.objects.get(verb="publishing.item_reopened")
    assert reopened.data["index_no"] == index_no
    # Withdrawn again, it can be reopened again; the first record stays as it was.
    item_withdraw(actor=user_named("songcun_leader"), item=item, reason="再次更正")
    item_reopen(actor=clerk, item=item, reason="第二次重新起草")
    records = list(Withdrawal.objects.filter(item=item).order_by("created_at", "id"))
    assert [(w.reason, w.reopen_reason) for w in records] == [
        ("日期有误", "更正日期后重新发布"),
        ("再次更正", "第二次重新起草"),
    ]


def test_the_scanner_runs_again_on_reopening(withdrawn, user_named, monkeypatch):
    # The scanner's rules have improved since publication: a street name now counts.
    from gongkai.publishing.scanner import Finding, FindingKind
    from gongkai.publishing.services import catalogue

    def stricter(text, location="", number_lines=False):
        if "昌阳路" not in text:
            return []
        start = text.index("昌阳路")
        return [Finding(FindingKind.ADDRESS, start, start + 3, "某某路", "某某路", location)]

    monkeypatch.setattr(catalogue, "scan_text", stricter)
    clerk = user_named("songcun_clerk")
    item = item_reopen(actor=clerk, item=withdrawn, reason="重新发布")
    finding = item.findings.get(status=FindingStatus.OPEN)
    assert AuditEvent.objects.get(verb="publishing.item_reopened").data["findings"] == 1
    with pytest.raises(OpenFindingsBlock):
        item_submit_for_review(actor=clerk, item=item)
    finding_mask(actor=clerk, finding=finding)
    monkeypatch.undo()
    assert item_submit_for_review(actor=clerk, item=item)


def test_reopen_needs_a_reason_a_staff_member_and_a_withdrawn_item(
    withdrawn, make_item, user_named
):
    with pytest.raises(DomainError, match="重新起草的说明"):
        item_reopen(actor=user_named("songcun_clerk"), item=withdrawn, reason=" ")
    with pytest.raises(PermissionDeniedError):
        item_reopen(actor=user_named("gaocun_clerk"), item=withdrawn, reason="重新发布")
    draft = make_item()
    with pytest.raises(InvalidTransition):
        item_reopen(actor=user_named("songcun_clerk"), item=draft, reason="重新发布")
    withdrawn.refresh_from_db()
    assert withdrawn.status == ItemStatus.WITHDRAWN
    assert not AuditEvent.objects.filter(verb="publishing.item_reopened").exists()
