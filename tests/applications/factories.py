"""Building applications for tests: through the services, at fixed dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.applications.intake import Intake
from gongkai.applications.services import application_register, application_submit_online
from gongkai.core import clock
from gongkai.core.identifiers import credit_code_check_char, resident_id_check_digit

RESIDENT_ID = "37108119800101001" + resident_id_check_digit("37108119800101001")
CREDIT_CODE = "91371081MA3C00001" + credit_code_check_char("91371081MA3C00001")


def intake(**overrides: Any) -> Intake:
    values: dict[str, Any] = {
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13812341234",
        "description": "2023年宋村镇农村道路维修项目的招标公告和中标结果",
        "form_wanted": "electronic",
        "delivery": "email",
        "email": "zhangsan@example.com",
        "address": "威海市文登区某路1号",
    }
    values.update(overrides)
    return Intake(**values)


def organisation_intake(**overrides: Any) -> Intake:
    values: dict[str, Any] = {
        "applicant_type": "business",
        "applicant_name": "威海某某建材有限公司",
        "contact_person": "李四",
        "id_type": "credit_code",
        "id_number": CREDIT_CODE,
    }
    values.update(overrides)
    return intake(**values)


def online(agency: Any, on: dt.date, **overrides: Any) -> Any:
    with clock.frozen(on):
        return application_submit_online(agency=agency, intake=intake(**overrides))


def registered(agency: Any, actor: Any, on: dt.date, channel: str = "in_person", **kw: Any) -> Any:
    with clock.frozen(on):
        return application_register(
            actor=actor, agency=agency, intake=intake(), channel=channel, received_on=on, **kw
        )
