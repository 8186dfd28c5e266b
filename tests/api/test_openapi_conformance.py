"""Schemathesis against the API's own OpenAPI document, in process, bounded.

Every operation of /api/v1/openapi.json is called with generated data (valid and invalid), as an
anonymous caller and as a signed-in clerk, and each response must be declared by the document: the
status code, the content type and the body schema — and never a server error. The number of examples
per operation is fixed and the generation is derandomised, so the run is bounded and repeatable.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi import checks as openapi_checks

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 30

CHECKS = [
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():  # type: ignore[no-untyped-def]
    """The WSGI handler closes database connections at the end of each request, which would end the
    test's transaction on PostgreSQL; Django's own test client disconnects the same two signals."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _not_a_server_error(ctx, response, case):  # type: ignore[no-untyped-def]
    assert response.status_code < 500, f"{case.method} {case.path}: HTTP {response.status_code}"


def _operations():  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]


def _exercise(operation, headers: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
    calls = 0

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case) -> None:  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        case.call_and_validate(
            headers=headers, checks=CHECKS, additional_checks=[_not_a_server_error]
        )

    run()
    return calls


def test_every_operation_conforms_anonymously(district, settings):  # type: ignore[no-untyped-def]
    settings.GONGKAI_APPLY_PER_HOUR = 10_000
    operations = _operations()
    assert len(operations) >= 7
    for operation in operations:
        assert _exercise(operation, headers={}) > 0


def test_every_operation_conforms_for_a_signed_in_clerk(district, user_named, settings, client):  # type: ignore[no-untyped-def]
    """Staff endpoints with a real session: lists and details come back in the documented shapes."""
    settings.GONGKAI_APPLY_PER_HOUR = 10_000
    client.force_login(user_named("gaocun_clerk"))
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_cookie}"}
    for operation in _operations():
        if "/staff/" in operation.path and operation.method.upper() == "GET":
            assert _exercise(operation, headers=headers) > 0
