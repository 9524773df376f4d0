"""Pages of succession planning: bench strength by term (table and XLSX), a plan with its members and
their history (propose, approve, remove), and the positions of one's units (create one, open a plan).

Staff who manage candidates only (403 for recruiters; students are kept to their own pages before the
view). Reads start from ``objects.for_user``; writes go through ``succession.services``, whose refusals
come back inline or as a message.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.audit import audit
from core.models import AuditEvent
from core.spreadsheets import XLSX, spreadsheet_safe
from succession import charts, forecast, selectors, services
from succession.forms import ApproveForm, BenchFilterForm, PlanForm, PositionForm, ProposeForm, RemoveForm
from succession.models import MANAGING, PLANNERS, PlanMember, Readiness, PlanMemberEvent, Position, SuccessionPlan
from talent.forms import apply_service_errors, refusal_text as _refusal
from talent.models import Candidate, Organization, Role, user_role

BENCH_PAGE_SIZE = 100


def _require_staff(user: Any) -> None:
    if user_role(user) not in MANAGING:
        raise PermissionDenied(_("Quy hoạch dành cho cán bộ tổ chức, cán bộ Đoàn và quản trị viên."))


def _can_plan(user: Any) -> bool:
    return user_role(user) in PLANNERS


def _audit_many(request: HttpRequest, action: str, changes: dict[str, Any]) -> None:
    """A read or export of many plans at once: one event about the plans, not one per plan."""
    AuditEvent.objects.create(actor=request.user, action=action, object_type=SuccessionPlan._meta.label_lower,
                              object_id="", changes=changes)


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The term and unit filters of the bench and forecast pages (the newest term by default)."""
    terms = selectors.terms(request.user)
    organizations = Organization.objects.for_user(request.user).order_by("path")
    form = BenchFilterForm(request.GET or None, terms=terms, organizations=organizations)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    term = data.get("term") or (terms[0] if terms else "")
    organization = organizations.filter(pk=data["organization"]).first() if data.get("organization") else None
    return {"form": form, "term": term, "organization": organization}


def _bench_context(request: HttpRequest) -> dict[str, Any]:
    filters = _filters(request)
    term, organization = filters["term"], filters["organization"]
    bench = selectors.bench(request.user, term, organization) if term else {"rows": [], "totals": {}, "targets": []}
    return {**filters, **bench, **_charts(bench)}


def _charts(bench: dict[str, Any]) -> dict[str, Any]:
    """The bench-strength charts: shares against their targets, successors by readiness, age bands."""
    from succession.defaults import AGE_BANDS, AGE_BANDS_SOURCE

    totals = bench["totals"]
    if not totals:
        return {}
    targets = bench["targets"]
    shares = charts.bars([(t["measure"], t["share"], str(t["label"])) for t in targets], 1.0, percent=True,
                         marks={t["measure"]: t["minimum"] for t in targets if t["minimum"] is not None})
    readiness = totals["readiness"]
    ready = charts.bars([(key, readiness.get(key, 0), str(label)) for key, label in Readiness.choices],
                        max(readiness.values() or [0]))
    bands = totals["age_bands"]
    ages = charts.bars([(key, bands.get(key, 0), str(label)) for key, label, *_rest in AGE_BANDS], max(bands.values() or [0]))
    return {"share_chart": shares, "readiness_chart": ready, "age_chart": ages, "age_bands_source": AGE_BANDS_SOURCE}


@login_required
@require_GET
def bench(request: HttpRequest) -> HttpResponse:
    """Bench strength of a term: each plan's successors, who is ready now, the shares of young cadres,
    women and ethnic minorities, and the warnings — the page a leader looks at first."""
    _require_staff(request.user)
    context = _bench_context(request)
    _audit_many(request, "plan.read", {"page": "bench", "term": context["term"], "plans": len(context["rows"])})
    # The totals count every plan; the table shows BENCH_PAGE_SIZE at a time (the XLSX has them all).
    page = Paginator(context["rows"], BENCH_PAGE_SIZE).get_page(request.GET.get("page"))
    from talent.models import TalentPool

    pools = TalentPool.objects.for_user(request.user).filter(kind=TalentPool.Kind.PLANNING).order_by("name")[:20]
    context.update({"page_obj": page, "page_rows": page.object_list, "planning_pools": pools})
    return render(request, "succession/bench.html", context)


