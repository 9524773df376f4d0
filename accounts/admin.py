"""The Django admin's user pages, narrowed: accounts are created, deactivated and reactivated in
the app (``/accounts/users/``) through ``accounts.services``, which enforce the role rules and write
the audit log. Here an administrator may still correct names and e-mail and set a password."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

User = get_user_model()


class AccountAdmin(UserAdmin):
    readonly_fields = ("username", "is_active", "is_staff", "is_superuser", "groups", "user_permissions",
                       "last_login", "date_joined")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Audit events point at their actors; accounts are deactivated, never deleted.
        return False


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
