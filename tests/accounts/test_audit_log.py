"""The audit log in words: people named (or "đã ẩn danh" once erased), actions named, and one row per
thing a person did — a recruiter's page of 25 people is one row "25 ứng viên", not 25 rows.

Every action code the apps write must have a name: the last test reads the sources for them, so an
app that adds an action without naming it fails here rather than showing a code to an administrator."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts import services
from core.audit import action_labels
from core.models import AuditEvent
from privacy import services as privacy_services
from talent import services as talent_services
from talent.models import Role
from talent.readlog import record_reads
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Hoa-Sen-Tháng-5"


@pytest.fixture
def admin_client(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


def html_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def rows_of(response) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """(newest event id, number of events) of each row."""
    return [(int(pk), int(n)) for pk, n in re.findall(r'<tr data-event-id="(\d+)" data-count="(\d+)"',
                                                       html_of(response))]


@pytest.fixture
def story(org_tree, admin_user):  # type: ignore[no-untyped-def]
    officer = make_user(Role.OFFICER, org_tree.city, username="officer_log", first_name="Phạm Minh",
                        last_name="Tuấn")
    recruiter = make_user(Role.RECRUITER, org_tree.agency, username="hr_log")
    an = talent_services.candidate_register(actor=officer, full_name="Nguyễn Văn An", gender="male",
                                            date_of_birth=dt.date(2004, 5, 1), organization=org_tree.school_a)
    account = services.user_create(actor=admin_user, username="an.nguyen", password=PASSWORD, role=Role.STUDENT,
                                   candidate=an)
    return {"officer": officer, "recruiter": recruiter, "an": an, "account": account}


def test_people_and_accounts_are_named_and_actions_are_in_words(admin_client, story) -> None:  # type: ignore[no-untyped-def]
    html = html_of(admin_client.get(reverse("audit-log")))
    an = story["an"]
    assert f'<a href="{reverse("candidate-detail", args=[an.pk])}">Nguyễn Văn An</a>' in html
    assert "an.nguyen" in html  # the account created is named by its username
    assert "Phạm Minh Tuấn" in html  # the officer who registered An, by name
    assert f"Ứng viên #{an.pk}" not in html and f"Người dùng #{story['account'].pk}" not in html
    assert "Đăng ký ứng viên" in html and "Tạo tài khoản" in html
    assert '<code class="audit-code">' not in html  # known actions show their words, not their codes


def test_an_erased_person_is_shown_as_erased(admin_client, admin_user, story) -> None:  # type: ignore[no-untyped-def]
    request = privacy_services.erasure_request(user=story["account"], reason="Không dùng nữa")
    privacy_services.erasure_decide(erasure=request, actor=admin_user, approve=True)
    html = html_of(admin_client.get(reverse("audit-log")))
    assert "Nguyễn Văn An" not in html
    assert "đã ẩn danh" in html
    assert f"Ẩn danh #{story['an'].pk}" not in html  # the placeholder stored in the record is not shown either


def test_one_page_view_is_one_row_with_its_count(admin_client, org_tree, story) -> None:  # type: ignore[no-untyped-def]
    people = [make_candidate(org_tree.faculty, f"Sinh Viên {chr(65 + i)}") for i in range(25)]
    record_reads(user=story["recruiter"], candidate_ids=[p.pk for p in people], via="page.ranking")
    record_reads(user=story["recruiter"], candidate_ids=[p.pk for p in people[:3]], via="page.detail")
    response = admin_client.get(reverse("audit-log"), {"action": "candidate.read"})
    assert [n for _, n in rows_of(response)] == [3, 25]
    html = html_of(response)
    assert "25 ứng viên" in html and "3 ứng viên" in html
    assert html.count('<span class="audit-action" title="candidate.read">Nhà tuyển dụng xem hồ sơ</span>') == 2
    for person in people:
        assert f'<a href="{reverse("candidate-detail", args=[person.pk])}">{person.full_name}</a>' in html


def test_the_same_thing_done_twice_to_one_object_stays_two_rows(admin_client, admin_user) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        AuditEvent.objects.create(actor=admin_user, action="pii.rotate_keys", object_type="auth.user",
                                  object_id=str(admin_user.pk))
    response = admin_client.get(reverse("audit-log"), {"action": "pii.rotate_keys"})
    assert [n for _, n in rows_of(response)] == [1, 1]


def test_grouped_pages_keep_every_event_and_bounded_queries(admin_client, org_tree, story,  # type: ignore[no-untyped-def]
                                                           django_assert_max_num_queries) -> None:
    people = [make_candidate(org_tree.faculty, f"Học Sinh {chr(65 + i % 26)}{chr(65 + i // 26)}") for i in range(30)]
    for view in range(45):  # 45 page views of 30 people: 1,350 events, more than one page reads
        record_reads(user=story["recruiter"], candidate_ids=[p.pk for p in people], via=f"page.view{view}")
    seen: list[int] = []
    params: dict[str, object] = {"action": "candidate.read"}
    pages = 0
    while True:
        with django_assert_max_num_queries(12):
            response = admin_client.get(reverse("audit-log"), params)
        rows = rows_of(response)
        assert rows and all(n == 30 for _, n in rows)  # no page view is cut in two
        seen.extend(n for _, n in rows)
        pages += 1
        older = re.search(r'href="\?([^"]*before=(\d+)[^"]*)"[^>]*rel="next"', html_of(response))
        if older is None:
            break
        params = {"action": "candidate.read", "before": older.group(2)}
    assert pages == 2 and sum(seen) == 1350 and len(seen) == 45
    # Back from the second page to the first shows the same rows as the first.
    first = rows_of(admin_client.get(reverse("audit-log"), {"action": "candidate.read"}))
    last_first_page_row = first[-1][0]
    second = rows_of(admin_client.get(reverse("audit-log"), params))
    newer = rows_of(admin_client.get(reverse("audit-log"), {"action": "candidate.read", "after": second[0][0]}))
    assert newer == first and newer[-1][0] == last_first_page_row


ACTION_WRITTEN = re.compile(r'action="([a-z_]+\.[a-z_.]+)"|else "([a-z_]+\.[a-z_]+)"|_audit_attempt\("([a-z_.]+)"')


def test_every_action_the_apps_write_has_a_name() -> None:
    root = Path(settings.BASE_DIR)
    written: dict[str, str] = {}
    for path in root.glob("*/**/*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in {".venv", "tests", "staticfiles", "node_modules"} or "migrations" in relative.parts:
            continue
        for match in ACTION_WRITTEN.finditer(path.read_text(encoding="utf-8")):
            written[next(code for code in match.groups() if code)] = str(relative)
    assert len(written) > 50, "the scan found too few actions: the pattern no longer matches the code"
    named = action_labels()
    unnamed = {code: where for code, where in written.items() if code not in named}
    assert not unnamed, f"name these actions in the app's AUDIT_ACTIONS: {unnamed}"