@login_required
@require_GET
def bench_export(request: HttpRequest) -> HttpResponse:
    """The bench-strength table as XLSX, audited."""
    _require_staff(request.user)
    context = _bench_context(request)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Quy hoạch"
    sheet.append([_("Đơn vị"), _("Chức danh"), _("Nhiệm kỳ"), _("Số người"), _("Sẵn sàng ngay"), _("Cán bộ trẻ"),
                  _("Nữ"), _("Dân tộc thiểu số"), _("Cảnh báo")])
    for row in context["rows"]:
        plan, shape = row["plan"], row["structure"]
        sheet.append([spreadsheet_safe(plan["organization"]), spreadsheet_safe(plan["title"]), plan["term"], shape["members"], shape["ready_now_count"], _percent(shape["young_share"]),
                      _percent(shape["women_share"]), _percent(shape["minority_share"]), " ".join(shape["warnings"])])
    buffer = io.BytesIO()
    book.save(buffer)
    _audit_many(request, "plan.export", {"term": context["term"], "plans": len(context["rows"])})
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (f'attachment; filename="quy-hoach-{context["term"] or "trong"}-'
                                       f'{timezone.localdate():%Y%m%d}.xlsx"')
    return response


def _plan_context(request: HttpRequest, plan: SuccessionPlan, **forms: Any) -> dict[str, Any]:
    members = list(plan.members.select_related("candidate", "proposed_by").order_by("order", "pk"))
    live = [m for m in members if m.status != PlanMember.Status.REMOVED]
    events = (PlanMemberEvent.objects.filter(member__plan=plan).select_related("member__candidate", "actor")
              .order_by("-at", "-pk")[:100])
    return {"plan": plan, "structure": selectors.structure(plan, members=members), "live": live,
            "removed": [m for m in members if m.status == PlanMember.Status.REMOVED], "events": events,
            "propose_form": forms.get("propose_form") or ProposeForm(), "approve_form": ApproveForm(),
            "remove_form": RemoveForm(), "is_admin": user_role(request.user) == Role.ADMIN,
            "can_plan": _can_plan(request.user)}


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan: its structure, members in order (propose, approve, remove) and its history."""
    _require_staff(request.user)
    plan = get_object_or_404(SuccessionPlan.objects.for_user(request.user).select_related("position__organization"),
                             pk=pk)
    if request.method == "GET":
        audit(actor=request.user, action="plan.read", obj=plan, changes={"page": "plan"})
        return render(request, "succession/plan_detail.html", _plan_context(request, plan))
    form = ProposeForm(request.POST)
    candidate = propose_from(request, form, lambda **data: services.member_propose(plan=plan, **data))
    if candidate is not None:
        messages.success(request, _("Đã đề xuất %(name)s vào quy hoạch.") % {"name": candidate.full_name})
        return HttpResponseRedirect(reverse("succession-plan", args=[plan.pk]))
    return render(request, "succession/plan_detail.html", _plan_context(request, plan, propose_form=form), status=400)


def propose_from(request: HttpRequest, form: ProposeForm, propose: Any) -> Candidate | None:
    """Put the person a valid ``ProposeForm`` names (in the reader's scope) through ``propose`` (a service
    taking actor, candidate, readiness, emergency, exception_reason); the person, or None with the
    refusal on the form. Shared by the plan page and the yearly review's "add"."""
    if not form.is_valid():
        return None
    candidate = Candidate.objects.for_user(request.user).filter(pk=form.cleaned_data["candidate"]).first()
    try:
        if candidate is None:
            raise ValidationError({"candidate": _("Không có hồ sơ này trong phạm vi của bạn.")})
        propose(actor=request.user, candidate=candidate, readiness=form.cleaned_data["readiness"],
                emergency=form.cleaned_data["emergency"], exception_reason=form.cleaned_data["exception_reason"])
    except (ValidationError, PermissionDenied) as exc:
        apply_service_errors(form, exc, permission_field="candidate")
        return None
    return candidate


