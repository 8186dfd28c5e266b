"""Backup and restore of the whole installation: the database as portable JSON plus the uploaded files.

A backup is one ZIP file:

    manifest.json   format version, time, source database vendor, applied migrations, row counts
    data.json       every row (Django's serialisation, natural foreign keys, primary keys kept)
    media/...       uploaded files (attachments, generated documents)

The format is the same for SQLite and PostgreSQL, so a backup also moves an installation from the
embedded database to PostgreSQL. Restoring needs a database migrated to the same migrations; it empties
that database first, loads the rows, copies the files back and then verifies the audit hash chain.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from gongkai.audit.services import audit_verify
from gongkai.core import clock
from gongkai.core.exceptions import ValidationFailed

BACKUP_FORMAT = 1
# Rows that are derived (content types, permissions) or transient (sessions, login attempts).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
]


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    rows: int
    files: int


def _applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _row_counts() -> dict[str, int]:
    skip = {"contenttypes", "sessions", "admin", "axes"}
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in skip or model._meta.label_lower == "auth.permission":
            continue
        counts[model._meta.label_lower] = model._default_manager.count()
    return counts


def backup_create(destination: Path) -> BackupSummary:
    """Write a backup ZIP to `destination` (its parent folder must exist)."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        data_path = Path(tmp) / "data.json"
        # One read transaction: the rows are a consistent snapshot. On SQLite a transaction reads
        # one snapshot anyway; PostgreSQL's default (READ COMMITTED) gives each query its own, so
        # the dump asks for one snapshot for all its queries, before its first one.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            call_command(
                "dumpdata",
                "--natural-foreign",
                "--indent",
                "0",
                "--output",
                str(data_path),
                *[f"--exclude={label}" for label in EXCLUDED],
                verbosity=0,
            )
            counts = _row_counts()
        manifest = {
            "format": BACKUP_FORMAT,
            "created_at": clock.now().isoformat(),
            "vendor": connection.vendor,
            "migrations": _applied_migrations(),
            "rows": counts,
        }
        files = 0
        partial = destination.with_name(destination.name + ".partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            archive.write(data_path, "data.json")
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        archive.write(path, f"media/{path.relative_to(media_root).as_posix()}")
                        files += 1
        partial.replace(destination)  # never leave a half-written backup under the real name
    return BackupSummary(destination, sum(counts.values()), files)


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(source) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (OSError, KeyError, zipfile.BadZipFile, ValueError) as exc:
        raise ValidationFailed(f"不是有效的备份文件：{source}（{exc}）") from None
    if manifest.get("format") != BACKUP_FORMAT:
        raise ValidationFailed(f"备份文件格式版本 {manifest.get('format')} 不受支持。")
    return manifest


def backup_restore(source: Path) -> dict[str, int]:
    """Replace the database's rows and the media files with the backup's. Returns the row counts."""
    manifest = read_manifest(source)
    missing = sorted(set(manifest["migrations"]) - set(_applied_migrations()))
    if missing:
        raise ValidationFailed(
            "目标数据库的迁移落后于备份，请先运行 gongkai migrate。缺少：" + "、".join(missing[:5])
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(source) as archive:
        staging = Path(tmp) / "media"
        # Every path is checked, and the files unpacked, before the database is touched.
        targets: list[tuple[str, Path]] = []
        for member in archive.namelist():
            if member.startswith("/") or ".." in Path(member).parts:
                raise ValidationFailed(f"备份文件含有不安全的路径：{member}")
            if member.startswith("media/") and not member.endswith("/"):
                targets.append((member, _inside(staging, member.removeprefix("media/"), member)))
        for member, target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        data_path = Path(tmp) / "data.json"
        data_path.write_bytes(archive.read("data.json"))
        with transaction.atomic():
            call_command("flush", "--no-input", verbosity=0)
            call_command("loaddata", str(data_path), verbosity=0)
            # A backup whose audit chain does not hold (edited after it was taken) is refused
            # before anything is committed: the current data stays as it was. Not against the
            # anchor file: an older backup is legitimately behind later anchors (docs/security.md).
            verified = audit_verify(anchors=False)
            if not verified.ok:
                raise ValidationFailed(
                    f"备份中的审计链校验未通过（{verified.reason}），已放弃恢复，当前数据未改动。"
                )
        if media_root.exists():
            shutil.rmtree(media_root)
        if staging.exists():
            shutil.copytree(staging, media_root)
    return _row_counts()


def _inside(folder: Path, relative: str, member: str) -> Path:
    """`folder / relative`, refused unless it stays inside `folder` (`media//etc/x` would not)."""
    target = (folder / relative).resolve()
    if not relative or Path(relative).is_absolute() or not target.is_relative_to(folder.resolve()):
        raise ValidationFailed(f"备份文件含有不安全的路径：{member}")
    return target


def backup_bytes_ok(data: bytes) -> bool:
    """Whether `data` opens as a backup ZIP (used by tests and the restore drill)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "manifest.json" in archive.namelist()
    except zipfile.BadZipFile:
        return False
