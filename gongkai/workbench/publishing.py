"""Workbench views of 主动公开: the catalogue, the scanner's findings, review, channel statistics and
the table-2 registers. Each view authorises, binds a form, calls one service, redirects or renders.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency, Department, Role
from gongkai.agencies.permissions import can_manage_agency
from gongkai.agencies.selectors import agency_get_for_user
from gongkai.core import clock
from gongkai.core.exceptions import DomainError, NotFoundError
from gongkai.core.uploads import Kind, validate_upload
from gongkai.publishing import services
from gongkai.publishing.models import (
    ARTICLE20_CHOICES,
    Attachment,
    Channel,
    ChannelKind,
    ChannelMonthlyStat,
    Column,
    ColumnKind,
    ColumnType,
    Disclosure,
    DocKind,
    FindingStatus,
    Item,
    ItemStatus,
    RegisterYear,
    ReviewStatus,
    ScanFinding,
    Validity,
)
from gongkai.publishing.permissions import (
    can_decide_step,
    can_edit_items,
    can_manage_registers,
    can_override_finding,
    can_withdraw,
)
from gongkai.publishing.selectors import (
    column_get_for_user,
    columns_for_editor,
    interpretation_links_for,
    item_columns_for,
    item_get_for_user,
    items_for_user,
    late_items_by_department,
    policy_items_linkable,
    published_items_with_findings,
    review_get_for_user,
    reviews_waiting_for,
)
from gongkai.publishing.services.catalogue import EDITABLE_FIELDS, check_attachment_size
from gongkai.publishing.services.review import current_step, review_steps_for
from gongkai.publishing.states import can_reopen, is_editable
from gongkai.workbench.access import forbidden, staff_required

BOOTSTRAP: dict[type[forms.Widget], str] = {
    forms.Select: "form-select",
    forms.SelectMultiple: "form-select",
    forms.CheckboxInput: "form-check-input",
}


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        css = BOOTSTRAP.get(type(field.widget), "form-control")
        field.widget.attrs.setdefault("class", css)


class ItemForm(forms.Form):
    column: forms.ModelChoiceField[Column] = forms.ModelChoiceField(
        queryset=Column.objects.none(), label="栏目", empty_label=None
    )
    department: forms.ModelChoiceField[Department] = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        label="承办科室",
        required=False,
        empty_label="（不指定）",
    )
    title = forms.CharField(label="名称", max_length=200)
    summary = forms.CharField(
        label="内容概述", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text="可使用段落、列表、表格等基本格式；脚本和样式会被自动清除。",
    )
    formed_on = forms.DateField(
        label="信息形成或变更日期",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text="自该日起20个工作日内应当公开（条例第二十六条）。",
    )
    written_on = forms.DateField(
        label="成文日期",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        required=False,
    )
    doc_number = forms.CharField(label="文号", max_length=60, required=False)
    topic = forms.CharField(label="主题分类", max_length=40, required=False)
    article20_item = forms.TypedChoiceField(
        label="第二十条事项",
        choices=[("", "（按栏目）"), *ARTICLE20_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    disclosure = forms.ChoiceField(label="公开属性", choices=Disclosure.choices)
    disclosure_reason = forms.CharField(
        label="不公开或依申请公开的理由", max_length=200, required=False
    )
    doc_kind = forms.ChoiceField(label="文件类别", choices=DocKind.choices)
    validity = forms.ChoiceField(
        label="有效性（规章、规范性文件）",
        choices=[("", "—"), *Validity.choices],
        required=False,
    )
    interprets: forms.ModelMultipleChoiceField[Item] = forms.ModelMultipleChoiceField(
        queryset=Item.objects.none(),
        label="解读的文件（文件类别为政策解读时选择）",
        required=False,
        help_text="可选多个；在上方输入框中输入名称或文号筛选。仅列出本机关已发布的政策文件。",
        widget=forms.SelectMultiple(attrs={"size": 6, "data-filterable": "true"}),
    )

    def __init__(self, *args: Any, agency: Agency, item: Item | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        column_field: Any = self.fields["column"]
        column_field.queryset = item_columns_for(agency, item.column if item else None)
        interprets_field: Any = self.fields["interprets"]
        interprets_field.queryset = policy_items_linkable(agency, for_item=item)
        interprets_field.label_from_instance = lambda p: (
            f"{p.title}{f'（{p.doc_number}）' if p.doc_number else ''}"
        )
        department_field: Any = self.fields["department"]
        department_field.queryset = Department.objects.filter(agency=agency, is_active=True)
        _style(self)


def _item_initial(item: Item) -> dict[str, Any]:
    initial = {name: getattr(item, name) for name in EDITABLE_FIELDS}
    initial["interprets"] = list(
        Item.objects.filter(interpretation_links__interpretation=item).values_list("pk", flat=True)
    )
    return initial


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件文件")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=300)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核意见", choices=[("approve", "通过"), ("return", "退回修改")]
    )
    comment = forms.CharField(
        label="审核说明", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    publish_at = forms.DateTimeField(
        label="定时发布时间（签发环节可选，留空即立即发布）",
        widget=forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class StatForm(forms.Form):
    channel: forms.ModelChoiceField[Channel] = forms.ModelChoiceField(
        queryset=Channel.objects.none(), label="渠道", empty_label=None
    )
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)
    items = forms.IntegerField(label="发布条数", min_value=0)
    reads = forms.IntegerField(label="阅读量", min_value=0, initial=0)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channel_field: Any = self.fields["channel"]
        channel_field.queryset = Channel.objects.filter(agency=agency)
        _style(self)


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label="渠道类型", choices=ChannelKind.choices)
    name = forms.CharField(label="渠道名称", max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


STATS_CSV_MAX_BYTES = 2 * 1024 * 1024


class StatsImportForm(forms.Form):
    file = forms.FileField(label="CSV文件（UTF-8，2MB以内）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class RegisterForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    licensing = forms.IntegerField(label="行政许可处理决定数量", min_value=0)
    punishment = forms.IntegerField(label="行政处罚处理决定数量", min_value=0)
    coercion = forms.IntegerField(label="行政强制处理决定数量", min_value=0)
    fees_yuan = forms.DecimalField(
        label="行政事业性收费金额（元）", min_value=0, decimal_places=2, max_digits=14
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


def _agency(request: HttpRequest, slug: str) -> Agency | None:
    try:
        return agency_get_for_user(request.user, slug)
    except NotFoundError:
        return None


def _item(request: HttpRequest, pk: int) -> Item | None:
    try:
        return item_get_for_user(request.user, pk)
    except NotFoundError:
        return None


# --- catalogue ------------------------------------------------------------------------------------


@staff_required
def item_list(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug)
    if agency is None:
        return forbidden(request)
    status = request.GET.get("status", "")
    items = items_for_user(request.user, agency)
    if status in ItemStatus.values:
        items = items.filter(status=status)
    return render(
        request,
        "workbench/publishing/item_list.html",
        {
            "agency": agency,
            "items": items[:200],
            "statuses": ItemStatus.choices,
            "status": status,
            "late": late_items_by_department(agency),
            "flagged": published_items_with_findings(agency),
            "can_edit": can_edit_items(request.user, agency),
            "can_manage": can_manage_registers(request.user, agency),
            "can_admin": can_manage_agency(request.user, agency),
            "today": clock.today(),
            "has_columns": item_columns_for(agency).exists(),
        },
    )


@staff_required
@require_POST
def columns_setup(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug)
    if agency is None or not can_edit_items(request.user, agency):
        return forbidden(request)
    created = services.columns_ensure_default(actor=request.user, agency=agency)
    if created:
        messages.success(request, f"已建立{len(created)}个默认栏目。")
    else:
        messages.info(request, "默认栏目均已存在。")
    return redirect("workbench:publishing_items", slug=agency.slug)


@staff_required
def item_new(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug)
    if agency is None or not can_edit_items(request.user, agency):
        return forbidden(request)
    form = ItemForm(request.POST or None, agency=agency, initial={"formed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(actor=request.user, agency=agency, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已保存草稿，索引号 {item.index_no}。")
            return redirect("workbench:publishing_item", pk=item.pk)
    return render(request, "workbench/publishing/item_form.html", {"agency": agency, "form": form})


@staff_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if item is None or not can_edit_items(request.user, item.agency):
        return forbidden(request)
    if not is_editable(item.status):
        messages.error(request, f"信息当前为“{item.get_status_display()}”状态，不能修改。")
        return redirect("workbench:publishing_item", pk=item.pk)
    form = ItemForm(
        request.POST or None, agency=item.agency, item=item, initial=_item_initial(item)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.user, item=item, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存新版本，并重新扫描了个人信息。")
            return redirect("workbench:publishing_item", pk=item.pk)
    return render(
        request,
        "workbench/publishing/item_form.html",
        {"agency": item.agency, "form": form, "item": item},
    )


@staff_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if item is None:
        return forbidden(request)
    findings = list(
        ScanFinding.objects.filter(item=item)
        .select_related("attachment", "resolved_by")
        .order_by("status", "field", "start", "id")
    )
    open_findings = [
        f
        for f in findings
        if f.status == FindingStatus.OPEN and (f.attachment is None or f.attachment.is_current)
    ]
    return render(
        request,
        "workbench/publishing/item_detail.html",
        {
            "item": item,
            "agency": item.agency,
            "open_findings": open_findings,
            "resolved_findings": [f for f in findings if f.status != FindingStatus.OPEN],
            "attachments": item.attachments.filter(is_current=True),
            "reviews": item.reviews.prefetch_related("steps", "steps__decided_by"),
            "versions": item.versions.select_related("saved_by").order_by("-number"),
            "withdrawals": item.withdrawals.select_related("withdrawn_by", "reopened_by"),
            "links": interpretation_links_for(item, public=False),
            "can_reopen": can_reopen(item.status) and can_edit_items(request.user, item.agency),
            "editable": is_editable(item.status) and can_edit_items(request.user, item.agency),
            "can_override": can_override_finding(request.user, item.agency),
            "can_withdraw": can_withdraw(request.user, item.agency)
            and item.status == ItemStatus.PUBLISHED,
            "can_unschedule": can_withdraw(request.user, item.agency)
            and item.status == ItemStatus.SCHEDULED,
            "attachment_form": AttachmentForm(),
            "validities": Validity.choices,
            "can_set_validity": item.has_validity and can_edit_items(request.user, item.agency),
        },
    )


def _finding(request: HttpRequest, pk: int) -> ScanFinding | None:
    finding = ScanFinding.objects.select_related("item").filter(pk=pk).first()
    if finding is None or _item(request, finding.item_id) is None:
        return None
    return finding


@staff_required
@require_POST
def finding_mask(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    if finding is None or not can_edit_items(request.user, finding.item.agency):
        return forbidden(request)
    try:
        services.finding_mask(actor=request.user, finding=finding)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已遮盖为“{finding.masked}”，并保存为新版本。")
    return redirect("workbench:publishing_item", pk=finding.item_id)


@staff_required
@require_POST
def finding_override(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding(request, pk)
    if finding is None or not can_override_finding(request.user, finding.item.agency):
        return forbidden(request)
    try:
        services.finding_override(
            actor=request.user, finding=finding, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已确认该项可以公开，理由已记录。")
    return redirect("workbench:publishing_item", pk=finding.item_id)


@staff_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if item is None or not can_edit_items(request.user, item.agency):
        return forbidden(request)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
        return redirect("workbench:publishing_item", pk=item.pk)
    upload: UploadedFile = form.cleaned_data["file"]
    replaces = None
    if request.POST.get("replaces"):
        replaces = Attachment.objects.filter(item=item, pk=request.POST["replaces"]).first()
    try:
        # Refused before the whole upload is read into memory.
        check_attachment_size(upload.name or "附件", upload.size or 0)
        attachment = services.attachment_add(
            actor=request.user,
            item=item,
            name=upload.name or "附件",
            data=upload.read(),
            replaces=replaces,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        found = attachment.findings.count()
        if found:
            messages.warning(request, f"附件已上传，扫描发现{found}处疑似个人信息，请处理。")
        else:
            messages.success(request, "附件已上传，未发现个人信息。")
    return redirect("workbench:publishing_item", pk=item.pk)


@staff_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff read every version of an attachment of an item they may see (reviewers need them).
    Attachments are size-limited at upload, so reading one into memory is bounded."""
    attachment = Attachment.objects.filter(pk=pk).first()
    if attachment is None or _item(request, attachment.item_id) is None:
        return forbidden(request)
    with attachment.file.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    return response


