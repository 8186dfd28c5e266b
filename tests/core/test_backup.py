import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.agencies.models import Agency, Membership
from gongkai.audit.models import AuditEvent
from gongkai.audit.services import audit_verify
from gongkai.core.backup import backup_create, backup_restore, read_manifest
from gongkai.core.exceptions import ValidationFailed

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_and_restore_round_trip(tmp_path, settings):
    from gongkai.demo.district import ensure_district

    ensure_district()
    media = tmp_path / "media"
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "名单.txt").write_text("公示名单", encoding="utf-8")
    settings.MEDIA_ROOT = media
    before = (Agency.objects.count(), Membership.objects.count(), AuditEvent.objects.count())

    summary = backup_create(tmp_path / "b.zip")
    assert summary.files == 1 and summary.rows > 100
    assert read_manifest(tmp_path / "b.zip")["rows"]["agencies.agency"] == 5

    Agency.objects.filter(slug="zeku").update(short_name="改动")
    (media / "attachments" / "名单.txt").unlink()
    counts = backup_restore(tmp_path / "b.zip")

    assert (
        Agency.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    assert counts["agencies.agency"] == 5
    assert Agency.objects.get(slug="zeku").short_name == "泽库镇"
    assert (media / "attachments" / "名单.txt").read_text(encoding="utf-8") == "公示名单"
    assert audit_verify().ok


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ValidationFailed, match="不是有效的备份文件"):
        backup_restore(bad)


@pytest.mark.parametrize(
    "member", ["media/../../etc/passwd", "media//tmp/gk_restore_escape.txt", "/etc/passwd"]
)
def test_restore_refuses_unsafe_paths(tmp_path, member):
    from gongkai.demo.district import ensure_district

    ensure_district()
    before = Agency.objects.count()
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", '{"format": 1, "migrations": [], "rows": {}}')
        archive.writestr("data.json", "[]")
        archive.writestr(member, "x")
    with pytest.raises(ValidationFailed, match="不安全的路径"):
        backup_restore(path)
    assert not Path("/tmp/gk_restore_escape.txt").exists()  # noqa: S108 - the escape target
    assert Agency.objects.count() == before  # the database was not touched


def test_a_backup_edited_after_it_was_taken_is_refused_and_nothing_changes(tmp_path, settings):
    import json

    from gongkai.demo.district import ensure_district

    ensure_district()
    settings.MEDIA_ROOT = tmp_path / "media"
    backup_create(tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as original:
        members = {name: original.read(name) for name in original.namelist()}
    rows = json.loads(members["data.json"])
    audit_row = next(row for row in rows if row["model"] == "audit.auditevent")
    audit_row["fields"]["verb"] = "tampered"
    members["data.json"] = json.dumps(rows).encode()
    with zipfile.ZipFile(tmp_path / "edited.zip", "w") as edited:
        for name, data in members.items():
            edited.writestr(name, data)
    Agency.objects.filter(slug="zeku").update(short_name="恢复前的数据")
    with pytest.raises(ValidationFailed, match="审计链校验未通过"):
        backup_restore(tmp_path / "edited.zip")
    assert Agency.objects.get(slug="zeku").short_name == "恢复前的数据"
    assert audit_verify().ok


def test_commands_report_in_chinese(tmp_path):
    out = io.StringIO()
    call_command("backup", "-o", str(tmp_path / "c.zip"), stdout=out)
    assert "已备份" in out.getvalue()
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("restore", str(tmp_path / "c.zip"), stderr=err)
    assert exit_info.value.code == 2 and "--yes" in err.getvalue()
    out = io.StringIO()
    call_command("restore", str(tmp_path / "c.zip"), "--yes", stdout=out)
    assert "已恢复" in out.getvalue() and "审计链完整" in out.getvalue()


def test_the_dump_reads_one_snapshot_on_postgresql(tmp_path, settings):
    """PostgreSQL's default isolation gives each query its own snapshot: the dump asks for one
    snapshot for all its queries, so rows written meanwhile cannot leave it inconsistent."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MEDIA_ROOT = tmp_path / "media"
    with CaptureQueriesContext(connection) as queries:
        backup_create(tmp_path / "b.zip")
    requested = [q["sql"] for q in queries.captured_queries if "ISOLATION LEVEL" in q["sql"]]
    if connection.vendor == "postgresql":
        assert requested == ["SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"]
    else:
        assert requested == []  # SQLite: a transaction reads one snapshot anyway
