"""The only place that reads "now". Tests freeze it with `clock.frozen(...)`.

Civil dates are dates in Asia/Shanghai (the settings' TIME_ZONE), whatever the server's zone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_local = threading.local()


def now() -> dt.datetime:
    """The current aware datetime (UTC), or the frozen one inside `frozen()`."""
    frozen_at: dt.datetime | None = getattr(_local, "frozen_at", None)
    if frozen_at is not None:
        return frozen_at
    return dt.datetime.now(tz=dt.UTC)


def today() -> dt.date:
    """Today's civil date in Asia/Shanghai."""
    return now().astimezone(SHANGHAI).date()


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(SHANGHAI)


def civil_date(moment: dt.datetime) -> dt.date:
    """The Asia/Shanghai date of an aware datetime."""
    return moment.astimezone(SHANGHAI).date()


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=SHANGHAI)


@contextlib.contextmanager
def frozen(moment: dt.datetime | dt.date) -> Iterator[None]:
    """Freeze `now()` (tests, and the demo which writes history at fixed dates)."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(10, 0), tzinfo=SHANGHAI)
    if moment.tzinfo is None:
        raise ValueError("frozen() needs an aware datetime")
    previous = getattr(_local, "frozen_at", None)
    _local.frozen_at = moment
    try:
        yield
    finally:
        _local.frozen_at = previous
