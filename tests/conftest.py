"""Shared fixtures: the demo district, users by role, logged-in clients."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client


def pytest_configure(config: Any) -> None:
    # Hashing 26 demo passwords with PBKDF2 per test would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_media(tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Never the developer's own anchors (var/audit-anchors.log): a test database is not their chain.
    settings.GONGKAI_AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.log"


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    # The portal's page cache is keyed by the published content's version, which every test's
    # rolled-back database restarts at the same value: a page cached by one test must not
    # answer the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@contextmanager
def _rolled_back_transaction(django_db_blocker: Any) -> Iterator[None]:
    """A transaction opened on entry and rolled back on exit (the body of the fixtures below)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_transaction(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """One transaction around a whole module, rolled back at its end.

    Data a module-scoped fixture writes inside it is built once and seen by every test of the
    module; each test still runs in its own savepoint (pytest-django's `db` nests in this
    transaction), so what a test changes is undone before the next. Only for modules without
    transactional tests (`transactional_db`, `live_server`), which would commit through it.
    """
    with _rolled_back_transaction(django_db_blocker):
        yield


@pytest.fixture(scope="class")
def class_transaction(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """`module_transaction` for one test class: rolled back when the class's last test is done.

    For a module whose other tests must not see the class's data (they build their own district)
    or are transactional: pytest-django runs transactional tests after the others, which in a
    module holding `module_transaction` would still be open around them.
    """
    with _rolled_back_transaction(django_db_blocker):
        yield


@pytest.fixture(scope="class")
def demo_catalogue_for_class(class_transaction: None, django_db_blocker: Any) -> dict[str, Any]:
    """The demo district with its catalogue (`gongkai.demo.publishing`: 465 items of 宋村镇 and
    the search index, which costs seconds), loaded once for a test class.

    Tests reach it through function fixtures of the class that also ask for `db` (each test then
    runs in a savepoint, so what it publishes or changes is undone before the next):

        class TestOnTheDemoCatalogue:
            @pytest.fixture
            def district(self, demo_catalogue_for_class, db):
                return demo_catalogue_for_class
    """
    from gongkai.demo import publishing
    from gongkai.demo.district import ensure_district

    with django_db_blocker.unblock():
        district = ensure_district()
        publishing.load(district)
    return district


@pytest.fixture
def district(db: Any) -> dict[str, Any]:
    """The demo district (威海市文登区 and its agencies), created through the services."""
    from gongkai.demo.district import ensure_district

    return ensure_district()


@pytest.fixture
def user_named(district: dict[str, Any]) -> Any:
    def get(username: str) -> Any:
        return get_user_model().objects.get(username=username)

    return get


@pytest.fixture
def login(client: Client, user_named: Any) -> Any:
    """login("songcun_clerk") → the test client, logged in as that demo user."""

    def do(username: str) -> Client:
        client.force_login(user_named(username))
        return client

    return do


DEMO_PASSWORD = settings.GONGKAI_DEMO_PASSWORD
