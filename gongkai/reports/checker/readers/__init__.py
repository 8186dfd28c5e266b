"""Readers: a document's bytes → `SourceDocument` (lines and table rows).

`read_document` sniffs the kind from the content first and the file name second: PDF (`%PDF`),
DOCX/XLSX (ZIP containers with `word/` or `xl/`), HTML (markup in the first kilobytes), otherwise
text (scraped one-cell-per-line text, `|`-separated rows, plain text).
"""

from __future__ import annotations

import re

from gongkai.core.uploads import ArchiveBomb, DamagedArchive, check_zip
from gongkai.reports.checker.document import SourceDocument, UnreadableError
from gongkai.reports.checker.readers.docx import read_docx
from gongkai.reports.checker.readers.html import read_html
from gongkai.reports.checker.readers.pdf import read_pdf
from gongkai.reports.checker.readers.text import read_text
from gongkai.reports.checker.readers.xlsx import read_xlsx

_MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|body|table|p|div|head|meta|h1|br)\b", re.I)


def sniff(data: bytes, name: str = "") -> str:
    """html / text / docx / xlsx / pdf / zip."""
    lower = name.lower()
    if data[:1024].lstrip()[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            # Entry count, declared size and ratio first: a zip bomb never reaches a reader.
            names = check_zip(data, name or "文件")
        except ArchiveBomb as exc:
            raise UnreadableError(exc.message) from exc
        except DamagedArchive:
            return "zip"
        if any(entry.startswith("word/") for entry in names):
            return "docx"
        if any(entry.startswith("xl/") for entry in names):
            return "xlsx"
        return "zip"
    if lower.endswith((".htm", ".html", ".shtml", ".xhtml")) or _MARKUP.search(data[:8192]):
        return "html"
    return "text"


def read_document(data: bytes, name: str = "") -> SourceDocument:
    """Read any supported document; raises UnreadableError with a Chinese message."""
    kind = sniff(data, name)
    if kind == "pdf":
        return read_pdf(data)
    if kind == "docx":
        return read_docx(data)
    if kind == "xlsx":
        return read_xlsx(data)
    if kind == "zip":
        raise UnreadableError("文件是压缩包，但不是 Word（.docx）或 Excel（.xlsx）文档，无法读取")
    if kind == "html":
        return read_html(data)
    return read_text(data)
