"""HTML: official labels, merged cells and header associations, the standalone document."""

from dataclasses import replace

import lxml.html
import pytest

from gongkai.reports import format as fmt
from gongkai.reports.renderers.html import render_document, render_tables
from gongkai.reports.value import Agency
from tests.reports.factories import official_labels, township_report


@pytest.fixture(scope="module")
def tables():
    return lxml.html.fragment_fromstring(render_tables(township_report()), create_parent="div")


def header(tables, table_key, text):
    (cell,) = [
        th
        for th in tables.xpath(f"//table[@id='gk-{table_key}']//*[self::th or self::td]")
        if th.text == text
    ]
    return cell


def data_cell(tables, address):
    (cell,) = tables.xpath(f"//td[@data-cell='{address}']")
    return cell


def spans(cell):
    return int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))


def test_every_official_label_appears_in_the_document():
    html = render_document(township_report())
    missing = [label for label in official_labels() if label not in html]
    assert missing == []


def test_table3_cells_are_merged_as_in_the_official_table(tables):
    assert spans(header(tables, "table3", fmt.T3_CORNER_LABEL)) == (3, 3)
    assert spans(header(tables, "table3", "申请人情况")) == (1, 7)
    assert spans(header(tables, "table3", "法人或其他组织")) == (1, 5)
    assert spans(header(tables, "table3", "自然人")) == (2, 1)
    assert spans(header(tables, "table3", "三、本年度办理结果")) == (22, 1)
    assert spans(header(tables, "table3", "（三）不予公开")) == (8, 1)
    assert spans(header(tables, "table3", "（四）无法提供")) == (3, 1)
    assert spans(header(tables, "table3", "（五）不予处理")) == (5, 1)
    assert spans(header(tables, "table3", "（六）其他处理")) == (3, 1)
    assert spans(header(tables, "table3", "一、本年新收政府信息公开申请数量")) == (1, 3)
    assert spans(header(tables, "table3", "四、结转下年度继续办理")) == (1, 3)
    assert spans(header(tables, "table3", "（一）予以公开")) == (1, 2)
    assert spans(header(tables, "table3", "（七）总计")) == (1, 2)


def test_table4_groups_are_merged(tables):
    assert spans(header(tables, "table4", "行政复议")) == (2, 5)
    assert spans(header(tables, "table4", "行政诉讼")) == (1, 10)
    assert spans(header(tables, "table4", "未经复议直接起诉")) == (1, 5)
    assert spans(header(tables, "table4", "复议后起诉")) == (1, 5)


def test_table2_group_headers_span_the_table(tables):
    assert spans(header(tables, "table2", "第二十条第（一）项")) == (1, 4)
    assert spans(header(tables, "table2", "本年收费金额（单位：万元）")) == (1, 3)
    fee = data_cell(tables, "table2.fees_wan_yuan")
    assert fee.text == "1.2345"
    assert spans(fee) == (1, 3)


@pytest.mark.parametrize(("key", "width"), [("table2", 4), ("table3", 10), ("table4", 15)])
def test_every_row_fills_the_grid(tables, key, width):
    covered: set[tuple[int, int]] = set()
    rows = tables.xpath(f"//table[@id='gk-{key}']//tr")
    for row_index, row in enumerate(rows):
        column = 0
        for cell in row.xpath("th|td"):
            while (row_index, column) in covered:
                column += 1
            rowspan, colspan = spans(cell)
            covered |= {(row_index + r, column + c) for r in range(rowspan) for c in range(colspan)}
            column += colspan
        assert {c for r, c in covered if r == row_index} == set(range(width))
    assert max(r for r, _ in covered) == len(rows) - 1


def test_data_cells_name_their_headers_for_screen_readers(tables):
    cell = data_cell(tables, "table3.denied_third_party.business")
    assert cell.get("headers").split() == [
        "gk-t3-applicants",
        "gk-t3-organisation",
        "gk-t3-c-business",
        "gk-t3-l1-granted",
        "gk-t3-l2-denied_state_secret",
        "gk-t3-l3-denied_third_party",
    ]
    ids = {element.get("id") for element in tables.xpath("//*[@id]")}
    for data in tables.xpath("//td[@headers]"):
        assert set(data.get("headers").split()) <= ids
    assert header(tables, "table3", "4.保护第三方合法权益").get("scope") == "row"
    assert header(tables, "table3", "（三）不予公开").get("scope") == "rowgroup"
    assert header(tables, "table3", "法人或其他组织").get("scope") == "colgroup"
    assert header(tables, "table3", "商业企业").get("scope") == "col"


def test_table4_data_cells_name_group_and_column(tables):
    cell = data_cell(tables, "table4.litigation_direct.pending")
    assert cell.get("headers").split() == [
        "gk-t4-litigation",
        "gk-t4-litigation_direct",
        "gk-t4-litigation_direct-pending",
    ]
    assert cell.text == "0"
    review = data_cell(tables, "table4.review.total")
    assert review.text == "1"


def test_column_headers_go_in_thead(tables):
    assert len(tables.xpath("//table[@id='gk-table3']/thead/tr")) == 3
    assert len(tables.xpath("//table[@id='gk-table3']/tbody/tr")) == 25
    assert len(tables.xpath("//table[@id='gk-table4']/thead/tr")) == 3
    assert tables.xpath("//table[@id='gk-table2']/thead") == []


def test_the_document_has_title_preamble_sections_and_signature():
    document = lxml.html.document_fromstring(render_document(township_report()))
    assert document.get("lang") == "zh-CN"
    assert document.xpath("//h1")[0].text == (
        "威海市文登区宋村镇人民政府2023年政府信息公开工作年度报告"
    )
    assert [h2.text for h2 in document.xpath("//h2")] == [s.heading for s in fmt.SECTIONS]
    assert document.xpath("//div[@class='gk-preamble']/p")[0].text.startswith(
        "根据《中华人民共和国"
    )
    assert [p.text for p in document.xpath("//footer[@class='gk-signature']/p")] == [
        "威海市文登区宋村镇人民政府",
        "2024年1月25日",
    ]
    section_three = document.xpath("//*[@id='gk-section-3']")[0].getparent()
    assert section_three.xpath(".//table")[0].get("id") == "gk-table3"


def test_text_is_escaped():
    report = replace(
        township_report(),
        agency=Agency("<script>alert(1)</script>镇", fmt.AgencyLevel.TOWNSHIP),
        sections={**township_report().sections, "5": "a < b & c"},
    )
    html = render_document(report)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<p>a &lt; b &amp; c</p>" in html


def test_missing_tables_and_sections_are_not_invented():
    report = replace(township_report(), table3=None, sections={"1": "正文"})
    html = render_document(report)
    assert "gk-table3" not in html
    assert "五、存在的主要问题及改进情况" not in html
    assert "二、主动公开政府信息情况" in html  # the section holds table 2
