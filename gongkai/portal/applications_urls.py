"""Public URLs of the applications area (included by gongkai/portal/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
