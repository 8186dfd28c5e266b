"""The personal-information scanner: every kind, the look-alikes it must leave alone, masking."""

from __future__ import annotations

import string
from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gongkai.publishing.scanner import Finding, FindingKind, mask_text, scan_text

# Written out here rather than imported, so the tests do not grade the scanner with its own code.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(first17: str) -> str:
    return (
        first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]
    )


def luhn_complete(body: str) -> str:
    digits = [int(d) for d in body]
    for index in range(len(digits) - 1, -1, -2):
        digits[index] = digits[index] * 2 - 9 if digits[index] > 4 else digits[index] * 2
    return body + str(-sum(digits) % 10)


def kinds(text: str) -> list[str]:
    return [str(finding.kind) for finding in scan_text(text)]


def only(text: str) -> Finding:
    findings = scan_text(text)
    assert len(findings) == 1, findings
    return findings[0]


# --- each kind ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "masked"),
    [
        # The example number of GB 11643 itself.
        ("身份证号：11010519491231002X。", "id_number", "11*************02X"),
        ("公民身份号码11010519491231002x", "id_number", "11*************02x"),
        ("证号 110105 19491231 002X 已核验", "id_number", "11*************02X"),
        ("旧身份证号110105491231002", "id_number", "11**********002"),
        ("联系电话：13812345678", "mobile", "138****5678"),
        ("手机 138-1234-5678。", "mobile", "138****5678"),
        ("手机 138 1234 5678", "mobile", "138****5678"),
        ("Tel: +86 19912345678", "mobile", "199****5678"),
        ("电话（+86）15912345678", "mobile", "159****5678"),
        ("电话１３８１２３４５６７８", "mobile", "138****5678"),
        ("办公电话：0631-8898088", "landline", "0631-****088"),
        ("办公电话：0631—8898088", "landline", "0631-****088"),
        ("传真：（0631）8898088", "landline", "0631-****088"),
        ("北京：010-65123456", "landline", "010-*****456"),
        ("座机06318898088", "landline", "0631-****088"),
        ("卡号：4111111111111111", "bank_card", "4111********1111"),
        ("邮箱 zhangsan@example.com 。", "email", "z***@example.com"),
        ("xxgk@wendeng.gov.cn", "email", "x***@wendeng.gov.cn"),
        ("家庭住址：山东省威海市文登区米山镇幸福村12号", "address", "山东省威海市文登区米山镇****"),
        ("住址：文登区龙山街道香山小区3号楼2单元301室", "address", "文登区龙山街道****"),
        ("地址：文登区米山路88号", "address", "文登区****"),
        ("机密★1年", "classification", "机密★1年"),
        ("秘密★6个月", "classification", "秘密★6个月"),
        ("绝密★长期", "classification", "绝密★长期"),
        ("密级：机密", "classification", "密级：机密"),
        ("【秘密】关于某事项的请示", "classification", "【秘密】"),
        ("内部资料 注意保存", "classification", "内部资料 注意保存"),
        ("文件标题\n  秘密  \n正文", "classification", "秘密"),
        ("标题\n★\n正文", "classification", "★"),
    ],
)
def test_each_kind_is_found_and_masked(text: str, kind: str, masked: str) -> None:
    finding = only(text)
    assert finding.kind == kind
    assert finding.masked == masked
    assert finding.suggestion
    assert finding.location == "第1行" or "\n" in text


def test_bank_cards_are_found_bare_and_grouped_in_fours() -> None:
    card = luhn_complete("622202123456789012")  # 19 digits
    grouped = " ".join(card[index : index + 4] for index in range(0, 19, 4))
    findings = scan_text(f"卡号{card}，另一张 {grouped} 。")
    assert [(f.kind, f.masked) for f in findings] == [
        ("bank_card", card[:4] + "*" * 11 + card[-4:]),
        ("bank_card", card[:4] + "*" * 11 + card[-4:]),
    ]


def test_a_roster_line_yields_each_item_in_order() -> None:
    card = luhn_complete("621700123456789")
    line = f"3  张三  11010519491231002X  13812345678  文登区米山镇幸福村12号  {card}  1,234.00元"
    assert kinds(line) == ["id_number", "mobile", "address", "bank_card"]


def test_an_email_made_of_a_phone_number_is_one_email() -> None:
    assert kinds("13812345678@163.com") == ["email"]


def test_findings_are_located_by_line() -> None:
    findings = scan_text("第一行\n第二行 13812345678\n\n13912345678")
    assert [finding.location for finding in findings] == ["第2行", "第4行"]
    located = scan_text("a\n13812345678", location="附件.pdf 第2页", number_lines=True)
    assert located[0].location == "附件.pdf 第2页 第2行"
    assert scan_text("13812345678", location="名单.xlsx Sheet1!B3")[0].location == (
        "名单.xlsx Sheet1!B3"
    )


def test_offsets_index_the_original_text() -> None:
    text = "电话：１３８１２３４５６７８。"
    finding = only(text)
    assert text[finding.start : finding.end] == "１３８１２３４５６７８"


