"""Error bodies shared by every operation of the API, so that the OpenAPI document declares them."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator


class ErrorOut(Schema):
    """A refused request: a Chinese message, and per-field messages where the input was at fault."""

    detail: str
    errors: dict[str, str] = {}


class FieldErrorOut(Schema):
    location: str
    type: str
    message: str


class InvalidOut(Schema):
    """HTTP 422: the request does not match the operation's parameters or body."""

    detail: str
    errors: list[FieldErrorOut] = []


NOT_SIGNED_IN = "请先登录工作台。"
INVALID_REQUEST = "请求参数不符合接口说明，请检查后重试。"


def _no_nul(value: str) -> str:
    # A NUL character is never meaningful input; PostgreSQL cannot store it and SQLite would.
    if "\x00" in value:
        raise ValueError("含有无效字符（NUL）")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (JSON "\ud800") is no character at all: nothing could store it.
        raise ValueError("含有无效字符（不成对的代理项）") from None
    return value


# Every text the API accepts, in bodies and in query or path parameters.
Text = Annotated[str, AfterValidator(_no_nul)]
