from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse


class VietnameseFirstMiddleware:
    """Vietnamese unless the user chose otherwise.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a Vietnamese officer
    on an English-language browser would get English pages. The product speaks Vietnamese first:
    only the language the user picked with the switch (the ``django_language`` cookie) or a
    language prefix counts. Placed just before LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RefuseNulMiddleware:
    """A query string carrying a NUL character is refused with 400 before any view reads it: PostgreSQL
    cannot store or compare text holding NUL, so a filter such as ``?term=%00`` would end in a server
    error, and no real parameter holds one (form and API fields already refuse it in bodies)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values)
                                         for key, values in request.GET.lists()):
            message = "Tham số chứa ký tự NUL (\\x00), không hợp lệ."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)
