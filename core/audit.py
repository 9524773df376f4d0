from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from core.models import AuditEvent


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
