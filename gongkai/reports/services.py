"""Writes of the annual-report workflow.

Every service is keyword-only with an explicit `actor`, runs in one `transaction.atomic`, locks the
record it reads-then-writes and writes its `audit_record` in the same transaction. The status
changes in exactly one function, `report_transition`, which checks `states.TRANSITIONS` and
appends the `ReportEvent`; the named services (`report_submit`, `report_return`, `report_approve`,
`report_publish`, `report_start_correction`) check who may act and what must hold first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction

from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_record
from gongkai.core import clock
from gongkai.reports import format as fmt
from gongkai.reports.exceptions import (
    InvalidReportTransition,
    ReportInputInvalid,
    ReportNotEditable,
    ReportPermissionDenied,
    ReportSubmitRefused,
)
from gongkai.reports.generator import RecordSources, generate_report
from gongkai.reports.models import FIRST_YEAR, ReportEvent, ReportRecord, ReportVersion
from gongkai.reports.permissions import can_edit_report, can_review_report, can_sign_report
from gongkai.reports.rules import describe_cell
from gongkai.reports.selectors import previous_published_value, record_value, submit_problems
from gongkai.reports.states import (
    ACTION_NAMES,
    TRANSITIONS,
    Action,
    Status,
    TableSource,
    is_editable,
)
from gongkai.reports.tasks import prerender_version
from gongkai.reports.value import (
    FEE_WAN_YUAN_MAX,
    AnnualReport,
    Cell,
    FeeTooLarge,
    Table2,
    Table3,
    Table4,
    yuan_from_wan_yuan,
)

MAX_SECTION_LENGTH = 20_000
MAX_COMMENT_LENGTH = 2_000


def _lock(record: ReportRecord) -> ReportRecord:
    return ReportRecord.objects.select_for_update().select_related("agency").get(pk=record.pk)


def _audit(actor: Any, verb: str, record: ReportRecord, **data: Any) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target=record,
        agency_id=record.agency_id,
        data={"year": record.year, **data},
    )


def _status_label(status: str) -> str:
    return str(Status(status).label)


def report_transition(
    *, actor: Any, record: ReportRecord, action: Action, comment: str = ""
) -> ReportRecord:
    """The one place a report's status changes: checks TRANSITIONS, appends the event."""
    transition = TRANSITIONS[action]
    with transaction.atomic():
        locked = _lock(record)
        if locked.status not in transition.sources:
            raise InvalidReportTransition(
                f"年度报告当前为“{_status_label(locked.status)}”，不能{ACTION_NAMES[action]}。"
            )
        previous = locked.status
        locked.status = transition.target
        locked.updated_at = clock.now()
        locked.save(update_fields=["status", "updated_at"])
        ReportEvent.objects.create(
            record=locked,
            action=action.value,
            from_status=previous,
            to_status=transition.target,
            actor=actor if actor is not None and actor.is_authenticated else None,
            comment=comment,
            at=clock.now(),
        )
        _audit(
            actor,
            f"report.{action.value}",
            locked,
            **{"from": previous, "to": transition.target.value, "comment": comment},
        )
    return locked


# -------------------------------------------------------------------------------------------------
# Drafting


def report_draft_get_or_create(
    *,
    actor: Any,
    agency: Agency,
    year: int,
    sources: RecordSources | None = None,
) -> tuple[ReportRecord, tuple[str, ...]]:
    """The agency's report for `year`, created from the records if it does not exist yet.

    Returns the record and the generator's notes (which tables had no records) when it was created
    now, else no notes.
    """
    if actor is not None and not can_edit_report(actor, agency):
        raise ReportPermissionDenied()
    this_year = clock.today().year
    if not FIRST_YEAR <= year <= this_year:
        raise ReportInputInvalid(f"报告年度应在{FIRST_YEAR}年至{this_year}年之间。")
    existing = ReportRecord.objects.filter(agency=agency, year=year).first()
    if existing is not None:
        return existing, ()
    generated = generate_report(
        agency, year, sources=sources, previous=previous_published_value(agency, year)
    )
    try:
        with transaction.atomic():
            record = ReportRecord.objects.create(
                agency=agency,
                year=year,
                status=Status.DRAFT,
                draft=generated.report.to_storage_dict(),
                table_source=(
                    TableSource.RECORDS if generated.tables_from_records else TableSource.MANUAL
                ),
            )
            ReportEvent.objects.create(
                record=record,
                action=Action.CREATE.value,
                from_status="",
                to_status=Status.DRAFT,
                actor=actor if actor is not None and actor.is_authenticated else None,
                at=clock.now(),
            )
            _audit(
                actor,
                "report.create",
                record,
                from_records=sorted(generated.from_records),
            )
    except IntegrityError:
        # Someone else created it between our look and our insert: theirs stands.
        return ReportRecord.objects.get(agency=agency, year=year), ()
    return record, generated.notes


