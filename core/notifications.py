"""The notification bell: every app writes to it here, and the person reads it on any page.

A line is written in the caller's transaction and pushed live to ``user-<id>`` after the commit
(``ws/notifications/``); the bell's HTTP endpoints are how a client that reconnects catches up.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from core import live
from core.models import Notification


def notify(*, users: list[int], kind: str, title: str, body: str = "", url: str = "") -> int:
    """A bell line for each user, pushed live after the commit to ``user-<id>``; returns how many."""
    now = timezone.now()
    created = Notification.objects.bulk_create(
        [Notification(user_id=uid, kind=kind, title=title[:200], body=body, url=url[:300], created_at=now)
         for uid in dict.fromkeys(users)])
    for note in created:
        if note.pk is None:  # backends that do not return ids from bulk_create
            continue
        live.publish(f"user-{note.user_id}", "notification.new", note.as_message())
    return len(created)


def already_notified(kind: str) -> Any:
    """The users who already have a line of ``kind``: a reminder sent once a year asks this first."""
    return Notification.objects.filter(kind=kind).values("user")


@transaction.atomic
def notifications_mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    """Mark some (or, with ``ids`` None, all) of ``user``'s unread notifications read; other open tabs
    hear about it on ``user-<id>`` so their bell count follows. Returns how many changed."""
    unread = Notification.objects.of(user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    changed_ids = list(unread.values_list("pk", flat=True))
    if not changed_ids:
        return 0
    Notification.objects.filter(pk__in=changed_ids).update(read_at=timezone.now())
    live.publish(f"user-{user.pk}", "notification.read",
                 {"ids": changed_ids if ids is not None else "all", "unread": unread_count(user)})
    return len(changed_ids)


def unread_count(user: Any) -> int:
    return Notification.objects.of(user).filter(read_at__isnull=True).count()


def recent_notifications(user: Any, limit: int = 10) -> list[dict[str, Any]]:
    return [n.as_message() for n in Notification.objects.of(user).order_by("-created_at", "-id")[:limit]]
