"""Demo 主动公开 data: columns for every agency, 宋村镇's 2023 catalogue and channel statistics,
a few items elsewhere, table-2 registers, and one draft blocked by a planted ID number.

宋村镇's 2023 figures reproduce section 一 of its published report (examples/seed-songcun-2023.txt):
465 items across channels, of which 346 on the WeChat account “历史风韵 文化宋村” (420,000 reads) and
65 on the district website (公示公告 6, 机构职能 11, 人事信息 14, 工作动态 30, 重点领域信息公开 1,
政务公开组织推进 1, 财政预决算 2). The report does not say where the other 465 − 346 − 65 = 54 went;
the demo puts them on the town's 政务公开栏 (an "other" channel with no read counts).

The 政策解读 example is one of those 65 items, not an extra one: the town's 低保 item (重点领域信息公开)
is filed as the 政策解读 of 文登区民政局's 最低生活保障审核确认实施细则, published a week after it. The
report counts items by column and 规章/规范性文件 by kind, so neither the 465 nor any table changes.

Every title and text here is written for the demo. Catalogue items are loaded through
`items_import_published` (one audit row per item); the rest goes through the ordinary services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency, Department
from gongkai.core import clock
from gongkai.publishing.models import (
    Channel,
    ChannelKind,
    ChannelMonthlyStat,
    Column,
    DocKind,
    Item,
    ItemStatus,
    RegisterYear,
)
from gongkai.publishing.scanner import id_check_char
from gongkai.publishing.services import (
    PublishedRow,
    channel_create,
    channel_stat_set,
    columns_ensure_default,
    item_create,
    items_import_published,
    register_set,
)

YEAR = 2023

SONGCUN_2023: dict[str, tuple[str, ...]] = {
    "gsgg": (
        "宋村镇2023年春季森林防火禁火令",
        "宋村镇关于开展农村集体“三资”清理工作的公告",
        "宋村镇2023年度耕地地力保护补贴发放情况公示",
        "宋村镇关于汛期安全防范的通告",
        "宋村镇2023年农村改厕后续管护服务公示",
        "宋村镇关于冬季清洁取暖安全使用的提示",
    ),
    "jgzn": (
        "宋村镇人民政府主要职责",
        "宋村镇人民政府机构设置",
        "宋村镇人民政府领导分工",
        "宋村镇党政办公室职责",
        "宋村镇经济发展办公室职责",
        "宋村镇社会事务办公室职责",
        "宋村镇财政所职责",
        "宋村镇便民服务中心职责及办事指南",
        "宋村镇综合行政执法办公室职责",
        "宋村镇应急管理办公室职责",
        "宋村镇人民政府办公地址、办公时间及联系方式",
    ),
    "rsxx": (
        "宋村镇2023年第一批城乡公益性岗位招聘公告",
        "宋村镇2023年第一批城乡公益性岗位拟聘用人员公示",
        "宋村镇2023年第二批城乡公益性岗位招聘公告",
        "宋村镇2023年第二批城乡公益性岗位拟聘用人员公示",
        "宋村镇2023年第三批城乡公益性岗位招聘公告",
        "宋村镇2023年第三批城乡公益性岗位拟聘用人员公示",
        "宋村镇2023年网格员招聘公告",
        "宋村镇2023年网格员拟聘用人员公示",
        "宋村镇2023年村级后备力量选拔公告",
        "宋村镇2023年村级后备力量拟选拔人员公示",
        "宋村镇2023年度事业单位公开招聘岗位说明",
        "宋村镇2023年度事业单位拟聘用人员公示",
        "宋村镇2023年度干部教育培训计划",
        "宋村镇人民政府领导干部任职情况",
    ),
    "gzdt": (
        "宋村镇召开2023年全镇工作会议",
        "宋村镇开展春节前安全生产大检查",
        "宋村镇组织元宵节文化活动",
        "宋村镇部署春季森林防火工作",
        "宋村镇开展“学雷锋”志愿服务活动",
        "宋村镇推进春季农村人居环境整治",
        "宋村镇召开清明节期间森林防火调度会",
        "宋村镇开展防范电信诈骗宣传",
        "宋村镇组织春耕生产技术培训",
        "宋村镇开展燃气安全专项排查",
        "宋村镇举办“五一”劳动模范座谈会",
        "宋村镇部署防汛准备工作",
        "宋村镇开展食品安全宣传周活动",
        "宋村镇组织“三夏”农机安全检查",
        "宋村镇召开农村集体经济发展推进会",
        "宋村镇开展汛期地质灾害隐患排查",
        "宋村镇组织“七一”主题党日活动",
        "宋村镇开展防溺水安全教育",
        "宋村镇推进乡村振兴示范片区建设",
        "宋村镇召开秋季森林防火工作会议",
        "宋村镇开展“中秋、国庆”节前安全检查",
        "宋村镇组织重阳节敬老活动",
        "宋村镇开展秋季农作物秸秆禁烧巡查",
        "宋村镇推进冬季清洁取暖改造",
        "宋村镇开展企业安全生产培训",
        "宋村镇召开农村“三资”管理工作会议",
        "宋村镇组织冬季征兵宣传",
        "宋村镇开展冬季消防安全检查",
        "宋村镇召开年终工作总结会议",
        "宋村镇开展岁末年初安全生产专项整治",
    ),
    "zdly": ("宋村镇2023年农村低保、特困供养政策及办理流程",),
    "zwgkzztj": ("宋村镇2023年政务公开工作要点",),
    "czyjs": ("宋村镇2023年部门预算公开", "宋村镇2022年部门决算公开"),
}

SONGCUN_CHANNELS: tuple[tuple[str, str, int, int], ...] = (
    # kind, name, items in 2023, reads in 2023 (the website's items come from the catalogue)
    (ChannelKind.WEBSITE, "威海市文登区人民政府网站", 0, 0),
    (ChannelKind.WECHAT, "历史风韵 文化宋村", 346, 420_000),
    (ChannelKind.OTHER, "宋村镇政务公开栏", 54, 0),
)

# 宋村镇's 政策解读: (its title in SONGCUN_2023, the policy document it interprets, its publication).
SONGCUN_INTERPRETATION = (
    "宋村镇2023年农村低保、特困供养政策及办理流程",
    "文登区最低生活保障审核确认实施细则",
    dt.datetime(2023, 5, 16, 10, 0, tzinfo=clock.SHANGHAI),
)

SONGCUN_REGISTER_2023 = {"licensing": 12, "punishment": 3, "coercion": 0, "fees_fen": 0}

OTHER_ITEMS: dict[str, tuple[tuple[str, str, str, dt.date], ...]] = {
    # slug: (column slug, title, doc kind, date published)
    "wendeng": (
        (
            "zcwj",
            "文登区村级公益事业建设一事一议财政奖补管理办法",
            DocKind.NORMATIVE,
            dt.date(2023, 3, 15),
        ),
        ("gzdt", "文登区召开2023年政务公开工作会议", DocKind.OTHER, dt.date(2023, 4, 12)),
    ),
    "gaocun": (
        ("jgzn", "高村镇人民政府主要职责", DocKind.OTHER, dt.date(2023, 2, 10)),
        ("gzdt", "高村镇开展春季农村人居环境整治", DocKind.OTHER, dt.date(2023, 3, 20)),
    ),
    "zeku": (
        ("jgzn", "泽库镇人民政府主要职责", DocKind.OTHER, dt.date(2023, 2, 14)),
        ("gsgg", "泽库镇2023年耕地地力保护补贴发放情况公示", DocKind.OTHER, dt.date(2023, 6, 8)),
    ),
    "minzheng": (
        ("zcwj", "文登区最低生活保障审核确认实施细则", DocKind.NORMATIVE, dt.date(2023, 5, 9)),
        ("zdly", "文登区2023年特困人员救助供养标准", DocKind.OTHER, dt.date(2023, 7, 3)),
        ("jgzn", "文登区民政局主要职责", DocKind.OTHER, dt.date(2023, 1, 16)),
    ),
}

DOC_NUMBERS = {"wendeng": "文政发〔2023〕3号", "minzheng": "文民发〔2023〕5号"}

DRAFT_TITLE = "宋村镇2024年临时救助对象公示（草稿）"


def planted_id_number() -> str:
    """A made-up resident ID number with a correct check digit (文登区 region code), so that the
    scanner blocks the demo draft until it is masked. It belongs to nobody."""
    first17 = "37108119800101123"
    return first17 + id_check_char(first17)


def _published_at(index: int, count: int) -> dt.datetime:
    """Spread `count` items over 2023, on weekdays, during office hours."""
    day = dt.date(YEAR, 1, 3) + dt.timedelta(days=(index * 360) // max(count, 1))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9 + index % 8, (index * 7) % 60), tzinfo=clock.SHANGHAI)


def _summary(title: str) -> str:
    return f"{title}。本条信息由机关依照《中华人民共和国政府信息公开条例》主动公开。"


def _body(title: str) -> str:
    return (
        f"<p>{title}。</p><p>本信息为演示数据，内容系为演示平台功能而编写，"
        "如需了解有关情况，请在工作日与机关办公室联系。</p>"
    )


def _columns(agency: Agency) -> dict[str, Column]:
    columns_ensure_default(actor=None, agency=agency)
    return {c.slug: c for c in Column.objects.filter(agency=agency)}


def _load_songcun(agency: Agency) -> None:
    columns = _columns(agency)
    start = clock.start_of_day(dt.date(YEAR, 1, 1))
    end = clock.start_of_day(dt.date(YEAR + 1, 1, 1))
    if not Item.objects.filter(
        agency=agency, published_at__gte=start, published_at__lt=end
    ).exists():
        department = Department.objects.filter(agency=agency).order_by("id").first()
        reading, policy_title, reading_at = SONGCUN_INTERPRETATION
        policy = Item.objects.filter(title=policy_title, status=ItemStatus.PUBLISHED).first()
        rows = []
        for slug, titles in SONGCUN_2023.items():
            for index, title in enumerate(titles):
                published_at = _published_at(index, len(titles))
                doc_kind: str = DocKind.OTHER
                interprets: tuple[Item, ...] = ()
                if title == reading and policy is not None:
                    published_at, doc_kind, interprets = (
                        reading_at,
                        DocKind.INTERPRETATION,
                        (policy,),
                    )
                rows.append(
                    PublishedRow(
                        column=columns[slug],
                        title=title,
                        summary=_summary(title),
                        body=_body(title),
                        published_at=published_at,
                        formed_on=clock.civil_date(published_at) - dt.timedelta(days=3),
                        written_on=clock.civil_date(published_at) - dt.timedelta(days=3),
                        department=department,
                        doc_kind=doc_kind,
                        interprets=interprets,
                    )
                )
        rows.sort(key=lambda row: row.published_at)
        items_import_published(actor=None, agency=agency, rows=rows)
    for order, (kind, name, items, reads) in enumerate(SONGCUN_CHANNELS, 1):
        channel = Channel.objects.filter(agency=agency, name=name).first()
        if channel is None:
            channel = channel_create(actor=None, agency=agency, kind=kind, name=name, order=order)
        if (items or reads) and not ChannelMonthlyStat.objects.filter(
            channel=channel, year=YEAR
        ).exists():
            for month in range(1, 13):
                # Spread the yearly totals over the months; the remainders go to the first months.
                channel_stat_set(
                    actor=None,
                    channel=channel,
                    year=YEAR,
                    month=month,
                    items=items // 12 + (1 if month <= items % 12 else 0),
                    reads=reads // 12 + (1 if month <= reads % 12 else 0),
                )
    if not RegisterYear.objects.filter(agency=agency, year=YEAR).exists():
        register_set(actor=None, agency=agency, year=YEAR, **SONGCUN_REGISTER_2023)
    _load_draft(agency, columns)


def _load_draft(agency: Agency, columns: dict[str, Column]) -> None:
    if Item.objects.filter(agency=agency, title=DRAFT_TITLE).exists():
        return
    clerk = get_user_model().objects.filter(username=f"{agency.slug}_clerk").first()
    if clerk is None:
        return
    item_create(
        actor=clerk,
        agency=agency,
        column=columns["gsgg"],
        title=DRAFT_TITLE,
        formed_on=clock.today(),
        summary="经村级评议、镇审核，拟对以下临时救助对象予以公示。",
        body=(
            "<p>经村级评议、镇审核，拟对以下临时救助对象予以公示，公示期5个工作日。</p>"
            f"<p>申请人：王某某，身份证号：{planted_id_number()}，救助金额：2000元。</p>"
            "<p>如有异议，请在公示期内向镇社会事务办公室反映。</p>"
        ),
        department=Department.objects.filter(agency=agency).order_by("id").first(),
    )


def _load_other(agency: Agency) -> None:
    columns = _columns(agency)
    specs = OTHER_ITEMS.get(agency.slug, ())
    titles = set(Item.objects.filter(agency=agency).values_list("title", flat=True))
    rows = []
    for index, (slug, title, doc_kind, day) in enumerate(specs):
        if title in titles:
            continue
        published_at = dt.datetime.combine(day, dt.time(10, index * 5), tzinfo=clock.SHANGHAI)
        rows.append(
            PublishedRow(
                column=columns[slug],
                title=title,
                summary=_summary(title),
                body=_body(title),
                published_at=published_at,
                formed_on=day - dt.timedelta(days=2),
                written_on=day - dt.timedelta(days=2),
                doc_kind=doc_kind,
                doc_number=DOC_NUMBERS.get(agency.slug, "")
                if doc_kind == DocKind.NORMATIVE
                else "",
            )
        )
    if rows:
        items_import_published(actor=None, agency=agency, rows=rows)


def load(agencies: dict[str, Any]) -> None:
    """Idempotent: creates only what is missing. 宋村镇 comes last: its 政策解读 interprets a
    document of 文登区民政局."""
    for slug, agency in agencies.items():
        if slug != "songcun":
            _load_other(agency)
    if "songcun" in agencies:
        _load_songcun(agencies["songcun"])
