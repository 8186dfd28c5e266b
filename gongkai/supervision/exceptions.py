"""Refusals of the supervision app (messages in Chinese, shown to users)."""

from __future__ import annotations

from gongkai.core.exceptions import DomainError


class SupervisionError(DomainError):
    default_message = "监督考核操作未能完成。"
