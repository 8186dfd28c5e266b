"""Anchors: the audit chain's head, written outside the database.

The hash chain (chain.py) shows that no row was changed, removed or reordered *between* two rows,
and `AuditHead` records the tip — but both live in the database. Someone with write access to the
database can cut the newest rows and reset `AuditHead` to match, and the chain still verifies.
An anchor closes that gap: from time to time (`gongkai audit anchor`, the hourly huey task) the
head — last row's id, its hash, the row count, the time — is appended as one JSON line to
`settings.GONGKAI_AUDIT_ANCHOR_FILE`, a file outside the database that a deployment also ships to
another machine. `audit_verify()` then requires every anchored row to still be in the chain with
the same hash: a cut tail or a rewritten chain no longer verifies.

The file is append-only by convention: opened in append mode, one line per anchor, flushed and
fsync'ed. Restoring an older backup legitimately leaves the database behind later anchors, so
restore does not check them (docs/security.md says what to do with the file after a restore).
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from django.conf import settings
from django.db import transaction

from gongkai.audit.chain import GENESIS
from gongkai.audit.models import AuditEvent, AuditHead
from gongkai.core import clock

logger = logging.getLogger("gongkai.audit.anchor")

ANCHOR_KIND = "gongkai.audit.anchor"
ANCHOR_VERSION = 1
_HASH = re.compile(r"[0-9a-f]{64}")


class AnchorFileError(Exception):
    """The anchor file cannot be read or holds a line that is not an anchor (message in Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Anchor:
    """The chain's head at one moment. `last_id` is None (and `count` 0) for an empty chain."""

    at: str
    last_id: int | None
    last_hash: str
    count: int
    line: int = 0  # line number in the anchor file (0 for a new anchor)

    def to_json_line(self) -> str:
        content = {
            "kind": ANCHOR_KIND,
            "version": ANCHOR_VERSION,
            "at": self.at,
            "last_id": self.last_id,
            "last_hash": self.last_hash,
            "count": self.count,
        }
        return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def anchor_file() -> Path:
    return Path(settings.GONGKAI_AUDIT_ANCHOR_FILE)


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_anchor_line(text: str, *, line: int) -> Anchor:
    """One anchor from one line of the file; AnchorFileError (naming the line) if it is not one."""
    problem = f"锚点文件第 {line} 行格式不正确"
    try:
        content = json.loads(text)
    except ValueError:
        raise AnchorFileError(f"{problem}：不是有效的 JSON。") from None
    if not isinstance(content, dict) or content.get("kind") != ANCHOR_KIND:
        raise AnchorFileError(f"{problem}：不是审计锚点记录。")
    if content.get("version") != ANCHOR_VERSION:
        raise AnchorFileError(f"{problem}：不支持的版本 {content.get('version')!r}。")
    at, last_id = content.get("at"), content.get("last_id")
    last_hash, count = content.get("last_hash"), content.get("count")
    if not isinstance(at, str) or not at:
        raise AnchorFileError(f"{problem}：缺少时间。")
    if not _is_int(count) or count < 0:
        raise AnchorFileError(f"{problem}：记录条数无效。")
    if not isinstance(last_hash, str) or not _HASH.fullmatch(last_hash):
        raise AnchorFileError(f"{problem}：哈希值无效。")
    if count == 0:
        if last_id is not None or last_hash != GENESIS:
            raise AnchorFileError(f"{problem}：空链的锚点不应指向记录。")
    elif not _is_int(last_id) or last_id < 1:
        raise AnchorFileError(f"{problem}：记录编号无效。")
    return Anchor(at=at, last_id=last_id, last_hash=last_hash, count=count, line=line)


def anchors_read(path: Path | None = None) -> list[Anchor] | None:
    """Every anchor in the file, oldest first; None when there is no anchor file.

    Blank lines are skipped; anything else that is not an anchor raises AnchorFileError.
    """
    path = path or anchor_file()
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorFileError(f"无法读取锚点文件 {path}：{exc}") from None
    return [
        parse_anchor_line(raw, line=number)
        for number, raw in enumerate(text.splitlines(), start=1)
        if raw.strip()
    ]


def current_head() -> Anchor:
    """The chain's head now: last row, its hash and the row count, read under the head's lock."""
    with transaction.atomic():
        # audit_record locks AuditHead before it appends, so while we hold the lock no row can
        # commit between reading the last row and counting: the three values belong together.
        AuditHead.objects.select_for_update().filter(pk=1).first()
        last = AuditEvent.objects.order_by("-id").only("id", "hash").first()
        count = AuditEvent.objects.count()
    at = clock.now().isoformat(timespec="seconds")
    if last is None:
        return Anchor(at=at, last_id=None, last_hash=GENESIS, count=0)
    return Anchor(at=at, last_id=last.pk, last_hash=last.hash, count=count)


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: every write lands at the end, whatever else has the file open; one short write
    # per anchor, so two writers never interleave inside a line.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _previous_anchor_holds(path: Path) -> None:
    """Warn at once (log error) when the newest earlier anchor no longer matches the database.

    A cheap check (one query) so that the hourly task raises the alarm without walking the chain;
    `audit verify` does the full check.
    """
    try:
        anchors = anchors_read(path)
    except AnchorFileError as exc:
        logger.error("audit anchor file unreadable: %s", exc.message)
        return
    previous = anchors[-1] if anchors else None
    if previous is None or previous.last_id is None:
        return
    row = AuditEvent.objects.filter(pk=previous.last_id).only("hash").first()
    if row is None or row.hash != previous.last_hash:
        logger.error(
            "audit chain no longer matches the anchor of %s (row %s): run `gongkai audit verify`",
            previous.at,
            previous.last_id,
        )


def audit_anchor(*, path: Path | None = None) -> Anchor:
    """Append the chain's current head to the anchor file (and to the log); return it.

    The line is flushed and fsync'ed before this returns. An OSError (full disk, no permission)
    propagates: a missed anchor must be noticed, not swallowed.
    """
    path = path or anchor_file()
    _previous_anchor_holds(path)
    anchor = current_head()
    line = anchor.to_json_line()
    _append_line(path, line)
    # For deployments that ship the log (syslog, journald) to another machine as well.
    logger.info("audit anchor %s", line)
    return anchor


@dataclass(frozen=True)
class AnchorCheck:
    """The outcome of comparing the anchors with the chain as walked by audit_verify."""

    anchors: int
    broken_id: int | None = None
    reason: str = ""


class AnchorIndex:
    """The anchors by row id, checked against each row as the chain is walked in order."""

    def __init__(self, anchors: list[Anchor]) -> None:
        self.anchors = anchors
        self._by_id: dict[int, list[Anchor]] = {}
        for anchor in anchors:
            if anchor.last_id is not None:
                self._by_id.setdefault(anchor.last_id, []).append(anchor)
        self._seen: set[int] = set()

    def check_row(self, *, row_id: int, row_hash: str, position: int) -> AnchorCheck | None:
        """A failure if row `row_id` (the `position`-th row of the chain, from 1) contradicts an anchor."""
        for anchor in self._by_id.get(row_id, ()):
            if anchor.last_hash != row_hash:
                return AnchorCheck(
                    len(self.anchors),
                    row_id,
                    f"第 {row_id} 号记录的哈希与 {anchor.at} 的锚点（锚点文件第 {anchor.line} 行）"
                    "不符：锚定之后审计日志被改写",
                )
            if anchor.count != position:
                return AnchorCheck(
                    len(self.anchors),
                    row_id,
                    f"{anchor.at} 的锚点（锚点文件第 {anchor.line} 行）记录第 {row_id} 号记录为"
                    f"第 {anchor.count} 条，数据库中却是第 {position} 条：锚定之后有记录被删除或插入",
                )
            self._seen.add(row_id)
        return None

    def check_end(self, *, checked: int, last_id: int | None) -> AnchorCheck:
        """After the walk (`checked` rows, the last one `last_id`): every anchored row was seen."""
        missing = [a for a in self.anchors if a.last_id is not None and a.last_id not in self._seen]
        if not missing:
            return AnchorCheck(len(self.anchors))
        beyond = [a for a in missing if last_id is None or (a.last_id or 0) > last_id]
        if beyond:
            newest = max(beyond, key=lambda a: a.count)
            return AnchorCheck(
                len(self.anchors),
                None,
                f"审计日志在锚点之后被截断：{newest.at} 的锚点（锚点文件第 {newest.line} 行）"
                f"记录到第 {newest.count} 条（第 {newest.last_id} 号记录），"
                f"数据库只有第 {checked} 条",
            )
        gone = missing[0]
        return AnchorCheck(
            len(self.anchors),
            gone.last_id,
            f"{gone.at} 的锚点（锚点文件第 {gone.line} 行）记录的第 {gone.last_id} 号记录"
            "已不在数据库中：锚定之后有记录被删除",
        )
