"""Database invariants of the report records."""

import pytest
from django.db import IntegrityError, transaction

from gongkai.reports import format as fmt
from gongkai.reports.models import ReportRecord, ReportVersion
from gongkai.reports.value import Agency, zero_report

pytestmark = pytest.mark.django_db


def _draft():
    return zero_report(
        agency=Agency("威海市文登区宋村镇人民政府", fmt.AgencyLevel.TOWNSHIP), year=2023
    ).to_json_dict()


def test_one_report_per_agency_and_year(district):
    ReportRecord.objects.create(agency=district["songcun"], year=2023, draft=_draft())
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRecord.objects.create(agency=district["songcun"], year=2023, draft=_draft())
    ReportRecord.objects.create(agency=district["songcun"], year=2022, draft=_draft())
    assert ReportRecord.objects.count() == 2


def test_status_and_year_are_checked_by_the_database(district):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRecord.objects.create(
            agency=district["songcun"], year=2023, draft=_draft(), status="lost"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRecord.objects.create(agency=district["songcun"], year=2019, draft=_draft())


def test_a_correction_version_needs_a_change_note(district):
    record = ReportRecord.objects.create(agency=district["songcun"], year=2023, draft=_draft())
    ReportVersion.objects.create(
        record=record, number=1, report=_draft(), published_on="2024-01-25"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportVersion.objects.create(
            record=record, number=2, report=_draft(), published_on="2024-02-01"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportVersion.objects.create(
            record=record, number=1, report=_draft(), published_on="2024-02-01", change_note="x"
        )
    second = ReportVersion.objects.create(
        record=record,
        number=2,
        report=_draft(),
        published_on="2024-02-01",
        change_note="更正表三的填报错误",
    )
    assert second.is_correction
    assert str(record) == "宋村镇2023年年度报告（草稿）"
