"""Public URLs of the reports area (included by gongkai/portal/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from gongkai.portal import reports

urlpatterns: list[URLPattern | URLResolver] = [
    path("reports/", reports.reports_index, name="reports_index"),
    path("agency/<slug:slug>/reports/", reports.agency_reports, name="reports_agency"),
    path("agency/<slug:slug>/reports/<int:year>/", reports.report_detail, name="report_detail"),
    path(
        "agency/<slug:slug>/reports/<int:year>/<str:file_format>/",
        reports.report_file,
        name="report_file",
    ),
]
