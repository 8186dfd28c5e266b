"""Writing to the audit log. Every domain service calls `audit_record` inside its own transaction.

`audit_verify` checks the chain (and its anchors, anchor.py); `audit_anchor` appends the chain's
head to the anchor file outside the database.

`audit_record` must run inside `transaction.atomic` (the caller's): the row commits or rolls back
together with the write it records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from gongkai.audit.anchor import AnchorFileError, AnchorIndex, anchor_file, anchors_read
from gongkai.audit.anchor import audit_anchor as audit_anchor
from gongkai.audit.chain import GENESIS, canonical, event_content, normalise, row_hash
from gongkai.audit.models import AuditEvent, AuditHead
from gongkai.core import clock


def _target(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def audit_record(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    agency_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `actor` is a User, or None for the system (demo loader, scheduled jobs)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    target_type, target_id = _target(target)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    actor_label = actor.get_username() if actor_id is not None else "系统"
    payload = normalise(data or {})
    # Millisecond precision: the JSON serialisation used by backups keeps milliseconds, and the
    # chain must verify identically after a restore.
    now = clock.now()
    at = now.replace(microsecond=now.microsecond // 1000 * 1000)
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditHead.objects.create(pk=1, last_hash=GENESIS)
        head = AuditHead.objects.select_for_update().get(pk=1)
    content = canonical(
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        agency_id=agency_id,
        data=payload,
    )
    digest = row_hash(head.last_hash, content)
    event = AuditEvent.objects.create(
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        agency_id=agency_id,
        data=payload,
        prev_hash=head.last_hash,
        hash=digest,
    )
    head.last_hash = digest
    head.save(update_fields=["last_hash"])
    return event


@dataclass(frozen=True)
class VerifyResult:
    """What `audit_verify` found.

    `anchors` is the number of anchors checked, or None when they were not checked (no anchor
    file, or `anchors=False`); `anchor_failure` says the failure is the anchors' (the chain itself
    holds, or the anchor file is unusable), not a broken link.
    """

    checked: int
    broken_id: int | None
    reason: str
    anchors: int | None = None
    anchor_file: str = ""
    anchor_failure: bool = False

    @property
    def ok(self) -> bool:
        return not self.reason


def audit_verify(*, anchors: bool = True) -> VerifyResult:
    """Walk the chain in order; report the first row whose links or content do not hold.

    With `anchors` (the default) the chain must also agree with every anchor in
    `settings.GONGKAI_AUDIT_ANCHOR_FILE` (see anchor.py): each anchored row still there, with the
    same hash and position. Restore passes `anchors=False`: an older backup is legitimately
    behind later anchors.
    """
    index: AnchorIndex | None = None
    file = ""
    if anchors:
        path = anchor_file()
        file = str(path)
        try:
            found = anchors_read(path)
        except AnchorFileError as exc:
            return VerifyResult(0, None, exc.message, anchor_file=file, anchor_failure=True)
        index = AnchorIndex(found) if found is not None else None

    def result(checked: int, broken_id: int | None, reason: str, **extra: Any) -> VerifyResult:
        counted = len(index.anchors) if index is not None else None
        return VerifyResult(checked, broken_id, reason, counted, file, **extra)

    prev = GENESIS
    checked = 0
    last_id: int | None = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            return result(checked, event.pk, "前一条哈希不连续（有记录被删除、插入或调换）")
        if row_hash(prev, event_content(event)) != event.hash:
            return result(checked, event.pk, "内容与哈希不符（记录被篡改）")
        prev = event.hash
        checked += 1
        last_id = event.pk
        if index is not None:
            failure = index.check_row(row_id=event.pk, row_hash=event.hash, position=checked)
            if failure is not None:
                return result(checked - 1, failure.broken_id, failure.reason, anchor_failure=True)
    if index is not None:
        # Before the AuditHead check: a cut tail with AuditHead reset to match passes that one.
        failure = index.check_end(checked=checked, last_id=last_id)
        if failure.reason:
            return result(checked, failure.broken_id, failure.reason, anchor_failure=True)
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return result(checked, None, "链尾与最后一条记录不符（末尾记录被删除）")
    return result(checked, None, "")
