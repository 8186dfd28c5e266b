"""`gongkai scan`: JSON and table output that never shows personal data, and the exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ID = "11010519491231002X"
MOBILE = "13812345678"
CARD = "4111111111111111"


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("scan", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    import docx

    document = docx.Document()
    document.add_paragraph(f"身份证号：{ID}")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = MOBILE
    table.cell(0, 1).text = f"卡号{CARD}"
    document.save(tmp_path / "名单.docx")
    (tmp_path / "clean.txt").write_text("本通知自印发之日起施行。", encoding="utf-8")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    return {
        "docx": tmp_path / "名单.docx",
        "clean": tmp_path / "clean.txt",
        "old": tmp_path / "old.doc",
        "missing": tmp_path / "missing.pdf",
    }


def test_json_lists_each_file_in_order_with_masked_findings(files: dict[str, Path]) -> None:
    code, output = run(str(files["clean"]), str(files["docx"]), "--json")
    assert code == 1
    assert json.loads(output) == [
        {"file": str(files["clean"]), "findings": []},
        {
            "file": str(files["docx"]),
            "findings": [
                {
                    "kind": "id_number",
                    "masked": "11*************02X",
                    "location": "名单.docx 段落1",
                },
                {
                    "kind": "mobile",
                    "masked": "138****5678",
                    "location": "名单.docx 表格1 第1行 第1列",
                },
                {
                    "kind": "bank_card",
                    "masked": "4111********1111",
                    "location": "名单.docx 表格1 第1行 第2列",
                },
            ],
        },
    ]
    for raw in (ID, MOBILE, CARD):
        assert raw not in output


def test_no_findings_exits_zero(files: dict[str, Path]) -> None:
    code, output = run(str(files["clean"]))
    assert code == 0
    assert "未发现个人信息或密级标志" in output


def test_the_table_is_chinese_and_masked(files: dict[str, Path]) -> None:
    code, output = run(str(files["docx"]))
    assert code == 1
    assert "身份证号码" in output
    assert "11*************02X" in output
    assert "138****5678" in output
    assert "共 3 处" in output
    for raw in (ID, MOBILE, CARD):
        assert raw not in output


def test_unreadable_files_get_an_error_entry_and_exit_two(files: dict[str, Path]) -> None:
    code, output = run(str(files["missing"]), str(files["docx"]), str(files["old"]), "--json")
    assert code == 2
    entries = json.loads(output)
    assert [entry["file"] for entry in entries] == [
        str(files["missing"]),
        str(files["docx"]),
        str(files["old"]),
    ]
    assert entries[0] == {
        "file": str(files["missing"]),
        "error": "文件“missing.pdf”不存在。",
        "findings": [],
    }
    assert len(entries[1]["findings"]) == 3
    assert ".doc/.xls" in entries[2]["error"]


def test_an_oversized_file_is_reported_not_scanned(files: dict[str, Path]) -> None:
    code, output = run(str(files["docx"]), "--max-mb", "0.001", "--json")
    assert code == 2
    assert "超过扫描上限" in json.loads(output)[0]["error"]


def test_the_console_command_sets_the_exit_status(files: dict[str, Path]) -> None:
    gongkai = Path(sys.executable).with_name("gongkai")
    result = subprocess.run(
        [str(gongkai), "scan", str(files["docx"]), str(files["missing"])],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "无法读取" in result.stdout
    assert ID not in result.stdout
