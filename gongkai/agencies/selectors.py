"""Reads of agencies, scoped to the caller. Views never query Agency directly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from gongkai.agencies.models import Agency, Level, Membership
from gongkai.agencies.permissions import access_for
from gongkai.core.exceptions import NotFoundError


def agencies_public() -> QuerySet[Agency]:
    """Every agency, for the public portal (all agencies publish)."""
    return Agency.objects.select_related("parent").order_by("path", "sort_order", "id")


def agency_get_public(slug: str) -> Agency:
    agency = Agency.objects.select_related("parent").filter(slug=slug).first()
    if agency is None:
        raise NotFoundError("没有找到这个机关。")
    return agency


def agencies_for_user(user: Any) -> QuerySet[Agency]:
    """Agencies the user works in or supervises (with the whole supervised subtree)."""
    access = access_for(user)
    if access.superuser:
        return agencies_public()
    condition = Q(pk__in=list(access.roles))
    for path in access.supervised_paths:
        condition |= Q(path__startswith=path)
    return agencies_public().filter(condition)


def agency_get_for_user(user: Any, slug: str) -> Agency:
    agency = agencies_for_user(user).filter(slug=slug).first()
    if agency is None:
        raise NotFoundError()
    return agency


def memberships_for(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("agency", "department")


def agency_subtree(agency: Agency) -> QuerySet[Agency]:
    return agencies_public().filter(path__startswith=agency.path)


# County-level and higher governments publish their consolidated report by 31 March; departments
# (条例第四十九条) and townships (practice) by 31 January (annual-report.md, "Legal basis").
MARCH_LEVELS = frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY})


def default_report_deadline(level: str, year: int) -> dt.date:
    """The statutory deadline for an agency of `level` for `year`'s report."""
    if level in MARCH_LEVELS:
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


def report_deadline(agency: Agency, year: int) -> dt.date:
    """Annual report deadline for `year`'s report: the nearest configured one up the tree, else
    the statutory one for the agency's level (`default_report_deadline`)."""
    ids = [int(p) for p in agency.path.strip("/").split("/") if p]
    configured = {
        a.pk: a
        for a in Agency.objects.filter(pk__in=ids, report_deadline_month__isnull=False).only(
            "report_deadline_month", "report_deadline_day"
        )
    }
    for pk in reversed(ids):
        if pk in configured:
            a = configured[pk]
            month = a.report_deadline_month or 1
            day = a.report_deadline_day or 31
            try:
                return dt.date(year + 1, month, day)
            except ValueError:
                break
    return default_report_deadline(agency.level, year)
