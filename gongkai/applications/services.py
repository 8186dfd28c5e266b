"""Writes to applications for information. The contract:

- Every function is keyword-only, takes an explicit `actor` (None only for the public online form and
  for system jobs), runs in one `transaction.atomic`, locks the application it changes
  (`select_for_update`) and writes its audit row in the same transaction.
- A status changes only in `application_transition`: it checks `states.TRANSITIONS`, appends the
  ledger row, recomputes the stored deadlines from the whole ledger (`deadlines.compute_deadlines`)
  and writes the audit row. The named services validate their own rules and then call it.
- Dates: each act has a civil date `on` (default: today). It may not precede receipt or the last
  ledger entry, and may not lie in the future.
- Audit rows never carry personal data (names, ID numbers, phone numbers, addresses).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from gongkai.agencies.models import Agency, Department
from gongkai.agencies.permissions import can_work_in
from gongkai.applications.clocks import application_deadlines, clock_facts, fee_period
from gongkai.applications.deadlines import (
    Extension,
    compute_deadlines,
)
from gongkai.applications.exceptions import (
    ApplicationInvalid,
    CorrectionAlreadyRequested,
    ExtensionAlreadyGranted,
    InvalidTransition,
)
from gongkai.applications.fees import quote_by_count, quote_by_pages
from gongkai.applications.intake import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    Intake,
    attachment_content_type,
    attachment_error,
    intake_errors,
)
from gongkai.applications.models import (
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    Channel,
)
from gongkai.applications.permissions import can_approve_extension, can_handle
from gongkai.applications.states import (
    LAPSE_NO_CORRECTION,
    LAPSE_NO_FEE,
    OPEN_STATUSES,
    REPLY_TYPE_BY_KEY,
    WITHDRAWN_OUTCOME,
    EventKind,
    Status,
    allowed,
    target_status,
)
from gongkai.audit.services import audit_record
from gongkai.core import clock
from gongkai.core.calendar import load_calendar, register_recompute_hook
from gongkai.core.exceptions import PermissionDeniedError, ValidationFailed
from gongkai.core.storage import save_field_file
from gongkai.core.uploads import Kind, UploadRejected, validate_upload
from gongkai.core.workdays import WorkdayCalendar

# No 0/O, 1/I/L: the code is read out over the phone.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 10
PAUSE_KINDS = ("third_party", "other_agency")

DEADLINE_FIELDS = (
    "correction_notice_due",
    "correction_due",
    "reply_due",
    "extension_notice_due",
    "fee_due",
    "provisional",
    "extended",
)


# --- The ledger and the clocks ---------------------------------------------------------------------


def _refresh_deadlines(
    application: Application, calendar: WorkdayCalendar, today: dt.date
) -> dict[str, tuple[Any, Any]]:
    """Recompute the stored deadline columns from the ledger; return the changed ones."""
    events = list(application.events.order_by("on_date", "at", "id"))
    deadlines = application_deadlines(application, events=events, calendar=calendar, today=today)
    fee = fee_period(events, calendar)
    fee_due, fee_provisional = (fee.due, fee.provisional) if fee else (None, False)
    new = {
        "correction_notice_due": deadlines.correction_notice_due,
        "correction_due": deadlines.correction_due,
        "reply_due": deadlines.reply_due,
        "extension_notice_due": deadlines.extension_notice_due,
        "fee_due": fee_due,
        "provisional": deadlines.provisional or fee_provisional,
        "extended": deadlines.extended,
    }
    changed: dict[str, tuple[Any, Any]] = {}
    for name, value in new.items():
        old = getattr(application, name)
        if old != value:
            changed[name] = (old, value)
            setattr(application, name, value)
    return changed


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


# --- The one function that changes a status --------------------------------------------------------


# Applications entered after the fact (补录) may go back this many years before the current one.
BACKFILL_YEARS = 5


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("agency").get(pk=application.pk)


def _check_on(application: Application, on: dt.date | None) -> dt.date:
    day = on or clock.today()
    if day > clock.today():
        raise ValidationFailed("办理日期不能晚于今天。")
    if day < application.received_on:
        raise ValidationFailed(
            f"办理日期（{day.isoformat()}）不能早于收到申请之日"
            f"（{application.received_on.isoformat()}）。"
        )
    last = (
        application.events.exclude(kind=EventKind.DEADLINE_RECOMPUTED)
        .order_by("-on_date")
        .values_list("on_date", flat=True)
        .first()
    )
    if last is not None and day < last:
        raise ValidationFailed(
            f"办理日期（{day.isoformat()}）不能早于上一项办理记录的日期（{last.isoformat()}）。"
        )
    return day


def _check_handler(actor: Any, application: Application) -> None:
    if actor is None or not can_handle(actor, application):
        raise PermissionDeniedError("只有受理机关的工作人员可以办理该申请。")


def application_transition(
    *,
    application: Application,
    kind: str,
    actor: Any,
    on: dt.date,
    reason: str = "",
    data: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> ApplicationEvent:
    """Change the status per `TRANSITIONS`, append the ledger row, recompute, audit.

    The caller holds the row lock (`_lock`) inside its transaction. `changes` are further fields of
    the application set by the same act (the outcome of a reply, the fee amount …).
    """
    with transaction.atomic():
        from_status = application.status
        if not allowed(kind, from_status):
            raise InvalidTransition(
                f"申请当前为“{Status(from_status).label}”，不能{EventKind(kind).label}。"
            )
        to_status = target_status(kind, from_status)
        payload = {key: _iso(value) for key, value in (data or {}).items()}
        event = ApplicationEvent.objects.create(
            application=application,
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            actor=actor if actor is not None and actor.is_authenticated else None,
            reason=reason,
            data=payload,
            at=clock.now(),
            on_date=on,
        )
        application.status = to_status
        fields = ["status", "updated_at"]
        for name, value in (changes or {}).items():
            setattr(application, name, value)
            fields.append(name)
        changed = _refresh_deadlines(application, load_calendar(), clock.today())
        fields += [name for name in changed if name not in fields]
        application.updated_at = clock.now()
        application.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb=f"application.{kind}",
            target=application,
            agency_id=application.agency_id,
            data={
                "from": from_status,
                "to": to_status,
                "on": on.isoformat(),
                "reply_due": _iso(application.reply_due),
                **{k: v for k, v in payload.items() if k in _AUDITABLE},
            },
        )
    return event


# Ledger data that may go into the audit row (dates, keys and amounts; never personal data).
_AUDITABLE = frozenset(
    {
        "correction_due",
        "approved_on",
        "notified_on",
        "approved_by",
        "pause_kind",
        "method",
        "quantity",
        "amount",
        "reply_type",
        "outcome",
        "to_agency",
        "department",
        "assigned_to",
        "late",
    }
)


# --- Attachments --------------------------------------------------------------------------------


ATTACHMENT_KINDS = frozenset({Kind.PDF, Kind.JPEG, Kind.PNG, Kind.DOCX, Kind.OFD})


def _check_uploads(uploads: Sequence[Any]) -> None:
    if len(uploads) > MAX_ATTACHMENTS:
        raise ApplicationInvalid({"attachment": f"附件最多{MAX_ATTACHMENTS}个。"})
    for upload in uploads:
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        message = attachment_error(str(upload.name), int(upload.size or 0), head)
        if message:
            raise ApplicationInvalid({"attachment": message})
        try:
            # The whole content (a DOCX must really be one, no zip bomb), not just the first bytes.
            validate_upload(
                upload,
                allowed=ATTACHMENT_KINDS,
                max_bytes=MAX_ATTACHMENT_BYTES,
                match_name=True,
                label="附件",
            )
        except UploadRejected as exc:
            raise ApplicationInvalid({"attachment": exc.message}) from exc


class _WrittenFiles(list[tuple[Any, str]]):
    """Files written to storage by a transaction that has not committed yet: (storage, name)."""


@contextmanager
def _files_removed_on_rollback() -> Iterator[_WrittenFiles]:
    """Wrap a service's `transaction.atomic()`: when the transaction rolls back (any exception
    leaving it), the attachment files it already wrote to storage are deleted again, so no file
    without a row stays behind. Use as `with _files_removed_on_rollback() as written,
    transaction.atomic():` so that the rollback happens first."""
    written = _WrittenFiles()
    try:
        yield written
    except BaseException:
        for storage, name in written:
            try:
                storage.delete(name)
            except OSError:  # pragma: no cover - best effort; the original error matters more
                continue
        raise


def _store_uploads(
    application: Application, uploads: Sequence[Any], actor: Any, written: _WrittenFiles
) -> list[int]:
    ids = []
    for upload in uploads:
        attachment = ApplicationAttachment(
            application=application,
            name=str(upload.name)[:200],
            size=int(upload.size),
            content_type=attachment_content_type(str(upload.name)),
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        save_field_file(attachment.file, str(upload.name), upload)
        written.append((attachment.file.storage, str(attachment.file.name)))
        attachment.save()
        ids.append(attachment.pk)
    return ids


def application_attach(*, actor: Any, application: Application, upload: Any) -> Application:
    """Staff add a file to the file (a 补正 that came by post, a scanned letter …)."""
    _check_uploads([upload])
    with _files_removed_on_rollback() as written, transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        ids = _store_uploads(application, [upload], actor, written)
        audit_record(
            actor=actor,
            verb="application.attachment_added",
            target=application,
            agency_id=application.agency_id,
            # Sizes and types only: file names often carry a person's name.
            data={"attachments": ids, "size": int(upload.size)},
        )
    return application


# --- Receiving ----------------------------------------------------------------------------------


def _new_tracking_code() -> str:
    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
        if not Application.objects.filter(tracking_code=code).exists():
            return code


def _create(
    *,
    actor: Any,
    agency: Agency,
    intake: Intake,
    channel: str,
    received_on: dt.date,
    arrived_on: dt.date | None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    uploads: Sequence[Any] = (),
    written: _WrittenFiles | None = None,
) -> Application:
    errors = intake_errors(intake)
    if errors:
        raise ApplicationInvalid(errors)
    _check_uploads(uploads)
    clean = intake.normalised()
    application = Application.objects.create(
        agency=agency,
        tracking_code=_new_tracking_code(),
        channel=channel,
        received_on=received_on,
        arrived_on=arrived_on,
        status=Status.RECEIVED,
        **{name: getattr(clean, name) for name in Intake.field_names()},
    )
    payload = {"channel": channel, **(data or {})}
    ApplicationEvent.objects.create(
        application=application,
        kind=EventKind.RECEIVED,
        from_status="",
        to_status=Status.RECEIVED,
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        data={k: _iso(v) for k, v in payload.items()},
        at=clock.now(),
        on_date=received_on,
    )
    changed = _refresh_deadlines(application, load_calendar(), clock.today())
    application.save(update_fields=list(changed))
    attachment_ids = _store_uploads(
        application, uploads, actor, written if written is not None else _WrittenFiles()
    )
    audit_record(
        actor=actor,
        verb="application.received",
        target=application,
        agency_id=agency.pk,
        data={
            "channel": channel,
            "received_on": received_on.isoformat(),
            "applicant_type": clean.applicant_type,
            "reply_due": _iso(application.reply_due),
            "attachments": attachment_ids,
            **{k: _iso(v) for k, v in (data or {}).items()},
        },
    )
    return application


def application_submit_online(
    *, agency: Agency, intake: Intake, attachments: Sequence[Any] = ()
) -> Application:
    """The public online form. 条例第三十一条 and procedures.md §2: the platform confirms at once,
    so the day of submission is the receipt date."""
    with _files_removed_on_rollback() as written, transaction.atomic():
        return _create(
            actor=None,
            agency=agency,
            intake=intake,
            channel=Channel.ONLINE,
            received_on=clock.today(),
            arrived_on=None,
            uploads=attachments,
            written=written,
        )


def application_register(
    *,
    actor: Any,
    agency: Agency,
    intake: Intake,
    channel: str,
    received_on: dt.date,
    arrived_on: dt.date | None = None,
    attachments: Sequence[Any] = (),
) -> Application:
    """Staff enter an application that came in person, by post, fax or e-mail.

    The receipt date (条例第三十一条; procedures.md §2):
    - 当面提交: the day it is handed in;
    - 邮寄 signed for: the day the office signs for it;
    - 平信: the day the office confirms receipt with the applicant (it must do so the day the letter
      arrives, so `arrived_on` is required and a later confirmation is recorded as such);
    - 传真 / 电子邮件: the day both sides confirm receipt.
    """
    if actor is None or not can_work_in(actor, agency):
        raise PermissionDeniedError("只有本机关的工作人员可以登记申请。")
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ValidationFailed("请选择提交方式：当面、邮寄、传真或电子邮件。")
    today = clock.today()
    if received_on > today:
        raise ValidationFailed("收到申请之日不能晚于今天。")
    earliest = dt.date(today.year - BACKFILL_YEARS, 1, 1)
    if received_on < earliest:
        # A mistyped year (2015 for 2025) would put a deadline years in the past on every list.
        raise ValidationFailed(
            f"收到申请之日（{received_on.isoformat()}）早于{earliest.year}年1月1日，请核对日期。"
        )
    note = ""
    if channel in (Channel.IN_PERSON, Channel.POST_SIGNED):
        if arrived_on is not None and arrived_on != received_on:
            raise ValidationFailed(
                "当面提交的以提交之日为收到申请之日，邮寄签收的以签收之日为收到申请之日"
                "（条例第三十一条），两个日期应相同。"
            )
        arrived_on = received_on
    elif channel == Channel.POST_ORDINARY:
        if arrived_on is None:
            raise ValidationFailed("平信邮寄的申请请填写来信到达日期。")
        if arrived_on > received_on:
            raise ValidationFailed("与申请人确认收到的日期不能早于来信到达日期。")
        if arrived_on < received_on:
            note = "平信到达当日未与申请人确认收到，确认日晚于到达日。"
    elif arrived_on is not None and arrived_on > received_on:
        raise ValidationFailed("双方确认收到的日期不能早于传真或电子邮件到达的日期。")
    with _files_removed_on_rollback() as written, transaction.atomic():
        return _create(
            actor=actor,
            agency=agency,
            intake=intake,
            channel=channel,
            received_on=received_on,
            arrived_on=arrived_on,
            reason=note,
            data={"late_confirmation": True} if note else None,
            uploads=attachments,
            written=written,
        )


# --- Handling -------------------------------------------------------------------------------------


def application_assign(
    *,
    actor: Any,
    application: Application,
    department: Department | None = None,
    assigned_to: Any = None,
    on: dt.date | None = None,
) -> Application:
    """Hand the application to a 科室 and/or a clerk; it is then 办理中."""
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        if department is not None and department.agency_id != application.agency_id:
            raise ValidationFailed("承办科室须属于受理机关。")
        if assigned_to is not None and not can_work_in(assigned_to, application.agency):
            raise ValidationFailed("承办人须是受理机关的工作人员。")
        if department is None and assigned_to is None:
            raise ValidationFailed("请选择承办科室或承办人。")
        day = _check_on(application, on)
        changes: dict[str, Any] = {}
        if department is not None:
            changes["department"] = department
        if assigned_to is not None:
            changes["assigned_to"] = assigned_to
        application_transition(
            application=application,
            kind=EventKind.ASSIGNED,
            actor=actor,
            on=day,
            data={
                "department": department.pk if department else None,
                "assigned_to": assigned_to.pk if assigned_to else None,
            },
            changes=changes,
        )
    return application


def application_request_correction(
    *,
    actor: Any,
    application: Application,
    items: str,
    correction_due: dt.date,
    on: dt.date | None = None,
) -> Application:
    """条例第三十条: tell the applicant once, in writing, everything to add, with a deadline."""
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        if application.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists():
            raise CorrectionAlreadyRequested()
        if not items.strip():
            raise ValidationFailed("请写明需要补正的全部事项（条例第三十条：一次性告知）。")
        day = _check_on(application, on)
        if correction_due <= day:
            raise ValidationFailed("补正期限应晚于告知补正之日，并给申请人合理的时间。")
        late = application.correction_notice_due is not None and day > (
            application.correction_notice_due
        )
        application_transition(
            application=application,
            kind=EventKind.CORRECTION_REQUESTED,
            actor=actor,
            on=day,
            reason=items.strip(),
            data={"correction_due": correction_due, "late": late},
        )
    return application


def application_receive_correction(
    *, actor: Any, application: Application, note: str = "", on: dt.date | None = None
) -> Application:
    """条例第三十条: the reply clock restarts from the day the completed application arrives."""
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        day = _check_on(application, on)
        late = application.correction_due is not None and day > application.correction_due
        application_transition(
            application=application,
            kind=EventKind.CORRECTION_RECEIVED,
            actor=actor,
            on=day,
            reason=note.strip(),
            data={"late": late},
        )
    return application


def application_extend(
    *,
    actor: Any,
    application: Application,
    approved_by: Any,
    approved_on: dt.date,
    notified_on: dt.date,
    reason: str,
) -> Application:
    """条例第三十三条第一款: once, by 20 working days, approved by the head of the disclosure office
    (公开办管理员 or 分管领导), with the applicant notified before the original deadline."""
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        if application.events.filter(kind=EventKind.EXTENDED).exists():
            raise ExtensionAlreadyGranted()
        if approved_by is None or not can_approve_extension(approved_by, application.agency):
            raise PermissionDeniedError(
                "延长答复期限须经政府信息公开工作机构负责人（公开办管理员或分管领导）同意。"
            )
        if not reason.strip():
            raise ValidationFailed("请填写延长答复期限的理由。")
        if not allowed(EventKind.EXTENDED, application.status):
            raise InvalidTransition(
                f"申请当前为“{Status(application.status).label}”，不能延长答复期限。"
            )
        day = _check_on(application, notified_on)
        # Validates approval before notice and both before the original due date; a refused
        # extension raises here before anything is written.
        events = list(application.events.all())
        facts = clock_facts(application, events, clock.today())
        compute_deadlines(
            dataclasses.replace(facts, extension=Extension(approved_on, notified_on)),
            load_calendar(),
        )
        application_transition(
            application=application,
            kind=EventKind.EXTENDED,
            actor=actor,
            on=day,
            reason=reason.strip(),
            data={
                "approved_by": approved_by.pk,
                "approved_by_name": approved_by.get_full_name() or approved_by.get_username(),
                "approved_on": approved_on,
                "notified_on": notified_on,
            },
        )
    return application


def application_pause(
    *,
    actor: Any,
    application: Application,
    kind: str,
    party: str,
    on: dt.date | None = None,
) -> Application:
    """条例第三十二条 (third party) and 第三十四条 (other agencies): the wait does not count."""
    if kind not in PAUSE_KINDS:
        raise ValidationFailed("请选择征求意见的对象：第三方或其他机关。")
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        if not party.strip():
            raise ValidationFailed("请填写被征求意见的第三方或机关。")
        day = _check_on(application, on)
        application_transition(
            application=application,
            kind=EventKind.PAUSED,
            actor=actor,
            on=day,
            reason=party.strip(),
            data={"pause_kind": kind},
        )
    return application


def application_resume(
    *, actor: Any, application: Application, note: str = "", on: dt.date | None = None
) -> Application:
    """The opinion arrived (or the 15 working days of 条例第三十二条 passed in silence)."""
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        day = _check_on(application, on)
        application_transition(
            application=application,
            kind=EventKind.RESUMED,
            actor=actor,
            on=day,
            reason=note.strip(),
        )
    return application


def application_fee_notice(
    *,
    actor: Any,
    application: Application,
    method: str,
    quantity: int,
    notice_received_on: dt.date | None = None,
    on: dt.date | None = None,
) -> Application:
    """条例第四十二条、国办函〔2020〕109号: a fee notice within the reply period; 20 working days to
    pay from the day after the applicant receives it."""
    if method == "by_count":
        quote = quote_by_count(quantity)
    elif method == "by_pages":
        quote = quote_by_pages(quantity)
    else:
        raise ValidationFailed("请选择计收方式：按件计收或按量计收。")
    if quote.amount <= 0:
        raise ValidationFailed("按该数量不收取信息处理费，无需发出收费通知。")
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        day = _check_on(application, on)
        received = notice_received_on or day
        if received < day:
            raise ValidationFailed("申请人收到收费通知的日期不能早于发出日期。")
        application_transition(
            application=application,
            kind=EventKind.FEE_NOTIFIED,
            actor=actor,
            on=day,
            reason="\n".join(quote.explanation),
            data={
                "method": method,
                "quantity": quantity,
                "amount": quote.amount,
                "notice_received_on": received,
            },
            changes={"fee_amount": quote.amount},
        )
    return application


def application_fee_paid(
    *, actor: Any, application: Application, on: dt.date | None = None
) -> Application:
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        day = _check_on(application, on)
        application_transition(
            application=application,
            kind=EventKind.FEE_PAID,
            actor=actor,
            on=day,
            data={"amount": application.fee_amount},
        )
    return application


def application_reply(
    *,
    actor: Any,
    application: Application,
    reply_type: str,
    text: str,
    basis: str = "",
    named_agency: Agency | None = None,
    on: dt.date | None = None,
) -> Application:
    """The written reply (条例第三十六条 ff.). Its type decides the one table-3 row it lands in."""
    reply = REPLY_TYPE_BY_KEY.get(reply_type)
    if reply is None:
        raise ValidationFailed("请选择答复类型。")
    if not text.strip():
        raise ValidationFailed("请填写答复内容。")
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        if (
            reply_type == "still_unclear"
            and not application.events.filter(kind=EventKind.CORRECTION_RECEIVED).exists()
        ):
            # 条例第三十条: "still unclear" presupposes a 补正 that came back.
            raise ValidationFailed("只有告知补正并收到补正后，才能以“补正后仍不明确”答复。")
        if named_agency is not None and named_agency.pk == application.agency_id:
            raise ValidationFailed("告知的机关不能是本机关。")
        day = _check_on(application, on)
        application_transition(
            application=application,
            kind=EventKind.REPLIED,
            actor=actor,
            on=day,
            reason=text.strip(),
            data={
                "reply_type": reply_type,
                "outcome": reply.row,
                "to_agency": named_agency.pk if named_agency else None,
            },
            changes={
                "outcome": reply.row,
                "outcome_on": day,
                "reply_type": reply_type,
                "reply_basis": (basis.strip() or reply.basis)[:300],
                "reply_text": text.strip(),
                "transferred_to": named_agency,
            },
        )
    return application


def application_lapse(
    *, actor: Any, application: Application, reason: str = "", on: dt.date | None = None
) -> Application:
    """No 补正 by its deadline (条例第三十条) or no fee by its deadline: the office stops."""
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        day = _check_on(application, on)
        if application.status == Status.AWAITING_CORRECTION:
            due, outcome = application.correction_due, LAPSE_NO_CORRECTION
            waiting = "补正期限"
        elif application.status == Status.AWAITING_FEE:
            due, outcome = application.fee_due, LAPSE_NO_FEE
            waiting = "缴费期限"
        else:
            raise InvalidTransition(
                f"申请当前为“{Status(application.status).label}”，不能终止办理："
                "只有逾期未补正或逾期未缴费的申请可以终止。"
            )
        if due is not None and day <= due:
            raise ValidationFailed(f"{waiting}（{due.isoformat()}）尚未届满，不能终止办理。")
        application_transition(
            application=application,
            kind=EventKind.LAPSED,
            actor=actor,
            on=day,
            reason=reason.strip(),
            data={"outcome": outcome},
            changes={"outcome": outcome, "outcome_on": day},
        )
    return application


def application_withdraw(
    *, actor: Any, application: Application, reason: str = "", on: dt.date | None = None
) -> Application:
    """The applicant withdraws (recorded by staff). Table 3: 其他 (procedures.md §4)."""
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        day = _check_on(application, on)
        application_transition(
            application=application,
            kind=EventKind.WITHDRAWN,
            actor=actor,
            on=day,
            reason=reason.strip(),
            data={"outcome": WITHDRAWN_OUTCOME},
            changes={"outcome": WITHDRAWN_OUTCOME, "outcome_on": day},
        )
    return application


def application_transfer(
    *,
    actor: Any,
    application: Application,
    to_agency: Agency,
    text: str = "",
    on: dt.date | None = None,
) -> Application:
    """转办: the information is another agency's (条例第三十六条第五项). This agency replies that it
    does not hold it and names the other agency (table 3: `unable_not_held`); the platform hands the
    application to that agency, which receives it the same day as a new application."""
    if to_agency.pk == application.agency_id:
        raise ValidationFailed("不能转办给本机关。")
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        day = _check_on(application, on)
        contact = "；".join(
            part
            for part in (
                f"地址：{to_agency.address}" if to_agency.address else "",
                f"电话：{to_agency.phone}" if to_agency.phone else "",
            )
            if part
        )
        reply_text = text.strip() or (
            f"经查，您申请获取的政府信息不属于本机关负责公开，负责公开该信息的机关为{to_agency.name}"
            + (f"（{contact}）" if contact else "")
            + "。本机关已将您的申请转至该机关办理。"
        )
        new = _create(
            actor=actor,
            agency=to_agency,
            intake=Intake(**{name: getattr(application, name) for name in Intake.field_names()}),
            channel=application.channel,
            received_on=day,
            arrived_on=None,
            reason=f"由{application.agency.name}转来",
            data={"transferred_from": application.pk},
        )
        application_transition(
            application=application,
            kind=EventKind.TRANSFERRED,
            actor=actor,
            on=day,
            reason=reply_text,
            data={"to_agency": to_agency.pk, "outcome": "unable_not_held", "new": new.pk},
            changes={
                "outcome": "unable_not_held",
                "outcome_on": day,
                "reply_type": "not_held",
                "reply_basis": REPLY_TYPE_BY_KEY["not_held"].basis,
                "reply_text": reply_text,
                "transferred_to": to_agency,
            },
        )
    return application


def application_close(
    *, actor: Any, application: Application, on: dt.date | None = None
) -> Application:
    """归档: the file is complete. The outcome stays as it was."""
    with transaction.atomic():
        application = _lock(application)
        _check_handler(actor, application)
        day = _check_on(application, on)
        application_transition(application=application, kind=EventKind.CLOSED, actor=actor, on=day)
    return application


# --- Calendar changes -----------------------------------------------------------------------------


def application_deadlines_recompute(*, years: frozenset[int], actor: Any) -> int:
    """The recompute hook (core.calendar): when the working-day calendar of `years` changes,
    recompute every open application whose clocks may reach into those years, and log each
    changed deadline in its ledger and in the audit log. Returns the number of deadlines changed."""
    if not years:
        return 0
    calendar = load_calendar()
    today = clock.today()
    changed_total = 0
    with transaction.atomic():
        candidates = (
            Application.objects.select_for_update()
            .filter(status__in=OPEN_STATUSES, received_on__year__lte=max(years))
            .order_by("id")
        )
        for application in candidates:
            try:
                changed = _refresh_deadlines(application, calendar, today)
            except ValidationFailed as exc:
                # E.g. a recorded extension that the new calendar puts after the original deadline
                # (条例第三十三条). The calendar change must not be blocked by it: keep the stored
                # deadlines and log the problem where staff will see it.
                ApplicationEvent.objects.create(
                    application=application,
                    kind=EventKind.DEADLINE_RECOMPUTED,
                    from_status=application.status,
                    to_status=application.status,
                    actor=actor if actor is not None and actor.is_authenticated else None,
                    reason=f"节假日安排变更后无法重新计算期限，请人工核对：{exc.message}",
                    data={"error": exc.code},
                    at=clock.now(),
                    on_date=max(today, application.received_on),
                )
                audit_record(
                    actor=actor,
                    verb="application.deadline_recompute_failed",
                    target=application,
                    agency_id=application.agency_id,
                    data={"years": sorted(years), "error": exc.code},
                )
                continue
            if not changed:
                continue
            changed_total += len(changed)
            data = {name: [_iso(old), _iso(new)] for name, (old, new) in changed.items()}
            application.updated_at = clock.now()
            application.save(update_fields=[*changed, "updated_at"])
            ApplicationEvent.objects.create(
                application=application,
                kind=EventKind.DEADLINE_RECOMPUTED,
                from_status=application.status,
                to_status=application.status,
                actor=actor if actor is not None and actor.is_authenticated else None,
                reason="节假日安排变更，期限重新计算："
                + "、".join(str(y) for y in sorted(years))
                + "年。",
                data=data,
                at=clock.now(),
                on_date=max(today, application.received_on),
            )
            audit_record(
                actor=actor,
                verb="application.deadline_recomputed",
                target=application,
                agency_id=application.agency_id,
                data={"years": sorted(years), "changed": data},
            )
    return changed_total


def register_hooks() -> None:
    register_recompute_hook(application_deadlines_recompute)
