"""Pages of probable duplicate records: the two side by side, merge (choosing the record to keep) or dismiss.

Suggestions are read through ``MergeSuggestion.objects.for_user`` (only those whose two records the
user can both see; any other id answers 404); decisions go through ``talent.services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from talent import services
from talent.models import MergeSuggestion
from talent.views import CandidateManagerRequiredMixin


def _suggestions(request: HttpRequest) -> QuerySet[MergeSuggestion]:
    return MergeSuggestion.objects.for_user(request.user).select_related(
        "candidate__organization", "other__organization")


def _back(request: HttpRequest) -> HttpResponseRedirect:
    page = request.POST.get("page", "")
    url = reverse("merge-suggestion-list")
    return HttpResponseRedirect(f"{url}?page={page}" if page.isdigit() else url)


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class MergeSuggestionListView(CandidateManagerRequiredMixin, View):
    paginate_by = 20

    def get(self, request: HttpRequest) -> HttpResponse:
        # An anonymized record is never listed (and has nothing left to compare).
        pending = _suggestions(request).filter(
            status=MergeSuggestion.Status.PENDING, candidate__erased_at__isnull=True, other__erased_at__isnull=True,
        ).order_by("-created_at", "pk")
        page = Paginator(pending, self.paginate_by).get_page(request.GET.get("page"))
        return render(request, "talent/merge_suggestions.html", {"page_obj": page, "suggestions": page.object_list})


class MergeSuggestionMergeView(CandidateManagerRequiredMixin, View):
    """POST ``keep`` = the id of the record to keep (one of the two); the other is merged into it."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        suggestion = get_object_or_404(_suggestions(request), pk=pk)
        if suggestion.status != MergeSuggestion.Status.PENDING:
            messages.info(request, _("Đề xuất này đã được xử lý."))
            return _back(request)
        pair: dict[str, Any] = {str(suggestion.candidate_id): suggestion.candidate,
                                str(suggestion.other_id): suggestion.other}
        keep = pair.get(request.POST.get("keep", "").strip())
        if keep is None:
            messages.error(request, _("Hãy chọn một trong hai hồ sơ của đề xuất để giữ lại."))
            return _back(request)
        drop = suggestion.other if keep.pk == suggestion.candidate_id else suggestion.candidate
        dropped_name = drop.full_name
        try:
            # PermissionDenied (a record the user may not change) is a 403.
            kept = services.candidate_merge(keep=keep, drop=drop, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Đã gộp hồ sơ «%(dropped)s» vào «%(kept)s» (%(unit)s).") % {
                "dropped": dropped_name, "kept": kept.full_name, "unit": kept.organization.name})
        return _back(request)


class MergeSuggestionDismissView(CandidateManagerRequiredMixin, View):
    """POST: the two records are different people; the suggestion is closed."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        suggestion = get_object_or_404(_suggestions(request), pk=pk)
        try:
            services.merge_suggestion_dismiss(suggestion=suggestion, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Đã ghi nhận: «%(a)s» và «%(b)s» là hai người khác nhau.") % {
                "a": suggestion.candidate.full_name, "b": suggestion.other.full_name})
        return _back(request)
