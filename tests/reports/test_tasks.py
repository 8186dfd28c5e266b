"""The background rendering of report files: queued once per content and format, retried on failure."""

from __future__ import annotations

import datetime as dt
import errno
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from huey.contrib import djhuey
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from gongkai.core import clock
from gongkai.reports import tasks
from gongkai.reports.models import RenderedFile, RenderState
from gongkai.reports.selectors import record_value, version_value
from gongkai.reports.services import report_save_draft
from tests.reports.test_services import finished, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Huey as in production: jobs wait in a queue (in memory here) for a worker."""
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", MemoryStorage("gongkai-test"))
    # A worker closes stale connections around each job; here the job shares the test's
    # connection, which is inside the test transaction (PostgreSQL would see it closed).
    monkeypatch.setattr(djhuey, "close_old_connections", lambda: None)
    yield HUEY


@pytest.fixture
def immediate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setattr(HUEY, "_immediate", True)
    monkeypatch.setattr(HUEY, "storage", MemoryStorage("gongkai-test-immediate"))
    yield HUEY


def run_queued(huey: Any) -> int:
    done = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        done += 1
    return done


def request_latest(record: Any, file_format: str = "pdf") -> RenderedFile:
    version = record.versions.get(number=1)
    return tasks.rendered_file_request(
        record=record, version=version, value=version_value(version), file_format=file_format
    )


def test_a_file_is_queued_once_and_rendered_by_the_worker(
    queue, district, user_named, django_capture_on_commit_callbacks
):
    record = published(user_named, district)
    with django_capture_on_commit_callbacks(execute=True):
        rendered = request_latest(record)
    assert rendered.state == RenderState.PENDING and not tasks.is_ready(rendered)
    assert queue.pending_count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        again = request_latest(record)
    assert again.pk == rendered.pk and queue.pending_count() == 1  # not queued twice
    assert run_queued(queue) == 1
    rendered.refresh_from_db()
    assert rendered.state == RenderState.DONE and tasks.is_ready(rendered)
    assert rendered.started_at is not None and rendered.finished_at is not None
    with rendered.file.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    assert tasks.render_now(rendered.pk) == "skipped"  # a second job for the same row does nothing


def test_in_immediate_mode_the_file_is_ready_when_asked_for(
    immediate, district, user_named, django_capture_on_commit_callbacks
):
    record = published(user_named, district)
    with django_capture_on_commit_callbacks(execute=True):
        request_latest(record, "docx")
    rendered = RenderedFile.objects.get(file_format="docx")
    assert tasks.is_ready(rendered)
    with rendered.file.open("rb") as handle:
        assert handle.read(2) == b"PK"


def test_publishing_queues_the_docx_and_the_pdf_after_commit(
    queue, district, user_named, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = published(user_named, district)
    assert sorted(RenderedFile.objects.values_list("file_format", flat=True)) == ["docx", "pdf"]
    assert set(RenderedFile.objects.values_list("version__number", flat=True)) == {1}
    assert queue.pending_count() == 2
    assert run_queued(queue) == 2
    assert all(tasks.is_ready(r) for r in RenderedFile.objects.filter(record=record))


def test_a_failed_render_says_so_and_can_be_retried(
    queue, district, user_named, django_capture_on_commit_callbacks, monkeypatch
):
    record = published(user_named, district)
    with django_capture_on_commit_callbacks(execute=True):
        rendered = request_latest(record)

    def broken(value: Any) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(tasks, "render_pdf", broken)
    run_queued(queue)
    rendered.refresh_from_db()
    assert rendered.state == RenderState.FAILED
    assert tasks.failure_message(rendered) == tasks.RENDER_FAILED
    assert not rendered.file
    monkeypatch.undo()
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", MemoryStorage("gongkai-test-retry"))
    monkeypatch.setattr(djhuey, "close_old_connections", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        rendered = tasks.rendered_file_retry(rendered)
    assert rendered.state == RenderState.PENDING and rendered.error == ""
    run_queued(HUEY)
    rendered.refresh_from_db()
    assert tasks.is_ready(rendered)


class FullDisk(FileSystemStorage):
    """The media storage on a full disk: a few bytes are written, then ENOSPC."""

    def _save(self, name: str, content: Any) -> str:
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-partial")
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_fails_the_job_with_a_clear_message_and_no_partial_file(
    queue, district, user_named, django_capture_on_commit_callbacks, monkeypatch, settings
):
    record = published(user_named, district)
    with django_capture_on_commit_callbacks(execute=True):
        rendered = request_latest(record)
    full = FullDisk(location=settings.MEDIA_ROOT)
    monkeypatch.setattr(RenderedFile._meta.get_field("file"), "storage", full)
    run_queued(queue)
    rendered.refresh_from_db()
    assert rendered.state == RenderState.FAILED
    assert "存储空间不足" in tasks.failure_message(rendered)
    assert not list((settings.MEDIA_ROOT / "reports" / "rendered").glob("*"))


def test_a_lost_job_is_offered_again_after_a_while(
    queue, district, user_named, django_capture_on_commit_callbacks
):
    record = published(user_named, district)
    with django_capture_on_commit_callbacks(execute=True):
        rendered = request_latest(record)
    assert tasks.failure_message(rendered) == ""
    assert tasks.rendered_file_retry(rendered).requested_at == rendered.requested_at  # in time
    with clock.frozen(clock.now() + dt.timedelta(minutes=11)):
        assert tasks.failure_message(rendered) == tasks.LOST
        with django_capture_on_commit_callbacks(execute=True):
            tasks.rendered_file_retry(rendered)
    assert queue.pending_count() == 2


def test_a_done_file_missing_from_storage_is_rendered_again(
    immediate, district, user_named, django_capture_on_commit_callbacks
):
    record = published(user_named, district)
    with django_capture_on_commit_callbacks(execute=True):
        request_latest(record)
    rendered = RenderedFile.objects.get()
    default_storage.delete(rendered.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        request_latest(record)
    rendered.refresh_from_db()
    assert tasks.is_ready(rendered)


def test_an_edited_draft_gets_a_new_file_and_the_old_one_goes(
    immediate, district, user_named, django_capture_on_commit_callbacks
):
    record = finished(user_named, district)
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.rendered_file_request(
            record=record, version=None, value=record_value(record), file_format="pdf"
        )
    first.refresh_from_db()
    old_name = first.file.name
    assert default_storage.exists(old_name)
    record = report_save_draft(
        actor=user_named("songcun_clerk"), record=record, sections={"5": "修改后的问题和措施。"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.rendered_file_request(
            record=record, version=None, value=record_value(record), file_format="pdf"
        )
    assert second.pk != first.pk
    assert list(RenderedFile.objects.values_list("pk", flat=True)) == [second.pk]
    assert not default_storage.exists(old_name)


def test_unknown_formats_are_refused(district, user_named):
    record = published(user_named, district)
    version = record.versions.get()
    with pytest.raises(ValueError):
        tasks.rendered_file_request(
            record=record, version=version, value=version_value(version), file_format="exe"
        )
