"""The seed report and the real (cut-short) published reports in the shared examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.reports.checker.check import Input, check_batch
from tests.reports.checker.helpers import REAL_REPORTS, SEED, cells, rules


def _skip_if_missing(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"共享示例 {path} 不存在（此测试读取 /work/shared/examples 中的真实报告）")


def test_seed_lacks_its_three_tables_and_its_channel_figures_do_not_add_up() -> None:
    _skip_if_missing(SEED)
    (result,) = check_batch([Input(SEED.name, SEED.read_bytes())])
    assert result.parsed is not None
    report = result.parsed.report
    assert report.agency.name == "威海市文登区宋村镇人民政府"
    assert report.agency.level.value == "township"
    assert report.year == 2023
    assert report.published_on is not None and report.published_on.isoformat() == "2024-01-25"
    assert cells(result, "TABLE-MISSING") == {"table2", "table3", "table4"}
    assert "CHANNEL-SUM" in rules(result)
    channel = next(item for item in result.findings if item.rule.value == "CHANNEL-SUM")
    assert "465" in channel.message and "411" in channel.message
    assert "SECTION-MISSING" not in rules(result)


def _real_reports() -> list[Path]:
    return sorted(REAL_REPORTS.glob("*.txt")) if REAL_REPORTS.exists() else []


@pytest.mark.parametrize(
    "path", _real_reports() or [REAL_REPORTS / "missing"], ids=lambda p: p.name
)
def test_real_reports_are_read_without_crashing(path: Path) -> None:
    _skip_if_missing(path)
    (result,) = check_batch([Input(path.name, path.read_bytes())])
    assert result.parsed is not None, result.findings
    report = result.parsed.report
    assert report.year in (2022, 2023)
    assert report.table2 is not None or "nonstandard" in path.name


def test_real_cut_short_township_report() -> None:
    path = REAL_REPORTS / "02_changtu_qijiazi_town_2023.txt"
    _skip_if_missing(path)
    (result,) = check_batch([Input(path.name, path.read_bytes())])
    assert result.parsed is not None
    report = result.parsed.report
    assert report.agency.level.value == "township"
    assert report.published_on is not None and report.published_on.isoformat() == "2024-01-31"
    assert report.table2 is not None and report.table2.get("punishment") == 30
    assert "table4" in cells(result, "TABLE-MISSING")
    assert "table3.carried_forward" in cells(result, "ROW-MISSING")


def test_real_pipe_rows_department_report() -> None:
    path = REAL_REPORTS / "10_jiuyuan_zwfwj_department_2022.txt"
    _skip_if_missing(path)
    (result,) = check_batch([Input(path.name, path.read_bytes())])
    assert result.parsed is not None
    report = result.parsed.report
    assert report.agency.name == "九原区政务服务局"
    assert report.agency.level.value == "department"
    assert report.table3 is not None
    assert report.table3.cell("new_received", "total") == 1
    assert report.table3.cell("denied_third_party", "natural_person") == 1
    assert "CELL-BLANK" not in rules(result)  # the cut row's missing cells are absent, not blank


def test_real_nonstandard_layout_is_old_format() -> None:
    path = REAL_REPORTS / "19_longyou_hengshan_town_2023_NEG_nonstandard.txt"
    _skip_if_missing(path)
    (result,) = check_batch([Input(path.name, path.read_bytes())])
    assert result.parsed is not None
    assert result.parsed.report.format.value == "legacy"
    assert "OLD-FORMAT" in rules(result)
