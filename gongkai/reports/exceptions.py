"""Errors of the annual-report workflow; each message is Simplified Chinese, for the user."""

from __future__ import annotations

from gongkai.core.exceptions import DomainError, PermissionDeniedError, ValidationFailed


class InvalidReportTransition(DomainError):
    default_message = "年度报告当前的状态不允许执行此操作。"


class ReportNotEditable(DomainError):
    default_message = "年度报告已报送或已发布，不能修改；如需更正，请先发起更正。"


class ReportInputInvalid(ValidationFailed):
    """`field` names the input at fault (a cell address such as `table3.granted.total`)."""

    default_message = "年度报告的内容填写有误。"

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ReportSubmitRefused(DomainError):
    default_message = "年度报告未通过检查，不能报送。"


class ReportPermissionDenied(PermissionDeniedError):
    default_message = "您没有权限处理该机关的年度报告。"


class ReportImportFailed(ValidationFailed):
    default_message = "无法读取上传的表格。"


class ReportGenerationFailed(DomainError):
    default_message = "无法从业务记录生成年度报告的表格。"
