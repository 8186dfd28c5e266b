"""Reads of the supervision app, scoped to the caller. The contract:

- The supervising office (上级监管 over a subtree; system administrators everywhere) reads the
  figures, tasks, proposals, inspections and assessments of every agency in its subtree, and nothing
  outside it (`supervised_agencies`, `permissions.can_oversee`).
- An agency's staff read their own agency's tasks, proposals, inspection and notifications.
- `section6_facts` is unscoped: the annual report generator asks it for one agency and year.
Lookups that the caller may not see raise `NotFoundError`, as if the row did not exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from gongkai.agencies.models import Agency
from gongkai.agencies.permissions import access_for
from gongkai.agencies.selectors import agencies_for_user, agencies_public, agency_subtree
from gongkai.core.exceptions import NotFoundError
from gongkai.supervision.departments import DepartmentRow, department_rows
from gongkai.supervision.metrics import owner_q
from gongkai.supervision.models import (
    Assessment,
    AssessmentScore,
    AssessmentSheet,
    DepartmentAssessment,
    LinkCheckRun,
    Notification,
    PlanTask,
    Proposal,
    ProposalKind,
    ProposalStatus,
    TaskStatus,
    WorkPlan,
)
from gongkai.supervision.overview import (
    AgencyOverview,
    Inspection,
    agency_inspection,
    agency_overview,
)
from gongkai.supervision.permissions import can_oversee, can_view_own

# --- who sees what --------------------------------------------------------------------------------


def supervised_agencies(user: Any) -> QuerySet[Agency]:
    """Agencies in the subtrees the user supervises (every agency for a system administrator)."""
    access = access_for(user)
    if access.superuser:
        return agencies_public()
    if not access.supervised_paths:
        return agencies_public().none()
    condition = Q()
    for path in access.supervised_paths:
        condition |= Q(path__startswith=path)
    return agencies_public().filter(condition)


def supervision_roots(user: Any) -> list[Agency]:
    """The top agencies of the user's supervised subtrees (the dashboards the user may open)."""
    agencies = list(supervised_agencies(user))
    paths = [a.path for a in agencies]
    return [a for a in agencies if not any(a.path != p and a.path.startswith(p) for p in paths)]


def oversee_root_get(user: Any, slug: str) -> Agency:
    agency = supervised_agencies(user).filter(slug=slug).first()
    if agency is None:
        raise NotFoundError()
    return agency


def own_agency_get(user: Any, slug: str) -> Agency:
    """An agency whose own supervision pages the user may open (its staff or its supervisor)."""
    agency = agencies_for_user(user).filter(slug=slug).first()
    if agency is None or not can_view_own(user, agency):
        raise NotFoundError()
    return agency


# --- dashboard and inspection ----------------------------------------------------------------------


def dashboard_for_user(user: Any, root: Agency, year: int, today: dt.date) -> list[AgencyOverview]:
    """Every agency of the root's subtree, with its figures for `year` (the root first)."""
    if not can_oversee(user, root):
        raise NotFoundError()
    return [agency_overview(agency, year, today) for agency in agency_subtree(root)]


def inspection_for_user(
    user: Any, agency: Agency, today: dt.date, *, site_host: str = ""
) -> Inspection:
    """The agency's self-inspection with the results of its last link check."""
    if not can_view_own(user, agency):
        raise NotFoundError()
    return agency_inspection(agency, today, run=link_check_last(user, agency), site_host=site_host)


def link_check_last(user: Any, agency: Agency) -> LinkCheckRun | None:
    """The agency's most recent link check (queued, running or finished)."""
    if not can_view_own(user, agency):
        raise NotFoundError()
    return (
        LinkCheckRun.objects.filter(agency=agency)
        .select_related("agency", "requested_by")
        .order_by("-created_at", "-id")
        .first()
    )


def departments_for_user(
    user: Any, agency: Agency, year: int, today: dt.date
) -> list[DepartmentRow]:
    """The agency's figures per department (its staff and its supervising office)."""
    if not can_view_own(user, agency):
        raise NotFoundError()
    return department_rows(agency, year, today)


# --- 工作要点 -------------------------------------------------------------------------------------


