"""The hash chain: canonical content and the hash of one row. Pure."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def normalise(data: Any) -> Any:
    """JSON-safe copy of `data`, as it will read back from the database (Decimal, dates → str)."""
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def canonical(
    *,
    at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    verb: str,
    target_type: str,
    target_id: str,
    agency_id: int | None,
    data: Any,
) -> str:
    content = {
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "verb": verb,
        "target_type": target_type,
        "target_id": target_id,
        "agency_id": agency_id,
        "data": data,
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


FIELDS = ("at", "actor_id", "actor_label", "verb", "target_type", "target_id", "agency_id", "data")


def event_content(event: Any, **overrides: Any) -> str:
    """The canonical content of a stored row (any object with the FIELDS); `overrides` replace
    fields, as a forger rewriting a row would."""
    fields = {name: getattr(event, name) for name in FIELDS}
    fields.update(overrides)
    return canonical(**fields)


def row_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()
