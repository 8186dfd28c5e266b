"""The demo loaders after the district itself, in order. Each is `load(agencies) -> None`, idempotent.

`agencies` maps the demo slugs (wendeng, songcun, gaocun, zeku, minzheng) to Agency rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongkai.demo import applications, publishing, supervision
from gongkai.demo import reports as demo_reports

Loader = Callable[[dict[str, Any]], None]

# Publishing and applications first: the reports loader reads their figures; supervision computes
# the assessment from everything before it.
LOADERS: list[Loader] = [publishing.load, applications.load, demo_reports.load, supervision.load]
