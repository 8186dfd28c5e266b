import datetime as dt
import io

import pytest
from docx import Document

from gongkai.applications import services as s
from gongkai.applications.notices import reply_notice_docx
from gongkai.core import clock
from tests.applications.factories import online

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_a_transfer_notice_names_the_other_agency(district, user_named):
    application = online(district["minzheng"], dt.date(2024, 2, 5))
    with clock.frozen(dt.date(2024, 2, 7)):
        application = s.application_transfer(
            actor=user_named("minzheng_clerk"), application=application, to_agency=district["zeku"]
        )
    text = text_of(reply_notice_docx(application))
    assert "负责公开该政府信息的机关：威海市文登区泽库镇人民政府" in text
    assert "第三十六条第四项、第五项" in text and "2024年2月7日" in text
    assert "60日内" in text and "6个月内" in text and "（盖章）" in text


def test_a_lapse_notice_states_the_ending(district, user_named):
    clerk = user_named("minzheng_clerk")
    application = online(district["minzheng"], dt.date(2024, 2, 5))
    with clock.frozen(dt.date(2024, 2, 6)):
        s.application_request_correction(
            actor=clerk, application=application, items="请写明", correction_due=dt.date(2024, 2, 8)
        )
    with clock.frozen(dt.date(2024, 2, 9)):
        application = s.application_lapse(actor=clerk, application=application)
    assert "申请人逾期未补正，不再处理" in text_of(reply_notice_docx(application))


def test_an_open_application_has_no_notice(district):
    application = online(district["minzheng"], dt.date(2024, 2, 5))
    with pytest.raises(ValueError):
        reply_notice_docx(application)


def replied(district, user_named, reply_type="provide", text="现将资料提供给您。<附件>"):
    application = online(district["minzheng"], dt.date(2024, 2, 5))
    with clock.frozen(dt.date(2024, 2, 7)):
        return s.application_reply(
            actor=user_named("minzheng_clerk"),
            application=application,
            reply_type=reply_type,
            text=text,
        )


def test_each_type_uses_its_template_or_the_default(district, user_named):
    from gongkai.applications.notices import notice_content

    provided = notice_content(replied(district, user_named))
    assert provided.template == "applications/notices/provide.txt"
    assert any("予以提供" in p for p in provided.paragraphs)
    refused = notice_content(replied(district, user_named, reply_type="process_info"))
    assert refused.template == "applications/notices/default.txt"
    assert any("不予提供：过程性信息" in p for p in refused.paragraphs)
    assert "第十六条" in "".join(refused.paragraphs)


def test_an_installation_can_override_a_type_template(district, user_named, settings, tmp_path):
    from gongkai.applications.notices import notice_content

    folder = tmp_path / "applications" / "notices"
    folder.mkdir(parents=True)
    (folder / "provide.txt").write_text("本机关同意提供“{{ application.description }}”。\n")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    notice = notice_content(replied(district, user_named))
    assert notice.paragraphs[0].startswith("本机关同意提供")


def test_the_pdf_has_the_same_content_with_cjk_fonts_embedded(district, user_named, tmp_path):
    import subprocess

    from gongkai.applications.notices import reply_notice_html, reply_notice_pdf

    application = replied(district, user_named)
    html = reply_notice_html(application)
    assert "&lt;附件&gt;" in html and "60日内" in html and "（盖章）" in html
    content = reply_notice_pdf(application)
    assert content.startswith(b"%PDF")
    path = tmp_path / "notice.pdf"
    path.write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    assert "CJK" in fonts.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "政府信息公开申请答复告知书" in text and "现将资料提供给您" in text
    assert "2024年2月7日" in text


def test_the_fee_notice_states_amount_calculation_and_deadline(district, user_named):
    from gongkai.applications.notices import fee_notice_content, fee_notice_docx, fee_notice_pdf

    application = online(district["minzheng"], dt.date(2024, 3, 4))
    with pytest.raises(ValueError):
        fee_notice_content(application)
    with clock.frozen(dt.date(2024, 3, 5)):
        application = s.application_fee_notice(
            actor=user_named("minzheng_clerk"),
            application=application,
            method="by_pages",
            quantity=150,
        )
    notice = fee_notice_content(application)
    text = "\n".join(notice.paragraphs)
    assert notice.title == "政府信息公开信息处理费缴费通知书"
    assert "信息处理费1700元" in text and "页数：150页。" in text
    assert f"请于{application.fee_due.year}年{application.fee_due.month}月" in text
    assert "视为您放弃" in text and notice.signature[-1] == "2024年3月5日"
    assert "1700元" in text_of(fee_notice_docx(application))
    assert fee_notice_pdf(application).startswith(b"%PDF")
