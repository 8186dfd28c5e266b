"""Public URLs of the publishing area (included by gongkai/portal/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
