"""`gongkai deadline`: the public calculator on the stored calendar."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from gongkai.core.models import CalendarYear, WorkdayOverride

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("deadline", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[int | str | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as excinfo:
        call_command("deadline", *args, stdout=out, stderr=err)
    return excinfo.value.code, out.getvalue(), err.getvalue()


def test_due_date_on_the_first_line_then_the_explanation() -> None:
    out, err = run("--received", "2024-02-05")
    lines = out.splitlines()
    assert lines[0] == "2024-03-08"
    assert "收到申请：2024-02-05（星期一）。" in lines
    assert lines[-1] == "答复期限届满日：2024-03-08（星期五）。"
    assert err == ""


def test_json_output() -> None:
    out, _ = run("--received", "2023-09-25", "--json")
    payload = json.loads(out)
    # Hand-checked in test_deadlines: National Day 2023.
    assert payload["due_date"] == "2023-10-27"
    assert payload["correction_notice_due"] == "2023-10-10"
    assert payload["provisional"] is False
    assert payload["explanation"][0] == "收到申请：2023-09-25（星期一）。"


def test_correction_consultations_and_extension() -> None:
    # 补正 received 2024-09-20 (as the receipt in test_deadlines): consultation 10-08…10-11,
    # then extended → 2024-11-26.
    out, _ = run(
        "--received",
        "2024-09-10",
        "--correction-requested",
        "2024-09-12",
        "--correction-received",
        "2024-09-20",
        "--consultation",
        "2024-10-08:2024-10-11",
        "--extended",
    )
    assert out.splitlines()[0] == "2024-11-26"
    assert "原答复期限届满日：2024-10-29（星期二）。" in out


def test_several_consultations() -> None:
    # Two one-day consultations on Mon 03-04 and Tue 03-05 2024: 03-08 moves by 2 → 03-12.
    out, _ = run(
        "--received",
        "2024-02-05",
        "--consultation",
        "2024-03-04:2024-03-04",
        "--consultation",
        "2024-03-05:2024-03-05",
    )
    assert out.splitlines()[0] == "2024-03-12"


def test_stored_overrides_win() -> None:
    # An administrator marks Mon 2024-03-04 as a day off: the due date moves to Mon 03-11.
    WorkdayOverride.objects.create(date=dt.date(2024, 3, 4), is_workday=False, note="测试停工")
    out, _ = run("--received", "2024-02-05")
    assert out.splitlines()[0] == "2024-03-11"
    assert "测试停工" in out


def test_unknown_year_warns_on_stderr_and_exits_0() -> None:
    out, err = run("--received", "2027-03-01")
    assert out.splitlines()[0] == "2027-03-29"
    assert err.startswith("警告：2027年节假日安排尚未录入")


def test_unknown_year_with_strict_exits_3_after_printing() -> None:
    code, out, err = run_failing("--received", "2027-03-01", "--strict", "--json")
    assert code == 3
    assert json.loads(out)["provisional"] is True
    assert "2027年节假日安排尚未录入" in err


def test_entered_year_is_no_longer_provisional() -> None:
    CalendarYear.objects.create(year=2027)
    out, err = run("--received", "2027-03-01", "--strict")
    assert out.splitlines()[0] == "2027-03-29"
    assert err == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "请用 --received"),
        (("--received", "2024/02/05"), "日期格式不正确"),
        (("--received", "2024-02-30"), "日期不存在"),
        (("--received", "2024-02-05", "--consultation", "2024-03-01"), "开始日期:结束日期"),
        (
            ("--received", "2024-02-05", "--consultation", "2024-03-05:2024-03-01"),
            "早于开始日期",
        ),
        (("--received", "2024-02-05", "--correction-requested", "2024-02-07"), "须同时填写"),
        (
            (
                "--received",
                "2024-02-05",
                "--correction-requested",
                "2024-02-07",
                "--correction-received",
                "2024-02-06",
            ),
            "早于补正通知日期",
        ),
    ],
)
def test_bad_input_exits_2_with_a_chinese_message(args: tuple[str, ...], message: str) -> None:
    code, out, err = run_failing(*args)
    assert code == 2
    assert out == ""
    assert err.startswith("错误：")
    assert message in err
    assert "Traceback" not in err


def test_unreadable_calendar_exits_1_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import DatabaseError

    from gongkai.applications.management.commands import deadline

    def broken() -> None:
        raise DatabaseError("no such table: core_workdayoverride")

    monkeypatch.setattr(deadline, "load_calendar", broken)
    code, out, err = run_failing("--received", "2024-02-05")
    assert code == 1
    assert out == ""
    assert err.startswith("错误：无法读取节假日调整表")
