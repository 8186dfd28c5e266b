"""Writing files to Django's storage without leaving half a file behind.

A full disk (ENOSPC), a read-only or failing mount, or a storage backend that cannot write raises
an `OSError` in the middle of a write. `save_field_file` and `save_file` turn that into
`StorageUnavailable` (a DomainError with a Chinese message), after deleting whatever part of the
file had been written. The caller's `transaction.atomic()` then rolls back, so no row points at a
file that is missing or truncated.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile

from gongkai.core.exceptions import DomainError

logger = logging.getLogger(__name__)


class StorageUnavailable(DomainError):
    default_message = (
        "服务器存储空间不足或暂时无法写入，文件未能保存，本次提交未被保存。"
        "请稍后再试；如急需办理，可通过信函、当面等方式提交。"
    )


def _remove_partial(storage: Storage, name: str) -> None:
    with contextlib.suppress(Exception):
        if storage.exists(name):
            storage.delete(name)


def save_file(storage: Storage, name: str, content: Any, *, max_length: int | None = None) -> str:
    """`storage.save(name, content)`; on a storage failure the partial file is removed and
    `StorageUnavailable` is raised. Returns the name the file was stored under."""
    target = storage.get_available_name(name, max_length=max_length)
    try:
        return storage.save(target, content, max_length=max_length)
    except OSError as exc:
        # `target` was free a moment ago, so what is there now is this call's partial file.
        _remove_partial(storage, target)
        logger.error("storage write failed: %s (errno %s)", type(exc).__name__, exc.errno)
        raise StorageUnavailable() from exc


def save_field_file(field_file: FieldFile, name: str, content: Any) -> None:
    """`field_file.save(name, content, save=False)` with `save_file`'s guarantees."""
    field = field_file.field
    target = field.generate_filename(field_file.instance, name)
    stored = save_file(field_file.storage, target, content, max_length=field.max_length)
    # Assigning the stored name through the descriptor yields a committed FieldFile.
    setattr(field_file.instance, field.attname, stored)
