"""Account management and the audit log: ``accounts.services``, the password rules, and the API
(``/api/v1/users/``, ``/api/v1/audit-events/``). Events are produced by the real services and API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import services
from core.models import AppendOnlyError, AuditEvent
from privacy import services as privacy_services
from talent import services as talent_services
from talent.models import Organization, Role
from tests.factories import make_candidate, make_org, make_user

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Hoa-Sen-Tháng-5"
User = get_user_model()


@pytest.fixture(autouse=True)
def _fresh_throttles():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def enterprise(org_tree):  # type: ignore[no-untyped-def]
    return make_org("Công ty Cổ phần Sáng Tạo", kind=Organization.Kind.ENTERPRISE, code="EN-ST")


@pytest.fixture
def staff(org_tree):  # type: ignore[no-untyped-def]
    """One signed-in user per non-administrator role."""
    candidate = make_candidate(org_tree.faculty, "Lê Thị Nga", gender="female")
    student = make_user(Role.STUDENT, org_tree.faculty, username="student_t")
    candidate.user = student
    candidate.save(update_fields=["user"])
    return {
        Role.OFFICER: make_user(Role.OFFICER, org_tree.city, username="officer_s"),
        Role.LIAISON: make_user(Role.LIAISON, org_tree.uni, username="liaison_s"),
        Role.RECRUITER: make_user(Role.RECRUITER, org_tree.agency, username="recruiter_s"),
        Role.STUDENT: student,
    }


def create(admin, **kwargs):  # type: ignore[no-untyped-def]
    return services.user_create(actor=admin, **{"password": GOOD_PASSWORD, **kwargs})


def errors_of(exc_info) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return exc_info.value.message_dict


# --- Roles and organizations -------------------------------------------------------------------

class TestRoleOrganizationRules:
    @pytest.mark.parametrize("role, org_name", [
        (Role.OFFICER, "city"), (Role.OFFICER, "ward_a"),
        (Role.LIAISON, "uni"), (Role.LIAISON, "faculty"),
        (Role.RECRUITER, "agency"), (Role.RECRUITER, "enterprise"),
        (Role.ADMIN, "city"), (Role.ADMIN, None),
    ])
    def test_allowed(self, org_tree, enterprise, admin_user, role, org_name) -> None:  # type: ignore[no-untyped-def]
        org = enterprise if org_name == "enterprise" else getattr(org_tree, org_name) if org_name else None
        user = create(admin_user, username=f"u-{role}-{org_name}", role=role, organization=org)
        assert user.profile.role == role
        assert user.profile.organization == org
        assert user.is_superuser is (role == Role.ADMIN) and user.is_staff is (role == Role.ADMIN)
        assert user.check_password(GOOD_PASSWORD)

    @pytest.mark.parametrize("role, org_name", [
        (Role.OFFICER, "uni"), (Role.OFFICER, "agency"), (Role.OFFICER, "school_a"),
        (Role.LIAISON, "city"), (Role.LIAISON, "agency"),
        (Role.RECRUITER, "city"), (Role.RECRUITER, "faculty"),
    ])
    def test_wrong_kind_is_refused(self, org_tree, admin_user, role, org_name) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationError) as exc:
            create(admin_user, username="nobody", role=role, organization=getattr(org_tree, org_name))
        assert "Đơn vị của vai trò này phải là" in errors_of(exc)["organization"][0]
        assert not User.objects.filter(username="nobody").exists()

    @pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON, Role.RECRUITER])
    def test_staff_roles_need_an_organization(self, admin_user, role) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationError) as exc:
            create(admin_user, username="nobody", role=role)
        assert errors_of(exc)["organization"] == ["Vai trò này cần một đơn vị."]

    def test_unknown_role(self, admin_user) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationError) as exc:
            create(admin_user, username="nobody", role="superhero")
        assert errors_of(exc)["role"] == ["Vai trò không hợp lệ."]

    def test_creation_is_audited_without_the_password(self, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        user = create(admin_user, username="can.bo", role=Role.OFFICER, organization=org_tree.ward_a,
                      email="Can.Bo@Doan.vn", full_name="Trần Thị Mai")
        assert (user.email, user.first_name, user.last_name) == ("can.bo@doan.vn", "Trần Thị", "Mai")
        event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
        assert event.actor == admin_user and event.object_type == "auth.user"
        # The account is the event's object; its name (personal) is not copied into the log.
        assert event.changes == {"role": "officer", "organization": org_tree.ward_a.pk, "candidate": None}
        assert GOOD_PASSWORD not in str(event.changes)


class TestStudentAccounts:
    def test_student_is_linked_to_a_free_candidate(self, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.school_b, "Phạm Minh Khoa")
        user = create(admin_user, username="khoa.pm", role=Role.STUDENT, candidate=candidate)
        candidate.refresh_from_db()
        assert candidate.user == user
        # The home organization is the record's, whatever was (not) chosen.
        assert user.profile.organization == org_tree.school_b
        assert AuditEvent.objects.get(action="user.create").changes["candidate"] == candidate.pk

    def test_student_needs_a_candidate(self, admin_user) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationError) as exc:
            create(admin_user, username="khoa.pm", role=Role.STUDENT)
        assert errors_of(exc)["candidate"] == ["Tài khoản sinh viên phải gắn với một hồ sơ ứng viên."]

    def test_candidate_that_already_has_an_account(self, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.school_b, "Phạm Minh Khoa")
        create(admin_user, username="khoa.pm", role=Role.STUDENT, candidate=candidate)
        with pytest.raises(ValidationError) as exc:
            create(admin_user, username="khoa.pm2", role=Role.STUDENT, candidate=candidate)
        assert errors_of(exc)["candidate"] == ["Hồ sơ này đã có tài khoản."]

    def test_erased_candidate(self, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.school_b, "Phạm Minh Khoa")
        privacy_services.anonymize(candidate=candidate, actor=admin_user)
        candidate.refresh_from_db()
        with pytest.raises(ValidationError) as exc:
            create(admin_user, username="khoa.pm", role=Role.STUDENT, candidate=candidate)
        assert errors_of(exc)["candidate"] == ["Hồ sơ này đã được ẩn danh."]

    def test_organization_must_be_the_records(self, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.school_b, "Phạm Minh Khoa")
        with pytest.raises(ValidationError) as exc:
            create(admin_user, username="khoa.pm", role=Role.STUDENT, candidate=candidate,
                   organization=org_tree.school_a)
        assert "organization" in errors_of(exc)

    def test_only_students_are_linked_to_a_candidate(self, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.school_b, "Phạm Minh Khoa")
        with pytest.raises(ValidationError) as exc:
            create(admin_user, username="khoa.pm", role=Role.OFFICER, organization=org_tree.city,
                   candidate=candidate)
        assert errors_of(exc)["candidate"] == ["Chỉ tài khoản sinh viên mới gắn với hồ sơ ứng viên."]


class TestUsernames:
    def test_duplicate_is_case_insensitive(self, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        create(admin_user, username="nguyenvana", role=Role.OFFICER, organization=org_tree.city)
        with pytest.raises(ValidationError) as exc:
            create(admin_user, username="NguyenVanA", role=Role.OFFICER, organization=org_tree.city)
        assert errors_of(exc)["username"] == ["Tên đăng nhập «nguyenvana» đã được dùng."]
        assert User.objects.filter(username__iexact="nguyenvana").count() == 1

    def test_duplicate_of_an_existing_mixed_case_account(self, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        make_user(Role.OFFICER, org_tree.city, username="TranBinh")
        with pytest.raises(ValidationError) as exc:
            create(admin_user, username="tranbinh", role=Role.OFFICER, organization=org_tree.city)
        assert "username" in errors_of(exc)

    @pytest.mark.parametrize("username", ["ab", "nguyễn", "có dấu cách", "x" * 65, "", "a/b"])
    def test_format(self, org_tree, admin_user, username) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationError) as exc:
            create(admin_user, username=username, role=Role.OFFICER, organization=org_tree.city)
        assert errors_of(exc)["username"][0].startswith("Tên đăng nhập gồm 3–64 ký tự")


class TestPasswords:
    @pytest.mark.parametrize("password, messages", [
        ("Ab-1", ["Mật khẩu quá ngắn: cần ít nhất 8 ký tự."]),
        ("20262026", ["Mật khẩu không được chỉ gồm chữ số."]),
        ("12345678", ["Mật khẩu này quá phổ biến, dễ bị đoán ra.", "Mật khẩu không được chỉ gồm chữ số."]),
        ("password123", ["Mật khẩu này quá phổ biến, dễ bị đoán ra."]),
        ("hoangthuy2", ["Mật khẩu quá giống với tên đăng nhập."]),
        ("lan.mai@doan.vn", ["Mật khẩu quá giống với email."]),
        ("", ["Mật khẩu quá ngắn: cần ít nhất 8 ký tự."]),
    ])
    def test_weak_passwords_are_refused_in_vietnamese(self, org_tree, admin_user, password, messages) -> None:  # type: ignore[no-untyped-def]
        with translation.override("vi"), pytest.raises(ValidationError) as exc:
            create(admin_user, username="hoangthuy", role=Role.OFFICER, organization=org_tree.city,
                   email="lan.mai@doan.vn", password=password)
        assert errors_of(exc)["password"] == messages
        assert not User.objects.filter(username="hoangthuy").exists()

    def test_every_error_is_reported_at_once(self, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        with translation.override("vi"), pytest.raises(ValidationError) as exc:
            create(admin_user, username="x", role=Role.OFFICER, organization=org_tree.agency, password="1")
        assert set(errors_of(exc)) == {"username", "organization", "password"}

    def test_help_texts_are_vietnamese(self) -> None:
        from django.contrib.auth.password_validation import password_validators_help_texts

        with translation.override("vi"):
            texts = password_validators_help_texts()
        assert texts == [
            "Mật khẩu không được giống tên đăng nhập, họ tên hoặc email.",
            "Mật khẩu có ít nhất 8 ký tự.",
            "Không dùng mật khẩu phổ biến (như 12345678, password123).",
            "Mật khẩu không được chỉ gồm chữ số.",
        ]

    def test_validators_keep_djangos_error_codes(self) -> None:
        from django.contrib.auth.password_validation import validate_password

        with pytest.raises(ValidationError) as exc:
            validate_password("1234", user=User(username="someone"))
        assert [e.code for e in exc.value.error_list] == [
            "password_too_short", "password_too_common", "password_entirely_numeric"]


# --- Only administrators -----------------------------------------------------------------------

class TestOnlyAdministrators:
    @pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON, Role.RECRUITER, Role.STUDENT])
    def test_create(self, org_tree, staff, role) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(PermissionDenied):
            create(staff[role], username="sneaky", role=Role.ADMIN)
        assert not User.objects.filter(username="sneaky").exists()

    @pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON, Role.RECRUITER, Role.STUDENT])
    def test_set_active(self, org_tree, staff, admin_user, role) -> None:  # type: ignore[no-untyped-def]
        target = make_user(Role.OFFICER, org_tree.ward_b, username="target")
        with pytest.raises(PermissionDenied):
            services.user_set_active(actor=staff[role], user=target, active=False)
        target.refresh_from_db()
        assert target.is_active


# --- Deactivation ------------------------------------------------------------------------------

class TestDeactivation:
    def test_revokes_tokens_and_blocks_sign_in(self, client, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        user = create(admin_user, username="tam.le", role=Role.OFFICER, organization=org_tree.city)
        token = Token.objects.create(user=user)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert api.get("/api/v1/candidates/").status_code == 200
        assert client.login(username="tam.le", password=GOOD_PASSWORD)

        services.user_set_active(actor=admin_user, user=user, active=False)

        user.refresh_from_db()
        assert not user.is_active
        assert not Token.objects.filter(user=user).exists()
        assert api.get("/api/v1/candidates/").status_code == 401
        # The open session ends too: the session backend refuses an inactive user.
        assert client.get("/candidates/").status_code == 302
        assert not client.login(username="tam.le", password=GOOD_PASSWORD)
        page = client.post("/accounts/login/", {"username": "tam.le", "password": GOOD_PASSWORD},
                           REMOTE_ADDR="10.9.9.9")
        assert page.status_code == 200  # the login form again, not a redirect into the app
        assert client.get("/candidates/").status_code == 302
        token_answer = APIClient().post("/api/v1/auth/token/", {"username": "tam.le", "password": GOOD_PASSWORD},
                                        format="json", REMOTE_ADDR="10.9.9.8")
        assert token_answer.status_code == 400
        assert AuditEvent.objects.filter(action="user.deactivate", object_id=str(user.pk), actor=admin_user).count() == 1

    def test_reactivation_lets_the_user_back_in(self, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        user = create(admin_user, username="tam.le", role=Role.OFFICER, organization=org_tree.city)
        services.user_set_active(actor=admin_user, user=user, active=False)
        services.user_set_active(actor=admin_user, user=user, active=True)
        user.refresh_from_db()
        assert user.is_active and user.check_password(GOOD_PASSWORD)
        assert list(AuditEvent.objects.filter(object_id=str(user.pk), object_type="auth.user")
                    .order_by("id").values_list("action", flat=True)) == ["user.create", "user.deactivate",
                                                                          "user.activate"]

    def test_repeating_it_writes_no_second_event(self, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        user = create(admin_user, username="tam.le", role=Role.OFFICER, organization=org_tree.city)
        services.user_set_active(actor=admin_user, user=user, active=False)
        services.user_set_active(actor=admin_user, user=user, active=False)
        assert AuditEvent.objects.filter(action="user.deactivate").count() == 1

    def test_an_administrator_cannot_deactivate_themselves(self, admin_user) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationError) as exc:
            services.user_set_active(actor=admin_user, user=admin_user, active=False)
        assert errors_of(exc)["user"] == ["Bạn không thể tự khoá tài khoản của mình."]
        admin_user.refresh_from_db()
        assert admin_user.is_active

    def test_erased_accounts_cannot_be_reactivated(self, org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.school_a, "Võ Thị Sáu", gender="female")
        user = create(admin_user, username="vo.sau", role=Role.STUDENT, candidate=candidate)
        privacy_services.anonymize(candidate=candidate, actor=admin_user)
        user.refresh_from_db()
        assert user.username == f"erased-{user.pk}" and not user.is_active
        with pytest.raises(ValidationError) as exc:
            services.user_set_active(actor=admin_user, user=user, active=True)
        assert errors_of(exc)["user"] == ["Tài khoản của hồ sơ đã ẩn danh không thể mở lại."]
        user.refresh_from_db()
        assert not user.is_active


# --- API: accounts -----------------------------------------------------------------------------

USER_FIELDS = {"id", "username", "email", "role", "organization", "organization_name", "candidate", "is_active",
               "last_login", "date_joined"}


class TestUsersApi:
    def test_admin_creates_a_student_account(self, org_tree, admin_user, api_as) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.faculty, "Đặng Thuỳ Trâm", gender="female")
        response = api_as(admin_user).post("/api/v1/users/", {
            "username": "tram.dang", "password": GOOD_PASSWORD, "role": "student", "candidate": candidate.pk,
        }, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert set(body) == USER_FIELDS
        assert body["username"] == "tram.dang" and body["role"] == "student"
        assert body["organization"] == org_tree.faculty.pk and body["candidate"] == candidate.pk
        assert body["is_active"] is True and body["last_login"] is None
        assert "password" not in response.content.decode()

    def test_admin_creates_a_recruiter(self, org_tree, admin_user, api_as) -> None:  # type: ignore[no-untyped-def]
        response = api_as(admin_user).post("/api/v1/users/", {
            "username": "hr.noivu", "password": GOOD_PASSWORD, "role": "recruiter",
            "organization": org_tree.agency.pk, "email": "hr@noivu.gov.vn", "full_name": "Lý Thường Kiệt",
        }, format="json")
        assert response.status_code == 201
        body = response.json()
        assert (body["organization"], body["organization_name"], body["candidate"], body["email"]) == (
            org_tree.agency.pk, "Sở Nội vụ", None, "hr@noivu.gov.vn")

    def test_errors_are_per_field_in_vietnamese(self, org_tree, admin_user, api_as) -> None:  # type: ignore[no-untyped-def]
        response = api_as(admin_user).post("/api/v1/users/", {
            "username": "hr.noivu", "password": "12345678", "role": "officer", "organization": org_tree.agency.pk,
        }, format="json")
        assert response.status_code == 400
        body = response.json()
        assert body["password"] == ["Mật khẩu này quá phổ biến, dễ bị đoán ra.", "Mật khẩu không được chỉ gồm chữ số."]
        assert body["organization"][0].startswith("Đơn vị của vai trò này phải là")
        assert not User.objects.filter(username="hr.noivu").exists()

    def test_short_password_message_is_vietnamese_even_for_an_english_client(self, org_tree, admin_user,  # type: ignore[no-untyped-def]
                                                                            api_as) -> None:
        response = api_as(admin_user).post("/api/v1/users/", {
            "username": "hr.noivu", "password": "Ab-1", "role": "admin",
        }, format="json")
        assert response.status_code == 400
        assert response.json()["password"] == ["Mật khẩu quá ngắn: cần ít nhất 8 ký tự."]

    @pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON, Role.RECRUITER, Role.STUDENT])
    def test_others_get_403(self, org_tree, staff, api_as, role) -> None:  # type: ignore[no-untyped-def]
        client = api_as(staff[role])
        payload = {"username": "sneaky", "password": GOOD_PASSWORD, "role": "admin"}
        assert client.post("/api/v1/users/", payload, format="json").status_code == 403
        assert client.get("/api/v1/users/").status_code == 403
        assert client.post(f"/api/v1/users/{staff[role].pk}/deactivate/").status_code == 403
        assert not User.objects.filter(username="sneaky").exists()

    def test_anonymous_gets_401(self) -> None:
        client = APIClient()
        assert client.post("/api/v1/users/", {"username": "sneaky", "password": GOOD_PASSWORD, "role": "admin"},
                           format="json").status_code == 401
        assert client.get("/api/v1/users/").status_code == 401
        assert client.get("/api/v1/audit-events/").status_code == 401

    def test_list_filter_and_deactivate(self, org_tree, staff, admin_user, api_as) -> None:  # type: ignore[no-untyped-def]
        client = api_as(admin_user)
        body = client.get("/api/v1/users/").json()
        names = [row["username"] for row in body["results"]]
        assert set(names) == {"admin_t", "officer_s", "liaison_s", "recruiter_s", "student_t"}
        officers = client.get("/api/v1/users/", {"role": "officer"}).json()["results"]
        assert [row["username"] for row in officers] == ["officer_s"]
        student = client.get("/api/v1/users/", {"role": "student"}).json()["results"][0]
        assert student["candidate"] is not None and student["role"] == "student"

        target = staff[Role.RECRUITER]
        Token.objects.create(user=target)
        response = client.post(f"/api/v1/users/{target.pk}/deactivate/")
        assert response.status_code == 200 and response.json()["is_active"] is False
        assert not Token.objects.filter(user=target).exists()
        inactive = client.get("/api/v1/users/", {"is_active": "false"}).json()["results"]
        assert [row["username"] for row in inactive] == ["recruiter_s"]
        assert client.post(f"/api/v1/users/{target.pk}/activate/").json()["is_active"] is True

    def test_self_deactivation_is_a_400(self, admin_user, api_as) -> None:  # type: ignore[no-untyped-def]
        response = api_as(admin_user).post(f"/api/v1/users/{admin_user.pk}/deactivate/")
        assert response.status_code == 400
        assert response.json()["user"] == ["Bạn không thể tự khoá tài khoản của mình."]


# --- API: the audit log ------------------------------------------------------------------------

@pytest.fixture
def shared_world(org_tree, admin_user, staff):  # type: ignore[no-untyped-def]
    """Two candidates in a pool shared with the agency; only ``an`` consents to sharing."""
    officer = staff[Role.OFFICER]
    an = talent_services.candidate_register(actor=officer, full_name="Nguyễn Văn An", gender="male",
                                            date_of_birth=dt.date(2004, 5, 1),
                                            organization=org_tree.school_a)
    binh = talent_services.candidate_register(actor=officer, full_name="Trần Thị Bình", gender="female",
                                              date_of_birth=dt.date(2004, 6, 1),
                                              organization=org_tree.school_b)
    pool = talent_services.pool_create(actor=officer, name="Nguồn tài năng 2026", kind="young_talent",
                                       owner=org_tree.city, shared_with=[org_tree.agency])
    talent_services.pool_add(pool=pool, candidate=an, actor=officer)
    talent_services.pool_add(pool=pool, candidate=binh, actor=officer)
    an_account = services.user_create(actor=admin_user, username="an.nguyen", password=GOOD_PASSWORD,
                                      role=Role.STUDENT, candidate=an)
    privacy_services.consent_set_own(user=an_account, purpose="share_with_recruiters", granted=True)
    return {"an": an, "binh": binh, "pool": pool, "officer": officer, "recruiter": staff[Role.RECRUITER]}


class TestAuditEventsApi:
    def test_recruiter_reads_are_logged_and_filterable(self, shared_world, admin_user, api_as) -> None:  # type: ignore[no-untyped-def]
        an, binh, recruiter = shared_world["an"], shared_world["binh"], shared_world["recruiter"]
        hr = api_as(recruiter)
        listed = hr.get("/api/v1/candidates/").json()["results"]
        assert [row["id"] for row in listed] == [an.pk]  # binh did not consent
        assert hr.get(f"/api/v1/candidates/{an.pk}/").status_code == 200
        assert hr.get(f"/api/v1/candidates/{binh.pk}/").status_code == 404

        client = api_as(admin_user)
        reads = client.get("/api/v1/audit-events/", {"actor": recruiter.username, "candidate": an.pk}).json()
        assert [(row["action"], row["actor"], row["object_id"], row["changes"]["via"]) for row in reads["results"]] == [
            ("candidate.read", "recruiter_s", str(an.pk), "api.detail"),
            ("candidate.read", "recruiter_s", str(an.pk), "api.list"),
        ]
        assert client.get("/api/v1/audit-events/", {"actor": recruiter.username,
                                                    "candidate": binh.pk}).json()["results"] == []

        # Everything about a candidate: the record's own events and those of its parts (pool, consent).
        about_an = client.get("/api/v1/audit-events/", {"candidate": an.pk}).json()["results"]
        assert {row["action"] for row in about_an} == {"candidate.register", "pool.add", "consent.grant", "user.create",
                                                       "candidate.read"}
        by_officer = client.get("/api/v1/audit-events/", {"actor": "officer_s"}).json()["results"]
        assert [row["action"] for row in by_officer] == ["pool.add", "pool.add", "pool.create",
                                                         "candidate.register", "candidate.register"]
        only_reads = client.get("/api/v1/audit-events/", {"action": "candidate.read"}).json()["results"]
        assert len(only_reads) == 2
        assert client.get("/api/v1/audit-events/", {"actor": "nobody"}).json()["results"] == []
        assert client.get("/api/v1/audit-events/", {"candidate": "abc"}).status_code == 400

    def test_newest_first(self, shared_world, admin_user, api_as) -> None:  # type: ignore[no-untyped-def]
        ids = [row["id"] for row in api_as(admin_user).get("/api/v1/audit-events/").json()["results"]]
        assert ids == sorted(ids, reverse=True) and len(ids) == AuditEvent.objects.count()

    @pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON, Role.RECRUITER, Role.STUDENT])
    def test_others_get_403(self, staff, api_as, role) -> None:  # type: ignore[no-untyped-def]
        assert api_as(staff[role]).get("/api/v1/audit-events/").status_code == 403

    def test_read_only_endpoint(self, shared_world, admin_user, api_as) -> None:  # type: ignore[no-untyped-def]
        client = api_as(admin_user)
        event = AuditEvent.objects.order_by("id").first()
        assert client.delete(f"/api/v1/audit-events/{event.pk}/").status_code == 405
        assert client.patch(f"/api/v1/audit-events/{event.pk}/", {"action": "x"}, format="json").status_code == 405
        assert client.post("/api/v1/audit-events/", {"action": "x"}, format="json").status_code == 405


class TestAppendOnly:
    def test_rows_cannot_be_changed_or_deleted(self, shared_world) -> None:  # type: ignore[no-untyped-def]
        count = AuditEvent.objects.count()
        event = AuditEvent.objects.order_by("id").first()
        event.action = "candidate.tampered"
        with pytest.raises(AppendOnlyError):
            event.save()
        with pytest.raises(AppendOnlyError):
            event.delete()
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.filter(pk=event.pk).update(action="candidate.tampered")
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.all().delete()
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.for_user(shared_world["officer"]).delete()
        assert AuditEvent.objects.count() == count
        assert not AuditEvent.objects.filter(action="candidate.tampered").exists()

    def test_new_rows_can_be_added(self, admin_user) -> None:  # type: ignore[no-untyped-def]
        event = AuditEvent(actor=admin_user, action="test.append", object_type="auth.user", object_id="1")
        event.save()
        assert AuditEvent.objects.filter(pk=event.pk).exists()
