"""Consent per purpose and erasure requests (DESIGN §5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from talent.models import Candidate, CandidateChildQuerySet, Role, user_organization, user_role


class ConsentQuerySet(CandidateChildQuerySet):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """One person's (or their guardian's) agreement to one purpose, until it is withdrawn.

    A record is never edited except to stamp its withdrawal, so the history of every grant and
    withdrawal stays readable. Whether a candidate *has* consent is decided by ``privacy.rules``.
    """

    class Purpose(models.TextChoices):
        PROCESS_PROFILE = "process_profile", _("Xử lý hồ sơ")
        SHARE_WITH_RECRUITERS = "share_with_recruiters", _("Chia sẻ với nhà tuyển dụng")
        CONTACT_ABOUT_EVENTS = "contact_about_events", _("Liên hệ về sự kiện")

    class GivenBy(models.TextChoices):
        SELF = "self", _("Bản thân")
        GUARDIAN = "guardian", _("Cha mẹ / người giám hộ")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("mục đích"), max_length=32, choices=Purpose.choices)
    given_by = models.CharField(_("người đồng ý"), max_length=16, choices=GivenBy.choices)
    guardian_name = models.CharField(_("họ tên người giám hộ"), max_length=120, blank=True)
    # An uploaded signed form (consent recorded by staff), or empty for a grant the person made
    # themselves while signed in; ``evidence_note`` says which.
    evidence = models.FileField(_("minh chứng"), upload_to="consent-evidence/%Y/%m/", blank=True)
    evidence_note = models.CharField(_("ghi chú minh chứng"), max_length=255, blank=True)
    granted_at = models.DateTimeField(_("đồng ý lúc"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    withdrawn_at = models.DateTimeField(_("rút lại lúc"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("sự đồng ý")
        verbose_name_plural = _("sự đồng ý")
        constraints = [
            # At most one standing grant per person, purpose and giver.
            models.UniqueConstraint(fields=["candidate", "purpose", "given_by"], condition=Q(withdrawn_at__isnull=True),
                                    name="uniq_active_consent"),
        ]
        indexes = [models.Index(fields=["purpose", "given_by", "candidate"], condition=Q(withdrawn_at__isnull=True),
                                name="consent_active_idx")]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "active"
        return f"{self.candidate_id} {self.purpose} ({self.given_by}, {state})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class ErasureRequestQuerySet(RestrictedQuerySet):
    def scoped_for(self, user) -> ErasureRequestQuerySet:  # type: ignore[no-untyped-def]
        role = user_role(user)
        if role == Role.ADMIN:
            return self.all()
        if role == Role.STUDENT:
            return self.filter(candidate__user=user)
        org = user_organization(user)
        if role == Role.OFFICER and org is not None:
            return self.filter(candidate__organization__path__startswith=org.path)
        return self.none()


class ErasureRequest(models.Model):
    """A person asks for their record to be anonymized; a Youth Union officer in scope decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã ẩn danh")
        REJECTED = "rejected", _("Từ chối")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="erasure_requests")
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    reason = models.TextField(_("lý do"), blank=True)
    requested_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decision_note = models.CharField(_("ghi chú quyết định"), max_length=500, blank=True)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("yêu cầu xoá dữ liệu")
        verbose_name_plural = _("yêu cầu xoá dữ liệu")
        constraints = [
            models.UniqueConstraint(fields=["candidate"], condition=Q(status="pending"), name="uniq_pending_erasure"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.status}"
