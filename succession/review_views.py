"""Pages of the yearly review (rà soát quy hoạch hằng năm, before 31/12): the year's worklist of plans
(open the review, its state, overdue after 31/12, XLSX), one plan's review (each member's latest rating,
trainings, years in post and the standards they now fail; keep, change readiness, remove, add; sign off)
and the printable report of its outcome.

Planners only (administrators, personnel officers, their subtree): 403 for everyone else, officers
included — the worklist shows members' ratings and trainings. Every read is audited.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit
from core.spreadsheets import XLSX, spreadsheet_safe
from succession import selectors, services
from succession.forms import ProposeForm, ReviewDecisionForm, ReviewSignForm, ReviewYearForm
from succession.models import PlanMember, PlanReview
from succession.views import _audit_many, _can_plan, propose_from
from talent.forms import refusal_text as _refusal
from talent.models import Role, user_role


def _require_planner(user: Any) -> None:
    """The review is the planners' work: its worklist shows each member's ratings and trainings, which a
    Youth Union officer (who proposes people and reads the plans) has no need to see."""
    if not _can_plan(user):
        raise PermissionDenied(_("Rà soát quy hoạch do cán bộ tổ chức và quản trị viên thực hiện."))


def _year(request: HttpRequest) -> int:
    form = ReviewYearForm(request.GET or None)
    return form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year


@login_required
@require_http_methods(["GET", "POST"])
def review_list(request: HttpRequest) -> HttpResponse:
    """The year's review of every plan in reach; POST opens the review for the plans that have none."""
    _require_planner(request.user)
    if request.method == "POST":
        form = ReviewYearForm(request.POST)
        if not form.is_valid():
            messages.error(request, _refusal(form))
            return HttpResponseRedirect(reverse("succession-reviews"))
        year = form.cleaned_data["year"]
        try:
            opened = services.review_open(actor=request.user, year=year)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, _("Đã mở rà soát năm %(year)s cho %(n)s quy hoạch.") % {"year": year, "n": opened})
        return HttpResponseRedirect(reverse("succession-reviews") + f"?year={year}")
    year = _year(request)
    overview = selectors.review_overview(request.user, year)
    _audit_many(request, "review.read", {"page": "reviews", "year": year, "plans": len(overview["rows"])})
    return render(request, "succession/review_list.html", {**overview, "can_plan": _can_plan(request.user)})


@login_required
@require_GET
def review_export(request: HttpRequest) -> HttpResponse:
    """The year's review as XLSX: one row per plan with its state, then one per decision of signed reviews."""
    from openpyxl import Workbook

    _require_planner(request.user)
    year = _year(request)
    overview = selectors.review_overview(request.user, year)
    states = {"not_opened": _("Chưa mở"), "open": _("Đang rà soát"), "signed": _("Đã ký duyệt")}
    book = Workbook()
    sheet = book.active
    sheet.title = f"Rà soát {year}"
    sheet.append([_("Đơn vị"), _("Chức danh"), _("Nhiệm kỳ"), _("Trạng thái"), _("Quá hạn"), _("Ngày ký duyệt")])
    for r in overview["rows"]:
        sheet.append([spreadsheet_safe(r["organization"]), spreadsheet_safe(r["title"]), r["term"], states[r["status"]],
                      _("Có") if r["overdue"] else "", timezone.localtime(r["signed_at"]).strftime("%d/%m/%Y")
                      if r["signed_at"] else ""])
    changes = book.create_sheet(_("Thay đổi"))
    changes.append([_("Chức danh"), _("Họ và tên"), _("Kết quả"), _("Trước"), _("Sau"), _("Ghi chú")])
    for review in PlanReview.objects.for_user(request.user).filter(year=year, status=PlanReview.Status.SIGNED) \
            .order_by("plan__position__organization__path", "plan__position__title"):
        for c in review.snapshot.get("changes", []):
            changes.append([spreadsheet_safe(review.snapshot.get("title", "")), spreadsheet_safe(c["name"]),
                            c["kind_label"], c["before"], c["after"], spreadsheet_safe(c["note"])])
    buffer = io.BytesIO()
    book.save(buffer)
    _audit_many(request, "review.export", {"year": year, "plans": len(overview["rows"])})
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ra-soat-quy-hoach-{year}.xlsx"'
    return response


