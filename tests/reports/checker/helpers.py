"""Shared helpers for the checker tests."""

from __future__ import annotations

from pathlib import Path

from gongkai.reports.checker.check import CheckResult, Input, check_batch

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path("/work/shared/examples")
SEED = EXAMPLES / "seed-songcun-2023.txt"
REAL_REPORTS = EXAMPLES / "reports"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def check_files(*names: str) -> list[CheckResult]:
    return check_batch([Input(name, fixture(name)) for name in names])


def check_one(name: str) -> CheckResult:
    return check_files(name)[0]


def rules(result: CheckResult) -> list[str]:
    return [item.rule.value for item in result.findings]


def cells(result: CheckResult, rule: str) -> set[str]:
    return {cell for item in result.findings if item.rule.value == rule for cell in item.cells}
