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
from talent.forms import apply_service_errors, refusal_text as _refusal
from talent.models import Candidate, Organization, user_role
from training import selectors, services
from training.forms import CompleteForm, CourseForm, EnrolForm, NominationForm, SendForm
from training.models import RUNNERS, Course, Enrolment


def _require_runner(user: Any) -> None:
    if user_role(user) not in RUNNERS:
        raise PermissionDenied(_("Đào tạo, bồi dưỡng do cán bộ tổ chức và quản trị viên quản lý."))


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
    if action == "nominate":
        form = NominationForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_refusal(form))
        nomination = services.nominees_draw(actor=request.user, course=course, **form.cleaned_data)
        return _("Đã lập danh sách đề cử: %(n)s người được xếp hạng.") % {"n": len(nomination.rows)}
    if action == "send":
        form = SendForm(request.POST)
        nomination = course.nominations.filter(pk=int(request.POST.get("nomination") or 0)
                                               if (request.POST.get("nomination") or "").isdigit() else 0).first()
        if nomination is None or not form.is_valid():
            raise ValidationError(_refusal(form) if nomination is not None else _("Không có danh sách đề cử này."))
        sent = services.nominees_enrol(actor=request.user, nomination=nomination, count=form.cleaned_data["count"])
        return _("Đã cử %(n)s người theo thứ tự danh sách đề cử.") % {"n": len(sent)}
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
            raise ValidationError(_refusal(form))
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
    nomination = course.nominations.select_related("rubric_version__rubric", "created_by").first()
    sent = {e.candidate_id for e in enrolments if e.status != Enrolment.Status.DROPPED}
    return render(request, "training/course_detail.html", {
        "course": course, "enrolments": enrolments, "taken": taken, "enrol_form": EnrolForm(),
        "nomination": nomination, "nomination_form": NominationForm(), "sent": sent,
        "send_form": SendForm(initial={"count": min(len(nomination.rows), max(course.seats - taken, 1))}
                              if nomination and nomination.rows else None),
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


@login_required
@require_http_methods(["GET", "POST"])
def attraction(request: HttpRequest) -> HttpResponse:
    """The attraction policy's payments: the amounts by degree (data, with their source), the payments of
    one's units, recording one (the amount comes from the rules) and whether a commitment was kept."""
    from imports.parsing import CellError, parse_date
    from training.models import AttractionPayment, AttractionRuleSet

    _require_runner(request.user)
    organizations = Organization.objects.for_user(request.user).order_by("path")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                raw = request.POST.get("payment") or ""
                payment = AttractionPayment.objects.for_user(request.user).filter(pk=int(raw)).first() \
                    if raw.isdigit() else None
                if payment is None:
                    raise ValidationError(_("Không có khoản hỗ trợ này."))
                services.payment_close(actor=request.user, payment=payment, kept=request.POST.get("kept") == "1",
                                       note=request.POST.get("note", ""))
                messages.success(request, _("Đã ghi việc thực hiện cam kết."))
            else:
                raw_c, raw_o, raw_y = (request.POST.get(k) or "" for k in ("candidate", "organization", "years"))
                candidate = Candidate.objects.for_user(request.user).filter(pk=int(raw_c)).first() if raw_c.isdigit() else None
                unit = organizations.filter(pk=int(raw_o)).first() if raw_o.isdigit() else None
                if candidate is None or unit is None:
                    raise ValidationError(_("Không có hồ sơ hoặc đơn vị này trong phạm vi của bạn."))
                if not raw_y.isdigit():
                    raise ValidationError(_("Số năm cam kết là một số."))
                try:
                    paid_on = parse_date(request.POST.get("paid_on") or "")
                except CellError as exc:
                    raise ValidationError(str(exc)) from None
                services.payment_record(actor=request.user, candidate=candidate, organization=unit,
                                        degree=request.POST.get("degree", ""), paid_on=paid_on,
                                        commitment_years=int(raw_y), with_practice=request.POST.get("with_practice") == "1")
                messages.success(request, _("Đã ghi khoản hỗ trợ thu hút cho %(name)s.") % {"name": candidate.full_name})
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        return HttpResponseRedirect(reverse("training-attraction"))
    rule_set = AttractionRuleSet.objects.filter(active=True).first()
    payments = AttractionPayment.objects.for_user(request.user).select_related("candidate", "organization")[:300]
    labels = {r["key"]: r["label"] for r in (rule_set.rules if rule_set else [])}
    return render(request, "training/attraction.html", {"rule_set": rule_set, "payments": payments, "labels": labels,
                                                        "organizations": organizations})


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@login_required
@require_http_methods(["GET", "POST"])
def budgets(request: HttpRequest) -> HttpResponse:
    """The year's budget of each unit against what its courses and attraction payments cost."""
    _require_runner(request.user)
    organizations = Organization.objects.for_user(request.user).order_by("path")
    if request.method == "POST":
        raw_o, raw_y, raw_a = (request.POST.get(k) or "" for k in ("organization", "year", "amount"))
        unit = organizations.filter(pk=int(raw_o)).first() if raw_o.isdigit() else None
        try:
            if unit is None or not raw_y.isdigit() or not raw_a.replace(".", "").isdigit():
                raise ValidationError(_("Chọn đơn vị, ghi năm và số tiền (đồng)."))
            services.budget_set(actor=request.user, organization=unit, year=int(raw_y), amount=int(raw_a.replace(".", "")))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, _("Đã ghi dự toán."))
        return HttpResponseRedirect(reverse("training-budgets") + f"?year={raw_y if raw_y.isdigit() else ''}")
    year = _year(request)
    return render(request, "training/budgets.html", {"rows": selectors.budgets(request.user, year), "year": year,
                                                     "organizations": organizations})


@login_required
@require_GET
def budgets_export(request: HttpRequest) -> HttpResponse:
    """The year's report as XLSX: budgets against spending, and the attraction payments."""
    import io

    from openpyxl import Workbook

    from core.spreadsheets import XLSX, spreadsheet_safe
    from training.models import AttractionPayment

    _require_runner(request.user)
    year = _year(request)
    book = Workbook()
    sheet = book.active
    sheet.title = f"Kinh phí {year}"
    sheet.append([_("Đơn vị"), _("Dự toán (đồng)"), _("Khoá học (đồng)"), _("Hỗ trợ thu hút (đồng)"), _("Đã chi (đồng)"),
                  _("Còn lại (đồng)")])
    for r in selectors.budgets(request.user, year):
        sheet.append([spreadsheet_safe(r["organization"].name), r["budget"], r["courses"], r["payments"], r["spent"],
                      r["left"]])
    paid = book.create_sheet(_("Hỗ trợ thu hút"))
    paid.append([_("Họ và tên"), _("Đơn vị chi"), _("Học hàm, học vị"), _("Số tiền (đồng)"), _("Ngày chi"),
                 _("Số năm cam kết"), _("Giữ cam kết")])
    for p in AttractionPayment.objects.for_user(request.user).filter(paid_on__year=year).select_related(
            "candidate", "organization"):
        paid.append([spreadsheet_safe(p.candidate.full_name), spreadsheet_safe(p.organization.name), p.degree, p.amount,
                     p.paid_on.strftime("%d/%m/%Y"), p.commitment_years,
                     "" if p.kept is None else (_("Có") if p.kept else _("Không"))])
    buffer = io.BytesIO()
    book.save(buffer)
    from core.models import AuditEvent

    AuditEvent.objects.create(actor=request.user, action="training.export", object_type="training.trainingbudget",
                              object_id="", changes={"year": year})
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kinh-phi-dao-tao-thu-hut-{year}.xlsx"'
    return response
