import io
import itertools

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from gongkai.audit.models import AppendOnlyError, AuditEvent
from gongkai.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


def record(n):
    with transaction.atomic():
        for i in range(n):
            audit_record(actor=None, verb="test.event", data={"i": i, "text": "宋村镇"})


def verify_command():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_rows_are_chained_and_verify():
    record(5)
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert audit_verify().ok
    code, out, _ = verify_command()
    assert code == 0 and "共校验 5 条记录" in out


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError):
        audit_record(actor=None, verb="x")


def test_the_orm_refuses_update_and_delete():
    record(1)
    event = AuditEvent.objects.get()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(verb="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_an_update_even_in_raw_sql():
    record(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET verb = 'forged'")


def _drop_trigger():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A database superuser can switch triggers off for the rest of the transaction.
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")


def test_verify_names_the_first_tampered_row():
    record(6)
    target = AuditEvent.objects.order_by("id")[3]
    _drop_trigger()  # an attacker with database access
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"i": 99}', target.pk]
        )
    result = audit_verify()
    assert not result.ok and result.broken_id == target.pk and result.checked == 3
    code, _, err = verify_command()
    assert code == 1 and f"第 {target.pk} 号记录" in err and "篡改" in err


def test_verify_catches_a_removed_row():
    record(4)
    second = AuditEvent.objects.order_by("id")[1]
    third = AuditEvent.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    result = audit_verify()
    assert result.broken_id == third.pk and "不连续" in result.reason


def test_verify_catches_a_removed_last_row():
    record(3)
    last = AuditEvent.objects.order_by("id").last()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    result = audit_verify()
    assert not result.ok and "链尾" in result.reason