# --- look-alikes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "编号11010519491231002Y",  # letters: not a number at all
        "证号110105194912310021",  # check digit should be X
        "证号110105194902300025",  # 30 February
        "证号910105194912310028",  # region code must start 1–8
        "订单号：20230512000011112222",  # 20 digits
        "流水号 1234567890123456789012345",  # a longer run of digits
        "号码1101051949123100211",  # 19 digits with an ID inside
        "卡号：4111111111111112",  # fails Luhn
        "统一社会信用代码：11441700007280420Y",
        "统一社会信用代码：91350100M000100Y43",
        "索引号：11441700007280420Y/2021-00050",
        "文号：文政发〔2023〕5号",
        "根据《中华人民共和国政府信息公开条例》（国务院令第711号）",
        "成文日期：2023-05-06，发布日期：2023年5月12日，20230512",
        "金额：1,234,567.89元，合计123456789.00元",
        "识别码10012345678、12012345678",
        "邮编：264400",
        "统一服务热线12345",
        "各单位要严格保守国家秘密，不得泄露商业秘密和工作秘密。",
        "机密文件管理办法（征求意见稿）",
        "群众满意度评价：★★★★★",
        "★ 重点任务：推进基层政务公开。",
        "地铁1号线及公交10路均可到达，5月3号开通。",
        "订单号：6222021234567890128",  # a record label wins over the digits
    ],
)
def test_look_alikes_are_not_reported(text: str) -> None:
    assert scan_text(text) == []


def test_an_id_shaped_number_with_a_wrong_check_digit_is_no_bank_card() -> None:
    # 18 digits, ID-shaped (region 440305 is a Visa prefix too), failing the ID check, passing Luhn.
    number = next(
        luhn_complete(body)
        for body in (f"440305194912310{sequence:02d}" for sequence in range(100))
        if luhn_complete(body) != with_check_digit(body)
    )
    assert kinds(f"号码{number}") == []
    assert kinds(f"银行卡号{number}") == ["bank_card"]


def test_a_column_header_gives_a_cell_its_label() -> None:
    card = luhn_complete("62220212345678901")
    assert kinds(card) == ["bank_card"]
    assert scan_text(card, context="档案编号") == []
    assert [str(f.kind) for f in scan_text(card, context="银行卡号")] == ["bank_card"]


# --- masking ------------------------------------------------------------------------------------


def test_mask_text_masks_every_personal_item_and_keeps_markings() -> None:
    text = "机密★1年\n申请人（11010519491231002X，13812345678，zhangsan@example.com）"
    masked = mask_text(text, scan_text(text))
    assert masked == "机密★1年\n申请人（11*************02X，138****5678，z***@example.com）"
    assert mask_text(text) == masked


def test_mask_text_refuses_findings_of_another_text() -> None:
    findings = scan_text("很长的一段文字，其中有手机号13812345678")
    with pytest.raises(ValueError):
        mask_text("短", findings)


# --- properties ---------------------------------------------------------------------------------

regions = st.sampled_from(["110101", "310104", "440305", "371081", "350102", "650102", "810000"])
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
separators = st.sampled_from(["", " ", "，", "：", "号码", "\n", "（"])


@settings(max_examples=200, deadline=None)
@given(regions, births, st.integers(0, 999), separators, separators)
def test_a_valid_id_is_always_found_and_never_shown(
    region: str, birth: object, sequence: int, before: str, after: str
) -> None:
    number = with_check_digit(f"{region}{birth:%Y%m%d}{sequence:03d}")
    text = f"申请人{before}{number}{after}联系"
    findings = scan_text(text)
    assert [str(f.kind) for f in findings] == ["id_number"]
    assert number not in mask_text(text, findings)
    assert number not in findings[0].masked


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.digits, min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_digits_failing_the_check_are_never_an_id(first17: str, last: str) -> None:
    assume(with_check_digit(first17)[-1] != last)
    assert "id_number" not in kinds(f"号码 {first17}{last} 。")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["62", "4", "51", "95"]), st.integers(16, 19), st.randoms())
def test_luhn_decides_a_bank_card(prefix: str, length: int, rng: object) -> None:
    digits = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))  # type: ignore[attr-defined]
    card = luhn_complete(digits)
    assert kinds(f"银行卡号：{card}。") == ["bank_card"]
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert "bank_card" not in kinds(f"银行卡号：{wrong}。")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from("3456789"), st.text(alphabet=string.digits, min_size=9, max_size=9))
def test_a_mobile_is_found_and_masked(second: str, rest: str) -> None:
    number = f"1{second}{rest}"
    finding = only(f"手机：{number}")
    assert finding.kind == FindingKind.MOBILE
    assert finding.masked == number[:3] + "****" + number[-4:]


# --- the corpus ---------------------------------------------------------------------------------


def test_a_small_corpus_meets_the_precision_and_recall_targets() -> None:
    from bench.scanner_eval import evaluate

    results = evaluate(text_documents=80, file_documents=3, seed=7)
    for kind in ("id_number", "mobile", "bank_card"):
        tally = results["total"][kind]
        assert tally.labelled > 50
        assert tally.recall >= 0.99, (kind, tally)
        assert tally.precision >= 0.95, (kind, tally)


def test_id_and_mobile_masks_are_the_platforms_one_masking() -> None:
    from gongkai.core import identifiers
    from gongkai.publishing import scanner

    assert scanner.mask_id is identifiers.mask_id
    assert scanner.mask_phone is identifiers.mask_phone
    assert not hasattr(scanner, "mask_mobile")
    findings = scan_text("身份证号11010519491231002X，手机13812345678")
    assert [finding.masked for finding in findings] == [
        identifiers.mask_id("11010519491231002X"),
        identifiers.mask_phone("13812345678"),
    ]
