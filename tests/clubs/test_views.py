"""Club and event pages: access by role, membership policies, the directory, announcements, the event
calendar, creating events, registering with a waitlist, tickets and their QR code, and check-in."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from clubs import services
from clubs.models import Announcement, Club, Event, Membership, Registration
from core.models import Notification
from talent.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db
S = Registration.Status


def student(org: Any, username: str, **extra: Any) -> Any:
    return make_user(Role.STUDENT, org, username=username, **extra)


def make_club(actor: Any, owner: Any, slug: str, policy: str = Club.Policy.OPEN, **fields: Any) -> Club:
    return services.club_create(actor=actor, slug=slug, name=fields.pop("name", f"CLB {slug}"), owner=owner,
                                policy=policy, **fields)


def make_event(actor: Any, *, capacity: int = 2, starts_in: timedelta = timedelta(days=7), starts_at: Any = None,
               **fields: Any) -> Event:
    starts = starts_at or timezone.now().replace(microsecond=0) + starts_in
    fields.setdefault("place", "Nhà Văn hoá Thanh niên")
    return services.event_create(actor=actor, title=fields.pop("title", "Đối thoại với lãnh đạo thành phố"),
                                 kind=fields.pop("kind", Event.Kind.DIALOGUE), starts_at=starts,
                                 ends_at=fields.pop("ends_at", starts + timedelta(hours=2)), capacity=capacity, **fields)


def html_of(response: Any) -> str:
    return response.content.decode()


def text_of(response: Any) -> str:
    """The page's text without tags and with whitespace collapsed, for reading sentences."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response)))


@pytest.fixture
def people(org_tree) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {name: student(org_tree.faculty, name, first_name=name.capitalize(), last_name="Nguyễn")
            for name in ("an", "binh", "chi", "dung")}


