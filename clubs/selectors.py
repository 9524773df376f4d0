"""Reads for the club pages, already scoped to the user: a club's member directory (searchable by
name, a page at a time) and the managers' queues of requests and invitations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from django.db.models import Case, IntegerField, QuerySet, Value, When

from clubs.models import Club, Membership
from core.text import fold

MEMBER_PAGE_SIZE = 50
QUEUE_LIMIT = 50

# Leaders first: ordering on the role's stored value would put "member" before "core" and "chair".
_ROLE_RANK = Case(When(role=Membership.Role.CHAIR, then=Value(0)), When(role=Membership.Role.CORE, then=Value(1)),
                  default=Value(2), output_field=IntegerField())


def _directory(*, user: Any, club: Club) -> QuerySet[Membership]:
    return (Membership.objects.for_user(user).filter(club=club, status=Membership.Status.ACTIVE)
            .select_related("user").alias(role_rank=_ROLE_RANK).order_by("role_rank", "joined_at", "id"))


def _shown_name(first: str, last: str, username: str) -> str:
    # As ``User.get_full_name()`` and the ``display_name`` filter show it: a search finds what is on screen.
    return f"{first} {last}".strip() or username


def _name_matches(name_key: str, words: list[str]) -> bool:
    # The rule of ``CandidateQuerySet.search``: every word typed starts a word of the name, in any
    # order and with gaps ("tran bich ngoc" and "ngoc tran" find "Trần Thị Bích Ngọc").
    return all(name_key.startswith(word) or f" {word}" in name_key for word in words)


class MemberMatches(Sequence[Membership]):
    """Members whose shown name matches a search, in directory order, loaded a page at a time.

    Users carry no folded-name column (only candidate records do, and staff members have none), and
    SQLite cannot strip Vietnamese diacritics, so names are folded here with ``core.text.fold``: one
    narrow query of ids and names for the whole club, then one query for the rows of the page shown.
    """

    def __init__(self, directory: QuerySet[Membership], search: str) -> None:
        words = list(dict.fromkeys(fold(search).split()))
        rows = directory.values_list("pk", "user__first_name", "user__last_name", "user__username")
        self._ids = [pk for pk, first, last, username in rows
                     if _name_matches(fold(_shown_name(first, last, username)), words)]
        self._directory = directory

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> Membership: ...

    @overload
    def __getitem__(self, index: slice) -> list[Membership]: ...

    def __getitem__(self, index: int | slice) -> Membership | list[Membership]:
        if isinstance(index, int):
            return self[index:index + 1 or None][0]
        ids = self._ids[index]
        found = self._directory.filter(pk__in=ids).in_bulk()
        return [found[pk] for pk in ids if pk in found]


def club_members(*, user: Any, club: Club, search: str = "") -> QuerySet[Membership] | MemberMatches:
    """The club's active members the user may list, leaders first, optionally matching a name search
    ("tran bich ngoc" finds "Trần Thị Bích Ngọc"). Hand it to a Paginator: only one page is loaded."""
    directory = _directory(user=user, club=club)
    if not fold(search):
        return directory
    return MemberMatches(directory, search)


def club_queue(*, user: Any, club: Club, status: str, limit: int | None = None) -> tuple[list[Membership], int]:
    """The oldest ``limit`` (default ``QUEUE_LIMIT``) requests or invitations waiting in a club, and how
    many wait in all. The count costs a query only when the list is cut short."""
    limit = QUEUE_LIMIT if limit is None else limit
    qs = (Membership.objects.for_user(user).filter(club=club, status=status).select_related("user")
          .order_by("created_at", "id"))
    rows = list(qs[:limit + 1])
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], qs.count()
