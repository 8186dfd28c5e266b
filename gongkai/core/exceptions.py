"""Domain errors: raised by services, shown to users as their (Chinese) message."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused an operation. `message` is Simplified Chinese, for users."""

    default_message = "操作未能完成。"

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        self.message = message or self.default_message
        self.code = code or type(self).__name__
        super().__init__(self.message)


class PermissionDeniedError(DomainError):
    default_message = "您没有权限执行此操作。"


class NotFoundError(DomainError):
    default_message = "记录不存在或您无权查看。"


class ValidationFailed(DomainError):
    default_message = "输入的数据不正确。"
