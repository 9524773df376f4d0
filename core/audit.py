from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from core.models import AuditEvent

# What each action code means, in words (the audit log shows these, never the codes). Every app names
# the actions it writes in its AppConfig.ready, so this floor knows no app above it; a test checks that
# every action written anywhere has a name.
_ACTION_LABELS: dict[str, Any] = {}


def register_actions(labels: Mapping[str, Any]) -> None:
    """Name the audit actions an app writes (``{"pool.add": _("Thêm vào nguồn")}``)."""
    _ACTION_LABELS.update(labels)


def action_label(code: str) -> Any | None:
    return _ACTION_LABELS.get(code)


def action_labels() -> dict[str, Any]:
    """Every named action, code → words."""
    return dict(_ACTION_LABELS)


def jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def audit(*, actor: Any, action: str, obj: models.Model, changes: dict[str, Any] | None = None) -> AuditEvent:
    """Record an action; sensitive values must be left out of ``changes`` by the caller."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        changes={k: jsonable(v) for k, v in (changes or {}).items()},
    )