# The largest count a cell takes: far above any agency's year, small enough to stay cheap.
COUNT_MAX = 999_999_999
_COUNT_TEXT = re.compile(r"(?P<sign>[+-]?)(?P<digits>\d+)(?:\.0*)?")


def _parse_count(address: str, raw: object) -> Cell:
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ReportInputInvalid(f"{describe_cell(address)}应填写非负整数。", field=address)
    if isinstance(raw, int):
        value = raw
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "")
        if text == "":
            return None
        # Plain digits only (a trailing ".0" from a spreadsheet is fine): exponent notation such as
        # 1e3000000 would make int() take seconds, and thousands of digits exceed Python's limit.
        found = _COUNT_TEXT.fullmatch(text)
        if found is None:
            try:
                Decimal(text)
            except InvalidOperation as error:
                raise ReportInputInvalid(
                    f"{describe_cell(address)}填写的“{raw}”不是数字，应填写非负整数。",
                    field=address,
                ) from error
            raise ReportInputInvalid(
                f"{describe_cell(address)}填写的“{raw}”不是整数，应填写非负整数。", field=address
            )
        if len(found.group("digits")) > len(str(COUNT_MAX)):
            raise ReportInputInvalid(
                f"{describe_cell(address)}填写的“{raw}”过大（不应超过{COUNT_MAX:,}）。",
                field=address,
            )
        value = int(found.group("sign") + found.group("digits"))
    if value < 0:
        raise ReportInputInvalid(f"{describe_cell(address)}填写的“{raw}”是负数。", field=address)
    if value > COUNT_MAX:
        raise ReportInputInvalid(
            f"{describe_cell(address)}填写的“{raw}”过大（不应超过{COUNT_MAX:,}）。", field=address
        )
    return value


def _parse_fee(address: str, raw: object) -> Cell:
    if raw is None:
        return None
    text = unicodedata.normalize("NFKC", str(raw)).strip().replace(",", "")
    if text == "":
        return None
    try:
        yuan = yuan_from_wan_yuan(text)
    except FeeTooLarge as error:
        raise ReportInputInvalid(
            f"{describe_cell(address)}填写的“{raw}”过大（不应超过{FEE_WAN_YUAN_MAX:,}万元）。",
            field=address,
        ) from error
    except ValueError as error:
        raise ReportInputInvalid(
            f"{describe_cell(address)}填写的“{raw}”不是数字，应填写以万元为单位的金额。",
            field=address,
        ) from error
    if yuan < 0:
        raise ReportInputInvalid(f"{describe_cell(address)}填写的“{raw}”是负数。", field=address)
    return yuan


def _sum(values: list[Cell]) -> Cell:
    if any(value is None for value in values):
        return None
    return sum(value for value in values if value is not None)


@dataclass(frozen=True)
class Tables:
    table2: Table2
    table3: Table3
    table4: Table4


def tables_from_input(
    cells: Mapping[str, object], current: AnnualReport, *, compute_totals: bool
) -> Tables:
    """Merge entered cells (`table3.granted.natural_person` → "3") into the current tables.

    Raises ReportInputInvalid naming the first cell that is not a non-negative whole number (the
    fee: a 万元 amount). With `compute_totals` the 总计 column and row of table 3 and the 总计 of
    table 4 are computed from their parts, as the form shows them; an imported sheet keeps its own
    totals so that the checks show where they disagree.
    """
    values: dict[str, dict[str, Cell]] = {
        "table2": dict(current.table2.cells) if current.table2 else {},
        "table3": dict(current.table3.cells) if current.table3 else {},
        "table4": dict(current.table4.cells) if current.table4 else {},
    }
    allowed = {
        "table2": set(Table2.PATHS),
        "table3": set(Table3.PATHS),
        "table4": set(Table4.PATHS),
    }
    for address, raw in cells.items():
        table, _, path = address.partition(".")
        if table not in allowed or path not in allowed[table]:
            raise ReportInputInvalid(f"表格中没有单元格“{address}”。")
        if table == "table2" and path == fmt.T2_FEES_PATH:
            values[table][path] = _parse_fee(address, raw)
        else:
            values[table][path] = _parse_count(address, raw)
    if compute_totals:
        t3, t4 = values["table3"], values["table4"]
        applicants = [c.key for c in fmt.T3_APPLICANT_COLUMNS]
        for row in fmt.T3_ROW_KEYS:
            if row != fmt.T3_TOTAL_ROW:
                t3[f"{row}.total"] = _sum([t3.get(f"{row}.{c}") for c in applicants])
        for column in fmt.T3_COLUMN_KEYS:
            t3[f"{fmt.T3_TOTAL_ROW}.{column}"] = _sum(
                [t3.get(f"{row}.{column}") for row in fmt.T3_RESULT_ROWS]
            )
        for group in fmt.T4_GROUP_KEYS:
            t4[f"{group}.{fmt.T4_TOTAL_COLUMN}"] = _sum(
                [t4.get(f"{group}.{part}") for part in fmt.T4_PARTS]
            )
    return Tables(Table2(values["table2"]), Table3(values["table3"]), Table4(values["table4"]))


