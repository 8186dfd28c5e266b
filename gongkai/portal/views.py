"""Public portal views: thin, read-only, no login."""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

from gongkai.agencies.models import Level
from gongkai.agencies.selectors import agencies_public, agency_get_public
from gongkai.core.exceptions import NotFoundError
from gongkai.core.health import database_ok
from gongkai.portal.page_cache import cached_page

ELDERLY_COOKIE = "gk_elderly"


# Above this many agencies the home page lists the county level and above; each agency's page
# lists the agencies under it.
HOME_AGENCIES_MAX = 300
HOME_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)


@cached_page
def home(request: HttpRequest) -> HttpResponse:
    agencies = agencies_public()
    partial = agencies.count() > HOME_AGENCIES_MAX
    if partial:
        agencies = agencies.filter(level__in=HOME_LEVELS)
    return render(request, "portal/home.html", {"agencies": agencies, "partial": partial})


@cached_page
def agency_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        agency = agency_get_public(slug)
    except NotFoundError:
        return page_not_found(request, None)
    children = agencies_public().filter(parent=agency)
    return render(request, "portal/agency.html", {"agency": agency, "children": children})


def elderly_mode(request: HttpRequest) -> HttpResponse:
    """Switch the 适老化 (large type) mode on or off, then go back where the visitor was."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(ELDERLY_COOKIE, "1", max_age=365 * 86400, samesite="Lax")
    else:
        response.delete_cookie(ELDERLY_COOKIE)
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Plain template, no context processors: the error may come from the database.
    return HttpResponseServerError(loader.get_template("500.html").render())


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when this app server can reach the database, else 503."""
    if database_ok():
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
