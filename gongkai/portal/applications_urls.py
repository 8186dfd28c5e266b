"""Public URLs of the applications area (included by gongkai/portal/urls.py)."""

from django.urls import URLPattern, URLResolver, path

from gongkai.portal import applications

urlpatterns: list[URLPattern | URLResolver] = [
    path("agency/<slug:slug>/apply/", applications.apply, name="apply"),
    path("agency/<slug:slug>/apply/done/", applications.apply_done, name="apply_done"),
    path("track/", applications.track, name="track"),
    path("tools/deadline/", applications.deadline_tool, name="deadline_tool"),
]
