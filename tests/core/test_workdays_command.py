import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("workdays", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_add_prints_the_due_date_on_the_first_line():
    code, out, err = run("add", "2024-02-05", "20")
    assert (code, out.splitlines(), err) == (0, ["2024-03-08"], "")


def test_add_explain_gives_the_reasoning_in_chinese():
    code, out, _ = run("add", "2023-09-28", "2", "--explain")
    lines = out.splitlines()
    assert lines[0] == "2023-10-08"
    assert "不计：2023-09-29（星期五） 中秋节放假" in out
    assert "不计：2023-09-30（星期六）至2023-10-06（星期五） 国庆节放假（7天）" in out
    assert "计入：2023-10-07（星期六） 调休上班（国庆节）" in out


def test_unknown_year_warns_on_stderr_and_strict_exits_3():
    code, out, err = run("add", "2027-03-01", "5")
    assert code == 0 and out.splitlines()[0] == "2027-03-08"
    assert "2027年节假日安排尚未录入" in err
    code, out, err = run("add", "2027-03-01", "5", "--strict")
    assert code == 3 and out.splitlines()[0] == "2027-03-08"


def test_bad_input_is_a_chinese_error_not_a_traceback():
    code, out, err = run("add", "2024-02-30", "5")
    assert code == 2 and "日期格式不正确" in err
    code, out, err = run("add", "2024-02-05", "abc")
    assert code == 2 and "整数" in err


def test_import_file_then_add_uses_it(tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text("2027-03-02 休 测试放假\n", encoding="utf-8")
    code, out, _ = run("import", str(notice))
    assert code == 0 and "新增 1 条" in out
    code, out, err = run("add", "2027-03-01", "1")
    assert out.splitlines()[0] == "2027-03-03" and err == ""
