"""Each rule of spec §6: a defective report fires it with its id, severity, cells and message; a
clean one does not."""

import datetime as dt
from dataclasses import replace

import pytest

from gongkai.reports import format as fmt
from gongkai.reports.renderers.html import render_tables
from gongkai.reports.rules import (
    Finding,
    Rule,
    Severity,
    check_carryover,
    check_channel_sums,
    check_fees_stated,
    check_format,
    check_publication_date,
    check_regulation_scope,
    check_report,
    check_text_against_tables,
    describe_cell,
    errors,
    merge_findings,
    old_format_findings,
    old_format_signs,
    parse_cell,
    parse_number,
    statutory_deadline,
)
from gongkai.reports.value import Agency, Table3, Table4, table3_from_counts
from tests.reports.factories import township_report, township_table3_counts, with_section


def only(findings: list[Finding], rule: Rule) -> list[Finding]:
    return [item for item in findings if item.rule is rule]


def with_cells(report, table_name, **changes):
    table = getattr(report, table_name)
    cells = dict(table.cells)
    for path, value in changes.items():
        key = path.replace("__", ".")
        if value is ...:
            del cells[key]
        else:
            cells[key] = value
    return replace(report, **{table_name: type(table)(cells)})


def test_the_consistent_township_report_has_no_findings():
    assert check_report(township_report()) == []


# --- SECTION-MISSING, TABLE-MISSING, ROW-MISSING --------------------------------------------------


def test_a_missing_section_is_an_error_naming_its_heading():
    report = township_report()
    sections = {key: text for key, text in report.sections.items() if key != "5"}
    findings = check_report(replace(report, sections=sections))
    assert findings == [
        Finding(
            Rule.SECTION_MISSING,
            Severity.ERROR,
            ("section.5",),
            "报告缺少第五部分“五、存在的主要问题及改进情况”",
        )
    ]


def test_an_empty_table_section_is_not_missing():
    report = with_section(township_report(), "2", "")
    assert only(check_report(report), Rule.SECTION_MISSING) == []


def test_missing_tables_are_errors_even_when_nothing_happened():
    findings = check_report(replace(township_report(), table3=None, table4=None))
    assert [(f.rule, f.severity, f.cells) for f in findings] == [
        (Rule.TABLE_MISSING, Severity.ERROR, ("table3",)),
        (Rule.TABLE_MISSING, Severity.ERROR, ("table4",)),
    ]
    assert findings[0].message == (
        "“三、收到和处理政府信息公开申请情况”部分缺少统计表（表三）；"
        "即使本年度没有发生，也应列出全表并逐项填写0"
    )


def test_a_missing_table3_row_is_reported_once():
    report = township_report()
    assert report.table3 is not None
    cells = {k: v for k, v in report.table3.cells.items() if not k.startswith("other_other.")}
    findings = only(check_report(replace(report, table3=Table3(cells))), Rule.ROW_MISSING)
    assert [(f.cells, f.message) for f in findings] == [
        (("table3.other_other",), "表三“（六）其他处理”中“3.其他”行缺失")
    ]


def test_a_missing_column_is_reported_once_with_all_its_cells():
    report = township_report()
    assert report.table4 is not None
    cells = {k: v for k, v in report.table4.cells.items() if not k.endswith(".pending")}
    findings = only(check_report(replace(report, table4=Table4(cells))), Rule.ROW_MISSING)
    assert [(f.cells, f.message) for f in findings] == [
        (
            (
                "table4.review.pending",
                "table4.litigation_direct.pending",
                "table4.litigation_after_review.pending",
            ),
            "表四缺少“尚未审结”列",
        )
    ]


def test_missing_table2_rows_and_columns_are_named():
    report = with_cells(township_report(), "table2", regulations__in_force=..., coercion=...)
    findings = only(check_report(report), Rule.ROW_MISSING)
    assert [(f.cells, f.message) for f in findings] == [
        (("table2.regulations.in_force",), "表二“规章”行缺少“现行有效件数”列"),
        (("table2.coercion",), "表二缺少“行政强制”行"),
    ]


