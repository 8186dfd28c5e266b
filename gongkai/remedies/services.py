"""Writes to remedies cases. Keyword-only, explicit actor, one transaction with its audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gongkai.applications.models import Application
from gongkai.audit.services import audit_record
from gongkai.core import clock
from gongkai.core.exceptions import PermissionDeniedError, ValidationFailed
from gongkai.remedies.exceptions import CaseAlreadyDecided
from gongkai.remedies.models import Case, CaseKind, CaseOutcome
from gongkai.remedies.permissions import can_record_case


def _check_actor(actor: Any, application: Application) -> None:
    if actor is None or not can_record_case(actor, application):
        raise PermissionDeniedError("只有受理该申请的机关的工作人员可以登记复议、诉讼案件。")


def case_create(
    *,
    actor: Any,
    application: Application,
    kind: str,
    body: str,
    filed_on: dt.date,
    reference: str = "",
    note: str = "",
) -> Case:
    """Record a 行政复议 or 行政诉讼 about an application (procedures.md §6)."""
    _check_actor(actor, application)
    if kind not in CaseKind.values:
        raise ValidationFailed("请选择案件类别：行政复议或行政诉讼。")
    if not body.strip():
        raise ValidationFailed("请填写复议机关或人民法院。")
    if filed_on > clock.today():
        raise ValidationFailed("申请或起诉日期不能晚于今天。")
    if filed_on < application.received_on:
        raise ValidationFailed("申请或起诉日期不能早于收到政府信息公开申请的日期。")
    with transaction.atomic():
        case = Case.objects.create(
            application=application,
            agency=application.agency,
            kind=kind,
            body=body.strip(),
            reference=reference.strip(),
            filed_on=filed_on,
            note=note.strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            verb="remedy_case.created",
            target=case,
            agency_id=application.agency_id,
            data={"application": application.pk, "kind": kind, "filed_on": filed_on.isoformat()},
        )
    return case


def case_decide(
    *, actor: Any, case: Case, outcome: str, decided_on: dt.date, note: str = ""
) -> Case:
    """Record the decision: 维持, 纠正 or 其他 (procedures.md §6)."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update().select_related("application__agency").get(pk=case.pk)
        )
        _check_actor(actor, case.application)
        if case.outcome != CaseOutcome.PENDING:
            raise CaseAlreadyDecided()
        if outcome not in (CaseOutcome.UPHELD, CaseOutcome.CORRECTED, CaseOutcome.OTHER):
            raise ValidationFailed("请选择审结结果：维持、纠正或其他。")
        if decided_on < case.filed_on:
            raise ValidationFailed("审结日期不能早于申请或起诉日期。")
        if decided_on > clock.today():
            raise ValidationFailed("审结日期不能晚于今天。")
        case.outcome = outcome
        case.decided_on = decided_on
        fields = ["outcome", "decided_on", "updated_at"]
        if note.strip():
            case.note = (case.note + "\n" + note.strip()).strip()
            fields.append("note")
        case.updated_at = clock.now()
        case.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb="remedy_case.decided",
            target=case,
            agency_id=case.agency_id,
            data={"outcome": outcome, "decided_on": decided_on.isoformat()},
        )
    return case
