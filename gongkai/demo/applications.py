"""Demo applications for information in 高村镇, 泽库镇 and 区民政局 (宋村镇 has none, as in its
published report). Written through the services at fixed dates of last year (`clock.frozen`), so the
ledger, the deadlines and the audit trail are what real use would produce. Applicants and requests are
made up for the demo.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.applications import services
from gongkai.applications.intake import Intake
from gongkai.applications.models import Application
from gongkai.core import clock
from gongkai.core.calendar import load_calendar
from gongkai.core.identifiers import credit_code_check_char, resident_id_check_digit
from gongkai.core.workdays import WorkdayCalendar, add_workdays
from gongkai.remedies.services import case_create, case_decide

DEMO_AGENCIES = ("gaocun", "zeku", "minzheng")


def _resident_id(body17: str) -> str:
    return body17 + resident_id_check_digit(body17)


def _credit_code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


def _person(name: str, id_body: str, phone: str, description: str, **extra: str) -> Intake:
    values = {
        "applicant_type": "natural_person",
        "applicant_name": name,
        "id_type": "resident_id",
        "id_number": _resident_id(id_body),
        "phone": phone,
        "description": description,
        "form_wanted": "electronic",
        "delivery": "email",
        "email": "demo-applicant@example.com",
    }
    values.update(extra)
    return Intake(**values)


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


class _Days:
    """Working days of the demo year, so that every act falls on a working day."""

    def __init__(self, calendar: WorkdayCalendar) -> None:
        self.calendar = calendar

    def on_or_after(self, day: dt.date) -> dt.date:
        while not self.calendar.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def after(self, day: dt.date, workdays: int) -> dt.date:
        return add_workdays(self.calendar, day, workdays).due


def _online(agency: Any, day: dt.date, intake: Intake) -> Application:
    with clock.frozen(day):
        return services.application_submit_online(agency=agency, intake=intake)


def _register(agency: Any, clerk: Any, day: dt.date, intake: Intake, channel: str) -> Application:
    with clock.frozen(day):
        return services.application_register(
            actor=clerk, agency=agency, intake=intake, channel=channel, received_on=day
        )


def _reply(clerk: Any, application: Application, day: dt.date, reply_type: str, text: str) -> None:
    with clock.frozen(day):
        services.application_reply(
            actor=clerk, application=application, reply_type=reply_type, text=text
        )


def load(agencies: dict[str, Any]) -> None:
    """Idempotent: does nothing once any demo agency has applications."""
    if Application.objects.filter(agency__slug__in=DEMO_AGENCIES).exists():
        return
    days = _Days(load_calendar())
    year = clock.today().year - 1
    _gaocun(agencies["gaocun"], days, year)
    _zeku(agencies["zeku"], days, year)
    _minzheng(agencies, days, year)


def _gaocun(agency: Any, days: _Days, year: int) -> None:
    clerk = _user("gaocun_clerk")
    # Granted in full.
    received = days.on_or_after(dt.date(year, 3, 4))
    granted = _online(
        agency,
        received,
        _person(
            "孙晓梅",
            "37108119750312002",
            "13705310001",
            "高村镇本年度农村公路养护资金的使用明细",
        ),
    )
    _reply(
        clerk,
        granted,
        days.after(received, 8),
        "provide",
        "经查，您申请的信息由本机关制作保存，现以电子文档形式提供给您，请查收附件。",
    )
    # Partial disclosure (区分处理, 条例第三十七条).
    received = days.on_or_after(dt.date(year, 4, 8))
    company = Intake(
        applicant_type="business",
        applicant_name="威海示例农业发展有限公司",
        contact_person="周建国",
        id_type="credit_code",
        id_number=_credit_code("91371081MA3D00021"),
        phone="0631-8600123",
        description="高村镇设施农业用地备案的审批材料",
        form_wanted="paper",
        delivery="pickup",
    )
    partial = _register(agency, clerk, received, company, "in_person")
    _reply(
        clerk,
        partial,
        days.after(received, 15),
        "partial",
        "备案清单予以提供；其中涉及其他经营主体商业信息的部分，依法作区分处理后不予提供。",
    )
    # Corrected once (条例第三十条), then granted.
    received = days.on_or_after(dt.date(year, 5, 13))
    corrected = _online(
        agency,
        received,
        _person("钱立新", "37108119820607003", "13905310002", "关于村里修路的文件"),
    )
    asked = days.after(received, 3)
    with clock.frozen(asked):
        services.application_request_correction(
            actor=clerk,
            application=corrected,
            items="请写明所指的村庄名称、道路名称以及大致年份，以便查找相应文件。",
            correction_due=days.after(asked, 10),
        )
    fixed = days.after(asked, 6)
    with clock.frozen(fixed):
        services.application_receive_correction(
            actor=clerk, application=corrected, note="申请人补充：高村镇某村2023年村道硬化工程。"
        )
    _reply(
        clerk,
        corrected,
        days.after(fixed, 12),
        "provide_published",
        "您申请的工程公示已在本机关政府信息公开专栏主动公开，可通过“重点领域信息—乡村振兴”栏目查阅。",
    )


def _zeku(agency: Any, days: _Days, year: int) -> None:
    clerk = _user("zeku_clerk")
    admin = _user("zeku_admin")
    # Third party objects (条例第三十二条) → not disclosed; then a 行政复议 upholds the reply.
    received = days.on_or_after(dt.date(year, 3, 18))
    denied = _online(
        agency,
        received,
        _person("李文涛", "37108119900101004", "13605310003", "泽库镇某水产养殖企业的环评报告全文"),
    )
    asked = days.after(received, 4)
    with clock.frozen(asked):
        services.application_pause(
            actor=clerk, application=denied, kind="third_party", party="泽库镇某水产养殖企业"
        )
    answered = days.after(asked, 12)
    with clock.frozen(answered):
        services.application_resume(
            actor=clerk, application=denied, note="第三方书面答复：报告含工艺参数，不同意公开。"
        )
    replied_on = days.after(answered, 3)
    _reply(
        clerk,
        denied,
        replied_on,
        "third_party",
        "经征求第三方意见，该报告涉及企业生产工艺等商业秘密，第三方不同意公开，决定不予公开。",
    )
    filed = days.after(replied_on, 15)
    decided = days.after(filed, 40)
    with clock.frozen(decided):
        case = case_create(
            actor=clerk,
            application=denied,
            kind="review",
            body="威海市文登区人民政府",
            reference="文政复〔示例〕1号",
            filed_on=filed,
        )
        case_decide(actor=clerk, case=case, outcome="upheld", decided_on=decided)
    # Extended once (条例第三十三条第一款), then granted.
    received = days.on_or_after(dt.date(year, 6, 3))
    extended = _register(
        agency,
        clerk,
        received,
        _person(
            "吴海燕",
            "37108119681120005",
            "13805310004",
            "泽库镇近五年渔船更新改造补贴的发放名单",
            delivery="post",
            address="威海市文登区泽库镇示例村1号",
        ),
        "post_signed",
    )
    approved = days.after(received, 17)
    with clock.frozen(approved):
        services.application_extend(
            actor=clerk,
            application=extended,
            approved_by=admin,
            approved_on=approved,
            notified_on=approved,
            reason="涉及五个年度的档案，需逐年调取核对。",
        )
    _reply(
        clerk,
        extended,
        days.after(received, 30),
        "provide",
        "现将补贴发放名单（已隐去身份证号码等个人信息）邮寄给您。",
    )


def _minzheng(agencies: dict[str, Any], days: _Days, year: int) -> None:
    agency = agencies["minzheng"]
    clerk = _user("minzheng_clerk")
    # Not held: another agency's information, named in the reply (条例第三十六条第五项).
    received = days.on_or_after(dt.date(year, 4, 15))
    not_held = _online(
        agency,
        received,
        _person("郑国强", "37108119790909006", "13505310005", "文登区某小区规划许可证及附图"),
    )
    with clock.frozen(days.after(received, 6)):
        services.application_reply(
            actor=clerk,
            application=not_held,
            reply_type="not_held",
            text="经查，规划许可信息不属于本机关职责范围，本机关不掌握。",
            named_agency=agencies["wendeng"],
        )
    # No 补正 in time → lapsed (table 3: other_no_correction).
    received = days.on_or_after(dt.date(year, 9, 9))
    lapsed = _online(
        agency,
        received,
        _person("冯丽", "37108119850505007", "13305310006", "养老相关文件"),
    )
    asked = days.after(received, 2)
    due = days.after(asked, 10)
    with clock.frozen(asked):
        services.application_request_correction(
            actor=clerk,
            application=lapsed,
            items="请写明所需文件的名称或文号、涉及的养老服务项目和年份。",
            correction_due=due,
        )
    with clock.frozen(days.after(due, 1)):
        services.application_lapse(actor=clerk, application=lapsed, reason="逾期未补正。")
    # Still open: received a few working days ago, handed to 社会救助科.
    today = clock.today()
    received = today - dt.timedelta(days=5)
    while not days.calendar.is_workday(received):
        received -= dt.timedelta(days=1)
    still_open = _online(
        agency,
        received,
        _person(
            "陈志远",
            "37108119921212008",
            "13205310007",
            "本年度城乡最低生活保障标准调整的文件及测算依据",
        ),
    )
    department = agency.departments.filter(name="社会救助科").first()
    with clock.frozen(today):
        services.application_assign(
            actor=clerk, application=still_open, department=department, assigned_to=clerk
        )
