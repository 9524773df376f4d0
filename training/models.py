"""Training of cadres (issue 17, item 6): a course catalog and who takes part, with attendance and
completion. Completing a course writes the person's ``talent.Training`` — the one record of training
that scoring, targets and succession planning read.

Scope: a course belongs to the organization that runs it; administrators and personnel officers see
and run the courses of their subtree; a cadre sees their own enrolments on their record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from talent.models import Candidate, Organization, Role, Training, user_organization, user_role

RUNNERS = (Role.ADMIN, Role.PERSONNEL)


class CourseQuerySet(RestrictedQuerySet):
    organization_field = "organization"

    def scoped_for(self, user):  # type: ignore[no-untyped-def]
        role = user_role(user)
        if role == Role.ADMIN:
            return self.all()
        home = user_organization(user)
        if role == Role.PERSONNEL and home is not None:
            return self.filter(**{f"{self.organization_field}__path__startswith": home.path})
        return self.none()


class Course(models.Model):
    title = models.CharField(_("tên khoá học"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Training.Kind.choices)
    provider = models.CharField(_("đơn vị đào tạo"), max_length=255)
    organization = models.ForeignKey(Organization, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT,
                                     related_name="courses")
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    seats = models.PositiveIntegerField(_("số chỗ"))
    cost_per_person = models.PositiveBigIntegerField(_("chi phí mỗi người (đồng)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoá đào tạo, bồi dưỡng")
        verbose_name_plural = _("khoá đào tạo, bồi dưỡng")
        ordering = ["-starts_on", "title"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="course_ends_after_it_starts"),
                       models.CheckConstraint(condition=models.Q(seats__gte=1), name="course_has_a_seat")]

    def __str__(self) -> str:
        return self.title


class EnrolmentQuerySet(CourseQuerySet):
    organization_field = "course__organization"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Đã cử đi học")
        ATTENDED = "attended", _("Đang học, có điểm danh")
        COMPLETED = "completed", _("Đã hoàn thành")
        DROPPED = "dropped", _("Không hoàn thành, rút tên")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="course_enrolments")
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ENROLLED)
    sessions_attended = models.PositiveSmallIntegerField(_("số buổi có mặt"), default=0)
    certificate_number = models.CharField(_("số chứng chỉ"), max_length=64, blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    training = models.OneToOneField(Training, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("người được cử đi học")
        verbose_name_plural = _("người được cử đi học")
        ordering = ["course", "candidate__full_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["course", "candidate"], name="one_enrolment_per_course")]


class AttractionRuleSet(models.Model):
    """The one-off payments of the talent-attraction policy by degree, as versioned data naming its source:
    ``rules`` is a list of ``{"key", "label", "amount", "amount_with_practice"}`` in đồng, the second for
    someone already working with at least ``practice_years`` of practice."""

    version = models.PositiveSmallIntegerField(_("phiên bản"), unique=True)
    rules = models.JSONField(_("mức hỗ trợ"), default=list)
    practice_years = models.PositiveSmallIntegerField(default=5)
    source = models.CharField(_("căn cứ"), max_length=500)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mức hỗ trợ thu hút")
        verbose_name_plural = _("mức hỗ trợ thu hút")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["active"], condition=models.Q(active=True),
                                               name="one_active_attraction_rules")]


class AttractionPayment(models.Model):
    """A one-off attraction payment to a person, with the years of service they committed to and whether
    the commitment was kept (None while it runs)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="attraction_payments")
    organization = models.ForeignKey(Organization, verbose_name=_("đơn vị chi"), on_delete=models.PROTECT,
                                     related_name="+")
    rule_set = models.ForeignKey(AttractionRuleSet, on_delete=models.PROTECT, related_name="+")
    degree = models.CharField(_("học hàm, học vị"), max_length=32)
    with_practice = models.BooleanField(_("đang công tác, có kinh nghiệm thực tiễn"), default=False)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    paid_on = models.DateField(_("ngày chi"))
    commitment_years = models.PositiveSmallIntegerField(_("số năm cam kết công tác"))
    kept = models.BooleanField(_("giữ cam kết"), null=True, blank=True)
    kept_note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản hỗ trợ thu hút")
        verbose_name_plural = _("khoản hỗ trợ thu hút")
        ordering = ["-paid_on", "-pk"]


class TrainingBudget(models.Model):
    organization = models.ForeignKey(Organization, verbose_name=_("đơn vị"), on_delete=models.PROTECT,
                                     related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    amount = models.PositiveBigIntegerField(_("dự toán (đồng)"))
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("kinh phí đào tạo, thu hút")
        verbose_name_plural = _("kinh phí đào tạo, thu hút")
        ordering = ["-year", "organization__path"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="one_budget_per_unit_year")]


class Nomination(models.Model):
    """The ranked list people are sent to a course from, kept as it was drawn up, so the committee sees the
    criteria (a scoring rubric's version, with its weights and reasons) and the order it decided on (seed
    001: choosing whom to send is done "dân chủ, công khai, minh bạch", the young in planning first).

    ``pool`` is who could be named: the live members of the current term's plans in the course's unit, or
    every cadre of the unit; ``untrained_only`` leaves out who already completed a course of this kind in the
    course's year. ``rows`` is the ranked list (at most ``LIMIT``), each ``{"candidate", "name",
    "organization", "rank", "score", "contributions"}``, ties sharing a rank; ``excluded`` counts the people
    of the pool the rubric could not rank (its filters or missing data)."""

    LIMIT = 200

    class Pool(models.TextChoices):
        PLANS = "plans", _("Người trong quy hoạch nhiệm kỳ hiện tại")
        UNIT = "unit", _("Mọi cán bộ của đơn vị")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="nominations")
    rubric_version = models.ForeignKey("scoring.RubricVersion", verbose_name=_("bộ tiêu chí"),
                                       on_delete=models.PROTECT, related_name="+")
    pool = models.CharField(_("nguồn đề cử"), max_length=8, choices=Pool.choices, default=Pool.PLANS)
    untrained_only = models.BooleanField(_("chỉ người chưa học loại khoá này trong năm"), default=True)
    criteria = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    eligible = models.PositiveIntegerField(default=0)
    excluded = models.PositiveIntegerField(default=0)
    # The rank of the first person ranked but not kept in ``rows`` (the list is cut at LIMIT), so a cut at
    # the list's end that would split a tie is still seen; None when everyone ranked is in the list.
    next_rank = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("danh sách đề cử đi học")
        verbose_name_plural = _("danh sách đề cử đi học")
        ordering = ["-created_at", "-pk"]
