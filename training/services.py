"""Writes of training: courses, enrolment (within the seats), attendance, completion and dropping out.

Administrators and personnel officers, for the courses of their subtree and people they may see; every
write is audited. Completion writes the person's ``talent.Training`` (kind, title, day) once — the single
record the rest of the product reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.audit import audit
from talent.models import Candidate, Organization, Training, user_role
from training.models import RUNNERS, Course, Enrolment


def _require_runner(actor: Any, organization: Organization) -> None:
    if user_role(actor) not in RUNNERS:
        raise PermissionDenied("Chỉ cán bộ tổ chức và quản trị viên quản lý đào tạo, bồi dưỡng.")
    if not Organization.objects.for_user(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied("Đơn vị này nằm ngoài phạm vi quản lý của bạn.")


@transaction.atomic
def course_create(*, actor: Any, organization: Organization, title: str, kind: str, provider: str,
                  starts_on: dt.date, ends_on: dt.date, seats: int, cost_per_person: int = 0) -> Course:
    _require_runner(actor, organization)
    title, provider = " ".join((title or "").split()), " ".join((provider or "").split())
    if not title:
        raise ValidationError({"title": "Ghi tên khoá học."})
    if not provider:
        raise ValidationError({"provider": "Ghi đơn vị đào tạo."})
    if kind not in Training.Kind.values:
        raise ValidationError({"kind": "Loại khoá học không hợp lệ."})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "Ngày kết thúc không trước ngày bắt đầu."})
    if seats < 1:
        raise ValidationError({"seats": "Số chỗ từ 1 trở lên."})
    if cost_per_person < 0:
        raise ValidationError({"cost_per_person": "Chi phí không âm."})
    course = Course.objects.create(organization=organization, title=title[:255], kind=kind, provider=provider[:255],
                                   starts_on=starts_on, ends_on=ends_on, seats=seats, cost_per_person=cost_per_person,
                                   created_by=actor)
    audit(actor=actor, action="training.course", obj=course, changes={"kind": kind, "seats": seats})
    return course


@transaction.atomic
def enrol(*, actor: Any, course: Course, candidate: Candidate) -> Enrolment:
    course = Course.objects.select_for_update().select_related("organization").get(pk=course.pk)
    _require_runner(actor, course.organization)
    if not Candidate.objects.for_user(actor).filter(pk=candidate.pk).exists() or candidate.erased_at is not None:
        raise ValidationError({"candidate": "Không có hồ sơ này trong phạm vi của bạn."})
    taken = course.enrolments.exclude(status=Enrolment.Status.DROPPED).count()
    if taken >= course.seats:
        raise ValidationError({"candidate": f"Khoá học đã đủ {course.seats} chỗ."})
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(course=course, candidate=candidate, enrolled_by=actor)
    except IntegrityError:
        raise ValidationError({"candidate": "Người này đã được cử đi học khoá này."}) from None
    audit(actor=actor, action="training.enrol", obj=course, changes={"candidate": candidate.pk})
    return enrolment


def _open(actor: Any, enrolment: Enrolment) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().select_related("course__organization", "candidate").get(
        pk=enrolment.pk)
    _require_runner(actor, enrolment.course.organization)
    if enrolment.status in (Enrolment.Status.COMPLETED, Enrolment.Status.DROPPED):
        raise ValidationError(f"Đã ghi «{enrolment.get_status_display()}» cho người này.")
    return enrolment


@transaction.atomic
def attend(*, actor: Any, enrolment: Enrolment, sessions: int) -> Enrolment:
    enrolment = _open(actor, enrolment)
    if sessions < 0 or sessions > 365:
        raise ValidationError({"sessions": "Số buổi có mặt từ 0 đến 365."})
    enrolment.sessions_attended = sessions
    enrolment.status = Enrolment.Status.ATTENDED
    enrolment.save(update_fields=["sessions_attended", "status"])
    audit(actor=actor, action="training.attend", obj=enrolment.course,
          changes={"candidate": enrolment.candidate_id, "sessions": sessions})
    return enrolment


@transaction.atomic
def complete(*, actor: Any, enrolment: Enrolment, completed_on: dt.date, certificate_number: str = "") -> Enrolment:
    """The person finished the course: their training record is written, once."""
    enrolment = _open(actor, enrolment)
    course = enrolment.course
    if completed_on < course.starts_on:
        raise ValidationError({"completed_on": "Ngày hoàn thành không trước ngày khai giảng."})
    enrolment.training = Training.objects.create(candidate=enrolment.candidate, kind=course.kind, title=course.title,
                                                 completed_on=completed_on)
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_on = completed_on
    enrolment.certificate_number = (certificate_number or "").strip()[:64]
    enrolment.save(update_fields=["training", "status", "completed_on", "certificate_number"])
    audit(actor=actor, action="training.complete", obj=course, changes={"candidate": enrolment.candidate_id})
    return enrolment


@transaction.atomic
def drop(*, actor: Any, enrolment: Enrolment) -> Enrolment:
    enrolment = _open(actor, enrolment)
    enrolment.status = Enrolment.Status.DROPPED
    enrolment.save(update_fields=["status"])
    audit(actor=actor, action="training.drop", obj=enrolment.course, changes={"candidate": enrolment.candidate_id})
    return enrolment
