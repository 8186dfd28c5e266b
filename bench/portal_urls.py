"""The project's URLs plus the bench's minimal page (see bench/portal_settings.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/minimal/", minimal),
    path("", include("config.urls")),
]
