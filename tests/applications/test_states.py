from gongkai.applications.states import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    REPLY_TYPES,
    RESULT_ROWS,
    TRANSITIONS,
    EventKind,
    Status,
    allowed,
    allowed_kinds,
    target_status,
)


def test_every_transition_starts_and_ends_in_a_known_status():
    for kind, transition in TRANSITIONS.items():
        assert kind in EventKind.values
        assert transition.sources <= set(Status.values)
        assert transition.target is None or transition.target in Status.values


def test_closed_is_the_end_of_the_road():
    assert allowed_kinds(Status.CLOSED) == frozenset()


def test_finished_applications_can_only_be_archived():
    for status in FINISHED_STATUSES - {Status.CLOSED}:
        assert allowed_kinds(status) == {EventKind.CLOSED}


def test_every_open_status_can_be_withdrawn():
    for status in OPEN_STATUSES:
        assert allowed(EventKind.WITHDRAWN, status)


def test_an_extension_keeps_the_status():
    assert target_status(EventKind.EXTENDED, Status.IN_PROGRESS) == Status.IN_PROGRESS
    assert target_status(EventKind.REPLIED, Status.RECEIVED) == Status.REPLIED


def test_a_correction_can_only_be_requested_while_working():
    assert allowed(EventKind.CORRECTION_REQUESTED, Status.RECEIVED)
    assert not allowed(EventKind.CORRECTION_REQUESTED, Status.AWAITING_CORRECTION)
    assert not allowed(EventKind.CORRECTION_REQUESTED, Status.REPLIED)


def test_lapse_only_while_waiting_for_the_applicant():
    assert {s for s in Status.values if allowed(EventKind.LAPSED, s)} == {
        Status.AWAITING_CORRECTION,
        Status.AWAITING_FEE,
    }


def test_every_reply_type_lands_in_exactly_one_result_row():
    keys = [t.key for t in REPLY_TYPES]
    assert len(keys) == len(set(keys))
    assert all(t.row in RESULT_ROWS for t in REPLY_TYPES)
    assert len(RESULT_ROWS) == 21
    assert {t.row for t in REPLY_TYPES} == set(RESULT_ROWS) - {
        "other_no_correction",
        "other_no_fee",
    }
