"""Public pages of 依申请公开: the online application form, tracking, and the deadline calculator.

Abuse controls without third-party services: a honeypot field that people never see, and a per-IP
limit on submissions and on tracking look-ups (`core.ratelimit`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from gongkai.agencies.selectors import agency_get_public
from gongkai.applications.deadlines import public_calculator
from gongkai.applications.exceptions import ApplicationInvalid
from gongkai.applications.intake import Intake, intake_errors
from gongkai.applications.models import Application
from gongkai.applications.selectors import (
    application_clocks,
    application_events,
    application_get_for_applicant,
)
from gongkai.applications.services import application_submit_online
from gongkai.applications.states import EventKind, Status
from gongkai.core import clock
from gongkai.core.calendar import load_calendar
from gongkai.core.exceptions import DomainError, NotFoundError
from gongkai.core.ratelimit import APPLY, TRACK
from gongkai.portal.views import page_not_found

SESSION_DONE = "gk_application_done"
# The events an applicant sees on the tracking page (internal steps such as 分办 are left out).
PUBLIC_EVENTS = frozenset(
    {
        EventKind.RECEIVED,
        EventKind.CORRECTION_REQUESTED,
        EventKind.CORRECTION_RECEIVED,
        EventKind.EXTENDED,
        EventKind.PAUSED,
        EventKind.RESUMED,
        EventKind.FEE_NOTIFIED,
        EventKind.FEE_PAID,
        EventKind.REPLIED,
        EventKind.TRANSFERRED,
        EventKind.LAPSED,
        EventKind.WITHDRAWN,
    }
)


def _style(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        widget.attrs.setdefault("class", css)
        widget.attrs.setdefault("aria-describedby", f"id_{form.add_prefix(name)}-err")


class ApplyForm(forms.ModelForm):
    # A field people never see (hidden with CSS); software that fills every field fills it too.
    website = forms.CharField(label="网址（请勿填写）", required=False)
    attachment = forms.FileField(
        label="附件（选填：身份证明等，PDF、JPG、PNG、DOCX、OFD，10MB以内）", required=False
    )

    class Meta:
        model = Application
        fields = [
            "applicant_type",
            "applicant_name",
            "contact_person",
            "id_type",
            "id_number",
            "phone",
            "email",
            "address",
            "postcode",
            "description",
            "purpose",
            "form_wanted",
            "delivery",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"contact_person": "联系人（法人或其他组织填写）"}
        help_texts = {
            "description": "请写明信息的名称、文号，或者便于行政机关查询的其他特征（条例第二十九条）。",
            "phone": "用于查询办理进度，请填写手机号码或带区号的固定电话。",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.TypedChoiceField):
                choices: list[Any] = list(cast(Any, field).choices)
                field.choices = [("", "请选择"), *(c for c in choices if c[0])]
            field.error_messages["required"] = f"请填写{field.label}。"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        intake = Intake(**{name: data.get(name) or "" for name in Intake.field_names()})
        for field, message in intake_errors(intake).items():
            if field not in self.errors:
                self.add_error(field, message)
        return data

    def intake(self) -> Intake:
        return Intake(**{name: self.cleaned_data.get(name) or "" for name in Intake.field_names()})


def apply(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        agency = agency_get_public(slug)
    except NotFoundError:
        return page_not_found(request)
    form = ApplyForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if APPLY.hit(request):
            form.add_error(None, "提交过于频繁，请一小时后再试，或通过信函、当面等方式提交申请。")
            status = 429
        elif request.POST.get("website"):
            form.add_error(None, "提交未成功，请刷新页面后重新填写。")
            status = 400
        elif form.is_valid():
            try:
                upload = form.cleaned_data.get("attachment")
                application = application_submit_online(
                    agency=agency, intake=form.intake(), attachments=[upload] if upload else []
                )
            except ApplicationInvalid as exc:
                for field, message in exc.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                request.session[SESSION_DONE] = application.pk
                return redirect("portal:apply_done", slug=agency.slug)
    return render(
        request, "portal/applications/apply.html", {"agency": agency, "form": form}, status=status
    )


@never_cache
def apply_done(request: HttpRequest, slug: str) -> HttpResponse:
    """The confirmation: shown once, to the browser that submitted (the pk is in its session)."""
    pk = request.session.get(SESSION_DONE)
    application = (
        Application.objects.select_related("agency").filter(pk=pk, agency__slug=slug).first()
        if pk
        else None
    )
    if application is None:
        return redirect("portal:track")
    return render(
        request,
        "portal/applications/apply_done.html",
        {"application": application, "clocks": application_clocks(application)},
    )


class TrackForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20)
    phone = forms.CharField(label="申请时填写的联系电话", max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = "请填写查询码。"
        self.fields["phone"].error_messages["required"] = "请填写联系电话。"
        _style(self)


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        if TRACK.hit(request):
            form.add_error(None, "查询过于频繁，请一小时后再试。")
            status = 429
        else:
            try:
                application = application_get_for_applicant(
                    form.cleaned_data["code"], form.cleaned_data["phone"]
                )
            except NotFoundError as exc:
                form.add_error(None, exc.message)
            else:
                events = [e for e in application_events(application) if e.kind in PUBLIC_EVENTS]
                context.update(
                    {
                        "application": application,
                        "events": events,
                        "clocks": application_clocks(application)
                        if application.status != Status.CLOSED
                        else None,
                    }
                )
    return render(request, "portal/applications/track.html", context, status=status)


class DeadlineForm(forms.Form):
    received = forms.DateField(label="收到申请之日", widget=forms.DateInput(attrs={"type": "date"}))
    correction_requested = forms.DateField(
        label="告知补正之日（如有）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    correction_received = forms.DateField(
        label="收到补正之日（如有）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    consultation_start = forms.DateField(
        label="征求意见开始之日（如有）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    consultation_end = forms.DateField(
        label="征求意见结束之日（如有）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    extended = forms.BooleanField(label="已依法延长答复期限（20个工作日）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = f"请填写{field.label}。"
            field.error_messages["invalid"] = "日期格式不正确，请按“2024-02-05”的格式填写。"
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("consultation_start"), data.get("consultation_end")
        if (start is None) != (end is None):
            self.add_error("consultation_end", "征求意见的开始和结束日期须同时填写。")
        for name in ("received", "correction_requested", "correction_received"):
            day = data.get(name)
            if isinstance(day, dt.date) and not 2000 <= day.year <= clock.today().year + 2:
                self.add_error(name, "日期超出可计算的范围。")
        return data


def deadline_tool(request: HttpRequest) -> HttpResponse:
    form = DeadlineForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        consultations = []
        if data.get("consultation_start") and data.get("consultation_end"):
            consultations.append((data["consultation_start"], data["consultation_end"]))
        try:
            result = public_calculator(
                data["received"],
                data.get("correction_requested"),
                data.get("correction_received"),
                consultations,
                data.get("extended", False),
                calendar=load_calendar(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
    return render(request, "portal/applications/deadline.html", {"form": form, "result": result})