def _review(request: HttpRequest, pk: int) -> PlanReview:
    _require_planner(request.user)
    return get_object_or_404(PlanReview.objects.for_user(request.user).select_related("plan__position__organization",
                                                                                      "signed_by"), pk=pk)


def _review_context(request: HttpRequest, review: PlanReview, **forms: Any) -> dict[str, Any]:
    rows = selectors.review_worklist(review)
    today = timezone.localdate()
    return {"review": review, "plan": review.plan, "rows": rows, "overdue": review.overdue_on(today),
            "waiting": sum(1 for r in rows if r["decision"] is None and r["member"].status != PlanMember.Status.REMOVED),
            "can_plan": _can_plan(request.user) and review.status == PlanReview.Status.OPEN,
            "is_admin": user_role(request.user) == Role.ADMIN, "decision_form": ReviewDecisionForm(),
            "propose_form": forms.get("propose_form") or ProposeForm(), "sign_form": ReviewSignForm()}


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One plan's review: the worklist; POST adds a person to the plan as part of the review."""
    review = _review(request, pk)
    if request.method == "GET":
        audit(actor=request.user, action="review.read", obj=review, changes={"page": "review"})
        return render(request, "succession/review_detail.html", _review_context(request, review))
    form = ProposeForm(request.POST)
    candidate = propose_from(request, form, lambda **data: services.review_add(review=review, **data))
    if candidate is not None:
        messages.success(request, _("Đã bổ sung %(name)s vào quy hoạch.") % {"name": candidate.full_name})
        return HttpResponseRedirect(reverse("succession-review", args=[review.pk]))
    return render(request, "succession/review_detail.html", _review_context(request, review, propose_form=form),
                  status=400)


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = ReviewDecisionForm(request.POST)
    back = reverse("succession-review", args=[review.pk])
    if not form.is_valid():
        messages.error(request, _refusal(form))
        return HttpResponseRedirect(back)
    data = form.cleaned_data
    member = PlanMember.objects.filter(plan=review.plan, pk=data["member"]).select_related("candidate").first()
    try:
        if member is None:
            raise ValidationError(_("Người này không thuộc quy hoạch đang rà soát."))
        if data["action"] == "keep":
            services.review_keep(actor=request.user, review=review, member=member, note=data["note"])
        elif data["action"] == "readiness":
            services.review_set_readiness(actor=request.user, review=review, member=member,
                                          readiness=data["readiness"], note=data["note"])
        else:
            services.review_remove(actor=request.user, review=review, member=member, reason=data["reason"],
                                   note=data["note"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("Đã ghi kết quả rà soát của %(name)s.") % {"name": member.candidate.full_name})
    return HttpResponseRedirect(back + (f"#member-{member.pk}" if member else ""))


@login_required
@require_POST
def review_sign(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = ReviewSignForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_refusal(form))
        services.review_sign(actor=request.user, review=review, note=form.cleaned_data["note"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
        return HttpResponseRedirect(reverse("succession-review", args=[review.pk]))
    messages.success(request, _("Đã ký duyệt rà soát năm %(year)s.") % {"year": review.year})
    return HttpResponseRedirect(reverse("succession-review-report", args=[review.pk]))


@login_required
@require_GET
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The review's outcome as a printable Vietnamese report (a draft until it is signed)."""
    review = _review(request, pk)
    snapshot = review.snapshot if review.status == PlanReview.Status.SIGNED else selectors.review_snapshot(review)
    audit(actor=request.user, action="review.read", obj=review, changes={"page": "report"})
    return render(request, "succession/review_report.html", {"review": review, "s": snapshot,
                                                             "draft": review.status != PlanReview.Status.SIGNED})