def _member(request: HttpRequest, pk: int) -> PlanMember:
    _require_staff(request.user)
    plans = SuccessionPlan.objects.for_user(request.user)
    return get_object_or_404(PlanMember.objects.filter(plan__in=plans).select_related("plan__position__organization",
                                                                                      "candidate"), pk=pk)


def _act(request: HttpRequest, member: PlanMember, form: Any, act: Any, done: str) -> HttpResponse:
    if form.is_valid():
        try:
            act(**form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, done % {"name": member.candidate.full_name})
    else:
        messages.error(request, _refusal(form))
    return HttpResponseRedirect(reverse("succession-plan", args=[member.plan_id]) + f"#member-{member.pk}")


@login_required
@require_POST
def member_approve(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    return _act(request, member, ApproveForm(request.POST),
                lambda **data: services.member_approve(actor=request.user, member=member, **data),
                _("Đã ghi quyết định phê duyệt quy hoạch của %(name)s."))


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    return _act(request, member, RemoveForm(request.POST),
                lambda **data: services.member_remove(actor=request.user, member=member, **data),
                _("Đã đưa %(name)s ra khỏi quy hoạch; lý do được giữ trong lịch sử."))


@login_required
@require_http_methods(["GET", "POST"])
def position_list(request: HttpRequest) -> HttpResponse:
    """The positions of one's units with their plans; create a position."""
    _require_staff(request.user)
    organizations = Organization.objects.for_user(request.user).order_by("path")
    form = PositionForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        organization = organizations.filter(pk=form.cleaned_data["organization"]).first()
        try:
            if organization is None:
                raise PermissionDenied(_("Chỉ lập quy hoạch cho đơn vị mình quản lý."))
            position = services.position_create(actor=request.user, organization=organization,
                                                title=form.cleaned_data["title"], level=form.cleaned_data["level"],
                                                seats=form.cleaned_data["seats"])
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc, permission_field="organization")
        else:
            messages.success(request, _("Đã tạo chức danh «%(title)s».") % {"title": position.title})
            return HttpResponseRedirect(reverse("succession-positions") + f"#position-{position.pk}")
    positions = (Position.objects.for_user(request.user).select_related("organization")
                 .prefetch_related("plans").order_by("organization__path", "title"))
    return render(request, "succession/positions.html",
                  {"form": form, "positions": positions, "plan_form": PlanForm(), "can_plan": _can_plan(request.user)},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    position = get_object_or_404(Position.objects.for_user(request.user), pk=pk)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _refusal(form))
        return HttpResponseRedirect(reverse("succession-positions") + f"#position-{position.pk}")
    try:
        plan = services.plan_create(actor=request.user, position=position, term=form.cleaned_data["term"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal(exc))
        return HttpResponseRedirect(reverse("succession-positions") + f"#position-{position.pk}")
    return HttpResponseRedirect(reverse("succession-plan", args=[plan.pk]))


@login_required
@require_GET
def vacancy_forecast(request: HttpRequest) -> HttpResponse:
    """Seats that fall vacant before the term ends (retirement age reached, or nobody in the seat), soonest
    first, each with the successors the term's plan has and how many will be ready by then."""
    from succession.defaults import RETIREMENT_SOURCE

    _require_staff(request.user)
    context = _filters(request)
    rows = forecast.vacancies(request.user, context["term"], context["organization"]) if context["term"] else []
    _audit_many(request, "plan.read", {"page": "forecast", "term": context["term"], "vacancies": len(rows)})
    return render(request, "succession/forecast.html", {
        "form": context["form"], "term": context["term"], "rows": rows, "source": RETIREMENT_SOURCE,
        "uncovered": sum(1 for r in rows if not r["covered"])})


@login_required
@require_GET
def people_search(request: HttpRequest) -> HttpResponse:
    """The candidate picker's matches (an htmx fragment): people in the reader's scope whose name matches,
    twenty at most — a choice list that replaces the record-number box."""
    _require_staff(request.user)
    q = (request.GET.get("q") or "").strip()[:120]
    found: list[Candidate] = []
    if len(q) >= 2:
        found = list(Candidate.objects.for_user(request.user).filter(erased_at__isnull=True).search(q)
                     .select_related("organization").order_by("full_name", "pk")[:21])
    return render(request, "succession/_people_options.html", {"people": found[:20], "q": q, "more": len(found) > 20})
