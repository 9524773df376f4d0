"""Pages of bulk import: upload (validated first, nothing stored), live progress, preview, commit.

Views are thin: the batch is read through ``ImportBatch.objects.for_user`` (someone else's import
answers 404), every change goes through ``imports.services``. The detail page's dynamic part is one
partial: while a job runs, htmx asks for it every second and swaps it whole, so when the job ends
the same request brings the report in its place.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import View

from core.spreadsheets import XLSX
from imports import services
from imports.files import TEMPLATE_FILENAME, candidate_template, error_report_xlsx
from imports.forms import ImportUploadForm
from imports.kinds import get_kind
from imports.models import ImportBatch
from imports.report import error_report_path
from talent.forms import apply_service_errors
from talent.views import CandidateManagerRequiredMixin, wants_fragment

RUNNING_STATES = (ImportBatch.State.VALIDATING, ImportBatch.State.COMMITTING)


def _scoped_batches(request: HttpRequest):  # type: ignore[no-untyped-def]
    return ImportBatch.objects.for_user(request.user).select_related("organization", "validate_job", "commit_job")


def _batch_or_404(request: HttpRequest, pk: Any) -> ImportBatch:
    return get_object_or_404(_scoped_batches(request), pk=pk)


# --- List and upload -------------------------------------------------------------------------------

class ImportListView(CandidateManagerRequiredMixin, View):
    """The user's imports and the upload form. A valid upload is validated in the background and
    the browser goes to its page to watch."""

    template_name = "imports/import_list.html"
    paginate_by = 25

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ImportUploadForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                # PermissionDenied (a role or unit the user may not import into) is a 403.
                batch = services.import_start(actor=request.user, dry_run=True, **form.service_kwargs())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return HttpResponseRedirect(reverse("import-detail", args=[batch.pk]))
        return self._render(request, form, status=400)

    def _render(self, request: HttpRequest, form: ImportUploadForm, status: int = 200) -> HttpResponse:
        paginator = Paginator(_scoped_batches(request).order_by("-created_at", "pk"), self.paginate_by)
        page = paginator.get_page(request.GET.get("page"))
        context = {"form": form, "page_obj": page, "batches": page.object_list,
                   "offers_year": form.offers_year}
        return render(request, self.template_name, context, status=status)


class ImportTemplateView(CandidateManagerRequiredMixin, View):
    """The XLSX template of a candidate list, with its instructions sheet."""

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(candidate_template(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILENAME}"'
        return response


# --- One import ------------------------------------------------------------------------------------

def _counts(batch: ImportBatch) -> list[tuple[str, str, int]]:
    report = batch.report
    kind = get_kind(batch.kind)
    candidates = batch.kind == ImportBatch.Kind.CANDIDATES
    rows = [
        ("rows", _("Số dòng đọc được"), report.get("rows", 0)),
        ("created", _(kind.created_label) if kind else _("Mới"), report.get("created", 0)),
        ("updated", _("Cập nhật"), report.get("updated", 0)),
        ("unchanged", _("Không đổi"), report.get("unchanged", 0)),
        *([("held", _("Hợp lệ nhưng chưa ghi (tệp còn lỗi)"), report["held"])] if report.get("held") else []),
        ("duplicates", _("Dòng lặp lại trong tệp"), report.get("duplicates", 0)),
        ("errors", _("Lỗi"), report.get("errors", 0)),
        ("rejected", _("Dòng không ghi được"), report.get("rejected", 0)),
    ]
    if candidates and batch.state == ImportBatch.State.COMMITTED:
        # Probable duplicates are looked for among the records a commit creates, not before.
        rows.append(("merge_suggestions", _("Đề xuất gộp hồ sơ"), report.get("merge_suggestions", 0)))
    return rows


def _preview(batch: ImportBatch) -> dict[str, Any]:
    kind = get_kind(batch.kind)
    return kind.preview(batch) if kind is not None else {}


def _batch_context(batch: ImportBatch) -> dict[str, Any]:
    job = batch.current_job
    report = batch.report or {}
    running = batch.state in RUNNING_STATES and job is not None and not job.is_finished
    errors = int(report.get("errors") or 0)
    commit_blocked = batch.all_or_nothing and errors > 0
    has_report = bool(report) and batch.state in (ImportBatch.State.VALIDATED, ImportBatch.State.COMMITTED)
    context: dict[str, Any] = {
        "batch": batch,
        "job": job,
        "running": running,
        # The job ended without the batch saying how (a crash of the worker): say so rather than spin.
        "stalled": batch.state in RUNNING_STATES and not running,
        "has_report": has_report,
        "counts": _counts(batch) if has_report else [],
        "errors_detail": report.get("errors_detail") or [],
        "errors_truncated": bool(report.get("errors_truncated")),
        "error_count": errors,
        "can_commit": batch.state == ImportBatch.State.VALIDATED and not commit_blocked,
        "commit_blocked": batch.state == ImportBatch.State.VALIDATED and commit_blocked,
        "error_report": job is not None and has_report and errors > 0 and error_report_path(job.pk).exists(),
    }
    if has_report:
        context.update(_preview(batch))
    return context


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ("HX-Request",))
    return response


def _render_batch(request: HttpRequest, batch: ImportBatch, status: int = 200) -> HttpResponse:
    template = "imports/_batch.html" if wants_fragment(request) else "imports/import_detail.html"
    response = render(request, template, _batch_context(batch), status=status)
    response["Cache-Control"] = "no-store"
    return _vary_on_htmx(response)


class ImportDetailView(CandidateManagerRequiredMixin, View):
    """The import's page; with htmx (the poll while a job runs) only its dynamic part."""

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        return _render_batch(request, _batch_or_404(request, pk))


