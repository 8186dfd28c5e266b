"""`gongkai fee`: amount on the first line, explanation below, Chinese errors with exit code 2."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("fee", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_by_count_prints_the_amount_first() -> None:
    out, err = run("--applications", "35")
    lines = out.splitlines()
    assert lines[0] == "3000"
    assert "第31—35件：5件 × 200元/件 = 1000元。" in lines
    assert err == ""


def test_by_pages_prints_the_amount_first() -> None:
    out, _ = run("--pages", "150")
    lines = out.splitlines()
    assert lines[0] == "1700"
    assert lines[-1] == "合计：1700元。"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--pages", "-3"), "页数不能为负数"),
        (("--applications", "abc"), "申请件数必须是整数"),
        (("--applications", "3.5"), "申请件数必须是整数"),
        ((), "请在 --applications"),
        (("--applications", "3", "--pages", "4"), "请在 --applications"),
    ],
)
def test_bad_input_exits_2_with_a_chinese_message(args: tuple[str, ...], message: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as excinfo:
        call_command("fee", *args, stdout=out, stderr=err)
    assert excinfo.value.code == 2
    assert err.getvalue().startswith("错误：")
    assert message in err.getvalue()
    assert out.getvalue() == ""
