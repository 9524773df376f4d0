"""Administrator pages: accounts (list, create, deactivate/reactivate) and the audit log.

Every view here answers 403 to a signed-in user who is not an administrator, before anything is
looked up, and sends anonymous visitors to the login page. Reads go through
``accounts.selectors.user_list`` and ``AuditEvent.objects.for_user``; writes through
``accounts.services``. The pages work without JavaScript; htmx only swaps the result tables.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, View

from accounts import audit_log, selectors, services
from accounts.forms import ROLE_RULES, AuditFilterForm, UserCreateForm, UserFilterForm
from core.audit import action_labels
from core.models import AuditEvent
from talent.forms import apply_service_errors
from talent.models import Candidate, Role, user_role
from talent.views import LenientPaginationMixin, _vary_on_htmx, wants_fragment

AUDIT_PAGE_SIZE = 50  # rows: one row is one action, however many people it touched
AUDIT_SCAN = 1000  # events read for one page at most
CANDIDATE_LOOKUP_LIMIT = 20


class AdministratorRequiredMixin(LoginRequiredMixin):
    """Administrators only: 403 for every other signed-in user, the login page for anonymous ones."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if user_role(request.user) != Role.ADMIN:
            return self.handle_no_permission()  # 403 when signed in, login redirect otherwise
        return super().dispatch(request, *args, **kwargs)


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and 0 < len(value) < 19 else None


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return default


# --- Accounts ----------------------------------------------------------------------------------

class UserListView(AdministratorRequiredMixin, LenientPaginationMixin, ListView):
    paginate_by = 50
    context_object_name = "accounts"
    template_name = "accounts/user_list.html"
    fragment_template_name = "accounts/_user_results.html"

    def get_filter_form(self) -> UserFilterForm:
        if not hasattr(self, "_filter_form"):
            form = UserFilterForm(self.request.GET or None)
            form.is_valid()  # invalid values drop out of cleaned_data and are shown, never raised
            self._filter_form = form
        return self._filter_form

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.user_list(user=self.request.user, **self.get_filter_form().filters())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.get_filter_form()
        context["is_fragment"] = wants_fragment(self.request)
        return context

    def get_template_names(self) -> list[str]:
        return [self.fragment_template_name if wants_fragment(self.request) else self.template_name]

    def render_to_response(self, context: dict[str, Any], **response_kwargs: Any) -> HttpResponse:
        return _vary_on_htmx(super().render_to_response(context, **response_kwargs))


class UserCreateView(AdministratorRequiredMixin, FormView):
    """The account form; ``?q=`` looks up candidate records without an account (for a student)."""

    form_class = UserCreateForm
    template_name = "accounts/user_form.html"
    lookup_template_name = "accounts/_candidate_lookup.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        # A lookup result links back here with the role and record filled in.
        initial = super().get_initial()
        if self.request.GET.get("role") in Role.values:
            initial["role"] = self.request.GET["role"]
        candidate = _int_param(self.request, "candidate")
        if candidate:
            initial["candidate"] = candidate
        return initial

    def lookup(self) -> dict[str, Any]:
        query = (self.request.GET.get("q") or "").strip()[:120]
        if not query:
            return {"lookup_query": "", "lookup_results": None}
        qs = (Candidate.objects.for_user(self.request.user).active().filter(user__isnull=True)
              .select_related("organization"))
        qs = qs.filter(pk=int(query)) if query.isdigit() and len(query) < 10 else qs.search(query)
        return {"lookup_query": query,
                "lookup_results": list(qs.order_by("name_key", "id")[:CANDIDATE_LOOKUP_LIMIT])}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if wants_fragment(request) and "q" in request.GET:
            return _vary_on_htmx(render(request, self.lookup_template_name, self.lookup()))
        return _vary_on_htmx(super().get(request, *args, **kwargs))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.lookup())
        context["role_rules"] = ROLE_RULES
        form = context["form"]
        context["chosen_candidate"] = getattr(form, "candidate_obj", None)
        return context

    def form_valid(self, form: UserCreateForm) -> HttpResponse:
        try:
            account = services.user_create(actor=self.request.user, **form.service_kwargs())
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, exc, aliases={"password": "password1"})
            return self.form_invalid(form)
        messages.success(self.request, _("Đã tạo tài khoản «%(username)s».") % {"username": account.username})
        return HttpResponseRedirect(f"{reverse('user-list')}?search={account.username}")


class UserSetActiveView(AdministratorRequiredMixin, View):
    """GET: ask to confirm a deactivation. POST ``active=0|1``: deactivate or reactivate."""

    def get_account(self) -> Any:
        return get_object_or_404(selectors.user_list(user=self.request.user), pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.get_account()
        return render(request, "accounts/user_confirm_active.html", {
            "account": account, "activate": request.GET.get("active") == "1",
            "next": _safe_next(request, reverse("user-list")),
        })

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.get_account()
        active = request.POST.get("active") == "1"
        try:
            services.user_set_active(actor=request.user, user=account, active=active)
        except (ValidationError, PermissionDenied) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
        else:
            if active:
                messages.success(request, _("Đã mở lại tài khoản «%(username)s».") % {"username": account.username})
            else:
                messages.success(request, _("Đã khoá tài khoản «%(username)s»: không đăng nhập được nữa và mọi "
                                            "mã truy cập API đã bị thu hồi.") % {"username": account.username})
        return HttpResponseRedirect(_safe_next(request, reverse("user-list")))


# --- Audit log ---------------------------------------------------------------------------------

class AuditLogView(AdministratorRequiredMixin, View):
    """Newest first, 50 a page, keyset pagination on the primary key (``?before=`` / ``?after=``):
    a deep page costs what the first does, and there is no COUNT over the whole log."""

    template_name = "accounts/audit_log.html"
    fragment_template_name = "accounts/_audit_results.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET or None)
        form.is_valid()  # invalid filters drop out and are shown
        base = form.apply(AuditEvent.objects.for_user(request.user)).select_related("actor")
        before, after = _int_param(request, "before"), _int_param(request, "after")
        if after is not None:
            rows, has_newer = _rows(base.filter(id__gt=after).order_by("id"))
            rows = [audit_log.AuditRow(events=row.events[::-1]) for row in rows[::-1]]
            has_older = True
        else:
            qs = base.filter(id__lt=before) if before is not None else base
            rows, has_older = _rows(qs.order_by("-id"))
            has_newer = before is not None
        context = {
            "filter_form": form,
            "events": audit_log.name(rows),
            "has_newer": has_newer and bool(rows),
            "has_older": has_older and bool(rows),
            "is_first_page": before is None and after is None,
            "action_labels": sorted(action_labels().items()),
            "is_fragment": wants_fragment(request),
        }
        template = self.fragment_template_name if context["is_fragment"] else self.template_name
        return _vary_on_htmx(render(request, template, context))


def _rows(events: QuerySet[AuditEvent]) -> tuple[list[audit_log.AuditRow], bool]:
    """Up to AUDIT_PAGE_SIZE rows from ``events`` (in the order given) and whether more follow. At most
    AUDIT_SCAN events are read: when they run out first, the last row may go on past them and is left
    for the next page (unless it is the only one)."""
    batch = list(events[:AUDIT_SCAN + 1])
    rows = audit_log.group(batch[:AUDIT_SCAN])
    if len(rows) > AUDIT_PAGE_SIZE:
        return rows[:AUDIT_PAGE_SIZE], True
    if len(batch) > AUDIT_SCAN:
        return (rows[:-1] if len(rows) > 1 else rows), True
    return rows, False
