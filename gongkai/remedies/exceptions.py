"""Errors of the remedies domain."""

from __future__ import annotations

from gongkai.core.exceptions import DomainError


class CaseAlreadyDecided(DomainError):
    default_message = "该案件已审结，不能再次登记结果。"
