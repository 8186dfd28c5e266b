from gongkai.core.identifiers import (
    credit_code_check_char,
    credit_code_error,
    resident_id_check_digit,
    valid_credit_code,
    valid_resident_id,
)


def test_credit_code_from_the_platform_spec_is_valid():
    assert valid_credit_code("11441700007280420Y")
    assert credit_code_check_char("11441700007280420") == "Y"


def test_credit_code_errors_are_specific():
    assert credit_code_error("1144170000728042") == "统一社会信用代码应为18位，您输入了16位。"
    assert "校验位" in credit_code_error("11441700007280420X")
    assert "不允许的字符" in credit_code_error("1144170000728042OY")
    assert credit_code_error("11441700007280420y") is None


def test_resident_id_check_digit_and_birth_date():
    body = "11010519491231002"
    full = body + resident_id_check_digit(body)
    assert full == "11010519491231002X"
    assert valid_resident_id(full)
    assert not valid_resident_id(body + "1")
    assert not valid_resident_id("110105194902300021")  # 30 February
    assert not valid_resident_id("91010519491231002X")  # region digit 9
