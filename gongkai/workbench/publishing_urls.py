"""Workbench URLs of the publishing area (included by gongkai/workbench/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
