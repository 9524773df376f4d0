"""Logins go to the audit log: each success, each failure and each lockout, one row apiece.

Rows name the account as their object ("auth.user") when it exists; only an attempt on a username
that matches no account keeps what was typed. The password is never read: Django hands failure
receivers credentials with the password already masked.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts.security import client_ip
from core.audit import audit
from core.models import AuditEvent

USERNAME_MAX = 150  # an attacker chooses the attempted username; keep no more than a real one


def _ip(request: Any) -> str | None:
    if request is None:
        return None
    # django-axes has already resolved it on requests it has seen (same rule as client_ip).
    return getattr(request, "axes_ip_address", None) or client_ip(request)


def _via(request: Any) -> str:
    path = getattr(request, "path", "") or ""
    return "api" if path.startswith("/api/") else "web"


def _audit_attempt(action: str, username: str, changes: dict[str, Any]) -> None:
    """A row about the account called ``username``; the lookup is by the unique username index."""
    user = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first() \
        if username else None
    if user is not None:
        # The row points at the account; its name (often the person's own) is not copied in, so
        # closing the account on an erasure leaves nothing personal behind here.
        audit(actor=None, action=action, obj=user, changes=changes)
    else:  # no such account: what was typed is the only clue, so it is kept
        AuditEvent.objects.create(actor=None, action=action, object_type="auth.user", object_id="",
                                  changes={"username": username, **changes})


@receiver(user_logged_in, dispatch_uid="accounts.audit_login")
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit(actor=user, action="auth.login", obj=user, changes={"ip": _ip(request), "via": _via(request)})


@receiver(user_login_failed, dispatch_uid="accounts.audit_login_failed")
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username") or "")
    _audit_attempt("auth.login_failed", username[:USERNAME_MAX], {
        "ip": _ip(request),
        "via": _via(request),
        # True on the attempt that triggered a lockout and on every attempt refused during one
        # (django-axes' receiver, connected before this one, has marked the request by then).
        "locked_out": bool(getattr(request, "axes_locked_out", False)),
    })


@receiver(user_locked_out, dispatch_uid="accounts.audit_locked_out")
def audit_locked_out(sender: Any, request: Any = None, username: str | None = None,
                     ip_address: str | None = None, **kwargs: Any) -> None:
    # django-axes sends this signal again for every attempt refused during a lockout; only the
    # attempt that started it has counted failures, so one row is written per lockout.
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    _audit_attempt("auth.locked_out", str(username or "")[:USERNAME_MAX], {
        "ip": ip_address,
        "via": _via(request),
        "failures": failures,
    })
