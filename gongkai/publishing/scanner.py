"""Personal-information and classification-marking scanner for 主动公开 content.

The contract: `scan_text` takes text and returns `Finding`s; it is pure (no database, no clock,
no I/O) and never keeps or returns a raw value — a `Finding` carries only the kind, the offsets
into the scanned text, the masked form, a suggestion for the reviewer and a location.
`mask_text` applies the masked forms (the one-click mask).

Rules (spec/platform.md §4): 18-digit resident ID numbers with a valid check digit, a real birth
date and a region code starting 1–8, and 15-digit legacy ones; mobile numbers; landlines; bank
card numbers of 16–19 digits passing Luhn; e-mail addresses; house-number-level addresses;
classification markings. Numbers are matched on digit boundaries so that a run inside a longer
run of digits (order numbers, 索引号) is never reported.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from gongkai.core.identifiers import (
    credit_code_check_char,
    mask_id,
    mask_phone,
    resident_id_check_digit,
)


class FindingKind(StrEnum):
    ID_NUMBER = "id_number"
    MOBILE = "mobile"
    LANDLINE = "landline"
    BANK_CARD = "bank_card"
    EMAIL = "email"
    ADDRESS = "address"
    CLASSIFICATION = "classification"


KIND_LABELS: dict[FindingKind, str] = {
    FindingKind.ID_NUMBER: "身份证号码",
    FindingKind.MOBILE: "手机号码",
    FindingKind.LANDLINE: "固定电话",
    FindingKind.BANK_CARD: "银行卡号",
    FindingKind.EMAIL: "电子邮箱",
    FindingKind.ADDRESS: "详细住址",
    FindingKind.CLASSIFICATION: "密级标志",
}

SUGGESTIONS: dict[FindingKind, str] = {
    FindingKind.ID_NUMBER: "身份证号码属于个人信息，公开前请遮盖，仅保留前2位和后3位。",
    FindingKind.MOBILE: "手机号码属于个人信息，公开前请遮盖中间4位。",
    FindingKind.LANDLINE: (
        "固定电话：如为机关对外公布的办公电话可保留；如为个人电话，公开前请遮盖。"
    ),
    FindingKind.BANK_CARD: "银行卡号属于个人信息，公开前请删除或遮盖，仅保留前4位和后4位。",
    FindingKind.EMAIL: ("电子邮箱：如为机关对外公布的邮箱可保留；如为个人邮箱，公开前请遮盖。"),
    FindingKind.ADDRESS: "住址精确到门牌号，公开前请只保留到乡镇（街道）一级。",
    FindingKind.CLASSIFICATION: (
        "发现密级标志或内部资料标识：涉密信息不得公开，请撤下并按保密规定处理，不能以遮盖代替保密审查。"
    ),
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One suspected item. `start`/`end` index the scanned text; the raw value is not kept."""

    kind: FindingKind
    start: int
    end: int
    masked: str
    suggestion: str
    location: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


# Full-width digits, letters and punctuation are mapped one-for-one to ASCII so offsets stay valid.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_FULLWIDTH[0x2010] = ord("-")  # hyphen
_FULLWIDTH[0x2011] = ord("-")  # non-breaking hyphen
_FULLWIDTH[0x00A0] = 0x20  # no-break space


def normalise(text: str) -> str:
    """Map full-width forms to ASCII one character for one, so that offsets still hold."""
    return text.translate(_FULLWIDTH)


# --- check digits ---------------------------------------------------------------------------------


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a resident ID number."""
    return resident_id_check_digit(first17)


def _is_real_date(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]


def is_valid_id18(value: str) -> bool:
    """An 18-character resident ID: region 1–8, a real birth date (1900 on), a valid check digit."""
    if len(value) != 18 or not value[:17].isdigit() or value[0] not in "12345678":
        return False
    year, month, day = int(value[6:10]), int(value[10:12]), int(value[12:14])
    if not 1900 <= year <= 2099 or not _is_real_date(year, month, day):
        return False
    return id_check_char(value[:17]) == value[17].upper()


def is_valid_id15(value: str) -> bool:
    """A 15-digit legacy ID number (before 1999): region 1–8 and a real YYMMDD date in the 1900s."""
    if len(value) != 15 or not value.isdigit() or value[0] not in "12345678":
        return False
    return _is_real_date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))


def id18_shaped(value: str) -> bool:
    """Looks like an ID number (region and birth date plausible) whatever its check digit."""
    return (
        len(value) == 18
        and value[:17].isdigit()
        and value[0] in "12345678"
        and 1900 <= int(value[6:10]) <= 2099
        and _is_real_date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    )


def luhn_ok(digits: str) -> bool:
    """The Luhn (ISO/IEC 7812) check over a string of digits."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


_CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def is_credit_code(value: str) -> bool:
    """A 统一社会信用代码 (GB 32100) with a valid check character. Looser than
    `core.identifiers.valid_credit_code` on purpose: any position may hold any code character, so
    that a look-alike with a mistyped registration segment is still recognised as a code, not a card."""
    value = value.upper()
    if len(value) != 18 or any(char not in _CREDIT_CODE_CHARS for char in value):
        return False
    return credit_code_check_char(value[:17]) == value[17]


# --- masking --------------------------------------------------------------------------------------
# ID numbers and mobile numbers use the platform's one masking (`core.identifiers.mask_id`,
# `mask_phone`: `35*************123`, `138****1234`, platform.md §4); the forms below exist only here.


def mask_bank_card(digits: str) -> str:
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def mask_landline(area: str, local: str) -> str:
    return f"{area}-{'*' * (len(local) - 3)}{local[-3:]}"


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


_TOWN_LEVEL = re.compile(r"街道|镇|乡|苏木")
_COUNTY_LEVEL = re.compile(r"区|县|旗|市")


def mask_address(value: str) -> str:
    """Keep the address down to the 乡镇/街道 (or, failing that, the county) and hide the rest."""
    for level in (_TOWN_LEVEL, _COUNTY_LEVEL):
        cuts = [match.end() for match in level.finditer(value)]
        if cuts:
            return value[: cuts[-1]] + "****"
    return "****"


# --- patterns -------------------------------------------------------------------------------------

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_SEP = r"[ \-]"

# 18 digits (the last may be X), optionally grouped 6-8-4; never the head of an 索引号
# (…/2021-00050).
_ID18 = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(\d{6}(?P<s1> ?)\d{8}(?P=s1)\d{3}[\dXx])"
    + _NOT_ALNUM_AFTER
    + r"(?!/\d{4})"
)
_ID15 = re.compile(_NOT_ALNUM_BEFORE + r"(\d{15})" + _NOT_ALNUM_AFTER)
# Mobile: 1[3-9] + 9 digits, as 11 digits or grouped 3-4-4, with an optional +86 / 0086 / (86)
# prefix.
_MOBILE = re.compile(
    r"(?:(?:(?<![0-9A-Za-z+])(?:\+|00)86|\(\+?86\)|(?<![0-9A-Za-z])86)[ \-]?|(?<![0-9A-Za-z]))"
    + r"(1[3-9]\d)(?P<s> ?|-?)(\d{4})(?P=s)(\d{4})"
    + r"(?![0-9A-Za-z])(?!-\d)"
)
# Landline: area code 010 / 02x / 0[3-9]xx, a separator (hyphen, dash, space or brackets), 7–8 local
# digits.
_AREA = r"0(?:10|2\d|[3-9]\d{2})"
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z\-])"
    + r"(?:\((?P<area1>"
    + _AREA
    + r")\) ?|(?P<area2>"
    + _AREA
    + r") ?[\-—–] ?|(?P<area3>"
    + _AREA
    + r") |(?P<area4>"
    + _AREA
    + r"))"
    + r"(?P<local>[2-9]\d{6,7})"
    + r"(?![0-9A-Za-z])(?!-\d{5})"
)
_PHONE_CONTEXT = re.compile(r"电话|座机|热线|联系方式|Tel|TEL|tel|传真|Fax|FAX")
# Bank card: 16–19 digits bare, or grouped in fours with single spaces or hyphens (the last group
# 1–4 digits).
_CARD_BARE = re.compile(r"(?<![0-9A-Za-z])(\d{16,19})(?![0-9A-Za-z])")
_CARD_GROUPED = re.compile(
    r"(?<![0-9A-Za-z])(?<![^\d]\d{4}[ \-])(?<!^\d{4}[ \-])"
    + r"(\d{4}(?P<s>[ \-])\d{4}(?P=s)\d{4}(?P=s)\d{4}(?:(?P=s)\d{1,3}(?![,.]\d))?)"
    # A further group of 1–4 digits would make it a longer grouped number — unless it is the start
    # of an amount such as 71,983,634.69 in the next column.
    + r"(?![0-9A-Za-z])(?![ \-]\d{1,4}(?![\d,.]))"
)
# Issuer identification ranges of payment cards (ISO/IEC 7812): Mastercard 2-series (22–27),
# JCB and Diners (30, 35–39), Visa (4), Mastercard (51–55), Discover (60, 65), UnionPay (62, 81) and
# the older domestic cards (94, 95). Other numbers — ICCIDs (89), record numbers — are not cards.
_CARD_PREFIXES = frozenset(
    ("22", "23", "24", "25", "26", "27", "30", "35", "36", "37", "38", "39", "51", "52", "53",
     "54", "55", "60", "62", "65", "81", "94", "95", *(f"4{digit}" for digit in range(10)))
)  # fmt: skip
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?)*"
    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)

