from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the admin offers no add, change or delete path for audit rows."""

    list_display = ("id", "at", "actor_label", "verb", "target_type", "target_id")
    list_filter = ("verb",)
    search_fields = ("verb", "target_id", "actor_label")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
