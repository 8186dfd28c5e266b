"""Text extraction from attachments (DOCX, XLSX, PDF, text, HTML) for the sensitive-content scanner.

The contract: `extract_segments` turns a file into `Segment`s — a piece of text and the part it
came from (`段落3`, `表格1 第3行 第2列`, `Sheet1!B3`, `第2页`) — and `scan_file` scans them with
`scanner.scan_text`, naming the file in each finding's location. The type is sniffed from the
content, never from the name. Oversized files, zip bombs, unknown types and damaged files are
refused with an `ExtractionError` (a `DomainError` whose message is Chinese, for users).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path

from lxml import etree

from gongkai.core.exceptions import DomainError
from gongkai.publishing.scanner import Finding, scan_text

MIB = 1024 * 1024


class ExtractionError(DomainError):
    default_message = "附件无法读取，未能完成扫描。"


class FileTooLargeError(ExtractionError):
    default_message = "文件过大，超过扫描上限。"


class ArchiveBombError(ExtractionError):
    default_message = "文件解压后体积异常（疑似压缩炸弹），已拒绝处理。"


class UnsupportedFileTypeError(ExtractionError):
    default_message = "不支持的文件类型。"


class UnreadableFileError(ExtractionError):
    default_message = "文件已损坏或已加密，无法读取。"


@dataclass(frozen=True, slots=True)
class ExtractionLimits:
    """Refusal thresholds. The unpacked limits apply to DOCX/XLSX (zip) content before opening."""

    max_bytes: int = 20 * MIB
    max_unpacked_bytes: int = 200 * MIB
    # Office XML compresses well (10–30x is common); a bomb compresses hundreds or thousands of
    # times.
    max_ratio: float = 100.0
    # Below this unpacked size the ratio is not checked: small files may compress oddly and are
    # harmless.
    ratio_floor_bytes: int = 10 * MIB
    max_entries: int = 10_000
    max_text_chars: int = 50_000_000


DEFAULT_LIMITS = ExtractionLimits()


class FileType(StrEnum):
    DOCX = "docx"
    XLSX = "xlsx"
    PDF = "pdf"
    HTML = "html"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of extracted text and the part of the file it came from.

    `by_line` marks running text (PDF pages, text files) whose findings are located by line as
    well; `context` is the header of the table column a cell sits in (`银行卡号`, `流水号`).
    """

    text: str
    location: str
    by_line: bool = False
    context: str = ""


def _megabytes(size: int) -> str:
    return f"{size / MIB:.1f}"


def _too_large(name: str, size: int, limits: ExtractionLimits) -> FileTooLargeError:
    return FileTooLargeError(
        f"文件“{name}”大小为 {_megabytes(size)} MB，"
        f"超过扫描上限 {_megabytes(limits.max_bytes)} MB，请压缩或拆分后再上传。"
    )


def read_source(
    source: str | os.PathLike[str] | bytes, name: str, limits: ExtractionLimits = DEFAULT_LIMITS
) -> bytes:
    """The file's bytes, refusing an oversized file before reading it into memory."""
    if isinstance(source, bytes):
        if len(source) > limits.max_bytes:
            raise _too_large(name, len(source), limits)
        return source
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise _too_large(name, size, limits)
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except FileNotFoundError as error:
        raise UnreadableFileError(f"文件“{name}”不存在。") from error
    except IsADirectoryError as error:
        raise UnreadableFileError(f"“{name}”是一个目录，不是文件。") from error
    except PermissionError as error:
        raise UnreadableFileError(f"没有读取文件“{name}”的权限。") from error
    except OSError as error:
        raise UnreadableFileError(f"文件“{name}”无法读取。") from error
    if len(data) > limits.max_bytes:
        raise _too_large(name, len(data), limits)
    return data


# --- type sniffing --------------------------------------------------------------------------------

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_HINT = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<(?:head|body|p|div|table|br|span|h[1-6])[\s/>]", re.IGNORECASE
)


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFileError(f"文件“{name}”是损坏的压缩文件，无法读取。") from error


