"""The HTTP API, version 1 (django-ninja). OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

import datetime as dt

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import agencies_public, agency_get_public
from gongkai.api.applications import router as applications_router
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


@api.get("/agencies", response=list[AgencyOut], summary="公开主体列表")
def list_agencies(request: HttpRequest) -> list[AgencyOut]:
    return [_agency_out(a) for a in agencies_public()]


@api.get("/agencies/{slug}", response=AgencyOut, summary="公开主体详情")
def get_agency(request: HttpRequest, slug: str) -> AgencyOut:
    try:
        return _agency_out(agency_get_public(slug))
    except NotFoundError as exc:
        raise HttpError(404, exc.message) from None


@api.get("/workdays/add", response=WorkdaysOut, summary="计算某日之后第N个工作日")
def workdays_add(request: HttpRequest, start: dt.date, days: int) -> WorkdaysOut:
    try:
        period = add_workdays(load_calendar(), start, days)
    except CalendarInputError as exc:
        raise HttpError(422, str(exc)) from None
    return WorkdaysOut(
        start=start,
        days=days,
        due_date=period.due,
        provisional=period.provisional,
        explanation=list(period.explanation),
    )
