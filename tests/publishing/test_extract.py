"""Extraction from attachments: each format, its parts and locations, and the files it refuses."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from openpyxl import Workbook

from gongkai.core.exceptions import DomainError
from gongkai.publishing.extract import (
    ArchiveBombError,
    ExtractionLimits,
    FileTooLargeError,
    FileType,
    UnreadableFileError,
    UnsupportedFileTypeError,
    extract_segments,
    scan_file,
    sniff,
)
from gongkai.publishing.scanner import Finding

ID = "11010519491231002X"  # the example number of GB 11643
MOBILE = "13812345678"
CARD = "4111111111111111"


def located(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(str(finding.kind), finding.location) for finding in findings]


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("关于困难群众救助资金发放对象的公示")
    document.add_paragraph(f"申请人身份证号{ID}。")
    table = document.add_table(rows=3, cols=3)
    for column, title in enumerate(("姓名", "联系电话", "银行卡号")):
        table.cell(0, column).text = title
    table.cell(1, 0).text = "张三"
    table.cell(1, 1).text = "无"
    table.cell(2, 1).text = MOBILE
    table.cell(2, 2).text = CARD
    nested = table.cell(1, 2).add_table(rows=1, cols=1)
    nested.cell(0, 0).text = "邮箱 zhangsan@example.com"
    section = document.sections[0]
    section.header.paragraphs[0].text = "机密★1年"
    section.footer.paragraphs[0].text = "监督电话：0631-8898088"
    document.save(path)
    return path


def test_docx_paragraphs_tables_headers_and_footers_are_scanned(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "公示.docx")
    assert located(scan_file(path)) == [
        ("id_number", "公示.docx 段落2"),
        ("email", "公示.docx 表格1 第2行 第3列 嵌套表格1 第1行 第1列"),
        ("mobile", "公示.docx 表格1 第3行 第2列"),
        ("bank_card", "公示.docx 表格1 第3行 第3列"),
        ("classification", "公示.docx 页眉 段落1"),
        ("landline", "公示.docx 页脚 段落1"),
    ]


def test_docx_text_deleted_under_tracked_changes_is_still_scanned(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("联系电话：")
    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph._p.append(
        parse_xml(
            f'<w:del {namespace} w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z">'
            f"<w:r><w:delText>{MOBILE}</w:delText></w:r></w:del>"
        )
    )
    document.save(tmp_path / "修订.docx")
    assert located(scan_file(tmp_path / "修订.docx")) == [("mobile", "修订.docx 段落1")]


def test_xlsx_every_sheet_and_cell_is_scanned(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Sheet1"
    sheet.append(["姓名", "身份证号", "手机号"])
    sheet.append(["张三", "（空）", None])
    sheet.append(["李四", ID, int(MOBILE)])  # a mobile typed in as a number
    hidden = book.create_sheet("备注")
    hidden.sheet_state = "hidden"
    hidden["D9"] = f"卡号{CARD}"
    book.save(tmp_path / "名单.xlsx")
    assert located(scan_file(tmp_path / "名单.xlsx")) == [
        ("id_number", "名单.xlsx Sheet1!B3"),
        ("mobile", "名单.xlsx Sheet1!C3"),
        ("bank_card", "名单.xlsx 备注!D9"),
    ]


def test_xlsx_column_header_labels_a_record_number(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(["流水号", "银行卡号"])
    sheet.append([CARD, CARD])
    buffer = io.BytesIO()
    book.save(buffer)
    assert [finding.location for finding in scan_file(buffer.getvalue(), "a.xlsx")] == [
        "a.xlsx Sheet!B2"
    ]


def test_pdf_pages_are_scanned_page_by_page(tmp_path: Path) -> None:
    from weasyprint import HTML

    html = (
        "<html><body style=\"font-family: 'Noto Sans CJK SC'\">"
        f"<p>第一页：身份证号 {ID}</p>"
        f"<p style='page-break-before: always'>第二页</p><p>联系电话 {MOBILE}</p>"
        "</body></html>"
    )
    HTML(string=html).write_pdf(tmp_path / "公示.pdf")
    assert located(scan_file(tmp_path / "公示.pdf")) == [
        ("id_number", "公示.pdf 第1页 第1行"),
        ("mobile", "公示.pdf 第2页 第2行"),
    ]


def test_plain_text_in_gb18030_and_html_are_scanned(tmp_path: Path) -> None:
    (tmp_path / "名单.txt").write_bytes(f"名单\n张三 {MOBILE}\n".encode("gb18030"))
    assert located(scan_file(tmp_path / "名单.txt")) == [("mobile", "名单.txt 第2行")]
    page = (
        "<!DOCTYPE html><html><head><style>p{}</style></head><body>"
        f"<table><tr><td>{ID}</td><td>{MOBILE}</td></tr></table>"
        f"<!-- 旧联系人 13912345678 --></body></html>"
    )
    findings = scan_file(page.encode(), "page.html")
    assert [str(finding.kind) for finding in findings] == ["id_number", "mobile", "mobile"]
    assert findings[2].location == "page.html 网页注释1"


def test_the_type_is_sniffed_from_content_not_the_name(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "看起来像.pdf")
    assert sniff(path.read_bytes()) == FileType.DOCX
    assert sniff(b"%PDF-1.7\n...") == FileType.PDF
    assert sniff(b"<html><body><p>x</p></body></html>") == FileType.HTML
    assert sniff("只是文字".encode()) == FileType.TEXT
    assert {str(finding.kind) for finding in scan_file(path)} >= {"id_number", "mobile"}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, UnsupportedFileTypeError),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", UnsupportedFileTypeError),
        (b"PK\x03\x04 this is not really a zip", UnreadableFileError),
        (b"%PDF-1.4 broken beyond repair", UnreadableFileError),
    ],
)
def test_unknown_or_damaged_files_are_refused(data: bytes, error: type[DomainError]) -> None:
    with pytest.raises(error) as raised:
        scan_file(data, "附件")
    assert isinstance(raised.value, DomainError)
    assert "附件" in raised.value.message


def test_a_zip_that_is_not_an_office_document_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnsupportedFileTypeError):
        scan_file(buffer.getvalue(), "a.zip")


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    limits = ExtractionLimits(max_bytes=1024)
    path = tmp_path / "大文件.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(FileTooLargeError) as raised:
        scan_file(path, limits=limits)
    assert "超过扫描上限" in raised.value.message
    with pytest.raises(FileTooLargeError):
        scan_file(b"a" * 2048, "x.txt", limits=limits)
    assert scan_file(b"a" * 1024, "x.txt", limits=limits) == []


def test_the_default_size_limit_is_twenty_megabytes() -> None:
    assert ExtractionLimits().max_bytes == 20 * 1024 * 1024


def zip_bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as entry:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                entry.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened() -> None:
    bomb = zip_bomb(24 * 1024 * 1024)
    assert len(bomb) < 100_000
    with pytest.raises(ArchiveBombError) as raised:
        scan_file(bomb, "炸弹.docx")
    assert "压缩炸弹" in raised.value.message


def test_the_unpacked_size_limit_applies_whatever_the_ratio() -> None:
    bomb = zip_bomb(2 * 1024 * 1024)
    limits = ExtractionLimits(max_unpacked_bytes=1024 * 1024)
    with pytest.raises(ArchiveBombError):
        extract_segments(bomb, "a.docx", limits=limits)


def test_a_missing_file_is_an_extraction_error(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError) as raised:
        scan_file(tmp_path / "不存在.docx")
    assert raised.value.message == "文件“不存在.docx”不存在。"


def test_docx_comments_are_scanned() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("正文")
    document.add_comment(paragraph.runs, text=f"联系人电话{MOBILE}", author="审核")
    buffer = io.BytesIO()
    document.save(buffer)
    assert located(scan_file(buffer.getvalue(), "c.docx")) == [("mobile", "c.docx 批注1 段落1")]