def _check_editable(actor: Any, record: ReportRecord) -> None:
    if not can_edit_report(actor, record.agency):
        raise ReportPermissionDenied()
    if not is_editable(record.status):
        raise ReportNotEditable(
            f"年度报告当前为“{_status_label(record.status)}”，不能修改；已发布的报告请先发起更正。"
        )


def report_save_draft(
    *,
    actor: Any,
    record: ReportRecord,
    sections: Mapping[str, str] | None = None,
    tables: Mapping[str, object] | None = None,
    compute_totals: bool = True,
) -> ReportRecord:
    """Save the working text and tables. All input is validated before anything is written."""
    with transaction.atomic():
        locked = _lock(record)
        _check_editable(actor, locked)
        current = record_value(locked)
        new_sections = dict(current.sections)
        changed_sections: list[str] = []
        for number, text in (sections or {}).items():
            if number not in (fmt.PREAMBLE_KEY, *fmt.SECTION_NUMBERS):
                raise ReportInputInvalid(f"报告没有编号为“{number}”的部分。")
            if not isinstance(text, str):
                raise ReportInputInvalid("报告正文应为文字。")
            cleaned = text.replace("\r\n", "\n").strip()
            if len(cleaned) > MAX_SECTION_LENGTH:
                raise ReportInputInvalid(
                    f"“{fmt.SECTION_BY_NUMBER[number].heading if number != '0' else '前言'}”"
                    f"部分超过{MAX_SECTION_LENGTH}字，请精简。"
                )
            if new_sections.get(number) != cleaned:
                changed_sections.append(number)
            new_sections[number] = cleaned
        updated = replace(current, sections=new_sections)
        changed_cells: list[str] = []
        if tables:
            parsed = tables_from_input(tables, current, compute_totals=compute_totals)
            updated = replace(
                updated, table2=parsed.table2, table3=parsed.table3, table4=parsed.table4
            )
            for name in ("table2", "table3", "table4"):
                before, after = getattr(current, name), getattr(updated, name)
                for path in type(after).PATHS:
                    old = before.get(path) if before is not None else None
                    if old != after.get(path):
                        changed_cells.append(f"{name}.{path}")
        fields = ["draft", "updated_at"]
        locked.draft = updated.to_storage_dict()
        if changed_cells:
            locked.table_source = TableSource.MANUAL
            fields.append("table_source")
        locked.updated_at = clock.now()
        locked.save(update_fields=fields)
        _audit(
            actor,
            "report.save",
            locked,
            sections=changed_sections,
            cells=len(changed_cells),
        )
    return locked


def report_refresh_tables(
    *, actor: Any, record: ReportRecord, sources: RecordSources | None = None
) -> tuple[ReportRecord, tuple[str, ...]]:
    """Replace the draft's tables by freshly counted ones; the prose is left as it is."""
    with transaction.atomic():
        locked = _lock(record)
        _check_editable(actor, locked)
        generated = generate_report(locked.agency, locked.year, sources=sources)
        updated = replace(
            record_value(locked),
            table2=generated.report.table2,
            table3=generated.report.table3,
            table4=generated.report.table4,
        )
        locked.draft = updated.to_storage_dict()
        locked.table_source = (
            TableSource.RECORDS if generated.tables_from_records else TableSource.MANUAL
        )
        locked.updated_at = clock.now()
        locked.save(update_fields=["draft", "table_source", "updated_at"])
        _audit(actor, "report.refresh_tables", locked, from_records=sorted(generated.from_records))
    return locked, generated.notes


# -------------------------------------------------------------------------------------------------
# The workflow


def _comment(text: str, *, required: bool, what: str) -> str:
    cleaned = (text or "").strip()
    if required and not cleaned:
        raise ReportInputInvalid(f"请填写{what}。")
    if len(cleaned) > MAX_COMMENT_LENGTH:
        raise ReportInputInvalid(f"{what}不能超过{MAX_COMMENT_LENGTH}字。")
    return cleaned


