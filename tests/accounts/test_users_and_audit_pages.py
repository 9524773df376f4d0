"""The administrator pages: accounts (/accounts/users/, /accounts/users/new/, deactivate/reactivate)
and the audit log (/audit/). Administrators only; everyone else gets 403, anonymous visitors the login."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts import services
from core.models import AuditEvent
from privacy import services as privacy_services
from talent.readlog import record_reads
from talent import services as talent_services
from talent.models import Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()
GOOD_PASSWORD = "Hoa-Sen-Tháng-5"
PAGES = [("user-list", []), ("user-create", []), ("audit-log", [])]


@pytest.fixture
def others(org_tree):  # type: ignore[no-untyped-def]
    candidate = make_candidate(org_tree.faculty, "Lê Thị Nga", gender="female")
    student = make_user(Role.STUDENT, org_tree.faculty, username="student_p")
    candidate.user = student
    candidate.save(update_fields=["user"])
    return {
        Role.OFFICER: make_user(Role.OFFICER, org_tree.city, username="officer_p"),
        Role.LIAISON: make_user(Role.LIAISON, org_tree.uni, username="liaison_p"),
        Role.RECRUITER: make_user(Role.RECRUITER, org_tree.agency, username="recruiter_p"),
        Role.STUDENT: student,
    }


@pytest.fixture
def admin_client(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


def html_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def user_rows(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(pk) for pk in re.findall(r'<tr data-user-id="(\d+)"', html_of(response))]


def event_rows(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(pk) for pk in re.findall(r'<tr data-event-id="(\d+)"', html_of(response))]


def assert_csp_clean(html: str) -> None:
    """The strict Content-Security-Policy refuses inline scripts, style attributes and handlers."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


# --- Who gets in ----------------------------------------------------------------------------------

