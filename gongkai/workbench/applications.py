"""Workbench pages of 依申请公开: the queue, staff entry, the case page and its actions.

Each view authorises, binds a form, calls one service and redirects or renders. Which actions a case
page offers follows `states.TRANSITIONS`; the services enforce the rules again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency, Department, Role
from gongkai.agencies.permissions import can_work_in
from gongkai.agencies.selectors import agencies_for_user, agencies_public
from gongkai.applications.exceptions import ApplicationInvalid, InvalidTransition
from gongkai.applications.intake import Intake, intake_errors
from gongkai.applications.models import Application, Channel
from gongkai.applications.notices import (
    fee_notice_docx,
    fee_notice_pdf,
    reply_notice_docx,
    reply_notice_pdf,
)
from gongkai.applications.permissions import can_handle
from gongkai.applications.selectors import (
    QUEUE_VIEWS,
    application_clocks,
    application_events,
    application_get_for_user,
    application_queue,
    applications_similar_earlier,
    attachment_get_for_user,
)
from gongkai.applications.services import (
    application_assign,
    application_attach,
    application_close,
    application_extend,
    application_fee_notice,
    application_fee_paid,
    application_lapse,
    application_pause,
    application_receive_correction,
    application_register,
    application_reply,
    application_request_correction,
    application_resume,
    application_transfer,
    application_withdraw,
)
from gongkai.applications.states import REPLY_TYPE_CHOICES, EventKind, allowed_kinds
from gongkai.core import clock
from gongkai.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from gongkai.remedies.models import CaseKind, CaseOutcome
from gongkai.remedies.selectors import case_get_for_user, cases_for_application
from gongkai.remedies.services import case_create, case_decide
from gongkai.workbench.access import forbidden, staff_required

DATE = forms.DateInput(attrs={"type": "date"})


def _style(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)
        widget.attrs.setdefault("aria-describedby", f"id_{form.add_prefix(name)}-err")
        field.error_messages.setdefault("required", f"请填写{field.label}。")
        field.error_messages["required"] = f"请填写{field.label}。"
        if isinstance(field, forms.DateField):
            field.error_messages["invalid"] = "日期格式不正确，请按“2024-02-05”的格式填写。"
        if isinstance(field, forms.ChoiceField):
            field.error_messages["invalid_choice"] = "请从列表中选择。"


def _model_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


class StyledForm(forms.Form):
    def __init__(self, *args: Any, application: Application | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        self.setup()
        _style(self)

    def setup(self) -> None:
        """Narrow the choices to the application's agency (overridden where needed)."""


def _on_field() -> forms.DateField:
    return forms.DateField(label="办理日期（默认今天）", required=False, widget=DATE)


# --- Staff entry ---------------------------------------------------------------------------------


class RegisterForm(forms.ModelForm):
    agency = forms.ModelChoiceField(label="受理机关", queryset=Agency.objects.none())
    channel = forms.ChoiceField(
        label="提交方式", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    arrived_on = forms.DateField(
        label="送达日期（平信必填：来信到达之日；传真、电子邮件：到达之日）",
        required=False,
        widget=DATE,
    )
    received_on = forms.DateField(
        label="收到申请之日",
        widget=DATE,
        help_text="当面提交：提交之日；邮寄签收：签收之日；平信：与申请人确认收到之日；"
        "传真、电子邮件：双方确认之日（条例第三十一条）。",
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
            "description": forms.Textarea(attrs={"rows": 4}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "agency").queryset = agencies
        _model_field(self, "agency").empty_label = None
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


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    agencies = [a for a in agencies_for_user(user) if can_work_in(user, a)]
    if not agencies:
        return forbidden(request)
    queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])
    form = RegisterForm(
        request.POST or None,
        agencies=queryset,
        initial={"received_on": clock.today(), "channel": Channel.IN_PERSON},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = application_register(
                actor=user,
                agency=form.cleaned_data["agency"],
                intake=form.intake(),
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
                arrived_on=form.cleaned_data.get("arrived_on"),
            )
        except ApplicationInvalid as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"申请已登记，查询码 {application.tracking_code}。")
            return redirect("workbench:application", pk=application.pk)
    return render(request, "workbench/applications/new.html", {"form": form})


# --- The queue -----------------------------------------------------------------------------------

VIEW_NAMES = {
    "open": "办理中",
    "due_soon": "即将到期（5个工作日内）",
    "overdue": "已超期",
    "expired": "补正或缴费已逾期",
    "finished": "已办结",
}


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "open")
    if view not in QUEUE_VIEWS:
        view = "open"
    rows = application_queue(request.user, view=view)
    return render(
        request,
        "workbench/applications/queue.html",
        {
            "rows": rows,
            "view": view,
            "views": VIEW_NAMES.items(),
            "can_register": any(
                can_work_in(request.user, a) for a in agencies_for_user(request.user)
            ),
        },
    )