def report_submit(*, actor: Any, record: ReportRecord) -> ReportRecord:
    """The 公开办管理员 or 分管领导 sends the report to the supervising office for review."""
    with transaction.atomic():
        locked = _lock(record)
        if not can_sign_report(actor, locked.agency):
            raise ReportPermissionDenied("只有公开办管理员或分管领导可以报送年度报告。")
        if locked.status not in TRANSITIONS[Action.SUBMIT].sources:
            raise InvalidReportTransition(
                f"年度报告当前为“{_status_label(locked.status)}”，不能报送。"
            )
        problems = submit_problems(locked)
        if problems:
            raise ReportSubmitRefused(
                f"年度报告有{len(problems)}处问题需要改正后才能报送：" + "；".join(problems) + "。"
            )
        locked.submitted_at = clock.now()
        locked.save(update_fields=["submitted_at"])
        return report_transition(actor=actor, record=locked, action=Action.SUBMIT)


def report_return(*, actor: Any, record: ReportRecord, comment: str) -> ReportRecord:
    """The supervising office sends the report back with what to change."""
    with transaction.atomic():
        locked = _lock(record)
        if not can_review_report(actor, locked.agency):
            raise ReportPermissionDenied("只有上级监管部门可以退回年度报告。")
        note = _comment(comment, required=True, what="退回意见")
        return report_transition(actor=actor, record=locked, action=Action.RETURN, comment=note)


def report_approve(*, actor: Any, record: ReportRecord, comment: str = "") -> ReportRecord:
    with transaction.atomic():
        locked = _lock(record)
        if not can_review_report(actor, locked.agency):
            raise ReportPermissionDenied("只有上级监管部门可以审核年度报告。")
        note = _comment(comment, required=False, what="审核意见")
        return report_transition(actor=actor, record=locked, action=Action.APPROVE, comment=note)


def report_publish(*, actor: Any, record: ReportRecord, change_note: str = "") -> ReportVersion:
    """Publish the approved report: freeze the draft, dated today, as the next version.

    A correction (version 2 on) is published with a note of what changed, shown with the report.
    """
    with transaction.atomic():
        locked = _lock(record)
        if not can_sign_report(actor, locked.agency):
            raise ReportPermissionDenied("只有公开办管理员或分管领导可以发布年度报告。")
        if locked.status not in TRANSITIONS[Action.PUBLISH].sources:
            raise InvalidReportTransition(
                f"年度报告当前为“{_status_label(locked.status)}”，审核通过后才能发布。"
            )
        number = locked.versions.count() + 1
        note = _comment(change_note, required=False, what="更正说明") or locked.pending_change_note
        if number > 1 and not note:
            raise ReportInputInvalid("更正后重新发布的年度报告必须填写更正说明。")
        today = clock.today()
        value = replace(record_value(locked), published_on=today)
        version = ReportVersion.objects.create(
            record=locked,
            number=number,
            report=value.to_storage_dict(),
            published_on=today,
            published_at=clock.now(),
            published_by=actor if actor is not None and actor.is_authenticated else None,
            change_note=note if number > 1 else "",
        )
        locked.draft = value.to_storage_dict()
        locked.pending_change_note = ""
        locked.save(update_fields=["draft", "pending_change_note"])
        report_transition(
            actor=actor,
            record=locked,
            action=Action.PUBLISH,
            comment=f"第{number}版" + (f"：{note}" if number > 1 else ""),
        )
        # The DOCX and PDF are rendered by background jobs once the version is committed; a
        # failure there never undoes the publication (the download page offers a retry).
        transaction.on_commit(partial(prerender_version, version.pk), robust=True)
    return version


def report_start_correction(*, actor: Any, record: ReportRecord, change_note: str) -> ReportRecord:
    """Reopen a published report for correction; the note is published with the new version."""
    with transaction.atomic():
        locked = _lock(record)
        if not can_sign_report(actor, locked.agency):
            raise ReportPermissionDenied("只有公开办管理员或分管领导可以发起更正。")
        note = _comment(change_note, required=True, what="更正说明")
        if locked.status not in TRANSITIONS[Action.CORRECT].sources:
            raise InvalidReportTransition(
                f"年度报告当前为“{_status_label(locked.status)}”，只有已发布的报告才能发起更正。"
            )
        locked.pending_change_note = note
        locked.draft = replace(record_value(locked), published_on=None).to_storage_dict()
        locked.save(update_fields=["pending_change_note", "draft"])
        return report_transition(actor=actor, record=locked, action=Action.CORRECT, comment=note)
