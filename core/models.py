from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet, is_administrator


class JobQuerySet(RestrictedQuerySet):
    def scoped_for(self, user) -> JobQuerySet:  # type: ignore[no-untyped-def]
        # A job's progress and output belong to whoever started it.
        return self.filter(created_by=user)


class Job(models.Model):
    """A user-visible piece of background work and its progress.

    The task itself is a django-tasks row (durable, claimed by one worker); this row is what the UI
    polls or receives live: rows done, total, a message, the result, and a cancel request.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        SUCCEEDED = "succeeded", _("Hoàn thành")
        FAILED = "failed", _("Thất bại")
        CANCELLED = "cancelled", _("Đã huỷ")

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại"), max_length=64, db_index=True)
    label = models.CharField(_("mô tả"), max_length=200, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    cancel_requested = models.BooleanField(default=False)
    task_result_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written every few seconds by the worker running the job (core.tasking): a running job whose
    # heartbeat stopped lost its worker and is queued again or failed with a message.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # "host:pid" of the worker running it: on the same host a live process is not taken for dead, even
    # when its heartbeat is held up (by a long write transaction on SQLite, say).
    worker = models.CharField(max_length=200, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tác vụ nền")
        verbose_name_plural = _("tác vụ nền")

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.Status.SUCCEEDED else None
        return min(100, int(self.done * 100 / self.total))

    @property
    def seconds_left(self) -> int | None:
        """Linear estimate from the rate so far; None until there is a rate to go on."""
        if not (self.total and self.done and self.started_at) or self.is_finished:
            return None
        elapsed = (timezone.now() - self.started_at).total_seconds()
        return max(0, int(elapsed / self.done * (self.total - self.done)))

    def as_status(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "kind": self.kind,
            "label": self.label,
            "status": self.status,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "seconds_left": self.seconds_left,
            "message": self.message,
            "result": self.result,
            "error": self.error,
            "created_at": self.created_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


class AppendOnlyError(RuntimeError):
    """The audit log is append-only: rows are written once and never changed or deleted."""


class AuditEventQuerySet(RestrictedQuerySet):
    def scoped_for(self, user) -> AuditEventQuerySet:  # type: ignore[no-untyped-def]
        # Only administrators read the audit log.
        return self.all() if is_administrator(user) else self.none()

    def about_candidate(self, candidate_id: int | str) -> AuditEventQuerySet:
        """Events on the candidate itself and on records that belong to them (achievements ...),
        including those of records later merged into this one."""
        ids = [int(candidate_id)] + [
            int(i) for i in AuditEvent.objects.filter(action="candidate.merge", object_type="talent.candidate",
                                                      object_id=str(candidate_id))
            .values_list("changes__merged_from", flat=True) if i is not None]
        return self.filter(models.Q(object_type="talent.candidate", object_id__in=[str(i) for i in ids])
                           | models.Q(changes__candidate__in=ids))

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Who did what to which record, written by services in the same transaction as the change.

    Append-only: ``save()`` of an existing row and every delete raise ``AppendOnlyError``. Services
    keep personal values out of ``changes`` (names of changed fields, not their values), so the
    log never has to be edited when a person's record is anonymized.
    """

    # PROTECT: deleting an account must not quietly rewrite who did what (accounts are deactivated).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_id} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")


class NotificationQuerySet(RestrictedQuerySet):
    def scoped_for(self, user) -> NotificationQuerySet:  # type: ignore[no-untyped-def]
        return self.filter(user=user)

    def of(self, user: Any) -> NotificationQuerySet:
        """A person's own bell. Even an administrator's bell holds only their own lines."""
        return self.for_user(user).filter(user=user)


class Notification(models.Model):
    """One line in a person's notification bell; pushed live on ``ws/notifications/`` and readable later.

    Every app writes to the bell through ``core.notifications.notify``.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def as_message(self) -> dict[str, Any]:
        return {"id": self.pk, "kind": self.kind, "title": self.title, "body": self.body[:300], "url": self.url,
                "created_at": self.created_at.isoformat(), "read": self.read_at is not None}
