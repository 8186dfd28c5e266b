"""API for applications (依申请公开): public submission and tracking, and staff reads and replies.

Public endpoints need no account; tracking needs the 查询码 and the phone number together. Staff
endpoints use the workbench session (and its CSRF token for writes); what a user can see is decided
by the applications selectors, so another agency's application is a 404, never a leak.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from gongkai.agencies.selectors import agency_get_public
from gongkai.api.schemas import ErrorOut, InvalidOut, Text
from gongkai.applications.intake import Intake, intake_errors
from gongkai.applications.models import Application
from gongkai.applications.selectors import (
    application_get_for_applicant,
    application_get_for_user,
    application_queue,
)
from gongkai.applications.services import application_reply, application_submit_online
from gongkai.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from gongkai.core.ratelimit import APPLY, TRACK

router = Router(tags=["依申请公开"])


class ApplicationIn(Schema):
    agency: Text
    applicant_type: Text
    applicant_name: Text
    id_type: Text
    id_number: Text
    phone: Text
    description: Text
    form_wanted: Text
    delivery: Text
    contact_person: Text = ""
    email: Text = ""
    address: Text = ""
    postcode: Text = ""
    purpose: Text = ""


class SubmittedOut(Schema):
    tracking_code: str
    received_on: dt.date
    reply_due: dt.date | None
    provisional: bool


class StatusOut(Schema):
    tracking_code: str
    agency: str
    status: str
    status_label: str
    received_on: dt.date
    reply_due: dt.date | None
    provisional: bool
    outcome: str | None
    reply_text: str


class CaseOut(Schema):
    id: int
    tracking_code: str
    agency: str
    applicant_name: str
    phone_masked: str
    status: str
    received_on: dt.date
    reply_due: dt.date | None
    workdays_left: int | None = None


class ReplyIn(Schema):
    reply_type: Text
    text: Text
    basis: Text = ""


def _status_out(application: Application) -> StatusOut:
    return StatusOut(
        tracking_code=application.tracking_code,
        agency=application.agency.name,
        status=application.status,
        status_label=application.get_status_display(),
        received_on=application.received_on,
        reply_due=application.reply_due,
        provisional=application.provisional,
        outcome=application.outcome or None,
        reply_text=application.reply_text,
    )


@router.post(
    "/applications",
    response={201: SubmittedOut, 400: ErrorOut, 404: ErrorOut, 422: InvalidOut, 429: ErrorOut},
    summary="提交政府信息公开申请",
)
def submit(request: HttpRequest, payload: ApplicationIn) -> Status[Any]:
    # Per-address limit on accepted submissions (spam defence needing no third-party service):
    # counted before the work, so that parallel requests cannot all pass, and given back when the
    # submission is not accepted (a client correcting a rejected payload is not spamming).
    if APPLY.hit(request):
        APPLY.release(request)
        return Status(429, ErrorOut(detail="提交过于频繁，请一小时后再试。"))
    accepted = False
    try:
        try:
            agency = agency_get_public(payload.agency)
        except NotFoundError as exc:
            return Status(404, ErrorOut(detail=exc.message))
        intake = Intake(**payload.dict(exclude={"agency"}))
        errors = intake_errors(intake)
        if errors:
            return Status(400, ErrorOut(detail="申请内容不完整或有误。", errors=errors))
        try:
            application = application_submit_online(agency=agency, intake=intake)
        except DomainError as exc:
            return Status(400, ErrorOut(detail=exc.message))
        accepted = True
    finally:
        if not accepted:
            APPLY.release(request)
    return Status(
        201,
        SubmittedOut(
            tracking_code=application.tracking_code,
            received_on=application.received_on,
            reply_due=application.reply_due,
            provisional=application.provisional,
        ),
    )


class TrackIn(Schema):
    code: Text
    phone: Text


@router.post(
    "/applications/track",
    response={200: StatusOut, 404: ErrorOut, 422: InvalidOut, 429: ErrorOut},
    summary="凭查询码和联系电话查询办理进度",
    url_name="track",
)
def track_post(request: HttpRequest, payload: TrackIn) -> Status[Any]:
    """The phone number travels in the body: it stays out of URLs, browser histories and logs."""
    return _track(request, payload.code, payload.phone)


@router.get(
    "/applications/track",
    response={200: StatusOut, 404: ErrorOut, 422: InvalidOut, 429: ErrorOut},
    summary="凭查询码和联系电话查询办理进度（旧接口，请改用 POST）",
    deprecated=True,
)
def track(request: HttpRequest, code: Text, phone: Text) -> Status[Any]:
    return _track(request, code, phone)


def _track(request: HttpRequest, code: str, phone: str) -> Status[Any]:
    # The same per-address limit as the portal's tracking form (GONGKAI_TRACK_PER_HOUR): guessing
    # 查询码 and phone pairs must not be cheaper through the API.
    if TRACK.hit(request):
        return Status(429, ErrorOut(detail="查询过于频繁，请一小时后再试。"))
    try:
        return Status(200, _status_out(application_get_for_applicant(code, phone)))
    except NotFoundError as exc:
        return Status(404, ErrorOut(detail=exc.message))


@router.get(
    "/staff/applications",
    response={200: list[CaseOut], 401: ErrorOut, 422: InvalidOut},
    auth=django_auth,
    summary="我的待办申请（按期限排序）",
)
def staff_queue(request: HttpRequest, view: Text = "open") -> list[CaseOut]:
    rows = application_queue(request.user, view=view)
    return [
        CaseOut(
            id=row.application.pk,
            tracking_code=row.application.tracking_code,
            agency=row.application.agency.name,
            applicant_name=row.application.applicant_name,
            phone_masked=row.application.phone_masked,
            status=row.application.status,
            received_on=row.application.received_on,
            reply_due=row.application.reply_due,
            workdays_left=row.workdays_left,
        )
        for row in rows
    ]


@router.get(
    "/staff/applications/{application_id}",
    response={200: StatusOut, 401: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    auth=django_auth,
    summary="申请详情",
)
def staff_detail(request: HttpRequest, application_id: int) -> Status[Any]:
    try:
        return Status(200, _status_out(application_get_for_user(request.user, application_id)))
    except NotFoundError as exc:
        return Status(404, ErrorOut(detail=exc.message))


@router.post(
    "/staff/applications/{application_id}/reply",
    response={
        200: StatusOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: InvalidOut,
    },
    auth=django_auth,
    summary="答复申请",
)
def staff_reply(request: HttpRequest, application_id: int, payload: ReplyIn) -> Status[Any]:
    try:
        application = application_get_for_user(request.user, application_id)
        application = application_reply(
            actor=request.user,
            application=application,
            reply_type=payload.reply_type,
            text=payload.text,
            basis=payload.basis,
        )
    except NotFoundError as exc:
        return Status(404, ErrorOut(detail=exc.message))
    except PermissionDeniedError as exc:
        return Status(403, ErrorOut(detail=exc.message))
    except DomainError as exc:
        return Status(400, ErrorOut(detail=exc.message))
    return Status(200, _status_out(application))
