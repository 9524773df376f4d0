"""Openings (jobs and internships), shortlists with stages, ratings and notes, placements with mentor
feedback, and the resolutions' targets as data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from talent.models import Candidate, EducationRecord, Organization, Role, user_organization, user_role


def _managed_agencies(user: Any) -> Any:
    """Organizations whose openings ``user`` runs: an administrator all (None), a recruiter their agency,
    an officer their subtree (Youth Union units open internships too)."""
    role = user_role(user)
    if role == Role.ADMIN:
        return None
    org = user_organization(user)
    if role in (Role.RECRUITER, Role.OFFICER, Role.LIAISON) and org is not None:
        return Organization.objects.filter(path__startswith=org.path)
    return Organization.objects.none()


class OpeningQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        # Open positions are published: everyone signed in sees them; closed ones, and those whose
        # period has ended, only their managers.
        agencies = _managed_agencies(user)
        managed = Q() if agencies is None else Q(agency__in=agencies)
        published = Q(status=Opening.Status.OPEN) & (Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()))
        return self.filter(published | managed)

    def managed_by(self, user: Any) -> OpeningQuerySet:
        agencies = _managed_agencies(user)
        return self.all() if agencies is None else self.filter(agency__in=agencies)


class Opening(models.Model):
    class Kind(models.TextChoices):
        JOB = "job", _("Việc làm")
        INTERNSHIP = "internship", _("Thực tập, kiến tập")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang tuyển")
        CLOSED = "closed", _("Đã đóng")

    title = models.CharField(_("vị trí"), max_length=200)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    agency = models.ForeignKey(Organization, verbose_name=_("cơ quan"), on_delete=models.PROTECT,
                               related_name="openings")
    unit = models.CharField(_("phòng, ban"), max_length=200, blank=True)
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người hướng dẫn"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="mentored_openings")
    slots = models.PositiveIntegerField(_("số chỉ tiêu"), validators=[MinValueValidator(1)])
    description = models.TextField(_("mô tả"), blank=True)
    # Requirements of the job position.
    degree_level = models.CharField(_("trình độ tối thiểu"), max_length=16, choices=EducationRecord.Level.choices,
                                    blank=True)
    major_group = models.CharField(_("nhóm ngành"), max_length=160, blank=True)
    language_level = models.PositiveSmallIntegerField(_("bậc ngoại ngữ tối thiểu"), null=True, blank=True,
                                                      validators=[MinValueValidator(1), MaxValueValidator(6)])
    political_theory = models.CharField(_("lý luận chính trị tối thiểu"), max_length=16,
                                        choices=Candidate.PoliticalTheory.choices, blank=True)
    skills = models.JSONField(_("kỹ năng"), default=list, blank=True)
    rubric = models.ForeignKey("scoring.Rubric", verbose_name=_("bộ tiêu chí xếp hạng"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    # Blind review: names are hidden on the board until an entry reaches this stage ("" = never hidden).
    reveal_names_at = models.CharField(_("hiện tên từ vòng"), max_length=12, blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.OPEN)
    starts_on = models.DateField(_("bắt đầu"), null=True, blank=True)
    ends_on = models.DateField(_("kết thúc"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OpeningQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("vị trí tuyển")
        verbose_name_plural = _("vị trí tuyển")

    def __str__(self) -> str:
        return self.title

    PHASE_LABELS = {"open": _("Đang tuyển"), "under_way": _("Đang diễn ra"), "ended": _("Đã kết thúc"),
                    "closed": _("Đã đóng")}

    @property
    def phase(self) -> str:
        """What a reader needs to know today: still recruiting, its period under way (an internship that
        has started), its period over, or closed by its managers. Only "open" takes applications."""
        if self.status == self.Status.CLOSED:
            return "closed"
        today = timezone.localdate()
        if self.ends_on is not None and self.ends_on < today:
            return "ended"
        if self.starts_on is not None and self.starts_on <= today:
            return "under_way"
        return "open"

    @property
    def phase_label(self) -> str:
        return str(self.PHASE_LABELS[self.phase])


class ShortlistStage(models.TextChoices):
    SHORTLISTED = "shortlisted", _("Danh sách ngắn")
    CONTACTED = "contacted", _("Đã liên hệ")
    INTERVIEW = "interview", _("Phỏng vấn")
    OFFER = "offer", _("Mời nhận việc")
    HIRED = "hired", _("Đã nhận")
    DECLINED = "declined", _("Ứng viên từ chối")
    REFUSED = "refused", _("Không chọn")


# The board's columns in order; declined and refused are ends that need a reason.
BOARD_STAGES = tuple(ShortlistStage.values)
FORWARD_STAGES = (ShortlistStage.SHORTLISTED, ShortlistStage.CONTACTED, ShortlistStage.INTERVIEW,
                  ShortlistStage.OFFER, ShortlistStage.HIRED)
ENDS_WITH_REASON = (ShortlistStage.DECLINED, ShortlistStage.REFUSED)


class ShortlistEntryQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        # The board of an opening one manages, and only people one may see.
        if user_role(user) == Role.STUDENT:
            return self.filter(candidate__user=user)
        return self.filter(opening__in=Opening.objects.managed_by(user).values("pk"),
                           candidate__in=Candidate.objects.for_user(user).values("pk"))


class ShortlistEntry(models.Model):
    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="entries")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="shortlist_entries")
    stage = models.CharField(_("vòng"), max_length=12, choices=ShortlistStage.choices,
                             default=ShortlistStage.SHORTLISTED)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    stage_changed_at = models.DateTimeField(auto_now_add=True)

    objects = ShortlistEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("thẻ danh sách rút gọn")
        verbose_name_plural = _("thẻ danh sách rút gọn")
        ordering = ["opening", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["opening", "candidate"], name="uniq_shortlist_entry")]


class ShortlistMove(models.Model):
    entry = models.ForeignKey(ShortlistEntry, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=12, blank=True)
    to_stage = models.CharField(max_length=12)
    reason = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần chuyển bước")
        verbose_name_plural = _("lần chuyển bước")
        ordering = ["created_at", "id"]


class ShortlistRating(models.Model):
    """One reviewer's rating of an entry; the board shows the average and how many rated."""

    entry = models.ForeignKey(ShortlistEntry, on_delete=models.CASCADE, related_name="ratings")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("điểm đánh giá")
        verbose_name_plural = _("điểm đánh giá")
        constraints = [models.UniqueConstraint(fields=["entry", "reviewer"], name="uniq_rating_per_reviewer")]


