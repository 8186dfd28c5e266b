"""Public URLs of the publishing area (included by gongkai/portal/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from gongkai.portal import publishing as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("agency/<slug:slug>/gk/", views.section, name="publishing_section"),
    path("agency/<slug:slug>/gk/guide/", views.guide, name="publishing_guide"),
    path("agency/<slug:slug>/gk/<slug:column>/", views.column_detail, name="publishing_column"),
    path(
        "agency/<slug:slug>/gk/<slug:column>/rss/",
        views.ColumnFeed(),
        name="publishing_column_rss",
    ),
    path("agency/<slug:slug>/info/<int:pk>/", views.item_detail, name="publishing_item"),
    path(
        "agency/<slug:slug>/info/<int:pk>/files/<int:attachment>/",
        views.attachment_download,
        name="publishing_attachment",
    ),
    path("search/", views.search, name="search"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
]
