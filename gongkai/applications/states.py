"""The state machine of an application for information, as plain data.

`TRANSITIONS` maps each kind of ledger event to the statuses it may start from and the status it
leads to (None: the status stays, e.g. an extension). `services.application_transition` is the only
function that changes an application's status; it consults this table and nothing else.

Reply types (`REPLY_TYPES`) are our names for the decisions an office can write; each lands in
exactly one row of the annual report's table 3 (procedures.md §4). The rows' official labels live in
`reports/format.py`; here we keep only their keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.db import models


class Status(models.TextChoices):
    RECEIVED = "received", "已收到"
    AWAITING_CORRECTION = "awaiting_correction", "待补正"
    IN_PROGRESS = "in_progress", "办理中"
    AWAITING_OPINION = "awaiting_opinion", "征求意见中"
    AWAITING_FEE = "awaiting_fee", "待缴费"
    REPLIED = "replied", "已答复"
    LAPSED = "lapsed", "已终止"
    WITHDRAWN = "withdrawn", "已撤回"
    CLOSED = "closed", "已归档"


class EventKind(models.TextChoices):
    RECEIVED = "received", "收到申请"
    ASSIGNED = "assigned", "分办"
    CORRECTION_REQUESTED = "correction_requested", "告知补正"
    CORRECTION_RECEIVED = "correction_received", "收到补正"
    EXTENDED = "extended", "延长答复期限"
    PAUSED = "paused", "暂停计时（征求意见）"
    RESUMED = "resumed", "恢复计时"
    FEE_NOTIFIED = "fee_notified", "发出收费通知"
    FEE_PAID = "fee_paid", "缴纳信息处理费"
    REPLIED = "replied", "作出答复"
    LAPSED = "lapsed", "终止办理"
    WITHDRAWN = "withdrawn", "申请人撤回"
    TRANSFERRED = "transferred", "转办"
    CLOSED = "closed", "归档"
    DEADLINE_RECOMPUTED = "deadline_recomputed", "期限重新计算"


OPEN_STATUSES: Final[frozenset[str]] = frozenset(
    {
        Status.RECEIVED,
        Status.AWAITING_CORRECTION,
        Status.IN_PROGRESS,
        Status.AWAITING_OPINION,
        Status.AWAITING_FEE,
    }
)
FINISHED_STATUSES: Final[frozenset[str]] = frozenset(
    {Status.REPLIED, Status.LAPSED, Status.WITHDRAWN, Status.CLOSED}
)
# Statuses in which the office may still act on the substance (reply, ask for a fee, extend …).
WORKING: Final[frozenset[str]] = frozenset({Status.RECEIVED, Status.IN_PROGRESS})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None


TRANSITIONS: Final[dict[str, Transition]] = {
    EventKind.ASSIGNED: Transition(WORKING, Status.IN_PROGRESS),
    # 条例第三十条: the 补正 notice; normally within 7 working days of receipt (lateness is shown).
    EventKind.CORRECTION_REQUESTED: Transition(WORKING, Status.AWAITING_CORRECTION),
    EventKind.CORRECTION_RECEIVED: Transition(
        frozenset({Status.AWAITING_CORRECTION}), Status.IN_PROGRESS
    ),
    # 条例第三十三条第一款: the extension changes the deadline, not the status.
    EventKind.EXTENDED: Transition(
        frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_OPINION}), None
    ),
    # 条例第三十二条、第三十四条: waiting for a third party or another agency.
    EventKind.PAUSED: Transition(WORKING, Status.AWAITING_OPINION),
    EventKind.RESUMED: Transition(frozenset({Status.AWAITING_OPINION}), Status.IN_PROGRESS),
    # 条例第四十二条: the fee notice goes out within the reply period.
    EventKind.FEE_NOTIFIED: Transition(WORKING, Status.AWAITING_FEE),
    EventKind.FEE_PAID: Transition(frozenset({Status.AWAITING_FEE}), Status.IN_PROGRESS),
    EventKind.REPLIED: Transition(WORKING, Status.REPLIED),
    EventKind.TRANSFERRED: Transition(WORKING, Status.REPLIED),
    # 条例第三十条 (no 补正 in time) and the fee rules (no payment in time).
    EventKind.LAPSED: Transition(
        frozenset({Status.AWAITING_CORRECTION, Status.AWAITING_FEE}), Status.LAPSED
    ),
    EventKind.WITHDRAWN: Transition(OPEN_STATUSES, Status.WITHDRAWN),
    EventKind.CLOSED: Transition(
        frozenset({Status.REPLIED, Status.LAPSED, Status.WITHDRAWN}), Status.CLOSED
    ),
}


def allowed(kind: str, status: str) -> bool:
    transition = TRANSITIONS.get(kind)
    return transition is not None and status in transition.sources


def target_status(kind: str, status: str) -> str:
    """The status after `kind` happens in `status` (the same status when the kind keeps it)."""
    transition = TRANSITIONS[kind]
    return transition.target if transition.target is not None else status


def allowed_kinds(status: str) -> frozenset[str]:
    return frozenset(kind for kind, t in TRANSITIONS.items() if status in t.sources)


# --- Table 3 -------------------------------------------------------------------------------------

# Columns of table 3, without `total` (annual-report.md §3).
APPLICANT_COLUMNS: Final[tuple[str, ...]] = (
    "natural_person",
    "business",
    "research",
    "public_interest",
    "legal_services",
    "other_org",
)

# The 22 result rows of table 3, in order (annual-report.md §3).
RESULT_ROWS: Final[tuple[str, ...]] = (
    "granted",
    "partial",
    "denied_state_secret",
    "denied_law_forbidden",
    "denied_security_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_admin_query",
    "unable_not_held",
    "unable_needs_creation",
    "unable_still_unclear",
    "rejected_petition",
    "rejected_duplicate",
    "rejected_publication",
    "rejected_excessive",
    "rejected_confirmation",
    "other_no_correction",
    "other_no_fee",
    "other_other",
)
ALL_ROWS: Final[tuple[str, ...]] = (
    "new_received",
    "carried_over",
    *RESULT_ROWS,
    "total_processed",
    "carried_forward",
)

# Outcomes that are not replies but endings of the procedure.
LAPSE_NO_CORRECTION: Final = "other_no_correction"
LAPSE_NO_FEE: Final = "other_no_fee"
WITHDRAWN_OUTCOME: Final = "other_other"


@dataclass(frozen=True)
class ReplyType:
    key: str
    name: str
    row: str
    basis: str


# procedures.md §4. The names are ours (what an office writes in the 告知书), not the table's labels.
REPLY_TYPES: Final[tuple[ReplyType, ...]] = (
    ReplyType(
        "provide", "予以提供", "granted", "《中华人民共和国政府信息公开条例》第三十六条第三项"
    ),
    ReplyType(
        "provide_published",
        "已主动公开，告知获取方式",
        "granted",
        "《中华人民共和国政府信息公开条例》第三十六条第一项",
    ),
    ReplyType(
        "partial",
        "部分提供（区分处理）",
        "partial",
        "《中华人民共和国政府信息公开条例》第三十七条",
    ),
    ReplyType(
        "state_secret",
        "不予提供：涉及国家秘密",
        "denied_state_secret",
        "《中华人民共和国政府信息公开条例》第十四条",
    ),
    ReplyType(
        "law_forbidden",
        "不予提供：法律、行政法规禁止公开",
        "denied_law_forbidden",
        "《中华人民共和国政府信息公开条例》第十四条",
    ),
    ReplyType(
        "security_stability",
        "不予提供：危及国家安全、公共安全、经济安全或社会稳定",
        "denied_security_stability",
        "《中华人民共和国政府信息公开条例》第十四条",
    ),
    ReplyType(
        "third_party",
        "不予提供：涉及商业秘密、个人隐私等第三方合法权益",
        "denied_third_party",
        "《中华人民共和国政府信息公开条例》第十五条、第三十二条",
    ),
    ReplyType(
        "internal_affairs",
        "不予提供：内部事务信息",
        "denied_internal_affairs",
        "《中华人民共和国政府信息公开条例》第十六条第一款",
    ),
    ReplyType(
        "process_info",
        "不予提供：过程性信息",
        "denied_process_info",
        "《中华人民共和国政府信息公开条例》第十六条第二款",
    ),
    ReplyType(
        "enforcement_file",
        "不予提供：行政执法案卷信息",
        "denied_enforcement_file",
        "《中华人民共和国政府信息公开条例》第十六条第二款",
    ),
    ReplyType(
        "admin_query",
        "告知按有关法律法规办理查询",
        "denied_admin_query",
        "《中华人民共和国政府信息公开条例》第三十六条第七项",
    ),
    ReplyType(
        "not_held",
        "告知本机关不掌握该信息",
        "unable_not_held",
        "《中华人民共和国政府信息公开条例》第三十六条第四项、第五项",
    ),
    ReplyType(
        "needs_creation",
        "告知需另行制作、加工分析，不予提供",
        "unable_needs_creation",
        "《中华人民共和国政府信息公开条例》第三十八条",
    ),
    ReplyType(
        "still_unclear",
        "补正后仍不明确，无法提供",
        "unable_still_unclear",
        "《中华人民共和国政府信息公开条例》第三十条",
    ),
    ReplyType(
        "petition",
        "属信访、投诉、举报，告知按相应渠道办理",
        "rejected_petition",
        "《中华人民共和国政府信息公开条例》第三十九条第一款",
    ),
    ReplyType(
        "duplicate",
        "重复申请，不予重复处理",
        "rejected_duplicate",
        "《中华人民共和国政府信息公开条例》第三十六条第六项",
    ),
    ReplyType(
        "publication",
        "要求提供公开出版物，告知获取途径",
        "rejected_publication",
        "《中华人民共和国政府信息公开条例》第三十九条第二款",
    ),
    ReplyType(
        "excessive",
        "无正当理由大量、频繁申请，不予处理",
        "rejected_excessive",
        "《中华人民共和国政府信息公开条例》第三十五条",
    ),
    ReplyType(
        "confirmation",
        "要求确认或重新出具已获取的信息，不予处理",
        "rejected_confirmation",
        "政府信息公开工作实践（国务院办公厅政府信息公开办公室有关答复口径）",
    ),
    ReplyType("other", "其他处理", "other_other", ""),
)
REPLY_TYPE_BY_KEY: Final[dict[str, ReplyType]] = {t.key: t for t in REPLY_TYPES}
REPLY_TYPE_CHOICES: Final[list[tuple[str, str]]] = [(t.key, t.name) for t in REPLY_TYPES]

# Every reply type lands in a result row, and `lapse`/`withdraw` cover the rest.
assert {t.row for t in REPLY_TYPES} | {LAPSE_NO_CORRECTION, LAPSE_NO_FEE} == set(RESULT_ROWS)  # noqa: S101

# Outcome names for ledger endings that are not replies.
ENDING_NAMES: Final[dict[str, str]] = {
    LAPSE_NO_CORRECTION: "申请人逾期未补正，不再处理",
    LAPSE_NO_FEE: "申请人逾期未缴纳信息处理费，不再处理",
    WITHDRAWN_OUTCOME: "申请人撤回申请",
}