class ImportCommitView(CandidateManagerRequiredMixin, View):
    """POST: store a validated file (in the background). Refused while an all-or-nothing file has errors."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        batch = _batch_or_404(request, pk)
        if batch.all_or_nothing and int(batch.report.get("errors") or 0) > 0:
            messages.error(request, _("Tệp còn lỗi và đã chọn «chỉ ghi khi không có lỗi nào»: không ghi gì. "
                                      "Hãy sửa tệp rồi tải lên lại."))
        else:
            try:
                services.import_commit(batch=batch, actor=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reverse("import-detail", args=[batch.pk]))


class ImportCancelView(CandidateManagerRequiredMixin, View):
    """POST: stop the running step. With htmx the page's dynamic part comes back at once."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        batch = services.import_cancel(batch=_batch_or_404(request, pk), actor=request.user)
        if wants_fragment(request):
            return _render_batch(request, _batch_or_404(request, batch.pk))
        messages.info(request, _("Đã yêu cầu huỷ."))
        return HttpResponseRedirect(reverse("import-detail", args=[batch.pk]))


class ImportErrorReportView(CandidateManagerRequiredMixin, View):
    """Every problem found (not only the first 500 shown on the page), as CSV or XLSX."""

    as_xlsx = False

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        batch = _batch_or_404(request, pk)
        job = batch.current_job
        path = error_report_path(job.pk) if job is not None else None
        if path is None or not path.exists() or batch.state in RUNNING_STATES:
            raise Http404(_("Không có báo cáo lỗi cho lượt nhập này."))
        if self.as_xlsx:
            response: HttpResponse = HttpResponse(error_report_xlsx(path), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="loi-nhap-{batch.pk}.xlsx"'
        else:
            response = FileResponse(path.open("rb"), as_attachment=True, filename=f"loi-nhap-{batch.pk}.csv",
                                    content_type="text/csv; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response


import_error_report_csv = never_cache(ImportErrorReportView.as_view())
import_error_report_xlsx = never_cache(ImportErrorReportView.as_view(as_xlsx=True))
