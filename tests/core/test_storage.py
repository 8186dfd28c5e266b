"""A full disk during an upload: a clear Chinese error, no partial file, no row without its file."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.applications.models import Application, ApplicationAttachment
from gongkai.applications.services import application_submit_online
from gongkai.core.storage import StorageUnavailable, save_file
from tests.applications.factories import RESIDENT_ID
from tests.applications.test_services import intake

pytestmark = pytest.mark.django_db


class FullDisk(FileSystemStorage):
    """A storage whose disk fills up mid-write: part of the file lands, then ENOSPC."""

    def _save(self, name: str, content: Any) -> str:
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4 half")
        raise OSError(errno.ENOSPC, "No space left on device")


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def full_disk(settings: Any, monkeypatch: pytest.MonkeyPatch) -> FullDisk:
    storage = FullDisk(location=settings.MEDIA_ROOT)
    monkeypatch.setattr(ApplicationAttachment._meta.get_field("file"), "storage", storage)
    return storage


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("证明.pdf", b"%PDF-1.4 demo", content_type="application/pdf")


def test_save_file_removes_the_partial_file_and_says_so_in_chinese(settings):
    storage = FullDisk(location=settings.MEDIA_ROOT)
    with pytest.raises(StorageUnavailable) as exc:
        save_file(storage, "x/report.pdf", ContentFile(b"%PDF-1.4"))
    assert "存储空间不足" in exc.value.message and "未被保存" in exc.value.message
    assert files_under(Path(settings.MEDIA_ROOT)) == []


def test_save_file_stores_normally(settings):
    storage = FileSystemStorage(location=settings.MEDIA_ROOT)
    name = save_file(storage, "x/report.pdf", ContentFile(b"%PDF-1.4"))
    assert storage.open(name).read() == b"%PDF-1.4"


def test_an_online_application_on_a_full_disk_is_not_stored_at_all(district, settings, full_disk):
    with pytest.raises(StorageUnavailable):
        application_submit_online(agency=district["songcun"], intake=intake(), attachments=[pdf()])
    assert Application.objects.count() == 0 and ApplicationAttachment.objects.count() == 0
    assert files_under(Path(settings.MEDIA_ROOT)) == []


def test_the_portal_form_shows_the_error_and_keeps_nothing(client, district, settings, full_disk):
    cache.clear()
    data = {
        "applicant_type": "natural_person",
        "applicant_name": "王五",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13912345678",
        "description": "本镇2024年度农村低保资金发放情况",
        "form_wanted": "electronic",
        "delivery": "online",
        "attachment": pdf(),
    }
    response = client.post("/agency/songcun/apply/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "服务器存储空间不足或暂时无法写入，文件未能保存，本次提交未被保存" in html
    assert Application.objects.count() == 0
    assert files_under(Path(settings.MEDIA_ROOT)) == []
    cache.clear()