def plans_for_user(user: Any) -> QuerySet[WorkPlan]:
    """Plans of the agencies the user sees, and plans that give the user's agencies tasks."""
    visible = agencies_for_user(user)
    return (
        WorkPlan.objects.filter(
            Q(agency__in=visible)
            | Q(tasks__responsible_agency__in=visible)
            | Q(tasks__responsible_department__agency__in=visible)
        )
        .distinct()
        .select_related("agency")
        .order_by("-year", "agency__path")
    )


def plans_of_agency(user: Any, agency: Agency) -> QuerySet[WorkPlan]:
    """The plans an agency made (its own staff and its supervisor read them)."""
    if not can_view_own(user, agency):
        raise NotFoundError()
    return WorkPlan.objects.filter(agency=agency).order_by("-year")


def plan_get_for_user(user: Any, pk: int) -> WorkPlan:
    plan = plans_for_user(user).filter(pk=pk).first()
    if plan is None:
        raise NotFoundError()
    return plan


def plan_tasks(user: Any, plan: WorkPlan) -> QuerySet[PlanTask]:
    """The plan's tasks the user may see: all of them for the plan's own agency and supervisors,
    otherwise the tasks of the user's agencies."""
    tasks = plan.tasks.select_related(
        "responsible_agency", "responsible_department", "responsible_department__agency"
    ).order_by("order", "id")
    if can_view_own(user, plan.agency):
        return tasks
    visible = agencies_for_user(user)
    return tasks.filter(
        Q(responsible_agency__in=visible) | Q(responsible_department__agency__in=visible)
    )


def tasks_for_agency(user: Any, agency: Agency, year: int | None = None) -> QuerySet[PlanTask]:
    if not can_view_own(user, agency):
        raise NotFoundError()
    tasks = PlanTask.objects.filter(owner_q(agency)).select_related(
        "plan", "plan__agency", "responsible_agency", "responsible_department"
    )
    if year is not None:
        tasks = tasks.filter(plan__year=year)
    return tasks.order_by("-plan__year", "plan", "order", "id")


