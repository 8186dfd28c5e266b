"""Errors of the applications domain (Chinese messages, shown to users as they are)."""

from __future__ import annotations

from gongkai.core.exceptions import DomainError, ValidationFailed


class InvalidTransition(DomainError):
    default_message = "当前办理状态下不能进行此项操作。"


class CorrectionAlreadyRequested(DomainError):
    default_message = "已告知过补正：补正只能一次性告知（条例第三十条）。"


class ExtensionAlreadyGranted(DomainError):
    default_message = "答复期限已延长过一次，不能再次延长（条例第三十三条第一款）。"


class ApplicationInvalid(ValidationFailed):
    """The applicant's data fails validation; `errors` maps field names to Chinese messages."""

    default_message = "申请内容有误，请按提示修改。"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(errors.values()) or None)
        self.errors = errors
