"""Workbench URLs of the reports area (included by gongkai/workbench/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from gongkai.workbench import reports

_REPORT = "agency/<slug:slug>/reports/<int:year>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/", reports.reports_home, name="reports_home"),
    path("reports/supervision/", reports.reports_supervision, name="reports_supervision"),
    path("agency/<slug:slug>/reports/", reports.agency_reports, name="reports_agency"),
    path(_REPORT, reports.report_edit, name="report_edit"),
    path(_REPORT + "create/", reports.report_create, name="report_create"),
    path(_REPORT + "check/", reports.report_check, name="report_check"),
    path(_REPORT + "refresh/", reports.report_refresh, name="report_refresh"),
    path(_REPORT + "import/", reports.report_import, name="report_import"),
    path(_REPORT + "submit/", reports.report_submit_view, name="report_submit"),
    path(_REPORT + "return/", reports.report_return_view, name="report_return"),
    path(_REPORT + "approve/", reports.report_approve_view, name="report_approve"),
    path(_REPORT + "publish/", reports.report_publish_view, name="report_publish"),
    path(_REPORT + "correct/", reports.report_correct_view, name="report_correct"),
    path(
        _REPORT + "download/<str:which>/<str:file_format>/",
        reports.report_download,
        name="report_download",
    ),
]