# --- Action forms --------------------------------------------------------------------------------


class AssignForm(StyledForm):
    department = forms.ModelChoiceField(
        label="承办科室", queryset=Department.objects.none(), required=False
    )
    assigned_to = forms.ModelChoiceField(
        label="承办人", queryset=get_user_model().objects.none(), required=False
    )
    on = _on_field()

    def setup(self) -> None:
        assert self.application is not None  # noqa: S101
        agency = self.application.agency
        _model_field(self, "department").queryset = Department.objects.filter(
            agency=agency, is_active=True
        )
        _model_field(self, "assigned_to").queryset = (
            get_user_model()
            .objects.filter(memberships__agency=agency)
            .exclude(memberships__role=Role.SUPERVISOR)
            .distinct()
            .order_by("username")
        )


class CorrectionForm(StyledForm):
    items = forms.CharField(label="需要补正的全部事项", widget=forms.Textarea(attrs={"rows": 3}))
    correction_due = forms.DateField(label="补正期限", widget=DATE)
    on = _on_field()


class NoteForm(StyledForm):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    on = _on_field()


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label="理由或说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    on = _on_field()


class OnForm(StyledForm):
    on = _on_field()


class PauseForm(StyledForm):
    kind = forms.ChoiceField(
        label="征求意见的对象",
        choices=[
            ("third_party", "第三方（条例第三十二条）"),
            ("other_agency", "其他机关（条例第三十四条）"),
        ],
    )
    party = forms.CharField(label="被征求意见的第三方或机关", max_length=100)
    on = _on_field()


class ExtendForm(StyledForm):
    approved_by = forms.ModelChoiceField(
        label="批准人（公开办管理员或分管领导）", queryset=get_user_model().objects.none()
    )
    approved_on = forms.DateField(label="批准日期", widget=DATE)
    notified_on = forms.DateField(label="告知申请人日期", widget=DATE)
    reason = forms.CharField(label="延长理由", widget=forms.Textarea(attrs={"rows": 2}))

    def setup(self) -> None:
        assert self.application is not None  # noqa: S101
        _model_field(self, "approved_by").queryset = (
            get_user_model()
            .objects.filter(
                memberships__agency=self.application.agency,
                memberships__role__in=[Role.OFFICE_ADMIN, Role.LEADER],
            )
            .distinct()
            .order_by("username")
        )


class FeeForm(StyledForm):
    method = forms.ChoiceField(
        label="计收方式",
        choices=[
            ("by_pages", "按量计收（本申请的页数）"),
            ("by_count", "按件计收（本月申请件数）"),
        ],
    )
    quantity = forms.IntegerField(label="数量（页数或件数）", min_value=1, max_value=10_000_000)
    notice_received_on = forms.DateField(
        label="申请人收到收费通知之日（默认同发出日）", required=False, widget=DATE
    )
    on = _on_field()


class ReplyForm(StyledForm):
    reply_type = forms.ChoiceField(label="答复类型", choices=REPLY_TYPE_CHOICES)
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 4}))
    basis = forms.CharField(label="法律依据（留空则使用默认依据）", required=False, max_length=300)
    named_agency = forms.ModelChoiceField(
        label="告知的其他机关（本机关不掌握时填写）",
        queryset=Agency.objects.none(),
        required=False,
    )
    on = _on_field()

    def setup(self) -> None:
        assert self.application is not None  # noqa: S101
        _model_field(self, "named_agency").queryset = agencies_public().exclude(
            pk=self.application.agency_id
        )


