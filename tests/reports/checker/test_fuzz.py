"""Fuzzing: mutated fixtures and random bytes never crash or hang the checker."""

from __future__ import annotations

import signal
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.reports.checker.check import Input, check_batch, check_parsed, read_report
from gongkai.reports.checker.document import UnreadableError
from tests.reports.checker.helpers import fixture

SOURCES = ["clean.html", "clean_cells.txt", "clean_rows.txt", "clean_gbk.html", "cut_short.txt"]
LIMIT_SECONDS = 3.0
FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class _Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Hang


def _check_bounded(data: bytes, name: str) -> None:
    """Read and check `data`; a hang is cut off by an alarm (and fails the test).

    The limit is on the process's CPU time (ITIMER_PROF, process_time), not on the wall clock,
    so a busy machine does not fail the test; a loop that never ends still does."""
    previous = signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_PROF, LIMIT_SECONDS * 3)
    started = time.process_time()
    try:
        parsed = read_report(data, name)
    except UnreadableError as error:
        assert error.message
    else:
        check_parsed(parsed)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    assert time.process_time() - started < LIMIT_SECONDS


@st.composite
def mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    name = draw(st.sampled_from(SOURCES))
    data = bytearray(fixture(name))
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "duplicate", "truncate"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 400))]
        elif kind == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [b"|", b"\n\n", b"<td colspan=999>", b"<tr>", "０".encode(), b"-1", b"</table>"]
                )
            )
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 2000))]
        else:
            del data[at:]
    return bytes(data), name


@FUZZ
@given(mutated())
def test_mutated_fixtures_never_crash(case: tuple[bytes, str]) -> None:
    data, name = case
    _check_bounded(data, name)


@FUZZ
@given(st.binary(max_size=4096), st.sampled_from(["x.html", "x.txt", "x.pdf", "x.docx", "x"]))
def test_random_bytes_never_crash(data: bytes, name: str) -> None:
    _check_bounded(data, name)


@FUZZ
@given(st.text(max_size=2000))
def test_random_text_never_crashes(text: str) -> None:
    _check_bounded(text.encode("utf-8"), "x.txt")


def test_damaged_containers_are_unreadable() -> None:
    for data, name in [
        (b"%PDF-1.7\n%garbage\n", "x.pdf"),
        (b"PK\x03\x04not really a zip", "x.docx"),
        (b"<html><body><table><tr><td rowspan=100000 colspan=100000>1</td></tr></table>", "x.html"),
        (b"<div>" * 5000, "x.html"),
    ]:
        (result,) = check_batch([Input(name, data)])
        assert result.findings
        assert all(item.message for item in result.findings)
