"""Workbench views of the supervising office: the district dashboard (figures, charts, XLSX), the
self-inspection, 工作要点 tasks, 建议提案, notifications and assessments.

Every page is readable by the supervising office of the agency concerned (read-only); the agency's
own staff update their tasks and proposals; the jurisdiction's 公开办管理员 maintains plans and
assessment sheets. Writes are POSTs to the page that shows them; each calls one service.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.agencies.models import Agency, Department
from gongkai.agencies.selectors import agencies_for_user, agency_subtree
from gongkai.core import clock
from gongkai.core.exceptions import DomainError, NotFoundError
from gongkai.supervision import linkruns, services
from gongkai.supervision.departments import applicable_criteria
from gongkai.supervision.export import assessment_xlsx, dashboard_xlsx, departments_xlsx
from gongkai.supervision.inspection import SEVERITY_LABELS
from gongkai.supervision.metrics import METRIC_CHOICES, METRICS
from gongkai.supervision.models import (
    AssessmentSheet,
    Criterion,
    ProposalKind,
    ProposalStatus,
    TaskStatus,
    WorkPlan,
)
from gongkai.supervision.overview import MONTHS, AgencyOverview
from gongkai.supervision.permissions import can_manage_plan, can_update_work
from gongkai.supervision.selectors import (
    dashboard_for_user,
    departments_for_user,
    inspection_for_user,
    link_check_last,
    notification_get_for_user,
    notifications_for_agency,
    oversee_root_get,
    own_agency_get,
    plan_get_for_user,
    plan_tasks,
    plans_of_agency,
    proposal_get_for_user,
    proposals_for_agency,
    score_get_for_user,
    sheet_department_results,
    sheet_get_for_user,
    sheet_results,
    sheets_of_agency,
    supervision_roots,
    task_get_for_user,
    tasks_for_agency,
)
from gongkai.workbench.access import forbidden, staff_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select):
            field.widget.attrs.setdefault("class", "form-select")
        elif isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs.setdefault("class", "form-check-input")
        else:
            field.widget.attrs.setdefault("class", "form-control")


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return clock.today().year
    return year if 2000 <= year <= 2100 else clock.today().year


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _own(request: HttpRequest, slug: str) -> Agency | None:
    try:
        return own_agency_get(request.user, slug)
    except NotFoundError:
        return None


# --- home -----------------------------------------------------------------------------------------


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    roots = supervision_roots(user)
    own = [a for a in agencies_for_user(user) if can_update_work(user, a)]
    return render(
        request,
        "workbench/supervision/home.html",
        {"roots": roots, "own": own, "year": _year(request)},
    )


# --- dashboard ------------------------------------------------------------------------------------


def chart_data(rows: list[AgencyOverview], year: int) -> dict[str, Any]:
    """The JSON the page script draws: monthly trends per agency and comparisons between them."""
    return {
        "year": year,
        "months": [f"{m}月" for m in MONTHS],
        "trend": [{"name": row.agency.short_name, "data": row.published_by_month} for row in rows],
        "agencies": [row.agency.short_name for row in rows],
        "published": [row.published_total for row in rows],
        "late": [row.published_late for row in rows],
        "stale": [len(row.stale_columns) for row in rows],
        "empty": [len(row.empty_columns) for row in rows],
        "overdue": [row.applications.overdue if row.applications else 0 for row in rows],
    }


@staff_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        root = oversee_root_get(request.user, slug)
    except NotFoundError:
        return forbidden(request)
    year = _year(request)
    rows = dashboard_for_user(request.user, root, year, clock.today())
    return render(
        request,
        "workbench/supervision/dashboard.html",
        {
            "root": root,
            "year": year,
            "years": range(clock.today().year, clock.today().year - 6, -1),
            "rows": rows,
            "chart": chart_data(rows, year),
            "months": MONTHS,
        },
    )


@staff_required
def dashboard_export(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        root = oversee_root_get(request.user, slug)
    except NotFoundError:
        return forbidden(request)
    year = _year(request)
    today = clock.today()
    rows = dashboard_for_user(request.user, root, year, today)
    departments = [
        (row.agency, departments_for_user(request.user, row.agency, year, today)) for row in rows
    ]
    return _xlsx(dashboard_xlsx(rows, year, departments), f"{root.slug}-{year}-supervision.xlsx")


# --- per department -------------------------------------------------------------------------------


@staff_required
def departments(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _own(request, slug)
    if agency is None:
        return forbidden(request)
    year = _year(request)
    return render(
        request,
        "workbench/supervision/departments.html",
        {
            "agency": agency,
            "year": year,
            "years": range(clock.today().year, clock.today().year - 6, -1),
            "rows": departments_for_user(request.user, agency, year, clock.today()),
        },
    )


@staff_required
def departments_export(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _own(request, slug)
    if agency is None:
        return forbidden(request)
    year = _year(request)
    rows = departments_for_user(request.user, agency, year, clock.today())
    return _xlsx(departments_xlsx(agency, rows, year), f"{agency.slug}-{year}-departments.xlsx")


# --- self-inspection ------------------------------------------------------------------------------


@staff_required
def inspection(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _own(request, slug)
    if agency is None:
        return forbidden(request)
    can_check = can_update_work(request.user, agency)
    if request.method == "POST":
        if not can_check:
            return forbidden(request)
        try:
            run = linkruns.link_check_request(
                actor=request.user, agency=agency, base_url=request.build_absolute_uri("/")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            run.refresh_from_db()
            if run.active:
                messages.success(request, "链接检查已开始，完成后本页会自动显示结果。")
            else:
                messages.success(request, f"链接检查{run.get_status_display()}。")
        return redirect("workbench:supervision_inspection", slug=agency.slug)
    result = inspection_for_user(request.user, agency, clock.today(), site_host=request.get_host())
    return render(
        request,
        "workbench/supervision/inspection.html",
        {
            "agency": agency,
            "inspection": result,
            "run": result.run,
            "can_check": can_check,
            "severity_labels": SEVERITY_LABELS,
        },
    )


@staff_required
def inspection_links(request: HttpRequest, slug: str) -> HttpResponse:
    """The link check's state (polled by htmx while it runs); once it has ended, htmx reloads the
    page so that its findings are shown."""
    agency = _own(request, slug)
    if agency is None:
        return forbidden(request)
    run = link_check_last(request.user, agency)
    response = render(
        request,
        "workbench/supervision/_link_check.html",
        {"agency": agency, "run": run, "can_check": can_update_work(request.user, agency)},
    )
    if request.headers.get("HX-Request") and (run is None or not run.active):
        response["HX-Refresh"] = "true"
    return response


# --- 工作要点 -------------------------------------------------------------------------------------


class PlanForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="名称", max_length=200)
    source_document = forms.CharField(label="来源文件（文号）", max_length=200, required=False)


@staff_required
def plans(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _own(request, slug)
    if agency is None:
        return forbidden(request)
    manage = can_manage_plan(request.user, agency)
    form = PlanForm(request.POST or None, initial={"year": clock.today().year})
    _style(form)
    if request.method == "POST":
        if not manage:
            return forbidden(request)
        if form.is_valid():
            try:
                plan = services.work_plan_create(
                    actor=request.user, agency=agency, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "工作要点已创建。")
                return redirect("workbench:supervision_plan", pk=plan.pk)
    return render(
        request,
        "workbench/supervision/plans.html",
        {
            "agency": agency,
            "plans": plans_of_agency(request.user, agency),
            "form": form,
            "manage": manage,
        },
    )


class TaskAddForm(forms.Form):
    text = forms.CharField(label="任务内容", widget=forms.Textarea(attrs={"rows": 2}))
    responsible_agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label="责任单位", required=False, empty_label="（按科室）"
    )
    responsible_department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        label="责任科室",
        required=False,
        empty_label="（不指定）",
    )
    due_on = forms.DateField(
        label="完成时限", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, plan: WorkPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subtree = agency_subtree(plan.agency)
        self.fields["responsible_agency"].queryset = subtree  # type: ignore[attr-defined]
        self.fields["responsible_department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            agency__in=subtree, is_active=True
        ).select_related("agency")


@staff_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        plan = plan_get_for_user(request.user, pk)
    except NotFoundError:
        return forbidden(request)
    manage = can_manage_plan(request.user, plan.agency)
    form = TaskAddForm(request.POST or None, plan=plan)
    _style(form)
    if request.method == "POST":
        if not manage:
            return forbidden(request)
        if form.is_valid():
            try:
                services.plan_task_add(actor=request.user, plan=plan, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "任务已添加。")
                return redirect("workbench:supervision_plan", pk=plan.pk)
    tasks = list(plan_tasks(request.user, plan))
    today = clock.today()
    return render(
        request,
        "workbench/supervision/plan.html",
        {
            "plan": plan,
            "rows": [
                {"task": t, "label": t.status_label(today), "overdue": t.is_overdue(today)}
                for t in tasks
            ],
            "done": sum(1 for t in tasks if t.status == TaskStatus.DONE),
            "form": form,
            "manage": manage,
        },
    )


@staff_required
def tasks(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _own(request, slug)
    if agency is None:
        return forbidden(request)
    today = clock.today()
    rows = [
        {"task": t, "label": t.status_label(today), "overdue": t.is_overdue(today)}
        for t in tasks_for_agency(request.user, agency)
    ]
    return render(
        request,
        "workbench/supervision/tasks.html",
        {"agency": agency, "rows": rows, "can_update": can_update_work(request.user, agency)},
    )


class TaskUpdateForm(forms.Form):
    status = forms.ChoiceField(label="进展", choices=TaskStatus.choices)
    evidence = forms.CharField(
        label="落实情况及佐证", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence_file = forms.FileField(label="佐证材料", required=False)
    completed_on = forms.DateField(
        label="完成日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@staff_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        task = task_get_for_user(request.user, pk)
    except NotFoundError:
        return forbidden(request)
    owner = task.responsible_agency or task.responsible_department.agency  # type: ignore[union-attr]
    can_update = can_update_work(request.user, owner)
    form = TaskUpdateForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "status": task.status,
            "evidence": task.evidence,
            "completed_on": task.completed_on,
        },
    )
    _style(form)
    if request.method == "POST":
        if not can_update:
            return forbidden(request)
        if form.is_valid():
            try:
                services.plan_task_update(actor=request.user, task=task, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "任务进展已保存。")
                return redirect("workbench:supervision_task", pk=task.pk)
    today = clock.today()
    return render(
        request,
        "workbench/supervision/task.html",
        {
            "task": task,
            "owner": owner,
            "label": task.status_label(today),
            "overdue": task.is_overdue(today),
            "form": form,
            "can_update": can_update,
        },
    )


# --- 建议提案 -------------------------------------------------------------------------------------


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=ProposalKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    number = forms.CharField(label="编号", max_length=40)
    title = forms.CharField(label="标题", max_length=200)
    proposer = forms.CharField(label="提出人", max_length=100)
    received_on = forms.DateField(label="交办日期", widget=forms.DateInput(attrs={"type": "date"}))


@staff_required
def proposals(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _own(request, slug)
    if agency is None:
        return forbidden(request)
    can_update = can_update_work(request.user, agency)
    form = ProposalForm(request.POST or None, initial={"year": clock.today().year})
    _style(form)
    if request.method == "POST":
        if not can_update:
            return forbidden(request)
        if form.is_valid():
            try:
                services.proposal_register(actor=request.user, agency=agency, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "建议提案已登记。")
                return redirect("workbench:supervision_proposals", slug=agency.slug)
    return render(
        request,
        "workbench/supervision/proposals.html",
        {
            "agency": agency,
            "proposals": proposals_for_agency(request.user, agency),
            "form": form,
            "can_update": can_update,
        },
    )


class ProposalUpdateForm(forms.Form):
    status = forms.ChoiceField(label="办理状态", choices=ProposalStatus.choices)
    replied_on = forms.DateField(
        label="答复日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reply_published = forms.BooleanField(label="答复全文已公开", required=False)
    reply_url = forms.URLField(label="公开网址", required=False, assume_scheme="https")


@staff_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        proposal = proposal_get_for_user(request.user, pk)
    except NotFoundError:
        return forbidden(request)
    can_update = can_update_work(request.user, proposal.agency)
    form = ProposalUpdateForm(
        request.POST or None,
        initial={
            "status": proposal.status,
            "replied_on": proposal.replied_on,
            "reply_published": proposal.reply_published,
            "reply_url": proposal.reply_url,
        },
    )
    _style(form)
    if request.method == "POST":
        if not can_update:
            return forbidden(request)
        if form.is_valid():
            try:
                services.proposal_update(actor=request.user, proposal=proposal, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "办理情况已保存。")
                return redirect("workbench:supervision_proposal", pk=proposal.pk)
    return render(
        request,
        "workbench/supervision/proposal.html",
        {"proposal": proposal, "form": form, "can_update": can_update},
    )


# --- 提醒 -----------------------------------------------------------------------------------------


@staff_required
def notifications(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _own(request, slug)
    if agency is None:
        return forbidden(request)
    can_update = can_update_work(request.user, agency)
    if request.method == "POST":
        if not can_update:
            return forbidden(request)
        if request.POST.get("action") == "generate":
            created = services.notifications_generate(agency, actor=request.user)
            messages.success(request, f"已检查，新增提醒{len(created)}条。")
        else:
            try:
                note = notification_get_for_user(
                    request.user, int(request.POST.get("notification", "0"))
                )
                services.notification_mark_read(actor=request.user, notification=note)
            except (DomainError, ValueError):
                messages.error(request, "没有找到这条提醒。")
        return redirect("workbench:supervision_notifications", slug=agency.slug)
    return render(
        request,
        "workbench/supervision/notifications.html",
        {
            "agency": agency,
            "notifications": notifications_for_agency(request.user, agency),
            "can_update": can_update,
        },
    )


# --- 考核 -----------------------------------------------------------------------------------------


class SheetForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="名称", max_length=200)


class CriterionForm(forms.Form):
    name = forms.CharField(label="考核内容", max_length=200)
    max_score = forms.IntegerField(label="分值", min_value=1, max_value=100)
    metric = forms.ChoiceField(label="数据来源", choices=METRIC_CHOICES, required=False)


class ScoreForm(forms.Form):
    value = forms.DecimalField(label="得分", min_value=Decimal(0), max_digits=5, decimal_places=1)
    evidence = forms.CharField(
        label="佐证说明", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evidence_file = forms.FileField(label="佐证材料", required=False)


@staff_required
def sheets(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _own(request, slug)
    if agency is None:
        return forbidden(request)
    manage = can_manage_plan(request.user, agency)
    form = SheetForm(request.POST or None, initial={"year": clock.today().year})
    _style(form)
    if request.method == "POST":
        if not manage:
            return forbidden(request)
        if form.is_valid():
            try:
                sheet = services.assessment_sheet_create(
                    actor=request.user, agency=agency, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "考核评分表已创建，请添加考核指标。")
                return redirect("workbench:supervision_sheet", pk=sheet.pk)
    return render(
        request,
        "workbench/supervision/sheets.html",
        {
            "agency": agency,
            "sheets": sheets_of_agency(request.user, agency),
            "form": form,
            "manage": manage,
        },
    )


def department_table(sheet: AssessmentSheet, criteria: list[Criterion]) -> dict[str, Any]:
    """The sheet's department results laid out against its per-department criteria."""
    applicable = applicable_criteria(criteria)
    rows = []
    for result in sheet_department_results(sheet):
        scores = {int(str(s["criterion"])): s for s in result.scores}
        rows.append({"result": result, "scores": [scores.get(c.pk) for c in applicable]})
    return {"criteria": applicable, "rows": rows}


