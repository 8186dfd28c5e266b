"""Public URLs of the reports area (included by gongkai/portal/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
