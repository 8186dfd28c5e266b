"""One validator for every uploaded file: the type comes from the content, never from the name.

Every upload path calls `validate_upload` before anything else reads the file: application
attachments (portal and workbench), catalogue attachments, the channel-statistics CSV, the annual
report's XLSX import, the report checker and supervision evidence. It

1. refuses a file over the path's size limit without reading past the limit;
2. sniffs the kind from the first bytes (and, for ZIP containers, from the names of the parts:
   DOCX has `word/document.xml`, XLSX `xl/workbook.xml`, OFD `OFD.xml`);
3. for every ZIP container (DOCX, XLSX, OFD, ZIP) checks the central directory before any parser
   opens it — entry count, total declared uncompressed size, compression ratio — so a zip bomb is
   refused in microseconds. The declared sizes are binding: `zipfile` (which openpyxl and
   python-docx use) stops an entry at its declared size and fails on a mismatch, so a forged header
   cannot smuggle more data past this check;
4. refuses a kind the path does not accept and, with `match_name`, a name whose extension says
   another kind (a renamed file).

Refusals are `UploadRejected` (a DomainError) with a Chinese message naming the file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from gongkai.core.exceptions import DomainError

MIB = 1024 * 1024


class UploadRejected(DomainError):
    default_message = "上传的文件不符合要求。"


class DamagedArchive(UploadRejected):
    default_message = "文件是损坏的压缩文件，无法读取。"


class ArchiveBomb(UploadRejected):
    default_message = "文件解压后体积异常（疑似压缩炸弹），已拒绝。"


class Kind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    OFD = "ofd"
    ZIP = "zip"
    OLE = "ole"  # legacy .doc / .xls (OLE2 compound file)
    JPEG = "jpeg"
    PNG = "png"
    TEXT = "text"  # plain text, CSV, HTML


# What people call each kind, and the extensions that name it.
KIND_LABELS: dict[Kind, str] = {
    Kind.PDF: "PDF",
    Kind.DOCX: "Word（.docx）",
    Kind.XLSX: "Excel（.xlsx）",
    Kind.OFD: "OFD",
    Kind.ZIP: "ZIP压缩包",
    Kind.OLE: "旧版Word/Excel（.doc/.xls）",
    Kind.JPEG: "JPG图片",
    Kind.PNG: "PNG图片",
    Kind.TEXT: "文本（TXT/CSV/HTML）",
}
KIND_EXTENSIONS: dict[Kind, frozenset[str]] = {
    Kind.PDF: frozenset({"pdf"}),
    Kind.DOCX: frozenset({"docx"}),
    Kind.XLSX: frozenset({"xlsx"}),
    Kind.OFD: frozenset({"ofd"}),
    Kind.ZIP: frozenset({"zip"}),
    Kind.OLE: frozenset({"doc", "xls"}),
    Kind.JPEG: frozenset({"jpg", "jpeg"}),
    Kind.PNG: frozenset({"png"}),
    Kind.TEXT: frozenset({"txt", "csv", "htm", "html", "shtml", "xhtml", "text"}),
}
CONTENT_TYPES: dict[Kind, str] = {
    Kind.PDF: "application/pdf",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Kind.OFD: "application/ofd",
    Kind.ZIP: "application/zip",
    Kind.OLE: "application/octet-stream",
    Kind.JPEG: "image/jpeg",
    Kind.PNG: "image/png",
    Kind.TEXT: "text/plain",
}
ZIP_KINDS = frozenset({Kind.DOCX, Kind.XLSX, Kind.OFD, Kind.ZIP})


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """Zip-bomb thresholds, checked on the central directory before any part is unpacked."""

    max_entries: int = 10_000
    max_unpacked_bytes: int = 200 * MIB
    # Office XML compresses 10–30x; a bomb compresses hundreds or thousands of times.
    max_ratio: float = 100.0
    # Below this unpacked size the ratio is not checked: small files may compress oddly and are
    # harmless.
    ratio_floor_bytes: int = 10 * MIB


DEFAULT_ZIP_LIMITS = ZipLimits()


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    name: str
    kind: Kind
    size: int
    data: bytes

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def _short(name: str) -> str:
    return name if len(name) <= 40 else name[:37] + "…"


def _megabytes(size: int) -> str:
    return f"{size / MIB:.1f}"


def _limit_text(limit: int) -> str:
    return f"{limit // MIB}MB" if limit >= MIB else f"{max(limit // 1024, 1)}KB"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_zip(data: bytes, name: str, limits: ZipLimits = DEFAULT_ZIP_LIMITS) -> list[str]:
    """The part names of a ZIP container, after refusing a damaged archive or a zip bomb."""
    shown = _short(name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise DamagedArchive(f"文件“{shown}”是损坏的压缩文件，无法读取。") from error
    if len(entries) > limits.max_entries:
        raise ArchiveBomb(
            f"文件“{shown}”内含{len(entries)}个部件，超过上限{limits.max_entries}个，"
            "疑似压缩炸弹，已拒绝。"
        )
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if unpacked > limits.max_unpacked_bytes:
        raise ArchiveBomb(
            f"文件“{shown}”解压后达{_megabytes(unpacked)}MB，超过上限"
            f"{_megabytes(limits.max_unpacked_bytes)}MB，疑似压缩炸弹，已拒绝。"
        )
    if unpacked > limits.ratio_floor_bytes and unpacked > limits.max_ratio * max(packed, 1):
        raise ArchiveBomb(
            f"文件“{shown}”的压缩比约为{unpacked // max(packed, 1)}倍，远超正常文档，"
            "疑似压缩炸弹，已拒绝。"
        )
    return [entry.filename for entry in entries]


def sniff(data: bytes, name: str = "文件", limits: ZipLimits = DEFAULT_ZIP_LIMITS) -> Kind | None:
    """The kind of the content, or None when it is no kind we know (an executable, a video …).

    A ZIP container is checked for a zip bomb here, before its part names are read.
    """
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        names = set(check_zip(data, name, limits))
        if "word/document.xml" in names:
            return Kind.DOCX
        if "xl/workbook.xml" in names:
            return Kind.XLSX
        if "OFD.xml" in names:
            return Kind.OFD
        return Kind.ZIP
    if b"%PDF-" in data[:1024]:
        return Kind.PDF
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return Kind.OLE
    if data.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Kind.TEXT  # UTF-16 with a byte-order mark
    head = data[:8192]
    if b"\x00" in head or any(b < 0x09 or 0x0D < b < 0x20 for b in head if b != 0x1B):
        return None
    return Kind.TEXT


def read_limited(upload: Any, max_bytes: int) -> tuple[int, bytes]:
    """(size, bytes) of an uploaded file (a Django UploadedFile, a binary file object, or bytes).

    A file over `max_bytes` is not read past `max_bytes + 1` bytes (nor at all when its size is
    known beforehand); the caller refuses it on the size.
    """
    if isinstance(upload, bytes | bytearray | memoryview):
        return len(upload), bytes(upload)
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > max_bytes:
        return size, b""
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = bytes(upload.read(max_bytes + 1))
    if hasattr(upload, "seek"):
        upload.seek(0)
    return len(data), data


def validate_upload(
    upload: Any,
    *,
    name: str | None = None,
    allowed: frozenset[Kind] | set[Kind],
    max_bytes: int,
    match_name: bool = False,
    label: str = "文件",
    zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS,
) -> CheckedUpload:
    """Check one upload and return its bytes and sniffed kind; raise UploadRejected otherwise.

    `upload` is a Django UploadedFile, a binary file object or bytes; `name` defaults to the
    upload's own. With `match_name`, the extension must be one of the sniffed kind's (a PDF named
    `.docx` is refused, so the stored name never lies about the content).
    """
    name = str(name if name is not None else getattr(upload, "name", "") or label)
    shown = _short(name)
    size, data = read_limited(upload, max_bytes)
    if size > max_bytes:
        raise UploadRejected(
            f"{label}“{shown}”大小为{_megabytes(size)}MB，超过上限{_limit_text(max_bytes)}，"
            "请压缩或拆分后再上传。"
        )
    if size == 0:
        raise UploadRejected(f"{label}“{shown}”是空文件。")
    kind = sniff(data, name, zip_limits)
    accepted = "、".join(KIND_LABELS[k] for k in Kind if k in allowed)
    if kind is None or kind not in allowed:
        raise UploadRejected(
            f"{label}“{shown}”的内容不是可接受的格式（只接受{accepted}），请检查后重新上传。"
        )
    if match_name and extension(name) not in KIND_EXTENSIONS[kind]:
        raise UploadRejected(
            f"{label}“{shown}”的内容是{KIND_LABELS[kind]}，与文件扩展名不符，请检查后重新上传。"
        )
    return CheckedUpload(name=name, kind=kind, size=size, data=data)
