import datetime as dt

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.core import calendar as calendar_module
from gongkai.core.calendar import load_calendar, register_recompute_hook
from gongkai.core.exceptions import ValidationFailed
from gongkai.core.models import CalendarYear, WorkdayOverride
from gongkai.core.services import calendar_import, calendar_year_unmark, workday_override_delete
from gongkai.core.workdays import add_workdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded_hook(monkeypatch):
    calls = []
    monkeypatch.setattr(calendar_module, "_hooks", [])

    def hook(*, years, actor):
        calls.append((years, actor))
        return 3

    register_recompute_hook(hook)
    return calls


def test_import_creates_overrides_marks_the_year_and_runs_the_hooks(recorded_hook):
    before = add_workdays(load_calendar(), dt.date(2027, 2, 5), 1)
    assert before.provisional and before.due == dt.date(2027, 2, 8)

    result = calendar_import(
        actor=None, text="2027-02-06至2027-02-13 休 春节\n2027-02-14 班 春节", source="国办发明电"
    )

    assert (result.created, result.changed, result.years) == (9, 0, (2027,))
    assert result.deadlines_recomputed == 3
    assert recorded_hook == [(frozenset({2027}), None)]
    assert CalendarYear.objects.get().year == 2027
    after = add_workdays(load_calendar(), dt.date(2027, 2, 5), 1)
    assert after.due == dt.date(2027, 2, 14) and not after.provisional
    assert "2027-02-06（星期六）至2027-02-13（星期六） 春节放假（8天）" in "\n".join(
        after.explanation
    )
    event = AuditEvent.objects.get(verb="calendar.imported")
    assert event.data["years"] == [2027] and event.data["created"] == 9


def test_reimport_counts_changes_and_unchanged(recorded_hook):
    calendar_import(actor=None, text="2027-02-06 休\n2027-02-14 班")
    result = calendar_import(actor=None, text="2027-02-06 休 春节\n2027-02-14 班")
    assert (result.created, result.changed, result.unchanged) == (0, 1, 1)


def test_a_bad_line_imports_nothing(recorded_hook):
    with pytest.raises(ValidationFailed, match="第2行"):
        calendar_import(actor=None, text="2027-02-06 休\n2027-13-01 班")
    assert not WorkdayOverride.objects.exists()
    assert not AuditEvent.objects.filter(verb="calendar.imported").exists()
    assert recorded_hook == []


def test_deleting_an_override_and_unmarking_a_year_are_audited(recorded_hook):
    calendar_import(actor=None, text="2027-02-06 休")
    workday_override_delete(actor=None, day=dt.date(2027, 2, 6))
    calendar_year_unmark(actor=None, year=2027)
    assert not WorkdayOverride.objects.exists()
    assert list(AuditEvent.objects.values_list("verb", flat=True)) == [
        "calendar.imported",
        "calendar.override_deleted",
        "calendar.year_unmarked",
    ]
    with pytest.raises(ValidationFailed):
        workday_override_delete(actor=None, day=dt.date(2027, 2, 6))
