"""Workbench URLs of the applications area (included by gongkai/workbench/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from gongkai.workbench import applications

urlpatterns: list[URLPattern | URLResolver] = [
    path("applications/", applications.queue, name="applications"),
    path("applications/new/", applications.register, name="application_new"),
    path("applications/<int:pk>/", applications.detail, name="application"),
    path("applications/<int:pk>/notice.docx", applications.notice, name="application_notice"),
    path(
        "applications/<int:pk>/notice.pdf",
        applications.notice,
        {"fmt": "pdf"},
        name="application_notice_pdf",
    ),
    path(
        "applications/<int:pk>/fee-notice.docx",
        applications.fee_notice,
        name="application_fee_notice",
    ),
    path(
        "applications/<int:pk>/fee-notice.pdf",
        applications.fee_notice,
        {"fmt": "pdf"},
        name="application_fee_notice_pdf",
    ),
    path("applications/<int:pk>/files/", applications.attachment_upload, name="application_upload"),
    path(
        "applications/<int:pk>/files/<int:attachment_pk>/",
        applications.attachment_download,
        name="application_file",
    ),
    path("applications/<int:pk>/cases/new/", applications.case_new, name="application_case_new"),
    path("applications/<int:pk>/<slug:action>/", applications.act, name="application_act"),
    path("cases/<int:pk>/decide/", applications.case_decision, name="case_decide"),
]
