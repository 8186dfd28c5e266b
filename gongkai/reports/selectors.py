"""Reads of annual reports, scoped to the caller.

Staff reads go through `report_record_get_for_user` / `report_records_for_agency` (the agency's
people and its supervising office); the portal reads only published versions
(`published_*_public`). Values come back as `AnnualReport`, the one shape every renderer takes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from gongkai.agencies.models import Agency
from gongkai.agencies.permissions import access_for
from gongkai.agencies.selectors import agencies_public, report_deadline
from gongkai.core.exceptions import NotFoundError
from gongkai.reports import format as fmt
from gongkai.reports.exceptions import ReportPermissionDenied
from gongkai.reports.generator import ReportTables, has_prompt, tables_for_agencies
from gongkai.reports.models import ReportEvent, ReportRecord, ReportVersion
from gongkai.reports.permissions import can_review_report, can_view_report
from gongkai.reports.rules import Finding, check_report, errors
from gongkai.reports.similarity import jaccard, shingles
from gongkai.reports.states import Status
from gongkai.reports.value import AnnualReport


def record_value(record: ReportRecord) -> AnnualReport:
    return AnnualReport.from_json_dict(record.draft)


def version_value(version: ReportVersion) -> AnnualReport:
    return AnnualReport.from_json_dict(version.report)


# -------------------------------------------------------------------------------------------------
# Staff


def report_records_for_agency(user: Any, agency: Agency) -> QuerySet[ReportRecord]:
    if not can_view_report(user, agency):
        raise ReportPermissionDenied()
    return (
        ReportRecord.objects.filter(agency=agency)
        .select_related("agency")
        .prefetch_related("versions")
        .order_by("-year")
    )


def report_record_get_for_user(user: Any, agency: Agency, year: int) -> ReportRecord:
    if not can_view_report(user, agency):
        raise NotFoundError()
    record = (
        ReportRecord.objects.select_related("agency", "agency__parent")
        .filter(agency=agency, year=year)
        .first()
    )
    if record is None:
        raise NotFoundError("该年度的年度报告尚未开始编制。")
    return record


def report_record_find(agency: Agency, year: int) -> ReportRecord | None:
    """Unscoped lookup for the system itself (the command line, the demo loader)."""
    return ReportRecord.objects.select_related("agency").filter(agency=agency, year=year).first()


def report_versions(record: ReportRecord) -> QuerySet[ReportVersion]:
    return record.versions.select_related("published_by").order_by("-number")


def report_version_get(record: ReportRecord, number: int) -> ReportVersion:
    version = record.versions.filter(number=number).first()
    if version is None:
        raise NotFoundError("没有这个版本。")
    return version


def report_events(record: ReportRecord) -> QuerySet[ReportEvent]:
    return record.events.select_related("actor").order_by("at", "id")


def latest_version(record: ReportRecord) -> ReportVersion | None:
    return record.versions.order_by("-number").first()


def previous_published_value(agency: Agency, year: int) -> AnnualReport | None:
    """The latest published version of the agency's report for the year before `year`."""
    version = (
        ReportVersion.objects.filter(record__agency=agency, record__year=year - 1)
        .order_by("-number")
        .first()
    )
    return None if version is None else version_value(version)


def report_findings(record: ReportRecord, value: AnnualReport | None = None) -> list[Finding]:
    """The spec §6 checks on the working draft, against last year's report and the deadline."""
    report = value if value is not None else record_value(record)
    return check_report(
        report,
        previous=previous_published_value(record.agency, record.year),
        deadline=report_deadline(record.agency, record.year),
    )


def submit_problems(record: ReportRecord) -> list[str]:
    """Why the report cannot be submitted yet: error findings and unfinished 【待填写】 prompts."""
    value = record_value(record)
    problems = [finding.message for finding in errors(report_findings(record, value))]
    unfinished = [
        ("前言" if number == fmt.PREAMBLE_KEY else fmt.SECTION_BY_NUMBER[number].heading)
        for number, text in value.sections.items()
        if has_prompt(text)
    ]
    if unfinished:
        problems.append(f"以下部分还有“【待填写】”的内容未完成：{'、'.join(unfinished)}")
    return problems


@dataclass(frozen=True)
class SectionBeside:
    number: str
    heading: str
    text: str
    previous_text: str | None
    similarity: float | None  # Jaccard similarity of the shingle sets, 0–1


def sections_beside_last_year(
    report: AnnualReport, previous: AnnualReport | None
) -> list[SectionBeside]:
    """Each prose section with last year's text and how similar the two are."""
    rows = []
    for number, heading in (
        (fmt.PREAMBLE_KEY, "前言"),
        *((s.number, s.heading) for s in fmt.SECTIONS),
    ):
        text = report.section(number) or ""
        before = previous.section(number) if previous is not None else None
        similarity = None
        if before and text:
            similarity = jaccard(shingles(text), shingles(before))
        rows.append(SectionBeside(number, heading, text, before, similarity))
    return rows


# -------------------------------------------------------------------------------------------------
# The supervising office


