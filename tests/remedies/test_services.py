import datetime as dt

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.core import clock
from gongkai.core.exceptions import PermissionDeniedError, ValidationFailed
from gongkai.remedies.exceptions import CaseAlreadyDecided
from gongkai.remedies.services import case_create, case_decide
from tests.applications.factories import online

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(district):
    return online(district["zeku"], dt.date(2024, 2, 5))


def test_a_case_is_recorded_and_decided_with_audit_rows(application, user_named):
    clerk = user_named("zeku_clerk")
    with clock.frozen(dt.date(2024, 5, 6)):
        case = case_create(
            actor=clerk,
            application=application,
            kind="review",
            body="威海市文登区人民政府",
            filed_on=dt.date(2024, 4, 1),
        )
        assert case.outcome == "pending" and case.agency == application.agency
        case = case_decide(actor=clerk, case=case, outcome="upheld", decided_on=dt.date(2024, 5, 6))
        assert case.outcome == "upheld"
        with pytest.raises(CaseAlreadyDecided):
            case_decide(actor=clerk, case=case, outcome="other", decided_on=dt.date(2024, 5, 6))
    verbs = list(
        AuditEvent.objects.filter(target_type="remedies.case").values_list("verb", flat=True)
    )
    assert verbs == ["remedy_case.created", "remedy_case.decided"]


def test_only_the_agencys_staff_record_cases(application, user_named):
    with clock.frozen(dt.date(2024, 5, 6)), pytest.raises(PermissionDeniedError):
        case_create(
            actor=user_named("gaocun_clerk"),
            application=application,
            kind="review",
            body="区政府",
            filed_on=dt.date(2024, 4, 1),
        )


def test_dates_are_checked(application, user_named):
    clerk = user_named("zeku_clerk")
    with clock.frozen(dt.date(2024, 5, 6)):
        with pytest.raises(ValidationFailed):
            case_create(
                actor=clerk,
                application=application,
                kind="review",
                body="区政府",
                filed_on=dt.date(2024, 1, 1),
            )
        case = case_create(
            actor=clerk,
            application=application,
            kind="litigation_direct",
            body="文登区人民法院",
            filed_on=dt.date(2024, 4, 1),
        )
        with pytest.raises(ValidationFailed):
            case_decide(actor=clerk, case=case, outcome="upheld", decided_on=dt.date(2024, 3, 1))
        with pytest.raises(ValidationFailed):
            case_decide(actor=clerk, case=case, outcome="pending", decided_on=dt.date(2024, 5, 1))
