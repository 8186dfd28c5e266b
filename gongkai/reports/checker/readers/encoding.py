"""Decoding bytes whose encoding nobody declared, or declared wrongly.

Older government sites serve GBK/GB2312/GB18030 pages, with or without a `<meta charset>`. UTF-8
is tried first because it is self-validating: GBK text is almost never valid UTF-8. A declared
encoding is tried next, then GB18030 (a superset of GBK and GB2312).
"""

from __future__ import annotations

import codecs
import re

from gongkai.reports.checker.document import UnreadableError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# GBK and GB2312 pages often use characters only GB18030 names; decode them all as GB18030.
# Control characters and the private use area: what binary data decodes into.
_BAD = re.compile("[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff\ufffd]")
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


def declared_encoding(data: bytes) -> str | None:
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if match is None:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes) -> str:
    """The text of `data`; raises UnreadableError for bytes that are not text in any encoding."""
    return decode_noting_utf8(data)[0]


def decode_noting_utf8(data: bytes) -> tuple[str, bool]:
    """`decode`, and whether the text is `data` read as UTF-8 as it stands (no BOM, nothing
    replaced): then `data` is already the text's UTF-8 encoding, and a reader that wants UTF-8
    bytes need not encode the text again."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), False
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_text(text):
            return text, True
    # Not UTF-8: only now is the declared charset worth looking for.
    declared = declared_encoding(data)
    for encoding in ("gb18030",) if declared is None else (declared, "gb18030"):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_like_text(text):
            return text, False
    raise UnreadableError("文件不是可识别编码（UTF-8、GBK/GB18030）的文字，无法读取")


def _looks_like_text(text: str) -> bool:
    """Reject binary data that happens to decode: many control or unassigned characters."""
    if not text:
        return True
    sample = text[:20_000]
    return len(_BAD.findall(sample)) <= len(sample) * 0.02
