"""PDF files: the text of each page (pypdf), one line per extracted line.

A PDF has no table structure to read: cells come out in reading order, several on a line or one
label split over several lines. The parser joins label fragments and splits lines of figures.
Page furniture ("— 3 —" page numbers) is dropped.
"""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from gongkai.reports.checker.document import Line, SourceDocument, UnreadableError, text_line

_PAGE_NUMBER = re.compile(r"^[—\-－–\s]*\d+[—\-－–\s]*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$")
MAX_PAGES = 200


def read_pdf(data: bytes) -> SourceDocument:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UnreadableError("PDF 文件已加密，无法读取文字")
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
    except UnreadableError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise UnreadableError(f"PDF 文件已损坏，无法读取（{type(error).__name__}）") from error
    except Exception as error:  # pypdf raises many kinds for a damaged file
        raise UnreadableError(f"PDF 文件无法读取（{type(error).__name__}）") from error
    lines: list[Line] = []
    for page in pages:
        for raw in page.replace("\r", "\n").split("\n"):
            text = raw.replace("\xa0", " ").strip()
            if text and not _PAGE_NUMBER.match(text):
                lines.append(text_line(text))
    if not lines:
        raise UnreadableError("PDF 文件中没有可提取的文字（可能是扫描图片），无法读取")
    return SourceDocument("pdf", tuple(lines))
