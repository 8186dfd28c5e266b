import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from gongkai.audit.anchor import audit_anchor
from gongkai.audit.chain import event_content, row_hash
from gongkai.audit.models import AuditEvent
from gongkai.audit.services import audit_record, audit_verify
from gongkai.audit.tasks import anchor_audit_chain

pytestmark = pytest.mark.django_db


def record(n):
    with transaction.atomic():
        for i in range(n):
            audit_record(actor=None, verb="test.event", data={"i": i, "text": "宋村镇"})


def audit_command(action):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", action, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def anchor_lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _allow_updates(cursor):
    # An attacker with database access switches the append-only trigger off.
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL session_replication_role = replica")
    else:
        cursor.execute("DROP TRIGGER audit_auditevent_no_update")


def cut_tail(keep):
    """Delete every row after the first `keep` and reset the head to match, in raw SQL."""
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    last_kept = AuditEvent.objects.get(pk=ids[keep - 1])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id > %s", [last_kept.pk])
        cursor.execute("UPDATE audit_audithead SET last_hash = %s", [last_kept.hash])


def rewrite_chain(changed_id):
    """Change one row's content and recompute every hash from it on, as a forger would."""
    events = list(AuditEvent.objects.order_by("id"))
    prev = "0" * 64
    with connection.cursor() as cursor:
        _allow_updates(cursor)
        for event in events:
            data = {"i": 99, "text": "伪造"} if event.pk == changed_id else event.data
            digest = row_hash(prev, event_content(event, data=data))
            cursor.execute(
                "UPDATE audit_auditevent SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [json.dumps(data, ensure_ascii=False), prev, digest, event.pk],
            )
            prev = digest
        cursor.execute("UPDATE audit_audithead SET last_hash = %s", [prev])


def test_anchor_appends_the_head_as_one_json_line(anchor_path):
    record(3)
    last = AuditEvent.objects.order_by("-id")[0]

    code, out, err = audit_command("anchor")

    assert code == 0 and "共 3 条记录" in err
    [line] = anchor_lines(anchor_path)
    assert line["last_id"] == last.pk and line["last_hash"] == last.hash and line["count"] == 3
    assert line["at"] and json.loads(out) == line  # printed too, for shipping elsewhere
    record(2)
    anchor_audit_chain.call_local()  # the hourly task appends, it never rewrites
    first, second = anchor_lines(anchor_path)
    assert first == line and second["count"] == 5


def test_an_empty_chain_can_be_anchored_and_verifies(anchor_path):
    anchor = audit_anchor()
    assert anchor.count == 0 and anchor.last_id is None
    assert audit_verify().ok and audit_verify().anchors == 1


def test_verify_passes_with_anchors_and_rows_written_after_them(anchor_path):
    record(3)
    audit_anchor()
    record(2)
    audit_anchor()
    record(1)

    result = audit_verify()

    assert result.ok and result.checked == 6 and result.anchors == 2
    code, out, _ = audit_command("verify")
    assert code == 0 and "共校验 6 条记录" in out and "已核对 2 个锚点" in out


def test_verify_detects_a_tail_cut_after_an_anchor(anchor_path):
    record(5)
    audit_anchor()
    cut_tail(keep=3)
    # The database alone no longer shows the cut: the chain and its head agree.
    assert audit_verify(anchors=False).ok

    result = audit_verify()

    assert not result.ok and result.anchor_failure and result.checked == 3
    assert "审计日志在锚点之后被截断" in result.reason
    assert "记录到第 5 条" in result.reason and "数据库只有第 3 条" in result.reason
    code, _, err = audit_command("verify")
    assert code == 1 and "数据库只有第 3 条" in err and "Traceback" not in err


def test_verify_detects_a_cut_below_an_older_anchor_too(anchor_path):
    record(2)
    audit_anchor()
    record(3)
    audit_anchor()
    cut_tail(keep=1)

    result = audit_verify()

    assert not result.ok and "记录到第 5 条" in result.reason  # names the newest anchor


def test_verify_detects_a_rewritten_chain(anchor_path):
    record(4)
    audit_anchor()
    second = AuditEvent.objects.order_by("id")[1]
    last = AuditEvent.objects.order_by("-id")[0]
    rewrite_chain(second.pk)
    assert audit_verify(anchors=False).ok  # links and head all recomputed

    result = audit_verify()

    assert not result.ok and result.anchor_failure and result.broken_id == last.pk
    assert "哈希与" in result.reason and "锚点" in result.reason
    code, _, err = audit_command("verify")
    assert code == 1 and f"第 {last.pk} 号记录的哈希" in err


def test_a_broken_link_is_still_reported_as_such_with_anchors(anchor_path):
    record(4)
    audit_anchor()
    third = AuditEvent.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [third.pk])

    result = audit_verify()

    assert not result.ok and not result.anchor_failure and "不连续" in result.reason


def test_without_an_anchor_file_verify_says_so(anchor_path):
    record(2)
    assert not anchor_path.exists()

    result = audit_verify()

    assert result.ok and result.anchors is None
    code, out, _ = audit_command("verify")
    assert code == 0 and "没有锚点文件" in out


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "不是有效的 JSON"),
        ('{"hello": 1}', "不是审计锚点记录"),
        (
            '{"kind":"gongkai.audit.anchor","version":1,"at":"x","last_id":1,'
            '"last_hash":"abc","count":1}',
            "哈希值无效",
        ),
    ],
)
def test_a_malformed_anchor_line_fails_clearly(anchor_path, line, message):
    record(2)
    audit_anchor()
    with anchor_path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")

    result = audit_verify()

    assert not result.ok and result.anchor_failure
    assert "锚点文件第 2 行" in result.reason and message in result.reason
    code, _, err = audit_command("verify")
    assert code == 1 and "锚点文件第 2 行" in err and "Traceback" not in err


def test_an_unwritable_anchor_file_is_a_clear_error(anchor_path):
    anchor_path.mkdir(parents=True)  # a directory where the file should be
    code, out, err = audit_command("anchor")
    assert code == 1 and "无法写入锚点文件" in err and out == ""


@pytest.mark.django_db(transaction=True)
def test_restoring_an_older_backup_ignores_later_anchors(anchor_path, tmp_path):
    from gongkai.core.backup import backup_create, backup_restore

    record(3)
    backup_create(tmp_path / "b.zip")
    record(2)
    audit_anchor()

    backup_restore(tmp_path / "b.zip")  # refused if restore checked the anchors

    assert AuditEvent.objects.count() == 3 and audit_verify(anchors=False).ok
    result = audit_verify()  # until the old anchor file is moved aside (docs/security.md)
    assert not result.ok and "数据库只有第 3 条" in result.reason