def task_get_for_user(user: Any, pk: int) -> PlanTask:
    task = (
        PlanTask.objects.select_related(
            "plan", "plan__agency", "responsible_agency", "responsible_department__agency"
        )
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise NotFoundError()
    owner = task.responsible_agency or (
        task.responsible_department.agency if task.responsible_department else None
    )
    if owner is None or not (can_view_own(user, owner) or can_view_own(user, task.plan.agency)):
        raise NotFoundError()
    return task


# --- 建议提案 -------------------------------------------------------------------------------------


def proposals_for_agency(user: Any, agency: Agency, year: int | None = None) -> QuerySet[Proposal]:
    if not can_view_own(user, agency):
        raise NotFoundError()
    proposals = Proposal.objects.filter(agency=agency).select_related("agency", "reply_item")
    if year is not None:
        proposals = proposals.filter(year=year)
    return proposals.order_by("-year", "kind", "number")


def proposal_get_for_user(user: Any, pk: int) -> Proposal:
    proposal = Proposal.objects.select_related("agency").filter(pk=pk).first()
    if proposal is None or not can_view_own(user, proposal.agency):
        raise NotFoundError()
    return proposal


# --- 考核 -----------------------------------------------------------------------------------------


def sheets_for_user(user: Any) -> QuerySet[AssessmentSheet]:
    """Sheets of jurisdictions the user supervises or administers."""
    visible = agencies_for_user(user)
    return (
        AssessmentSheet.objects.filter(agency__in=visible)
        .select_related("agency")
        .prefetch_related("criteria")
        .order_by("-year", "agency__path")
    )


def sheets_of_agency(user: Any, agency: Agency) -> QuerySet[AssessmentSheet]:
    if not can_view_own(user, agency):
        raise NotFoundError()
    return AssessmentSheet.objects.filter(agency=agency).order_by("-year")


def sheet_get_for_user(user: Any, pk: int) -> AssessmentSheet:
    sheet = sheets_for_user(user).filter(pk=pk).first()
    if sheet is None or not (can_oversee(user, sheet.agency) or can_view_own(user, sheet.agency)):
        raise NotFoundError()
    return sheet


def sheet_results(sheet: AssessmentSheet) -> list[Assessment]:
    """A sheet's assessments (highest total first), each with its scores prefetched."""
    return list(
        Assessment.objects.filter(sheet=sheet)
        .select_related("agency")
        .prefetch_related("scores__criterion")
        .order_by("-total", "agency__path")
    )


def sheet_department_results(sheet: AssessmentSheet) -> list[DepartmentAssessment]:
    """A sheet's department results, by agency and then highest share of the points first."""
    rows = list(
        DepartmentAssessment.objects.filter(sheet=sheet).select_related("department__agency")
    )
    return sorted(
        rows,
        key=lambda r: (r.department.agency.path, -(r.percent or 0), r.department.name),
    )


def score_get_for_user(user: Any, pk: int) -> AssessmentScore:
    score = (
        AssessmentScore.objects.select_related(
            "criterion", "criterion__sheet", "criterion__sheet__agency", "assessment__agency"
        )
        .filter(pk=pk)
        .first()
    )
    if score is None:
        raise NotFoundError()
    sheet_get_for_user(user, score.criterion.sheet_id)
    return score


# --- 提醒 -----------------------------------------------------------------------------------------


def notifications_for_agency(
    user: Any, agency: Agency, *, unread_only: bool = False
) -> QuerySet[Notification]:
    if not can_view_own(user, agency):
        raise NotFoundError()
    notes = Notification.objects.filter(agency=agency).filter(Q(user__isnull=True) | Q(user=user))
    if unread_only:
        notes = notes.filter(read_at__isnull=True)
    return notes.order_by("read_at", "-created_at", "-id")


def notification_get_for_user(user: Any, pk: int) -> Notification:
    note = Notification.objects.select_related("agency").filter(pk=pk).first()
    if note is None or not can_view_own(user, note.agency):
        raise NotFoundError()
    return note


# --- the annual report's section 六 -----------------------------------------------------------------


def _plan_for(agency: Agency, year: int) -> WorkPlan | None:
    """The agency's own plan for the year, else the nearest ancestor's."""
    ids = [int(p) for p in agency.path.strip("/").split("/") if p]
    plans = {p.agency_id: p for p in WorkPlan.objects.filter(agency_id__in=ids, year=year)}
    for pk in reversed(ids):
        if pk in plans:
            return plans[pk]
    return None


def section6_facts(agency: Agency, year: int) -> dict[str, Any]:
    """What section 六（二）（三） of `agency`'s annual report for `year` needs.

    {"year": int,
     "proposals": {"npc": {"label": "人大代表建议", "received": int, "replied": int,
                           "published": int},
                   "cppcc": {"label": "政协委员提案", ...}},
     "proposals_total": {"received": int, "replied": int, "published": int},
     "plan": None | {"title": str, "source_document": str, "agency": str (full name),
                     "own": bool, "tasks_total": int, "tasks_done": int}}

    Proposals count by their session year (`Proposal.year`); `replied` and `published` are those of
    them replied (and whose reply was made public) by now. `plan` is the agency's own 工作要点 for
    the year (all its tasks), else the nearest ancestor's (only the tasks the agency answers for);
    None when there is no plan for the year.
    """
    proposals: dict[str, dict[str, Any]] = {}
    for kind in ProposalKind:
        rows = Proposal.objects.filter(agency=agency, year=year, kind=kind)
        proposals[kind.value] = {
            "label": str(kind.label),
            "received": rows.count(),
            "replied": rows.filter(status=ProposalStatus.REPLIED).count(),
            "published": rows.filter(reply_published=True).count(),
        }
    totals = {
        key: sum(int(p[key]) for p in proposals.values())
        for key in ("received", "replied", "published")
    }
    plan = _plan_for(agency, year)
    plan_facts: dict[str, Any] | None = None
    if plan is not None:
        own = plan.agency_id == agency.pk
        tasks = plan.tasks.all() if own else plan.tasks.filter(owner_q(agency))
        plan_facts = {
            "title": plan.title,
            "source_document": plan.source_document,
            "agency": plan.agency.name,
            "own": own,
            "tasks_total": tasks.count(),
            "tasks_done": tasks.filter(status=TaskStatus.DONE).count(),
        }
    return {"year": year, "proposals": proposals, "proposals_total": totals, "plan": plan_facts}