# Labels that say a following number is an identifier of a record, not of a person.
_RECORD_LABELS = (
    "订单号",
    "订单编号",
    "流水号",
    "交易号",
    "单号",
    "编号",
    "合同号",
    "批次号",
    "证书号",
    "证书编号",
    "登记号",
    "注册号",
    "备案号",
    "许可证号",
    "条码",
    "索引号",
    "信用代码",
    "项目代码",
    "发票号",
    "发票代码",
    "快递单号",
)
_PERSONAL_LABELS = ("身份证", "证件号", "公民身份号码", "卡号", "账号", "帐号", "银行", "开户")
_LABEL_WINDOW = 16

# Address: a house-number tail (N号, N号楼, N栋, N单元, N室…) after a place word (路, 街, 巷, 村,
# 小区…).
_NUM = r"(?:\d{1,5}|[一二三四五六七八九十百零〇两]{1,4})"
_PLACE_WORD = (
    r"(?:大道|大街|胡同|社区|小区|花园|家园|新村|公寓|大厦|苑|园|里|弄|巷|街|路|村|屯|庄|组)"
)
_HOUSE_TAIL = (
    r"(?:(?:"
    + _NUM
    + r"(?:-\d{1,4})?(?:号楼|号院|号|栋|幢|座))(?:之\d{1,3})?"
    + r"(?:\s?"
    + _NUM
    + r"(?:-\d{1,4})?(?:号楼|单元|栋|幢|座|层|楼|室|户|号))*)"
)
_ADDRESS_CORE = re.compile(_PLACE_WORD + _HOUSE_TAIL)
# A unit address with no place word: 3号楼2单元301室, 5栋1单元502.
_UNIT_ADDRESS = re.compile(
    r"(?<![0-9第])" + _NUM + r"(?:号楼|栋|幢)" + r"\s?" + _NUM + r"单元(?:\s?\d{1,5}(?:室|号|户)?)?"
)
_ADDRESS_STOPS = re.compile(
    r"[\s,，。;；:：、()（）\[\]【】《》<>\"“”'‘’!！?？|/]|家住|住在|住址|地址|现住|居住|位于|户籍|籍贯|在"
)
_ADDRESS_REACH = 30

# Classification markings (GB/T 9704: 密级和保密期限 such as "机密★1年"); prose such as 保守国家秘密
# is not a marking, so a bare level word counts only when it stands alone on its line, in brackets,
# or after 密级.
_LEVEL = r"(?:绝密|机密|秘密)"
_PERIOD = r"(?:\d{1,2}\s?年|\d{1,2}\s?个月|长期)"
_CLASSIFICATION = re.compile(
    r"(?P<star>" + _LEVEL + r"\s?[★☆]\s?" + _PERIOD + r"?)"
    r"|(?P<starperiod>(?<![★☆])[★☆]\s?" + _PERIOD + r")"
    r"|(?P<label>密级\s?[:：]?\s?" + _LEVEL + r")"
    r"|(?P<bracket>[【\[(（〔]\s?" + _LEVEL + r"\s?[】\])）〕])"
    r"|(?P<alone>^[ \t]*" + _LEVEL + r"[ \t]*$)"
    r"|(?P<lonestar>^[ \t]*[★☆][ \t]*$)"
    r"|(?P<internal>内部资料(?:[ ,，、]?注意保存)?|注意保存)",
    re.MULTILINE,
)


# --- scanning -------------------------------------------------------------------------------------

