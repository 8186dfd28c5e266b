"""`gongkai report check`: output formats, exit status, oversized and missing files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.reports.checker.cli import run
from tests.reports.checker.helpers import FIXTURES


def _run(*files: str, **options: object) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    status = run({"files": [str(FIXTURES / name) for name in files], **options}, stdout, stderr)
    return status, stdout.getvalue(), stderr.getvalue()


def test_json_lists_each_input_in_order() -> None:
    status, out, _ = _run("clean.html", "table_missing.html", output_format="json")
    data = json.loads(out)
    assert [Path(item["file"]).name for item in data] == ["clean.html", "table_missing.html"]
    first = data[0]
    assert set(first) == {"file", "agency", "year", "format", "published_on", "findings", "report"}
    assert first["agency"] == "示例市清河区柳泉镇人民政府"
    assert first["year"] == 2023 and first["format"] == "2021"
    assert first["published_on"] == "2024-01-22"
    assert first["findings"] == []
    assert first["report"]["table3"]["new_received"]["total"] == 7
    assert data[1]["findings"][0] == {
        "rule": "TABLE-MISSING",
        "severity": "error",
        "cells": ["table4"],
        "message": data[1]["findings"][0]["message"],
    }
    assert status == 1


def test_exit_zero_without_errors_even_with_warnings() -> None:
    assert _run("clean.html", output_format="json")[0] == 0
    assert _run("late.html", output_format="json")[0] == 0


def test_exit_two_for_an_unreadable_input_and_the_others_still_reported() -> None:
    status, out, _ = _run("random.bin", "clean.html", "missing.html", output_format="json")
    assert status == 2
    data = json.loads(out)
    assert [item["findings"][0]["rule"] if item["findings"] else None for item in data] == [
        "UNREADABLE",
        None,
        "UNREADABLE",
    ]
    assert data[2]["findings"][0]["message"] == "文件不存在"
    assert data[0]["report"] is None


def test_oversized_file_is_refused_in_chinese(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 3 * 1024 * 1024)
    stdout, stderr = io.StringIO(), io.StringIO()
    status = run({"files": [str(big)], "max_size": 1, "output_format": "json"}, stdout, stderr)
    assert status == 2
    message = json.loads(stdout.getvalue())[0]["findings"][0]["message"]
    assert "文件过大" in message and "1 MB" in message


def test_previous_and_published_on_options() -> None:
    import datetime as dt

    status, out, _ = _run(
        "carryover_2023.html",
        previous=str(FIXTURES / "carryover_2022.html"),
        published_on=dt.date(2024, 2, 20),
        output_format="json",
    )
    data = json.loads(out)[0]
    found = {item["rule"] for item in data["findings"]}
    assert {"CARRYOVER-MISMATCH", "LATE-PUBLICATION"} <= found
    assert data["published_on"] == "2024-02-20"
    assert status == 1


def test_unreadable_previous_report_is_reported_without_traceback() -> None:
    status, out, err = _run(
        "clean.html", previous=str(FIXTURES / "random.bin"), output_format="json"
    )
    assert status == 2
    assert "上一年度报告" in err
    assert json.loads(out)[0]["findings"] == []  # the input is still checked


def test_table_and_html_output() -> None:
    status, out, _ = _run("sums_off.html", output_format="table")
    assert "T3-TOTAL-COLUMN" in out and "[错误]" in out
    status, out, _ = _run("sums_off.html", output_format="html")
    assert out.startswith("<!DOCTYPE html>")
    assert 'data-cell="table3.new_received.total" class="gk-flag gk-flag-error"' in out


def test_management_command_dispatches_check(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("report", "check", str(FIXTURES / "clean.html"), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data[0]["findings"] == []
    with pytest.raises(SystemExit) as exit_info:
        call_command("report", "check", str(FIXTURES / "table_missing.html"))
    assert exit_info.value.code == 1
