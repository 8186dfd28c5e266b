"""Report files in the portal: served at once when rendered, otherwise a polling "正在生成" page."""

from __future__ import annotations

import pytest
from huey.contrib.djhuey import HUEY

from gongkai.reports.models import RenderedFile, RenderState
from tests.reports.test_services import published
from tests.reports.test_tasks import immediate, queue, run_queued  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
URL = "/agency/songcun/reports/2023/pdf/"


@pytest.mark.usefixtures("queue")
def test_without_a_worker_the_page_says_it_is_being_generated_and_polls(
    client, district, user_named, django_capture_on_commit_callbacks
):
    published(user_named, district)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 202
    assert "正在生成PDF 文件，请稍候" in html
    assert f'hx-get="{URL}" hx-trigger="every 2s"' in html
    assert "no-store" in response["Cache-Control"]
    assert "<script>" not in html  # CSP: htmx attributes only
    assert HUEY.pending_count() == 1
    poll = client.get(URL, headers={"HX-Request": "true"})
    assert poll.status_code == 202 and "<html" not in poll.content.decode()
    run_queued(HUEY)
    poll = client.get(URL, headers={"HX-Request": "true"})
    partial = poll.content.decode()
    assert poll.status_code == 200 and "PDF 文件已生成" in partial and "hx-trigger" not in partial
    download = client.get(URL)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.usefixtures("immediate")
def test_in_immediate_mode_the_file_comes_at_once(
    client, district, user_named, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        published(user_named, district)
    assert RenderedFile.objects.filter(state=RenderState.DONE).count() == 2
    download = client.get("/agency/songcun/reports/2023/docx/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")


@pytest.mark.usefixtures("queue")
def test_a_failure_shows_a_chinese_message_and_a_retry_button(
    client, district, user_named, django_capture_on_commit_callbacks
):
    published(user_named, district)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(URL)
    RenderedFile.objects.update(state=RenderState.FAILED, error="生成文件时出错，请重试。")
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "生成文件时出错，请重试。" in html and "重新生成" in html and "hx-trigger" not in html
    with django_capture_on_commit_callbacks(execute=True):
        retry = client.post(URL)
    assert retry.status_code == 302 and retry["Location"] == URL
    assert RenderedFile.objects.get().state == RenderState.PENDING
    assert HUEY.pending_count() == 2  # the first job and the retry
    run_queued(HUEY)
    assert RenderedFile.objects.get().state == RenderState.DONE


def test_an_unknown_format_or_unpublished_report_is_404(client, district, user_named):
    assert client.get(URL).status_code == 404
    published(user_named, district)
    assert client.get("/agency/songcun/reports/2023/exe/").status_code == 404
    assert client.post("/agency/songcun/reports/2023/exe/").status_code == 404
    assert not RenderedFile.objects.exists()
