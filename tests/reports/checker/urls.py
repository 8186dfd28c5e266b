"""The project's URLs with the checker included in the workbench, as `gongkai/workbench/urls.py`
will include it: `path("", include("gongkai.workbench.reports_checker_urls"))`. Tests use this
URLconf until (and also after) the line is added there."""

from __future__ import annotations

from typing import cast

from django.urls import URLPattern, URLResolver, include, path

from config import urls as project
from gongkai.workbench import reports_checker_urls
from gongkai.workbench import urls as workbench

_ALREADY_INCLUDED = any(
    getattr(pattern, "urlconf_name", None) == reports_checker_urls.__name__
    for pattern in workbench.urlpatterns
)
_workbench = cast(list[URLPattern | URLResolver], list(workbench.urlpatterns))
if not _ALREADY_INCLUDED:
    _workbench += reports_checker_urls.urlpatterns

urlpatterns = [
    path("workbench/", include((_workbench, workbench.app_name), namespace=workbench.app_name)),
    *project.urlpatterns[1:],
]

handler404 = project.handler404
handler500 = project.handler500
