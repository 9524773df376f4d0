"""The privacy pages: a student's own record (/me/), consent, export and erasure; the officers'
erasure queue; the staff consent panel and the download of signed consent forms.

Fixtures ``org_tree``, ``officer`` (city union), ``ward_officer`` (ward A only) and ``admin_user``
come from tests/conftest.py; data is built through the services by tests/factories.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from privacy import services as privacy_services
from privacy.models import Consent, ErasureRequest
from privacy.rules import has_consent
from talent import selectors, services
from talent.models import Achievement, Candidate, LanguageCertificate, Role, Stage, VerificationStatus
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Sv-pass-2026"
CCCD = "079306001234"
SHARE = Consent.Purpose.SHARE_WITH_RECRUITERS
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _link(candidate: Candidate, user) -> Candidate:  # type: ignore[no-untyped-def]
    candidate.user = user
    candidate.save(update_fields=["user"])
    return candidate


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def student(org_tree):  # type: ignore[no-untyped-def]
    return make_user(Role.STUDENT, org_tree.faculty, username="sv_mai", password=PASSWORD)


@pytest.fixture
def mai(org_tree, student, officer):  # type: ignore[no-untyped-def]
    """A university student (19) with an account, some records, a verified and a pending achievement."""
    candidate = make_candidate(org_tree.faculty, "Trần Thị Mai", gender="female", date_of_birth=dt.date(2006, 5, 2),
                               citizen_id=CCCD, email="mai@example.vn", phone="0912345678")
    _link(candidate, student)
    services.achievement_add(candidate=candidate, actor=officer, category="olympiad", level="national", year=2024,
                             title="Giải Nhì Olympic Tin học", verified=True)
    services.candidate_advance(candidate=candidate, to_stage=Stage.NOMINATED, reason="Khoa giới thiệu", actor=officer)
    return candidate


@pytest.fixture
def liaison(org_tree):  # type: ignore[no-untyped-def]
    return make_user(Role.LIAISON, org_tree.uni, username="liaison_t")


@pytest.fixture
def recruiter(org_tree):  # type: ignore[no-untyped-def]
    return make_user(Role.RECRUITER, org_tree.agency, username="recruiter_t")


@pytest.fixture
def child(org_tree):  # type: ignore[no-untyped-def]
    """A 14-year-old pupil in ward A with an account: consent needs a guardian too."""
    today = timezone.localdate()
    candidate = make_candidate(org_tree.school_a, "Lê Minh Khôi", date_of_birth=dt.date(today.year - 14, 1, 1))
    return _link(candidate, make_user(Role.STUDENT, org_tree.school_a, username="sv_khoi", password=PASSWORD))


@pytest.fixture
def ward_b_student(org_tree):  # type: ignore[no-untyped-def]
    """A student in ward B (outside the ward A officer's scope) with a pending erasure request."""
    candidate = make_candidate(org_tree.school_b, "Phạm Văn Bình", date_of_birth=dt.date(2007, 8, 9))
    user = make_user(Role.STUDENT, org_tree.school_b, username="sv_binh", password=PASSWORD)
    _link(candidate, user)
    return candidate


def pdf(name: str = "dong-y.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def html_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def state(candidate: Candidate, purpose: str = SHARE) -> bool:
    return Candidate.objects.filter(pk=candidate.pk).filter(has_consent(purpose)).exists()


# --- Who gets in --------------------------------------------------------------------------------------

class TestAccess:
    @pytest.mark.parametrize("name, args", [
        ("me-profile", []), ("me-export", []), ("erasure-queue", []), ("erasure-decide", [1]),
        ("candidate-consents", [1]), ("consent-evidence", [1]),
    ])
    def test_anonymous_goes_to_login(self, client, name, args) -> None:  # type: ignore[no-untyped-def]
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    @pytest.mark.parametrize("name", ["me-contact", "me-achievement-add", "me-language-add", "me-consent",
                                      "me-erasure"])
    def test_anonymous_posts_go_to_login(self, client, name) -> None:  # type: ignore[no-untyped-def]
        response = client.post(reverse(name), {})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    @pytest.mark.parametrize("role", ["officer", "liaison", "recruiter", "admin"])
    def test_accounts_without_a_record_get_a_friendly_page(self, client, request, role) -> None:  # type: ignore[no-untyped-def]
        user = request.getfixturevalue({"admin": "admin_user"}.get(role, role))
        client.force_login(user)
        response = client.get(reverse("me-profile"))
        assert response.status_code == 200
        assert "không gắn với hồ sơ ứng viên nào" in html_of(response)
        # ... and nothing to download, change or erase.
        assert client.get(reverse("me-export")).status_code == 404
        assert client.post(reverse("me-consent"), {"purpose": SHARE, "granted": "1"}).status_code == 404
        assert client.post(reverse("me-erasure"), {"confirm": "on"}).status_code == 404
        assert client.post(reverse("me-contact"), {"phone": "0912345678"}).status_code == 404

    def test_student_sees_their_own_record(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        response = client.get(reverse("me-profile"))
        html = html_of(response)
        assert response.status_code == 200
        assert re.search(r"<title>\s*Hồ sơ của tôi", html)
        for text in ("Trần Thị Mai", "Khoa Khoa học Máy tính", "Được giới thiệu", "079******234", "02/05/2006",
                     "Giải Nhì Olympic Tin học", "Đã xác minh", "Khoa giới thiệu", "Lịch sử giai đoạn",
                     "Tải dữ liệu của tôi", "Sự đồng ý của tôi", "Yêu cầu xoá dữ liệu"):
            assert text in html, text
        assert CCCD not in html
        assert f'href="{reverse("me-export")}"' in html
        # The student sees the history, never the stage-change form.
        assert reverse("candidate-advance", args=[mai.pk]) not in html

    @pytest.mark.parametrize("role, expected", [("admin", 200), ("officer", 200), ("liaison", 403),
                                                ("recruiter", 403), ("student", 302)])
    def test_erasure_queue_is_for_officers_and_admins(self, client, request, role, expected,
                                                      ward_b_student) -> None:  # type: ignore[no-untyped-def]
        erasure = privacy_services.erasure_request(user=ward_b_student.user, reason="Không muốn tham gia nữa")
        user = request.getfixturevalue({"admin": "admin_user"}.get(role, role))
        client.force_login(user)
        response = client.get(reverse("erasure-queue"))
        assert response.status_code == expected  # a student is sent to /me/
        assert client.get(reverse("erasure-decide", args=[erasure.pk])).status_code == expected
        assert client.post(reverse("erasure-decide", args=[erasure.pk]),
                           {"decision": "approve", "approve-confirm": "on"}).status_code in (expected, 302, 403)
        erasure.refresh_from_db()
        assert erasure.status == (ErasureRequest.Status.APPROVED if expected == 200 else ErasureRequest.Status.PENDING)

    @pytest.mark.parametrize("role, expected", [("admin", 200), ("officer", 200), ("liaison", 200),
                                                ("recruiter", 403), ("student", 302)])
    def test_consent_panel_roles(self, client, request, role, expected, mai) -> None:  # type: ignore[no-untyped-def]
        user = request.getfixturevalue({"admin": "admin_user"}.get(role, role))
        client.force_login(user)
        response = client.get(reverse("candidate-consents", args=[mai.pk]))
        assert response.status_code == expected  # a student is sent to /me/
        response = client.post(reverse("candidate-consents", args=[mai.pk]),
                               {"purpose": SHARE, "given_by": "self", "evidence": pdf()})
        assert response.status_code == (302 if expected == 200 else 403)
        assert Consent.objects.filter(candidate=mai).exists() == (expected == 200)

    def test_out_of_scope_officer_gets_404(self, client, ward_officer, ward_b_student) -> None:  # type: ignore[no-untyped-def]
        erasure = privacy_services.erasure_request(user=ward_b_student.user)
        client.force_login(ward_officer)
        assert client.get(reverse("erasure-decide", args=[erasure.pk])).status_code == 404
        assert client.post(reverse("erasure-decide", args=[erasure.pk]),
                           {"decision": "approve", "approve-confirm": "on"}).status_code == 404
        assert client.post(reverse("erasure-decide", args=[erasure.pk]),
                           {"decision": "reject", "reject-note": "Không"}).status_code == 404
        assert "Phạm Văn Bình" not in html_of(client.get(reverse("erasure-queue")))
        assert client.get(reverse("candidate-consents", args=[ward_b_student.pk])).status_code == 404
        assert client.post(reverse("candidate-consents", args=[ward_b_student.pk]),
                           {"purpose": SHARE, "given_by": "self", "evidence": pdf()}).status_code == 404
        assert client.post(reverse("candidate-consent-withdraw", args=[ward_b_student.pk]),
                           {"purpose": SHARE}).status_code == 404
        erasure.refresh_from_db()
        assert erasure.status == ErasureRequest.Status.PENDING
        assert not Consent.objects.filter(candidate=ward_b_student).exists()

    def test_missing_ids_are_404(self, client, officer) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        for name in ("erasure-decide", "candidate-consents", "consent-evidence"):
            assert client.get(reverse(name, args=[999999])).status_code == 404, name


# --- Contact details, achievements, languages ----------------------------------------------------------

class TestSelfService:
    def test_contact_edit_saves_and_is_audited(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        response = client.post(reverse("me-contact"), {
            "email": "Mai.Tran@Example.vn", "phone": "0987 654 321", "home_address": "12 Lê Lợi, phường Sài Gòn",
            "aspirations": "Làm việc tại Sở Khoa học và Công nghệ", "full_name": "Tên Khác",
        })
        assert response.status_code == 302
        assert response["Location"] == reverse("me-profile") + "#contact"
        mai.refresh_from_db()
        assert (mai.email, mai.phone, mai.home_address) == ("mai.tran@example.vn", "0987654321",
                                                            "12 Lê Lợi, phường Sài Gòn")
        assert mai.aspirations == "Làm việc tại Sở Khoa học và Công nghệ"
        assert mai.full_name == "Trần Thị Mai"  # not a self-service field
        event = AuditEvent.objects.get(action="candidate.self_update", object_id=str(mai.pk))
        assert event.actor == student and event.changes["phone"] == "***"
        assert "Đã lưu thông tin liên hệ" in html_of(client.get(reverse("me-profile")))

    def test_bad_phone_shows_the_vietnamese_error_and_changes_nothing(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        response = client.post(reverse("me-contact"), {"email": "moi@example.vn", "phone": "12345",
                                                       "home_address": "Địa chỉ mới", "aspirations": ""})
        html = html_of(response)
        assert response.status_code == 400
        assert "Số điện thoại di động không hợp lệ (ví dụ 0912345678)." in html
        assert re.search(r'class="field[^"]*has-error', html)
        assert 'value="12345"' in html  # what was typed stays in the form
        mai.refresh_from_db()
        assert (mai.email, mai.phone, mai.home_address) == ("mai@example.vn", "0912345678", "")
        assert not AuditEvent.objects.filter(action="candidate.self_update").exists()

    def test_bad_email_is_refused(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        response = client.post(reverse("me-contact"), {"email": "khong-phai-email", "phone": "0912345678"})
        assert response.status_code == 400
        assert "Địa chỉ email không hợp lệ." in html_of(response)
        mai.refresh_from_db()
        assert mai.email == "mai@example.vn"

    def test_added_achievement_is_pending(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        response = client.post(reverse("me-achievement-add"), {
            "title": "Giải Ba Euréka 2025", "category": "research", "level": "national", "award_rank": "third",
            "year": "2025", "evidence": "QĐ 1875/QĐ-TĐTN", "verification_status": "verified", "verified": "on",
        })
        assert response.status_code == 302
        achievement = Achievement.objects.get(candidate=mai, title="Giải Ba Euréka 2025")
        assert achievement.verification_status == VerificationStatus.PENDING
        assert achievement.verified_by is None
        html = html_of(client.get(reverse("me-profile")))
        row = re.search(rf'<tr data-achievement-id="{achievement.pk}">.*?</tr>', html, re.S)
        assert row and "Chờ xác minh" in row.group(0)

    def test_achievement_errors_are_shown(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        response = client.post(reverse("me-achievement-add"), {"title": "", "category": "olympiad",
                                                               "level": "galaxy", "year": "1800"})
        html = html_of(response)
        assert response.status_code == 400
        assert "Tên thành tích là bắt buộc." in html and "Cấp thành tích không hợp lệ." in html
        assert re.search(r"<details[^>]*open", html)  # the add form stays open with its errors
        assert Achievement.objects.filter(candidate=mai).count() == 1

    def test_year_out_of_range_comes_back_from_the_service(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        response = client.post(reverse("me-achievement-add"), {"title": "Giải tương lai", "category": "other",
                                                               "level": "school", "year": "2999"})
        assert response.status_code == 400
        assert "Năm đạt thành tích không hợp lệ." in html_of(response)

    def test_added_language_certificate_is_pending(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        response = client.post(reverse("me-language-add"), {"language": "en", "level": "5", "certificate": "IELTS 7.5",
                                                            "issued_on": "19/07/2025"})
        assert response.status_code == 302
        cert = LanguageCertificate.objects.get(candidate=mai)
        assert (cert.level, cert.issued_on, cert.verification_status) == (5, dt.date(2025, 7, 19),
                                                                          VerificationStatus.PENDING)
        html = html_of(client.get(reverse("me-profile")))
        assert "IELTS 7.5" in html and "19/07/2025" in html

    def test_language_errors_are_shown(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        response = client.post(reverse("me-language-add"), {"language": "en", "level": "9", "issued_on": "2025-07-19"})
        html = html_of(response)
        assert response.status_code == 400
        assert "Bậc ngoại ngữ phải từ 1 đến 6" in html and "dd/mm/yyyy" in html
        assert not LanguageCertificate.objects.filter(candidate=mai).exists()

    def test_profile_query_count_does_not_grow_with_records(self, client, student, mai, officer,
                                                            django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        client.get(reverse("me-profile"))  # warm up (session, content types)
        with django_assert_max_num_queries(12) as small:
            assert client.get(reverse("me-profile")).status_code == 200
        for i in range(8):
            services.achievement_add(candidate=mai, actor=student, category="other", level="school", year=2025,
                                     title=f"Thành tích {i}")
            services.language_certificate_add(candidate=mai, actor=student, language="fr", level=1 + i % 6)
        privacy_services.consent_set_own(user=student, purpose=SHARE, granted=True)
        privacy_services.consent_set_own(user=student, purpose=SHARE, granted=False)
        privacy_services.consent_set_own(user=student, purpose=Consent.Purpose.PROCESS_PROFILE, granted=True)
        services.candidate_advance(candidate=mai, to_stage=Stage.POOL, actor=officer)
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(reverse("me-profile")).status_code == 200


# --- Consent --------------------------------------------------------------------------------------------

class TestOwnConsent:
    def test_grant_and_withdraw_change_the_state(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        assert not state(mai)
        html = html_of(client.get(reverse("me-profile")))
        row = re.search(rf'data-purpose="{SHARE}".*?</li>', html, re.S).group(0)
        assert "Chưa đồng ý" in row and 'name="granted" value="1"' in row

        response = client.post(reverse("me-consent"), {"purpose": SHARE, "granted": "1"})
        assert response.status_code == 302 and response["Location"].endswith("#consents")
        assert state(mai)
        consent = Consent.objects.get(candidate=mai, purpose=SHARE)
        assert consent.given_by == Consent.GivenBy.SELF and consent.recorded_by == student
        html = html_of(client.get(reverse("me-profile")))
        row = re.search(rf'data-purpose="{SHARE}".*?</li>', html, re.S).group(0)
        assert "Đang đồng ý" in row and "Bạn tự đồng ý lúc" in row and 'name="granted" value="0"' in row
        assert "Bạn đã đồng ý" in html

        assert client.post(reverse("me-consent"), {"purpose": SHARE, "granted": "0"}).status_code == 302
        assert not state(mai)
        assert AuditEvent.objects.filter(action="consent.withdraw", actor=student).count() == 1
        html = html_of(client.get(reverse("me-profile")))
        row = re.search(rf'data-purpose="{SHARE}".*?</li>', html, re.S).group(0)
        assert "Đã rút lại lúc" in row

    def test_htmx_gets_only_the_consent_section(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        response = client.post(reverse("me-consent"), {"purpose": "contact_about_events", "granted": "1"},
                               HTTP_HX_REQUEST="true")
        html = html_of(response)
        assert response.status_code == 200
        assert "<html" not in html and html.strip().startswith('<section class="card consent-section" id="consents"')
        assert "Bạn đã đồng ý: «Liên hệ về sự kiện»." in html
        assert "HX-Request" in response["Vary"]
        assert state(mai, "contact_about_events")

    def test_forms_work_with_and_without_htmx(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        html = html_of(client.get(reverse("me-profile")))
        forms = re.findall(r'<form method="post" action="/me/consents/"[^>]*>', html)
        assert len(forms) == 3
        assert all('hx-post="/me/consents/"' in f and 'hx-target="#consents"' in f for f in forms)

    def test_under_16_grant_is_refused_with_the_explanation(self, client, child) -> None:  # type: ignore[no-untyped-def]
        client.force_login(child.user)
        html = html_of(client.get(reverse("me-profile")))
        assert "Bạn chưa đủ 16 tuổi" in html
        assert 'name="granted" value="1"' not in html  # no button that can only fail
        assert "Chưa ghi nhận sự đồng ý của cha mẹ / người giám hộ." in html

        response = client.post(reverse("me-consent"), {"purpose": SHARE, "granted": "1"}, follow=True)
        assert "chưa đủ 16 tuổi: sự đồng ý cần cả cha mẹ hoặc người giám hộ" in html_of(response)
        assert not Consent.objects.filter(candidate=child).exists()

        fragment = html_of(client.post(reverse("me-consent"), {"purpose": SHARE, "granted": "1"},
                                       HTTP_HX_REQUEST="true"))
        assert 'class="alert alert-error"' in fragment and "người giám hộ" in fragment
        assert not state(child)

    def test_under_16_can_withdraw_what_staff_recorded(self, client, child, ward_officer) -> None:  # type: ignore[no-untyped-def]
        privacy_services.consent_record(actor=ward_officer, candidate=child, purpose=SHARE, given_by="self",
                                        evidence=pdf())
        privacy_services.consent_record(actor=ward_officer, candidate=child, purpose=SHARE, given_by="guardian",
                                        guardian_name="Lê Văn Cha", evidence=pdf())
        assert state(child)
        client.force_login(child.user)
        html = html_of(client.get(reverse("me-profile")))
        row = re.search(rf'data-purpose="{SHARE}".*?</li>', html, re.S).group(0)
        assert "Đang đồng ý" in row and "Lê Văn Cha" in row and "được cán bộ ghi nhận" in row
        assert client.post(reverse("me-consent"), {"purpose": SHARE, "granted": "0"}).status_code == 302
        assert not state(child)

    def test_bad_purpose_is_refused(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        response = client.post(reverse("me-consent"), {"purpose": "sell_data", "granted": "1"}, follow=True)
        assert "Mục đích không hợp lệ." in html_of(response)
        assert not Consent.objects.exists()


# --- Export ------------------------------------------------------------------------------------------------

class TestExport:
    def test_download_is_readable_json_and_audited(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        response = client.get(reverse("me-export"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="du-lieu-cua-toi.json"'
        assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
        body = response.content
        assert "Trần Thị Mai".encode() in body  # UTF-8, not \\u escapes
        assert b'\n  "profile": {' in body  # pretty-printed
        data = json.loads(body)
        assert data["profile"]["full_name"] == "Trần Thị Mai"
        assert data["profile"]["citizen_id"] == "079******234"
        assert CCCD not in body.decode()
        assert data["achievements"][0]["title"] == "Giải Nhì Olympic Tin học"
        assert [t["to_stage"] for t in data["stage_history"]] == ["discovered", "nominated"]
        event = AuditEvent.objects.get(action="candidate.subject_export")
        assert event.actor == student and event.object_id == str(mai.pk)

    def test_profile_has_the_download_button(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        html = html_of(client.get(reverse("me-profile")))
        assert re.search(r'<a class="btn[^"]*" href="/me/export/" download="du-lieu-cua-toi.json"[^>]*>'
                         r"Tải dữ liệu của tôi</a>", html)

    def test_post_is_not_allowed(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        assert client.post(reverse("me-export")).status_code == 405


# --- Erasure -----------------------------------------------------------------------------------------------

class TestErasure:
    def test_request_needs_the_confirmation(self, client, student, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(student)
        html = html_of(client.get(reverse("me-profile")))
        for text in ("Bị xoá", "Được giữ lại", "không thể hoàn tác", "Số CCCD, số báo danh"):
            assert text in html, text
        response = client.post(reverse("me-erasure"), {"reason": "Tôi đi du học"})
        assert response.status_code == 400
        assert "Hãy đánh dấu xác nhận" in html_of(response)
        assert not ErasureRequest.objects.exists()

    def test_request_approve_anonymizes_and_closes_the_account(self, client, student, mai, officer) -> None:  # type: ignore[no-untyped-def]
        counts_before = selectors.stage_counts(user=officer)
        client.force_login(student)
        response = client.post(reverse("me-erasure"), {"reason": "Tôi đi du học", "confirm": "on"})
        assert response.status_code == 302
        erasure = ErasureRequest.objects.get(candidate=mai)
        assert erasure.status == ErasureRequest.Status.PENDING
        html = html_of(client.get(reverse("me-profile")))
        assert "đang chờ cán bộ Đoàn phụ trách xem xét" in html and 'action="/me/erasure/"' not in html
        assert "Chờ duyệt" in html
        # A second request while one is pending is refused.
        response = client.post(reverse("me-erasure"), {"confirm": "on"})
        assert response.status_code == 400 and "Bạn đã có một yêu cầu đang chờ duyệt." in html_of(response)

        officer_client = client.__class__()
        officer_client.force_login(officer)
        queue = html_of(officer_client.get(reverse("erasure-queue")))
        assert "Trần Thị Mai" in queue and "Tôi đi du học" in queue
        assert f'href="{reverse("candidate-detail", args=[mai.pk])}"' in queue
        assert f'href="{reverse("erasure-decide", args=[erasure.pk])}"' in queue
        page = officer_client.get(reverse("erasure-decide", args=[erasure.pk]))
        assert page.status_code == 200 and "không thể hoàn tác" in html_of(page)

        # Without ticking the confirmation nothing happens.
        response = officer_client.post(reverse("erasure-decide", args=[erasure.pk]), {"decision": "approve"})
        assert response.status_code == 400 and "Hãy đánh dấu xác nhận trước khi duyệt" in html_of(response)
        erasure.refresh_from_db()
        assert erasure.status == ErasureRequest.Status.PENDING

        response = officer_client.post(reverse("erasure-decide", args=[erasure.pk]),
                                       {"decision": "approve", "approve-confirm": "on"})
        assert response.status_code == 302 and response["Location"] == reverse("erasure-queue")
        erasure.refresh_from_db()
        mai.refresh_from_db()
        student.refresh_from_db()
        assert erasure.status == ErasureRequest.Status.APPROVED and erasure.decided_by == officer
        assert "Trần Thị Mai" not in mai.full_name and mai.full_name.startswith("Ẩn danh")
        assert mai.erased_at is not None and mai.user is None and mai.email == "" and mai.phone == ""
        assert not student.is_active
        assert selectors.stage_counts(user=officer) == counts_before
        assert not client.login(username="sv_mai", password=PASSWORD)
        # The open session ends too: the next page asks to sign in.
        assert client.get(reverse("me-profile")).status_code == 302
        queue = html_of(officer_client.get(reverse("erasure-queue")))
        assert "Đã ẩn danh" in queue and "Trần Thị Mai" not in queue
        assert "Đã duyệt yêu cầu" in queue

    def test_reject_needs_a_note(self, client, student, mai, officer) -> None:  # type: ignore[no-untyped-def]
        erasure = privacy_services.erasure_request(user=student, reason="Lý do riêng")
        client.force_login(officer)
        # From the queue's inline form, without a note.
        response = client.post(reverse("erasure-decide", args=[erasure.pk]), {"decision": "reject", "reject-note": " "})
        assert response.status_code == 400
        assert "Cần ghi lý do khi từ chối yêu cầu xoá dữ liệu." in html_of(response)
        erasure.refresh_from_db()
        assert erasure.status == ErasureRequest.Status.PENDING

        response = client.post(reverse("erasure-decide", args=[erasure.pk]),
                               {"decision": "reject", "reject-note": "Hồ sơ đang trong quy trình tuyển dụng"})
        assert response.status_code == 302
        erasure.refresh_from_db()
        mai.refresh_from_db()
        assert erasure.status == ErasureRequest.Status.REJECTED and mai.full_name == "Trần Thị Mai"
        # Deciding twice is refused with the service's message.
        response = client.post(reverse("erasure-decide", args=[erasure.pk]), {"decision": "approve",
                                                                              "approve-confirm": "on"})
        assert response.status_code == 400 and "Yêu cầu này đã được xử lý." in html_of(response)
        # The student sees the decision and may ask again.
        client.force_login(student)
        html = html_of(client.get(reverse("me-profile")))
        assert "Từ chối" in html and "Hồ sơ đang trong quy trình tuyển dụng" in html
        assert 'action="/me/erasure/"' in html

    def test_queue_lists_pending_first(self, client, officer, mai, student, ward_b_student) -> None:  # type: ignore[no-untyped-def]
        done = privacy_services.erasure_request(user=student)
        privacy_services.erasure_decide(erasure=done, actor=officer, approve=False, note="Chưa đủ điều kiện")
        privacy_services.erasure_request(user=ward_b_student.user, reason="Chuyển công tác")
        client.force_login(officer)
        html = html_of(client.get(reverse("erasure-queue")))
        assert html.index("Phạm Văn Bình") < html.index("Trần Thị Mai")
        assert html.index("Chờ duyệt") < html.index("Đã xử lý") < html.index("Chưa đủ điều kiện")


# --- Staff consent panel and evidence --------------------------------------------------------------------

class TestConsentPanel:
    def test_candidate_page_loads_the_panel_for_managers_only(self, client, officer, student, mai) -> None:  # type: ignore[no-untyped-def]
        url = reverse("candidate-consents", args=[mai.pk])
        client.force_login(officer)
        html = html_of(client.get(reverse("candidate-detail", args=[mai.pk])))
        assert f'hx-get="{url}" hx-trigger="load"' in html
        assert f'<a href="{url}">' in html  # the no-JS fallback
        client.force_login(student)
        html = html_of(client.get(reverse("candidate-detail", args=[mai.pk])))
        assert url not in html

    def test_fragment_for_htmx_page_otherwise(self, client, officer, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        url = reverse("candidate-consents", args=[mai.pk])
        fragment = client.get(url, HTTP_HX_REQUEST="true")
        html = html_of(fragment)
        assert "<html" not in html and 'id="consent-panel"' in html
        assert 'enctype="multipart/form-data"' in html
        assert "HX-Request" in fragment["Vary"]
        page = html_of(client.get(url))
        assert "<html" in page and "Trần Thị Mai" in page and 'id="consent-panel"' in page
        for label in ("Xử lý hồ sơ", "Chia sẻ với nhà tuyển dụng", "Liên hệ về sự kiện"):
            assert label in page

    def test_record_with_evidence_then_withdraw(self, client, officer, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        url = reverse("candidate-consents", args=[mai.pk])
        response = client.post(url, {"purpose": SHARE, "given_by": "self", "note": "Bản ký ngày 12/09/2025",
                                     "evidence": pdf()})
        assert response.status_code == 302 and response["Location"] == url
        consent = Consent.objects.get(candidate=mai, purpose=SHARE)
        assert consent.recorded_by == officer and consent.evidence and consent.evidence_note == "Bản ký ngày 12/09/2025"
        assert state(mai)
        html = html_of(client.get(url))
        assert "Đã ghi nhận sự đồng ý «Chia sẻ với nhà tuyển dụng» (Bản thân)." in html
        assert reverse("consent-evidence", args=[consent.pk]) in html

        response = client.post(reverse("candidate-consent-withdraw", args=[mai.pk]), {"purpose": SHARE},
                               HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "<html" not in html_of(response)
        assert "Đã ghi nhận việc rút lại sự đồng ý «Chia sẻ với nhà tuyển dụng»." in html_of(response)
        consent.refresh_from_db()
        assert consent.withdrawn_by == officer and not state(mai)

    def test_htmx_record_returns_the_panel(self, client, liaison, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(liaison)
        response = client.post(reverse("candidate-consents", args=[mai.pk]),
                               {"purpose": "process_profile", "given_by": "self",
                                "evidence": SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)},
                               HTTP_HX_REQUEST="true")
        html = html_of(response)
        assert response.status_code == 200 and "<html" not in html
        assert 'class="alert alert-success"' in html
        assert state(mai, "process_profile")

    @pytest.mark.parametrize("upload, message", [
        (SimpleUploadedFile("dong-y.docx", b"PK\x03\x04 word"), "Minh chứng phải là tệp PDF, JPG hoặc PNG."),
        (SimpleUploadedFile("dong-y.exe", b"MZ\x90\x00"), "Minh chứng phải là tệp PDF, JPG hoặc PNG."),
        (SimpleUploadedFile("gia-mao.pdf", b"<html>not a pdf</html>"), "Nội dung tệp không khớp với định dạng"),
        (None, "Cần tải lên văn bản đồng ý có chữ ký (PDF, JPG hoặc PNG)."),
    ])
    def test_bad_evidence_is_refused_with_the_message(self, client, officer, mai, upload, message) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        data = {"purpose": SHARE, "given_by": "self"}
        if upload is not None:
            data["evidence"] = upload
        response = client.post(reverse("candidate-consents", args=[mai.pk]), data)
        html = html_of(response)
        assert response.status_code == 400
        assert message in html
        assert re.search(r'class="field[^"]*has-error', html)
        assert not Consent.objects.filter(candidate=mai).exists()
        # With htmx the panel comes back (200, so htmx swaps it) with the same message.
        if upload is not None:
            upload.seek(0)
            data["evidence"] = upload
        fragment = client.post(reverse("candidate-consents", args=[mai.pk]), data, HTTP_HX_REQUEST="true")
        assert fragment.status_code == 200 and message in html_of(fragment)
        assert not Consent.objects.filter(candidate=mai).exists()

    def test_guardian_and_child_make_consent_for_an_under_16(self, client, ward_officer, child) -> None:  # type: ignore[no-untyped-def]
        client.force_login(ward_officer)
        url = reverse("candidate-consents", args=[child.pk])
        assert "dưới 16 tuổi" in html_of(client.get(url))
        response = client.post(url, {"purpose": SHARE, "given_by": "guardian", "evidence": pdf()})
        assert response.status_code == 400
        assert "Cần ghi họ tên cha mẹ hoặc người giám hộ." in html_of(response)
        client.post(url, {"purpose": SHARE, "given_by": "guardian", "guardian_name": "Lê Văn Cha", "evidence": pdf()})
        assert not state(child)  # the child's own consent is still missing
        client.post(url, {"purpose": SHARE, "given_by": "self", "evidence": pdf()})
        assert state(child)

    def test_guardian_is_refused_for_an_adult(self, client, officer, mai) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        response = client.post(reverse("candidate-consents", args=[mai.pk]),
                               {"purpose": SHARE, "given_by": "guardian", "guardian_name": "Trần Văn Bố",
                                "evidence": pdf()})
        assert response.status_code == 400 and "đã đủ 16 tuổi" in html_of(response)

    def test_evidence_download_for_staff_in_scope(self, client, ward_officer, officer, liaison, recruiter, child,
                                                  student, mai) -> None:  # type: ignore[no-untyped-def]
        consent = privacy_services.consent_record(actor=ward_officer, candidate=child, purpose=SHARE,
                                                  given_by="guardian", guardian_name="Lê Văn Cha", evidence=pdf())
        url = reverse("consent-evidence", args=[consent.pk])
        for user in (ward_officer, officer):
            client.force_login(user)
            response = client.get(url)
            assert response.status_code == 200
            assert response["Content-Disposition"].startswith("attachment;")
            assert f"minh-chung-dong-y-{consent.pk}.pdf" in response["Content-Disposition"]
            assert b"".join(response.streaming_content) == PDF
        events = AuditEvent.objects.filter(action="consent.evidence_download", object_id=str(consent.pk))
        assert {e.actor for e in events} == {ward_officer, officer}
        assert all(e.changes == {"candidate": child.pk} for e in events)
        # The liaison manages candidates, but not this pupil: 404. Recruiters and students: 403.
        client.force_login(liaison)
        assert client.get(url).status_code == 404
        for user in (recruiter, student, child.user):
            client.force_login(user)
            assert client.get(url).status_code in ((403,) if user == recruiter else (302,))  # students: sent to /me/
        assert events.count() == 2

    def test_self_granted_consent_has_no_file(self, client, officer, student, mai) -> None:  # type: ignore[no-untyped-def]
        privacy_services.consent_set_own(user=student, purpose=SHARE, granted=True)
        consent = Consent.objects.get(candidate=mai)
        client.force_login(officer)
        assert client.get(reverse("consent-evidence", args=[consent.pk])).status_code == 404
        html = html_of(client.get(reverse("candidate-consents", args=[mai.pk])))
        assert "Tự xác nhận khi đăng nhập" in html
        assert reverse("consent-evidence", args=[consent.pk]) not in html

    def test_erased_record_shows_no_form(self, client, officer, student, mai) -> None:  # type: ignore[no-untyped-def]
        erasure = privacy_services.erasure_request(user=student)
        privacy_services.erasure_decide(erasure=erasure, actor=officer, approve=True)
        client.force_login(officer)
        html = html_of(client.get(reverse("candidate-consents", args=[mai.pk])))
        assert "Hồ sơ đã được ẩn danh" in html and 'enctype="multipart/form-data"' not in html


# --- Content-Security-Policy -----------------------------------------------------------------------------

def test_pages_have_no_inline_script_style_or_handlers(client, officer, student, mai) -> None:  # type: ignore[no-untyped-def]
    privacy_services.erasure_request(user=student)
    pages = []
    client.force_login(student)
    pages.append(html_of(client.get(reverse("me-profile"))))
    client.force_login(officer)
    erasure = ErasureRequest.objects.get()
    pages += [html_of(client.get(reverse(name, args=args))) for name, args in (
        ("erasure-queue", []), ("erasure-decide", [erasure.pk]), ("candidate-consents", [mai.pk]))]
    for html in pages:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert not re.search(r'\sstyle="', html)
        assert not re.search(r"\son[a-z]+=", html)
