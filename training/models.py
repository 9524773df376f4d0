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
