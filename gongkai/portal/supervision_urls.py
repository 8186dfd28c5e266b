"""Public URLs of the supervision area (included by gongkai/portal/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