class ShortlistNote(models.Model):
    entry = models.ForeignKey(ShortlistEntry, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ghi chú")
        verbose_name_plural = _("ghi chú")
        ordering = ["created_at", "id"]


class PlacementQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        managed = Q(opening__in=Opening.objects.managed_by(user).values("pk"),
                    candidate__in=Candidate.objects.for_user(user).values("pk"))
        return self.filter(managed | Q(mentor=user) | Q(candidate__user=user))


class Placement(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang thực tập")
        COMPLETED = "completed", _("Đã kết thúc")

    opening = models.ForeignKey(Opening, on_delete=models.PROTECT, related_name="placements")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="placements")
    entry = models.OneToOneField(ShortlistEntry, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="placement")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="placements_mentored")
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ thực tập")
        verbose_name_plural = _("kỳ thực tập")
        ordering = ["-starts_on", "id"]


FEEDBACK_CRITERIA = {"competence": _("Chuyên môn"), "attitude": _("Thái độ, tác phong"),
                     "teamwork": _("Làm việc nhóm"), "initiative": _("Chủ động, sáng tạo")}


class MentorFeedback(models.Model):
    """The mentor's structured feedback that ends an internship: a 1–5 rating per criterion and comments."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="feedback")
    ratings = models.JSONField(default=dict)
    overall = models.FloatField()
    comments = models.TextField(_("nhận xét"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhận xét của người hướng dẫn")
        verbose_name_plural = _("nhận xét của người hướng dẫn")


class TargetQuerySet(RestrictedQuerySet):
    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        """Staff read the targets their units adopted: their own unit's, those of the units above it
        (which bind it) and those of the units below it (which it oversees). What a target counts is
        aggregate. Targets no unit adopted are models from other localities' documents (see ``models``)."""
        from talent.permissions import can_manage_candidates

        if not can_manage_candidates(user):
            return self.none()
        if user_role(user) == Role.ADMIN:
            return self.all()
        home = user_organization(user)
        if home is None:
            return self.none()
        above = [int(pk) for pk in home.path.strip("/").split("/") if pk.isdigit()]
        return self.filter(models.Q(organization__path__startswith=home.path) | models.Q(organization_id__in=above))

    def adopted(self) -> TargetQuerySet:
        return self.filter(organization__isnull=False)

    def not_adopted(self) -> TargetQuerySet:
        """Targets written from another locality's document that no unit has adopted: a unit adopts
        one as its own (``services.target_adopt``) with its own document."""
        return self.filter(organization__isnull=True)


