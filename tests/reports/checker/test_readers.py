"""The readers and the small pieces: encodings, merged cells, numbers, labels, identity."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.reports import format as fmt
from gongkai.reports.checker.detect import (
    agency_level,
    detect_format,
    find_published_on,
    find_title,
)
from gongkai.reports.checker.document import UnreadableError
from gongkai.reports.checker.grid import SpanCell, expand
from gongkai.reports.checker.labels import Kind, labels_for, norm
from gongkai.reports.checker.numbers import read_cell
from gongkai.reports.checker.readers import read_document, sniff
from gongkai.reports.checker.readers.encoding import decode
from gongkai.reports.checker.readers.text import text_lines
from gongkai.reports.checker.sections import heading_number


def test_decode_utf8_gbk_with_and_without_declaration() -> None:
    text = "宋村镇2023年政府信息公开工作年度报告"
    assert decode(text.encode("utf-8")) == text
    assert decode(text.encode("gbk")) == text
    page = f'<meta charset="gb2312"><p>{text}</p>'.encode("gb18030")
    assert text in decode(page)
    # Declared GBK but actually UTF-8: the bytes win.
    assert text in decode(f'<meta charset="gbk"><p>{text}</p>'.encode())
    assert decode(b"\xef\xbb\xbf" + text.encode()) == text


def test_decode_refuses_binary() -> None:
    with pytest.raises(UnreadableError):
        decode(bytes(range(256)) * 4)


def test_grid_expansion_repeats_merged_cells() -> None:
    rows = [
        [SpanCell("A", rowspan=2), SpanCell("B", colspan=2)],
        [SpanCell("C"), SpanCell("D")],
        [SpanCell("E", colspan=3)],
    ]
    assert expand(rows) == [["A", "B", "B"], ["A", "C", "D"], ["E", "E", "E"]]
    # A rowspan on the right edge; a row that stops short of it.
    right = [[SpanCell("x"), SpanCell("R", rowspan=3)], [SpanCell("y")], []]
    assert expand(right) == [["x", "R"], ["y", "R"], ["", "R"]]
    # Hostile spans are capped.
    huge = expand([[SpanCell("h", rowspan=100, colspan=100_000)]])
    assert len(huge) == 1 and len(huge[0]) == 200


def test_grid_rows_without_spans_take_the_short_way_with_the_same_result() -> None:
    plain = [[SpanCell("a"), SpanCell("b")], [], [SpanCell(str(i)) for i in range(250)]]
    assert expand(plain) == [["a", "b"], [str(i) for i in range(200)]]
    # A plain row under a rowspan still makes room for the merged cell.
    mixed = [[SpanCell("A", rowspan=2), SpanCell("B")], [SpanCell("C")], [SpanCell("D")]]
    assert expand(mixed) == [["A", "B"], ["A", "C"], ["D"]]


def test_html_reader_expands_spans_and_cleans_cells() -> None:
    page = (
        "<html><head><title>t</title><script>x</script></head><body>"
        "<p>一、总体情况</p><table><tr><td rowspan='2'><p>三、本年度</p><p>办理结果</p></td>"
        "<td>&nbsp;<span>０</span>&nbsp;</td></tr><tr><td>1,234</td></tr></table></body></html>"
    )
    document = read_document(page.encode("gbk"), "x.html")
    grid = [line.cells for line in document.lines if line.grid]
    assert grid == [("三、本年度办理结果", "０"), ("三、本年度办理结果", "1,234")]
    assert document.lines[0].text == "t"
    assert "x" not in document.text.split("\n")


def test_text_reader_shapes() -> None:
    double = text_lines("规章\n\n0\n\n\n\n0\n\n1\n")
    assert [line.text for line in double] == ["规章", "0", "", "0", "1"]
    single = text_lines("a\nb\n\nc\nd\ne\n")
    assert [line.text for line in single] == ["a", "b", "", "c", "d", "e"]
    rows = text_lines("x | 1 | 2 |\ny | 3 | |||\nz | 4\n")
    assert [line.cells for line in rows] == [("x", "1", "2"), ("y", "3"), ("z", "4")]


def test_sniff() -> None:
    assert sniff(b"%PDF-1.4 ...") == "pdf"
    assert sniff(b"<!DOCTYPE html><html>") == "html"
    assert sniff("一、总体情况".encode()) == "text"
    assert sniff(b"plain", "a.htm") == "html"


@pytest.mark.parametrize(
    ("raw", "value", "rule"),
    [
        ("0", 0, None),
        ("０", 0, None),
        ("1,234", 1234, None),
        ("1234件", 1234, None),
        (" 12 ", 12, None),
        ("", None, "CELL-BLANK"),
        ("/", None, "CELL-BLANK"),
        ("无", None, "CELL-BLANK"),
        ("1.5", None, "CELL-INVALID"),
        ("-2", -2, "CELL-INVALID"),
    ],
)
def test_count_cells(raw: str, value: int | None, rule: str | None) -> None:
    got, findings = read_cell("table3.granted.total", raw)
    assert got == value
    assert [item.rule.value for item in findings] == ([rule] if rule else [])


def test_fee_cells_are_money() -> None:
    assert read_cell("table2.fees_wan_yuan", "1.2345")[0] == 12345
    assert read_cell("table2.fees_wan_yuan", "０.５")[0] == 5000
    assert read_cell("table2.fees_wan_yuan", "0.0001万元")[0] == 1
    value, findings = read_cell("table2.fees_wan_yuan", "—")
    assert value is None and findings[0].rule.value == "CELL-BLANK"


def test_labels_match_tolerantly() -> None:
    row = fmt.T3_ROW_BY_KEY["granted"]
    assert norm("(一) 予以 公开") == norm(row.level2 or "")
    assert [label.key for label in labels_for(norm("1、属于国家秘密"), "table3")] == [
        "denied_state_secret"
    ]
    partial = labels_for(norm("（二）部分公开"), "table3")
    assert [label.key for label in partial] == ["partial"]
    assert any(label.kind is Kind.ROW for label in labels_for(norm("商业企业"), "table3")) is False
    assert labels_for(norm("规范性文件"), "table2")[0].key == "normative_documents"


def test_section_headings() -> None:
    assert heading_number("一、总体情况") == "1"
    assert heading_number("二、主动公开政府信息情况") == "2"
    assert heading_number("一、政府信息公开工作的基本情况") == "1"
    assert heading_number("五、因政府信息公开申请行政复议、提起行政诉讼的情况") == "4"
    assert heading_number("七、其他需要报告的事项") == "6"
    assert heading_number("一、本年新收政府信息公开申请数量") is None
    assert heading_number("三、本年度办理结果") is None
    assert heading_number("（一）主动公开情况") is None


def test_title_agency_and_level() -> None:
    title = find_title(["网站首页", "威海市文登区宋村镇人民政府2023年政府信息公开工作年度报告"], 5)
    assert title is not None and title.name == "威海市文登区宋村镇人民政府" and title.year == 2023
    split = find_title(["九原区政务服务局", "2022年政府信息公开工作年度报告"], 5)
    assert split is not None and split.name == "九原区政务服务局" and split.year == 2022
    wrapped = find_title(["示例县人民政府2023年政府信", "息公开工作年度报告"], 5)
    assert wrapped is not None and wrapped.name == "示例县人民政府"
    assert agency_level("威海市文登区宋村镇人民政府") is fmt.AgencyLevel.TOWNSHIP
    assert agency_level("示例市清河区桃源街道办事处") is fmt.AgencyLevel.TOWNSHIP
    assert agency_level("示例市清河区人民政府") is fmt.AgencyLevel.COUNTY
    assert agency_level("示例县人民政府") is fmt.AgencyLevel.COUNTY
    assert agency_level("示例市人民政府") is fmt.AgencyLevel.CITY
    assert agency_level("上海市人民政府") is fmt.AgencyLevel.PROVINCE
    assert agency_level("示例省人民政府") is fmt.AgencyLevel.PROVINCE
    assert agency_level("九原区政务服务局") is fmt.AgencyLevel.DEPARTMENT
    assert agency_level("示例市发展和改革委员会") is fmt.AgencyLevel.DEPARTMENT


def test_publication_dates() -> None:
    assert find_published_on(["发布日期:2024-01-25 16:46:14"], 5) == dt.date(2024, 1, 25)
    assert find_published_on(["来源:县政府办公室 时间:2024-01-31"], 5) == dt.date(2024, 1, 31)
    assert find_published_on(["发布时间：2024年1月5日"], 5) == dt.date(2024, 1, 5)
    assert find_published_on(["正文", "某镇人民政府", "2024年1月22日"], 1) == dt.date(2024, 1, 22)
    assert find_published_on(["正文", "二〇二四年一月二十日"], 1) == dt.date(2024, 1, 20)
    assert find_published_on(["正文"], 1) is None


def test_heading_at_the_start_of_its_paragraph() -> None:
    from gongkai.reports.checker.parse import parse_document
    from gongkai.reports.checker.readers.text import read_text

    text = (
        "示例镇人民政府2023年政府信息公开工作年度报告\n"
        "一、总体情况 2023年，本镇稳步推进政务公开。\n"
        "五、存在的主要问题及改进情况。问题是更新不够及时。\n"
    )
    parsed = parse_document(read_text(text.encode()))
    assert parsed.report.sections["1"] == "2023年，本镇稳步推进政务公开。"
    assert parsed.report.sections["5"] == "问题是更新不够及时。"


def test_heading_inside_the_table() -> None:
    from gongkai.reports.checker.parse import parse_document

    page = (
        "<html><body><p>示例镇人民政府2023年政府信息公开工作年度报告</p><table>"
        "<tr><td colspan='4'>二、主动公开政府信息情况</td></tr>"
        "<tr><td colspan='4'>第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr></table>"
        "<p>三、收到和处理政府信息公开申请情况</p></body></html>"
    )
    parsed = parse_document(read_document(page.encode(), "x.html"))
    assert "2" in parsed.report.sections
    assert parsed.report.table2 is not None
    assert parsed.report.table2.get("regulations.in_force") == 0


def _drop_table3_column(html: bytes, label: str, position: int) -> bytes:
    """clean.html with one applicant column of table 3 removed from its header and every row."""
    from lxml import etree
    from lxml import html as lxml_html

    document = lxml_html.fromstring(html)
    table = next(t for t in document.iter("table") if "申请人情况" in t.text_content())
    for cell in table.iter("td", "th"):
        text = cell.text_content().replace("\xa0", "").strip()
        if text == label:
            cell.getparent().remove(cell)
        elif text in ("申请人情况", "法人或其他组织") and cell.get("colspan"):
            cell.set("colspan", str(int(cell.get("colspan")) - 1))
    for row in table.iter("tr"):
        cells = row.findall("td")
        figures = [c for c in cells if c.text_content().replace("\xa0", "").strip().isdigit()]
        if len(figures) == 7:
            row.remove(figures[position])
    return etree.tostring(document, encoding="utf-8")


def test_a_table3_column_missing_from_the_table_is_row_missing_not_shifted_cells():
    from gongkai.reports.checker.check import Input, check_batch
    from tests.reports.checker.helpers import fixture

    data = _drop_table3_column(fixture("clean.html"), "科研机构", 2)
    (result,) = check_batch([Input("no-research-column.html", data)])
    rules = {f.rule.value for f in result.findings if f.severity.value == "error"}
    assert rules == {"ROW-MISSING"}, [f.message for f in result.findings]
    missing = {c for f in result.findings if f.rule.value == "ROW-MISSING" for c in f.cells}
    assert "table3.new_received.research" in missing
    assert not any(c.endswith(".business") or c.endswith(".total") for c in missing)
    report = result.parsed.report
    assert report.table3.cell("new_received", "public_interest") == (
        check_batch([Input("clean.html", fixture("clean.html"))])[0].parsed.report.table3.cell(
            "new_received", "public_interest"
        )
    )


def test_a_sentence_naming_lawsuits_is_no_legacy_heading() -> None:
    sentence = "本年度未发生因政府信息公开被申请行政复议、提起行政诉讼的情况。"
    assert detect_format(sentence, 2023, [sentence]) is fmt.ReportFormat.F2021
    heading = "五、因政府信息公开申请行政复议、提起行政诉讼的情况"
    assert detect_format(heading, 2023, [heading]) is fmt.ReportFormat.LEGACY
