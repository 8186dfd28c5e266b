"""The HTTP API, version 1 (django-ninja). OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

import datetime as dt

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import agencies_public, agency_get_public
from gongkai.api.applications import router as applications_router
from gongkai.api.schemas import INVALID_REQUEST, NOT_SIGNED_IN, ErrorOut, InvalidOut, Text
from gongkai.core.calendar import load_calendar
from gongkai.core.exceptions import NotFoundError
from gongkai.core.workdays import CalendarInputError, add_workdays

api = NinjaAPI(
    title="Gongkai 政府信息公开平台 API",
    version="1",
    description="公开接口：机关列表、工作日计算。工作人员接口需登录。",
    urls_namespace="api-v1",
)
api.add_router("/", applications_router)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database cannot be reached: a clear 503, nothing half-written (services are atomic)."""
    response = api.create_response(
        request, {"detail": "数据服务暂时不可用，请稍后重试；本次提交未被保存。"}, status=503
    )
    response["Retry-After"] = "30"
    return response


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Parameters or body that do not match the operation: 422, a Chinese summary, each field named."""
    errors = [
        {
            "location": ".".join(str(part) for part in error.get("loc", ())),
            "type": str(error.get("type", "")),
            "message": str(error.get("msg", "")),
        }
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": INVALID_REQUEST, "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": NOT_SIGNED_IN, "errors": {}}, status=401)


class AgencyOut(Schema):
    slug: str
    name: str
    short_name: str
    level: str
    parent: str | None


class WorkdaysOut(Schema):
    start: dt.date
    days: int
    due_date: dt.date
    provisional: bool
    explanation: list[str]


def _agency_out(agency: Agency) -> AgencyOut:
    parent = agency.parent
    return AgencyOut(
        slug=agency.slug,
        name=agency.name,
        short_name=agency.short_name,
        level=agency.level,
        parent=parent.slug if parent else None,
    )


@api.get("/agencies", response={200: list[AgencyOut]}, summary="公开主体列表")
def list_agencies(request: HttpRequest) -> list[AgencyOut]:
    return [_agency_out(a) for a in agencies_public()]


@api.get(
    "/agencies/{slug}",
    response={200: AgencyOut, 404: ErrorOut, 422: InvalidOut},
    summary="公开主体详情",
)
def get_agency(request: HttpRequest, slug: Text) -> AgencyOut:
    try:
        return _agency_out(agency_get_public(slug))
    except NotFoundError as exc:
        raise HttpError(404, exc.message) from None


@api.get(
    "/workdays/add",
    response={200: WorkdaysOut, 422: InvalidOut},
    summary="计算某日之后第N个工作日",
)
def workdays_add(request: HttpRequest, start: dt.date, days: int) -> WorkdaysOut:
    try:
        period = add_workdays(load_calendar(), start, days)
    except CalendarInputError as exc:
        raise HttpError(422, str(exc)) from None
    except OverflowError:
        raise HttpError(422, "日期超出可计算的范围。") from None
    return WorkdaysOut(
        start=start,
        days=days,
        due_date=period.due,
        provisional=period.provisional,
        explanation=list(period.explanation),
    )
