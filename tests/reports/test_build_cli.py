"""`gongkai report build`: published version, else draft, else generated; Chinese errors."""

from __future__ import annotations

import argparse
import io
import json

import pytest

from gongkai.reports.build_cli import add_build_arguments, run_build
from tests.reports.test_services import finished, published

pytestmark = pytest.mark.django_db


def build(*args: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    add_build_arguments(parser)
    options = vars(parser.parse_args(args))
    out, err = io.StringIO(), io.StringIO()
    status = run_build(options, out, err)
    return status, out.getvalue(), err.getvalue()


def test_without_a_record_the_report_is_generated_with_zeros(district):
    status, out, err = build("--agency", "gaocun", "--year", "2023", "-o", "-")
    assert status == 0, err
    data = json.loads(out)
    assert data["agency"]["name"] == "威海市文登区高村镇人民政府"
    assert data["table3"]["new_received"]["total"] == 0
    assert data["published_on"] is None


def test_the_published_version_wins_over_the_draft(district, user_named, tmp_path):
    published(user_named, district)
    target = tmp_path / "songcun.json"
    status, _, err = build(
        "--agency", "宋村镇", "--year", "2023", "--format", "json", "-o", str(target)
    )
    assert status == 0
    assert "已发布的第1版" in err
    assert json.loads(target.read_text())["published_on"] == "2024-01-25"


def test_the_draft_is_used_before_publication(district, user_named, tmp_path):
    finished(user_named, district)
    target = tmp_path / "songcun.docx"
    status, _, err = build(
        "--agency",
        "威海市文登区宋村镇人民政府",
        "--year",
        "2023",
        "--format",
        "docx",
        "-o",
        str(target),
    )
    assert status == 0
    assert "工作稿（草稿）" in err
    assert target.read_bytes()[:2] == b"PK"


def test_bad_input_exits_2_with_a_chinese_message(district, tmp_path):
    status, _, err = build("--agency", "不存在的机关", "--year", "2023", "-o", "-")
    assert (status, err) == (
        2,
        "错误：找不到机关“不存在的机关”（请使用机关全称、简称或网址标识）。\n",
    )
    status, _, err = build("--agency", "songcun", "--year", "2023", "--format", "pdf", "-o", "-")
    assert status == 2 and "二进制格式" in err
    status, _, err = build(
        "--agency", "songcun", "--year", "2023", "-o", str(tmp_path / "no" / "x.json")
    )
    assert status == 2 and "无法写入文件" in err


def test_a_bad_year_is_refused_by_the_parser(district, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build("--agency", "songcun", "--year", "二〇二三", "-o", "-")
    assert exit_info.value.code == 2
    assert "不是年份" in capsys.readouterr().err
