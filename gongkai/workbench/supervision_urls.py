"""Workbench URLs of the supervision area (included by gongkai/workbench/urls.py).

Every URL answers GET for the supervising office of the agency concerned (read-only); the same URL
takes the POST of the write it shows, for those allowed to make it.
"""

from django.urls import URLPattern, URLResolver, path

from gongkai.workbench import supervision as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("supervision/", views.home, name="supervision_home"),
    path("supervision/task/<int:pk>/", views.task_detail, name="supervision_task"),
    path("supervision/plan/<int:pk>/", views.plan_detail, name="supervision_plan"),
    path("supervision/proposal/<int:pk>/", views.proposal_detail, name="supervision_proposal"),
    path("supervision/assessment/<int:pk>/", views.sheet_detail, name="supervision_sheet"),
    path(
        "supervision/assessment/<int:pk>/export.xlsx",
        views.sheet_export,
        name="supervision_sheet_export",
    ),
    path("supervision/<slug:slug>/", views.dashboard, name="supervision_dashboard"),
    path(
        "supervision/<slug:slug>/export.xlsx",
        views.dashboard_export,
        name="supervision_dashboard_export",
    ),
    path("supervision/<slug:slug>/inspection/", views.inspection, name="supervision_inspection"),
    path(
        "supervision/<slug:slug>/inspection/links/",
        views.inspection_links,
        name="supervision_inspection_links",
    ),
    path(
        "supervision/<slug:slug>/departments/",
        views.departments,
        name="supervision_departments",
    ),
    path(
        "supervision/<slug:slug>/departments.xlsx",
        views.departments_export,
        name="supervision_departments_export",
    ),
    path("supervision/<slug:slug>/plans/", views.plans, name="supervision_plans"),
    path("supervision/<slug:slug>/tasks/", views.tasks, name="supervision_tasks"),
    path("supervision/<slug:slug>/proposals/", views.proposals, name="supervision_proposals"),
    path(
        "supervision/<slug:slug>/notifications/",
        views.notifications,
        name="supervision_notifications",
    ),
    path("supervision/<slug:slug>/assessments/", views.sheets, name="supervision_sheets"),
]
