"""Validation of Chinese identifiers: resident ID numbers (GB 11643) and 统一社会信用代码 (GB 32100)."""

from __future__ import annotations

import datetime as dt
import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V); the last is a check character.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def resident_id_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def valid_resident_id(value: str) -> bool:
    """An 18-digit resident ID: region digit 1–8, a real birth date, a correct check digit."""
    value = value.strip().upper()
    if not re.fullmatch(r"[1-8]\d{16}[\dX]", value):
        return False
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born.year < 1880:
        return False
    return resident_id_check_digit(value[:17]) == value[17]


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def valid_credit_code(value: str) -> bool:
    """A 统一社会信用代码 with a correct check character."""
    value = value.strip().upper()
    if not _USCC_RE.fullmatch(value):
        return False
    return credit_code_check_char(value[:17]) == value[17]


def credit_code_error(value: str) -> str | None:
    """A Chinese message for a bad code, or None when it is valid."""
    value = value.strip().upper()
    if len(value) != 18:
        return f"统一社会信用代码应为18位，您输入了{len(value)}位。"
    if not _USCC_RE.fullmatch(value):
        return "统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）。"
    if credit_code_check_char(value[:17]) != value[17]:
        return "统一社会信用代码校验位不正确，请核对。"
    return None


# --- Masking (platform.md: 身份证 `35*************123`, phone `138****1234`) --------------------------


def mask_id(value: str) -> str:
    """An identity document number with only its first 2 and last 3 characters shown.

    The one masking of ID numbers on the platform (lists, supervisors' views); values too short to
    keep both ends are hidden whole.
    """
    value = value or ""
    if len(value) <= 5:
        return "*" * len(value)
    return f"{value[:2]}{'*' * (len(value) - 5)}{value[-3:]}"


def mask_phone(phone: str) -> str:
    """A phone number with only its first 3 and last 4 characters shown (`138****1234`)."""
    value = phone or ""
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
