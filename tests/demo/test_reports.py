"""The demo reports: 宋村镇 2023 published on 25 January 2024, 高村镇 2023 submitted; idempotent."""

import datetime as dt

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.demo import reports as demo_reports
from gongkai.reports.generator import has_prompt
from gongkai.reports.models import ReportRecord, ReportVersion
from gongkai.reports.rules import Severity, check_report
from gongkai.reports.selectors import version_value
from gongkai.reports.states import Status

pytestmark = pytest.mark.django_db


def test_demo_reports_load_once(district):
    demo_reports.load(district)
    songcun = ReportRecord.objects.get(agency=district["songcun"], year=2023)
    assert songcun.status == Status.PUBLISHED
    version = ReportVersion.objects.get(record=songcun)
    assert version.published_on == dt.date(2024, 1, 25)
    report = version_value(version)
    assert not any(has_prompt(text) for text in report.sections.values())
    assert [f for f in check_report(report) if f.severity is Severity.ERROR] == []
    gaocun = ReportRecord.objects.get(agency=district["gaocun"], year=2023)
    assert gaocun.status == Status.SUBMITTED
    events = AuditEvent.objects.count()
    demo_reports.load(district)
    assert AuditEvent.objects.count() == events
    assert ReportVersion.objects.count() == 1
