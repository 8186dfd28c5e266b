"""Workbench URLs of the report checker; include from gongkai/workbench/urls.py:

path("", include("gongkai.workbench.reports_checker_urls")),
"""

from django.urls import URLPattern, URLResolver, path

from gongkai.workbench import reports_checker

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/checker/", reports_checker.checker, name="reports_checker"),
    path(
        "reports/checker/subtree/", reports_checker.checker_subtree, name="reports_checker_subtree"
    ),
    path(
        "reports/checker/findings.xlsx",
        reports_checker.checker_export,
        name="reports_checker_export",
    ),
]