class TestAccess:
    @pytest.mark.parametrize("name, args", [*PAGES, ("user-set-active", [1])])
    def test_anonymous_goes_to_login(self, client, name, args) -> None:  # type: ignore[no-untyped-def]
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    @pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON, Role.RECRUITER, Role.STUDENT])
    @pytest.mark.parametrize("name", ["user-list", "user-create", "audit-log"])
    def test_other_roles_get_403(self, client, others, role, name) -> None:  # type: ignore[no-untyped-def]
        client.force_login(others[role])
        response = client.get(reverse(name))
        if role == Role.STUDENT:  # a staff page sends a student to their own page
            assert response.status_code == 302 and response["Location"] == reverse("me-profile")
        else:
            assert response.status_code == 403

    @pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON, Role.RECRUITER, Role.STUDENT])
    def test_other_roles_cannot_write(self, client, org_tree, others, role) -> None:  # type: ignore[no-untyped-def]
        target = make_user(Role.OFFICER, org_tree.ward_b, username="target_p")
        client.force_login(others[role])
        assert client.post(reverse("user-set-active", args=[target.pk]), {"active": "0"}).status_code == 403
        # The same 403 for an id that does not exist: nothing is revealed.
        assert client.post(reverse("user-set-active", args=[999999]), {"active": "0"}).status_code == 403
        response = client.post(reverse("user-create"), {"username": "sneaky", "role": "admin",
                                                        "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.is_active and not User.objects.filter(username="sneaky").exists()

    @pytest.mark.parametrize("name", ["user-list", "user-create", "audit-log"])
    def test_admin_gets_a_vietnamese_page_without_inline_code(self, admin_client, name) -> None:  # type: ignore[no-untyped-def]
        response = admin_client.get(reverse(name))
        assert response.status_code == 200
        html = html_of(response)
        assert '<html lang="vi">' in html
        assert_csp_clean(html)


# --- Account list -------------------------------------------------------------------------------

class TestUserList:
    def test_table(self, admin_client, org_tree, others, admin_user) -> None:  # type: ignore[no-untyped-def]
        student = others[Role.STUDENT]
        User.objects.filter(pk=others[Role.OFFICER].pk).update(
            last_login=dt.datetime(2026, 3, 9, 1, 5, tzinfo=dt.timezone.utc))
        response = admin_client.get(reverse("user-list"))
        html = html_of(response)
        assert set(user_rows(response)) == {admin_user.pk, *(u.pk for u in others.values())}
        for label in ("Quản trị viên", "Cán bộ Đoàn", "Cán bộ liên lạc trường", "Cán bộ tuyển dụng",
                      "Sinh viên / cán bộ trẻ"):
            assert label in html
        assert "Sở Nội vụ" in html and "ĐH Bách khoa" in html
        assert f'href="{reverse("candidate-detail", args=[student.candidate.pk])}"' in html
        assert "Lê Thị Nga" in html
        assert "09/03/2026 08:05" in html  # Asia/Ho_Chi_Minh, dd/mm/yyyy HH:MM
        assert "Đang hoạt động" in html and "Chưa đăng nhập" in html

    def test_search_role_and_state_filters(self, admin_client, org_tree, others, admin_user) -> None:  # type: ignore[no-untyped-def]
        recruiter = others[Role.RECRUITER]
        services.user_set_active(actor=admin_user, user=recruiter, active=False)

        assert user_rows(admin_client.get(reverse("user-list"), {"search": "Nội vụ"})) == [recruiter.pk]
        assert user_rows(admin_client.get(reverse("user-list"), {"search": "liaison"})) == [others[Role.LIAISON].pk]
        assert user_rows(admin_client.get(reverse("user-list"), {"role": "officer"})) == [others[Role.OFFICER].pk]
        assert user_rows(admin_client.get(reverse("user-list"), {"role": "admin"})) == [admin_user.pk]
        assert user_rows(admin_client.get(reverse("user-list"), {"active": "0"})) == [recruiter.pk]
        active = user_rows(admin_client.get(reverse("user-list"), {"active": "1"}))
        assert recruiter.pk not in active and len(active) == 4
        assert "Đã khoá" in html_of(admin_client.get(reverse("user-list"), {"active": "0"}))

    def test_invalid_filter_is_reported_and_ignored(self, admin_client, others) -> None:  # type: ignore[no-untyped-def]
        response = admin_client.get(reverse("user-list"), {"role": "king"})
        assert response.status_code == 200
        assert "Một số điều kiện lọc không hợp lệ" in html_of(response)
        assert len(user_rows(response)) == 5

    def test_htmx_gets_the_fragment(self, admin_client, others) -> None:  # type: ignore[no-untyped-def]
        response = admin_client.get(reverse("user-list"), {"role": "officer"}, HTTP_HX_REQUEST="true")
        html = html_of(response)
        assert "<html" not in html and 'id="user-table"' in html
        assert "HX-Request" in response["Vary"]

    def test_pagination_and_bounded_queries(self, admin_client, org_tree, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
        for i in range(3):
            make_user(Role.OFFICER, org_tree.ward_a, username=f"a-few-{i}")
        with django_assert_max_num_queries(12) as few:
            admin_client.get(reverse("user-list"))
        for i in range(60):
            candidate = make_candidate(org_tree.school_a, f"Nguyễn Văn {chr(65 + i % 26) * (1 + i // 26)}")
            user = make_user(Role.STUDENT, org_tree.school_a, username=f"many-{i:02d}")
            candidate.user = user
            candidate.save(update_fields=["user"])
        with django_assert_max_num_queries(len(few.captured_queries)) :
            first = admin_client.get(reverse("user-list"))
        assert len(user_rows(first)) == 50
        assert "Trang 1 / 2" in html_of(first)
        second = admin_client.get(reverse("user-list"), {"page": 2})
        assert len(user_rows(second)) == 64 - 50
        assert set(user_rows(first)).isdisjoint(user_rows(second))
        assert admin_client.get(reverse("user-list"), {"page": "abc"}).status_code == 200


# --- Deactivate and reactivate -------------------------------------------------------------------

class TestSetActive:
    def test_confirmation_then_deactivation(self, admin_client, org_tree, others) -> None:  # type: ignore[no-untyped-def]
        target = others[Role.RECRUITER]
        Token.objects.create(user=target)
        url = reverse("user-set-active", args=[target.pk])
        listing = html_of(admin_client.get(reverse("user-list")))
        assert f'href="{url}?next=' in listing

        confirm = admin_client.get(url)
        html = html_of(confirm)
        assert confirm.status_code == 200
        assert "Khoá tài khoản «recruiter_p»?" in html
        assert "mọi mã truy cập API của tài khoản bị thu hồi" in html
        assert_csp_clean(html)
        target.refresh_from_db()
        assert target.is_active  # a GET changes nothing

        response = admin_client.post(url, {"active": "0", "next": "/accounts/users/?role=recruiter"}, follow=True)
        assert response.redirect_chain[-1][0] == "/accounts/users/?role=recruiter"
        assert "Đã khoá tài khoản «recruiter_p»" in html_of(response)
        target.refresh_from_db()
        assert not target.is_active and not Token.objects.filter(user=target).exists()

    def test_reactivation(self, admin_client, org_tree, others, admin_user) -> None:  # type: ignore[no-untyped-def]
        target = others[Role.OFFICER]
        services.user_set_active(actor=admin_user, user=target, active=False)
        url = reverse("user-set-active", args=[target.pk])
        assert f'action="{url}"' in html_of(admin_client.get(reverse("user-list")))
        response = admin_client.post(url, {"active": "1"}, follow=True)
        assert "Đã mở lại tài khoản «officer_p»." in html_of(response)
        target.refresh_from_db()
        assert target.is_active

    def test_an_administrator_cannot_deactivate_themselves(self, admin_client, admin_user) -> None:  # type: ignore[no-untyped-def]
        url = reverse("user-set-active", args=[admin_user.pk])
        listing = html_of(admin_client.get(reverse("user-list")))
        assert f'href="{url}?' not in listing  # no button on one's own row
        response = admin_client.post(url, {"active": "0"}, follow=True)
        assert "Bạn không thể tự khoá tài khoản của mình." in html_of(response)
        admin_user.refresh_from_db()
        assert admin_user.is_active

    def test_erased_account_cannot_be_reactivated(self, admin_client, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.school_a, "Võ Thị Sáu", gender="female")
        account = services.user_create(actor=admin_user, username="vo.sau", password=GOOD_PASSWORD,
                                       role=Role.STUDENT, candidate=candidate)
        privacy_services.anonymize(candidate=candidate, actor=admin_user)
        url = reverse("user-set-active", args=[account.pk])
        assert f'action="{url}"' not in html_of(admin_client.get(reverse("user-list")))
        response = admin_client.post(url, {"active": "1"}, follow=True)
        assert "Tài khoản của hồ sơ đã ẩn danh không thể mở lại." in html_of(response)
        account.refresh_from_db()
        assert not account.is_active

    def test_unknown_account_is_404_and_next_must_be_local(self, admin_client, others) -> None:  # type: ignore[no-untyped-def]
        assert admin_client.post(reverse("user-set-active", args=[999999]), {"active": "0"}).status_code == 404
        target = others[Role.LIAISON]
        response = admin_client.post(reverse("user-set-active", args=[target.pk]),
                                     {"active": "0", "next": "https://evil.example/"})
        assert response["Location"] == reverse("user-list")


# --- Create an account ---------------------------------------------------------------------------

class TestUserCreate:
    def test_form_explains_the_role_rules(self, admin_client, org_tree) -> None:  # type: ignore[no-untyped-def]
        html = html_of(admin_client.get(reverse("user-create")))
        for text in ("một tổ chức Đoàn", "một trường đại học hoặc một khoa", "một cơ quan hoặc doanh nghiệp",
                     "một hồ sơ ứng viên chưa có tài khoản", "đơn vị không bắt buộc",
                     "Mật khẩu có ít nhất 8 ký tự."):
            assert text in html
        # Organizations grouped by kind; a faculty names its university; high schools are not offered.
        assert '<optgroup label="Tổ chức Đoàn">' in html and '<optgroup label="Cơ quan">' in html
        assert "Khoa Khoa học Máy tính – ĐH Bách khoa" in html
        assert "THPT Lê Hồng Phong" not in html

    def test_create_an_officer(self, admin_client, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        response = admin_client.post(reverse("user-create"), {
            "username": "Mai.Tran", "full_name": "Trần Thị Mai", "email": "mai@doan.vn", "role": "officer",
            "organization": org_tree.ward_a.pk, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
        })
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('user-list')}?search=mai.tran"
        user = User.objects.get(username="mai.tran")
        assert user.profile.role == Role.OFFICER and user.profile.organization == org_tree.ward_a
        assert user.get_full_name() == "Trần Thị Mai" and user.check_password(GOOD_PASSWORD)
        assert AuditEvent.objects.filter(action="user.create", actor=admin_user, object_id=str(user.pk)).exists()
        page = admin_client.get(response["Location"])
        assert "Đã tạo tài khoản «mai.tran»." in html_of(page) and user_rows(page) == [user.pk]

    def test_create_a_student_by_record_id(self, admin_client, org_tree) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.school_b, "Phạm Minh Khoa")
        response = admin_client.post(reverse("user-create"), {
            "username": "khoa.pm", "role": "student", "candidate": candidate.pk,
            "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
        })
        assert response.status_code == 302
        candidate.refresh_from_db()
        assert candidate.user.username == "khoa.pm"
        assert candidate.user.profile.organization == org_tree.school_b

    def test_service_errors_are_shown_per_field_in_vietnamese(self, admin_client, org_tree) -> None:  # type: ignore[no-untyped-def]
        response = admin_client.post(reverse("user-create"), {
            "username": "x", "role": "officer", "organization": org_tree.agency.pk,
            "password1": "12345678", "password2": "12345678",
        })
        assert response.status_code == 200
        html = html_of(response)
        assert "Chưa tạo được tài khoản" in html
        for message in ("Tên đăng nhập gồm 3–64 ký tự", "Đơn vị của vai trò này phải là: Tổ chức Đoàn.",
                        "Mật khẩu này quá phổ biến, dễ bị đoán ra.", "Mật khẩu không được chỉ gồm chữ số."):
            assert message in html
        assert re.search(r'id="id_password1_error"[^>]*>\s*<p>Mật khẩu này quá phổ biến', html)
        assert 'value="12345678"' not in html  # passwords are never sent back
        assert not User.objects.filter(username="x").exists()

    def test_password_confirmation_must_match(self, admin_client, org_tree) -> None:  # type: ignore[no-untyped-def]
        response = admin_client.post(reverse("user-create"), {
            "username": "mai.tran", "role": "officer", "organization": org_tree.city.pk,
            "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x",
        })
        assert "Hai lần nhập mật khẩu không khớp." in html_of(response)
        assert not User.objects.filter(username="mai.tran").exists()

    def test_student_record_errors(self, admin_client, org_tree, others) -> None:  # type: ignore[no-untyped-def]
        taken = others[Role.STUDENT].candidate
        response = admin_client.post(reverse("user-create"), {
            "username": "khoa.pm", "role": "student", "candidate": taken.pk,
            "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
        })
        html = html_of(response)
        assert "Hồ sơ này đã có tài khoản." in html
        # Once the id is valid, the record's name is shown next to it.
        assert 'id="chosen-candidate"' in html and "Lê Thị Nga" in html

        missing = admin_client.post(reverse("user-create"), {
            "username": "khoa.pm", "role": "student", "candidate": 999999,
            "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
        })
        assert "Không có hồ sơ ứng viên mang mã 999999." in html_of(missing)
        huge = admin_client.post(reverse("user-create"), {
            "username": "khoa.pm", "role": "student", "candidate": "9" * 30,
            "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
        })
        assert huge.status_code == 200 and "Không có hồ sơ ứng viên mang mã này." in html_of(huge)
        no_record = admin_client.post(reverse("user-create"), {
            "username": "khoa.pm", "role": "student", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD,
        })
        assert "Tài khoản sinh viên phải gắn với một hồ sơ ứng viên." in html_of(no_record)
        assert not User.objects.filter(username="khoa.pm").exists()

    def test_candidate_lookup_lists_records_without_an_account(self, admin_client, org_tree, others) -> None:  # type: ignore[no-untyped-def]
        free = make_candidate(org_tree.school_a, "Lê Văn Tám")
        gone = make_candidate(org_tree.school_a, "Lê Văn Tâm")
        privacy_services.anonymize(candidate=gone, actor=None)
        response = admin_client.get(reverse("user-create"), {"q": "le van"})
        html = html_of(response)
        found = [int(pk) for pk in re.findall(r'<li data-candidate-id="(\d+)"', html)]
        assert found == [free.pk]  # not Lê Thị Nga (has an account), not the anonymized record
        assert f"?role=student&amp;candidate={free.pk}" in html

        fragment = admin_client.get(reverse("user-create"), {"q": str(free.pk)}, HTTP_HX_REQUEST="true")
        assert "<html" not in html_of(fragment) and f'data-candidate-id="{free.pk}"' in html_of(fragment)
        assert "Không có hồ sơ chưa có tài khoản nào khớp" in html_of(
            admin_client.get(reverse("user-create"), {"q": "zzz"}, HTTP_HX_REQUEST="true"))

        prefilled = html_of(admin_client.get(reverse("user-create"), {"role": "student", "candidate": free.pk}))
        assert f'name="candidate" value="{free.pk}"' in prefilled
        assert re.search(r'<option value="student" selected>', prefilled)


# --- Audit log ----------------------------------------------------------------------------------

@pytest.fixture
def history(org_tree, admin_user, others):  # type: ignore[no-untyped-def]
    """Real events: an officer registers two candidates and shares a pool; a recruiter reads one."""
    officer, recruiter = others[Role.OFFICER], others[Role.RECRUITER]
    an = talent_services.candidate_register(actor=officer, full_name="Nguyễn Văn An", gender="male",
                                            date_of_birth=dt.date(2004, 5, 1), organization=org_tree.school_a)
    binh = talent_services.candidate_register(actor=officer, full_name="Trần Thị Bình", gender="female",
                                              date_of_birth=dt.date(2004, 6, 1), organization=org_tree.school_b)
    pool = talent_services.pool_create(actor=officer, name="Nguồn 2026", kind="young_talent", owner=org_tree.city,
                                       shared_with=[org_tree.agency])
    talent_services.pool_add(pool=pool, candidate=an, actor=officer)
    account = services.user_create(actor=admin_user, username="an.nguyen", password=GOOD_PASSWORD,
                                   role=Role.STUDENT, candidate=an)
    privacy_services.consent_set_own(user=account, purpose="share_with_recruiters", granted=True)
    record_reads(user=recruiter, candidate_ids=[an.pk], via="page.detail")
    return {"an": an, "binh": binh, "pool": pool, "officer": officer, "recruiter": recruiter}


class TestAuditLog:
    def test_table(self, admin_client, history) -> None:  # type: ignore[no-untyped-def]
        an = history["an"]
        response = admin_client.get(reverse("audit-log"))
        html = html_of(response)
        ids = event_rows(response)
        assert ids == sorted(ids, reverse=True)
        assert len(ids) == AuditEvent.objects.count()
        for label in ("Đăng ký ứng viên", "Tạo nguồn", "Thêm vào nguồn", "Tạo tài khoản", "Ghi nhận sự đồng ý",
                      "Nhà tuyển dụng xem hồ sơ"):
            assert label in html
        assert f'href="{reverse("candidate-detail", args=[an.pk])}"' in html
        assert "via=page.detail" in html and "purpose=share_with_recruiters" in html
        read = AuditEvent.objects.get(action="candidate.read")
        assert timezone.localtime(read.at).strftime("%d/%m/%Y %H:%M:%S") in html

    def test_unknown_actions_are_shown_raw_and_system_events_named(self, admin_client, history) -> None:  # type: ignore[no-untyped-def]
        AuditEvent.objects.create(actor=None, action="scoring.rerun", object_type="scoring.nothing", object_id="7",
                                  changes={"rows": 12, "tags": ["a", "b"], "note": None})
        html = html_of(admin_client.get(reverse("audit-log")))
        assert '<code class="audit-code">scoring.rerun</code>' in html
        assert "note=– rows=12 tags=a,b" in html
        assert "Hệ thống" in html and "scoring.nothing #7" in html

    def test_filter_by_actor_and_candidate(self, admin_client, history) -> None:  # type: ignore[no-untyped-def]
        an, binh, recruiter = history["an"], history["binh"], history["recruiter"]
        by_recruiter = admin_client.get(reverse("audit-log"), {"actor": recruiter.username, "candidate": an.pk})
        assert [AuditEvent.objects.get(pk=pk).action for pk in event_rows(by_recruiter)] == ["candidate.read"]
        assert event_rows(admin_client.get(reverse("audit-log"), {"actor": "RECRUITER_P"})) == event_rows(by_recruiter)
        about_an = admin_client.get(reverse("audit-log"), {"candidate": an.pk})
        assert {AuditEvent.objects.get(pk=pk).action for pk in event_rows(about_an)} == {
            "candidate.register", "pool.add", "user.create", "consent.grant", "candidate.read"}
        about_binh = admin_client.get(reverse("audit-log"), {"candidate": binh.pk})
        assert [AuditEvent.objects.get(pk=pk).action for pk in event_rows(about_binh)] == ["candidate.register"]
        assert event_rows(admin_client.get(reverse("audit-log"), {"actor": "nobody"})) == []
        assert "Không có sự kiện nào khớp" in html_of(admin_client.get(reverse("audit-log"), {"actor": "nobody"}))

    def test_filter_by_action_exact_and_prefix(self, admin_client, history) -> None:  # type: ignore[no-untyped-def]
        exact = event_rows(admin_client.get(reverse("audit-log"), {"action": "pool.add"}))
        assert [AuditEvent.objects.get(pk=pk).action for pk in exact] == ["pool.add"]
        for prefix in ("pool.", "pool.*"):
            rows = event_rows(admin_client.get(reverse("audit-log"), {"action": prefix}))
            assert sorted(AuditEvent.objects.get(pk=pk).action for pk in rows) == ["pool.add", "pool.create"]
        assert event_rows(admin_client.get(reverse("audit-log"), {"action": "pool"})) == []

    def test_filter_by_local_dates(self, admin_client, admin_user) -> None:  # type: ignore[no-untyped-def]
        tz = timezone.get_current_timezone()

        def at(*args: int) -> AuditEvent:
            return AuditEvent.objects.create(actor=admin_user, action="test.dated", object_type="auth.user",
                                             object_id="1", at=dt.datetime(*args, tzinfo=tz))

        before = at(2026, 3, 9, 23, 59)
        first = at(2026, 3, 10, 0, 0)
        last = at(2026, 3, 10, 23, 59, 59)
        after = at(2026, 3, 11, 0, 0)
        def rows(**filters: str) -> list[int]:
            return event_rows(admin_client.get(reverse("audit-log"), {"action": "test.dated", **filters}))

        assert rows(since="10/03/2026", until="10/03/2026") == [last.pk, first.pk]
        assert rows(since="11/03/2026") == [after.pk]
        assert rows(until="09/03/2026") == [before.pk]
        assert rows(since="01/01/2026", until="31/12/2026") == [after.pk, last.pk, first.pk, before.pk]

    def test_invalid_filters_are_reported_and_ignored(self, admin_client, history) -> None:  # type: ignore[no-untyped-def]
        total = AuditEvent.objects.count()
        response = admin_client.get(reverse("audit-log"), {"since": "2026-03-10", "candidate": "abc"})
        html = html_of(response)
        assert response.status_code == 200
        assert "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy." in html
        assert "Mã hồ sơ là một số, ví dụ 1024." in html
        assert len(event_rows(response)) == total
        huge = admin_client.get(reverse("audit-log"), {"candidate": "9" * 30, "before": "9" * 30})
        assert huge.status_code == 200 and len(event_rows(huge)) == total
        reversed_range = admin_client.get(reverse("audit-log"), {"since": "10/03/2026", "until": "01/03/2026"})
        assert "Ngày kết thúc phải sau ngày bắt đầu." in html_of(reversed_range)

    def test_keyset_pagination_and_bounded_queries(self, admin_client, admin_user,  # type: ignore[no-untyped-def]
                                                   django_assert_max_num_queries) -> None:
        AuditEvent.objects.bulk_create([
            AuditEvent(actor=admin_user, action="test.bulk", object_type="talent.candidate", object_id=str(i),
                       changes={"n": i}) for i in range(3)])
        with django_assert_max_num_queries(8) as few:
            admin_client.get(reverse("audit-log"))
        AuditEvent.objects.bulk_create([
            AuditEvent(actor=make_user(Role.OFFICER, None, username=f"actor-{i}") if i < 5 else admin_user,
                       action="test.bulk", object_type="talent.candidate", object_id=str(i), changes={"n": i})
            for i in range(3, 120)])
        all_ids = list(AuditEvent.objects.filter(action="test.bulk").order_by("-id").values_list("id", flat=True))
        with django_assert_max_num_queries(len(few.captured_queries)):
            first = admin_client.get(reverse("audit-log"), {"action": "test.bulk"})
        assert event_rows(first) == all_ids[:50]
        html = html_of(first)
        assert f"before={all_ids[49]}" in html and 'rel="next"' in html and 'rel="prev"' not in html

        with django_assert_max_num_queries(len(few.captured_queries)):
            second = admin_client.get(reverse("audit-log"), {"action": "test.bulk", "before": all_ids[49]})
        assert event_rows(second) == all_ids[50:100]
        third = admin_client.get(reverse("audit-log"), {"action": "test.bulk", "before": all_ids[99]})
        assert event_rows(third) == all_ids[100:]
        assert 'rel="next"' not in html_of(third) and 'rel="prev"' in html_of(third)  # the oldest page

        back = admin_client.get(reverse("audit-log"), {"action": "test.bulk", "after": all_ids[100]})
        assert event_rows(back) == all_ids[50:100]
        newest = admin_client.get(reverse("audit-log"), {"action": "test.bulk", "after": all_ids[50]})
        assert event_rows(newest) == all_ids[:50]
        assert admin_client.get(reverse("audit-log"), {"before": "abc"}).status_code == 200

    def test_htmx_gets_the_fragment(self, admin_client, history) -> None:  # type: ignore[no-untyped-def]
        response = admin_client.get(reverse("audit-log"), {"action": "pool.add"}, HTTP_HX_REQUEST="true")
        html = html_of(response)
        assert "<html" not in html and 'id="audit-table"' in html
        assert "HX-Request" in response["Vary"]
