"""The shared upload validator, and every upload path refusing by content: real (small on disk) zip
bombs, renamed files, oversized files. A zip bomb must be refused before any parser opens it."""

from __future__ import annotations

import functools
import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.uploads import (
    ArchiveBomb,
    DamagedArchive,
    Kind,
    UploadRejected,
    ZipLimits,
    check_zip,
    sniff,
    validate_upload,
)

MIB = 1024 * 1024
OFFICE = frozenset({Kind.DOCX, Kind.XLSX})


def _zip(parts: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(document: bytes = b"<w:document/>", extra: dict[str, bytes] | None = None) -> bytes:
    return _zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": document, **(extra or {})}
    )


def xlsx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    return _zip(
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>", **(extra or {})}
    )


@functools.cache
def ratio_bomb() -> bytes:
    """A DOCX whose document part is 64 MB of zeros: about 64 KB on disk (ratio ~1000)."""
    return docx_bytes(b"\x00" * (64 * MIB))


@functools.cache
def entries_bomb() -> bytes:
    """An XLSX with 10,050 empty parts."""
    return xlsx_bytes({f"xl/media/p{n}.xml": b"" for n in range(10_050)})


@functools.cache
def size_bomb() -> bytes:
    """An XLSX of 210 parts of 1 MB each (210 MB unpacked, about 220 KB on disk)."""
    zeros = b"\x00" * MIB
    return xlsx_bytes({f"xl/worksheets/s{n}.xml": zeros for n in range(210)})


@functools.cache
def overlapping_bomb() -> bytes:
    """Fifield's overlapping-entry bomb: many central-directory records point at the same local
    file data, so the declared unpacked size is many times the real one."""
    one = _zip({"word/document.xml": b"\x00" * (2 * MIB)})
    archive = zipfile.ZipFile(io.BytesIO(one))
    info = archive.infolist()[0]
    eocd_at = one.rindex(b"PK\x05\x06")
    central_at = int.from_bytes(one[eocd_at + 16 : eocd_at + 20], "little")
    record = one[central_at:eocd_at]
    records = []
    for n in range(200):
        name = f"word/p{n:07d}.xml".encode()
        # Same record (same local header offset), a different name of the same length.
        assert len(name) == len(info.filename)
        records.append(record[:46] + name + record[46 + len(name) :])
    directory = b"".join(records)
    eocd = (
        b"PK\x05\x06"
        + b"\x00\x00\x00\x00"
        + len(records).to_bytes(2, "little") * 2
        + len(directory).to_bytes(4, "little")
        + central_at.to_bytes(4, "little")
        + b"\x00\x00"
    )
    return one[:central_at] + directory + eocd


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (ratio_bomb, "压缩比"),
        (entries_bomb, "个部件"),
        (size_bomb, "解压后达"),
        (overlapping_bomb, "解压后达"),
    ],
)
def test_zip_bombs_are_refused_from_the_central_directory_alone(make, reason, monkeypatch):
    data = make()
    assert len(data) < 2 * MIB  # small on disk

    def no_unpacking(*args, **kwargs):
        raise AssertionError("a member was opened: the refusal must come from the directory alone")

    # Nothing is unpacked: the refusal reads only the central directory.
    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    with pytest.raises(ArchiveBomb) as raised:
        validate_upload(data, name="报告.docx", allowed=OFFICE, max_bytes=20 * MIB)
    assert reason in raised.value.message and "压缩炸弹" in raised.value.message


def test_ordinary_office_files_pass_and_are_typed_by_content():
    assert validate_upload(docx_bytes(), name="a.docx", allowed=OFFICE, max_bytes=MIB).kind is (
        Kind.DOCX
    )
    assert validate_upload(xlsx_bytes(), name="a.xlsx", allowed=OFFICE, max_bytes=MIB).kind is (
        Kind.XLSX
    )
    # Well-compressed but ordinary XML under the ratio floor is fine.
    assert sniff(docx_bytes(b"<w:p/>" * 200_000)) is Kind.DOCX


def test_custom_limits_apply():
    with pytest.raises(ArchiveBomb):
        check_zip(docx_bytes(), "a.docx", ZipLimits(max_entries=1))