def check_zip(
    archive: zipfile.ZipFile, name: str, limits: ExtractionLimits = DEFAULT_LIMITS
) -> None:
    """Refuse a zip whose declared contents are too many, too large or too compressed (a zip bomb).

    The declared sizes are binding: `zipfile` stops reading an entry at its declared size and
    fails on a mismatch, so a forged header cannot smuggle more data past this check.
    """
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise ArchiveBombError(
            f"文件“{name}”内含 {len(entries)} 个部件，超过上限 {limits.max_entries} 个，"
            "疑似压缩炸弹，已拒绝处理。"
        )
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if unpacked > limits.max_unpacked_bytes:
        raise ArchiveBombError(
            f"文件“{name}”解压后达 {_megabytes(unpacked)} MB，超过上限 "
            f"{_megabytes(limits.max_unpacked_bytes)} MB，疑似压缩炸弹，已拒绝处理。"
        )
    if unpacked > limits.ratio_floor_bytes and unpacked > limits.max_ratio * max(packed, 1):
        raise ArchiveBombError(
            f"文件“{name}”的压缩比约为 {unpacked // max(packed, 1)} 倍，远超正常文档，"
            "疑似压缩炸弹，已拒绝处理。"
        )


def sniff(data: bytes, name: str = "文件") -> FileType:
    """The file's type from its content (magic bytes and, for zips, the parts inside)."""
    if data.startswith(b"PK\x03\x04"):
        with _open_zip(data, name) as archive:
            names = set(archive.namelist())
        if "word/document.xml" in names:
            return FileType.DOCX
        if "xl/workbook.xml" in names:
            return FileType.XLSX
        raise UnsupportedFileTypeError(
            f"文件“{name}”是压缩包或其他 Office 格式，"
            "目前只能扫描 Word（.docx）、Excel（.xlsx）、PDF 和文本文件。"
        )
    if b"%PDF-" in data[:1024]:
        return FileType.PDF
    if data.startswith(_OLE2_MAGIC):
        raise UnsupportedFileTypeError(
            f"文件“{name}”是旧版 Word/Excel 格式（.doc/.xls），请另存为 .docx/.xlsx 后再扫描。"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return FileType.HTML if _HTML_HINT.search(_decode(data).encode()[:4096]) else FileType.TEXT
    if b"\x00" in data[:8192]:
        raise UnsupportedFileTypeError(
            f"文件“{name}”不是可识别的文档格式，"
            "目前只能扫描 Word（.docx）、Excel（.xlsx）、PDF 和文本文件。"
        )
    return FileType.HTML if _HTML_HINT.search(data[:4096]) else FileType.TEXT


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


# --- DOCX -----------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_W_P, _W_TBL, _W_TR, _W_TC, _W_SDT, _W_SDT_CONTENT = (
    f"{{{_W}}}{tag}" for tag in ("p", "tbl", "tr", "tc", "sdt", "sdtContent")
)
# w:delText is included on purpose: text deleted under tracked changes is still inside the published
# file.
_W_TEXT = {f"{{{_W}}}t", f"{{{_W}}}delText", f"{{{_W}}}instrText"}
_W_BREAKS = {f"{{{_W}}}br": "\n", f"{{{_W}}}cr": "\n", f"{{{_W}}}tab": "\t"}

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_DOCX_PART_LABELS = {
    "header+xml": "页眉",
    "footer+xml": "页脚",
    "footnotes+xml": "脚注",
    "endnotes+xml": "尾注",
    "comments+xml": "批注",
}
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _xml_text(element: etree._Element) -> str:
    """All text under `element`, one line per paragraph, skipping text boxes' duplicate fallback."""
    pieces: list[str] = []

    def walk(node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag == _MC_FALLBACK:
                continue
            if tag in _W_TEXT:
                pieces.append(child.text or "")
            elif tag in _W_BREAKS:
                pieces.append(_W_BREAKS[tag])
            else:
                walk(child)
                if tag == _W_P:
                    pieces.append("\n")

    walk(element)
    return "".join(pieces).strip("\n")


def _block_children(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of a container in order, looking through content controls (w:sdt)."""
    for child in container:
        if child.tag == _W_SDT:
            for content in child.iter(_W_SDT_CONTENT):
                yield from _block_children(content)
                break
        elif child.tag in (_W_P, _W_TBL):
            yield child


def _table_segments(table: etree._Element, prefix: str) -> Iterator[Segment]:
    rows = [row for row in table.iter(_W_TR) if _owning_table(row) is table]
    headers: list[str] = []
    for row_index, row in enumerate(rows, 1):
        cells = [cell for cell in row.iter(_W_TC) if _owning_table(cell) is table]
        if row_index == 1:
            headers = [_xml_text(cell).strip() for cell in cells]
        for column_index, cell in enumerate(cells, 1):
            header = (
                headers[column_index - 1] if row_index > 1 and column_index <= len(headers) else ""
            )
            where = f"{prefix} 第{row_index}行 第{column_index}列"
            paragraphs: list[str] = []
            nested = 0
            for block in _block_children(cell):
                if block.tag == _W_P:
                    paragraphs.append(_xml_text(block))
                else:
                    nested += 1
                    yield from _table_segments(block, f"{where} 嵌套表格{nested}")
            text = "\n".join(paragraphs).strip()
            if text:
                yield Segment(text, where, context=header)


def _owning_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != _W_TBL:
        parent = parent.getparent()
    return parent


def _container_segments(container: etree._Element, prefix: str) -> Iterator[Segment]:
    paragraph_count = table_count = 0
    for block in _block_children(container):
        if block.tag == _W_P:
            paragraph_count += 1
            text = _xml_text(block)
            if text.strip():
                yield Segment(text, f"{prefix}段落{paragraph_count}")
        else:
            table_count += 1
            yield from _table_segments(block, f"{prefix}表格{table_count}")


def _docx_segments(data: bytes, name: str) -> Iterator[Segment]:
    import docx
    from docx.opc.part import XmlPart

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:
        raise UnreadableFileError(f"Word 文件“{name}”已损坏，无法读取。") from error
    yield from _container_segments(document.element.body, "")
    counters: dict[str, int] = {}
    for part in document.part.package.iter_parts():
        content_type = part.content_type
        if not content_type.startswith(_WML):
            continue
        label = _DOCX_PART_LABELS.get(content_type.removeprefix(_WML))
        if label is None:
            continue
        counters[label] = counters.get(label, 0) + 1
        root = (
            part.element
            if isinstance(part, XmlPart)
            else etree.fromstring(part.blob, parser=_SAFE_XML)
        )
        number = counters[label]
        if label in ("页眉", "页脚"):
            yield from _container_segments(root, f"{label}{number if number > 1 else ''} ")
        else:
            # Notes and comments hold their paragraphs one level down (w:footnote, w:comment …).
            notes = [note for note in root if isinstance(note.tag, str)]
            for index, note in enumerate(notes, 1):
                yield from _container_segments(note, f"{label}{index} ")


# --- XLSX -----------------------------------------------------------------------------------------


def _cell_text(value: object) -> str | None:
    if value is None or isinstance(value, bool | datetime | date | time):
        return None
    if isinstance(value, float):
        # An integral float is how Excel keeps a typed-in number such as a mobile number.
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    text = str(value)
    return text if text.strip() else None


def _xlsx_segments(data: bytes, name: str) -> Iterator[Segment]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise UnreadableFileError(f"Excel 文件“{name}”已损坏，无法读取。") from error
    try:
        for sheet in workbook.worksheets:
            # The stored dimension can be wrong; without a reset read-only mode may skip cells
            # beyond it.
            sheet.reset_dimensions()
            headers: list[str] = []
            for row_index, row in enumerate(sheet.iter_rows(values_only=True), 1):
                if row_index == 1:
                    headers = [value if isinstance(value, str) else "" for value in row]
                for column_index, value in enumerate(row, 1):
                    text = _cell_text(value)
                    if text is not None:
                        where = f"{sheet.title}!{get_column_letter(column_index)}{row_index}"
                        header = (
                            headers[column_index - 1]
                            if row_index > 1 and column_index <= len(headers)
                            else ""
                        )
                        yield Segment(text, where, context=header)
    finally:
        workbook.close()


# --- PDF ------------------------------------------------------------------------------------------


def _pdf_segments(data: bytes, name: str) -> Iterator[Segment]:
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise UnreadableFileError(
                f"PDF 文件“{name}”设有打开密码，无法扫描，请提供未加密的文件。"
            )
        pages = reader.pages
        for number in range(len(pages)):
            text = pages[number].extract_text() or ""
            if text.strip():
                yield Segment(text, f"第{number + 1}页", by_line=True)
    except ExtractionError:
        raise
    except Exception as error:
        raise UnreadableFileError(f"PDF 文件“{name}”已损坏或加密，无法读取。") from error


# --- text and HTML --------------------------------------------------------------------------------

_HTML_BLOCKS = {
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "title",
}  # fmt: skip
_HTML_CELLS = {"td", "th"}


def _html_segments(data: bytes, name: str) -> Iterator[Segment]:
    import lxml.html

    try:
        document = lxml.html.document_fromstring(_decode(data))
    except (etree.ParserError, ValueError) as error:
        raise UnreadableFileError(f"网页文件“{name}”无法解析。") from error
    comments = [comment.text or "" for comment in document.iter(etree.Comment)]
    for element in list(document.iter("script", "style", "noscript", etree.Comment)):
        element.drop_tree()
    # Separate blocks and cells so that numbers in neighbouring cells never run together.
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in _HTML_BLOCKS:
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _HTML_CELLS:
            element.tail = "\t" + (element.tail or "")
    text = document.text_content()
    yield Segment(text, "", by_line=True)
    for index, comment in enumerate(comments, 1):
        if comment.strip():
            yield Segment(comment, f"网页注释{index}")


def extract_segments(
    source: str | os.PathLike[str] | bytes,
    name: str | None = None,
    *,
    limits: ExtractionLimits = DEFAULT_LIMITS,
) -> list[Segment]:
    """The text of a file, part by part; an `ExtractionError` when the file cannot be scanned."""
    if name is None:
        name = "附件" if isinstance(source, bytes) else Path(source).name
    data = read_source(source, name, limits)
    kind = sniff(data, name)
    if kind in (FileType.DOCX, FileType.XLSX):
        with _open_zip(data, name) as archive:
            check_zip(archive, name, limits)
    if kind == FileType.DOCX:
        parts: Iterator[Segment] = _docx_segments(data, name)
    elif kind == FileType.XLSX:
        parts = _xlsx_segments(data, name)
    elif kind == FileType.PDF:
        parts = _pdf_segments(data, name)
    elif kind == FileType.HTML:
        parts = _html_segments(data, name)
    else:
        parts = iter([Segment(_decode(data), "", by_line=True)])
    segments: list[Segment] = []
    total = 0
    for segment in parts:
        total += len(segment.text)
        if total > limits.max_text_chars:
            raise ArchiveBombError(
                f"文件“{name}”提取出的文字超过 {limits.max_text_chars} 个字符，"
                "超出扫描能力，请拆分后再上传。"
            )
        segments.append(segment)
    return segments


def scan_file(
    source: str | os.PathLike[str] | bytes,
    name: str | None = None,
    *,
    limits: ExtractionLimits = DEFAULT_LIMITS,
) -> list[Finding]:
    """Scan a file; each finding's location names the file and the part (`名单.xlsx Sheet1!B3`)."""
    if name is None:
        name = "附件" if isinstance(source, bytes) else Path(source).name
    findings: list[Finding] = []
    for segment in extract_segments(source, name, limits=limits):
        where = f"{name} {segment.location}".strip()
        findings.extend(
            scan_text(
                segment.text,
                location=where,
                number_lines=segment.by_line,
                context=segment.context,
            )
        )
    return findings