def test_a_single_missing_cell_is_reported():
    report = with_cells(township_report(), "table3", other_other__total=...)
    findings = only(check_report(report), Rule.ROW_MISSING)
    assert [(f.cells, f.message) for f in findings] == [
        (("table3.other_other.total",), "表三“（六）其他处理”中“3.其他”行“总计”列缺失")
    ]


# --- CELL-BLANK, CELL-INVALID --------------------------------------------------------------------


def test_a_blank_cell_is_an_error_and_arithmetic_skips_it():
    report = with_cells(township_report(), "table3", granted__business=None)
    findings = check_report(report)
    assert [(f.rule, f.cells) for f in findings] == [
        (Rule.CELL_BLANK, ("table3.granted.business",))
    ]
    assert findings[0].message == (
        "表三“（一）予以公开”行“商业企业”列为空白或不是数字；没有发生的事项应填写0"
    )


def test_a_blank_fee_is_an_error():
    report = with_cells(township_report(), "table2", fees_wan_yuan=None)
    assert [(f.rule, f.cells) for f in check_report(report)] == [
        (Rule.CELL_BLANK, ("table2.fees_wan_yuan",))
    ]


def test_a_negative_count_is_invalid():
    report = with_cells(township_report(), "table4", litigation_direct__other=-1)
    findings = only(check_report(report), Rule.CELL_INVALID)
    assert [(f.severity, f.cells, f.message) for f in findings] == [
        (
            Severity.ERROR,
            ("table4.litigation_direct.other",),
            "表四“行政诉讼（未经复议直接起诉）”“其他结果”为负数（-1）",
        )
    ]


@pytest.mark.parametrize(("yuan", "shown"), [(-500, "-0.05万元"), (-100_000, "-10万元")])
def test_a_negative_fee_is_invalid_and_shown_in_wan_yuan(yuan, shown):
    report = with_cells(township_report(), "table2", fees_wan_yuan=yuan)
    findings = only(check_report(report), Rule.CELL_INVALID)
    assert [f.message for f in findings] == [
        f"表二“行政事业性收费”行“本年收费金额（单位：万元）”为负数（{shown}）"
    ]


@pytest.mark.parametrize(
    ("raw", "value"),
    [("0", 0), ("０", 0), ("1,234", 1234), ("１２件", 12), (" 7 ", 7), ("3\xa0", 3)],
)
def test_parse_cell_reads_printed_numbers(raw, value):
    assert parse_cell("table3.granted.total", raw) == (value, ())


@pytest.mark.parametrize("raw", ["", "/", "-", "无", "——", "约3"])
def test_parse_cell_turns_blanks_and_words_into_cell_blank(raw):
    value, findings = parse_cell("table3.granted.total", raw)
    assert value is None
    assert [(f.rule, f.cells) for f in findings] == [(Rule.CELL_BLANK, ("table3.granted.total",))]


def test_parse_cell_quotes_the_raw_text_of_a_blank():
    _, findings = parse_cell("table4.review.total", "/")
    assert findings[0].message == "表四“行政复议”“总计”为“/”，不是数字；没有发生的事项应填写0"


def test_parse_cell_flags_fractions_and_negatives_as_invalid():
    value, findings = parse_cell("table3.granted.total", "1.5")
    assert value is None
    assert [(f.rule, f.message) for f in findings] == [
        (Rule.CELL_INVALID, "表三“（一）予以公开”行“总计”列为“1.5”，件数应为整数")
    ]
    value, findings = parse_cell("table3.granted.total", "-2")
    assert value == -2
    assert [f.rule for f in findings] == [Rule.CELL_INVALID]


def test_merge_findings_drops_the_blank_that_parsing_already_called_invalid():
    _, parsed = parse_cell("table3.granted.total", "1.5")
    report = with_cells(township_report(), "table3", granted__total=None)
    merged = merge_findings(parsed, check_report(report), parsed)
    assert [f.rule for f in merged] == [Rule.CELL_INVALID]


# --- table arithmetic ----------------------------------------------------------------------------


