"""DOCX rendering: the report as an official document (公文) in Word format.

Layout after GB/T 9704-2012 《党政机关公文格式》: A4, margins 37/26/35/28 mm, title in
方正小标宋简体 二号 (22 pt), first-level headings in 黑体 三号, body in 仿宋_GB2312 三号 (16 pt) on
a fixed 28 pt line, page numbers "— 1 —" in 宋体 四号 centred in the footer. The tables keep the
merged headers of the official format (they come from the same grid as the HTML, see `layout.py`).

The official faces are often missing on the machine that opens the file, so the font table declares
an alternative for each (`w:altName`), ending in the Noto CJK faces: Word and LibreOffice substitute
the alternative instead of a random face without the glyphs.
"""

from __future__ import annotations

from io import BytesIO
from typing import cast

# Only escapes text we write into the document XML; nothing is parsed (bandit B406).
from xml.sax.saxutils import escape as xml_escape  # nosec B406

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length, Mm, Pt
from docx.styles.style import ParagraphStyle
from lxml import etree

from gongkai.reports import format as fmt
from gongkai.reports.renderers.layout import (
    CellKind,
    TableGrid,
    chinese_date,
    paragraphs,
    report_grids,
)
from gongkai.reports.value import AnnualReport

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

# name → (alternative name, charset, family). Charset 86 is GB2312; the chain ends in faces that
# Debian ships (fonts-noto-cjk).
FONT_ALTERNATIVES: dict[str, tuple[str, str, str]] = {
    TITLE_FONT: ("Noto Serif CJK SC", "86", "roman"),
    BODY_FONT: ("FangSong", "86", "modern"),
    "FangSong": ("Noto Serif CJK SC", "86", "modern"),
    HEADING_FONT: ("SimHei", "86", "modern"),
    "SimHei": ("Noto Sans CJK SC", "86", "modern"),
    PAGE_NUMBER_FONT: ("SimSun", "86", "auto"),
    "SimSun": ("Noto Serif CJK SC", "86", "auto"),
    "Noto Serif CJK SC": ("Noto Serif CJK SC", "86", "roman"),
    "Noto Sans CJK SC": ("Noto Sans CJK SC", "86", "swiss"),
}

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
BODY_SIZE = Pt(16)  # 三号
INDENT = Pt(32)  # two characters of 三号
TITLE_SIZE = Pt(22)  # 二号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(9)
LINE = Pt(28)

STYLE_TITLE = "报告标题"
STYLE_HEADING = "报告一级标题"
STYLE_TABLE = "报告表格文字"
STYLE_SIGNATURE = "报告落款"


def _set_fonts(style: ParagraphStyle, east_asian: str, size: Pt) -> None:
    style.font.name = LATIN_FONT
    style.font.size = size
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _paragraph_style(
    document: DocumentObject,
    name: str,
    east_asian: str,
    size: Pt,
    *,
    alignment: WD_ALIGN_PARAGRAPH,
    first_line_indent: Length | None = None,
    line: Pt | None = LINE,
) -> ParagraphStyle:
    style = cast(ParagraphStyle, document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH))
    style.base_style = document.styles["Normal"]
    _set_fonts(style, east_asian, size)
    layout = style.paragraph_format
    layout.alignment = alignment
    layout.first_line_indent = first_line_indent or Pt(0)
    layout.space_before = layout.space_after = Pt(0)
    if line is None:
        layout.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        layout.line_spacing = line
    return style


def _setup_styles(document: DocumentObject) -> None:
    normal = cast(ParagraphStyle, document.styles["Normal"])
    _set_fonts(normal, BODY_FONT, BODY_SIZE)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(language)
    layout = normal.paragraph_format
    layout.first_line_indent = INDENT  # two characters
    layout.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    layout.space_before = layout.space_after = Pt(0)
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = LINE
    title = _paragraph_style(
        document,
        STYLE_TITLE,
        TITLE_FONT,
        TITLE_SIZE,
        alignment=WD_ALIGN_PARAGRAPH.CENTER,
        line=None,
    )
    title.paragraph_format.space_after = LINE
    heading = _paragraph_style(
        document,
        STYLE_HEADING,
        HEADING_FONT,
        BODY_SIZE,
        alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_indent=INDENT,
    )
    heading.paragraph_format.keep_with_next = True
    # Outline level 1 puts the six sections in Word's navigation pane and the PDF bookmarks.
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    heading.element.get_or_add_pPr().append(outline)
    _paragraph_style(
        document,
        STYLE_TABLE,
        BODY_FONT,
        TABLE_SIZE,
        alignment=WD_ALIGN_PARAGRAPH.CENTER,
        line=None,
    )
    _paragraph_style(
        document, STYLE_SIGNATURE, BODY_FONT, BODY_SIZE, alignment=WD_ALIGN_PARAGRAPH.RIGHT
    )


