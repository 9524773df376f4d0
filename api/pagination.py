from __future__ import annotations

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Keyset pagination: page N costs the same as page 1, and rows never shift between pages.

    The ordering must end on a unique column; viewsets that sort otherwise set ``ordering``.
    """

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
