from __future__ import annotations

from datetime import datetime, timezone

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Keyset pagination: page N costs the same as page 1, and rows never shift between pages.

    The ordering must end on a unique column; viewsets that sort otherwise set ``ordering``.
    """

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def decode_cursor(self, request):  # type: ignore[no-untyped-def]
        """A cursor whose position is not a key of this ordering is a client error (400), not a 500."""
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:  # DRF answers a malformed cursor with 404; it is a bad request
            raise ValidationError({"cursor": "Con trỏ phân trang không hợp lệ."}) from exc
        if cursor is None or cursor.position is None or self.position_parser is None:
            return cursor
        try:
            self.position_parser(cursor.position)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ValidationError({"cursor": "Con trỏ phân trang không hợp lệ."}) from exc
        return cursor

    # How to check the position of a cursor over the default ordering (an integer id).
    position_parser = staticmethod(int)


class NewestFirstCursorPagination(IdCursorPagination):
    """For rows keyed by UUID (jobs): newest first, keyset on the creation time."""

    ordering = "-created_at"
    # The database compares in UTC: a timestamp that cannot be expressed there is refused here.
    position_parser = staticmethod(lambda value: datetime.fromisoformat(value).astimezone(timezone.utc))


class NewestIdPagination(IdCursorPagination):
    """Newest first by id (announcements and notifications are created in id order)."""

    ordering = "-id"
