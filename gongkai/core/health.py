"""Database health: one cheap query, used by the health endpoint and the 503 handling."""

from __future__ import annotations

from django.db import DatabaseError, connection


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True
