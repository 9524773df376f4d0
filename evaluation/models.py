"""Evaluation of cadres, monthly and yearly, by several raters (issue 17).

- ``EvaluationForm``: the criteria groups (weights, point scales), how much each kind of rater counts,
  the thresholds of the four ratings, the peers needed before peers' points count, and the yearly rule
  — versioned data naming its source; the active version is used by new cycles.
- ``EvaluationCycle``: monthly (``period`` 2026-11) or yearly (2026) for an organization subtree, with a
  deadline: draft → open → closed → finalized. Finalizing a yearly cycle writes each person's
  ``talent.AnnualRating`` (the one rating scoring, planning and the 9-box read).
- ``RaterAssignment``: who rates whom in a cycle, as what (self, manager, peer, committee).
- ``Evaluation``: one rater's points for one person in a cycle, submitted once, never changed.
- ``EvaluationResult``: the finalized total, rating and contributions per person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from talent.models import Candidate, Organization, Role, user_organization, user_role

RUNNERS = (Role.ADMIN, Role.PERSONNEL)


class EvaluationForm(models.Model):
    version = models.PositiveSmallIntegerField(_("phiên bản"), unique=True)
    name = models.CharField(_("tên phiếu"), max_length=200)
    groups = models.JSONField(_("nhóm tiêu chí"), default=list)
    rater_weights = models.JSONField(default=dict)
    thresholds = models.JSONField(default=list)
    min_peers = models.PositiveSmallIntegerField(default=3)
    yearly_rule = models.JSONField(default=dict)
    source = models.CharField(_("căn cứ"), max_length=500)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu đánh giá")
        verbose_name_plural = _("phiếu đánh giá")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["active"], condition=models.Q(active=True),
                                               name="one_active_evaluation_form")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class CycleQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        """Runners see the cycles of their subtree; anyone else only cycles they rate or are rated in."""
        role = user_role(user)
        if role == Role.ADMIN:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        home = user_organization(user)
        # Subqueries, not joins: a join through the assignments (hundreds of thousands of rows) with OR
        # and DISTINCT made the roll-up take seconds.
        own = models.Q(pk__in=RaterAssignment.objects.filter(
            models.Q(rater=user) | models.Q(candidate__user=user)).values("cycle_id"))
        if role == Role.PERSONNEL and home is not None:
            return self.filter(models.Q(organization__path__startswith=home.path) | own)
        return self.filter(own)


class EvaluationCycle(models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Hằng tháng")
        YEARLY = "yearly", _("Hằng năm")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang chuẩn bị")
        OPEN = "open", _("Đang đánh giá")
        CLOSED = "closed", _("Đã hết hạn")
        FINALIZED = "finalized", _("Đã chốt kết quả")

    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    period = models.CharField(_("kỳ"), max_length=7, help_text=_("2026-11 cho tháng, 2026 cho năm"))
    organization = models.ForeignKey(Organization, verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                                     related_name="evaluation_cycles")
    form = models.ForeignKey(EvaluationForm, on_delete=models.PROTECT, related_name="cycles")
    deadline = models.DateField(_("hạn đánh giá"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(_("kết luận của hội đồng"), max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finalized_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    finalized_at = models.DateTimeField(null=True, blank=True)
    # Kept by the services (evaluation.tally) so the roll-up reads one row per cycle, never the sheets:
    # raters assigned, people rated, sheets sent, and the finalized ratings by key.
    assigned_count = models.PositiveIntegerField(default=0)
    people_count = models.PositiveIntegerField(default=0)
    submitted_count = models.PositiveIntegerField(default=0)
    rating_counts = models.JSONField(default=dict, blank=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")
        ordering = ["-period", "organization__path"]
        constraints = [models.UniqueConstraint(fields=["organization", "kind", "period"], name="one_cycle_per_period")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} – {self.organization.name}"

    @property
    def year(self) -> int:
        return int(self.period[:4])

    def past_deadline(self) -> bool:
        return timezone.localdate() > self.deadline


class RaterAssignment(models.Model):
    class As(models.TextChoices):
        SELF = "self", _("Tự đánh giá")
        MANAGER = "manager", _("Thủ trưởng trực tiếp")
        PEER = "peer", _("Đồng nghiệp")
        COMMITTEE = "committee", _("Tập thể, hội đồng")

    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.CASCADE, related_name="assignments")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rater_as = models.CharField(_("vai trò đánh giá"), max_length=10, choices=As.choices)

    class Meta:
        verbose_name = _("phân công đánh giá")
        verbose_name_plural = _("phân công đánh giá")
        constraints = [models.UniqueConstraint(fields=["cycle", "candidate", "rater"], name="one_role_per_rater")]


class Evaluation(models.Model):
    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.CASCADE, related_name="evaluations")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rater_as = models.CharField(max_length=10, choices=RaterAssignment.As.choices)
    scores = models.JSONField(default=dict)
    comment = models.CharField(_("nhận xét"), max_length=1000, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phiếu đã chấm")
        verbose_name_plural = _("phiếu đã chấm")
        constraints = [models.UniqueConstraint(fields=["cycle", "candidate", "rater"], name="one_evaluation_per_rater")]


class EvaluationResult(models.Model):
    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.CASCADE, related_name="results")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="evaluation_results")
    total = models.DecimalField(max_digits=5, decimal_places=2)
    rating = models.CharField(max_length=16)
    contributions = models.JSONField(default=dict)
    rater_count = models.PositiveSmallIntegerField(default=0)
    disciplined = models.BooleanField(default=False)
    # The committee's comment on this person, written when the results are fixed; the person sees it.
    comment = models.CharField(_("nhận xét của hội đồng"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("kết quả đánh giá")
        verbose_name_plural = _("kết quả đánh giá")
        constraints = [models.UniqueConstraint(fields=["cycle", "candidate"], name="one_result_per_person")]


class EvaluationTask(models.Model):
    """A quantified task of a monthly cycle: who, what, by when ("rõ người, rõ việc, rõ thời gian"), and
    whether it was done, done late or not done; the tasks give the results criterion its points."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang thực hiện")
        DONE = "done", _("Hoàn thành đúng hạn")
        LATE = "late", _("Hoàn thành chậm")
        NOT_DONE = "not_done", _("Không hoàn thành")

    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.CASCADE, related_name="tasks")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("nhiệm vụ"), max_length=300)
    due_on = models.DateField(_("thời hạn"))
    status = models.CharField(_("kết quả"), max_length=10, choices=Status.choices, default=Status.PENDING)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhiệm vụ được giao")
        verbose_name_plural = _("nhiệm vụ được giao")
        ordering = ["cycle", "candidate", "due_on", "pk"]