def test_a_wrong_total_processed_breaks_three_identities():
    report = with_cells(township_report(), "table3", total_processed__natural_person=5)
    findings = check_report(report)
    assert [(f.rule, f.severity) for f in findings] == [
        (Rule.T3_TOTAL_COLUMN, Severity.ERROR),
        (Rule.T3_RESULT_SUM, Severity.ERROR),
        (Rule.T3_BALANCE, Severity.ERROR),
    ]
    total_column, result_sum, balance = findings
    assert total_column.message == "表三“（七）总计”行：“总计”为5，但各类申请人之和为6"
    assert total_column.cells[0] == "table3.total_processed.natural_person"
    assert len(total_column.cells) == 7
    assert result_sum.message == (
        "表三“自然人”列：“（七）总计”为5，但（一）至（六）各项办理结果之和为4"
    )
    assert len(result_sum.cells) == 22
    assert result_sum.cells[-1] == "table3.total_processed.natural_person"
    assert balance.message == (
        "表三“自然人”列：第一项（4）加第二项（1）之和为5，"
        "但第三项（七）总计（5）加第四项（1）之和为6"
    )
    assert balance.cells == (
        "table3.new_received.natural_person",
        "table3.carried_over.natural_person",
        "table3.total_processed.natural_person",
        "table3.carried_forward.natural_person",
    )


def test_a_row_total_that_is_not_the_sum_of_applicants():
    report = with_cells(township_report(), "table3", granted__total=3)
    findings = [f for f in check_report(report) if f.rule is Rule.T3_TOTAL_COLUMN]
    assert [f.message for f in findings] == [
        "表三“（一）予以公开”行：“总计”为3，但各类申请人之和为2"
    ]


def test_an_unbalanced_table3_fires_only_the_balance_rule():
    counts = township_table3_counts()
    counts["carried_forward"] = {"natural_person": 2}
    findings = check_report(replace(township_report(), table3=table3_from_counts(counts)))
    rules = [f.rule for f in findings]
    assert rules.count(Rule.T3_BALANCE) == 2  # 自然人 and 总计
    assert {f.cells[0] for f in findings if f.rule is Rule.T3_BALANCE} == {
        "table3.new_received.natural_person",
        "table3.new_received.total",
    }


def test_a_table4_total_that_is_not_the_sum_of_its_parts():
    report = with_cells(township_report(), "table4", litigation_after_review__total=2)
    findings = only(check_report(report), Rule.T4_TOTAL)
    assert [(f.severity, f.message) for f in findings] == [
        (
            Severity.ERROR,
            "表四“行政诉讼（复议后起诉）”：“总计”为2，但结果维持、结果纠正、其他结果、尚未审结之和为0",
        )
    ]
    assert findings[0].cells[-1] == "table4.litigation_after_review.total"


# --- OLD-FORMAT ----------------------------------------------------------------------------------


def test_a_2019_format_value_for_2023_is_an_old_format_error():
    findings = check_format(replace(township_report(), format=fmt.ReportFormat.F2019))
    assert [(f.rule, f.severity, f.message) for f in findings] == [
        (
            Rule.OLD_FORMAT,
            Severity.ERROR,
            "2023年度报告应使用2021年版格式（国办公开办函〔2021〕30号），"
            "但本报告使用的是2019年试行格式（国办公开办函〔2019〕60号）",
        )
    ]


def test_the_2019_format_is_right_for_2020():
    report = replace(township_report(), format=fmt.ReportFormat.F2019, year=2020)
    assert check_format(report) == []


OLD_TABLE_TEXT = """二、主动公开政府信息情况
第二十条第(一)项
信息内容
本年新制作数量
本年新公开数量
对外公开总数量
规章
0
0
0
规范性文件
1
1
5
第二十条第(九)项
信息内容
采购项目数量
采购总金额
政府集中采购
0
0
三、收到和处理政府信息公开申请情况
(六)其他处理
0
"""


def test_old_format_text_signs_are_found_in_scraped_text():
    signs = [sign.text for sign in old_format_signs(OLD_TABLE_TEXT)]
    assert signs == [
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "第二十条第（九）项",
        "政府集中采购",
        "规范性文件",
        "（六）其他处理",
    ]
    findings = old_format_findings(OLD_TABLE_TEXT, 2023)
    assert [(f.rule, f.cells) for f in findings] == [(Rule.OLD_FORMAT, ("table2", "table3"))]
    assert "“（六）其他处理”（未分列三个子项）" in findings[0].message


def test_labels_split_by_pdf_line_breaks_are_still_found():
    assert [s.text for s in old_format_signs("本年新制\n作数量 | 规章 | 0")] == ["本年新制作数量"]


