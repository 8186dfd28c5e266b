"""Report values for the reports tests: a complete, consistent township report and variations."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from gongkai.reports import format as fmt
from gongkai.reports.value import (
    Agency,
    AnnualReport,
    Table2,
    table3_from_counts,
    table4_from_counts,
)

TOWNSHIP = Agency("威海市文登区宋村镇人民政府", fmt.AgencyLevel.TOWNSHIP)

PREAMBLE = (
    "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开"
    "工作年度报告格式》要求，编制本报告。\n"
    "本报告所列数据统计期限自2023年1月1日起至2023年12月31日止。报告电子版可在威海市文登区人民政府"
    "门户网站政府信息公开栏查阅或下载。如对本报告有疑问，请与宋村镇人民政府办公室联系"
    "（地址：威海市文登区宋村镇昌阳路10号，电话：0631-8898088）。"
)

SECTIONS = {
    "0": PREAMBLE,
    "1": (
        "2023年，我镇认真贯彻《条例》，持续完善政府信息公开制度，主动公开、依申请公开、"
        "信息管理、平台建设和监督保障各项工作稳步推进。\n"
        "（一）主动公开情况。全年通过政府网站和政务新媒体公开政府信息120条，其中政府网站发布80条，"
        "微信公众号发布40条。\n"
        "（二）依申请公开情况。本年度共收到政府信息公开申请5件，上年结转1件，办结5件，"
        "结转下年度继续办理1件。\n"
        "（三）政府信息管理情况。严格落实公开前保密审查制度，确保公开信息不涉密。\n"
        "（四）平台建设情况。依托区政府门户网站政府信息公开专栏，及时更新工作动态。\n"
        "（五）监督保障情况。将政务公开工作纳入年度考核，定期调度推进。"
    ),
    "2": "",
    "3": "",
    "4": "本年度发生政府信息公开行政复议1件，未发生行政诉讼。",
    "5": (
        "我镇政务公开工作仍存在公开内容不够丰富、解读形式较为单一等问题。"
        "下一步将加强业务培训，拓展公开深度和广度。"
    ),
    "6": (
        "（一）信息处理费收取情况：本年度未收取信息处理费。\n"
        "（二）人大代表建议和政协提案办理情况：本年度未承办人大代表建议和政协提案。\n"
        "（三）政务公开工作要点落实情况：按照区政务公开工作要点逐项落实。"
    ),
}


def township_table3_counts() -> dict[str, dict[str, int]]:
    """5 new + 1 carried over = 5 processed + 1 carried forward, split across applicant columns."""
    return {
        "new_received": {"natural_person": 4, "business": 1},
        "carried_over": {"natural_person": 1},
        "granted": {"natural_person": 2},
        "partial": {"business": 1},
        "unable_not_held": {"natural_person": 1},
        "rejected_petition": {"natural_person": 1},
        "carried_forward": {"natural_person": 1},
    }


def township_report(**changes: object) -> AnnualReport:
    """A complete 2021-format township report for 2023 that passes every rule."""
    report = AnnualReport(
        format=fmt.ReportFormat.F2021,
        agency=TOWNSHIP,
        year=2023,
        published_on=dt.date(2024, 1, 25),
        sections=SECTIONS,
        table2=Table2.build(
            normative_documents=(2, 1, 7),
            licensing=35,
            punishment=30,
            coercion=0,
            fees_yuan=12_345,
        ),
        table3=table3_from_counts(township_table3_counts()),
        table4=table4_from_counts({"review": {"upheld": 1}}),
    )
    return replace(report, **changes)  # type: ignore[arg-type]


def with_section(report: AnnualReport, number: str, text: str) -> AnnualReport:
    return replace(report, sections={**report.sections, number: text})


def official_labels() -> list[str]:
    """Every official label of the 2021 format, as `format.py` holds them (deduplicated)."""
    labels = [section.heading for section in fmt.SECTIONS]
    for group in fmt.T2_GROUPS:
        labels += [group.header, *group.column_labels, *(item.label for item in group.items)]
    labels += [fmt.T3_CORNER_LABEL, fmt.T3_HEADER_LABEL, fmt.T3_ORGANISATION_GROUP_LABEL]
    labels += [column.label for column in fmt.T3_COLUMNS]
    labels += [label for row in fmt.T3_ROWS for label in row.labels]
    labels += [group.label for group in fmt.T4_GROUPS]
    labels += [group.sublabel for group in fmt.T4_GROUPS if group.sublabel]
    labels += [column.label for column in fmt.T4_COLUMNS]
    return list(dict.fromkeys(labels))
