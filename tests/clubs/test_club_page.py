"""A club's page: the member list in pages of 50 with a name search (with or without diacritics), role
changes folded into each row for managers only, and who sees which actions (manage, join, leave)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clubs import selectors, services
from clubs.models import Club, Membership
from talent.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "members-results"}


def make_club(actor: Any, owner: Any, slug: str, policy: str = Club.Policy.OPEN, **fields: Any) -> Club:
    return services.club_create(actor=actor, slug=slug, name=fields.pop("name", f"CLB {slug}"), owner=owner,
                                policy=policy, **fields)


def student(org: Any, username: str, first: str = "", last: str = "") -> Any:
    return make_user(Role.STUDENT, org, username=username, first_name=first, last_name=last)


def add_members(club: Club, org: Any, count: int, prefix: str = "sv") -> list[Any]:
    """``count`` students who joined the (open) club, named "Nguyễn Văn <prefix><n>"."""
    users = [student(org, f"{prefix}{i:03d}", "Nguyễn Văn", f"{prefix.upper()}{i:03d}") for i in range(count)]
    for user in users:
        services.club_join(club=club, user=user)
    return users


def html_of(response: Any) -> str:
    return response.content.decode()


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_of(response)))


def listed(response: Any) -> list[str]:
    return re.findall(r'data-member="([^"]+)"', html_of(response))


def page_url(club: Club) -> str:
    return reverse("club-detail", args=[club.slug])


@pytest.fixture
def city_club(org_tree, officer) -> Club:  # type: ignore[no-untyped-def]
    return make_club(officer, org_tree.city, "clb-tnt", Club.Policy.OPEN, name="CLB Tài năng trẻ")


# --- Paging ------------------------------------------------------------------------------------------

def test_the_member_list_comes_in_pages_of_fifty_with_a_count(client, org_tree, officer, city_club) -> None:  # type: ignore[no-untyped-def]
    users = add_members(city_club, org_tree.faculty, 61)
    chair = Membership.objects.get(club=city_club, user=users[-1])
    services.membership_set_role(membership=chair, role=Membership.Role.CHAIR, actor=officer)
    client.force_login(officer)

    first = client.get(page_url(city_club))
    assert first.status_code == 200
    names = listed(first)
    assert len(names) == selectors.MEMBER_PAGE_SIZE == 50
    assert names[0] == users[-1].username  # the chair heads the list, although the last to join
    assert "61 thành viên" in text_of(first) and "đang xem 1–50" in text_of(first)
    assert 'rel="next"' in html_of(first) and 'rel="prev"' not in html_of(first)
    assert "Trang 1 / 2" in text_of(first)

    second = client.get(page_url(city_club), {"page": 2})
    rest = listed(second)
    assert len(rest) == 11 and not set(rest) & set(names)
    assert set(names) | set(rest) == {u.username for u in users}
    assert 'rel="prev"' in html_of(second) and 'rel="next"' not in html_of(second)


@pytest.mark.parametrize("page,expected", [("999", 11), ("0", 11), ("-1", 11), ("abc", 50), ("", 50), ("2.5", 50)])
def test_a_bad_page_number_falls_back_to_a_real_page(client, org_tree, officer, city_club, page, expected) -> None:  # type: ignore[no-untyped-def]
    add_members(city_club, org_tree.faculty, 61)
    client.force_login(officer)
    response = client.get(page_url(city_club), {"page": page})
    # Paginator.get_page(): out of range is the last page, anything not a whole number the first; never an error.
    assert response.status_code == 200 and len(listed(response)) == expected


def test_the_page_link_works_without_javascript_and_swaps_only_the_list_with_htmx(client, org_tree, officer,
                                                                                  city_club) -> None:  # type: ignore[no-untyped-def]
    add_members(city_club, org_tree.faculty, 55)
    client.force_login(officer)
    html = html_of(client.get(page_url(city_club), {"q": "nguyen"}))
    link = re.search(r'<a [^>]*rel="next"[^>]*>', html).group(0)
    href = re.search(r'href="([^"]+)"', link).group(1).replace("&amp;", "&")
    assert "q=nguyen" in href and "page=2" in href and href.endswith("#members")
    assert 'hx-target="#members-results"' in link

    fragment = client.get(page_url(city_club), {"q": "nguyen", "page": 2}, **HTMX)
    assert fragment.status_code == 200
    body = html_of(fragment)
    assert "<html" not in body and 'id="member-search"' not in body and 'id="manage-actions"' not in body
    assert len(listed(fragment)) == 5 and "55 thành viên khớp “nguyen”" in text_of(fragment)
    assert "HX-Request" in fragment["Vary"] and "HX-Target" in fragment["Vary"]
    # An htmx request aimed elsewhere (or a history restore) gets the whole page.
    whole = client.get(page_url(city_club), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")
    assert 'id="member-search"' in html_of(whole)


# --- Search --------------------------------------------------------------------------------------------

@pytest.fixture
def named_club(org_tree, officer, city_club) -> Club:  # type: ignore[no-untyped-def]
    add_members(city_club, org_tree.faculty, 52)  # enough that the people searched for are on page 2
    for username, first, last in (("ngoc", "Trần Thị Bích", "Ngọc"), ("binh", "Trần Văn", "Bình"),
                                  ("tram", "Ngô Bích", "Trâm"), ("dat", "Đỗ Thành", "Đạt")):
        services.club_join(club=city_club, user=student(org_tree.faculty, username, first, last))
    return city_club


@pytest.mark.parametrize("query,found", [
    ("tran bich ngoc", ["ngoc"]),  # the middle name left out, as people type names
    ("Trần Bích Ngọc", ["ngoc"]),
    ("tran thi bich ngoc", ["ngoc"]),
    ("ngoc tran", ["ngoc"]),  # in any order
    ("  TRAN   bich  ", ["ngoc"]),
    ("tran b", ["ngoc", "binh"]),
    ("ngoc", ["ngoc"]),
    ("bich", ["ngoc", "tram"]),
    ("tran", ["ngoc", "binh"]),
    ("do thanh dat", ["dat"]),  # đ is a letter of its own, folded by hand
    ("ran", []),  # a word typed starts a word of the name, it does not match inside one
    ("tran xyz", []),  # every word must match
    ("xyz", []),
])
def test_search_finds_names_with_or_without_diacritics(client, officer, named_club, query, found) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    response = client.get(page_url(named_club), {"q": query})
    assert response.status_code == 200
    assert listed(response) == found
    if not found:
        assert 'id="no-member-match"' in html_of(response) and "0 thành viên khớp" in text_of(response)


def test_an_empty_search_lists_everyone(client, officer, named_club) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    for q in ("", "   "):
        response = client.get(page_url(named_club), {"q": q})
        assert len(listed(response)) == 50 and "56 thành viên" in text_of(response)
        assert "khớp" not in text_of(response)


def test_search_results_are_paged_too(client, officer, named_club) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    first = client.get(page_url(named_club), {"q": "nguyen van"})
    assert len(listed(first)) == 50 and "52 thành viên khớp" in text_of(first)
    second = client.get(page_url(named_club), {"q": "nguyen van", "page": "2"})
    assert len(listed(second)) == 2
    assert client.get(page_url(named_club), {"q": "nguyen van", "page": "999"}).status_code == 200


def test_search_only_reaches_the_directory_one_may_read(client, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-core-dir", Club.Policy.OPEN, directory=Club.Directory.CORE)
    ngoc = student(org_tree.faculty, "ngoc", "Trần Bích", "Ngọc")
    an = student(org_tree.faculty, "an", "Lê", "An")
    for user in (ngoc, an):
        services.club_join(club=club, user=user)
    client.force_login(an)  # a member, but this club shows its list to the core team only
    page = client.get(page_url(club), {"q": "ngoc"})
    assert page.status_code == 200 and listed(page) == [] and 'id="directory-hidden"' in html_of(page)
    assert client.get(page_url(club), {"q": "ngoc"}, **HTMX).status_code == 403
    client.force_login(student(org_tree.faculty, "outsider"))
    assert client.get(page_url(club), {"q": "ngoc"}, **HTMX).status_code == 403


# --- Who sees what ---------------------------------------------------------------------------------------

def manage_markers(club: Club) -> list[str]:
    return ['id="manage-actions"', 'id="requests"', reverse("club-invite", args=[club.slug]),
            reverse("club-announce", args=[club.slug]), reverse("event-create") + f"?club={club.pk}",
            "data-role-change="]


def test_a_staff_manager_sees_manage_actions_and_no_join_button(client, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-approval", Club.Policy.APPROVAL)
    applicant = student(org_tree.faculty, "an", "Lê", "An")
    services.club_join(club=club, user=applicant)
    services.membership_decide(membership=Membership.objects.get(user=applicant), approve=True, actor=officer)
    client.force_login(officer)  # manages the club through the city union, is not a member
    response = client.get(page_url(club))
    html, text = html_of(response), text_of(response)
    for marker in manage_markers(club):
        assert marker in html, marker
    assert "Xin tham gia" not in text and reverse("club-join", args=[club.slug]) not in html
    assert 'id="manager-note"' in html and "Bạn quản lý câu lạc bộ này" in text
    # The directory: a folded role change per row, no bare dropdown.
    assert "<select" not in html.split('id="members"')[1].split("</section>")[0]
    # The club list agrees: no request to join one's own club.
    card = re.search(r'data-club="clb-approval".*?</li>', html_of(client.get(reverse("club-list"))), re.DOTALL).group(0)
    assert "Xin tham gia" not in card and "Bạn quản lý câu lạc bộ này" in card


def test_a_core_member_manages_and_can_leave_but_never_join(client, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-core", Club.Policy.APPROVAL)
    core = student(org_tree.faculty, "core", "Phạm", "Hùng")
    services.club_join(club=club, user=core)
    membership = Membership.objects.get(user=core)
    services.membership_decide(membership=membership, approve=True, actor=officer)
    services.membership_set_role(membership=membership, role=Membership.Role.CORE, actor=officer)
    client.force_login(core)
    response = client.get(page_url(club))
    html, text = html_of(response), text_of(response)
    for marker in manage_markers(club):
        assert marker in html, marker
    assert "Rời câu lạc bộ" in text
    assert "Xin tham gia" not in text and reverse("club-join", args=[club.slug]) not in html


def test_a_plain_member_sees_neither_manage_actions_nor_join(client, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-plain", Club.Policy.APPROVAL)
    for name in ("an", "binh"):
        user = student(org_tree.faculty, name, "Lê", name.capitalize())
        services.club_join(club=club, user=user)
        services.membership_decide(membership=Membership.objects.get(user=user), approve=True, actor=officer)
    client.force_login(Membership.objects.get(user__username="an").user)
    response = client.get(page_url(club))
    html, text = html_of(response), text_of(response)
    for marker in manage_markers(club):
        assert marker not in html, marker
    assert "/role/" not in html and "/decide/" not in html
    assert "Xin tham gia" not in text and reverse("club-join", args=[club.slug]) not in html
    assert "Rời câu lạc bộ" in text and reverse("club-leave", args=[club.slug]) in html
    # The member may read this club's directory and search it, without any role control.
    assert set(listed(response)) == {"an", "binh"} and 'id="member-search"' in html


def test_an_outsider_student_sees_the_join_button_only(client, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-out", Club.Policy.APPROVAL)
    client.force_login(student(org_tree.faculty, "outsider"))
    response = client.get(page_url(club))
    html, text = html_of(response), text_of(response)
    assert "Xin tham gia" in text and reverse("club-join", args=[club.slug]) in html
    for marker in manage_markers(club):
        assert marker not in html, marker
    assert 'id="members"' not in html and "Rời câu lạc bộ" not in text


def test_a_pending_applicant_sees_their_request_waiting(client, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
    club = make_club(officer, org_tree.city, "clb-wait", Club.Policy.APPROVAL)
    applicant = student(org_tree.faculty, "an")
    services.club_join(club=club, user=applicant)
    client.force_login(applicant)
    response = client.get(page_url(club))
    html, text = html_of(response), text_of(response)
    assert "Đang chờ duyệt" in text and "Rút yêu cầu" in text
    assert "Xin tham gia" not in text and reverse("club-join", args=[club.slug]) not in html
    assert 'id="manage-actions"' not in html


def test_the_request_queue_shows_the_oldest_and_says_how_many_more(client, org_tree, officer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "QUEUE_LIMIT", 2)
    club = make_club(officer, org_tree.city, "clb-queue", Club.Policy.APPROVAL)
    for name in ("an", "binh", "chi", "dung", "em"):
        services.club_join(club=club, user=student(org_tree.faculty, name))
    client.force_login(officer)
    html = html_of(client.get(page_url(club)))
    assert re.findall(r'data-pending="([^"]+)"', html) == ["an", "binh"]
    assert 'id="pending-more"' in html and "Còn 3 yêu cầu nữa" in html


# --- Role changes through the folded form ---------------------------------------------------------------

def _role_form(html: str, username: str) -> tuple[str, dict[str, str]]:
    block = re.search(rf'<details class="role-change" data-role-change="{username}">.*?</details>', html, re.DOTALL).group(0)
    action = re.search(r'<form method="post" action="([^"]+)"', block).group(1)
    hidden = dict(re.findall(r'<input type="hidden" name="(q|page)" value="([^"]*)"', block))
    choices = re.findall(r'<input type="radio" name="role" value="([^"]+)"', block)
    assert choices == ["member", "core", "chair"]
    return action, hidden


def test_a_manager_changes_a_role_from_the_row_and_lands_back_on_the_same_list(client, org_tree, officer,
                                                                               named_club) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    html = html_of(client.get(page_url(named_club), {"q": "tran bich"}))
    action, hidden = _role_form(html, "ngoc")
    assert hidden == {"q": "tran bich", "page": "1"}
    response = client.post(action, {**hidden, "role": "core"})
    assert response.status_code == 302
    assert response["Location"] == page_url(named_club) + "?q=tran+bich&page=1#members"
    assert Membership.objects.get(club=named_club, user__username="ngoc").role == Membership.Role.CORE
    follow = client.get(response["Location"])
    assert "Đã đổi vai trò" in text_of(follow) and listed(follow) == ["ngoc"]
    # A bad role is refused with a message, and nothing changes.
    bad = client.post(action, {"role": "president", "q": "x" * 500, "page": "abc"})
    assert bad["Location"] == page_url(named_club) + "?q=" + "x" * 100 + "#members"
    assert Membership.objects.get(club=named_club, user__username="ngoc").role == Membership.Role.CORE


def test_role_changes_are_refused_to_those_who_do_not_manage(client, org_tree, officer, named_club) -> None:  # type: ignore[no-untyped-def]
    target = Membership.objects.get(club=named_club, user__username="ngoc")
    url = reverse("club-membership-role", args=[named_club.slug, target.pk])
    client.force_login(Membership.objects.get(club=named_club, user__username="binh").user)  # a plain member
    assert client.post(url, {"role": "chair"}).status_code == 403
    client.force_login(student(org_tree.faculty, "outsider"))
    assert client.post(url, {"role": "chair"}).status_code == 403
    client.force_login(make_user(Role.OFFICER, org_tree.ward_b, username="other_officer"))  # another unit
    assert client.post(url, {"role": "chair"}).status_code == 403
    assert Membership.objects.get(pk=target.pk).role == Membership.Role.MEMBER


# --- Query counts -------------------------------------------------------------------------------------------

def _queries(client: Any, url: str, **extra: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **extra).status_code == 200
    return len(captured)


@pytest.mark.parametrize("viewer", ["officer", "core", "member"])
def test_the_page_costs_the_same_queries_for_10_or_120_members(client, org_tree, officer, city_club, viewer,
                                                               django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    users = add_members(city_club, org_tree.faculty, 10)
    services.club_join(club=city_club, user=student(org_tree.faculty, "late"))
    services.membership_set_role(membership=Membership.objects.get(user=users[0]), role=Membership.Role.CORE,
                                 actor=officer)
    client.force_login({"officer": officer, "core": users[0], "member": users[1]}[viewer])
    url = page_url(city_club)
    small = {"page": _queries(client, url), "search": _queries(client, url + "?q=nguyen"),
             "fragment": _queries(client, url + "?q=nguyen&page=2", **HTMX)}

    add_members(city_club, org_tree.faculty, 110, prefix="more")
    for kind, path, extra in (("page", url, {}), ("search", url + "?q=nguyen", {}),
                              ("fragment", url + "?q=nguyen&page=2", HTMX)):
        with django_assert_max_num_queries(small[kind]):
            response = client.get(path, **extra)
        assert len(listed(response)) == 50, kind
    assert small["page"] <= 25