def test_a_2021_format_document_shows_no_old_format_sign():
    text = render_tables(township_report()) + "\n本年制发规范性文件2件。"
    assert old_format_signs(text) == ()
    assert old_format_findings(OLD_TABLE_TEXT, 2020) == []


# --- CARRYOVER-MISMATCH --------------------------------------------------------------------------


def test_carry_over_must_equal_last_years_carry_forward():
    previous_counts = township_table3_counts()
    previous_counts["carried_forward"] = {"natural_person": 2}
    previous_counts["new_received"] = {"natural_person": 5, "business": 1}
    previous = replace(township_report(), year=2022, table3=table3_from_counts(previous_counts))
    findings = check_carryover(township_report(), previous)
    assert [(f.rule, f.severity, f.cells, f.message) for f in findings] == [
        (
            Rule.CARRYOVER_MISMATCH,
            Severity.ERROR,
            ("table3.carried_over.natural_person",),
            "表三“自然人”列：“二、上年结转政府信息公开申请数量”为1，"
            "但2022年度报告“四、结转下年度继续办理”为2",
        ),
        (
            Rule.CARRYOVER_MISMATCH,
            Severity.ERROR,
            ("table3.carried_over.total",),
            "表三“总计”列：“二、上年结转政府信息公开申请数量”为1，"
            "但2022年度报告“四、结转下年度继续办理”为2",
        ),
    ]


def test_matching_carry_over_and_no_previous_report_are_clean():
    previous = replace(township_report(), year=2022)  # carries 1 forward, as 2023 carries 1 over
    assert check_report(township_report(), previous=previous) == []
    assert check_carryover(township_report(), None) == []


# --- LATE-PUBLICATION ----------------------------------------------------------------------------


def test_the_statutory_deadline_is_31_january_of_the_next_year():
    assert statutory_deadline(2023) == dt.date(2024, 1, 31)


def test_publication_after_the_deadline_is_a_warning():
    report = township_report(published_on=dt.date(2024, 2, 1))
    assert [(f.rule, f.severity, f.message) for f in check_report(report)] == [
        (
            Rule.LATE_PUBLICATION,
            Severity.WARNING,
            "报告发布日期为2024年2月1日，晚于2024年1月31日的发布期限",
        )
    ]


def test_publication_on_the_deadline_day_is_on_time():
    assert check_publication_date(township_report(published_on=dt.date(2024, 1, 31))) == []


def test_a_jurisdiction_can_set_an_earlier_deadline():
    report = township_report(published_on=dt.date(2024, 1, 25))
    findings = check_publication_date(report, dt.date(2024, 1, 20))
    assert [f.message for f in findings] == [
        "报告发布日期为2024年1月25日，晚于2024年1月20日的发布期限"
    ]
    assert check_publication_date(replace(report, published_on=None)) == []


# --- T2-SCOPE ------------------------------------------------------------------------------------


def test_a_township_reporting_regulations_gets_a_scope_warning():
    report = with_cells(township_report(), "table2", regulations__issued=1, regulations__in_force=3)
    findings = check_report(report)
    assert [(f.rule, f.severity, f.cells, f.message) for f in findings] == [
        (
            Rule.T2_SCOPE,
            Severity.WARNING,
            ("table2.regulations.issued", "table2.regulations.in_force"),
            "本机关（乡镇人民政府）无权制定规章，但表二“规章”行填报了非零数字：本年制发件数1、现行有效件数3",
        )
    ]


def test_cities_and_empowered_departments_may_report_regulations():
    report = with_cells(township_report(), "table2", regulations__issued=1, regulations__in_force=1)
    city = replace(report, agency=Agency("威海市人民政府", fmt.AgencyLevel.CITY))
    ministry = replace(report, agency=Agency("某部", fmt.AgencyLevel.DEPARTMENT))
    assert check_regulation_scope(city) == []
    assert check_regulation_scope(ministry, can_make_regulations=True) == []
    assert [f.rule for f in check_regulation_scope(ministry)] == [Rule.T2_SCOPE]
    assert [f.rule for f in check_regulation_scope(city, can_make_regulations=False)] == [
        Rule.T2_SCOPE
    ]