# When spans overlap the earlier kind wins: an e-mail whose local part is a phone number is one
# e-mail.
_PRIORITY = (
    FindingKind.EMAIL,
    FindingKind.ID_NUMBER,
    FindingKind.BANK_CARD,
    FindingKind.MOBILE,
    FindingKind.LANDLINE,
    FindingKind.ADDRESS,
    FindingKind.CLASSIFICATION,
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    kind: FindingKind
    start: int
    end: int
    masked: str


def _preceding(text: str, start: int, context: str = "") -> str:
    """The text before `start` on its line (after `context`), at most `_LABEL_WINDOW` characters."""
    line_start = text.rfind("\n", 0, start) + 1
    return (context + " " + text[line_start:start])[-_LABEL_WINDOW:]


def _labelled_as_record(text: str, start: int, context: str) -> bool:
    """True when the nearest label before the number names a record (订单号…), not a person."""
    window = _preceding(text, start, context)
    record_at = max((window.rfind(label) for label in _RECORD_LABELS), default=-1)
    personal_at = max((window.rfind(label) for label in _PERSONAL_LABELS), default=-1)
    return record_at > personal_at


# The first two characters of a 统一社会信用代码 (registering authority and type, GB 32100), except
# 62 which UnionPay cards share. For digits-only strings the check character alone proves
# nothing — one random string in 31 passes it — so the prefix must fit as well.
_CREDIT_CODE_PREFIXES = frozenset(
    ("11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39", "41", "49", "51",
     "52", "53", "59", "61", "69", "71", "72", "79", "81", "89", "91", "92", "93")
)  # fmt: skip


def _credit_code_like(digits: str) -> bool:
    return digits[:2] in _CREDIT_CODE_PREFIXES and is_credit_code(digits)


def _ids(text: str, context: str) -> Iterator[_Candidate]:
    for match in _ID18.finditer(text):
        value = match.group(1).replace(" ", "")
        if is_valid_id18(value):
            yield _Candidate(FindingKind.ID_NUMBER, match.start(1), match.end(1), mask_id(value))
    for match in _ID15.finditer(text):
        value = match.group(1)
        if is_valid_id15(value) and not _labelled_as_record(text, match.start(1), context):
            yield _Candidate(FindingKind.ID_NUMBER, match.start(1), match.end(1), mask_id(value))


def _bank_cards(text: str, context: str) -> Iterator[_Candidate]:
    matches = [*_CARD_BARE.finditer(text), *_CARD_GROUPED.finditer(text)]
    for match in matches:
        digits = re.sub(r"[ \-]", "", match.group(1))
        if digits[:2] not in _CARD_PREFIXES or not luhn_ok(digits):
            continue
        if _labelled_as_record(text, match.start(1), context):
            continue
        # An 18-digit number shaped like an ID (region, birth date) that fails the ID check is a
        # mistyped ID number or a look-alike far more often than an 18-digit card; report it only
        # under a card label.
        if len(digits) == 18 and (id18_shaped(digits) or _credit_code_like(digits)):
            window = _preceding(text, match.start(1), context)
            if not any(label in window for label in ("卡号", "账号", "帐号", "银行", "开户")):
                continue
        masked = mask_bank_card(digits)
        yield _Candidate(FindingKind.BANK_CARD, match.start(1), match.end(1), masked)


def _mobiles(text: str, context: str) -> Iterator[_Candidate]:
    for match in _MOBILE.finditer(text):
        digits = match.group(1) + match.group(3) + match.group(4)
        yield _Candidate(FindingKind.MOBILE, match.start(), match.end(), mask_phone(digits))


def _landlines(text: str, context: str) -> Iterator[_Candidate]:
    for match in _LANDLINE.finditer(text):
        area = match.group("area1") or match.group("area2") or match.group("area3")
        if area is None:
            # Digits with no separator (06318898088) only count after a phone label.
            area = match.group("area4")
            if not _PHONE_CONTEXT.search(_preceding(text, match.start(), context)):
                continue
        yield _Candidate(
            FindingKind.LANDLINE,
            match.start(),
            match.end(),
            mask_landline(area, match.group("local")),
        )


def _emails(text: str, context: str) -> Iterator[_Candidate]:
    for match in _EMAIL.finditer(text):
        yield _Candidate(FindingKind.EMAIL, match.start(), match.end(), mask_email(match.group()))


def _address_start(text: str, core_start: int) -> int:
    """Walk back from the place word over the administrative part (省/市/区/镇/村…)."""
    floor = max(0, core_start - _ADDRESS_REACH)
    start = floor
    for stop in _ADDRESS_STOPS.finditer(text, floor, core_start):
        start = stop.end()
    return min(start, core_start)


def _addresses(text: str, context: str) -> Iterator[_Candidate]:
    spans: list[tuple[int, int]] = []
    for match in _ADDRESS_CORE.finditer(text):
        spans.append((_address_start(text, match.start()), match.end()))
    for match in _UNIT_ADDRESS.finditer(text):
        spans.append((_address_start(text, match.start()), match.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in merged:
        yield _Candidate(FindingKind.ADDRESS, start, end, mask_address(text[start:end]))


def _classifications(text: str, context: str) -> Iterator[_Candidate]:
    for match in _CLASSIFICATION.finditer(text):
        start, end = match.span()
        # Trim the line-anchored alternatives down to the marking itself.
        while start < end and text[start] in " \t":
            start += 1
        while end > start and text[end - 1] in " \t":
            end -= 1
        # A marking is not personal data: its masked form is the marking, which the reviewer needs
        # to see.
        yield _Candidate(FindingKind.CLASSIFICATION, start, end, text[start:end])


_DETECTORS: dict[FindingKind, Callable[[str, str], Iterable[_Candidate]]] = {
    FindingKind.EMAIL: _emails,
    FindingKind.ID_NUMBER: _ids,
    FindingKind.BANK_CARD: _bank_cards,
    FindingKind.MOBILE: _mobiles,
    FindingKind.LANDLINE: _landlines,
    FindingKind.ADDRESS: _addresses,
    FindingKind.CLASSIFICATION: _classifications,
}


def _line_locator(text: str) -> Callable[[int], str]:
    line_starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]

    def locate(offset: int) -> str:
        return f"第{bisect.bisect_right(line_starts, offset)}行"

    return locate


def scan_text(
    text: str,
    *,
    location: str | None = None,
    number_lines: bool | None = None,
    context: str = "",
) -> list[Finding]:
    """Scan `text` for personal information and classification markings, in text order.

    Each finding's location is `location` when given; lines are numbered (`第3行`, or
    `第2页 第3行` after a given location) when `number_lines` is true — by default only when no
    location is given. `context` is text that labels `text` from outside, such as the header of
    the table column a cell sits in: a 银行卡号 or 流水号 header decides a number's reading as a
    label in front of it would.
    """
    normal = normalise(text)
    accepted: list[_Candidate] = []
    for kind in _PRIORITY:
        for candidate in _DETECTORS[kind](normal, normalise(context)):
            if all(
                candidate.end <= other.start or candidate.start >= other.end for other in accepted
            ):
                accepted.append(candidate)
    accepted.sort(key=lambda candidate: (candidate.start, candidate.end))
    if number_lines is None:
        number_lines = location is None
    locate = _line_locator(text)
    findings = []
    for candidate in accepted:
        masked = candidate.masked
        if candidate.kind == FindingKind.CLASSIFICATION:
            masked = text[candidate.start : candidate.end]
        if number_lines:
            where = locate(candidate.start)
            where = f"{location} {where}" if location else where
        else:
            where = location or ""
        findings.append(
            Finding(
                kind=candidate.kind,
                start=candidate.start,
                end=candidate.end,
                masked=masked,
                suggestion=SUGGESTIONS[candidate.kind],
                location=where,
            )
        )
    return findings


def mask_text(text: str, findings: Sequence[Finding] | None = None) -> str:
    """The one-click mask: replace every personal-data finding in `text` by its masked form.

    `findings` must come from scanning this same `text` (they are found again when omitted).
    Classification markings are left in place: a classified document is withdrawn, not masked.
    """
    if findings is None:
        findings = scan_text(text)
    result = text
    last_start = len(text) + 1
    for finding in sorted(findings, key=lambda item: item.start, reverse=True):
        if finding.kind == FindingKind.CLASSIFICATION:
            continue
        if not 0 <= finding.start < finding.end <= len(text) or finding.end > last_start:
            raise ValueError("findings do not belong to this text")
        result = result[: finding.start] + finding.masked + result[finding.end :]
        last_start = finding.start
    return result
