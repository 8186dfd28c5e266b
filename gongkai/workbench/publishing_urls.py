"""Workbench URLs of the publishing area (included by gongkai/workbench/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from gongkai.workbench import publishing as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("agency/<slug:slug>/items/", views.item_list, name="publishing_items"),
    path("agency/<slug:slug>/columns/setup/", views.columns_setup, name="publishing_columns_setup"),
    path("agency/<slug:slug>/columns/", views.columns_edit, name="publishing_columns"),
    path("columns/<int:pk>/edit/", views.column_edit, name="publishing_column_edit"),
    path("columns/<int:pk>/move/", views.column_move, name="publishing_column_move"),
    path("columns/<int:pk>/delete/", views.column_delete, name="publishing_column_delete"),
    path("columns/<int:pk>/restore/", views.column_restore, name="publishing_column_restore"),
    path("agency/<slug:slug>/items/new/", views.item_new, name="publishing_item_new"),
    path("agency/<slug:slug>/channels/", views.channel_stats, name="publishing_channels"),
    path("agency/<slug:slug>/review-steps/", views.review_steps, name="publishing_review_steps"),
    path("agency/<slug:slug>/index-pattern/", views.index_pattern, name="publishing_index_pattern"),
    path("agency/<slug:slug>/guide/", views.guide_text, name="publishing_guide"),
    path("agency/<slug:slug>/registers/", views.registers, name="publishing_registers"),
    path("items/<int:pk>/", views.item_detail, name="publishing_item"),
    path("items/<int:pk>/edit/", views.item_edit, name="publishing_item_edit"),
    path("items/<int:pk>/submit/", views.item_submit, name="publishing_item_submit"),
    path("items/<int:pk>/validity/", views.item_validity, name="publishing_item_validity"),
    path("items/<int:pk>/withdraw/", views.item_withdraw, name="publishing_item_withdraw"),
    path("items/<int:pk>/unschedule/", views.item_unschedule, name="publishing_item_unschedule"),
    path("items/<int:pk>/reopen/", views.item_reopen, name="publishing_item_reopen"),
    path("items/<int:pk>/attachments/", views.attachment_upload, name="publishing_attachment"),
    path("attachments/<int:pk>/", views.attachment_download, name="publishing_attachment_file"),
    path(
        "attachments/<int:pk>/strike/",
        views.attachment_strike,
        name="publishing_attachment_strike",
    ),
    path("findings/<int:pk>/mask/", views.finding_mask, name="publishing_finding_mask"),
    path(
        "findings/<int:pk>/override/",
        views.finding_override,
        name="publishing_finding_override",
    ),
    path("reviews/", views.review_queue, name="publishing_reviews"),
    path("reviews/<int:pk>/", views.review_detail, name="publishing_review"),
]