# --- FEES-NOT-STATED -----------------------------------------------------------------------------


def test_section_six_without_fees_gets_a_warning():
    report = with_section(township_report(), "6", "本年度未承办人大代表建议和政协提案。")
    findings = check_fees_stated(report)
    assert [(f.rule, f.severity, f.cells) for f in findings] == [
        (Rule.FEES_NOT_STATED, Severity.WARNING, ("section.6",))
    ]
    assert findings[0].message.startswith("“六、其他需要报告的事项”部分没有说明信息处理费")


@pytest.mark.parametrize(
    "text",
    ["本年度未收取信息处理费。", "政府信息公开申请收费情况：无。", "未收取任何费用。"],
)
def test_any_statement_about_fees_satisfies_the_rule(text):
    assert check_fees_stated(with_section(township_report(), "6", text)) == []


# --- TEXT-TABLE-MISMATCH -------------------------------------------------------------------------


def text_findings(section_one: str) -> list[Finding]:
    return check_text_against_tables(with_section(township_report(), "1", section_one))


def test_a_stated_number_of_applications_must_match_table3():
    findings = text_findings("本年度共收到政府信息公开申请12件。")
    assert [(f.rule, f.severity, f.cells, f.message) for f in findings] == [
        (
            Rule.TEXT_TABLE_MISMATCH,
            Severity.WARNING,
            ("section.1", "table3.new_received.total"),
            "“一、总体情况”部分写明收到政府信息公开申请12件（“收到政府信息公开申请12件”），"
            "但表三“一、本年新收政府信息公开申请数量”行“总计”列为5",
        )
    ]


def test_received_may_include_last_years_carry_over():
    assert text_findings("本年度共受理政府信息公开申请6件。") == []  # 5 new + 1 carried over


def test_chinese_numerals_are_read():
    findings = text_findings("本年度收到政府信息公开申请五件，办结四件。")
    assert [f.message for f in findings] == [
        "“一、总体情况”部分写明办结政府信息公开申请4件（“办结四件”），"
        "但表三“（七）总计”行“总计”列为5"
    ]


def test_saying_no_application_was_received_contradicts_a_non_zero_table():
    findings = text_findings("本年度未收到政府信息公开申请。")
    assert [f.cells for f in findings] == [("section.1", "table3.new_received.total")]
    assert "写明没有收到政府信息公开申请" in findings[0].message


def test_carry_over_and_carry_forward_are_told_apart():
    findings = text_findings("上年结转2件，结转下年度继续办理3件。")
    assert [f.cells[1] for f in findings] == [
        "table3.carried_over.total",
        "table3.carried_forward.total",
    ]


def test_review_and_litigation_counts_are_checked_against_table4():
    findings = text_findings("全年发生政府信息公开行政复议2起，行政诉讼1起。")
    assert [f.message for f in findings] == [
        "“一、总体情况”部分写明政府信息公开行政复议案件2起（“行政复议2起”），"
        "但表四“行政复议”“总计”为1",
        "“一、总体情况”部分写明政府信息公开行政诉讼案件1起（“行政诉讼1起”），"
        "但表四“行政诉讼（未经复议直接起诉）”“总计”与表四“行政诉讼（复议后起诉）”“总计”之和为0",
    ]


def test_saying_no_review_happened_contradicts_table4():
    findings = text_findings("未发生政府信息公开行政复议、行政诉讼案件。")
    assert [f.cells for f in findings] == [("section.1", "table4.review.total")]


def test_normative_document_counts_are_checked_against_table2():
    findings = text_findings("本年制发行政规范性文件3件，现行有效规范性文件7件。")
    assert [f.cells for f in findings] == [("section.1", "table2.normative_documents.issued")]


@pytest.mark.parametrize(
    "text",
    [
        "没有收到申请人的补正材料。",
        "按时办结率100%。",
        "办结的5件申请中，予以公开2件。",
        "公开规范性文件12件。",
        "2023年结转至下一年度办理的申请1件。",
    ],
)
def test_sentences_that_state_no_table_figure_are_left_alone(text):
    assert text_findings(text) == []


