"""Young cadres' careers and succession planning (quy hoạch) by position and term.

- ``PositionHeld``: a cadre's career as history — organization, title (and the ``Position`` when it is
  one of the leadership positions kept here), from–to and how they came to it. The open row is the
  current post; its start gives *years in the current post*.
- ``Position``: a leadership or management position (chức danh) of an organization, its level and seats.
- ``PositionStandard``: what a successor must meet for a position level, as versioned data naming its
  source (like the eligibility rule sets); the active version of a level applies.
- ``SuccessionPlan``: one per position and term (``2025-2030``); ``PlanMember`` rows are never
  deleted — a removed member keeps their row, status and reason, and ``PlanMemberEvent`` keeps every
  status change with who, when, a decision number and a note.

Scope: administrators see every plan; personnel officers and Youth Union officers see the positions and
plans of their organization subtree; liaisons, recruiters and students see none (``MANAGING``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from talent.models import Candidate, Organization, Role, user_organization, user_role

# Who plans: administrators and personnel officers (organization boards, the Department of Home
# Affairs) create positions and plans, approve, remove, review and calibrate in their subtree. Youth
# Union officers read the plans of their subtree and propose their young cadres. Nobody else sees plans.
PLANNERS = (Role.ADMIN, Role.PERSONNEL)
MANAGING = (*PLANNERS, Role.OFFICER)


def _subtree_filter(user: Any, field: str) -> models.Q | None:
    """The organizations ``user`` manages, as a filter on ``field`` (None: all of them)."""
    role = user_role(user)
    if role == Role.ADMIN:
        return None
    home = user_organization(user)
    if role not in MANAGING or home is None:
        return models.Q(pk__in=[])
    return models.Q(**{f"{field}__path__startswith": home.path})


class ScopedByOrganization(RestrictedQuerySet):
    organization_field = "organization"

    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        condition = _subtree_filter(user, self.organization_field)
        return self.all() if condition is None else self.filter(condition)


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/thành phố")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE = "commune", _("Xã, phường")
    PUBLIC_UNIT = "public_unit", _("Đơn vị sự nghiệp")
    YOUTH_UNION = "youth_union", _("Đoàn Thanh niên")


class Readiness(models.TextChoices):
    READY_NOW = "ready_now", _("Sẵn sàng ngay")
    ONE_TWO_YEARS = "1_2_years", _("Sau 1–2 năm")
    THREE_PLUS = "3_plus_years", _("Sau 3 năm trở lên")


class PositionQuerySet(ScopedByOrganization):
    pass


class Position(models.Model):
    organization = models.ForeignKey(Organization, verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                                     related_name="positions")
    title = models.CharField(_("chức danh"), max_length=255)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    seats = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức danh")
        verbose_name_plural = _("chức danh")
        ordering = ["organization__path", "title"]
        constraints = [models.UniqueConstraint(fields=["organization", "title"], name="uniq_position_title"),
                       models.CheckConstraint(condition=models.Q(seats__gte=1), name="position_has_a_seat")]

    def __str__(self) -> str:
        return f"{self.title} – {self.organization.name}"


class PositionStandard(models.Model):
    """The standards a successor must meet for positions of one level, as data. ``rules`` keys:
    ``degree`` (lowest education level: college, university, master, doctorate), ``political_theory``
    (so_cap, trung_cap, cao_cap, cu_nhan), ``language_level`` (verified certificate, 1–6),
    ``min_years_service`` (years since the first post held), ``max_age_first_planning`` (age on the day
    of first planning), ``max_plans_per_person`` (positions a person may be planned for at once) and
    ``min_successors`` (successors a position should have). A change is a new version."""

    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    rules = models.JSONField(_("tiêu chuẩn"), default=dict)
    source = models.CharField(_("căn cứ"), max_length=500)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tiêu chuẩn chức danh")
        verbose_name_plural = _("tiêu chuẩn chức danh")
        ordering = ["level", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["level", "version"], name="uniq_standard_version"),
            models.UniqueConstraint(fields=["level"], condition=models.Q(active=True), name="one_active_standard"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} v{self.version}"


class PositionHeldQuerySet(ScopedByOrganization):
    organization_field = "candidate__organization"


class PositionHeld(models.Model):
    class How(models.TextChoices):
        APPOINTED = "appointed", _("Bổ nhiệm")
        TRANSFERRED = "transferred", _("Điều động")
        ROTATED = "rotated", _("Luân chuyển")
        ELECTED = "elected", _("Bầu cử")
        RECRUITED = "recruited", _("Tuyển dụng")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="positions_held")
    organization = models.ForeignKey(Organization, verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                                     related_name="+")
    title = models.CharField(_("chức vụ"), max_length=255)
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.SET_NULL, related_name="holders")
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    how = models.CharField(_("hình thức"), max_length=16, choices=How.choices, default=How.APPOINTED)

    objects = PositionHeldQuerySet.as_manager()

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["candidate", "started_on"]
        constraints = [models.CheckConstraint(condition=models.Q(ended_on__isnull=True)
                                              | models.Q(ended_on__gte=models.F("started_on")),
                                              name="post_ends_after_it_starts")]


class SuccessionPlanQuerySet(ScopedByOrganization):
    organization_field = "position__organization"


class PlanReviewQuerySet(ScopedByOrganization):
    organization_field = "plan__position__organization"


class SuccessionPlan(models.Model):
    position = models.ForeignKey(Position, verbose_name=_("chức danh"), on_delete=models.PROTECT,
                                 related_name="plans")
    term = models.CharField(_("nhiệm kỳ"), max_length=9, help_text=_("Ví dụ: 2025-2030"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SuccessionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy hoạch chức danh")
        verbose_name_plural = _("quy hoạch chức danh")
        ordering = ["-term", "position__organization__path", "position__title"]
        constraints = [models.UniqueConstraint(fields=["position", "term"], name="one_plan_per_position_term")]

    def __str__(self) -> str:
        return f"{self.position.title} ({self.term})"

    @property
    def term_start_year(self) -> int:
        return int(self.term[:4])


class PlanMember(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề xuất")
        APPROVED = "approved", _("Đã phê duyệt")
        REMOVED = "removed", _("Đưa ra khỏi quy hoạch")

    class RemovalReason(models.TextChoices):
        STANDARDS = "standards", _("Không đủ tiêu chuẩn, điều kiện")
        EFFORT = "effort", _("Không có ý thức rèn luyện, phấn đấu")
        TRANSFERRED = "transferred", _("Chuyển công tác")
        APPOINTED = "appointed", _("Đã được bổ nhiệm")
        OTHER = "other", _("Khác")

    plan = models.ForeignKey(SuccessionPlan, on_delete=models.PROTECT, related_name="members")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="plan_memberships")
    readiness = models.CharField(_("mức sẵn sàng"), max_length=16, choices=Readiness.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    emergency = models.BooleanField(_("kế nhiệm khẩn cấp"), default=False)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decision_number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    removal_reason = models.CharField(_("lý do đưa ra"), max_length=16, choices=RemovalReason.choices, blank=True)
    removal_note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # An administrator's approved exception to a standard the person does not meet, with its reason.
    exception_reason = models.CharField(_("lý do ngoại lệ"), max_length=500, blank=True)
    standards_failed = models.JSONField(default=list, blank=True)  # the rules waived by the exception

    class Meta:
        verbose_name = _("người trong quy hoạch")
        verbose_name_plural = _("người trong quy hoạch")
        ordering = ["plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "candidate"], condition=~models.Q(status="removed"),
                                               name="one_live_membership_per_plan")]


class PlanMemberEvent(models.Model):
    """One status change of a plan member, kept for the plan's history."""

    member = models.ForeignKey(PlanMember, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(max_length=16, choices=PlanMember.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("lịch sử quy hoạch")
        verbose_name_plural = _("lịch sử quy hoạch")
        ordering = ["member", "at", "pk"]


class StructureTarget(models.Model):
    """A minimum share the resolutions ask of planning (young cadres, women, ethnic minorities), as data
    naming its source. One active version per measure; a change is a new version. ``parameters`` holds
    what the measure needs (the young share's ``under_age``)."""

    class Measure(models.TextChoices):
        YOUNG = "young_share", _("Cán bộ trẻ")
        WOMEN = "women_share", _("Cán bộ nữ")
        MINORITY = "minority_share", _("Cán bộ người dân tộc thiểu số")

    measure = models.CharField(_("chỉ số"), max_length=16, choices=Measure.choices)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    minimum = models.DecimalField(_("tối thiểu"), max_digits=4, decimal_places=3)
    parameters = models.JSONField(default=dict, blank=True)
    source = models.CharField(_("căn cứ"), max_length=500)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chỉ tiêu cơ cấu quy hoạch")
        verbose_name_plural = _("chỉ tiêu cơ cấu quy hoạch")
        ordering = ["measure", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "version"], name="uniq_structure_target_version"),
            models.UniqueConstraint(fields=["measure"], condition=models.Q(active=True),
                                    name="one_active_structure_target"),
            models.CheckConstraint(condition=models.Q(minimum__gte=0) & models.Q(minimum__lte=1),
                                   name="structure_target_is_a_share"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} ≥ {self.minimum:.0%}"


class PlanReview(models.Model):
    """The yearly review of one plan (rà soát quy hoạch hằng năm, before 31/12): opened for a year, each
    live member decided (kept, readiness changed, removed; people added), then signed off. The signed
    outcome is kept as ``snapshot`` — members, structure and the changes — for the printed report."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang rà soát")
        SIGNED = "signed", _("Đã ký duyệt")

    plan = models.ForeignKey(SuccessionPlan, on_delete=models.PROTECT, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("kết luận"), max_length=1000, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)

    objects = PlanReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("rà soát quy hoạch")
        verbose_name_plural = _("rà soát quy hoạch")
        ordering = ["-year", "plan"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="one_review_per_plan_year")]

    def __str__(self) -> str:
        return f"{self.plan} – {self.year}"

    def overdue_on(self, today: Any) -> bool:
        """Unsigned after 31/12 of its year."""
        return self.status != self.Status.SIGNED and today > dt.date(self.year, 12, 31)


class ReviewDecision(models.Model):
    """What the review decided about one member."""

    class Kind(models.TextChoices):
        KEPT = "kept", _("Giữ nguyên")
        READINESS = "readiness", _("Thay đổi mức sẵn sàng")
        REMOVED = "removed", _("Đưa ra khỏi quy hoạch")
        ADDED = "added", _("Bổ sung vào quy hoạch")

    review = models.ForeignKey(PlanReview, on_delete=models.PROTECT, related_name="decisions")
    member = models.ForeignKey(PlanMember, on_delete=models.PROTECT, related_name="review_decisions")
    kind = models.CharField(_("quyết định"), max_length=16, choices=Kind.choices)
    before = models.CharField(max_length=64, blank=True)
    after = models.CharField(max_length=64, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kết quả rà soát")
        verbose_name_plural = _("kết quả rà soát")
        ordering = ["review", "at", "pk"]


class Box(models.TextChoices):
    """One axis of the 9-box grid."""

    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")


class Calibration(models.Model):
    """A committee's calibration of a plan's 9-box: people moved between boxes, each with a reason; closing
    it keeps the final grid as a snapshot."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang hiệu chỉnh")
        CLOSED = "closed", _("Đã chốt")

    plan = models.ForeignKey(SuccessionPlan, on_delete=models.PROTECT, related_name="calibrations")
    title = models.CharField(_("phiên hiệu chỉnh"), max_length=200)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(default=list, blank=True)  # the final nine cells

    class Meta:
        verbose_name = _("phiên hiệu chỉnh 9 ô")
        verbose_name_plural = _("phiên hiệu chỉnh 9 ô")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["plan"], condition=models.Q(status="open"),
                                               name="one_open_calibration_per_plan")]

    def __str__(self) -> str:
        return self.title


