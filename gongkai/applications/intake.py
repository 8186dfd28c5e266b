"""What an application must contain (条例第二十九条) and how its fields are checked. Pure.

Both the public form and the staff entry form call `intake_errors`; the services call it again, so
no path can store an application that fails it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, fields

from gongkai.core.identifiers import credit_code_error, valid_resident_id
from gongkai.core.identifiers import mask_id as mask_id  # the platform's one masking (platform.md)
from gongkai.core.identifiers import mask_phone as mask_phone

ORGANISATION_TYPES = frozenset(
    {"business", "research", "public_interest", "legal_services", "other_org"}
)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_POSTCODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class Intake:
    """The applicant's part of an application, as entered."""

    applicant_type: str
    applicant_name: str
    id_type: str
    id_number: str
    phone: str
    description: str
    form_wanted: str
    delivery: str
    contact_person: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    purpose: str = ""

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def normalised(self) -> Intake:
        values = {name: str(getattr(self, name) or "").strip() for name in self.field_names()}
        values["id_number"] = values["id_number"].replace(" ", "").upper()
        values["phone"] = normalise_phone(values["phone"])
        return Intake(**values)


def normalise_phone(phone: str) -> str:
    return re.sub(r"[\s()（）]", "", phone or "").replace("—", "-").replace("－", "-")


def intake_errors(intake: Intake) -> dict[str, str]:
    """Field name → Chinese message, for everything 条例第二十九条 requires and we can check."""
    data = intake.normalised()
    errors: dict[str, str] = {}
    organisation = data.applicant_type in ORGANISATION_TYPES
    if data.applicant_type not in ORGANISATION_TYPES | {"natural_person"}:
        errors["applicant_type"] = "请选择申请人类型。"
    if not data.applicant_name:
        errors["applicant_name"] = (
            "请填写法人或其他组织的名称。" if organisation else "请填写申请人姓名。"
        )
    if organisation and not data.contact_person:
        errors["contact_person"] = "法人或其他组织申请的，请填写联系人。"
    # 条例第二十九条: proof of identity.
    if data.id_type == "resident_id":
        if organisation:
            errors["id_type"] = "法人或其他组织请填写统一社会信用代码。"
        elif not valid_resident_id(data.id_number):
            errors["id_number"] = "居民身份证号码不正确，请核对（18位，最后一位校验码可能为X）。"
    elif data.id_type == "credit_code":
        if not organisation:
            errors["id_type"] = "自然人请选择居民身份证或其他有效身份证件。"
        else:
            message = credit_code_error(data.id_number)
            if message:
                errors["id_number"] = message
    elif data.id_type == "other":
        if organisation:
            errors["id_type"] = "法人或其他组织请填写统一社会信用代码。"
        elif not 5 <= len(data.id_number) <= 40:
            errors["id_number"] = "请填写证件号码。"
    else:
        errors["id_type"] = "请选择证件类型。"
    if not (_MOBILE.match(data.phone) or _LANDLINE.match(data.phone)):
        errors["phone"] = "联系电话不正确：请填写11位手机号码或带区号的固定电话。"
    if len(data.description) < 5:
        errors["description"] = (
            "请描述所需政府信息的名称、文号或者便于查询的其他特征（至少5个字）。"
        )
    if data.form_wanted not in {"paper", "electronic", "other"}:
        errors["form_wanted"] = "请选择信息的载体形式。"
    if data.delivery not in {"post", "email", "pickup", "online"}:
        errors["delivery"] = "请选择获取信息的方式。"
    if data.delivery == "post" and not data.address:
        errors["address"] = "选择邮寄的，请填写通信地址。"
    if data.delivery == "email" and not data.email:
        errors["email"] = "选择电子邮件的，请填写电子邮箱。"
    if data.postcode and not _POSTCODE.match(data.postcode):
        errors["postcode"] = "邮政编码应为6位数字。"
    for name, (label, limit) in _length_limits().items():
        if name not in errors and len(getattr(data, name)) > limit:
            errors[name] = f"{label}过长：最多{limit}个字，现有{len(getattr(data, name))}个字。"
    return errors


# The free texts have no column limit; these keep one application readable and printable.
TEXT_LIMITS = {"description": 5000, "purpose": 2000}


@functools.cache
def _length_limits() -> dict[str, tuple[str, int]]:
    """Field → (label, longest text): the columns' own limits (one place: the model), so that the
    API, which has no form, refuses what the database would (PostgreSQL raises, SQLite would not)."""
    from gongkai.applications.models import Application

    limits: dict[str, tuple[str, int]] = {}
    for name in Intake.field_names():
        field = Application._meta.get_field(name)
        limit = getattr(field, "max_length", None) or TEXT_LIMITS.get(name)
        if limit:
            limits[name] = (str(getattr(field, "verbose_name", name)), int(limit))
    return limits


# Attachments: what the office can open and archive, and small enough to mail.
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES: dict[str, tuple[bytes, str]] = {
    ".pdf": (b"%PDF", "application/pdf"),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    ".png": (b"\x89PNG", "image/png"),
    ".docx": (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".ofd": (b"PK\x03\x04", "application/ofd"),
}


def attachment_error(name: str, size: int, head: bytes) -> str | None:
    """A Chinese message when the file is not accepted (by its suffix and its first bytes)."""
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    accepted = ATTACHMENT_TYPES.get(suffix)
    if accepted is None:
        return "附件只接受 PDF、JPG、PNG、DOCX、OFD 格式。"
    if size <= 0:
        return "附件是空文件。"
    if size > MAX_ATTACHMENT_BYTES:
        return "单个附件不能超过10MB。"
    if not head.startswith(accepted[0]):
        return f"附件“{name[:40]}”的内容与其格式不符，请检查后重新上传。"
    return None


def attachment_content_type(name: str) -> str:
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    return ATTACHMENT_TYPES.get(suffix, (b"", "application/octet-stream"))[1]
