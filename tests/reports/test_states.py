"""The workflow table: which action leads from which status to which."""

from gongkai.reports.states import (
    EDITABLE,
    TRANSITIONS,
    Action,
    Status,
    can_transition,
    is_editable,
)


def test_the_main_path_runs_draft_to_published():
    status = Status.DRAFT
    for action in (Action.SUBMIT, Action.APPROVE, Action.PUBLISH):
        assert can_transition(status, action)
        status = TRANSITIONS[action].target
    assert status is Status.PUBLISHED


def test_a_returned_report_is_resubmitted():
    assert TRANSITIONS[Action.RETURN].target is Status.RETURNED
    assert can_transition(Status.RETURNED, Action.SUBMIT)
    assert not can_transition(Status.RETURNED, Action.APPROVE)


def test_a_correction_goes_back_to_draft_only_from_published():
    assert TRANSITIONS[Action.CORRECT].target is Status.DRAFT
    assert [s for s in Status if can_transition(s, Action.CORRECT)] == [Status.PUBLISHED]


def test_only_an_approved_report_can_be_published():
    assert [s for s in Status if can_transition(s, Action.PUBLISH)] == [Status.APPROVED]
    assert not can_transition(Status.SUBMITTED, Action.PUBLISH)


def test_only_draft_and_returned_reports_are_editable():
    assert {Status.DRAFT, Status.RETURNED} == EDITABLE
    assert not is_editable(Status.SUBMITTED)
    assert not is_editable(Status.APPROVED)
    assert not is_editable(Status.PUBLISHED)


def test_statuses_carry_their_chinese_names():
    assert [s.label for s in Status] == ["草稿", "已报送", "已退回", "已审核", "已发布"]


def test_create_is_not_a_transition():
    assert not can_transition(Status.DRAFT, Action.CREATE)
