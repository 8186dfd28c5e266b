"""Published items for the supervision tests, planted through the publishing services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.core import clock


def publish(agency: Any, slug: str, title: str, on: dt.date, **extra: Any) -> Any:
    """One published item of `agency` in its column `slug`, published at 10:00 on `on`."""
    from gongkai.publishing.models import Column
    from gongkai.publishing.services import (
        PublishedRow,
        columns_ensure_default,
        items_import_published,
    )

    if not Column.objects.filter(agency=agency).exists():
        columns_ensure_default(actor=None, agency=agency)
    column = Column.objects.get(agency=agency, slug=slug)
    at = dt.datetime.combine(on, dt.time(10, 0), tzinfo=clock.SHANGHAI)
    (item,) = items_import_published(
        actor=None,
        agency=agency,
        rows=[PublishedRow(column=column, title=title, published_at=at, **extra)],
    )
    return item
