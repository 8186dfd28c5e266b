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
