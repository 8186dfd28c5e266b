"""Writes of the publishing app (主动公开). Contract: keyword-only, explicit `actor` (None = the
system), one transaction each with `select_for_update` on what is read-then-written, an audit row
in the same transaction, `DomainError` subclasses with Chinese messages on refusal.

- catalogue: item_create, item_update, item_set_validity, attachment_add, attachment_strike,
  finding_mask, finding_override, index_pattern_set, columns_ensure_default, column_set_intro,
  items_import_published, items_rescan_published (事后监督检查), publish_due_recompute (the calendar hook)
- columns (the column editor): column_add, column_update, column_move, column_delete,
  column_restore
- review: item_submit_for_review, review_decide, publish_scheduled, item_unschedule, item_withdraw,
  item_reopen
  (撤稿后重新起草), review_steps_configure
- registers: channel_create, channel_stat_set, channel_stats_import, register_set
"""

from gongkai.publishing.services.catalogue import (
    PublishedRow,
    attachment_add,
    attachment_strike,
    column_set_intro,
    columns_ensure_default,
    finding_mask,
    finding_override,
    index_pattern_for,
    index_pattern_set,
    item_create,
    item_set_validity,
    item_update,
    items_import_published,
    items_rescan_published,
    publish_due_recompute,
)
from gongkai.publishing.services.columns import (
    column_add,
    column_delete,
    column_move,
    column_restore,
    column_update,
)
from gongkai.publishing.services.registers import (
    StatsImportResult,
    channel_create,
    channel_stat_set,
    channel_stats_import,
    register_set,
)
from gongkai.publishing.services.review import (
    DEFAULT_STEPS,
    item_reopen,
    item_submit_for_review,
    item_unschedule,
    item_withdraw,
    open_findings_count,
    publish_scheduled,
    review_decide,
    review_steps_configure,
)

__all__ = [
    "DEFAULT_STEPS",
    "PublishedRow",
    "StatsImportResult",
    "attachment_add",
    "attachment_strike",
    "channel_create",
    "channel_stat_set",
    "channel_stats_import",
    "column_add",
    "column_delete",
    "column_move",
    "column_restore",
    "column_set_intro",
    "column_update",
    "columns_ensure_default",
    "finding_mask",
    "finding_override",
    "index_pattern_for",
    "index_pattern_set",
    "item_create",
    "item_reopen",
    "item_set_validity",
    "item_submit_for_review",
    "item_unschedule",
    "item_update",
    "item_withdraw",
    "items_import_published",
    "items_rescan_published",
    "open_findings_count",
    "publish_due_recompute",
    "publish_scheduled",
    "register_set",
    "review_decide",
    "review_steps_configure",
]