@staff_required
@require_POST
def attachment_strike(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = Attachment.objects.filter(pk=pk).first()
    item = _item(request, attachment.item_id) if attachment else None
    if attachment is None or item is None or not can_edit_items(request.user, item.agency):
        return forbidden(request)
    try:
        services.attachment_strike(actor=request.user, attachment=attachment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已删除附件“{attachment.name}”。")
    return redirect("workbench:publishing_item", pk=item.pk)


@staff_required
@require_POST
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if item is None or not can_edit_items(request.user, item.agency):
        return forbidden(request)
    try:
        services.item_submit_for_review(actor=request.user, item=item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已送审。")
    return redirect("workbench:publishing_item", pk=item.pk)


@staff_required
@require_POST
def item_validity(request: HttpRequest, pk: int) -> HttpResponse:
    """有效性 of a 规章 or 规范性文件 (a repeal feeds table 2), also after publication."""
    item = _item(request, pk)
    if item is None or not can_edit_items(request.user, item.agency):
        return forbidden(request)
    changed_on = None
    if request.POST.get("changed_on"):
        try:
            changed_on = dt.date.fromisoformat(request.POST["changed_on"])
        except ValueError:
            messages.error(request, "日期格式不正确。")
            return redirect("workbench:publishing_item", pk=item.pk)
    try:
        services.item_set_validity(
            actor=request.user,
            item=item,
            validity=request.POST.get("validity", ""),
            changed_on=changed_on,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "有效性已更新。")
    return redirect("workbench:publishing_item", pk=item.pk)


@staff_required
@require_POST
def item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    if item is None or not can_withdraw(request.user, item.agency):
        return forbidden(request)
    try:
        services.item_withdraw(actor=request.user, item=item, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤稿，撤稿理由已记录。")
    return redirect("workbench:publishing_item", pk=item.pk)


@staff_required
@require_POST
def item_unschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a scheduled publication: the item goes back to its author with the reason."""
    item = _item(request, pk)
    if item is None or not can_withdraw(request.user, item.agency):
        return forbidden(request)
    try:
        services.item_unschedule(
            actor=request.user, item=item, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已取消定时发布，信息已退回起草人修改，理由已记录。")
    return redirect("workbench:publishing_item", pk=item.pk)


@staff_required
@require_POST
def item_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """撤稿后重新发布: the withdrawn item goes back to drafting, to be revised and reviewed again."""
    item = _item(request, pk)
    if item is None or not can_edit_items(request.user, item.agency):
        return forbidden(request)
    try:
        item = services.item_reopen(
            actor=request.user, item=item, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            "已转为草稿：请修改后重新送审，审核通过后将以原索引号重新发布。已重新扫描个人信息。",
        )
    return redirect("workbench:publishing_item", pk=item.pk)


# --- review ---------------------------------------------------------------------------------------


@staff_required
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workbench/publishing/reviews.html",
        {"reviews": reviews_waiting_for(request.user)},
    )


@staff_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = review_get_for_user(request.user, pk)
    except NotFoundError:
        return forbidden(request)
    item = review.item
    step = current_step(review) if review.status == ReviewStatus.OPEN else None
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if step is None or not can_decide_step(request.user, step, item):
            if step is not None:
                return forbidden(request)
            messages.error(request, "该审核已结束。")
            return redirect("workbench:publishing_review", pk=review.pk)
        if form.is_valid():
            publish_at = form.cleaned_data["publish_at"]
            if publish_at is not None and publish_at.tzinfo is None:
                publish_at = publish_at.replace(tzinfo=clock.SHANGHAI)
            try:
                services.review_decide(
                    actor=request.user,
                    review=review,
                    decision=form.cleaned_data["decision"],
                    comment=form.cleaned_data["comment"],
                    publish_at=publish_at,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"“{step.name}”环节已处理。")
                return redirect("workbench:publishing_reviews")
    findings = item.findings.exclude(status=FindingStatus.OPEN).select_related("resolved_by")
    return render(
        request,
        "workbench/publishing/review.html",
        {
            "review": review,
            "item": item,
            "agency": item.agency,
            "step": step,
            "steps": review.steps.select_related("decided_by"),
            "form": form,
            "can_decide": step is not None and can_decide_step(request.user, step, item),
            "attachments": item.attachments.filter(is_current=True),
            "findings": findings,
        },
    )


class IntroForm(forms.Form):
    intro = forms.CharField(
        label="指南补充说明",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="显示在政府信息公开指南开头，可写本机关信息的分类编排、特别事项等；联系方式取自机关资料。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


@staff_required
def guide_text(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug)
    if agency is None or not can_manage_agency(request.user, agency):
        return forbidden(request)
    column = Column.objects.filter(agency=agency, kind=ColumnKind.GUIDE).first()
    if column is None:
        messages.error(request, "本机关尚未建立政府信息公开指南栏目。")
        return redirect("workbench:publishing_items", slug=agency.slug)
    form = IntroForm(request.POST or None, initial={"intro": column.intro})
    if request.method == "POST" and form.is_valid():
        try:
            services.column_set_intro(actor=request.user, column=column, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "指南说明已保存。")
            return redirect("workbench:publishing_guide", slug=agency.slug)
    return render(request, "workbench/publishing/guide.html", {"agency": agency, "form": form})


# --- column editor --------------------------------------------------------------------------------


class ColumnForm(forms.Form):
    """A column's editable fields. For a statutory column (61号) only the description is open."""

    name = forms.CharField(label="栏目名称", max_length=60)
    column_type = forms.ChoiceField(
        label="栏目类型（更新频率）",
        choices=ColumnType.choices,
        help_text="动态类栏目超过2周、公告类和政策类栏目超过6个月未更新，将被监督检查列为长期未更新栏目。",
    )
    hidden = forms.BooleanField(
        label="在网站导航中隐藏（栏目页面和其中信息仍可访问）", required=False
    )
    intro = forms.CharField(
        label="栏目说明",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="显示在门户栏目页面的开头。",
    )

    def __init__(self, *args: Any, statutory: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if statutory:
            for name in ("name", "column_type", "hidden"):
                self.fields[name].disabled = True
        _style(self)


class ColumnAddForm(ColumnForm):
    slug = forms.CharField(
        label="网址标识（可不填）",
        max_length=40,
        required=False,
        help_text="栏目网址的一部分，如 zcjd；建立后不能修改，删除后也不会再分配给其他栏目。不填则自动生成。",
    )

    field_order = ("name", "slug", "column_type", "hidden", "intro")


def _column(request: HttpRequest, pk: int) -> Column | None:
    try:
        return column_get_for_user(request.user, pk)
    except NotFoundError:
        return None


@staff_required
def columns_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The column editor: every column of the agency, and a form to add a site column."""
    agency = _agency(request, slug)
    if agency is None or not can_manage_agency(request.user, agency):
        return forbidden(request)
    form = ColumnAddForm(request.POST or None, initial={"column_type": ColumnType.NOTICE})
    if request.method == "POST" and form.is_valid():
        try:
            column = services.column_add(actor=request.user, agency=agency, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已新增栏目“{column.name}”（网址标识 {column.slug}）。")
            return redirect("workbench:publishing_columns", slug=agency.slug)
    return render(
        request,
        "workbench/publishing/columns.html",
        {"agency": agency, "columns": columns_for_editor(request.user, agency), "form": form},
    )


@staff_required
def column_edit(request: HttpRequest, pk: int) -> HttpResponse:
    column = _column(request, pk)
    if column is None or not can_manage_agency(request.user, column.agency):
        return forbidden(request)
    initial = {
        "name": column.name,
        "column_type": column.column_type,
        "hidden": column.hidden,
        "intro": column.intro,
    }
    form = ColumnForm(request.POST or None, initial=initial, statutory=column.is_statutory)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if column.is_statutory:
            changes = {"intro": changes["intro"]}
        try:
            services.column_update(actor=request.user, column=column, **changes)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "栏目已保存。")
            return redirect("workbench:publishing_columns", slug=column.agency.slug)
    return render(
        request,
        "workbench/publishing/column_form.html",
        {"agency": column.agency, "column": column, "form": form},
    )


def _column_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    column = _column(request, pk)
    if column is None or not can_manage_agency(request.user, column.agency):
        return forbidden(request)
    try:
        if action == "move":
            services.column_move(
                actor=request.user, column=column, direction=request.POST.get("direction", "")
            )
            messages.success(request, f"已调整“{column.name}”的顺序。")
        elif action == "delete":
            outcome = services.column_delete(actor=request.user, column=column)
            if outcome == "deleted":
                messages.success(request, f"已删除空栏目“{column.name}”。")
            else:
                messages.success(
                    request,
                    f"栏目“{column.name}”中已有信息，已改为归档：不再接收新信息，已发布的信息和网址保持不变。",
                )
        else:
            services.column_restore(actor=request.user, column=column)
            messages.success(request, f"已恢复栏目“{column.name}”。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("workbench:publishing_columns", slug=column.agency.slug)


@staff_required
@require_POST
def column_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _column_action(request, pk, "move")


@staff_required
@require_POST
def column_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _column_action(request, pk, "delete")


@staff_required
@require_POST
def column_restore(request: HttpRequest, pk: int) -> HttpResponse:
    return _column_action(request, pk, "restore")


REVIEW_ROLE_CHOICES = [("", "（不设此环节）")] + [
    (role.value, role.label)
    for role in (Role.DEPARTMENT_HEAD, Role.SECRECY_REVIEWER, Role.LEADER, Role.OFFICE_ADMIN)
]
MAX_REVIEW_STEPS = 5


class ReviewStepsForm(forms.Form):
    """Up to five steps, in order; a row without a role is left out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_REVIEW_STEPS + 1):
            self.fields[f"name_{n}"] = forms.CharField(
                label=f"第{n}环节名称", max_length=30, required=False
            )
            self.fields[f"role_{n}"] = forms.ChoiceField(
                label=f"第{n}环节审核岗位", choices=REVIEW_ROLE_CHOICES, required=False
            )
        _style(self)

    def rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"name_{n}"], self[f"role_{n}"]) for n in range(1, MAX_REVIEW_STEPS + 1)]

    def steps(self) -> list[tuple[str, str]]:
        steps = []
        for n in range(1, MAX_REVIEW_STEPS + 1):
            name = self.cleaned_data.get(f"name_{n}", "").strip()
            role = self.cleaned_data.get(f"role_{n}", "")
            if role:
                steps.append((name or Role(role).label + "审核", role))
            elif name:
                self.add_error(f"role_{n}", "请为该环节选择审核岗位。")
        return steps


@staff_required
def review_steps(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug)
    if agency is None or not can_manage_agency(request.user, agency):
        return forbidden(request)
    current = review_steps_for(agency)
    initial: dict[str, str] = {}
    for n, (name, role) in enumerate(current, 1):
        initial[f"name_{n}"] = name
        initial[f"role_{n}"] = role
    form = ReviewStepsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        steps = form.steps()
        if form.is_valid():
            try:
                services.review_steps_configure(actor=request.user, agency=agency, steps=steps)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "审核环节已保存，新送审的信息按新环节审核。")
                return redirect("workbench:publishing_review_steps", slug=agency.slug)
    return render(
        request,
        "workbench/publishing/review_steps.html",
        {"agency": agency, "form": form, "current": current},
    )


