"""The HTTP API, version 1 (django-ninja). OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from gongkai.agencies.selectors import agencies_public, agency_get_public
from gongkai.core.calendar import load_calendar
from gongkai.core.exceptions import NotFoundError
from gongkai.core.workdays import CalendarInputError, add_workdays

api = NinjaAPI(
    title="Gongkai 政府信息公开平台 API",
    version="1",
    description="公开接口：机关列表、工作日计算。工作人员接口需登录。",
    urls_namespace="api-v1",
)


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


def _agency_out(agency: object) -> AgencyOut:
    parent = getattr(agency, "parent", None)
    return AgencyOut(
        slug=agency.slug,  # type: ignore[attr-defined]
        name=agency.name,  # type: ignore[attr-defined]
        short_name=agency.short_name,  # type: ignore[attr-defined]
        level=agency.level,  # type: ignore[attr-defined]
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
