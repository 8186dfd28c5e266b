"""Workbench: the report checker — upload published reports or paste their text, see the parsed
tables with the offending cells marked and the findings beside them, export the findings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.core import clock
from gongkai.core.uploads import Kind, UploadRejected, validate_upload
from gongkai.reports.checker.check import MAX_BYTES, CheckResult, Input, check_batch
from gongkai.reports.checker.output import SEVERITY_NAMES, findings_xlsx, flagged_tables
from gongkai.reports.rules import Finding, Rule, Severity
from gongkai.reports.selectors import reports_for_batch_check, supervised_agencies
from gongkai.workbench.access import forbidden, staff_required

SESSION_KEY = "reports_checker_findings"
MAX_FILES = 50
CHECKER_KINDS = frozenset({Kind.PDF, Kind.DOCX, Kind.XLSX, Kind.TEXT})
PASTED_NAME = "粘贴的文本"
BOOTSTRAP_FLAGS = {Severity.ERROR: "table-danger", Severity.WARNING: "table-warning"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class CheckerForm(forms.Form):
    documents = MultipleFileField(
        label="报告文件",
        required=False,
        help_text="可选择多个文件：网页（HTML）、文本、Word（DOCX）、PDF、Excel（XLSX）；每个不超过 20 MB",
    )
    text = forms.CharField(
        label="或粘贴报告文字",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
    )
    published_on = forms.DateField(
        label="发布日期（可选，覆盖文件中识别的日期）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )

    def clean_documents(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("documents") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"一次最多检查 {MAX_FILES} 个文件")
        for upload in files:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(
                    f"文件“{upload.name}”过大（{upload.size / 1024 / 1024:.1f} MB），"
                    "超过 20 MB 的上限"
                )
            try:
                # Type from the content; a zip bomb is refused before any reader opens it.
                validate_upload(upload, allowed=CHECKER_KINDS, max_bytes=MAX_BYTES)
            except UploadRejected as exc:
                raise forms.ValidationError(exc.message) from exc
        return files

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("documents") and not (cleaned.get("text") or "").strip():
            raise forms.ValidationError("请上传报告文件或粘贴报告文字")
        return cleaned


def _inputs(form: CheckerForm) -> list[Input]:
    inputs = [Input(upload.name, upload.read()) for upload in form.cleaned_data["documents"]]
    text = (form.cleaned_data.get("text") or "").strip()
    if text:
        inputs.append(Input(PASTED_NAME, text.encode("utf-8")))
    return inputs


def _view_model(result: CheckResult) -> dict[str, Any]:
    report = None if result.parsed is None else result.parsed.report
    return {
        "file": result.file,
        "report": report,
        "year_known": result.parsed is not None and result.parsed.year_known,
        "findings": [
            {
                "rule": item.rule.value,
                "severity": item.severity.value,
                "severity_name": SEVERITY_NAMES[item.severity],
                "cells": item.cells,
                "message": item.message,
            }
            for item in result.findings
        ],
        "errors": sum(1 for item in result.findings if item.severity is Severity.ERROR),
        "warnings": sum(1 for item in result.findings if item.severity is Severity.WARNING),
        "tables": flagged_tables(
            result, flag_classes=BOOTSTRAP_FLAGS, table_class="table table-bordered table-sm"
        ),
    }


@staff_required
@require_http_methods(["GET", "POST"])
def checker(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = CheckerForm(request.POST, request.FILES) if posted else CheckerForm()
    results: list[dict[str, Any]] = []
    if posted and form.is_valid():
        checked = check_batch(_inputs(form), published_on=form.cleaned_data.get("published_on"))
        results = [_view_model(result) for result in checked]
        request.session[SESSION_KEY] = [
            [result.file, [item.to_json() for item in result.findings]] for result in checked
        ]
    return _page(request, form, results)


def _page(
    request: HttpRequest, form: CheckerForm, results: list[dict[str, Any]], **extra: Any
) -> HttpResponse:
    this_year = clock.today().year
    return render(
        request,
        "workbench/checker/index.html",
        {
            "form": form,
            "results": results,
            "can_export": bool(request.session.get(SESSION_KEY)),
            "supervises": supervised_agencies(request.user).exists(),
            "batch_years": list(range(this_year - 1, this_year - 6, -1)),
            **extra,
        },
    )


@staff_required
@require_http_methods(["POST"])
def checker_subtree(request: HttpRequest) -> HttpResponse:
    """The supervising office checks every report of a year in its subtree at once: published
    versions and drafts, with last year's versions for the carry-over and copied-text checks."""
    if not supervised_agencies(request.user).exists():
        return forbidden(request)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = clock.today().year - 1
    documents = reports_for_batch_check(request.user, year)
    if not any(document.year == year for document in documents):
        return _page(
            request,
            CheckerForm(),
            [],
            batch_year=year,
            batch_message=f"辖区内没有{year}年度的报告。",
        )
    inputs = [Input(document.name, document.report.to_json().encode()) for document in documents]
    checked = [
        result
        for document, result in zip(
            documents,
            check_batch(inputs, deadlines=[document.deadline for document in documents]),
            strict=True,
        )
        if document.year == year
    ]
    request.session[SESSION_KEY] = [
        [result.file, [item.to_json() for item in result.findings]] for result in checked
    ]
    return _page(
        request, CheckerForm(), [_view_model(result) for result in checked], batch_year=year
    )


@staff_required
@require_http_methods(["GET"])
def checker_export(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return redirect("workbench:reports_checker")
    rows: list[tuple[str, Finding]] = []
    for file, findings in stored:
        for item in findings:
            rule = Rule(item["rule"])
            rows.append(
                (
                    file,
                    Finding(
                        rule, Severity(item["severity"]), tuple(item["cells"]), item["message"]
                    ),
                )
            )
    response = HttpResponse(
        findings_xlsx(rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="report-check.xlsx"'
    return response
