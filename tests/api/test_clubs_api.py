"""The clubs and events API: clubs, memberships and the directory, announcements, events, registration
with a waitlist, offers, check-in (tickets and the rotating screen code), attendance and the
notification bell."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import user_create
from clubs import services
from clubs.models import Club, Event, Membership, Registration
from core.models import Notification
from core.notifications import notify
from talent import services as talent_services
from talent.models import Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

CLUBS = "/api/v1/clubs/"
EVENTS = "/api/v1/events/"
NOTIFICATIONS = "/api/v1/notifications/"
MISSING = 999_999


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat()


@pytest.fixture
def w(org_tree, admin_user, officer, ward_officer):  # type: ignore[no-untyped-def]
    """A university club (approval, directory open to members) whose chair is a student, an open club
    of ward A with a core-only directory, an invite-only club; a liaison of the university, a
    recruiter and six students."""
    t = org_tree
    ns = SimpleNamespace(org=t, admin=admin_user, officer=officer, ward_officer=ward_officer)
    ns.liaison = make_user(Role.LIAISON, t.uni, username="c_liaison")
    ns.recruiter = make_user(Role.RECRUITER, t.agency, username="c_recruiter")
    names = [("An", "Nguyễn Văn"), ("Bình", "Trần Thị"), ("Cường", "Lê Văn"), ("Dung", "Phạm Thị"),
             ("Em", "Võ Minh"), ("Giang", "Hoàng Thị")]
    ns.students = [make_user(Role.STUDENT, t.faculty, username=f"c_sv{i}", first_name=last, last_name=first)
                   for i, (first, last) in enumerate(names)]
    ns.chair, ns.member, ns.outsider = ns.students[0], ns.students[1], ns.students[5]
    ns.club = services.club_create(actor=None, slug="clb-bk", name="CLB Tài năng trẻ Bách khoa", owner=t.uni,
                                   policy=Club.Policy.APPROVAL, directory=Club.Directory.MEMBERS)
    Membership.objects.create(club=ns.club, user=ns.chair, role=Membership.Role.CHAIR,
                              status=Membership.Status.ACTIVE, joined_at=timezone.now())
    Membership.objects.create(club=ns.club, user=ns.member, status=Membership.Status.ACTIVE,
                              joined_at=timezone.now())
    ns.pending = services.club_join(club=ns.club, user=ns.students[2])
    ns.open_club = services.club_create(actor=None, slug="clb-phuong", name="CLB Cán bộ trẻ phường Sài Gòn",
                                        owner=t.ward_a, policy=Club.Policy.OPEN, directory=Club.Directory.CORE)
    ns.invite_club = services.club_create(actor=None, slug="clb-moi", name="CLB Cán bộ trẻ – Tài năng trẻ",
                                          owner=t.city, policy=Club.Policy.INVITE)
    ns.now = timezone.now()
    return ns


def _event(w: SimpleNamespace, capacity: int = 3, **fields: Any) -> Event:
    start = fields.pop("starts_at", w.now + dt.timedelta(days=7))
    defaults = {"title": "Đối thoại với lãnh đạo Thành phố", "kind": Event.Kind.DIALOGUE, "starts_at": start,
                "ends_at": start + dt.timedelta(hours=2), "capacity": capacity, "organization": w.org.uni}
    return services.event_create(actor=w.admin, **{**defaults, **fields})


def _end(event: Event) -> None:
    """Move an event into the past (it took place): registrations were made while it was open."""
    start = timezone.now() - dt.timedelta(hours=3)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=2))


# --- Clubs ------------------------------------------------------------------------------------------------


def test_staff_create_clubs_of_units_in_their_scope(w, api_as) -> None:  # type: ignore[no-untyped-def]
    body = {"slug": "clb-khoa", "name": "CLB Khoa học Máy tính", "owner": w.org.faculty.pk,
            "description": "Sinh hoạt hằng tháng", "policy": "open", "directory": "core"}
    response = api_as(w.liaison).post(CLUBS, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["slug"], data["owner"], data["policy"], data["directory"]) == ("clb-khoa", w.org.faculty.pk,
                                                                              "open", "core")
    assert data["can_manage"] is True and data["member_count"] == 0 and data["my_membership"] is None
    assert Club.objects.get(slug="clb-khoa").created_by == w.liaison
    # The same slug again; a unit outside the caller's scope; a student; a recruiter.
    again = api_as(w.liaison).post(CLUBS, body, format="json")
    assert again.status_code == 400 and "slug" in again.json()
    outside = api_as(w.ward_officer).post(CLUBS, {**body, "slug": "clb-b", "owner": w.org.ward_b.pk}, format="json")
    missing = api_as(w.ward_officer).post(CLUBS, {**body, "slug": "clb-b", "owner": MISSING}, format="json")
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["owner"] == missing.json()["owner"]
    student = api_as(w.member).post(CLUBS, {**body, "slug": "clb-sv"}, format="json")
    assert student.status_code == 403 and "câu lạc bộ" in student.json()["detail"]
    assert api_as(w.recruiter).post(CLUBS, {**body, "slug": "clb-r", "owner": w.org.agency.pk},
                                    format="json").status_code == 403
    assert api_as(w.officer).post(CLUBS, {"slug": "x"}, format="json").json().keys() >= {"name", "owner"}


def test_everyone_finds_clubs_and_sees_their_own_membership(w, api_as) -> None:  # type: ignore[no-untyped-def]
    rows = {c["slug"]: c for c in api_as(w.member).get(CLUBS).json()["results"]}
    assert set(rows) == {"clb-bk", "clb-phuong", "clb-moi"}
    assert rows["clb-bk"]["member_count"] == 2  # the pending request is not a member yet
    assert rows["clb-bk"]["my_membership"]["status"] == "active" and rows["clb-bk"]["can_manage"] is False
    assert rows["clb-phuong"]["my_membership"] is None
    chair = api_as(w.chair).get(f"{CLUBS}{w.club.pk}/").json()
    assert chair["can_manage"] is True and chair["my_membership"]["role"] == "chair"
    assert api_as(w.liaison).get(f"{CLUBS}{w.club.pk}/").json()["can_manage"] is True
    assert api_as(w.ward_officer).get(f"{CLUBS}{w.club.pk}/").json()["can_manage"] is False
    assert api_as(w.recruiter).get(f"{CLUBS}{MISSING}/").status_code == 404
    assert api_as(w.recruiter).get(f"{CLUBS}abc/").status_code == 404


def test_the_club_list_does_not_query_per_club(w, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(w.member)
    client.get(CLUBS)
    with CaptureQueriesContext(connection) as few:
        assert client.get(CLUBS).status_code == 200
    for i in range(10):
        club = services.club_create(actor=None, slug=f"clb-{i}", name=f"CLB {i}", owner=w.org.uni)
        services.club_join(club=club, user=w.member)
    with CaptureQueriesContext(connection) as many:
        response = client.get(CLUBS)
    assert len(response.json()["results"]) == 13
    assert len(many.captured_queries) == len(few.captured_queries)


def test_join_follows_the_club_policy_and_leave_ends_it(w, api_as) -> None:  # type: ignore[no-untyped-def]
    sv = api_as(w.students[3])
    joined = sv.post(f"{CLUBS}{w.open_club.pk}/join/")
    assert joined.status_code == 200 and joined.json()["status"] == "active"
    assert joined.json()["name"] == "Phạm Thị Dung"
    asked = sv.post(f"{CLUBS}{w.club.pk}/join/")
    assert asked.status_code == 200 and asked.json()["status"] == "pending"
    refused = sv.post(f"{CLUBS}{w.invite_club.pk}/join/")
    assert refused.status_code == 403 and "lời mời" in refused.json()["detail"]
    # An invitation lets them in.
    services.club_invite(club=w.invite_club, user=w.students[3], actor=w.officer)
    assert sv.post(f"{CLUBS}{w.invite_club.pk}/join/").json()["status"] == "active"
    left = sv.post(f"{CLUBS}{w.open_club.pk}/leave/")
    assert left.status_code == 200 and left.json()["status"] == "left"
    again = sv.post(f"{CLUBS}{w.open_club.pk}/leave/")
    assert again.status_code == 400 and "membership" in again.json()
    assert sv.post(f"{CLUBS}{MISSING}/join/").status_code == 404
    assert sv.get(f"{CLUBS}{w.open_club.pk}/join/").status_code == 405


def test_the_member_directory_follows_the_club_setting(w, api_as) -> None:  # type: ignore[no-untyped-def]
    url = f"{CLUBS}{w.club.pk}/members/"
    # An active member of a club whose directory is open to members: the active members only.
    member_view = api_as(w.member).get(url)
    assert member_view.status_code == 200
    assert {(m["name"], m["role"]) for m in member_view.json()["results"]} == {
        ("Nguyễn Văn An", "chair"), ("Trần Thị Bình", "member")}
    # Managers (the chair, the university's liaison) also see the pending request, to decide it.
    for manager in (w.chair, w.liaison, w.officer, w.admin):
        rows = api_as(manager).get(url).json()["results"]
        assert {m["status"] for m in rows} == {"active", "pending"}, manager
    pending = api_as(w.chair).get(url, {"status": "pending"}).json()["results"]
    assert [m["id"] for m in pending] == [w.pending.pk]
    assert api_as(w.chair).get(url, {"status": "whatever"}).status_code == 400
    # Someone outside the club, the applicant themselves, a recruiter: 403, not an empty list.
    for outsider in (w.outsider, w.students[2], w.recruiter, w.ward_officer):
        refused = api_as(outsider).get(url)
        assert refused.status_code == 403 and "thành viên" in refused.json()["detail"], outsider
    # A "core" directory: members are refused, the club's managers read it.
    services.club_join(club=w.open_club, user=w.member)
    core_url = f"{CLUBS}{w.open_club.pk}/members/"
    assert api_as(w.member).get(core_url).status_code == 403
    assert "ban điều hành" in api_as(w.member).get(core_url).json()["detail"]
    assert [m["name"] for m in api_as(w.ward_officer).get(core_url).json()["results"]] == ["Trần Thị Bình"]
    assert api_as(w.member).get(f"{CLUBS}{MISSING}/members/").status_code == 404


def test_managers_decide_requests_to_join(w, api_as) -> None:  # type: ignore[no-untyped-def]
    url = f"{CLUBS}{w.club.pk}/members/{w.pending.pk}/decide/"
    # A plain member can see the request in the directory's scope but may not decide it.
    refused = api_as(w.member).post(url, {"approve": True}, format="json")
    assert refused.status_code == 403
    # Someone who cannot see the request at all: 404, as for one that does not exist.
    assert api_as(w.recruiter).post(url, {"approve": True}, format="json").status_code == 404
    assert api_as(w.chair).post(f"{CLUBS}{w.club.pk}/members/{MISSING}/decide/", {"approve": True},
                                format="json").status_code == 404
    # The membership belongs to another club than the one in the URL.
    assert api_as(w.admin).post(f"{CLUBS}{w.open_club.pk}/members/{w.pending.pk}/decide/", {"approve": True},
                                format="json").status_code == 404
    assert api_as(w.chair).post(url, {}, format="json").status_code == 400
    approved = api_as(w.chair).post(url, {"approve": True}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "active"
    note = Notification.objects.get(user=w.students[2])
    assert note.kind == "club.membership" and w.club.name in note.title
    twice = api_as(w.chair).post(url, {"approve": False}, format="json")
    assert twice.status_code == 400 and "status" in twice.json()
    # Declining another request.
    other = services.club_join(club=w.club, user=w.students[3])
    declined = api_as(w.liaison).post(f"{CLUBS}{w.club.pk}/members/{other.pk}/decide/", {"approve": False},
                                      format="json")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"


def test_announcements_reach_members_and_are_read_by_members(w, api_as) -> None:  # type: ignore[no-untyped-def]
    url = f"{CLUBS}{w.club.pk}/announcements/"
    posted = api_as(w.chair).post(url, {"title": "Sinh hoạt tháng 12", "body": "19h thứ Sáu, hội trường A"},
                                  format="json")
    assert posted.status_code == 201 and posted.json()["title"] == "Sinh hoạt tháng 12"
    # Every active member's bell has it; the pending applicant and outsiders do not.
    assert set(Notification.objects.filter(kind="club.announcement").values_list("user", flat=True)) == {
        w.chair.pk, w.member.pk}
    api_as(w.liaison).post(url, {"title": "Tuyển ban điều hành", "body": "Nộp đơn trước 31/12"}, format="json")
    listed = api_as(w.member).get(url)
    assert listed.status_code == 200
    assert [a["title"] for a in listed.json()["results"]] == ["Tuyển ban điều hành", "Sinh hoạt tháng 12"]
    assert api_as(w.officer).get(url).status_code == 200
    for outsider in (w.outsider, w.students[2], w.recruiter):
        assert api_as(outsider).get(url).status_code == 403
    refused = api_as(w.member).post(url, {"title": "Của tôi", "body": "…"}, format="json")
    assert refused.status_code == 403 and "ban điều hành" in refused.json()["detail"]
    blank = api_as(w.chair).post(url, {"title": " ", "body": "x"}, format="json")
    assert blank.status_code == 400 and "title" in blank.json()
    assert api_as(w.chair).post(f"{CLUBS}{MISSING}/announcements/", {"title": "a", "body": "b"},
                                format="json").status_code == 404


# --- Events: creation, list, detail ---------------------------------------------------------------------------


def test_staff_and_club_managers_create_events(w, api_as) -> None:  # type: ignore[no-untyped-def]
    start = w.now + dt.timedelta(days=10)
    body = {"title": "Toạ đàm khởi nghiệp", "kind": "seminar", "starts_at": _iso(start),
            "ends_at": _iso(start + dt.timedelta(hours=3)), "capacity": 50}
    created = api_as(w.officer).post(EVENTS, body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["title"], data["kind"], data["capacity"], data["eligibility"]) == (
        "Toạ đàm khởi nghiệp", "seminar", 50, "anyone")
    assert data["seated"] == 0 and data["can_manage"] is True and data["my_registration"] is None
    # The chair (a student) creates an event of their club, for members only, with the optional fields.
    club_body = {**body, "club": w.club.pk, "eligibility": "club", "place": "Hội trường A",
                 "online_link": "https://meet.example.vn/abc", "description": "Chia sẻ kinh nghiệm",
                 "registration_opens_at": _iso(w.now), "registration_closes_at": _iso(start), "offer_hours": 12}
    club_event = api_as(w.chair).post(EVENTS, club_body, format="json")
    assert club_event.status_code == 201, club_event.content
    assert club_event.json()["club_name"] == w.club.name and club_event.json()["organization"] == w.org.uni.pk
    assert club_event.json()["offer_hours"] == 12 and club_event.json()["place"] == "Hội trường A"
    # Refusals: a plain member for the club; a student without a club; rules of the event itself.
    assert api_as(w.member).post(EVENTS, club_body, format="json").status_code == 403
    assert api_as(w.member).post(EVENTS, body, format="json").status_code == 403
    assert api_as(w.recruiter).post(EVENTS, body, format="json").status_code == 403
    backwards = api_as(w.officer).post(EVENTS, {**body, "ends_at": _iso(start - dt.timedelta(hours=1))},
                                       format="json")
    assert backwards.status_code == 400 and "ends_at" in backwards.json()
    assert api_as(w.officer).post(EVENTS, {**body, "eligibility": "club"}, format="json").json().keys() == {
        "eligibility"}
    assert "eligible_pool" in api_as(w.officer).post(EVENTS, {**body, "eligibility": "pool"},
                                                     format="json").json()
    assert "eligible_year" in api_as(w.officer).post(EVENTS, {**body, "eligibility": "school_year"},
                                                     format="json").json()
    zero = api_as(w.officer).post(EVENTS, {**body, "capacity": 0, "kind": "party"}, format="json")
    assert zero.status_code == 400 and {"capacity", "kind"} <= zero.json().keys()
    # A unit outside the caller's scope reads like one that does not exist.
    outside = api_as(w.ward_officer).post(EVENTS, {**body, "organization": w.org.ward_b.pk}, format="json")
    missing = api_as(w.ward_officer).post(EVENTS, {**body, "organization": MISSING}, format="json")
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()
    assert api_as(w.officer).post(EVENTS, {**body, "club": MISSING}, format="json").status_code == 400


def test_event_list_filters(w, api_as) -> None:  # type: ignore[no-untyped-def]
    soon = _event(w, title="Sớm", kind=Event.Kind.TRAINING, starts_at=w.now + dt.timedelta(days=2))
    later = _event(w, title="Muộn", club=w.club, starts_at=w.now + dt.timedelta(days=20))
    client = api_as(w.member)

    def titles(**params: Any) -> list[str]:
        response = client.get(EVENTS, params)
        assert response.status_code == 200, response.content
        return [e["title"] for e in response.json()["results"]]

    assert titles() == ["Sớm", "Muộn"]
    assert titles(club=w.club.pk) == ["Muộn"]
    assert titles(kind="training") == ["Sớm"]
    assert titles(**{"from": (w.now + dt.timedelta(days=10)).date().isoformat()}) == ["Muộn"]
    assert titles(to=_iso(w.now + dt.timedelta(days=10))) == ["Sớm"]
    assert titles(**{"from": _iso(soon.starts_at), "to": _iso(later.starts_at)}) == ["Sớm", "Muộn"]
    # The day given as "to" counts in full (local time).
    assert titles(to=timezone.localtime(later.starts_at).date().isoformat()) == ["Sớm", "Muộn"]
    for bad in ({"club": "abc"}, {"kind": "party"}, {"from": "31/12/2025"}, {"to": "2025-13-45"}):
        response = client.get(EVENTS, bad)
        assert response.status_code == 400 and set(response.json()) == set(bad), bad
    # Pages follow the start time.
    page = client.get(EVENTS, {"page_size": 1}).json()
    assert [e["title"] for e in page["results"]] == ["Sớm"]
    assert [e["title"] for e in client.get(page["next"]).json()["results"]] == ["Muộn"]


def test_the_event_list_does_not_query_per_event(w, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(w.member)
    first = _event(w)
    services.event_register(event=first, user=w.member)
    client.get(EVENTS)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(EVENTS).json()["results"]) == 1
    for i in range(12):
        event = _event(w, title=f"Sự kiện {i}", club=w.club if i % 2 else None,
                       starts_at=w.now + dt.timedelta(days=i + 1))
        for student in w.students[:4]:
            services.event_register(event=event, user=student)
    with CaptureQueriesContext(connection) as many:
        response = client.get(EVENTS)
    rows = response.json()["results"]
    assert len(rows) == 13
    assert all(row["my_registration"]["status"] == "registered" for row in rows)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_event_detail_has_counts_and_the_callers_registration(w, api_as) -> None:  # type: ignore[no-untyped-def]
    event = _event(w, capacity=2)
    for student in w.students[:4]:
        services.event_register(event=event, user=student)
    services.check_in_ticket(event=event, code=Registration.objects.get(event=event, user=w.students[0]).code,
                             actor=w.officer)
    detail = api_as(w.students[3]).get(f"{EVENTS}{event.pk}/").json()
    assert (detail["seated"], detail["waitlisted"], detail["attended"], detail["capacity"]) == (2, 2, 1, 2)
    assert detail["registration_open"] is True and detail["can_manage"] is False
    mine = detail["my_registration"]
    assert (mine["status"], mine["waitlist_position"]) == ("waitlisted", 2) and len(mine["code"]) == 10
    assert api_as(w.outsider).get(f"{EVENTS}{event.pk}/").json()["my_registration"] is None
    assert api_as(w.liaison).get(f"{EVENTS}{event.pk}/").json()["can_manage"] is True
    assert api_as(w.outsider).get(f"{EVENTS}{MISSING}/").status_code == 404
    assert api_as(w.officer).patch(f"{EVENTS}{event.pk}/", {"capacity": 5}, format="json").status_code == 405


# --- Registration, waitlist, cancellation, offers ------------------------------------------------------------


def test_register_seats_then_waitlists_in_order_and_is_idempotent(w, api_as) -> None:  # type: ignore[no-untyped-def]
    event = _event(w, capacity=3)
    url = f"{EVENTS}{event.pk}/register/"
    answers = [api_as(s).post(url) for s in w.students]
    assert [a.status_code for a in answers] == [201] * 6
    assert [(a.json()["status"], a.json()["waitlist_position"]) for a in answers] == [
        ("registered", None), ("registered", None), ("registered", None),
        ("waitlisted", 1), ("waitlisted", 2), ("waitlisted", 3)]
    assert set(answers[0].json()) >= {"status", "waitlist_position", "code"}
    again = api_as(w.students[4]).post(url)
    assert again.status_code == 200
    assert (again.json()["id"], again.json()["code"], again.json()["waitlist_position"]) == (
        answers[4].json()["id"], answers[4].json()["code"], 2)
    assert Registration.objects.filter(event=event).count() == 6
    own = api_as(w.students[5]).get(f"{EVENTS}{event.pk}/registration/")
    assert own.status_code == 200 and own.json()["code"] == answers[5].json()["code"]
    assert api_as(w.officer).get(f"{EVENTS}{event.pk}/registration/").status_code == 404
    assert api_as(w.officer).post(f"{EVENTS}{MISSING}/register/").status_code == 404


def test_cancelling_promotes_the_first_in_line(w, api_as) -> None:  # type: ignore[no-untyped-def]
    event = _event(w, capacity=2)
    for student in w.students[:5]:
        api_as(student).post(f"{EVENTS}{event.pk}/register/")
    cancelled = api_as(w.students[1]).post(f"{EVENTS}{event.pk}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"

    def mine(student: Any) -> tuple[str, int | None]:
        data = api_as(student).get(f"{EVENTS}{event.pk}/registration/").json()
        return data["status"], data["waitlist_position"]

    assert mine(w.students[2]) == ("registered", None)
    assert [mine(s) for s in w.students[3:5]] == [("waitlisted", 1), ("waitlisted", 2)]
    assert mine(w.students[1]) == ("cancelled", None)
    assert Notification.objects.filter(user=w.students[2], kind="event.promoted").exists()
    # A waitlisted person leaving moves those behind them up.
    api_as(w.students[3]).post(f"{EVENTS}{event.pk}/cancel/")
    assert mine(w.students[4]) == ("waitlisted", 1)
    # Nothing live to cancel: 404; registering again after cancelling is a new registration.
    assert api_as(w.students[1]).post(f"{EVENTS}{event.pk}/cancel/").status_code == 404
    assert api_as(w.outsider).post(f"{EVENTS}{event.pk}/cancel/").status_code == 404
    back = api_as(w.students[1]).post(f"{EVENTS}{event.pk}/register/")
    assert back.status_code == 201 and (back.json()["status"], back.json()["waitlist_position"]) == ("waitlisted", 2)
    assert api_as(w.students[1]).get(f"{EVENTS}{event.pk}/cancel/").status_code == 405


def test_register_refusals_eligibility_window_and_cancelled_event(w, api_as) -> None:  # type: ignore[no-untyped-def]
    members_only = _event(w, club=w.club, eligibility=Event.Eligibility.CLUB)
    refused = api_as(w.outsider).post(f"{EVENTS}{members_only.pk}/register/")
    assert refused.status_code == 403 and refused.json()["detail"] == "Sự kiện dành cho thành viên câu lạc bộ."
    assert api_as(w.member).post(f"{EVENTS}{members_only.pk}/register/").status_code == 201
    closed = _event(w, registration_closes_at=w.now - dt.timedelta(hours=1))
    answer = api_as(w.member).post(f"{EVENTS}{closed.pk}/register/")
    assert answer.status_code == 400 and "event" in answer.json()
    not_yet = _event(w, registration_opens_at=w.now + dt.timedelta(days=1))
    assert api_as(w.member).post(f"{EVENTS}{not_yet.pk}/register/").status_code == 400
    cancelled = _event(w)
    services.event_cancel(event=cancelled, reason="Thời tiết xấu", actor=w.officer)
    assert api_as(w.member).post(f"{EVENTS}{cancelled.pk}/register/").status_code == 400


def test_pool_events_are_for_candidates_in_the_pool(w, api_as) -> None:  # type: ignore[no-untyped-def]
    pool = talent_services.pool_create(actor=None, name="Nguồn tài năng trẻ", kind="young_talent", owner=w.org.uni)
    outside_pool = talent_services.pool_create(actor=None, name="Nguồn phường", kind="young_talent",
                                               owner=w.org.ward_b)
    in_pool = make_candidate(w.org.faculty, "Đỗ Thị Hoa", gender="female")
    talent_services.pool_add(pool=pool, candidate=in_pool, actor=None)
    chosen = user_create(actor=None, username="c_hoa", password="Mat-khau-hoa-2026", role=Role.STUDENT,
                         candidate=in_pool)
    start = w.now + dt.timedelta(days=5)
    body = {"title": "Lớp bồi dưỡng nguồn", "kind": "training", "starts_at": _iso(start),
            "ends_at": _iso(start + dt.timedelta(hours=4)), "capacity": 10, "eligibility": "pool"}
    # A pool outside the caller's scope reads like one that does not exist.
    hidden = api_as(w.liaison).post(EVENTS, {**body, "eligible_pool": outside_pool.pk}, format="json")
    assert hidden.status_code == 400 and "eligible_pool" in hidden.json()
    created = api_as(w.liaison).post(EVENTS, {**body, "eligible_pool": pool.pk}, format="json")
    assert created.status_code == 201 and created.json()["eligible_pool"] == pool.pk
    url = f"{EVENTS}{created.json()['id']}/register/"
    refused = api_as(w.member).post(url)
    assert refused.status_code == 403 and "nguồn" in refused.json()["detail"]
    assert api_as(chosen).post(url).status_code == 201


def test_organizers_cancel_the_event_itself(w, api_as) -> None:  # type: ignore[no-untyped-def]
    event = _event(w)
    for student in w.students[:2]:
        services.event_register(event=event, user=student)
    url = f"{EVENTS}{event.pk}/cancel-event/"
    refused = api_as(w.students[0]).post(url, {"reason": "Tôi không thích"}, format="json")
    assert refused.status_code == 403
    assert api_as(w.ward_officer).post(url, {"reason": "x"}, format="json").status_code == 403
    done = api_as(w.liaison).post(url, {"reason": "Diễn giả bận đột xuất"}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["cancel_reason"]) == ("cancelled", "Diễn giả bận đột xuất")
    assert done.json()["registration_open"] is False
    notes = Notification.objects.filter(kind="event.cancelled")
    assert set(notes.values_list("user", flat=True)) == {w.students[0].pk, w.students[1].pk}
    assert notes.first().body == "Diễn giả bận đột xuất"
    again = api_as(w.liaison).post(url, {"reason": ""}, format="json")
    assert again.status_code == 400 and "status" in again.json()
    assert api_as(w.officer).post(f"{EVENTS}{MISSING}/cancel-event/", {}, format="json").status_code == 404


def test_offers_are_accepted_in_time_or_move_on(w, api_as) -> None:  # type: ignore[no-untyped-def]
    event = _event(w, capacity=1, offer_hours=2)
    first, second, third = w.students[:3]
    for student in (first, second, third):
        services.event_register(event=event, user=student)
    url = f"{EVENTS}{event.pk}/accept-offer/"
    # Holding a seat already (not an offer): 400; no registration at all: 404.
    assert api_as(first).post(url).status_code == 400
    assert api_as(w.outsider).post(url).status_code == 404
    api_as(first).post(f"{EVENTS}{event.pk}/cancel/")
    offered = api_as(second).get(f"{EVENTS}{event.pk}/registration/").json()
    assert offered["status"] == "offered" and offered["offer_expires_at"]
    # Someone still waiting has no offer to accept.
    assert api_as(third).post(url).status_code == 400
    accepted = api_as(second).post(url)
    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted.json()["offer_expires_at"]) == ("registered", None)


def test_an_expired_offer_cannot_be_accepted(w, api_as) -> None:  # type: ignore[no-untyped-def]
    event = _event(w, capacity=1, offer_hours=1)
    first, second = w.students[:2]
    for student in (first, second):
        services.event_register(event=event, user=student)
    services.registration_cancel(registration=Registration.objects.get(event=event, user=first), actor=first)
    Registration.objects.filter(event=event, user=second).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1))
    late = api_as(second).post(f"{EVENTS}{event.pk}/accept-offer/")
    assert late.status_code == 400 and "hết hạn" in late.json()["status"][0]


# --- Check-in -------------------------------------------------------------------------------------------------


@pytest.fixture
def door(w):  # type: ignore[no-untyped-def]
    """An event with two seated attendees and one on the waitlist, and another event with a ticket."""
    event = _event(w, capacity=2)
    seated = [services.event_register(event=event, user=s) for s in w.students[:2]]
    waiting = services.event_register(event=event, user=w.students[2])
    other = _event(w, title="Sự kiện khác")
    foreign = services.event_register(event=other, user=w.students[3])
    return SimpleNamespace(event=event, seated=seated, waiting=waiting, other=other, foreign=foreign,
                           url=f"{EVENTS}{event.pk}/check-in/")


def test_organizer_checks_tickets_in(w, door, api_as) -> None:  # type: ignore[no-untyped-def]
    organizer = api_as(w.liaison)
    ticket = door.seated[0].code
    ok = organizer.post(door.url, {"code": ticket.lower() + " "}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["id"] == door.seated[0].pk and ok.json()["name"] == "Nguyễn Văn An"
    assert (ok.json()["status"], ok.json()["method"]) == ("registered", "typed") and ok.json()["checked_in_at"]
    reused = organizer.post(door.url, {"code": ticket}, format="json")
    assert reused.status_code == 400 and "đã check-in" in reused.json()["code"][0]
    foreign = organizer.post(door.url, {"code": door.foreign.code}, format="json")
    assert foreign.status_code == 400 and "không thuộc sự kiện" in foreign.json()["code"][0]
    waiting = organizer.post(door.url, {"code": door.waiting.code}, format="json")
    assert waiting.status_code == 400 and "không có chỗ" in waiting.json()["code"][0]
    assert organizer.post(door.url, {}, format="json").status_code == 400
    # Someone who is not an organizer cannot use a ticket code (not even their own).
    attendee = api_as(w.students[1]).post(door.url, {"code": door.seated[1].code}, format="json")
    assert attendee.status_code == 400 and "màn hình" in attendee.json()["code"][0]
    assert api_as(w.recruiter).post(door.url, {"code": ticket}, format="json").status_code == 400
    assert Registration.objects.filter(event=door.event, checked_in_at__isnull=False).count() == 1
    assert organizer.post(f"{EVENTS}{MISSING}/check-in/", {"code": ticket}, format="json").status_code == 404
    assert organizer.get(door.url).status_code == 405


def test_self_check_in_with_the_rotating_code(w, door, api_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clock = SimpleNamespace(now=1_800_000_010.0)  # 10 s into a 30-second window
    monkeypatch.setattr(services, "time", SimpleNamespace(time=lambda: clock.now))
    code = services.rotating_code(door.event, at=clock.now)
    # A code of another event's screen is refused.
    foreign = api_as(w.students[0]).post(door.url, {"code": services.rotating_code(door.other, at=clock.now)},
                                         format="json")
    assert foreign.status_code == 400
    ok = api_as(w.students[0]).post(door.url, {"code": code}, format="json")
    assert ok.status_code == 200 and (ok.json()["method"], ok.json()["name"]) == ("self", "Nguyễn Văn An")
    assert api_as(w.students[0]).post(door.url, {"code": code}, format="json").status_code == 400  # reused
    # Within the first 5 seconds of the next window the previous code still works...
    clock.now = 1_800_000_032.0
    assert api_as(w.students[1]).post(door.url, {"code": code}, format="json").status_code == 200
    # ...after that, and a window later, it is rotated out.
    clock.now = 1_800_000_036.0
    late = api_as(w.students[2]).post(door.url, {"code": code}, format="json")
    assert late.status_code == 400 and "đã đổi" in late.json()["code"][0]
    # A valid code does not help someone on the waitlist or someone not registered.
    fresh = services.rotating_code(door.event, at=clock.now)
    assert "không có chỗ" in api_as(w.students[2]).post(door.url, {"code": fresh}, format="json").json()["code"][0]
    assert "chưa đăng ký" in api_as(w.outsider).post(door.url, {"code": fresh}, format="json").json()["code"][0]
    assert Registration.objects.filter(event=door.event, check_in_method="self").count() == 2


def test_screen_codes_cannot_be_guessed_but_organizers_are_not_slowed(w, door, api_as) -> None:  # type: ignore[no-untyped-def]
    guesser = api_as(w.students[1])
    answers = [guesser.post(door.url, {"code": f"{n:06d}"}, format="json").status_code for n in range(11)]
    assert answers[:10] == [400] * 10 and answers[10] == 429
    # Another event is counted apart, and the organizer's door is not limited.
    assert guesser.post(f"{EVENTS}{door.other.pk}/check-in/", {"code": "000000"}, format="json").status_code == 400
    organizer = api_as(w.officer)
    assert {organizer.post(door.url, {"code": "NOPE"}, format="json").status_code for _ in range(12)} == {400}
    assert organizer.post(door.url, {"code": door.seated[1].code}, format="json").status_code == 200


# --- Attendance -------------------------------------------------------------------------------------------------


def test_attendance_is_for_organizers_with_no_shows_after_the_event(w, door, api_as) -> None:  # type: ignore[no-untyped-def]
    url = f"{EVENTS}{door.event.pk}/attendance/"
    services.check_in_ticket(event=door.event, code=door.seated[0].code, actor=w.officer)
    before = api_as(w.liaison).get(url)
    assert before.status_code == 200
    data = before.json()
    assert (data["capacity"], data["seated"], data["waitlisted"], data["attended"], data["no_shows"]) == (
        2, 2, 1, 1, 0)
    assert data["ended"] is False
    assert [(r["name"], r["status"], r["waitlist_position"]) for r in data["registrations"]] == [
        ("Nguyễn Văn An", "registered", None), ("Trần Thị Bình", "registered", None),
        ("Lê Văn Cường", "waitlisted", 1)]
    assert data["registrations"][0]["method"] == "typed" and data["registrations"][1]["checked_in_at"] is None
    _end(door.event)
    after = api_as(w.officer).get(url).json()
    assert after["ended"] is True and after["no_shows"] == 1
    assert [r["no_show"] for r in after["registrations"]] == [False, True, False]
    for refused in (w.students[0], w.recruiter, w.ward_officer):
        answer = api_as(refused).get(url)
        assert answer.status_code == 403 and "ban tổ chức" in answer.json()["detail"]
    assert api_as(w.officer).get(f"{EVENTS}{MISSING}/attendance/").status_code == 404
    assert api_as(w.officer).post(url).status_code == 405


def test_the_club_chair_organizes_the_clubs_events(w, api_as) -> None:  # type: ignore[no-untyped-def]
    event = _event(w, club=w.club)
    registration = services.event_register(event=event, user=w.member)
    chair = api_as(w.chair)
    assert chair.get(f"{EVENTS}{event.pk}/attendance/").status_code == 200
    assert chair.post(f"{EVENTS}{event.pk}/check-in/", {"code": registration.code}, format="json").status_code == 200


# --- Notifications ------------------------------------------------------------------------------------------------


def test_the_notification_bell(w, api_as) -> None:  # type: ignore[no-untyped-def]
    notify(users=[w.member.pk], kind="test", title="Thứ nhất")
    notify(users=[w.member.pk], kind="test", title="Thứ hai")
    notify(users=[w.member.pk, w.outsider.pk], kind="test", title="Thứ ba", body="Cho hai người",
                    url="/events/1/")
    client = api_as(w.member)
    rows = client.get(NOTIFICATIONS).json()["results"]
    assert [r["title"] for r in rows] == ["Thứ ba", "Thứ hai", "Thứ nhất"]
    assert rows[0]["read"] is False and rows[0]["url"] == "/events/1/"
    # Even an administrator's bell is their own.
    assert api_as(w.admin).get(NOTIFICATIONS).json()["results"] == []
    others = list(Notification.objects.filter(user=w.outsider).values_list("pk", flat=True))
    marked = client.post(f"{NOTIFICATIONS}read/", {"ids": [rows[1]["id"], *others]}, format="json")
    assert marked.status_code == 200 and marked.json() == {"marked": 1, "unread": 2}
    assert Notification.objects.get(pk=others[0]).read_at is None
    unread = client.get(NOTIFICATIONS, {"unread": "1"}).json()["results"]
    assert [r["title"] for r in unread] == ["Thứ ba", "Thứ nhất"]
    assert client.post(f"{NOTIFICATIONS}read/", {"all": True}, format="json").json() == {"marked": 2, "unread": 0}
    assert client.get(NOTIFICATIONS, {"unread": "true"}).json()["results"] == []
    assert all(r["read"] for r in client.get(NOTIFICATIONS).json()["results"])
    # An administrator marking "all" read marks their own bell only.
    notify(users=[w.admin.pk], kind="test", title="Cho quản trị viên")
    assert api_as(w.admin).post(f"{NOTIFICATIONS}read/", {"all": True}, format="json").json() == {
        "marked": 1, "unread": 0}
    assert Notification.objects.get(pk=others[0]).read_at is None
    assert client.post(f"{NOTIFICATIONS}read/", {}, format="json").status_code == 400
    assert client.post(f"{NOTIFICATIONS}read/", {"ids": ["x"]}, format="json").status_code == 400
    assert client.get(f"{NOTIFICATIONS}read/").status_code == 405
    assert client.post(NOTIFICATIONS, {}, format="json").status_code == 405
