"""Pages as a recruiter sees them, verification of self-reported records, the new profile fields."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import AuditEvent
from privacy.models import Consent
from privacy.services import consent_set_own
from talent import services
from talent.models import Role, VerificationStatus
from tests.factories import make_candidate, make_user

CCCD = "079306001234"


@pytest.fixture
def shared(org_tree, officer):  # type: ignore[no-untyped-def]
    """A pool shared with the agency: one consenting member (a student with an account), one not."""
    pool = services.pool_create(actor=officer, name="Nguồn 2026", kind="young_talent", owner=org_tree.city,
                                shared_with=[org_tree.agency])
    visible = make_candidate(org_tree.faculty, "Trần Thị Mai", gender="female", citizen_id=CCCD,
                             date_of_birth=__import__("datetime").date(2006, 5, 2), ethnicity="Tày",
                             exam_number="02012345", exam_year=2024, religion="buddhism",
                             home_address="12 Lê Lợi, phường Sài Gòn")
    hidden = make_candidate(org_tree.faculty, "Lê Văn Hùng")
    student = make_user(Role.STUDENT, org_tree.faculty, username="mai")
    visible.user = student
    visible.save(update_fields=["user"])
    consent_set_own(user=student, purpose=Consent.Purpose.SHARE_WITH_RECRUITERS, granted=True)
    for person in (visible, hidden):
        services.pool_add(pool=pool, candidate=person, actor=officer)
    recruiter = make_user(Role.RECRUITER, org_tree.agency, username="hr")
    return {"pool": pool, "visible": visible, "hidden": hidden, "student": student, "recruiter": recruiter}


def test_recruiter_pages_show_only_consenting_members_without_sensitive_fields(client, shared) -> None:  # type: ignore[no-untyped-def]
    client.force_login(shared["recruiter"])
    listing = client.get(reverse("candidate-list")).content.decode()
    assert "Trần Thị Mai" in listing and "Lê Văn Hùng" not in listing
    assert "02/05/2006" not in listing and "2006" in listing  # year of birth, not the date
    detail = client.get(reverse("candidate-detail", args=[shared["visible"].pk]))
    html = detail.content.decode()
    assert detail.status_code == 200
    for secret in (CCCD, "079******234", "Tày", "Phật giáo", "12 Lê Lợi", "02012345", "02/05/2006"):
        assert secret not in html, secret
    assert not re.search(r"\b\d{12}\b", html)
    assert client.get(reverse("candidate-detail", args=[shared["hidden"].pk])).status_code == 404
    pool_page = client.get(reverse("pool-detail", args=[shared["pool"].pk])).content.decode()
    assert "Trần Thị Mai" in pool_page and "Lê Văn Hùng" not in pool_page
    reads = AuditEvent.objects.filter(action="candidate.read", actor=shared["recruiter"])
    assert set(reads.values_list("changes__via", flat=True)) == {"page.list", "page.detail", "page.pool"}
    assert set(reads.values_list("object_id", flat=True)) == {str(shared["visible"].pk)}


def test_withdrawal_hides_the_person_from_the_next_recruiter_page(client, shared) -> None:  # type: ignore[no-untyped-def]
    client.force_login(shared["recruiter"])
    url = reverse("candidate-detail", args=[shared["visible"].pk])
    assert client.get(url).status_code == 200
    consent_set_own(user=shared["student"], purpose=Consent.Purpose.SHARE_WITH_RECRUITERS, granted=False)
    assert client.get(url).status_code == 404
    assert "Trần Thị Mai" not in client.get(reverse("candidate-list")).content.decode()


def test_staff_reads_are_not_logged_as_recruiter_reads(client, officer, shared) -> None:  # type: ignore[no-untyped-def]
    client.force_login(officer)
    client.get(reverse("candidate-detail", args=[shared["visible"].pk]))
    client.get(reverse("candidate-list"))
    assert not AuditEvent.objects.filter(action="candidate.read").exists()


@pytest.mark.django_db(transaction=True)
def test_recruiter_export_has_only_permitted_columns_and_counts_as_reads(org_tree, shared, api_as, client, settings,
                                                                         tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    started = api_as(shared["recruiter"]).post("/api/v1/candidates/export/")
    assert started.status_code == 202
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0)
    client.force_login(shared["recruiter"])
    content = b"".join(client.get(f"/jobs/{started.json()['id']}/download/").streaming_content).decode("utf-8-sig")
    header, *rows = content.splitlines()
    assert header.split(",") == ["Mã", "Họ và tên", "Giới tính", "Năm sinh", "Đơn vị", "Tỉnh/thành", "Email",
                                 "Điện thoại", "Giai đoạn"]
    assert len(rows) == 1 and "Trần Thị Mai" in rows[0] and "02012345" not in content
    assert AuditEvent.objects.filter(action="candidate.read", changes__via="export",
                                     object_id=str(shared["visible"].pk)).count() == 1


def test_pending_records_are_verified_from_the_profile_page(client, org_tree, shared) -> None:  # type: ignore[no-untyped-def]
    person, student = shared["visible"], shared["student"]
    achievement = services.achievement_add(candidate=person, actor=student, category="research", level="school",
                                           year=2025, title="Đề tài NCKH cấp trường", verified=True)
    language = services.language_certificate_add(candidate=person, actor=student, language="en", level=5,
                                                  verified=True)
    # A student can never verify what they add, whatever they ask for.
    assert achievement.verification_status == language.verification_status == VerificationStatus.PENDING
    liaison = make_user(Role.LIAISON, org_tree.uni)
    client.force_login(liaison)
    page = client.get(reverse("candidate-detail", args=[person.pk])).content.decode()
    assert reverse("achievement-verify", args=[achievement.pk]) in page
    response = client.post(reverse("achievement-verify", args=[achievement.pk]), {"approve": "1"})
    assert response.status_code == 302
    client.post(reverse("language-verify", args=[language.pk]), {"approve": "0"})
    achievement.refresh_from_db()
    language.refresh_from_db()
    assert achievement.verification_status == VerificationStatus.VERIFIED and achievement.verified_by == liaison
    assert language.verification_status == VerificationStatus.REJECTED
    # Out of scope: a ward officer gets 404; a recruiter or student is refused before any lookup.
    ward = make_user(Role.OFFICER, org_tree.ward_a)
    client.force_login(ward)
    assert client.post(reverse("achievement-verify", args=[achievement.pk]), {"approve": "1"}).status_code == 404
    for user in (shared["recruiter"], student):
        client.force_login(user)
        assert client.post(reverse("language-verify", args=[language.pk]), {"approve": "1"}).status_code == 403


def test_student_cannot_add_to_someone_elses_record(shared) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.achievement_add(candidate=shared["hidden"], actor=shared["student"], category="award",
                                 level="school", year=2025, title="Không phải của tôi")


def test_profile_form_keeps_new_fields(client, officer, org_tree) -> None:  # type: ignore[no-untyped-def]
    person = make_candidate(org_tree.school_a, "Phạm Minh Tuấn")
    client.force_login(officer)
    response = client.post(reverse("candidate-edit", args=[person.pk]), {
        "full_name": "Phạm Minh Tuấn", "gender": "male", "date_of_birth": "14/03/2005",
        "organization": org_tree.school_a.pk, "religion": "catholicism", "home_address": "  5 Nguyễn Huệ  ",
        "aspirations": "Làm việc ở Sở Khoa học và Công nghệ", "political_theory": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert (person.religion, person.home_address) == ("catholicism", "5 Nguyễn Huệ")
    event = AuditEvent.objects.filter(action="candidate.update").latest("id")
    assert event.changes["religion"] == event.changes["home_address"] == "***"
    bad = client.post(reverse("candidate-edit", args=[person.pk]), {
        "full_name": "Phạm Minh Tuấn", "gender": "male", "date_of_birth": "14/03/2005",
        "organization": org_tree.school_a.pk, "religion": "pastafarian"})
    assert bad.status_code == 200 and "religion" in bad.context["form"].errors


def test_recruiters_cannot_sort_by_a_birth_date_they_may_not_see(client, shared, officer) -> None:  # type: ignore[no-untyped-def]
    from talent.selectors import candidate_list, candidate_orderings

    assert "dob" not in candidate_orderings(shared["recruiter"]) and "dob" in candidate_orderings(officer)
    sorted_qs = candidate_list(user=shared["recruiter"], filters={"ordering": "-dob"})
    assert sorted_qs.query.order_by == ("name_key", "id")
    client.force_login(shared["recruiter"])
    page = client.get(reverse("candidate-list")).content.decode()
    assert 'value="dob"' not in page and 'value="name"' in page


def test_recruiter_reads_of_a_persons_records_are_logged(api_as, shared) -> None:  # type: ignore[no-untyped-def]
    person = shared["visible"]
    api = api_as(shared["recruiter"])
    assert api.get(f"/api/v1/achievements/?candidate={person.pk}").status_code == 200
    assert api.get(f"/api/v1/candidates/{person.pk}/history/").status_code == 200
    assert api.get(f"/api/v1/candidates/{person.pk}/consents/").status_code == 403
    vias = set(AuditEvent.objects.filter(action="candidate.read").values_list("changes__via", flat=True))
    assert vias == {"api.history"}  # no achievements yet: nothing of the person was shown there
    services.achievement_add(candidate=person, actor=None, category="award", level="school", year=2025, title="Giải")
    api.get(f"/api/v1/achievements/?candidate={person.pk}")
    assert AuditEvent.objects.filter(action="candidate.read", changes__via="api.achievement",
                                     object_id=str(person.pk)).count() == 1


def test_anonymized_records_cannot_be_written_to(officer, org_tree) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from privacy.services import anonymize

    person = make_candidate(org_tree.school_a, "Đỗ Thị Hạnh", gender="female")
    anonymize(candidate=person, actor=officer)
    person.refresh_from_db()
    with pytest.raises(ValidationError):
        services.candidate_update(candidate=person, actor=officer, full_name="Đỗ Thị Hạnh")
    with pytest.raises(ValidationError):
        services.candidate_advance(candidate=person, to_stage="nominated", actor=officer)
    person.refresh_from_db()
    assert person.full_name == f"Ẩn danh #{person.pk}" and person.stage == "discovered"


def test_recruiters_see_the_history_without_staff_reasons_or_names(client, api_as, officer, shared) -> None:  # type: ignore[no-untyped-def]
    person = shared["visible"]
    services.candidate_advance(candidate=person, to_stage="nominated", reason="Ghi chú nội bộ của cán bộ",
                               actor=officer)
    rows = api_as(shared["recruiter"]).get(f"/api/v1/candidates/{person.pk}/history/").json()
    assert [r["to_stage"] for r in rows] == ["discovered", "nominated"]
    assert all("reason" not in r and "actor" not in r for r in rows)
    client.force_login(shared["recruiter"])
    html = client.get(reverse("candidate-detail", args=[person.pk])).content.decode()
    assert "Ghi chú nội bộ" not in html and officer.username not in html
    client.force_login(officer)
    assert "Ghi chú nội bộ" in client.get(reverse("candidate-detail", args=[person.pk])).content.decode()


@pytest.mark.django_db(transaction=True)
def test_old_exports_expire(org_tree, officer, api_as, client, settings) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    from core.models import Job

    make_candidate(org_tree.school_a, "Nguyễn Văn An")
    started = api_as(officer).post("/api/v1/candidates/export/")
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0)
    client.force_login(officer)
    url = f"/jobs/{started.json()['id']}/download/"
    fresh = client.get(url)
    assert fresh.status_code == 200 and "no-store" in fresh["Cache-Control"]
    Job.objects.filter(pk=started.json()["id"]).update(finished_at=timezone.now() - dt.timedelta(hours=25))
    assert client.get(url).status_code == 410