class CalibrationMove(models.Model):
    calibration = models.ForeignKey(Calibration, on_delete=models.PROTECT, related_name="moves")
    member = models.ForeignKey(PlanMember, on_delete=models.PROTECT, related_name="calibration_moves")
    from_performance = models.CharField(max_length=8, choices=Box.choices)
    from_potential = models.CharField(max_length=8, choices=Box.choices)
    to_performance = models.CharField(_("hiệu quả công việc"), max_length=8, choices=Box.choices)
    to_potential = models.CharField(_("tiềm năng"), max_length=8, choices=Box.choices)
    reason = models.CharField(_("lý do"), max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("điều chỉnh ô")
        verbose_name_plural = _("điều chỉnh ô")
        ordering = ["calibration", "at", "pk"]


class RotationPlanQuerySet(ScopedByOrganization):
    organization_field = "candidate__organization"


class RotationPlan(models.Model):
    """A planned rotation (luân chuyển) of a cadre: from their post to another unit's, with dates and a
    status. Starting it closes the current post and opens the new one in the career (how: luân chuyển)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Dự kiến")
        STARTED = "started", _("Đang luân chuyển")
        DONE = "done", _("Đã hoàn thành")
        CANCELLED = "cancelled", _("Đã huỷ")

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="rotations")
    from_organization = models.ForeignKey(Organization, verbose_name=_("từ đơn vị"), on_delete=models.PROTECT,
                                          related_name="+")
    from_title = models.CharField(_("từ chức vụ"), max_length=255)
    to_organization = models.ForeignKey(Organization, verbose_name=_("đến đơn vị"), on_delete=models.PROTECT,
                                        related_name="+")
    to_title = models.CharField(_("đến chức vụ"), max_length=255)
    to_position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RotationPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch luân chuyển")
        verbose_name_plural = _("kế hoạch luân chuyển")
        ordering = ["starts_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__isnull=True)
                                              | models.Q(ends_on__gte=models.F("starts_on")),
                                              name="rotation_ends_after_it_starts")]


class FastTrackRuleSet(models.Model):
    """The criteria of a fast-track (bổ nhiệm vượt cấp) nomination, as versioned data naming its source:
    ``excellent_years`` (excellent annual rating in each of the last N years), ``leadership_training``
    (a leadership-skills course completed), ``position_standards`` (the target position's standards met)."""

    version = models.PositiveSmallIntegerField(_("phiên bản"), unique=True)
    rules = models.JSONField(_("tiêu chí"), default=dict)
    source = models.CharField(_("căn cứ"), max_length=500)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tiêu chí bổ nhiệm vượt cấp")
        verbose_name_plural = _("tiêu chí bổ nhiệm vượt cấp")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["active"], condition=models.Q(active=True),
                                               name="one_active_fast_track_rules")]


class FastTrackNominationQuerySet(ScopedByOrganization):
    organization_field = "position__organization"


class FastTrackNomination(models.Model):
    """A nomination for appointment ahead of the usual steps to ``position``, recorded with the checks it
    passed (the rule set's version) — only when every criterion is met."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="fast_track_nominations")
    position = models.ForeignKey(Position, verbose_name=_("chức danh"), on_delete=models.PROTECT, related_name="+")
    rule_set = models.ForeignKey(FastTrackRuleSet, on_delete=models.PROTECT, related_name="+")
    checks = models.JSONField(default=list)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)

    objects = FastTrackNominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề xuất bổ nhiệm vượt cấp")
        verbose_name_plural = _("đề xuất bổ nhiệm vượt cấp")
        ordering = ["-proposed_at", "-pk"]
