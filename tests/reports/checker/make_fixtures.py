"""Writes the checker's fixture files: `python -m tests.reports.checker.make_fixtures`.

The fixtures are ours (see `builders.py`), never copies of published reports. Each defective one
carries exactly the defect its name says; `EXPECTED` in `test_fixtures.py` lists the findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from gongkai.reports import format as fmt
from gongkai.reports.value import Table2, Table3, Table4, table3_from_counts
from tests.reports.checker.builders import (
    OTHER_AGENCY,
    SECTIONS,
    cell_lines,
    clean_report,
    pipe_rows,
    site_html,
    table3_counts,
    with_section,
)

FIXTURES = Path(__file__).parent / "fixtures"

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _write(name: str, data: str | bytes) -> None:
    path = FIXTURES / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _old_2019_text() -> str:
    """A 2023 report written in the 2019 trial template (its table 2 columns and rows)."""
    report = clean_report()
    old_columns = ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量")
    lines = [report.title, "发布日期：2024-01-20", SECTIONS["0"], fmt.SECTIONS[0].heading]
    lines += SECTIONS["1"].split("\n")
    lines += [fmt.SECTIONS[1].heading, fmt.T2_GROUPS[0].header, *old_columns]
    lines += ["规章", "0", "0", "0", "规范性文件", "1", "1", "4"]
    lines += [fmt.T2_GROUPS[1].header, "信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]
    lines += [fmt.T2_ITEMS[2].label, "12", "0", "12"]
    text = cell_lines(report, double_spaced=False)
    # Keep the 2021 tables 3 and 4 and the later sections from the clean text.
    rest = text[text.index(fmt.SECTIONS[2].heading) :]
    return "\n".join(lines) + "\n" + rest


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    clean = clean_report()
    _write("clean.html", site_html(clean))
    _write("clean_cells.txt", cell_lines(clean))
    _write("clean_cells_single.txt", cell_lines(clean, double_spaced=False))
    _write("clean_rows.txt", pipe_rows(clean))
    _write("clean_gbk.html", site_html(clean, charset=None, encoding="gbk"))
    _write("clean_gbk_meta.html", site_html(clean, charset="gb2312", encoding="gb18030"))
    _write(
        "clean_fullwidth.txt",
        cell_lines(clean, cell_text=lambda address, text: text.translate(FULL_WIDTH)),
    )
    _write(
        "clean_units.html",
        site_html(
            clean,
            cell_text=lambda address, text: (
                text + "件" if address.startswith("table3.new_received") else text
            ),
        ),
    )

    _write("section_missing.html", site_html(with_section(clean, "5", None)))
    _write("table_missing.html", site_html(replace(clean, table4=None)))
    table3 = clean.table3
    assert table3 is not None
    other_other = fmt.T3_ROW_BY_KEY["other_other"].level3 or ""
    rows = pipe_rows(clean).split("\n")
    _write("row_missing.txt", "\n".join(row for row in rows if not row.startswith(other_other)))
    _write(
        "cell_blank.txt",
        cell_lines(
            clean,
            cell_text=lambda address, text: {
                "table3.granted.research": "/",
                "table4.review.other": "",
                "table2.coercion": "无",
            }.get(address, text),
            double_spaced=False,
        ),
    )
    _write(
        "cell_invalid.html",
        site_html(
            clean,
            cell_text=lambda address, text: {
                "table2.punishment": "-3",
                "table3.unable_not_held.research": "0.5",
            }.get(address, text),
        ),
    )
    counts = table3_counts()
    sums = dict(table3.cells) if table3 else {}
    sums["new_received.total"] = 8  # T3-TOTAL-COLUMN
    sums["total_processed.natural_person"] = 7  # T3-RESULT-SUM (and T3-TOTAL-COLUMN on that row)
    table4 = clean.table4
    assert table4 is not None
    t4 = dict(table4.cells)
    t4["review.total"] = 3  # T4-TOTAL
    _write("sums_off.html", site_html(replace(clean, table3=Table3(sums), table4=Table4(t4))))
    unbalanced = {**counts, "carried_over": {"natural_person": 3}}  # 7 + 3 ≠ 8 + 1
    _write("balance_off.txt", pipe_rows(replace(clean, table3=table3_from_counts(unbalanced))))
    _write("old_2019.txt", _old_2019_text())
    _write("late.html", site_html(clean_report(published_on=dt.date(2024, 3, 15))))
    _write(
        "text_mismatch.html",
        site_html(
            with_section(
                clean,
                "1",
                SECTIONS["1"].replace("收到政府信息公开申请7件", "收到政府信息公开申请12件"),
            )
        ),
    )
    assert clean.table2 is not None
    table2 = Table2({**dict(clean.table2.cells), "regulations.issued": 2})
    _write("t2_scope.html", site_html(replace(clean, table2=table2)))
    _write(
        "fees_not_stated.html",
        site_html(with_section(clean, "6", "（一）人大代表建议和政协提案：本年度均已办结。")),
    )
    _write(
        "channel_sum.txt",
        cell_lines(
            with_section(clean, "1", SECTIONS["1"].replace("政务微信发布36条", "政务微信发布30条"))
        ),
    )
    # CARRYOVER-MISMATCH: 2022 carried 3 forward, 2023 says 2 were carried over.
    previous_counts = {
        "new_received": {"natural_person": 6},
        "granted": {"natural_person": 3},
        "carried_forward": {"natural_person": 3},
    }
    previous = clean_report(
        year=2022,
        published_on=dt.date(2023, 1, 18),
        table3=table3_from_counts(previous_counts),
        sections={
            **SECTIONS,
            "1": "2022年，柳泉镇完成了政务公开专栏改版。全年收到政府信息公开申请6件，办结3件，"
            "结转下年度继续办理3件。",
            "5": "主要问题是栏目更新较慢。",
        },
    )
    _write("carryover_2022.html", site_html(previous))
    _write("carryover_2023.html", site_html(clean))
    # SIMILAR-TEXT: another agency's report with the same prose.
    copied = clean_report(
        agency=OTHER_AGENCY,
        sections={key: text.replace("柳泉镇", "桃源街道") for key, text in SECTIONS.items()},
    )
    _write("copied_a.html", site_html(clean))
    _write("copied_b.txt", cell_lines(copied))
    original = clean_report(
        agency=OTHER_AGENCY,
        sections={
            **SECTIONS,
            "1": "2023年，桃源街道以社区公开栏和网站为主推进政务公开。\n全年收到政府信息公开申请7件，"
            "上年结转2件，办结8件，结转下年度继续办理1件。",
            "5": "街道信息发布的及时性有待提高，下一年度将建立周报制度并加强培训。",
            "6": "本年度未收取信息处理费。街道没有承办人大代表建议和政协提案。",
        },
    )
    _write("original_b.txt", cell_lines(original))
    text = cell_lines(clean, double_spaced=False)
    cut = text.index(fmt.T3_ROW_BY_KEY["denied_process_info"].level3 or "")
    _write("cut_short.txt", text[: cut + 40])
    _write(
        "not_a_report.txt",
        "关于召开2024年春季运动会的通知\n各科室：\n定于4月10日召开春季运动会，请做好准备。\n",
    )
    _write("random.bin", bytes(range(256)) * 8)


if __name__ == "__main__":
    main()