def _declare_font_alternatives(document: DocumentObject) -> None:
    """Add the official faces and their alternatives to word/fontTable.xml."""
    part = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    fonts = parse_xml(part.blob)
    present = {font.get(qn("w:name")) for font in fonts.iterchildren(qn("w:font"))}
    for name, (alternative, charset, family) in FONT_ALTERNATIVES.items():
        if name in present:
            continue
        font = parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}">'
            f'<w:altName w:val="{alternative}"/><w:charset w:val="{charset}"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        )
        fonts.append(font)
    # python-docx keeps parts it does not model as raw bytes; there is no public setter.
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _setup_page(document: DocumentObject) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.footer_distance = Mm(25)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    # "— 1 —": a PAGE field (begin, instruction, separate, cached result, end), one run each, as
    # Word writes it.
    field = (
        f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>',
        f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>',
        f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>',
        f"<w:t {nsdecls('w')}>1</w:t>",
        f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>',
    )
    for part in ("— ", *field, " —"):
        run = footer.add_run()
        run.font.size = PAGE_NUMBER_SIZE
        run.font.name = LATIN_FONT
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), PAGE_NUMBER_FONT)
        if part.startswith("<"):
            run._element.append(parse_xml(part))
        else:
            run.text = part


_TWIPS_PER_MM = 1440 / 25.4


def _table_xml(grid: TableGrid, text_style_id: str, table_style_id: str) -> str:
    """WordprocessingML for one table: merges as `w:gridSpan` and `w:vMerge`, like Word writes them.

    Written directly rather than through python-docx's `cell.merge`, which recomputes the whole cell
    grid for every cell and takes seconds for table 3.
    """
    content_mm = (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / Mm(1)
    widths = [round(content_mm * share * _TWIPS_PER_MM) for share in grid.widths]
    origin = {}
    for cell in grid.cells():
        for row in range(cell.row, cell.row + cell.rowspan):
            origin[(row, cell.column)] = cell
    parts = [
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblStyle w:val="{table_style_id}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        # 1.4 pt side margins: fifteen columns of table 4 must fit the A4 text width.
        '<w:tblCellMar><w:left w:w="28" w:type="dxa"/><w:right w:w="28" w:type="dxa"/>'
        '</w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{width}"/>' for width in widths),
        "</w:tblGrid>",
    ]
    for row in range(len(grid.rows)):
        parts.append("<w:tr>")
        if row < grid.header_rows:
            # Repeat the column headers when the table runs onto the next page.
            parts.append("<w:trPr><w:tblHeader/></w:trPr>")
        column = 0
        while column < grid.columns:
            cell = origin[(row, column)]
            width = sum(widths[column : column + cell.colspan])
            properties = f'<w:tcW w:w="{width}" w:type="dxa"/>'
            if cell.colspan > 1:
                properties += f'<w:gridSpan w:val="{cell.colspan}"/>'
            if cell.rowspan > 1:
                start = cell.row == row
                properties += '<w:vMerge w:val="restart"/>' if start else "<w:vMerge/>"
            properties += '<w:vAlign w:val="center"/>'
            paragraph = f'<w:pPr><w:pStyle w:val="{text_style_id}"/>'
            if cell.kind is CellKind.ROW_HEADER:
                paragraph += '<w:jc w:val="left"/>'
            paragraph += "</w:pPr>"
            if cell.row == row and cell.text:
                paragraph += f"<w:r><w:t>{xml_escape(cell.text)}</w:t></w:r>"
            parts.append(f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p>{paragraph}</w:p></w:tc>")
            column += cell.colspan
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _add_table(document: DocumentObject, grid: TableGrid) -> None:
    table = parse_xml(
        _table_xml(
            grid,
            document.styles[STYLE_TABLE].style_id,
            document.styles["Table Grid"].style_id,
        )
    )
    body = document.element.body
    # The section properties must stay the body's last child.
    if body.sectPr is not None:
        body.sectPr.addprevious(table)
    else:
        body.append(table)


def render_docx(report: AnnualReport) -> bytes:
    """The report as a .docx file."""
    document = Document()
    _setup_styles(document)
    _declare_font_alternatives(document)
    _setup_page(document)
    properties = document.core_properties
    properties.title = report.title
    properties.author = report.agency.name
    properties.language = "zh-CN"

    document.add_paragraph(report.title, style=STYLE_TITLE)
    for paragraph in paragraphs(report.preamble):
        document.add_paragraph(paragraph)
    grids = report_grids(report)
    for section in fmt.SECTIONS:
        text = report.section(section.number)
        grid = grids.get(section.table) if section.table else None
        if text is None and grid is None:
            continue
        document.add_paragraph(section.heading, style=STYLE_HEADING)
        for paragraph in paragraphs(text or ""):
            document.add_paragraph(paragraph)
        if grid is not None:
            _add_table(document, grid)
            document.add_paragraph()
    document.add_paragraph()
    document.add_paragraph(report.agency.name, style=STYLE_SIGNATURE)
    if report.published_on is not None:
        document.add_paragraph(chinese_date(report.published_on), style=STYLE_SIGNATURE)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
