"""Rubrics (versioned data), score runs, eligibility rule sets, the potential model and contests.

An active rubric version is immutable: a score run points at the exact version it used and keeps
each candidate's raw values, so any past ranking can be recomputed and compared.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from talent.models import Candidate


def _staff(user: Any) -> bool:
    from talent.permissions import can_manage_candidates

    return can_manage_candidates(user)


class PublicQuerySet(RestrictedQuerySet):
    """Rubrics and rule sets are read by every signed-in person: how one is ranked is not a secret."""

    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        return self.all()


class Rubric(models.Model):
    slug = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")

    def __str__(self) -> str:
        return self.name

    @property
    def active_version(self) -> RubricVersion | None:
        return self.versions.filter(state=RubricVersion.State.ACTIVE).first()


class RubricVersion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        ACTIVE = "active", _("Đang áp dụng")
        ARCHIVED = "archived", _("Đã lưu trữ")

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    state = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.DRAFT)
    criteria = models.JSONField(default=list)
    filters = models.JSONField(default=list, blank=True)
    note = models.CharField(_("ghi chú thay đổi"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    activated_at = models.DateTimeField(null=True, blank=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản bộ tiêu chí")
        verbose_name_plural = _("phiên bản bộ tiêu chí")
        ordering = ["rubric", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "number"], name="uniq_rubric_version_number"),
            models.UniqueConstraint(fields=["rubric"], condition=Q(state="active"), name="one_active_rubric_version"),
        ]

    def __str__(self) -> str:
        return f"{self.rubric.slug} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A version that has been active is frozen: only its state (active → archived) may change.
        if self.pk:
            stored = RubricVersion.objects.filter(pk=self.pk).values("state", "criteria", "filters").first()
            if stored and stored["state"] != self.State.DRAFT and (
                    stored["criteria"] != self.criteria or stored["filters"] != self.filters):
                raise ValidationError("Phiên bản đã áp dụng không được sửa; hãy tạo phiên bản mới.")
        super().save(*args, **kwargs)

    def engine_criteria(self) -> list[Any]:
        from scoring.engine import Criterion

        return [Criterion.from_dict(c) for c in self.criteria]

    def engine_filters(self) -> list[Any]:
        from scoring.engine import Filter

        return [Filter.from_dict(f) for f in self.filters]


class ScoreRunQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        return self.all() if _staff(user) else self.none()


class ScoreRun(models.Model):
    """One ranking of one cohort under one rubric version, kept so it can be shown and reproduced."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Đang tính")
        SUCCEEDED = "succeeded", _("Hoàn thành")
        FAILED = "failed", _("Thất bại")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="runs")
    cohort = models.CharField(_("nhóm xếp hạng"), max_length=64, default="all")
    cohort_label = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    size = models.PositiveIntegerField(default=0)
    excluded = models.PositiveIntegerField(default=0)
    # Why those not ranked were not: {reason: how many}, the engine's reasons (a failed filter, a missing
    # required value, no data at all).
    exclusions = models.JSONField(default=dict, blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScoreRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần xếp hạng")
        verbose_name_plural = _("lần xếp hạng")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["version", "cohort", "status", "-created_at"], name="scorerun_latest")]

    def __str__(self) -> str:
        return f"{self.version} {self.cohort} {self.created_at:%d/%m/%Y %H:%M}"


class ScoreQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        # Students never see others' ranks; their own breakdown is read through their own record.
        from talent.models import Role, user_role

        if user_role(user) == Role.STUDENT:
            return self.filter(candidate__user=user)
        return self.filter(candidate__in=Candidate.objects.for_user(user).values("pk"))


class Score(models.Model):
    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scores")
    # Standard competition rank ("1, 2, 2, 4"): equal scores share it (scoring.engine rule 6).
    rank = models.PositiveIntegerField()
    # The place in the run's list (1..size, unique): the order of the engine, ties included.
    position = models.PositiveIntegerField()
    score = models.FloatField()
    percentile = models.FloatField()
    contributions = models.JSONField(default=dict)
    values = models.JSONField(default=dict)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("điểm xếp hạng")
        verbose_name_plural = _("điểm xếp hạng")
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="uniq_score_position"),
            models.UniqueConstraint(fields=["run", "candidate"], name="uniq_score_candidate"),
        ]
        indexes = [models.Index(fields=["run", "rank"], name="score_run_rank")]


class EligibilityRuleSet(models.Model):
    """Rules from law or policy, as data an administrator can read, edit and cite (DESIGN §4).

    ``rules`` is a list of ``{"key", "label", "source", "mode": "all"|"any", "conditions": [{"feature",
    "op", "value", "label"}]}``; the set passes when every rule passes.
    """

    slug = models.SlugField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    source = models.CharField(_("căn cứ"), max_length=500)
    caution = models.CharField(_("lưu ý"), max_length=500, blank=True)
    rules = models.JSONField(default=list)
    # The levels of study (EducationRecord.Level) whose people the set is about; empty: everyone. A
    # graduate-attraction rule set is not shown to a grade-12 pupil as "not met".
    levels = models.JSONField(_("áp dụng cho bậc học"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("bộ điều kiện")
        verbose_name_plural = _("bộ điều kiện")

    def level_labels(self) -> list[str]:
        from talent.models import EducationRecord

        names = dict(EducationRecord.Level.choices)
        return [str(names.get(level, level)) for level in self.levels]

    def __str__(self) -> str:
        return self.name


class PotentialModelQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        return self.all() if _staff(user) else self.none()


class PotentialModel(models.Model):
    """A trained estimate of the chance to progress, with its model card. Advisory only."""

    version = models.PositiveIntegerField(unique=True)
    card = models.JSONField(default=dict)
    features = models.JSONField(default=list)
    artifact = models.BinaryField()
    active = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PotentialModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("mô hình dự báo")
        verbose_name_plural = _("mô hình dự báo")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="one_active_model")]


class RecordContestQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        from talent.models import Role, user_role

        if user_role(user) == Role.STUDENT:
            return self.filter(candidate__user=user)
        if not _staff(user):
            return self.none()
        return self.filter(candidate__in=Candidate.objects.for_user(user).values("pk"))


class RecordContest(models.Model):
    """A student says a record behind their score is wrong: a verification task for their liaison."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ xác minh")
        CORRECTED = "corrected", _("Đã sửa")
        REJECTED = "rejected", _("Giữ nguyên")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="contests")
    criterion = models.CharField(_("tiêu chí"), max_length=64)
    criterion_label = models.CharField(max_length=200, blank=True)
    rubric = models.ForeignKey(Rubric, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.CharField(_("trả lời"), max_length=500, blank=True)

    objects = RecordContestQuerySet.as_manager()

    class Meta:
        verbose_name = _("phản hồi hồ sơ")
        verbose_name_plural = _("phản hồi hồ sơ")
        ordering = ["-created_at"]