@pytest.mark.parametrize(
    ("name", "data", "allowed", "message"),
    [
        # An executable renamed to .pdf
        ("通知.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, {Kind.PDF}, "不是可接受的格式"),
        # A PDF renamed to .docx
        ("通知.docx", b"%PDF-1.7\n1 0 obj\n", {Kind.PDF, Kind.DOCX}, "与文件扩展名不符"),
        # A text file renamed to .xlsx
        ("表格.xlsx", "一,二,三\n".encode(), {Kind.XLSX}, "不是可接受的格式"),
        # A DOCX renamed to .xlsx
        ("表格.xlsx", docx_bytes(), {Kind.XLSX}, "不是可接受的格式"),
        # A PNG renamed to .jpg
        (
            "照片.jpg",
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
            {Kind.JPEG, Kind.PNG},
            "与文件扩展名不符",
        ),
        # A ZIP holding something else, renamed .docx
        ("a.docx", _zip({"evil.exe": b"MZ"}), {Kind.DOCX}, "不是可接受的格式"),
    ],
)
def test_renamed_files_are_refused(name, data, allowed, message):
    with pytest.raises(UploadRejected) as raised:
        validate_upload(data, name=name, allowed=allowed, max_bytes=MIB, match_name=True)
    assert message in raised.value.message


def test_damaged_zip_and_empty_and_oversized_files():
    with pytest.raises(DamagedArchive):
        validate_upload(b"PK\x03\x04garbage", name="a.docx", allowed=OFFICE, max_bytes=MIB)
    with pytest.raises(UploadRejected, match="空文件"):
        validate_upload(b"", name="a.txt", allowed={Kind.TEXT}, max_bytes=MIB)
    upload = SimpleUploadedFile("a.txt", b"x" * (MIB + 1))
    with pytest.raises(UploadRejected, match="超过上限1MB"):
        validate_upload(upload, allowed={Kind.TEXT}, max_bytes=MIB)


def test_an_oversized_upload_is_not_read():
    class Unreadable:
        name = "a.txt"
        size = 100

        def read(self, *args: Any) -> bytes:
            raise AssertionError("the file was read")

    upload = Unreadable()
    with pytest.raises(UploadRejected, match="超过上限"):
        validate_upload(upload, allowed={Kind.TEXT}, max_bytes=10)


def test_the_upload_is_left_rewound_for_the_caller():
    upload = SimpleUploadedFile("a.txt", "第一行\n".encode())
    checked = validate_upload(upload, allowed={Kind.TEXT}, max_bytes=MIB, match_name=True)
    assert checked.kind is Kind.TEXT and checked.content_type == "text/plain"
    assert upload.read() == "第一行\n".encode()


def test_text_kinds():
    assert sniff("政府信息公开".encode("gb18030")) is Kind.TEXT
    assert sniff("\ufeff<html><body>x</body></html>".encode("utf-16")) is Kind.TEXT
    assert sniff(b"\x7fELF\x02\x01\x01\x00") is None


# --- every upload path -----------------------------------------------------------------------------


@pytest.fixture
def no_parser(monkeypatch):
    """Fail the test if openpyxl or python-docx ever open a file."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a parser opened the upload")

    import docx
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    monkeypatch.setattr("gongkai.reports.xlsx_import.load_workbook", refuse)
    monkeypatch.setattr("gongkai.reports.checker.readers.xlsx.load_workbook", refuse)
    monkeypatch.setattr("gongkai.reports.checker.readers.docx.Document", refuse)
    monkeypatch.setattr(docx, "Document", refuse)


def _messages(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.mark.django_db
def test_report_xlsx_import_refuses_a_bomb_before_openpyxl(login, district, no_parser):
    from django.contrib.auth import get_user_model

    from gongkai.reports.services import report_draft_get_or_create

    clerk_client = login("songcun_clerk")
    record, _notes = report_draft_get_or_create(
        actor=get_user_model().objects.get(username="songcun_clerk"),
        agency=district["songcun"],
        year=2023,
    )
    url = f"/workbench/agency/songcun/reports/{record.year}/import/"
    bomb = SimpleUploadedFile("表格.xlsx", size_bomb())
    response = clerk_client.post(url, {"tables_file": bomb}, follow=True)
    assert "压缩炸弹" in _messages(response)
    renamed = SimpleUploadedFile("表格.xlsx", docx_bytes())
    response = clerk_client.post(url, {"tables_file": renamed}, follow=True)
    assert "不是可接受的格式" in _messages(response)


@pytest.mark.django_db
def test_checker_upload_refuses_bombs_and_unknown_content(login, district, no_parser):
    client = login("songcun_clerk")
    for upload, message in (
        (SimpleUploadedFile("报告.docx", ratio_bomb()), "压缩炸弹"),
        (SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 64), "不是可接受的格式"),
    ):
        response = client.post("/workbench/reports/checker/", {"documents": [upload]})
        assert response.status_code == 200
        assert message in response.content.decode()


def test_checker_reader_refuses_a_bomb_even_without_the_form(no_parser):
    from gongkai.reports.checker.document import UnreadableError
    from gongkai.reports.checker.readers import read_document

    with pytest.raises(UnreadableError, match="压缩炸弹"):
        read_document(entries_bomb(), "a.xlsx")


@pytest.mark.django_db
def test_application_attachment_must_really_be_what_it_says(client, district):
    from gongkai.applications.exceptions import ApplicationInvalid
    from gongkai.applications.services import application_submit_online
    from tests.applications.factories import intake

    for upload, message in (
        (SimpleUploadedFile("身份证明.docx", ratio_bomb()), "压缩炸弹"),
        (SimpleUploadedFile("身份证明.docx", _zip({"a.txt": b"x"})), "不是可接受的格式"),
        (SimpleUploadedFile("身份证明.ofd", docx_bytes()), "与文件扩展名不符"),
    ):
        with pytest.raises(ApplicationInvalid) as raised:
            application_submit_online(
                agency=district["songcun"], intake=intake(), attachments=[upload]
            )
        assert message in raised.value.errors["attachment"]
    ok = application_submit_online(
        agency=district["songcun"],
        intake=intake(),
        attachments=[SimpleUploadedFile("身份证明.docx", docx_bytes())],
    )
    assert ok.attachments.count() == 1


@pytest.mark.django_db
def test_catalogue_attachment_refuses_a_bomb_and_binaries(district, user_named, no_parser):
    import datetime as dt

    from gongkai.publishing.models import Column
    from gongkai.publishing.services import attachment_add, columns_ensure_default, item_create

    clerk = user_named("songcun_clerk")
    agency = district["songcun"]
    columns_ensure_default(actor=None, agency=agency)
    item = item_create(
        actor=clerk,
        agency=agency,
        column=Column.objects.get(agency=agency, slug="gsgg"),
        title="测试信息",
        formed_on=dt.date(2023, 5, 4),
        body="<p>正文</p>",
    )
    with pytest.raises(ArchiveBomb):
        attachment_add(actor=clerk, item=item, name="附件.docx", data=overlapping_bomb())
    with pytest.raises(UploadRejected, match="不是可接受的格式"):
        attachment_add(actor=clerk, item=item, name="附件.txt", data=b"\x7fELF\x02\x01\x01\x00")
    assert not item.attachments.exists()


@pytest.mark.django_db
def test_channel_stats_csv_is_text_and_size_limited(login, district):
    client = login("songcun_clerk")
    url = "/workbench/agency/songcun/channels/"
    response = client.post(
        url,
        {"action": "import", "file": SimpleUploadedFile("s.csv", xlsx_bytes())},
        follow=True,
    )
    assert "不是可接受的格式" in _messages(response)
    big = SimpleUploadedFile("s.csv", b"channel,year,month,items,reads\n" * 80_000)
    response = client.post(url, {"action": "import", "file": big}, follow=True)
    assert "超过上限2MB" in _messages(response)


@pytest.mark.django_db
def test_supervision_evidence_is_checked_by_content(district, user_named):
    from gongkai.supervision.exceptions import SupervisionError
    from gongkai.supervision.services import check_evidence_file

    with pytest.raises(SupervisionError, match="与文件扩展名不符"):
        check_evidence_file(SimpleUploadedFile("佐证.pdf", docx_bytes()))
    with pytest.raises(SupervisionError, match="压缩炸弹"):
        check_evidence_file(SimpleUploadedFile("佐证.zip", size_bomb()))
    check_evidence_file(SimpleUploadedFile("佐证.zip", _zip({"a.pdf": b"%PDF-1.4"})))