def supervised_agencies(user: Any) -> QuerySet[Agency]:
    """Agencies in the subtrees the user supervises (every agency for a system administrator)."""
    access = access_for(user)
    if access.superuser:
        return agencies_public()
    if not access.supervised_paths:
        return agencies_public().none()
    condition = Q()
    for path in access.supervised_paths:
        condition |= Q(path__startswith=path)
    return agencies_public().filter(condition)


def report_tables_supervised(user: Any, year: int) -> list[tuple[Agency, ReportTables]]:
    """Tables 2–4 of `year` computed from the records for every agency the user supervises, in
    tree order — the province-wide statistic, from a few grouped queries (`tables_for_agencies`)."""
    agencies = supervised_agencies(user).order_by("path")
    tables = tables_for_agencies(agencies, year)
    return [(agency, tables[agency.pk]) for agency in agencies if agency.pk in tables]


def reports_awaiting_review(user: Any) -> list[ReportRecord]:
    agencies = supervised_agencies(user)
    records = (
        ReportRecord.objects.filter(agency__in=agencies, status=Status.SUBMITTED)
        .select_related("agency")
        .order_by("year", "agency__path")
    )
    return [record for record in records if can_review_report(user, record.agency)]


@dataclass(frozen=True)
class AgencyProgress:
    agency: Agency
    record: ReportRecord | None
    deadline: dt.date
    published_on: dt.date | None

    @property
    def status_label(self) -> str:
        return "未开始编制" if self.record is None else str(self.record.get_status_display())

    def is_late(self, today: dt.date) -> bool:
        """Not published by the deadline: published after it, or still unpublished past it."""
        if self.published_on is not None:
            return self.published_on > self.deadline
        return today > self.deadline


def report_progress(user: Any, year: int) -> list[AgencyProgress]:
    """Every supervised agency's report for `year`: its status, deadline and first publication."""
    agencies = list(supervised_agencies(user))
    records = {
        record.agency_id: record
        for record in ReportRecord.objects.filter(agency__in=agencies, year=year).prefetch_related(
            Prefetch("versions", queryset=ReportVersion.objects.order_by("number"))
        )
    }
    rows = []
    for agency in agencies:
        record = records.get(agency.pk)
        versions = list(record.versions.all()) if record is not None else []
        rows.append(
            AgencyProgress(
                agency,
                record,
                report_deadline(agency, year),
                versions[0].published_on if versions else None,
            )
        )
    return rows


# -------------------------------------------------------------------------------------------------
# The public


@dataclass(frozen=True)
class PublishedReport:
    record: ReportRecord
    latest: ReportVersion
    corrections: tuple[ReportVersion, ...]  # versions 2.. newest first, each with its note

    @property
    def title(self) -> str:
        return f"{self.record.agency.name}{self.record.year}年{fmt.TITLE_SUFFIX}"


def _published(records: QuerySet[ReportRecord]) -> list[PublishedReport]:
    records = (
        records.filter(versions__isnull=False)
        .distinct()
        .prefetch_related(Prefetch("versions", queryset=ReportVersion.objects.order_by("-number")))
    )
    out = []
    for record in records:
        versions = list(record.versions.all())
        out.append(
            PublishedReport(record, versions[0], tuple(v for v in versions if v.is_correction))
        )
    return out


def published_reports_public(agency: Agency | None = None) -> list[PublishedReport]:
    """Every published report (of one agency, or of all), newest year first."""
    records = ReportRecord.objects.select_related("agency").order_by("-year", "agency__path")
    if agency is not None:
        records = records.filter(agency=agency)
    return _published(records)


def published_report_public(agency: Agency, year: int) -> PublishedReport:
    found = _published(
        ReportRecord.objects.select_related("agency").filter(agency=agency, year=year)
    )
    if not found:
        raise NotFoundError("该年度的年度报告尚未发布。")
    return found[0]


@dataclass(frozen=True)
class BatchDocument:
    """One report of the supervised subtree, for checking the whole batch at once."""

    name: str
    year: int
    report: AnnualReport
    deadline: dt.date | None = None  # the agency's deadline for that year (LATE-PUBLICATION)


def reports_for_batch_check(user: Any, year: int) -> list[BatchDocument]:
    """Every report of `year` in the user's supervised subtree — the latest published version and,
    where one is being worked on, the current draft — plus last year's published versions, which the
    checker needs for CARRYOVER-MISMATCH and SIMILAR-TEXT against the previous year."""
    records = (
        ReportRecord.objects.filter(agency__in=supervised_agencies(user), year__in=[year - 1, year])
        .select_related("agency")
        .prefetch_related("versions")
        .order_by("agency__path", "year")
    )
    documents: list[BatchDocument] = []
    for record in records:
        deadline = report_deadline(record.agency, record.year)
        versions = sorted(record.versions.all(), key=lambda v: v.number)
        if versions:
            latest = versions[-1]
            documents.append(
                BatchDocument(
                    f"{record.agency.name} {record.year}年 已发布第{latest.number}版",
                    record.year,
                    version_value(latest),
                    deadline,
                )
            )
        if record.year == year and record.status != Status.PUBLISHED:
            documents.append(
                BatchDocument(
                    f"{record.agency.name} {record.year}年 工作稿（{record.get_status_display()}）",
                    record.year,
                    record_value(record),
                    deadline,
                )
            )
    return documents
