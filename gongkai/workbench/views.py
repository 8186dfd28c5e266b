"""Staff workbench views: authorise, bind a form, call one service, redirect or render."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.agencies.models import Role
from gongkai.agencies.permissions import (
    can_edit_calendar,
    can_manage_agency,
    must_use_second_factor,
    roles_in,
)
from gongkai.agencies.selectors import agencies_for_user, agency_get_for_user, memberships_for
from gongkai.agencies.services import agency_update_profile
from gongkai.applications.selectors import deadline_warnings
from gongkai.core import clock
from gongkai.core.calendar import load_calendar
from gongkai.core.exceptions import DomainError, NotFoundError
from gongkai.core.models import CalendarYear, WorkdayOverride
from gongkai.core.services import calendar_import, workday_override_delete
from gongkai.core.workdays import package_knows_year
from gongkai.workbench.access import forbidden, needs_second_factor, staff_required
from gongkai.workbench.forms import AgencyProfileForm, CalendarImportForm, LoginForm, TokenForm


def login_view(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or "/workbench/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/workbench/"
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        if needs_second_factor(request):
            request.session["gk_after_otp"] = target
            return redirect("workbench:otp")
        return redirect(target)
    return render(request, "workbench/login.html", {"form": form, "next": target})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("portal:home")


def otp_view(request: HttpRequest) -> HttpResponse:
    """Verify the TOTP code; a user who must have a device and has none enrols one here."""
    user: Any = request.user
    if not user.is_authenticated:
        return redirect("workbench:login")
    device = user.totpdevice_set.filter(confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = user.totpdevice_set.filter(confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="默认设备", confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            target = request.session.pop("gk_after_otp", "/workbench/")
            return redirect(target)
        form.add_error("token", "验证码不正确或已过期，请重新输入。")
    qr_svg = ""
    secret = ""
    if enrolling:
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        buffer = io.BytesIO()
        image.save(buffer)
        qr_svg = base64.b64encode(buffer.getvalue()).decode()
        secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "workbench/otp.html",
        {"form": form, "enrolling": enrolling, "qr_svg": qr_svg, "secret": secret},
    )


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    memberships = memberships_for(user)
    agencies = list(agencies_for_user(user))
    rows = [
        {
            "agency": agency,
            "roles": [Role(r).label for r in sorted(roles_in(user, agency))],
            "supervised_only": not roles_in(user, agency),
        }
        for agency in agencies
    ]
    next_year = clock.today().year + 1
    calendar = load_calendar()
    waiting: list[dict[str, str]] = []
    if not calendar.year_known(next_year) and can_edit_calendar(user):
        waiting.append(
            {
                "title": f"{next_year}年节假日安排尚未录入",
                "detail": "跨年的办理期限目前按周一至周五暂定。国务院办公厅通知发布后请及时录入。",
                "url": "/workbench/calendar/",
            }
        )
    # Applications: overdue and due within 5/3/1 working days (the stored, ledger-derived deadlines).
    deadlines = deadline_warnings(user, calendar=calendar)
    return render(
        request,
        "workbench/home.html",
        {
            "rows": rows,
            "memberships": memberships,
            "waiting": waiting,
            "deadlines": deadlines,
            "deadline_rows": deadlines.rows[:30],
            "must_2fa": must_use_second_factor(user),
            "can_edit_calendar": can_edit_calendar(user),
        },
    )


@staff_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    if not can_edit_calendar(request.user):
        return forbidden(request)
    form = CalendarImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = calendar_import(
                actor=request.user,
                text=form.cleaned_data["text"],
                source=form.cleaned_data["source"],
                mark_years_entered=form.cleaned_data["mark_years_entered"],
            )
        except DomainError as exc:
            form.add_error("text", exc.message)
        else:
            year_names = "、".join(f"{y}年" for y in result.years)
            messages.success(
                request,
                f"已录入{year_names}节假日安排：新增{result.created}条，修改{result.changed}条；"
                f"重新计算期限{result.deadlines_recomputed}个。",
            )
            return redirect("workbench:calendar")
    this_year = clock.today().year
    years = []
    entered = set(CalendarYear.objects.values_list("year", flat=True))
    for year in range(this_year - 1, this_year + 3):
        years.append(
            {
                "year": year,
                "status": (
                    "已录入"
                    if year in entered
                    else "内置数据"
                    if package_knows_year(year)
                    else "未录入（暂定）"
                ),
                "known": year in entered or package_knows_year(year),
            }
        )
    overrides = WorkdayOverride.objects.filter(date__year__gte=this_year - 1)
    return render(
        request,
        "workbench/calendar.html",
        {"form": form, "years": years, "overrides": overrides},
    )


@staff_required
@require_POST
def calendar_delete(request: HttpRequest, day: str) -> HttpResponse:
    if not can_edit_calendar(request.user):
        return forbidden(request)
    try:
        workday_override_delete(actor=request.user, day=dt.date.fromisoformat(day))
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "日期格式不正确。"))
    else:
        messages.success(request, f"已删除 {day} 的调整。")
    return redirect("workbench:calendar")


@staff_required
def agency_profile(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        agency = agency_get_for_user(request.user, slug)
    except NotFoundError:
        return forbidden(request)
    if not can_manage_agency(request.user, agency):
        return forbidden(request)
    form = AgencyProfileForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            agency_update_profile(actor=request.user, agency=agency, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "机关资料已保存。")
            return redirect("workbench:agency_profile", slug=slug)
    return render(request, "workbench/agency_profile.html", {"agency": agency, "form": form})
