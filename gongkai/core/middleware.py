"""Security headers that Django's SecurityMiddleware does not set, and refusals of unusable requests."""

from __future__ import annotations

from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template import loader

# Everything is served from our own origin (Bootstrap, ECharts and htmx come from npm via staticfiles).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self'",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached becomes a Chinese 503 page, not a stack trace.

    Nothing half-written survives: services run in transactions, which the failure rolled back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
            response["Retry-After"] = "30"
            return response
        return None


class InvalidCharactersMiddleware:
    """A NUL character in the address or the query string is refused with a Chinese 400.

    It is never meaningful input; PostgreSQL cannot store or compare it (an error page), SQLite would
    silently accept it. Form fields already refuse it (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API checks its own parameters (gongkai.api.schemas.Text: a declared 422).
        if not request.path.startswith("/api/") and (
            "\x00" in request.path
            or any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.GET.lists()
            )
        ):
            return HttpResponseBadRequest(
                loader.get_template("400.html").render({"message": INVALID_CHARACTERS})
            )
        return self.get_response(request)


INVALID_CHARACTERS = "请求中含有无效字符，请检查网址或输入的内容。"
