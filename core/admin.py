"""Read-only admin lists for background jobs and the audit log: evidence is never edited by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.models import AuditEvent, Job


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by services only (history, audit, jobs): the admin may look, never touch."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("kind", "label", "status", "done", "total", "created_by", "created_at", "finished_at")
    list_filter = ("status", "kind")
    search_fields = ("label", "message")
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "action")
    list_select_related = ("actor",)
    date_hierarchy = "at"
