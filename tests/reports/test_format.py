"""The 2021 format as data: labels, keys and the merged layout of table 3 (spec §1–§4)."""

from gongkai.reports import format as fmt
from tests.reports.factories import official_labels


def test_the_six_section_headings_are_the_official_ones():
    assert [section.heading for section in fmt.SECTIONS] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert [section.table for section in fmt.SECTIONS] == [
        None,
        "table2",
        "table3",
        "table4",
        None,
        None,
    ]


def test_table2_groups_have_headers_column_labels_and_items():
    assert [group.header for group in fmt.T2_GROUPS] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert fmt.T2_GROUPS[0].column_labels == (
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    )
    assert fmt.T2_GROUPS[3].column_labels == ("信息内容", "本年收费金额（单位：万元）")
    assert [(item.key, item.label) for item in fmt.T2_ITEMS] == [
        ("regulations", "规章"),
        ("normative_documents", "行政规范性文件"),
        ("licensing", "行政许可"),
        ("punishment", "行政处罚"),
        ("coercion", "行政强制"),
        ("fees_wan_yuan", "行政事业性收费"),
    ]


def test_table2_cell_paths_follow_the_spec_keys():
    assert fmt.T2_PATHS == (
        "regulations.issued",
        "regulations.repealed",
        "regulations.in_force",
        "normative_documents.issued",
        "normative_documents.repealed",
        "normative_documents.in_force",
        "licensing",
        "punishment",
        "coercion",
        "fees_wan_yuan",
    )


def test_table3_has_seven_columns_under_the_applicant_header():
    assert fmt.T3_HEADER_LABEL == "申请人情况"
    assert fmt.T3_ORGANISATION_GROUP_LABEL == "法人或其他组织"
    assert fmt.T3_CORNER_LABEL == (
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    )
    assert [(c.key, c.label, c.is_organisation) for c in fmt.T3_COLUMNS] == [
        ("natural_person", "自然人", False),
        ("business", "商业企业", True),
        ("research", "科研机构", True),
        ("public_interest", "社会公益组织", True),
        ("legal_services", "法律服务机构", True),
        ("other_org", "其他", True),
        ("total", "总计", False),
    ]


def test_table3_has_25_rows_in_the_official_order():
    assert len(fmt.T3_ROWS) == 25
    assert fmt.T3_ROW_KEYS[:4] == ("new_received", "carried_over", "granted", "partial")
    assert fmt.T3_ROW_KEYS[-2:] == ("total_processed", "carried_forward")
    assert fmt.T3_ROW_BY_KEY["denied_security_stability"].labels == (
        "三、本年度办理结果",
        "（三）不予公开",
        "3.危及“三安全一稳定”",
    )
    assert fmt.T3_ROW_BY_KEY["partial"].label == (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    )
    assert fmt.T3_ROW_BY_KEY["other_no_fee"].label == (
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    )
    assert fmt.T3_ROW_BY_KEY["carried_forward"].labels == ("四、结转下年度继续办理",)


def test_the_21_result_rows_run_from_granted_to_other_other():
    assert len(fmt.T3_RESULT_ROWS) == 21
    assert fmt.T3_RESULT_ROWS[0] == "granted"
    assert fmt.T3_RESULT_ROWS[-1] == "other_other"
    assert "total_processed" not in fmt.T3_RESULT_ROWS


def test_table3_label_layout_merges_cells_as_the_official_table():
    layout = dict(zip(fmt.T3_ROW_KEYS, fmt.t3_label_layout(), strict=True))
    spans = {cell.text: (cell.rowspan, cell.colspan) for cells in layout.values() for cell in cells}
    assert spans["三、本年度办理结果"] == (22, 1)
    assert spans["（三）不予公开"] == (8, 1)
    assert spans["（四）无法提供"] == (3, 1)
    assert spans["（五）不予处理"] == (5, 1)
    assert spans["（六）其他处理"] == (3, 1)
    assert spans["一、本年新收政府信息公开申请数量"] == (1, 3)
    assert spans["二、上年结转政府信息公开申请数量"] == (1, 3)
    assert spans["四、结转下年度继续办理"] == (1, 3)
    assert spans["（一）予以公开"] == (1, 2)
    assert spans["（七）总计"] == (1, 2)
    assert spans["1.属于国家秘密"] == (1, 1)
    # Rows inside a merged group start no cell for the merged levels.
    assert [cell.text for cell in layout["denied_law_forbidden"]] == ["2.其他法律行政法规禁止公开"]
    assert [cell.text for cell in layout["granted"]] == ["三、本年度办理结果", "（一）予以公开"]


def test_every_row_of_table3_fills_exactly_three_label_columns():
    covered: dict[int, int] = {}
    for index, cells in enumerate(fmt.t3_label_layout()):
        for cell in cells:
            for row in range(index, index + cell.rowspan):
                covered[row] = covered.get(row, 0) + cell.colspan
    assert covered == dict.fromkeys(range(25), 3)


def test_table4_has_three_groups_of_five_columns():
    assert [(g.key, g.label, g.sublabel) for g in fmt.T4_GROUPS] == [
        ("review", "行政复议", None),
        ("litigation_direct", "行政诉讼", "未经复议直接起诉"),
        ("litigation_after_review", "行政诉讼", "复议后起诉"),
    ]
    assert [(c.key, c.label) for c in fmt.T4_COLUMNS] == [
        ("upheld", "结果维持"),
        ("corrected", "结果纠正"),
        ("other", "其他结果"),
        ("pending", "尚未审结"),
        ("total", "总计"),
    ]


def test_labels_use_full_width_punctuation_only():
    for label in official_labels():
        assert not set(label) & set("(),:;"), label


def test_old_format_signs_cover_the_2019_trial_format():
    assert [sign.text for sign in fmt.OLD_FORMAT_SIGNS] == [
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "其他对外管理服务事项",
        "第二十条第（九）项",
        "政府集中采购",
    ]
    assert fmt.OLD_FORMAT_BARE_ROW.text == "规范性文件"
    assert fmt.OLD_FORMAT_UNSPLIT_ROW.text == "（六）其他处理"


def test_only_provinces_and_cities_make_regulations_by_default():
    assert {fmt.AgencyLevel.PROVINCE, fmt.AgencyLevel.CITY} == fmt.LEVELS_THAT_MAKE_REGULATIONS
