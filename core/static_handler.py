"""Static files served by the app itself, so that one process is all `make run` needs."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.exceptions import SuspiciousOperation
from django.http import Http404


class StaticFilesHandler(ASGIStaticFilesHandler):
    """Django's ASGI static handler, answering a path that escapes the static folders
    ("/static/../config/settings.py") with a 404 instead of letting the error become a 500."""

    def serve(self, request: Any) -> Any:
        try:
            return super().serve(request)
        except SuspiciousOperation as exc:
            raise Http404("Không tìm thấy tệp.") from exc