class TransferForm(StyledForm):
    to_agency = forms.ModelChoiceField(label="转至机关", queryset=Agency.objects.none())
    text = forms.CharField(
        label="告知申请人的内容（留空则自动生成）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    on = _on_field()

    def setup(self) -> None:
        assert self.application is not None  # noqa: S101
        _model_field(self, "to_agency").queryset = agencies_public().exclude(
            pk=self.application.agency_id
        )


Handler = Callable[[Any, Application, dict[str, Any]], Application]


@dataclass(frozen=True)
class Action:
    kind: str
    label: str
    form: type[StyledForm]
    handler: Handler


ACTIONS: dict[str, Action] = {
    "assign": Action(
        EventKind.ASSIGNED,
        "分办",
        AssignForm,
        lambda actor, app, d: application_assign(
            actor=actor,
            application=app,
            department=d.get("department"),
            assigned_to=d.get("assigned_to"),
            on=d.get("on"),
        ),
    ),
    "request_correction": Action(
        EventKind.CORRECTION_REQUESTED,
        "告知补正",
        CorrectionForm,
        lambda actor, app, d: application_request_correction(
            actor=actor,
            application=app,
            items=d["items"],
            correction_due=d["correction_due"],
            on=d.get("on"),
        ),
    ),
    "receive_correction": Action(
        EventKind.CORRECTION_RECEIVED,
        "收到补正",
        NoteForm,
        lambda actor, app, d: application_receive_correction(
            actor=actor, application=app, note=d.get("note", ""), on=d.get("on")
        ),
    ),
    "pause": Action(
        EventKind.PAUSED,
        "征求意见（暂停计时）",
        PauseForm,
        lambda actor, app, d: application_pause(
            actor=actor, application=app, kind=d["kind"], party=d["party"], on=d.get("on")
        ),
    ),
    "resume": Action(
        EventKind.RESUMED,
        "收到意见（恢复计时）",
        NoteForm,
        lambda actor, app, d: application_resume(
            actor=actor, application=app, note=d.get("note", ""), on=d.get("on")
        ),
    ),
    "extend": Action(
        EventKind.EXTENDED,
        "延长答复期限",
        ExtendForm,
        lambda actor, app, d: application_extend(
            actor=actor,
            application=app,
            approved_by=d["approved_by"],
            approved_on=d["approved_on"],
            notified_on=d["notified_on"],
            reason=d["reason"],
        ),
    ),
    "fee_notice": Action(
        EventKind.FEE_NOTIFIED,
        "发出收费通知",
        FeeForm,
        lambda actor, app, d: application_fee_notice(
            actor=actor,
            application=app,
            method=d["method"],
            quantity=d["quantity"],
            notice_received_on=d.get("notice_received_on"),
            on=d.get("on"),
        ),
    ),
    "fee_paid": Action(
        EventKind.FEE_PAID,
        "已缴费",
        OnForm,
        lambda actor, app, d: application_fee_paid(actor=actor, application=app, on=d.get("on")),
    ),
    "reply": Action(
        EventKind.REPLIED,
        "作出答复",
        ReplyForm,
        lambda actor, app, d: application_reply(
            actor=actor,
            application=app,
            reply_type=d["reply_type"],
            text=d["text"],
            basis=d.get("basis", ""),
            named_agency=d.get("named_agency"),
            on=d.get("on"),
        ),
    ),
    "transfer": Action(
        EventKind.TRANSFERRED,
        "转办其他机关",
        TransferForm,
        lambda actor, app, d: application_transfer(
            actor=actor,
            application=app,
            to_agency=d["to_agency"],
            text=d.get("text", ""),
            on=d.get("on"),
        ),
    ),
    "lapse": Action(
        EventKind.LAPSED,
        "逾期终止办理",
        ReasonForm,
        lambda actor, app, d: application_lapse(
            actor=actor, application=app, reason=d.get("reason", ""), on=d.get("on")
        ),
    ),
    "withdraw": Action(
        EventKind.WITHDRAWN,
        "申请人撤回",
        ReasonForm,
        lambda actor, app, d: application_withdraw(
            actor=actor, application=app, reason=d.get("reason", ""), on=d.get("on")
        ),
    ),
    "close": Action(
        EventKind.CLOSED,
        "归档",
        OnForm,
        lambda actor, app, d: application_close(actor=actor, application=app, on=d.get("on")),
    ),
}


# --- Remedies forms ------------------------------------------------------------------------------


class CaseForm(StyledForm):
    kind = forms.ChoiceField(label="类别", choices=CaseKind.choices)
    body = forms.CharField(label="复议机关或人民法院", max_length=100)
    reference = forms.CharField(label="案号", max_length=60, required=False)
    filed_on = forms.DateField(label="申请或起诉日期", widget=DATE)


class CaseDecideForm(StyledForm):
    outcome = forms.ChoiceField(
        label="审结结果", choices=[c for c in CaseOutcome.choices if c[0] != CaseOutcome.PENDING]
    )
    decided_on = forms.DateField(label="审结日期", widget=DATE)


class AttachmentForm(StyledForm):
    file = forms.FileField(label="上传附件（PDF、JPG、PNG、DOCX、OFD，10MB以内）")


# --- The case page -------------------------------------------------------------------------------


def _get(request: HttpRequest, pk: int) -> Application:
    try:
        return application_get_for_user(request.user, pk)
    except NotFoundError:
        raise Http404 from None


def _render_case(
    request: HttpRequest,
    application: Application,
    *,
    bound: tuple[str, StyledForm] | None = None,
    case_form: CaseForm | None = None,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    handler = can_handle(user, application)
    kinds = allowed_kinds(application.status)
    forms_shown: list[dict[str, Any]] = []
    if handler:
        for name, action in ACTIONS.items():
            if action.kind not in kinds:
                continue
            if bound is not None and bound[0] == name:
                form = bound[1]
            else:
                form = action.form(application=application, prefix=name)
            forms_shown.append({"name": name, "label": action.label, "form": form})
    cases = list(cases_for_application(application))
    return render(
        request,
        "workbench/applications/detail.html",
        {
            "application": application,
            "clocks": application_clocks(application) if application.is_open else None,
            "events": application_events(application),
            "actions": forms_shown,
            "open_action": bound[0] if bound else "",
            "handler": handler,
            "similar": applications_similar_earlier(user, application)[:10],
            "cases": [
                {
                    "case": case,
                    "form": CaseDecideForm(application=application, prefix=f"case{case.pk}"),
                }
                for case in cases
            ],
            "case_form": case_form or CaseForm(application=application, prefix="case"),
            "attachments": application.attachments.all() if handler else [],
            "attachment_form": attachment_form
            or AttachmentForm(application=application, prefix="file"),
        },
        status=status,
    )


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, _get(request, pk))


@staff_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = _get(request, pk)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    if not can_handle(request.user, application):
        return forbidden(request)
    form = spec.form(request.POST, application=application, prefix=action)
    if not form.is_valid():
        return _render_case(request, application, bound=(action, form), status=400)
    try:
        spec.handler(request.user, application, form.cleaned_data)
    except PermissionDeniedError as exc:
        form.add_error(None, exc.message)
        return _render_case(request, application, bound=(action, form), status=403)
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return _render_case(request, application, status=409)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _render_case(request, application, bound=(action, form), status=400)
    messages.success(request, f"已记录：{spec.label}。")
    return redirect("workbench:application", pk=application.pk)


NOTICE_FORMATS: dict[str, tuple[Callable[[Application], bytes], str]] = {
    "docx": (
        reply_notice_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": (reply_notice_pdf, "application/pdf"),
}


@staff_required
def notice(request: HttpRequest, pk: int, fmt: str = "docx") -> HttpResponse:
    """The 告知书 of a replied application, as a Word document or a PDF."""
    application = _get(request, pk)
    if fmt not in NOTICE_FORMATS:
        raise Http404
    if not application.outcome_on:
        messages.error(request, "该申请尚未答复，不能生成告知书。")
        return redirect("workbench:application", pk=application.pk)
    render_notice, content_type = NOTICE_FORMATS[fmt]
    response = HttpResponse(render_notice(application), content_type=content_type)
    filename = f"gaozhishu-{application.tracking_code}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


FEE_NOTICE_FORMATS: dict[str, Callable[[Application], bytes]] = {
    "docx": fee_notice_docx,
    "pdf": fee_notice_pdf,
}


@staff_required
def fee_notice(request: HttpRequest, pk: int, fmt: str = "docx") -> HttpResponse:
    """The 缴费通知书 of the latest fee notice, as a Word document or a PDF."""
    application = _get(request, pk)
    if fmt not in FEE_NOTICE_FORMATS:
        raise Http404
    if not application.events.filter(kind=EventKind.FEE_NOTIFIED).exists():
        messages.error(request, "该申请尚未发出收费通知，不能生成缴费通知书。")
        return redirect("workbench:application", pk=application.pk)
    response = HttpResponse(
        FEE_NOTICE_FORMATS[fmt](application), content_type=NOTICE_FORMATS[fmt][1]
    )
    filename = f"jiaofei-{application.tracking_code}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    if not can_handle(request.user, application):
        return forbidden(request)
    form = AttachmentForm(request.POST, request.FILES, application=application, prefix="file")
    if form.is_valid():
        try:
            application_attach(
                actor=request.user, application=application, upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, "附件已上传。")
            return redirect("workbench:application", pk=application.pk)
    return _render_case(request, application, attachment_form=form, status=400)


@staff_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    try:
        attachment = attachment_get_for_user(request.user, pk, attachment_pk)
    except NotFoundError:
        raise Http404 from None
    # At most 10MB (intake.MAX_ATTACHMENT_BYTES): read whole, served only to the handling staff.
    with attachment.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
@require_POST
def case_new(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get(request, pk)
    if not can_handle(request.user, application):
        return forbidden(request)
    form = CaseForm(request.POST, application=application, prefix="case")
    if form.is_valid():
        try:
            case_create(actor=request.user, application=application, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "复议、诉讼案件已登记。")
            return redirect("workbench:application", pk=application.pk)
    return _render_case(request, application, case_form=form, status=400)


@staff_required
@require_POST
def case_decision(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        case = case_get_for_user(request.user, pk)
    except NotFoundError:
        raise Http404 from None
    application = case.application
    if not can_handle(request.user, application):
        return forbidden(request)
    form = CaseDecideForm(request.POST, application=application, prefix=f"case{case.pk}")
    if form.is_valid():
        try:
            case_decide(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _render_case(request, application, status=409)
        messages.success(request, "审结结果已登记。")
        return redirect("workbench:application", pk=application.pk)
    messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return _render_case(request, application, status=400)