@staff_required
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        sheet = sheet_get_for_user(request.user, pk)
    except NotFoundError:
        return forbidden(request)
    manage = can_manage_plan(request.user, sheet.agency)
    criterion_form = CriterionForm(
        request.POST if request.POST.get("action") == "criterion" else None
    )
    _style(criterion_form)
    score_form = ScoreForm(
        request.POST if request.POST.get("action") == "score" else None,
        request.FILES if request.POST.get("action") == "score" else None,
    )
    _style(score_form)
    if request.method == "POST":
        if not manage:
            return forbidden(request)
        action = request.POST.get("action")
        try:
            if action == "compute":
                results = services.assessment_compute(actor=request.user, sheet=sheet)
                messages.success(request, f"已计算{len(results)}个机关的考核得分。")
                return redirect("workbench:supervision_sheet", pk=sheet.pk)
            if action == "criterion" and criterion_form.is_valid():
                services.criterion_add(
                    actor=request.user, sheet=sheet, **criterion_form.cleaned_data
                )
                messages.success(request, "考核指标已添加。")
                return redirect("workbench:supervision_sheet", pk=sheet.pk)
            if action == "score" and score_form.is_valid():
                score = score_get_for_user(request.user, int(request.POST.get("score", "0")))
                services.assessment_score_set(
                    actor=request.user, score=score, **score_form.cleaned_data
                )
                messages.success(request, "人工评分已保存。")
                return redirect("workbench:supervision_sheet", pk=sheet.pk)
            if action == "score":
                messages.error(request, "得分或佐证材料填写不正确，请检查后重新提交。")
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", "提交的数据不正确。"))
    criteria = list(sheet.criteria.all())
    results = sheet_results(sheet)
    table = []
    for assessment in results:
        scores = {s.criterion_id: s for s in assessment.scores.all()}
        table.append({"assessment": assessment, "scores": [scores.get(c.pk) for c in criteria]})
    return render(
        request,
        "workbench/supervision/sheet.html",
        {
            "sheet": sheet,
            "department_table": department_table(sheet, criteria),
            "criteria": [{"criterion": c, "metric": METRICS.get(c.metric)} for c in criteria],
            "max_total": sum(c.max_score for c in criteria),
            "table": table,
            "manage": manage,
            "criterion_form": criterion_form,
            "score_form": score_form,
        },
    )


@staff_required
def sheet_export(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        sheet = sheet_get_for_user(request.user, pk)
    except NotFoundError:
        return forbidden(request)
    return _xlsx(
        assessment_xlsx(sheet, sheet_results(sheet), sheet_department_results(sheet)),
        f"assessment-{sheet.agency.slug}-{sheet.year}.xlsx",
    )
