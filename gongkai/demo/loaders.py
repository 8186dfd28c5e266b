"""The demo loaders after the district itself, in order. Each is `load(agencies) -> None`, idempotent.

`agencies` maps the demo slugs (wendeng, songcun, gaocun, zeku, minzheng) to Agency rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongkai.demo import applications
from gongkai.demo import reports as demo_reports

Loader = Callable[[dict[str, Any]], None]

LOADERS: list[Loader] = [applications.load, demo_reports.load]
