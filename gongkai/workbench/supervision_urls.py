"""Workbench URLs of the supervision area (included by gongkai/workbench/urls.py)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
