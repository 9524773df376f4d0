from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Job
from core.scoping import RestrictedQuerySet


class ImportBatchQuerySet(RestrictedQuerySet):
    def scoped_for(self, user) -> ImportBatchQuerySet:  # type: ignore[no-untyped-def]
        from talent.models import Role, user_role

        # An upload holds personal data: its owner and administrators see it, nobody else.
        return self.all() if user_role(user) == Role.ADMIN else self.filter(created_by=user)


def upload_path(instance: ImportBatch, filename: str) -> str:
    suffix = "".join(c for c in filename.rsplit(".", 1)[-1].lower() if c.isalnum())[:5] if "." in filename else ""
    return f"imports/{instance.pk}.{suffix or 'dat'}"


class ImportBatch(models.Model):
    """One uploaded file and its two steps: validate (a preview, nothing stored), then commit."""

    class Kind(models.TextChoices):
        CANDIDATES = "candidates", _("Danh sách ứng viên")
        EXAM_RESULTS = "exam_results", _("Kết quả thi tốt nghiệp THPT")
        CADRES = "cadres", _("Danh sách cán bộ (chức vụ hiện tại)")

    class State(models.TextChoices):
        VALIDATING = "validating", _("Đang kiểm tra")
        VALIDATED = "validated", _("Đã kiểm tra, chờ ghi")
        COMMITTING = "committing", _("Đang ghi")
        COMMITTED = "committed", _("Đã ghi")
        FAILED = "failed", _("Không đọc được tệp")
        CANCELLED = "cancelled", _("Đã huỷ")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại dữ liệu"), max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to=upload_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    organization = models.ForeignKey("talent.Organization", verbose_name=_("nhập vào đơn vị"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm thi"), null=True, blank=True)
    all_or_nothing = models.BooleanField(_("chỉ ghi khi không có lỗi nào"), default=False)
    state = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.VALIDATING)
    validate_job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    commit_job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The last report (validation or commit): counts, a sample of errors, a preview of rows.
    report = models.JSONField(default=dict, blank=True)
    message = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.original_name}"

    @property
    def current_job(self) -> Job | None:
        return self.commit_job or self.validate_job

    @property
    def counts(self) -> dict[str, Any]:
        return self.report.get("counts", {})
