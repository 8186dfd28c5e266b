"""XLSX renderings of the dashboard and of an assessment sheet's results (openpyxl).

Each function takes values already read (and scoped) by the selectors and returns the file's bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.agencies.models import Agency
from gongkai.supervision.departments import DepartmentRow, applicable_criteria
from gongkai.supervision.models import Assessment, AssessmentSheet, DepartmentAssessment
from gongkai.supervision.overview import AgencyOverview

DASHBOARD_HEADERS = (
    "机关",
    "本年发布信息（条）",
    "超期发布（条）",
    "按时发布率",
    "超期未发布（条）",
    "长期未更新栏目（个）",
    "空白栏目（个）",
    "待处理扫描发现（处）",
    "本年收到申请（件）",
    "即将到期申请（件）",
    "超期未答复申请（件）",
    "本年办结申请（件）",
    "复议诉讼（件）",
    "被纠错（件）",
    "年度报告状态",
    "年度报告截止日期",
    "年度报告发布日期",
)


def _number(value: int | None) -> int | str:
    return "—" if value is None else value


def _header(sheet: Worksheet, headers: Sequence[str]) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 32


def overview_row(row: AgencyOverview) -> list[object]:
    apps = row.applications
    report = row.report
    return [
        row.agency.name,
        row.published_total,
        row.published_late,
        row.timely_percent,
        row.unpublished_overdue,
        len(row.stale_columns),
        len(row.empty_columns),
        _number(row.open_findings),
        _number(apps.received if apps else None),
        _number(apps.due_soon if apps else None),
        _number(apps.overdue if apps else None),
        _number(apps.finished if apps else None),
        _number(row.remedies.total if row.remedies else None),
        _number(row.remedies.corrected if row.remedies else None),
        report.status_label if report else "—",
        report.deadline.isoformat() if report else "—",
        report.published_on.isoformat() if report and report.published_on else "—",
    ]


def _department_line(row: DepartmentRow) -> list[object]:
    apps = row.applications
    return [
        row.name,
        row.published,
        row.late,
        row.timely_percent,
        row.unpublished_overdue,
        _number(apps.received if apps else None),
        _number(apps.finished if apps else None),
        _number(apps.replied_late if apps else None),
        _number(apps.overdue if apps else None),
        row.tasks_total,
        row.tasks_done,
    ]


def dashboard_xlsx(
    rows: Sequence[AgencyOverview],
    year: int,
    departments: Sequence[tuple[Agency, Sequence[DepartmentRow]]] = (),
) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None  # noqa: S101 - a new workbook always has one sheet
    summary.title = f"{year}年概况"
    _header(summary, DASHBOARD_HEADERS)
    for row in rows:
        summary.append(overview_row(row))

    months = book.create_sheet("按月发布")
    _header(months, ["机关", "栏目", *(f"{m}月" for m in range(1, 13)), "合计"])
    for row in rows:
        months.append([row.agency.name, "全部栏目", *row.published_by_month, row.published_total])
        for column, counts in sorted(row.published_by_column.items()):
            months.append([row.agency.name, column, *counts, sum(counts)])

    columns = book.create_sheet("栏目问题")
    _header(columns, ["机关", "栏目", "问题", "最近更新"])
    for row in rows:
        for state in row.stale_columns:
            last = state.last_published.isoformat() if state.last_published else "—"
            columns.append([row.agency.name, state.column.name, "长期未更新", last])
        for state in row.empty_columns:
            columns.append([row.agency.name, state.column.name, "空白栏目", "—"])

    outcomes = book.create_sheet("申请办理结果")
    _header(outcomes, ["机关", "办理结果", "件数"])
    for row in rows:
        if row.applications:
            for label, count in row.applications.outcomes.items():
                outcomes.append([row.agency.name, label, count])

    if departments:
        by_department = book.create_sheet("各科室情况")
        _header(by_department, ["机关", *DEPARTMENT_HEADERS])
        for agency, department_rows in departments:
            for department in department_rows:
                by_department.append([agency.name, *_department_line(department)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


DEPARTMENT_HEADERS = (
    "科室",
    "本年发布信息（条）",
    "超期发布（条）",
    "按时发布率",
    "超期未公开（条）",
    "本年收到申请（件）",
    "本年办结申请（件）",
    "超期答复（件）",
    "超期未答复申请（件）",
    "工作要点任务总数",
    "已完成任务",
)


def departments_xlsx(agency: Agency, rows: Sequence[DepartmentRow], year: int) -> bytes:
    book = Workbook()
    table = book.active
    assert table is not None  # noqa: S101 - a new workbook always has one sheet
    table.title = f"{year}年各科室情况"
    _header(table, DEPARTMENT_HEADERS)
    for row in rows:
        table.append(_department_line(row))
    table.append([])
    table.append([f"{agency.name}（按信息起草科室、申请承办科室、任务责任科室统计）"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def assessment_xlsx(
    sheet: AssessmentSheet,
    results: Sequence[Assessment],
    department_results: Sequence[DepartmentAssessment] = (),
) -> bytes:
    criteria = list(sheet.criteria.all())
    book = Workbook()
    table = book.active
    assert table is not None  # noqa: S101 - a new workbook always has one sheet
    table.title = f"{sheet.year}年考核结果"
    headers = ["机关"]
    for criterion in criteria:
        headers += [f"{criterion.name}（{criterion.max_score}分）", "计算依据"]
    headers.append(f"总分（满分{sum(c.max_score for c in criteria)}）")
    _header(table, headers)
    for assessment in results:
        scores = {s.criterion_id: s for s in assessment.scores.all()}
        line: list[object] = [assessment.agency.name]
        for criterion in criteria:
            score = scores.get(criterion.pk)
            line += [float(score.score) if score else "—", score.figure if score else ""]
        line.append(float(assessment.total))
        table.append(line)

    if department_results:
        applicable = applicable_criteria(criteria)
        departments = book.create_sheet(f"{sheet.year}年科室考核结果")
        headers = ["机关", "科室"]
        for criterion in applicable:
            headers += [f"{criterion.name}（{criterion.max_score}分）", "计算依据"]
        headers += ["得分", "适用指标满分", "百分制得分"]
        _header(departments, headers)
        for result in department_results:
            by_criterion = {int(str(s["criterion"])): s for s in result.scores}
            line = [result.department.agency.name, result.department.name]
            for criterion in applicable:
                score = by_criterion.get(criterion.pk)
                line += (
                    [float(str(score["score"])), str(score["figure"])] if score else ["不适用", ""]
                )
            percent = result.percent
            line += [
                float(result.total),
                result.max_total,
                float(percent) if percent is not None else "—",
            ]
            departments.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