def test_prose_is_not_compared_with_a_missing_table():
    report = with_section(
        replace(township_report(), table3=None), "1", "收到政府信息公开申请12件。"
    )
    assert check_text_against_tables(report) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), ("1,234", 1234), ("十二", 12), ("一百零五", 105), ("两", 2), ("二十", 20)],
)
def test_parse_number_reads_arabic_and_chinese_numerals(text, number):
    assert parse_number(text) == number


# --- CHANNEL-SUM ---------------------------------------------------------------------------------

SEED_LIKE = (
    "本年度通过各类媒体渠道公开政府信息465篇，其中通过“历史风韵 文化宋村”微信公众号发布信息346条，"
    "总阅读量42万；通过区政府网站发布公示公告6条、机构职能11条、人事信息14条、工作动态30条、"
    "重点领域信息公开1条、政务公开组织推进1条、财政预决算2条。"
)


def channel_findings(text: str) -> list[Finding]:
    return check_channel_sums(with_section(township_report(), "1", text))


def test_a_breakdown_that_does_not_add_up_is_a_channel_sum_warning():
    findings = channel_findings(SEED_LIKE)
    assert [(f.rule, f.severity, f.cells, f.message) for f in findings] == [
        (
            Rule.CHANNEL_SUM,
            Severity.WARNING,
            ("section.1",),
            "“一、总体情况”部分：总数为465篇，但其后所列各项之和为411（346+6+11+14+30+1+1+2）",
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        "新增主动公开政府信息130条，具体包括年报1条，机构职能1条，政务活动25条，招标投标98条，"
        "财政预决算2条，财政信息2条，人事信息1条。",
        "公开信息465条，其中微信346条，网站119条，其中公示公告60条、工作动态59条。",
        "微信发布346条，其中原创100条、转载246条；网站发布65条，其中公告6条、动态59条。",
        "公开信息100条，其中公示公告6条、工作动态30条等。",
        "公开信息100条，其中通过网站发布60条。",
        "依据《条例》第20条，公开信息10条，其中公告3条、动态7条。",
        "公开信息1.2万条，其中网站8000条、微信4000条。",
    ],
)
def test_breakdowns_that_add_up_or_are_not_exhaustive_are_clean(text):
    assert channel_findings(text) == []


def test_a_nested_breakdown_is_checked_on_its_own():
    findings = channel_findings(
        "公开信息465条，其中微信346条，网站119条，其中公示公告60条、工作动态50条。"
    )
    assert [f.message for f in findings] == [
        "“一、总体情况”部分：总数为119条，但其后所列各项之和为110（60+50）"
    ]


# --- the seed report and helpers -----------------------------------------------------------------


def test_a_report_published_without_tables_fails_with_table_missing_and_channel_sum():
    report = replace(
        with_section(township_report(), "1", SEED_LIKE), table2=None, table3=None, table4=None
    )
    findings = check_report(report)
    assert [(f.rule, f.cells) for f in findings] == [
        (Rule.TABLE_MISSING, ("table2",)),
        (Rule.TABLE_MISSING, ("table3",)),
        (Rule.TABLE_MISSING, ("table4",)),
        (Rule.CHANNEL_SUM, ("section.1",)),
    ]
    assert [f.rule for f in errors(findings)] == [Rule.TABLE_MISSING] * 3


def test_findings_serialise_to_the_checker_shape():
    finding = Finding(Rule.T4_TOTAL, Severity.ERROR, ("table4.review.total",), "表四")
    assert finding.to_json() == {
        "rule": "T4-TOTAL",
        "severity": "error",
        "cells": ["table4.review.total"],
        "message": "表四",
    }


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("section.3", "“三、收到和处理政府信息公开申请情况”部分"),
        ("table2", "表二"),
        ("table2.licensing", "表二“行政许可”行“本年处理决定数量”"),
        ("table2.regulations.repealed", "表二“规章”行“本年废止件数”"),
        ("table3.granted.total", "表三“（一）予以公开”行“总计”列"),
        (
            "table3.denied_state_secret.research",
            "表三“（三）不予公开”中“1.属于国家秘密”行“科研机构”列",
        ),
        ("table4.review", "表四“行政复议”"),
        ("table4.litigation_after_review.upheld", "表四“行政诉讼（复议后起诉）”“结果维持”"),
    ],
)
def test_describe_cell_names_cells_as_a_reader_would(address, name):
    assert describe_cell(address) == name
