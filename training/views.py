"""Pages of training: the courses of one's units (create one), a course (enrol people by name or record
number within its seats, record attendance, completion with the certificate, or dropping out), and the
compliance of the plans of a term (leadership-skills training in the year, political theory).

Administrators and personnel officers only (403 for others).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from succession import selectors as succession_selectors
from talent.forms import apply_service_errors
from talent.models import Candidate, Organization, user_role
from training import selectors, services
from training.forms import CompleteForm, CourseForm, EnrolForm
from training.models import RUNNERS, Course, Enrolment


def _require_runner(user: Any) -> None:
    if user_role(user) not in RUNNERS:
        raise PermissionDenied(_("Đào tạo, bồi dưỡng do cán bộ tổ chức và quản trị viên quản lý."))


def _refusal(exc: Any) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@login_required
@require_http_methods(["GET", "POST"])
def course_list(request: HttpRequest) -> HttpResponse:
    _require_runner(request.user)
    organizations = Organization.objects.for_user(request.user).order_by("path")
    form = CourseForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = organizations.filter(pk=data.pop("organization")).first()
        try:
            if unit is None:
                raise PermissionDenied(_("Đơn vị này nằm ngoài phạm vi quản lý của bạn."))
            course = services.course_create(actor=request.user, organization=unit, **data)
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc, permission_field="organization")
        else:
            return HttpResponseRedirect(reverse("training-course", args=[course.pk]))
    courses = Course.objects.for_user(request.user).select_related("organization")[:200]
    return render(request, "training/course_list.html", {"form": form, "courses": courses},
                  status=400 if form.errors else 200)


def _act(request: HttpRequest, course: Course) -> str:
    action = request.POST.get("action")
    if action == "enrol":
        form = EnrolForm(request.POST)
        candidate = (Candidate.objects.for_user(request.user).filter(pk=form.cleaned_data["candidate"]).first()
                     if form.is_valid() else None)
        if candidate is None:
            raise ValidationError(_("Không có hồ sơ này trong phạm vi của bạn."))
        services.enrol(actor=request.user, course=course, candidate=candidate)
        return _("Đã cử %(name)s đi học.") % {"name": candidate.full_name}
    raw = request.POST.get("enrolment") or ""
    enrolment = course.enrolments.filter(pk=int(raw)).first() if raw.isdigit() else None
    if enrolment is None:
        raise ValidationError(_("Không có người này trong khoá học."))
    if action == "attend":
        raw = request.POST.get("sessions") or ""
        if not raw.isdigit():
            raise ValidationError(_("Số buổi có mặt là một số."))
        services.attend(actor=request.user, enrolment=enrolment, sessions=int(raw))
        return _("Đã ghi điểm danh.")
    if action == "complete":
        form = CompleteForm(request.POST)
        if not form.is_valid():
            raise ValidationError(" ".join(str(e) for errors in form.errors.values() for e in errors))
        services.complete(actor=request.user, enrolment=enrolment, **form.cleaned_data)
        return _("Đã ghi hoàn thành; khoá học có trong hồ sơ của người đó.")
    if action == "drop":
        services.drop(actor=request.user, enrolment=enrolment)
        return _("Đã ghi không hoàn thành.")
    raise ValidationError(_("Thao tác không hợp lệ."))


@login_required
@require_http_methods(["GET", "POST"])
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_runner(request.user)
    course = get_object_or_404(Course.objects.for_user(request.user).select_related("organization"), pk=pk)
    if request.method == "POST":
        try:
            done = _act(request, course)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(reverse("training-course", args=[course.pk]))
    enrolments = list(course.enrolments.select_related("candidate__organization"))
    taken = sum(1 for e in enrolments if e.status != Enrolment.Status.DROPPED)
    return render(request, "training/course_detail.html", {
        "course": course, "enrolments": enrolments, "taken": taken, "enrol_form": EnrolForm(),
        "complete_form": CompleteForm(initial={"completed_on": course.ends_on}),
        "cost": taken * course.cost_per_person})


@login_required
@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    _require_runner(request.user)
    terms = succession_selectors.terms(request.user)
    term = request.GET.get("term") if request.GET.get("term") in terms else (terms[0] if terms else "")
    raw = request.GET.get("year") or ""
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    data = selectors.compliance(request.user, term, year) if term else {"rows": [], "totals": {}, "year": year}
    return render(request, "training/compliance.html", {**data, "term": term, "terms": terms, "year": year})