class Target(models.Model):
    """A target from a resolution, as data: a metric over a population, compared with a threshold (or
    kept within a range), belonging to the unit whose document adopted it."""

    class Metric(models.TextChoices):
        SHARE_YOUNG = "share_young", _("Tỉ lệ cán bộ trẻ (dưới 35 tuổi)")
        SHARE_UNDER_40 = "share_under_40", _("Tỉ lệ dưới 40 tuổi")
        SHARE_WOMEN = "share_women", _("Tỉ lệ nữ")
        SHARE_MINORITY = "share_minority", _("Tỉ lệ người dân tộc thiểu số")
        SHARE_LANGUAGE_4 = "share_language_4", _("Tỉ lệ có ngoại ngữ bậc 4 trở lên")
        SHARE_LEADERSHIP_TRAINED = "share_leadership_trained", _("Tỉ lệ được bồi dưỡng kỹ năng lãnh đạo trong năm")
        SHARE_THEORY_STANDARD = "share_theory_standard", _("Tỉ lệ đạt chuẩn lý luận chính trị của chức danh quy hoạch")
        COUNT = "count", _("Số người")

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("ít nhất")
        AT_MOST = "at_most", _("nhiều nhất")
        BETWEEN = "between", _("trong khoảng")

    name = models.CharField(_("tên chỉ tiêu"), max_length=255)
    metric = models.CharField(_("chỉ số"), max_length=32, choices=Metric.choices)
    # Who is counted: {"pool_kind": "planning"} / {"pool": id} / {"stages": [...]} / {"organization": code},
    # always within the adopting unit's subtree.
    population = models.JSONField(_("phạm vi"), default=dict, blank=True)
    population_label = models.CharField(_("mô tả phạm vi"), max_length=255, blank=True)
    comparison = models.CharField(_("so sánh"), max_length=8, choices=Comparison.choices)
    threshold = models.DecimalField(_("ngưỡng"), max_digits=8, decimal_places=2)
    # The upper end of a range ("từ 15% đến 20%"): only for BETWEEN.
    threshold_high = models.DecimalField(_("ngưỡng trên"), max_digits=8, decimal_places=2, null=True, blank=True)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    # The unit whose document set the target; empty for a model not yet adopted by any unit.
    organization = models.ForeignKey(Organization, verbose_name=_("đơn vị áp dụng"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="targets")
    # The document, cited by its kind and title, number, date and issuer: "Nghị quyết … số 09-NQ/TU
    # ngày 29/12/2021 của Thành ủy Cần Thơ".
    source = models.CharField(_("văn bản"), max_length=500)
    source_number = models.CharField(_("số văn bản"), max_length=64, blank=True)
    source_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    # The model an adopted target was copied from (its source is the model's document).
    based_on = models.ForeignKey("self", verbose_name=_("theo mẫu"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="adoptions")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["name"]
        constraints = [models.CheckConstraint(
            condition=models.Q(comparison="between", threshold_high__isnull=False, threshold_high__gte=models.F("threshold"))
            | (~models.Q(comparison="between") & models.Q(threshold_high__isnull=True)),
            name="target_range_only_between")]

    def __str__(self) -> str:
        return self.name

    @property
    def citation(self) -> str:
        """The document in words: title, number, date and issuer, each when known."""
        parts = [self.source]
        if self.source_number:
            parts.append(_("số %(number)s") % {"number": self.source_number})
        if self.source_date:
            parts.append(_("ngày %(day)s") % {"day": self.source_date.strftime("%d/%m/%Y")})
        if self.issuer:
            parts.append(_("của %(issuer)s") % {"issuer": self.issuer})
        return " ".join(parts)


class TargetSnapshot(models.Model):
    """The value of a target on one day, for the trend."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="snapshots")
    day = models.DateField()
    actual = models.FloatField(null=True)
    population = models.PositiveIntegerField(default=0)
    met = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("giá trị chỉ tiêu theo ngày")
        verbose_name_plural = _("giá trị chỉ tiêu theo ngày")
        ordering = ["target", "day"]
        constraints = [models.UniqueConstraint(fields=["target", "day"], name="uniq_target_day")]