# --- Access --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,args", [
    ("club-list", []), ("club-create", []), ("event-list", []), ("event-create", []), ("survey-list", []),
    ("survey-create", []),
])
def test_anonymous_visitors_are_sent_to_the_login_page(client, name, args) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_anonymous_visitors_cannot_open_club_or_event_pages(client, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-a")
    event = make_event(officer, organization=org_tree.city)
    for url in (reverse("club-detail", args=[club.slug]), reverse("event-detail", args=[event.pk]),
                reverse("event-check-in", args=[event.pk]), reverse("event-ticket-qr", args=[event.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert client.post(reverse("club-join", args=[club.slug])).status_code == 302
    assert not Membership.objects.exists()


def test_students_see_clubs_and_events_but_not_staff_forms(client, org_tree, people) -> None:  # type: ignore[no-untyped-def]
    client.force_login(people["an"])
    for name in ("club-list", "event-list", "survey-list"):
        assert client.get(reverse(name)).status_code == 200, name
    for name in ("club-create", "event-create", "survey-create"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("me-profile"), name
    html = html_of(client.get(reverse("club-list")))
    assert reverse("club-create") not in html


def test_staff_create_a_club_through_the_form(client, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    assert client.get(reverse("club-create")).status_code == 200
    bad = client.post(reverse("club-create"), {"name": "", "slug": "new", "owner": org_tree.city.pk,
                                               "policy": "open", "directory": "members"})
    assert bad.status_code == 400
    assert "Mã này dành riêng" in html_of(bad) and not Club.objects.exists()
    response = client.post(reverse("club-create"), {
        "name": "CLB Cán bộ trẻ – Tài năng trẻ TP.HCM", "slug": "clb-tnt", "owner": org_tree.city.pk,
        "description": "Giao lưu", "policy": "approval", "directory": "core"})
    assert response.status_code == 302 and response["Location"] == reverse("club-detail", args=["clb-tnt"])
    club = Club.objects.get(slug="clb-tnt")
    assert (club.policy, club.directory, club.owner, club.created_by) == ("approval", "core", org_tree.city, officer)
    # The same slug twice: the service's error lands next to the field.
    again = client.post(reverse("club-create"), {"name": "X", "slug": "clb-tnt", "owner": org_tree.city.pk,
                                                 "policy": "open", "directory": "members"})
    assert again.status_code == 400 and "Mã câu lạc bộ đã được dùng." in html_of(again)


def test_a_ward_officer_cannot_make_a_club_for_another_ward(client, org_tree, ward_officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(ward_officer)
    response = client.post(reverse("club-create"), {"name": "CLB B", "slug": "clb-b", "owner": org_tree.ward_b.pk,
                                                     "policy": "open", "directory": "members"})
    assert response.status_code == 400 and not Club.objects.exists()


# --- Membership policies ---------------------------------------------------------------------------

def test_an_open_club_admits_at_once_and_lets_members_leave(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-open", Club.Policy.OPEN)
    client.force_login(people["an"])
    page = html_of(client.get(reverse("club-detail", args=[club.slug])))
    assert reverse("club-join", args=[club.slug]) in page and "Tham gia" in page
    response = client.post(reverse("club-join", args=[club.slug]), follow=True)
    assert "Bạn đã là thành viên" in text_of(response)
    assert Membership.objects.get(club=club, user=people["an"]).status == Membership.Status.ACTIVE
    client.post(reverse("club-leave", args=[club.slug]))
    assert Membership.objects.get(club=club, user=people["an"]).status == Membership.Status.LEFT


def test_an_approval_club_queues_requests_for_its_managers(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-approval", Club.Policy.APPROVAL)
    client.force_login(people["an"])
    response = client.post(reverse("club-join", args=[club.slug]), follow=True)
    assert "Đã gửi yêu cầu tham gia" in text_of(response)
    assert "Đang chờ duyệt" in text_of(response)
    client.force_login(people["binh"])
    client.post(reverse("club-join", args=[club.slug]))
    # A student who is not a manager cannot decide, even knowing the id.
    pending = Membership.objects.get(club=club, user=people["an"])
    forbidden = client.post(reverse("club-membership-decide", args=[club.slug, pending.pk]), {"approve": "1"})
    assert forbidden.status_code == 403
    assert Membership.objects.get(pk=pending.pk).status == Membership.Status.PENDING

    client.force_login(officer)
    page = html_of(client.get(reverse("club-detail", args=[club.slug])))
    assert 'data-pending="an"' in page and 'data-pending="binh"' in page
    client.post(reverse("club-membership-decide", args=[club.slug, pending.pk]), {"approve": "1"})
    declined = Membership.objects.get(club=club, user=people["binh"])
    client.post(reverse("club-membership-decide", args=[club.slug, declined.pk]), {"approve": "0"})
    assert Membership.objects.get(pk=pending.pk).status == Membership.Status.ACTIVE
    assert Membership.objects.get(pk=declined.pk).status == Membership.Status.DECLINED
    assert Notification.objects.filter(user=people["an"], kind="club.membership").exists()
    page = html_of(client.get(reverse("club-detail", args=[club.slug])))
    assert "data-pending=" not in page


def test_an_invite_only_club_refuses_joins_and_admits_the_invited(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-invite", Club.Policy.INVITE)
    client.force_login(people["an"])
    page = text_of(client.get(reverse("club-detail", args=[club.slug])))
    assert "chỉ nhận thành viên theo lời mời" in page
    response = client.post(reverse("club-join", args=[club.slug]), follow=True)
    assert "chỉ nhận thành viên theo lời mời" in text_of(response)
    assert not Membership.objects.filter(club=club).exists()

    client.force_login(officer)
    unknown = client.post(reverse("club-invite", args=[club.slug]), {"username": "nobody"}, follow=True)
    assert "Không có tài khoản nào" in text_of(unknown)
    client.post(reverse("club-invite", args=[club.slug]), {"username": "an"})
    assert Membership.objects.get(club=club, user=people["an"]).status == Membership.Status.INVITED
    assert Notification.objects.filter(user=people["an"], kind="club.invite").exists()

    client.force_login(people["an"])
    page = text_of(client.get(reverse("club-detail", args=[club.slug])))
    assert "Bạn được mời tham gia" in page and "Nhận lời mời" in page
    client.post(reverse("club-join", args=[club.slug]))
    assert Membership.objects.get(club=club, user=people["an"]).status == Membership.Status.ACTIVE
    # Students cannot invite.
    assert client.post(reverse("club-invite", args=[club.slug]), {"username": "binh"}).status_code == 403


def test_managers_change_roles_and_a_new_core_member_manages(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-roles", Club.Policy.OPEN)
    for name in ("an", "binh"):
        services.club_join(club=club, user=people[name])
    membership = Membership.objects.get(club=club, user=people["an"])
    client.force_login(people["an"])
    assert client.post(reverse("club-membership-role", args=[club.slug, membership.pk]),
                       {"role": "chair"}).status_code == 403
    client.force_login(officer)
    client.post(reverse("club-membership-role", args=[club.slug, membership.pk]), {"role": "core"})
    assert Membership.objects.get(pk=membership.pk).role == Membership.Role.CORE
    # The core member now sees the pending requests and the forms of managers.
    client.force_login(people["an"])
    page = html_of(client.get(reverse("club-detail", args=[club.slug])))
    assert 'id="requests"' in page and reverse("club-invite", args=[club.slug]) in page


# --- The member directory and announcements ----------------------------------------------------------

def test_the_directory_follows_the_clubs_setting(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    open_dir = make_club(officer, org_tree.city, "clb-dir-members", Club.Policy.OPEN)
    core_dir = make_club(officer, org_tree.city, "clb-dir-core", Club.Policy.OPEN, directory=Club.Directory.CORE)
    for club in (open_dir, core_dir):
        for name in ("an", "binh"):
            services.club_join(club=club, user=people[name])

    client.force_login(people["an"])
    page = html_of(client.get(reverse("club-detail", args=[open_dir.slug])))
    assert 'id="member-table"' in page and 'data-member="binh"' in page
    page = html_of(client.get(reverse("club-detail", args=[core_dir.slug])))
    assert 'id="member-table"' not in page and 'data-member="binh"' not in page
    assert 'id="directory-hidden"' in page

    client.force_login(people["chi"])  # not a member: no directory anywhere
    for club in (open_dir, core_dir):
        page = html_of(client.get(reverse("club-detail", args=[club.slug])))
        assert 'data-member="' not in page

    client.force_login(officer)  # managers see it whatever the setting
    page = html_of(client.get(reverse("club-detail", args=[core_dir.slug])))
    assert 'data-member="an"' in page and 'data-member="binh"' in page


def test_announcements_reach_members_and_stay_readable(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-news", Club.Policy.OPEN)
    services.club_join(club=club, user=people["an"])
    client.force_login(people["an"])
    assert client.post(reverse("club-announce", args=[club.slug]), {"title": "x", "body": "y"}).status_code == 403

    client.force_login(officer)
    response = client.post(reverse("club-announce", args=[club.slug]),
                           {"title": "Họp mặt tháng 9", "body": "Tối thứ Bảy tại Nhà Văn hoá."})
    announcement = Announcement.objects.get(club=club)
    assert response["Location"].endswith(f"#announcement-{announcement.pk}")
    note = Notification.objects.get(user=people["an"], kind="club.announcement")
    assert note.url == f"/clubs/{club.slug}/#announcement-{announcement.pk}"

    client.force_login(people["an"])
    page = html_of(client.get(reverse("club-detail", args=[club.slug])))
    assert f'id="announcement-{announcement.pk}"' in page and "Tối thứ Bảy tại Nhà Văn hoá." in page
    client.force_login(people["binh"])  # not a member
    assert "Tối thứ Bảy" not in html_of(client.get(reverse("club-detail", args=[club.slug])))


def test_the_club_list_puts_my_clubs_first_in_few_queries(client, org_tree, officer, people,
                                                         django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    clubs = [make_club(officer, org_tree.city, f"clb-{i}", [Club.Policy.OPEN, Club.Policy.APPROVAL,
                                                            Club.Policy.INVITE][i % 3], name=f"CLB {i:02d}")
             for i in range(9)]
    services.club_join(club=clubs[6], user=people["an"])  # open → active
    services.club_join(club=clubs[4], user=people["an"])  # approval → pending
    for club in clubs:
        for name in ("binh", "chi"):
            if club.policy == Club.Policy.OPEN:
                services.club_join(club=club, user=people[name])
    client.force_login(people["an"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("club-list"))
    order = re.findall(r'data-club="([^"]+)"', html_of(response))
    assert order[:2] == ["clb-6", "clb-4"] and len(order) == 9
    html = html_of(response)
    card = re.search(r'data-club="clb-0".*?</li>', html, re.S).group(0)
    assert "Tham gia" in card and "2 thành viên" in card
    assert "Xin tham gia" in re.search(r'data-club="clb-1".*?</li>', html, re.S).group(0)
    assert "Chỉ nhận theo lời mời" in re.search(r'data-club="clb-2".*?</li>', html, re.S).group(0)


# --- Events: calendar and creation --------------------------------------------------------------------

def test_the_calendar_groups_upcoming_events_by_day_with_filters(client, org_tree, officer, people,
                                                                django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-cal")
    now = timezone.localtime()
    day = (now + timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)
    first = make_event(officer, organization=org_tree.city, title="Toạ đàm khởi nghiệp", kind=Event.Kind.SEMINAR,
                       starts_at=day)
    second = make_event(officer, club=club, title="Giao lưu CLB", kind=Event.Kind.EXCHANGE,
                        starts_at=day + timedelta(hours=5))
    make_event(officer, organization=org_tree.city, title="Sự kiện đã qua", starts_in=-timedelta(days=3))
    for i in range(5):
        extra = make_event(officer, organization=org_tree.city, title=f"Tập huấn {i}", kind=Event.Kind.TRAINING,
                           starts_in=timedelta(days=10 + i), capacity=1)
        services.event_register(event=extra, user=people["binh"])
    services.event_register(event=first, user=people["an"])
    client.force_login(people["an"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("event-list"))
    html = html_of(response)
    assert "Sự kiện đã qua" not in html
    block = re.search(rf'data-day="{day:%d/%m/%Y}".*?</section>', html, re.S).group(0)
    assert block.index("Toạ đàm khởi nghiệp") < block.index("Giao lưu CLB")
    assert f"{day:%d/%m/%Y}" in block and "09:00" in block
    assert "Bạn đã có chỗ" in re.search(rf'data-event="{first.pk}".*?</li>', html, re.S).group(0)
    assert "Hết chỗ" in html  # the training events are full
    # Filters: kind and club.
    html = html_of(client.get(reverse("event-list"), {"kind": "exchange"}))
    assert f'data-event="{second.pk}"' in html and f'data-event="{first.pk}"' not in html
    html = html_of(client.get(reverse("event-list"), {"club": club.pk}))
    assert re.findall(r'data-event="(\d+)"', html) == [str(second.pk)]


def test_the_calendar_navigates_by_month(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    past = make_event(officer, organization=org_tree.city, title="Đối thoại tháng trước", starts_in=-timedelta(days=40))
    client.force_login(people["an"])
    month = timezone.localtime(past.starts_at).strftime("%Y-%m")
    response = client.get(reverse("event-list"), {"month": month})
    html = html_of(response)
    assert f'data-event="{past.pk}"' in html
    assert f"Tháng {timezone.localtime(past.starts_at):%m/%Y}" in text_of(response)
    assert 'rel="prev"' in html and 'rel="next"' in html
    bad = client.get(reverse("event-list"), {"month": "2025-13"})
    assert bad.status_code == 200 and "Tháng không hợp lệ" in html_of(bad)


def test_the_month_is_picked_by_its_vietnamese_name_and_year(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    past = make_event(officer, organization=org_tree.city, title="Đối thoại tháng trước", starts_in=-timedelta(days=40))
    when = timezone.localtime(past.starts_at)
    client.force_login(people["an"])
    page = html_of(client.get(reverse("event-list")))
    assert 'name="month_m"' in page and 'name="month_y"' in page and "yyyy-mm" not in page
    assert '<option value="12">Tháng Mười Hai</option>' in page and '<option value="1">Tháng Một</option>' in page
    picked = client.get(reverse("event-list"), {"month_m": str(when.month), "month_y": str(when.year)})
    html = html_of(picked)
    assert f'data-event="{past.pk}"' in html
    assert f'<option value="{when.month}" selected>' in html and f'<option value="{when.year}" selected>' in html
    # A link's ?month=YYYY-MM still works; half a month is refused and said.
    assert f'data-event="{past.pk}"' in html_of(client.get(reverse("event-list"), {"month": f"{when:%Y-%m}"}))
    half = html_of(client.get(reverse("event-list"), {"month_m": "3", "month_y": ""}))
    assert "Hãy chọn cả tháng và năm." in half


def _event_post(org: Any, **overrides: Any) -> dict[str, Any]:
    start = timezone.localtime() + timedelta(days=5)
    data = {"title": "Lớp bồi dưỡng kỹ năng lãnh đạo", "kind": "training", "description": "",
            "club": "", "organization": org.pk, "starts_at": f"{start:%d/%m/%Y} 08:00",
            "ends_at": f"{start:%d/%m/%Y} 11:30", "place": "Hội trường Thành Đoàn", "online_link": "",
            "capacity": "30", "registration_opens_at": "", "registration_closes_at": "", "eligibility": "anyone",
            "eligible_pool": "", "eligible_year": "", "offer_hours": ""}
    data.update(overrides)
    return data


def test_event_creation_shows_validation_errors(client, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    start = timezone.localtime() + timedelta(days=5)
    cases = [
        ({"ends_at": f"{start:%d/%m/%Y} 07:00"}, "Giờ kết thúc phải sau giờ bắt đầu."),
        ({"starts_at": "31/02/2026 08:00"}, "Thời điểm không hợp lệ"),
        ({"capacity": "0"}, 'id="id_capacity_error"'),
        ({"place": ""}, "Hãy nhập địa điểm hoặc đường dẫn trực tuyến."),
        ({"eligibility": "pool"}, "Hãy chọn nguồn."),
        ({"eligibility": "school_year"}, "Hãy nhập khoá."),
        ({"eligibility": "club"}, "Sự kiện dành cho thành viên phải thuộc một câu lạc bộ."),
        ({"registration_opens_at": f"{start:%d/%m/%Y} 07:00", "registration_closes_at": f"{start:%d/%m/%Y} 06:00"},
         "Hạn đóng đăng ký phải sau thời điểm mở."),
        ({"organization": ""}, "Hãy chọn đơn vị tổ chức, hoặc một câu lạc bộ."),
    ]
    for overrides, message in cases:
        response = client.post(reverse("event-create"), _event_post(org_tree.city, **overrides))
        assert response.status_code == 400, overrides
        assert message in html_of(response), overrides
    assert not Event.objects.exists()
    response = client.post(reverse("event-create"), _event_post(org_tree.city, offer_hours="12",
                                                                 eligibility="school_year", eligible_year="2024"))
    event = Event.objects.get()
    assert response["Location"] == reverse("event-detail", args=[event.pk])
    assert (event.capacity, event.offer_hours, event.eligible_year, event.organization) == (30, 12, 2024, org_tree.city)
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "08:00"


def test_a_club_chair_creates_events_for_their_club_only(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-chair")
    other = make_club(officer, org_tree.city, "clb-other")
    services.club_join(club=club, user=people["an"])
    services.membership_set_role(membership=Membership.objects.get(club=club, user=people["an"]),
                                 role=Membership.Role.CHAIR, actor=officer)
    client.force_login(people["an"])
    page = html_of(client.get(reverse("event-create")))
    assert f'value="{club.pk}"' in page and f'value="{other.pk}"' not in page
    refused = client.post(reverse("event-create"), _event_post(org_tree.city, club=other.pk, organization=""))
    assert refused.status_code == 400 and not Event.objects.exists()
    response = client.post(reverse("event-create"), _event_post(org_tree.city, club=club.pk, organization="",
                                                                 eligibility="club"))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.club == club and event.organization == org_tree.city and event.eligibility == "club"


# --- Registration, the waitlist, offers ------------------------------------------------------------

def test_register_then_waitlist_with_positions_visible_to_those_waiting(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    event = make_event(officer, organization=org_tree.city, capacity=2)
    url = reverse("event-detail", args=[event.pk])
    for name in ("an", "binh", "chi", "dung"):
        client.force_login(people[name])
        client.post(reverse("event-register", args=[event.pk]))
    assert dict(Registration.objects.filter(event=event).values_list("user__username", "status")) == {
        "an": S.REGISTERED, "binh": S.REGISTERED, "chi": S.WAITLISTED, "dung": S.WAITLISTED}

    client.force_login(people["dung"])
    response = client.get(url)
    html = html_of(response)
    assert "Bạn đứng thứ 2 trong danh sách chờ" in text_of(response)
    waitlist = re.search(r'<ol class="waitlist".*?</ol>', html, re.S).group(0)
    items = re.findall(r"<li[^>]*>(.*?)</li>", waitlist, re.S)
    assert len(items) == 2 and "(bạn)" in items[1] and "(bạn)" not in items[0]
    assert "Chi" not in waitlist and "chi" not in waitlist  # positions only, nobody named
    assert "Còn 0 / 2 chỗ" in text_of(response)

    client.force_login(people["an"])  # seated people do not see the waiting list
    assert 'class="waitlist"' not in html_of(client.get(url))


def test_a_cancellation_promotes_the_first_in_line(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    event = make_event(officer, organization=org_tree.city, capacity=1)
    for name in ("an", "binh", "chi"):
        client.force_login(people[name])
        client.post(reverse("event-register", args=[event.pk]))
    client.force_login(people["an"])
    response = client.post(reverse("event-unregister", args=[event.pk]), follow=True)
    assert "Đã huỷ đăng ký của bạn." in text_of(response)
    regs = {r.user.username: r for r in Registration.objects.filter(event=event).select_related("user")}
    assert regs["an"].status == S.CANCELLED
    assert regs["binh"].status == S.REGISTERED and regs["binh"].waitlist_position is None
    assert (regs["chi"].status, regs["chi"].waitlist_position) == (S.WAITLISTED, 1)

    client.force_login(people["binh"])
    page = html_of(client.get(reverse("event-detail", args=[event.pk])))
    assert regs["binh"].code in page and 'class="ticket-qr"' in page
    client.force_login(people["chi"])
    assert "Bạn đứng thứ 1 trong danh sách chờ" in text_of(client.get(reverse("event-detail", args=[event.pk])))


def test_an_offer_is_accepted_on_the_event_page(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    event = make_event(officer, organization=org_tree.city, capacity=1, offer_hours=6)
    for name in ("an", "binh"):
        services.event_register(event=event, user=people[name])
    services.registration_cancel(registration=Registration.objects.get(user=people["an"]), actor=people["an"])
    client.force_login(people["binh"])
    page = text_of(client.get(reverse("event-detail", args=[event.pk])))
    assert "Có chỗ cho bạn!" in page and "Xác nhận nhận chỗ" in page
    client.post(reverse("event-offer-accept", args=[event.pk]))
    assert Registration.objects.get(user=people["binh"], event=event).status == S.REGISTERED
    # Nothing to accept any more: a clear message, no change.
    again = client.post(reverse("event-offer-accept", args=[event.pk]), follow=True)
    assert "Không có lời mời nhận chỗ nào" in text_of(again)


def test_ineligible_people_see_why_and_are_refused(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-members-only")
    event = make_event(officer, club=club, eligibility=Event.Eligibility.CLUB)
    client.force_login(people["an"])
    page = html_of(client.get(reverse("event-detail", args=[event.pk])))
    assert "Sự kiện dành cho thành viên câu lạc bộ." in page
    assert reverse("event-register", args=[event.pk]) not in page
    response = client.post(reverse("event-register", args=[event.pk]), follow=True)
    assert "Sự kiện dành cho thành viên câu lạc bộ." in text_of(response)
    assert not Registration.objects.exists()


def test_organizers_cancel_an_event_and_others_cannot(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    event = make_event(officer, organization=org_tree.city)
    services.event_register(event=event, user=people["an"])
    client.force_login(people["an"])
    assert client.post(reverse("event-cancel", args=[event.pk]), {"reason": "x"}).status_code == 403
    client.force_login(officer)
    page = html_of(client.get(reverse("event-detail", args=[event.pk])))
    assert reverse("event-check-in", args=[event.pk]) in page
    assert f'href="/events/{event.pk}/live/"' in page and f'href="/events/{event.pk}/qa/"' in page
    client.post(reverse("event-cancel", args=[event.pk]), {"reason": "Mưa bão"})
    event.refresh_from_db()
    assert event.is_cancelled and event.cancel_reason == "Mưa bão"
    assert Notification.objects.filter(user=people["an"], kind="event.cancelled").exists()


# --- Tickets --------------------------------------------------------------------------------------

def test_the_ticket_qr_code_is_served_as_svg_to_its_holder_only(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    event = make_event(officer, organization=org_tree.city, capacity=1)
    mine = services.event_register(event=event, user=people["an"])
    services.event_register(event=event, user=people["binh"])  # waitlisted: no ticket yet
    client.force_login(people["an"])
    response = client.get(reverse("event-ticket-qr", args=[event.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and len(list(root.iter("{http://www.w3.org/2000/svg}path"))) >= 1
    assert "no-store" in response["Cache-Control"]
    # A standard QR code (version 1: 21 modules, quiet zone of 4, 8 px each), not a Micro QR, which
    # phone cameras and the check-in page's BarcodeDetector do not read.
    assert root.get("width") == str((21 + 2 * 4) * 8)
    # On the page: the code and the inline QR, without style attributes (the CSP refuses them).
    page = html_of(client.get(reverse("event-detail", args=[event.pk])))
    svg = re.search(r'<svg[^>]*class="ticket-qr".*?</svg>', page, re.S).group(0)
    assert mine.code in page and "style=" not in svg and "<path" in svg
    client.force_login(people["binh"])
    assert client.get(reverse("event-ticket-qr", args=[event.pk])).status_code == 404
    client.force_login(people["chi"])
    assert client.get(reverse("event-ticket-qr", args=[event.pk])).status_code == 404


# --- Check-in -------------------------------------------------------------------------------------

def test_the_check_in_page_reports_valid_reused_and_foreign_codes(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    event = make_event(officer, organization=org_tree.city, capacity=5)
    other = make_event(officer, organization=org_tree.city, title="Sự kiện khác")
    ticket = services.event_register(event=event, user=people["an"])
    foreign = services.event_register(event=other, user=people["binh"])
    services.event_register(event=event, user=people["chi"])
    url = reverse("event-check-in", args=[event.pk])

    client.force_login(people["an"])
    assert client.get(url)["Location"] == reverse("me-profile")  # not a manager: refused, sent to their page
    assert client.post(url, {"code": ticket.code}).status_code == 403
    assert Registration.objects.get(pk=ticket.pk).checked_in_at is None

    client.force_login(officer)
    page = client.get(url)
    assert page.status_code == 200 and "clubs-scan.js" in html_of(page)
    ok = client.post(url, {"code": ticket.code.lower(), "method": "typed"})
    assert ok.status_code == 200
    assert "Đã check-in: An Nguyễn" in text_of(ok)
    ticket.refresh_from_db()
    assert ticket.checked_in_at is not None and ticket.checked_in_by == officer and ticket.check_in_method == "typed"
    reused = client.post(url, {"code": ticket.code})
    assert reused.status_code == 400 and "Vé này đã check-in lúc" in text_of(reused)
    wrong = client.post(url, {"code": foreign.code})
    assert wrong.status_code == 400 and "Mã vé không thuộc sự kiện này." in text_of(wrong)
    assert Registration.objects.get(pk=foreign.pk).checked_in_at is None
    # A scan goes through the same form and is recorded as a scan.
    chi = Registration.objects.get(event=event, user=people["chi"])
    scanned = client.post(url, {"code": chi.code, "method": "scan"})
    assert "Đã check-in: Chi Nguyễn" in text_of(scanned)
    assert Registration.objects.get(pk=chi.pk).check_in_method == "scan"
    assert 'data-autostart="1"' in html_of(scanned)  # the camera comes back for the next ticket
    assert "2 đã check-in / 2 có chỗ" in text_of(scanned)


def test_after_the_event_the_attendance_list_shows_no_shows(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    event = make_event(officer, organization=org_tree.city, capacity=5)
    came = services.event_register(event=event, user=people["an"])
    services.event_register(event=event, user=people["binh"])
    services.check_in_ticket(event=event, code=came.code, actor=officer)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=3),
                                             ends_at=timezone.now() - timedelta(hours=1))
    client.force_login(officer)
    response = client.get(reverse("event-check-in", args=[event.pk]))
    html = html_of(response)
    assert "1 đã check-in / 2 có chỗ · 1 vắng mặt" in text_of(response)
    binh_row = re.search(r'<tr data-registration="\d+" data-attended="0">.*?</tr>', html, re.S).group(0)
    assert "Binh Nguyễn" in binh_row and "Vắng mặt" in binh_row
    assert "Có mặt" in re.search(r'<tr data-registration="\d+" data-attended="1">.*?</tr>', html, re.S).group(0)


def test_self_check_in_takes_the_current_code_and_refuses_an_old_one(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    event = make_event(officer, organization=org_tree.city, capacity=5, starts_in=timedelta(minutes=-10))
    services.event_register(event=event, user=people["an"])
    url = reverse("event-self-check-in", args=[event.pk])
    client.force_login(people["an"])
    assert client.get(url).status_code == 200

    old = services.rotating_code(event, time.time() - 120)
    if old == services.rotating_code(event):  # one in a million: the two windows share a code
        pytest.skip("the old and current codes coincide")
    refused = client.post(url, {"code": old})
    assert refused.status_code == 400 and "Mã không đúng hoặc đã đổi" in text_of(refused)
    malformed = client.post(url, {"code": "12ab"})
    assert malformed.status_code == 400 and "Mã gồm đúng 6 chữ số." in text_of(malformed)
    assert Registration.objects.get(user=people["an"]).checked_in_at is None

    response = client.post(url, {"code": services.rotating_code(event)}, follow=True)
    assert "Đã check-in lúc" in text_of(response)
    registration = Registration.objects.get(user=people["an"])
    assert registration.checked_in_at is not None and registration.check_in_method == "self"
    assert 'id="self-done"' in html_of(response)

    client.force_login(people["binh"])  # not registered
    page = text_of(client.get(url))
    assert "Bạn chưa đăng ký sự kiện này." in page
    response = client.post(url, {"code": services.rotating_code(event)})
    assert response.status_code == 400 and not Registration.objects.filter(user=people["binh"]).exists()


def test_self_check_in_caps_wrong_guesses(client, org_tree, officer, people) -> None:  # type: ignore[no-untyped-def]
    event = make_event(officer, organization=org_tree.city, capacity=5, starts_in=timedelta(minutes=-10))
    services.event_register(event=event, user=people["an"])
    url = reverse("event-self-check-in", args=[event.pk])
    client.force_login(people["an"])
    current = services.rotating_code(event)
    wrong = f"{(int(current) + 500_000) % 1_000_000:06d}"
    for _ in range(10):
        assert client.post(url, {"code": wrong}).status_code == 400
    # The cap is reached: even the right code waits, so six digits cannot be guessed by brute force.
    capped = client.post(url, {"code": services.rotating_code(event)})
    assert capped.status_code == 429 and "Bạn đã nhập sai quá nhiều lần." in text_of(capped)
    assert Registration.objects.get(user=people["an"]).checked_in_at is None
    # Someone else is not held up by it.
    services.event_register(event=event, user=people["binh"])
    client.force_login(people["binh"])
    assert client.post(url, {"code": services.rotating_code(event)}).status_code == 302
