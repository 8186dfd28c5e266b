from gongkai.applications.intake import (
    attachment_error,
    intake_errors,
    mask_id,
    mask_phone,
    normalise_phone,
)
from tests.applications.factories import CREDIT_CODE, intake, organisation_intake


def test_a_complete_natural_person_application_passes():
    assert intake_errors(intake()) == {}


def test_an_organisation_needs_a_contact_and_a_credit_code():
    errors = intake_errors(organisation_intake(contact_person="", id_type="resident_id"))
    assert errors == {
        "contact_person": "法人或其他组织申请的，请填写联系人。",
        "id_type": "法人或其他组织请填写统一社会信用代码。",
    }
    assert intake_errors(intake(id_type="credit_code", id_number=CREDIT_CODE))["id_type"] == (
        "自然人请选择居民身份证或其他有效身份证件。"
    )


def test_delivery_needs_its_address():
    assert set(intake_errors(intake(delivery="post", address=""))) == {"address"}
    assert set(intake_errors(intake(delivery="email", email=""))) == {"email"}


def test_phone_numbers_mobile_and_landline():
    assert intake_errors(intake(phone="0631-8451000")) == {}
    assert intake_errors(intake(phone="(0631) 8451000")) == {}
    assert "phone" in intake_errors(intake(phone="8451000"))
    assert normalise_phone("138 1234 1234") == "13812341234"


def test_masks_keep_only_the_ends():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_id("371081198001010019") == "37*************019"
    assert mask_id("E12345678") == "E1****678"
    assert mask_id("12345") == "*****"
    assert mask_phone("123") == "***"
    assert mask_phone("0631-8451000") == "063*****1000"


def test_masking_matches_the_platform_spec_and_the_scanner():
    from gongkai.core import identifiers
    from gongkai.publishing import scanner

    # platform.md: 身份证 `35*************123`; the scanner masks published text the same way.
    assert mask_id is identifiers.mask_id
    assert mask_id("350102199001011234") == "35*************234"
    assert mask_id("350102199001011234") == scanner.mask_id("350102199001011234")


def test_attachments_by_suffix_size_and_magic_bytes():
    assert attachment_error("a.PDF", 10, b"%PDF-1.7") is None
    assert attachment_error("a.jpg", 10, b"\xff\xd8\xff\xe0") is None
    assert attachment_error("a.png", 10, b"%PDF") is not None
    assert attachment_error("a", 10, b"%PDF") is not None
    assert attachment_error("a.pdf", 11 * 1024 * 1024, b"%PDF") == "单个附件不能超过10MB。"
