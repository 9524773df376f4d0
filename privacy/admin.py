"""Consent and erasure records in the Django admin: read-only, since every change is a service call
(the pages and the API) that checks scope and writes the audit log."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin
from privacy.models import Consent, ErasureRequest


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("candidate", "purpose", "given_by", "granted_at", "withdrawn_at", "recorded_by")
    list_filter = ("purpose", "given_by", ("withdrawn_at", admin.EmptyFieldListFilter))
    list_select_related = ("candidate", "recorded_by")
    raw_id_fields = ("candidate",)
    exclude = ("evidence",)  # the signed form is downloaded through the audited page, not the admin


@admin.register(ErasureRequest)
class ErasureRequestAdmin(ReadOnlyAdmin):
    list_display = ("candidate", "status", "requested_at", "decided_by", "decided_at")
    list_filter = ("status",)
    list_select_related = ("candidate", "decided_by")
