"""Publishing's domain errors (Chinese messages, shown to users as they are)."""

from __future__ import annotations

from gongkai.core.exceptions import DomainError


class PublishingError(DomainError):
    default_message = "主动公开操作未能完成。"


class InvalidTransition(PublishingError):
    default_message = "当前状态下不能进行此操作。"


class OpenFindingsBlock(PublishingError):
    default_message = "仍有未处理的个人信息或密级标志扫描发现，请先遮盖或由审核人确认后再提交。"


class ReviewAlreadyOpen(PublishingError):
    default_message = "该信息已有进行中的审核。"


class StatsImportError(PublishingError):
    default_message = "统计数据导入失败。"
