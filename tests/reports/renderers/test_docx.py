"""DOCX: the official-document look, every label, and the merged cells of the official tables."""

from dataclasses import replace
from io import BytesIO

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.reports.renderers.docx import render_docx
from tests.reports.factories import official_labels, township_report


@pytest.fixture(scope="module")
def document():
    return docx.Document(BytesIO(render_docx(township_report())))


def all_text(document) -> str:
    return "".join(node.text or "" for node in document.element.body.iter(qn("w:t")))


def same(table, first, second) -> bool:
    return table.cell(*first)._tc is table.cell(*second)._tc


def test_every_official_label_appears(document):
    text = all_text(document)
    assert [label for label in official_labels() if label not in text] == []


def test_title_sections_and_signature_are_in_order(document):
    texts = [paragraph.text for paragraph in document.paragraphs if paragraph.text]
    assert texts[0] == "威海市文登区宋村镇人民政府2023年政府信息公开工作年度报告"
    assert texts[1].startswith("根据《中华人民共和国政府信息公开条例》")
    assert texts[-2:] == ["威海市文登区宋村镇人民政府", "2024年1月25日"]
    headings = [p.text for p in document.paragraphs if p.style.name == "报告一级标题"]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_the_page_is_a4_with_official_margins(document):
    section = document.sections[0]
    # Word stores twentieths of a point, so compare whole millimetres.
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(size.mm) for size in sizes] == [210, 297, 37, 35, 28, 26]


def test_fonts_are_the_official_faces_with_declared_alternatives(document):
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    title = document.styles["报告标题"]
    assert title.font.size == Pt(22)
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    heading = document.styles["报告一级标题"]
    assert heading.element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    font_table = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE).blob.decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="FangSong"/>' in font_table
    assert '<w:font w:name="FangSong"><w:altName w:val="Noto Serif CJK SC"/>' in font_table
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="Noto Serif CJK SC"/>' in font_table


def test_the_footer_carries_a_page_number_field(document):
    footer = document.sections[0].footer.paragraphs[0]
    instructions = [node.text for node in footer._p.iter(qn("w:instrText"))]
    assert instructions == [" PAGE "]
    assert footer.text.startswith("— ")
    assert footer.text.endswith(" —")


def test_three_tables_with_the_official_grid_sizes(document):
    assert [(len(t.rows), len(t.columns)) for t in document.tables] == [(14, 4), (28, 10), (4, 15)]


def test_table3_headers_and_row_labels_are_merged(document):
    table = document.tables[1]
    assert same(table, (0, 0), (2, 2))  # the 勾稽关系 note: 3 rows × 3 columns
    assert table.cell(0, 0).text.startswith("（本列数据的勾稽关系为")
    assert same(table, (0, 3), (0, 9))  # 申请人情况 over the seven columns
    assert same(table, (1, 3), (2, 3))  # 自然人 over two header rows
    assert same(table, (1, 4), (1, 8)) and table.cell(1, 4).text == "法人或其他组织"
    assert table.cell(2, 4).text == "商业企业"
    assert same(table, (5, 0), (26, 0)) and not same(table, (26, 0), (27, 0))
    assert table.cell(5, 0).text == "三、本年度办理结果"
    assert same(table, (7, 1), (14, 1)) and table.cell(7, 1).text == "（三）不予公开"
    assert same(table, (15, 1), (17, 1)) and table.cell(15, 1).text == "（四）无法提供"
    assert same(table, (18, 1), (22, 1)) and table.cell(18, 1).text == "（五）不予处理"
    assert same(table, (23, 1), (25, 1)) and table.cell(23, 1).text == "（六）其他处理"
    assert same(table, (3, 0), (3, 2)) and table.cell(3, 0).text.startswith("一、本年新收")
    assert same(table, (5, 1), (5, 2)) and table.cell(5, 1).text == "（一）予以公开"
    assert same(table, (26, 1), (26, 2)) and table.cell(26, 1).text == "（七）总计"
    assert [table.cell(3, column).text for column in range(3, 10)] == [
        "4",
        "1",
        "0",
        "0",
        "0",
        "0",
        "5",
    ]


def test_table3_repeats_its_header_rows_on_each_page(document):
    rows = document.tables[1].rows
    assert [
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in rows[:4]
    ] == [True, True, True, False]


def test_table4_groups_are_merged(document):
    table = document.tables[2]
    assert same(table, (0, 0), (1, 4)) and table.cell(0, 0).text == "行政复议"
    assert same(table, (0, 5), (0, 14)) and table.cell(0, 5).text == "行政诉讼"
    assert same(table, (1, 5), (1, 9)) and table.cell(1, 5).text == "未经复议直接起诉"
    assert same(table, (1, 10), (1, 14)) and table.cell(1, 10).text == "复议后起诉"
    assert table.cell(2, 4).text == "总计"
    assert table.cell(3, 0).text == "1"


def test_table2_single_values_span_the_value_columns(document):
    table = document.tables[0]
    assert same(table, (0, 0), (0, 3)) and table.cell(0, 0).text == "第二十条第（一）项"
    assert table.cell(3, 0).text == "行政规范性文件"
    assert [table.cell(3, column).text for column in (1, 2, 3)] == ["2", "1", "7"]
    assert table.cell(13, 0).text == "行政事业性收费"
    assert same(table, (13, 1), (13, 3)) and table.cell(13, 1).text == "1.2345"


def test_a_parsed_report_without_table3_renders_what_it_has():
    report = replace(township_report(), table3=None, published_on=None, sections={"1": "正文"})
    document = docx.Document(BytesIO(render_docx(report)))
    assert len(document.tables) == 2
    headings = [p.text for p in document.paragraphs if p.style.name == "报告一级标题"]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
