"""Every page of the URLconf opened as every role, deny by default.

The URLconf is walked, not listed by hand: a new page is in the matrix the day it is added. For each
role the expectations are:

- anonymous: every page but the public ones sends to the login page;
- student: the pages of ``accounts.student_area.STUDENT_PAGES`` open (or say no within their own
  scope); every other page sends a GET to /me/ and refuses anything else, before the view runs;
- staff and recruiters: no page answers a server error, whatever the role.

Pages whose URL takes an id are opened with ids of real objects made here (a candidate, a club, an
event, ...); a parameter the matrix cannot fill fails the test, so it is extended with the page.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.student_area import STUDENT_PAGES
from talent.models import Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

PUBLIC = {"healthz", "set_language", "login", "password_reset", "password_reset_done", "password_reset_confirm",
          "password_reset_complete", "user-calendar", "logout"}
EVENT_KIND = "dialogue"  # so the live Q&A pages have an event of their own
SKIPPED_PREFIXES = ("admin/", "api/", "^static/")  # the admin site and the API check access themselves


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str, URLPattern]]:
    out = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            out += _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif entry.name:
            out.append((prefix + str(entry.pattern), namespace + entry.name, entry))
    return out


PAGES = [(route, name) for route, name, _ in _walk(get_resolver().url_patterns)
         if not route.startswith(SKIPPED_PREFIXES)]


@pytest.fixture
def world(org_tree, officer):  # type: ignore[no-untyped-def]
    """One object of each kind a URL names, owned so that the student is a member where it matters."""
    from clubs import services as clubs
    from talent import services as talent

    student = make_user(Role.STUDENT, org_tree.faculty, username="sv_matrix")
    me = make_candidate(org_tree.faculty, "Nguyễn Thị Ma Trận")
    me.user = student
    me.save(update_fields=["user"])
    club = clubs.club_create(actor=officer, slug="clb-ma-tran", name="CLB Ma trận", owner=org_tree.city)
    starts = timezone.now() + dt.timedelta(days=3)
    event = clubs.event_create(actor=officer, club=club, title="Sự kiện ma trận", kind=EVENT_KIND, starts_at=starts,
                               ends_at=starts + dt.timedelta(hours=2), capacity=50)
    pool = talent.pool_create(actor=officer, name="Nguồn ma trận", kind="young_talent", owner=org_tree.city)
    return {"student": student, "me": me, "club": club, "event": event, "pool": pool}


def _kwargs(route: str, name: str, world: dict[str, Any]) -> dict[str, Any]:
    """Values for the URL's parameters: real objects where the page is the student's to open."""
    values: dict[str, Any] = {}
    if "<int:pk>" in route:
        if name.startswith(("event-", "events")):
            values["pk"] = world["event"].pk
        elif name.startswith(("candidate-", "me-")):
            values["pk"] = world["me"].pk
        elif name.startswith("pool-"):
            values["pk"] = world["pool"].pk
        else:
            values["pk"] = 1
    if "<uuid:pk>" in route:
        values["pk"] = uuid.uuid4()
    if "<slug:slug>" in route:
        values["slug"] = world["club"].slug if name.startswith("club-") else "university-student"
    for key, value in (("<int:qid>", ("qid", 1)), ("<int:number>", ("number", 1)), ("<str:token>", ("token", "x")),
                       ("<int:candidate>", ("candidate", 1)),
                       ("<uidb64>", ("uidb64", "x")), ("<token>", ("token", "x"))):
        if key in route:
            values[value[0]] = value[1]
    leftover = route
    for part in ("<int:pk>", "<uuid:pk>", "<slug:slug>", "<int:qid>", "<int:number>", "<str:token>", "<uidb64>",
                 "<token>", "<int:candidate>"):
        leftover = leftover.replace(part, "")
    assert "<" not in leftover, f"{name}: the matrix cannot fill a parameter of {route}; extend _kwargs"
    return values


def _url(route: str, name: str, world: dict[str, Any]) -> str:
    return reverse(name, kwargs=_kwargs(route, name, world))


def test_the_matrix_covers_the_urlconf() -> None:
    names = {name for _, name in PAGES}
    assert len(PAGES) > 100 and "ranking-list" in names and "me-profile" in names
    assert STUDENT_PAGES <= names | {"logout"}, STUDENT_PAGES - names  # no stale name in the allow-list


@pytest.mark.parametrize(("route", "name"), PAGES, ids=[name for _, name in PAGES])
def test_anonymous(client, world, route: str, name: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(_url(route, name, world))
    if name in PUBLIC:
        assert response.status_code < 500
    else:
        assert response.status_code in (302, 404, 405), (name, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), (name, response["Location"])


@pytest.mark.parametrize(("route", "name"), PAGES, ids=[name for _, name in PAGES])
def test_student(world, route: str, name: str) -> None:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(world["student"])
    url = _url(route, name, world)
    response = client.get(url)
    if name in STUDENT_PAGES or name in PUBLIC:
        assert response.status_code < 500, (name, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith("/accounts/login/"), name
    else:
        # A staff page: GET goes to the student's own page, anything else is refused before the view.
        assert response.status_code == 302 and response["Location"] == reverse("me-profile"), (name, response.status_code)
        assert client.post(url).status_code == 403, name


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.RECRUITER, Role.PERSONNEL])
def test_staff_roles_never_meet_a_server_error(world, org_tree, role: str) -> None:  # type: ignore[no-untyped-def]
    home = {Role.LIAISON: org_tree.uni, Role.RECRUITER: org_tree.agency}.get(role, org_tree.city)
    client = Client(raise_request_exception=False)
    client.force_login(make_user(role, home, username=f"matrix_{role}"))
    failures = []
    for route, name in PAGES:
        if name in ("logout",):
            continue
        status = client.get(_url(route, name, world)).status_code
        if status >= 500:
            failures.append((name, status))
    assert not failures