class IndexPatternForm(forms.Form):
    pattern = forms.CharField(
        label="索引号格式",
        max_length=60,
        help_text="用 {code} 表示统一社会信用代码，{year} 表示年份，{seq} 表示序号，例如 {code}/{year}-{seq}。",
    )
    digits = forms.IntegerField(label="序号位数", min_value=3, max_value=8)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


@staff_required
def index_pattern(request: HttpRequest, slug: str) -> HttpResponse:
    """The jurisdiction's 索引号 pattern (applies to the agency and the agencies below it)."""
    agency = _agency(request, slug)
    if agency is None or not can_manage_agency(request.user, agency):
        return forbidden(request)
    current = services.index_pattern_for(agency)
    form = IndexPatternForm(
        request.POST or None, initial={"pattern": current.pattern, "digits": current.digits}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.index_pattern_set(actor=request.user, agency=agency, **form.cleaned_data)
        except DomainError as exc:
            form.add_error("pattern", exc.message)
        else:
            messages.success(request, "索引号格式已保存，此后新编的索引号按新格式生成。")
            return redirect("workbench:publishing_index_pattern", slug=agency.slug)
    example = current.render(agency.credit_code, clock.today().year, 1)
    return render(
        request,
        "workbench/publishing/index_pattern.html",
        {
            "agency": agency,
            "form": form,
            "example": example,
            "inherited": current.agency_id != agency.pk,
        },
    )


# --- channel statistics and registers -------------------------------------------------------------


@staff_required
def channel_stats(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug)
    if agency is None or not can_manage_registers(request.user, agency):
        return forbidden(request)
    year = _year(request)
    stat_form = StatForm(None, agency=agency, initial={"year": year})
    channel_form = ChannelForm()
    import_form = StatsImportForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "channel":
                channel_form = ChannelForm(request.POST)
                if channel_form.is_valid():
                    services.channel_create(
                        actor=request.user, agency=agency, **channel_form.cleaned_data
                    )
                    messages.success(request, "已新增渠道。")
                    return redirect(request.get_full_path())
            elif action == "import":
                import_form = StatsImportForm(request.POST, request.FILES)
                if import_form.is_valid():
                    checked = validate_upload(
                        import_form.cleaned_data["file"],
                        allowed={Kind.TEXT},
                        max_bytes=STATS_CSV_MAX_BYTES,
                        match_name=True,
                        label="CSV文件",
                    )
                    text = checked.data.decode("utf-8-sig", "replace")
                    result = services.channel_stats_import(
                        actor=request.user, agency=agency, text=text
                    )
                    messages.success(
                        request,
                        f"已导入：新增{result.created}条，更新{result.updated}条，"
                        f"新建渠道{result.channels_created}个。",
                    )
                    return redirect(request.get_full_path())
            else:
                stat_form = StatForm(request.POST, agency=agency)
                if stat_form.is_valid():
                    services.channel_stat_set(actor=request.user, **stat_form.cleaned_data)
                    messages.success(request, "已保存月度统计。")
                    return redirect(request.get_full_path())
        except DomainError as exc:
            messages.error(request, exc.message)
    stats = ChannelMonthlyStat.objects.filter(channel__agency=agency, year=year).select_related(
        "channel"
    )
    return render(
        request,
        "workbench/publishing/channels.html",
        {
            "agency": agency,
            "year": year,
            "stats": stats,
            "channels": Channel.objects.filter(agency=agency),
            "stat_form": stat_form,
            "channel_form": channel_form,
            "import_form": import_form,
        },
    )


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return clock.today().year
    return year if 2000 <= year <= 2100 else clock.today().year


@staff_required
def registers(request: HttpRequest, slug: str) -> HttpResponse:
    agency = _agency(request, slug)
    if agency is None or not can_manage_registers(request.user, agency):
        return forbidden(request)
    year = _year(request)
    existing = RegisterYear.objects.filter(agency=agency, year=year).first()
    initial: dict[str, Any] = {"year": year, "licensing": 0, "punishment": 0, "coercion": 0}
    initial["fees_yuan"] = 0
    if existing is not None:
        initial.update(
            licensing=existing.licensing,
            punishment=existing.punishment,
            coercion=existing.coercion,
            fees_yuan=existing.fees_fen / 100,
        )
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_set(
                actor=request.user,
                agency=agency,
                year=data["year"],
                licensing=data["licensing"],
                punishment=data["punishment"],
                coercion=data["coercion"],
                fees_fen=int(data["fees_yuan"] * 100),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已保存{data['year']}年登记数据。")
            return redirect(f"{request.path}?year={data['year']}")
    return render(
        request,
        "workbench/publishing/registers.html",
        {
            "agency": agency,
            "year": year,
            "form": form,
            "registers": RegisterYear.objects.filter(agency=agency),
        },
    )
