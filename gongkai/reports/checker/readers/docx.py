"""Word documents: paragraphs as lines, tables as grid rows (merged cells repeated by
python-docx), in the order they appear in the body."""

from __future__ import annotations

import io
import re
import zipfile

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from gongkai.reports.checker.document import (
    Line,
    SourceDocument,
    UnreadableError,
    grid_line,
    text_line,
)

_SPACE = re.compile(r"[\s\u3000\xa0]+")


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def read_docx(data: bytes) -> SourceDocument:
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableError(f"Word 文档无法打开：{error}") from error
    except Exception as error:  # python-docx raises many kinds for a damaged package
        raise UnreadableError(f"Word 文档已损坏，无法打开（{type(error).__name__}）") from error
    lines: list[Line] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = _clean(block.text)
            if text:
                lines.append(text_line(text))
        elif isinstance(block, Table):
            _table(block, lines)
    return SourceDocument("docx", tuple(lines))


def _table(table: Table, lines: list[Line]) -> None:
    for row in table.rows:
        cells = [_clean(cell.text) for cell in row.cells]
        if any(cells):
            lines.append(grid_line(cells))
