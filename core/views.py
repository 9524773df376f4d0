from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core.cache import caches
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.models import Job
from core.tasking import job_cancel, job_output_path


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and `make run` smoke tests."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # report, don't crash: this endpoint exists to say what is wrong
        database = {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    ok = database["ok"]
    body: dict = {"database": database}
    redis_up = True
    if getattr(settings, "REDIS_URL", ""):
        # Redis carries the cache (throttles) and the channel layer (live pages). Without it the app
        # still serves — throttles fail open, live pages retry and catch up over HTTP — so the status is
        # "degraded" with 200, and a load balancer keeps the node.
        try:
            caches["default"].ping()
            body["redis"] = {"ok": True}
        except Exception as exc:  # report, don't crash
            redis_up = False
            body["redis"] = {"ok": False, "error": type(exc).__name__}
    status = "error" if not ok else ("ok" if redis_up else "degraded")
    return JsonResponse(
        {"status": status, **body, "elapsed_ms": round((time.perf_counter() - started) * 1000, 2)},
        status=200 if ok else 503,
    )


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: str) -> HttpResponse:
    """The job's progress page; htmx polls it for the progress fragment until the job finishes."""
    job = get_object_or_404(Job.objects.for_user(request.user), pk=pk)
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@login_required
@require_POST
def job_cancel_view(request: HttpRequest, pk: str) -> HttpResponse:
    job = get_object_or_404(Job.objects.for_user(request.user), pk=pk)
    job = job_cancel(job=job)
    if request.htmx:
        return render(request, "core/_job_progress.html", {"job": job})
    return redirect("job-detail", pk=job.pk)


@login_required
@require_GET
@never_cache
def job_download(request: HttpRequest, pk: str) -> HttpResponse:
    job = get_object_or_404(Job.objects.for_user(request.user), pk=pk, status=Job.Status.SUCCEEDED)
    path = job_output_path(job)
    if path is None or not path.exists():
        raise Http404("Tệp kết quả không còn.")
    expires = job.finished_at + dt.timedelta(hours=settings.EXPORT_DOWNLOAD_HOURS) if job.finished_at else None
    if expires is not None and timezone.now() > expires:
        # The people in it may have withdrawn consent since: export again for today's data.
        return HttpResponse(
            _("Tệp này đã hết hạn tải (sau %(hours)d giờ). Hãy xuất lại để có dữ liệu hiện tại.")
            % {"hours": settings.EXPORT_DOWNLOAD_HOURS}, status=410, content_type="text/plain; charset=utf-8")
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
