"""Workbench URLs of the reports area (included by gongkai/workbench/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
