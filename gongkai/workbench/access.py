"""The workbench's gate: login, then the second factor where the user must have one."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gongkai.agencies.permissions import must_use_second_factor

View = Callable[..., HttpResponse]


def needs_second_factor(request: HttpRequest) -> bool:
    user: Any = request.user
    # OTPMiddleware adds is_verified() at the start of a request; a user who logged in during this
    # request has not been through it yet and is unverified.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    has_device = user.totpdevice_set.filter(confirmed=True).exists()
    return has_device or (settings.GONGKAI_REQUIRE_ADMIN_2FA and must_use_second_factor(user))


def staff_required(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if needs_second_factor(request):
            return redirect("workbench:otp")
        return view(request, *args, **kwargs)

    return wrapper


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "403.html", status=403)
