"""privacy.services: the consent lifecycle, staff-recorded consent with evidence, the subject's export,
erasure (the person is gone, the statistics are not), and the recruiters' read log."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.services import user_create
from core.models import AuditEvent
from privacy import services
from privacy.models import Consent, ErasureRequest
from privacy.rules import has_consent
from talent import services as talent_services
from talent.models import (
    Achievement,
    Candidate,
    EducationRecord,
    LanguageCertificate,
    PoolMembership,
    Role,
    StageTransition,
)
from talent.readlog import record_reads
from talent.selectors import organization_counts, pool_list, stage_counts
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

SHARE = Consent.Purpose.SHARE_WITH_RECRUITERS
EVENTS = Consent.Purpose.CONTACT_ABOUT_EVENTS
PASSWORD = "Mat-khau-sinh-vien-2026"
PDF = b"%PDF-1.7\n% signed form\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def lan(org_tree):  # type: ignore[no-untyped-def]
    """An adult student of the faculty, with an account."""
    person = make_candidate(org_tree.faculty, "Hoàng Thị Lan", gender="female", date_of_birth=dt.date(2005, 4, 9))
    person.student = user_create(actor=None, username="sv2026001", password=PASSWORD, role=Role.STUDENT,
                                 candidate=person)
    return person


@pytest.fixture
def child(org_tree):  # type: ignore[no-untyped-def]
    """A 15-year-old pupil of school A, with an account."""
    today = timezone.localdate()
    person = make_candidate(org_tree.school_a, "Ngô Thị Tú", gender="female",
                            date_of_birth=dt.date(today.year - 15, 1, 1))
    person.student = user_create(actor=None, username="hs2026015", password=PASSWORD, role=Role.STUDENT,
                                 candidate=person)
    return person


def upload(content: bytes = PDF, name: str = "phieu-dong-y.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def shared(candidate: Candidate, purpose: str = SHARE) -> bool:
    return Candidate.objects.filter(pk=candidate.pk).filter(has_consent(purpose)).exists()


# --- The person's own consent ------------------------------------------------------------------------


def test_grant_is_recorded_once_and_audited(lan) -> None:  # type: ignore[no-untyped-def]
    assert not shared(lan)  # silence is not consent
    assert services.consent_set_own(user=lan.student, purpose=SHARE, granted=True) == lan
    services.consent_set_own(user=lan.student, purpose=SHARE, granted=True)  # idempotent
    (consent,) = Consent.objects.filter(candidate=lan)
    assert (consent.purpose, consent.given_by, consent.recorded_by, consent.withdrawn_at) == (
        SHARE, "self", lan.student, None)
    assert not consent.evidence and consent.recorded_by == consent.candidate.user
    assert consent.evidence_note.startswith("Tự xác nhận")
    assert shared(lan) and not shared(lan, EVENTS)
    grants = AuditEvent.objects.filter(action="consent.grant")
    assert grants.count() == 1
    assert grants.get().changes == {"candidate": lan.pk, "purpose": SHARE, "given_by": "self"}


def test_withdrawal_stamps_the_grant_and_a_new_grant_is_a_new_row(lan) -> None:  # type: ignore[no-untyped-def]
    services.consent_set_own(user=lan.student, purpose=SHARE, granted=True)
    before = timezone.now()
    services.consent_set_own(user=lan.student, purpose=SHARE, granted=False)
    (consent,) = Consent.objects.filter(candidate=lan)
    assert consent.withdrawn_at is not None and consent.withdrawn_at >= before
    assert consent.withdrawn_by == lan.student
    assert not shared(lan)
    assert AuditEvent.objects.filter(action="consent.withdraw", object_id=str(consent.pk)).count() == 1
    # Withdrawing what is not granted changes nothing.
    services.consent_set_own(user=lan.student, purpose=SHARE, granted=False)
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 1
    services.consent_set_own(user=lan.student, purpose=SHARE, granted=True)
    rows = list(Consent.objects.filter(candidate=lan).order_by("id"))
    assert len(rows) == 2 and rows[0].withdrawn_at is not None and rows[1].withdrawn_at is None
    assert shared(lan)


def test_purpose_must_be_one_of_the_three(lan) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        services.consent_set_own(user=lan.student, purpose="marketing", granted=True)
    assert "purpose" in err.value.message_dict
    assert not Consent.objects.exists()


def test_a_child_cannot_grant_alone_but_can_withdraw(child, officer) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        services.consent_set_own(user=child.student, purpose=SHARE, granted=True)
    assert "16" in err.value.message_dict["granted"][0]
    assert not Consent.objects.exists()
    services.consent_record(actor=officer, candidate=child, purpose=SHARE, given_by="self", evidence=upload())
    assert not shared(child)  # own consent only: a guardian must consent too
    services.consent_record(actor=officer, candidate=child, purpose=SHARE, given_by="guardian",
                            guardian_name="Ngô Văn Bảy", evidence=upload(PNG, "phu-huynh.png"))
    assert shared(child)
    # The child withdraws their own consent: sharing stops, though the guardian's grant stands.
    services.consent_set_own(user=child.student, purpose=SHARE, granted=False)
    assert not shared(child)
    assert Consent.objects.filter(candidate=child, given_by="guardian").active().count() == 1


def test_only_someone_linked_to_a_record_sets_their_own_consent(officer, lan) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.consent_set_own(user=officer, purpose=SHARE, granted=True)


# --- Consent recorded by staff ------------------------------------------------------------------------


def test_staff_record_a_signed_form(lan, org_tree) -> None:  # type: ignore[no-untyped-def]
    liaison = make_user(Role.LIAISON, org_tree.uni)
    consent = services.consent_record(actor=liaison, candidate=lan, purpose=EVENTS, given_by="self",
                                      evidence=upload(JPG, "Phieu.JPG"), note="Phiếu nộp tại văn phòng Khoa")
    assert consent.recorded_by == liaison and consent.evidence_note == "Phiếu nộp tại văn phòng Khoa"
    assert default_storage.exists(consent.evidence.name)
    assert shared(lan, EVENTS)
    event = AuditEvent.objects.get(action="consent.grant")
    assert event.actor == liaison and event.changes == {"candidate": lan.pk, "purpose": EVENTS, "given_by": "self"}
    with pytest.raises(ValidationError) as err:  # already standing
        services.consent_record(actor=liaison, candidate=lan, purpose=EVENTS, given_by="self", evidence=upload())
    assert "purpose" in err.value.message_dict


@pytest.mark.parametrize(("evidence", "why"), [
    (None, "missing"),
    (SimpleUploadedFile("phieu.docx", b"PK\x03\x04 word"), "extension"),
    (SimpleUploadedFile("phieu", PDF), "no extension"),
    (SimpleUploadedFile("phieu.pdf.exe", b"MZ\x90\x00"), "executable"),
    (SimpleUploadedFile("phieu.pdf", PNG), "a PNG named .pdf"),
    (SimpleUploadedFile("phieu.png", b"GIF89a" + b"\x00" * 10), "a GIF named .png"),
    (SimpleUploadedFile("phieu.jpg", b""), "empty"),
    (SimpleUploadedFile("phieu.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024 - 3)), "over 5 MB"),
])
def test_evidence_must_be_a_real_pdf_jpg_or_png_up_to_5_mb(officer, lan, evidence, why) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        services.consent_record(actor=officer, candidate=lan, purpose=SHARE, given_by="self", evidence=evidence)
    assert "evidence" in err.value.message_dict, why
    assert not Consent.objects.exists()


def test_evidence_of_exactly_5_mb_is_accepted(officer, lan) -> None:  # type: ignore[no-untyped-def]
    evidence = SimpleUploadedFile("phieu.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024 - 4))
    services.consent_record(actor=officer, candidate=lan, purpose=SHARE, given_by="self", evidence=evidence)
    assert shared(lan)


def test_guardian_consent_is_for_children_and_names_the_guardian(officer, lan, child) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        services.consent_record(actor=officer, candidate=lan, purpose=SHARE, given_by="guardian",
                                guardian_name="Hoàng Văn Minh", evidence=upload())
    assert "given_by" in err.value.message_dict  # 16 or over: only their own consent counts
    with pytest.raises(ValidationError) as err:
        services.consent_record(actor=officer, candidate=child, purpose=SHARE, given_by="guardian",
                                guardian_name=" ", evidence=upload())
    assert "guardian_name" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.consent_record(actor=officer, candidate=child, purpose=SHARE, given_by="parent", evidence=upload())
    assert "given_by" in err.value.message_dict
    consent = services.consent_record(actor=officer, candidate=child, purpose=SHARE, given_by="guardian",
                                      guardian_name="  Ngô Văn Bảy ", evidence=upload())
    assert consent.guardian_name == "Ngô Văn Bảy"


def test_guardian_consent_on_the_16th_birthday_is_refused(officer, org_tree) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    try:
        sixteen = today.replace(year=today.year - 16)
    except ValueError:  # a 29 February
        sixteen = today.replace(year=today.year - 16, day=28)
    turns_16_today = make_candidate(org_tree.school_a, "Lý Thị Hoa", gender="female", date_of_birth=sixteen)
    turns_16_tomorrow = make_candidate(org_tree.school_a, "Lý Văn Minh", date_of_birth=sixteen + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.consent_record(actor=officer, candidate=turns_16_today, purpose=SHARE, given_by="guardian",
                                guardian_name="Lý Văn Hải", evidence=upload())
    services.consent_record(actor=officer, candidate=turns_16_tomorrow, purpose=SHARE, given_by="guardian",
                            guardian_name="Lý Văn Hải", evidence=upload())


def test_recording_consent_is_staff_work_in_scope(org_tree, ward_officer, lan) -> None:  # type: ignore[no-untyped-def]
    ward_b = make_candidate(org_tree.school_b, "Trần Văn Bắc", date_of_birth=dt.date(2004, 1, 1))
    actors = [ward_officer, make_user(Role.LIAISON, org_tree.uni), make_user(Role.RECRUITER, org_tree.agency),
              lan.student]
    for actor in actors:
        with pytest.raises(PermissionDenied):
            services.consent_record(actor=actor, candidate=ward_b, purpose=SHARE, given_by="self", evidence=upload())
    # Not even a student's own record: consent on paper goes through staff.
    with pytest.raises(PermissionDenied):
        services.consent_record(actor=lan.student, candidate=lan, purpose=SHARE, given_by="self", evidence=upload())
    assert not Consent.objects.exists()


def test_staff_withdraw_every_standing_grant_for_the_purpose(officer, ward_officer, org_tree, child) -> None:  # type: ignore[no-untyped-def]
    services.consent_record(actor=officer, candidate=child, purpose=SHARE, given_by="self", evidence=upload())
    services.consent_record(actor=officer, candidate=child, purpose=SHARE, given_by="guardian",
                            guardian_name="Ngô Văn Bảy", evidence=upload())
    services.consent_record(actor=officer, candidate=child, purpose=EVENTS, given_by="self", evidence=upload())
    for actor in (make_user(Role.RECRUITER, org_tree.agency), make_user(Role.LIAISON, org_tree.uni), child.student):
        with pytest.raises(PermissionDenied):  # the child is in school A: outside the liaison's university
            services.consent_withdraw(actor=actor, candidate=child, purpose=SHARE)
    assert services.consent_withdraw(actor=ward_officer, candidate=child, purpose=SHARE) == 2
    assert not shared(child)
    assert Consent.objects.filter(candidate=child).active().get().purpose == EVENTS
    assert set(Consent.objects.filter(candidate=child, purpose=SHARE).values_list("withdrawn_by", flat=True)) == {
        ward_officer.pk}
    assert services.consent_withdraw(actor=ward_officer, candidate=child, purpose=SHARE) == 0
    assert AuditEvent.objects.filter(action="consent.withdraw").count() == 2


# --- The subject's export ----------------------------------------------------------------------------


def test_export_holds_everything_about_the_person_and_is_audited(org_tree, officer, lan) -> None:  # type: ignore[no-untyped-def]
    talent_services.candidate_update(candidate=lan, actor=officer, citizen_id="079305001512",
                                     email="lan.hoang@example.vn", phone="0912345678", party_member=True,
                                     party_joined_on=dt.date(2024, 1, 1))
    talent_services.education_record_add(candidate=lan, actor=officer, level="university", start_year=2023,
                                         institution=org_tree.uni, major="Khoa học máy tính", gpa="3.65")
    talent_services.achievement_add(candidate=lan, actor=officer, category="olympiad", level="national",
                                    year=2023, title="Giải Nhì Olympic Tin học sinh viên")
    talent_services.language_certificate_add(candidate=lan, actor=officer, language="en", level=5,
                                             certificate="IELTS 7.0")
    talent_services.candidate_advance(candidate=lan, to_stage="nominated", reason="Khoa giới thiệu", actor=officer)
    pool = talent_services.pool_create(actor=officer, name="Nguồn tài năng trẻ", kind="young_talent",
                                       owner=org_tree.city)
    talent_services.pool_add(pool=pool, candidate=lan, actor=officer, note="Sinh viên 5 tốt")
    services.consent_set_own(user=lan.student, purpose=SHARE, granted=True)
    recruiter = make_user(Role.RECRUITER, org_tree.agency, username="hr")
    record_reads(user=recruiter, candidate_ids=[lan.pk], via="api.detail")

    data = services.subject_export(user=lan.student)
    json.dumps(data)  # a JSON document as it stands
    assert data["account"]["username"] == "sv2026001"
    profile = data["profile"]
    assert (profile["full_name"], profile["email"], profile["phone"]) == (
        "Hoàng Thị Lan", "lan.hoang@example.vn", "0912345678")
    assert profile["date_of_birth"] == "2005-04-09" and profile["party_member"] is True
    assert profile["citizen_id"] == "079******512" and profile["organization"] == org_tree.faculty.name
    assert not re.search(r"\b\d{12}\b", json.dumps(data, ensure_ascii=False))
    assert [(e["major"], e["classification"]) for e in data["education"]] == [("Khoa học máy tính", "Xuất sắc")]
    assert [a["title"] for a in data["achievements"]] == ["Giải Nhì Olympic Tin học sinh viên"]
    assert [(lang["certificate"], lang["cefr"]) for lang in data["languages"]] == [("IELTS 7.0", "C1")]
    assert [(t["to_stage"], t["reason"], t["by"]) for t in data["stage_history"]] == [
        ("discovered", "Đăng ký", None), ("nominated", "Khoa giới thiệu", officer.username)]
    assert data["pools"] == [{"pool": "Nguồn tài năng trẻ", "added_at": data["pools"][0]["added_at"],
                              "note": "Sinh viên 5 tốt"}]
    assert [(c["purpose"], c["given_by"], c["withdrawn_at"]) for c in data["consents"]] == [(SHARE, "self", None)]
    assert data["consent_state"][SHARE] == {"granted": True, "missing": []}
    assert data["consent_state"][EVENTS] == {"granted": False, "missing": ["self"]}
    assert data["erasure_requests"] == []
    log = {(entry["action"], entry["by"]) for entry in data["access_log"]}
    assert {("candidate.register", None), ("candidate.update", officer.username), ("candidate.read", "hr"),
            ("achievement.add", officer.username), ("consent.grant", "sv2026001")} <= log
    assert AuditEvent.objects.filter(action="candidate.subject_export", object_id=str(lan.pk),
                                     actor=lan.student).count() == 1
    # The next export shows the previous one.
    again = services.subject_export(user=lan.student)
    assert ("candidate.subject_export", "sv2026001") in {(e["action"], e["by"]) for e in again["access_log"]}


def test_export_is_for_the_person_only(officer, lan) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.subject_export(user=officer)
    assert not AuditEvent.objects.filter(action="candidate.subject_export").exists()


# --- Erasure ------------------------------------------------------------------------------------------


def test_one_pending_request_at_a_time(officer, lan) -> None:  # type: ignore[no-untyped-def]
    first = services.erasure_request(user=lan.student, reason="Tôi không muốn tham gia nữa")
    assert first.status == "pending"
    with pytest.raises(ValidationError):
        services.erasure_request(user=lan.student)
    services.erasure_decide(erasure=first, actor=officer, approve=False, note="Đang trong kỳ xét tuyển")
    second = services.erasure_request(user=lan.student)
    assert second.status == "pending" and ErasureRequest.objects.filter(candidate=lan).count() == 2
    assert AuditEvent.objects.filter(action="erasure.request").count() == 2
    with pytest.raises(PermissionDenied):
        services.erasure_request(user=officer)


def test_reject_needs_a_note_and_decides_once(officer, lan) -> None:  # type: ignore[no-untyped-def]
    erasure = services.erasure_request(user=lan.student)
    with pytest.raises(ValidationError) as err:
        services.erasure_decide(erasure=erasure, actor=officer, approve=False, note="  ")
    assert "note" in err.value.message_dict
    erasure.refresh_from_db()
    assert erasure.status == "pending"
    decided = services.erasure_decide(erasure=erasure, actor=officer, approve=False, note="Đang trong kỳ xét tuyển")
    assert (decided.status, decided.decided_by, decided.decision_note) == (
        "rejected", officer, "Đang trong kỳ xét tuyển")
    assert decided.decided_at is not None
    assert AuditEvent.objects.filter(action="erasure.reject", object_id=str(erasure.pk)).count() == 1
    with pytest.raises(ValidationError):
        services.erasure_decide(erasure=erasure, actor=officer, approve=True)
    lan.refresh_from_db()
    assert lan.erased_at is None and lan.full_name == "Hoàng Thị Lan"


def test_only_officers_in_scope_and_administrators_decide(org_tree, ward_officer, lan) -> None:  # type: ignore[no-untyped-def]
    erasure = services.erasure_request(user=lan.student)
    other_unit = make_user(Role.OFFICER, org_tree.ward_b)
    for actor in (ward_officer, other_unit, make_user(Role.LIAISON, org_tree.uni),
                  make_user(Role.RECRUITER, org_tree.agency), lan.student):
        for approve in (True, False):
            with pytest.raises(PermissionDenied):
                services.erasure_decide(erasure=erasure, actor=actor, approve=approve, note="x")
    erasure.refresh_from_db()
    assert erasure.status == "pending"
    lan.refresh_from_db()
    assert lan.erased_at is None


@pytest.fixture
def rich(org_tree, officer, lan):  # type: ignore[no-untyped-def]
    """Lan's record with every kind of personal detail in every place it can be written."""
    talent_services.candidate_update(
        candidate=lan, actor=officer, citizen_id="079305001512", email="lan.hoang@example.vn", phone="0912345678",
        exam_number="02012345", exam_year=2023, home_address="35 Nguyễn Đình Chiểu, phường Xuân Hòa",
        aspirations="Hoàng Thị Lan muốn làm ở Sở Khoa học", ethnicity="Tày", religion="buddhism",
        party_member=True, party_joined_on=dt.date(2024, 1, 1), political_theory="so_cap",
    )
    talent_services.education_record_add(candidate=lan, actor=officer, level="university", start_year=2023,
                                         institution=org_tree.uni, major="Khoa học máy tính", gpa="3.65")
    talent_services.achievement_add(candidate=lan, actor=officer, category="award", level="national", year=2024,
                                    title="Hoàng Thị Lan – Sinh viên 5 tốt cấp Trung ương",
                                    evidence="Quyết định khen thưởng gửi lan.hoang@example.vn")
    talent_services.language_certificate_add(candidate=lan, actor=officer, language="en", level=5,
                                             certificate="IELTS 7.0 – số 02012345")
    talent_services.candidate_advance(candidate=lan, to_stage="nominated", actor=officer,
                                      reason="Khoa giới thiệu Hoàng Thị Lan, liên hệ 0912345678")
    pools = [
        talent_services.pool_create(actor=officer, name="Nguồn tài năng trẻ", kind="young_talent",
                                    owner=org_tree.city, shared_with=[org_tree.agency]),
        talent_services.pool_create(actor=officer, name="Quy hoạch 2025-2030", kind="planning", owner=org_tree.city,
                                    term="2025-2030"),
    ]
    for pool in pools:
        talent_services.pool_add(pool=pool, candidate=lan, actor=officer,
                                 note="Hoàng Thị Lan, 35 Nguyễn Đình Chiểu, 0912345678")
    services.consent_set_own(user=lan.student, purpose=SHARE, granted=True)
    paper = services.consent_record(actor=officer, candidate=lan, purpose=EVENTS, given_by="self",
                                    evidence=upload(name="hoang-thi-lan.pdf"),
                                    note="Phiếu của Hoàng Thị Lan, 0912345678")
    Token.objects.create(user=lan.student)
    # Others, so that the statistics have something to keep.
    make_candidate(org_tree.school_a, "Phạm Văn Đông")
    make_candidate(org_tree.faculty, "Vũ Thị Thu", gender="female")
    return {"pools": pools, "evidence": paper.evidence.name}


TRACES = ("Hoàng Thị Lan", "Hoang Thi Lan", "hoang thi lan", "lan.hoang@example.vn", "0912345678", "079305001512",
          "02012345", "35 Nguyễn Đình Chiểu", "Sở Khoa học", "hoang-thi-lan")


def _text_of(rows: Any, *fields: str) -> str:
    return "\n".join(str([getattr(row, field) for field in fields]) for row in rows)


def _no_trace(text: str, where: str) -> None:
    found = [trace for trace in TRACES if trace.lower() in text.lower()]
    assert found == [], f"{where} still holds {found}"


def _statistics(officer: Any) -> dict[str, Any]:
    return {
        "stages": stage_counts(user=officer),
        "organizations": organization_counts(user=officer),
        "pools": sorted((p.pk, p.member_count) for p in pool_list(user=officer)),
        "minorities": Candidate.objects.filter(is_ethnic_minority=True).count(),
        "born": sorted(Candidate.objects.values_list("date_of_birth__year", flat=True)),
        "genders": sorted(Candidate.objects.values_list("gender", flat=True)),
        "education": sorted(EducationRecord.objects.values_list("level", "classification")),
        "achievements": sorted(Achievement.objects.values_list("category", "level", "year")),
        "languages": sorted(LanguageCertificate.objects.values_list("language", "level")),
        "transitions": sorted(StageTransition.objects.values_list("from_stage", "to_stage")),
        "consents": Consent.objects.count(),
    }


def test_approval_anonymizes_and_keeps_the_statistics(officer, lan, rich) -> None:  # type: ignore[no-untyped-def]
    before = _statistics(officer)
    assert default_storage.exists(rich["evidence"])
    erasure = services.erasure_request(user=lan.student, reason="Hoàng Thị Lan xin rút khỏi chương trình")
    decided = services.erasure_decide(erasure=erasure, actor=officer, approve=True)
    assert decided.status == "approved" and decided.decided_by == officer

    assert _statistics(officer) == before
    lan.refresh_from_db()
    assert lan.erased_at is not None and lan.full_name == f"Ẩn danh #{lan.pk}"
    # Kept for the age shares and counts the targets track; nothing here names the person.
    assert (lan.date_of_birth, lan.party_member, lan.political_theory) == (dt.date(2005, 4, 9), True, "so_cap")
    assert (lan.citizen_id_hash, lan.citizen_id_encrypted, lan.citizen_id_masked) == ("", "", "")
    assert (lan.party_joined_on, lan.ethnicity, lan.religion) == (None, "", "")
    assert lan.is_ethnic_minority is True  # counted in the ethnic-minority share, without the ethnicity
    assert lan.user is None

    _no_trace(_text_of(Candidate.objects.filter(pk=lan.pk), *[f.attname for f in Candidate._meta.concrete_fields]),
              "Candidate")
    _no_trace(_text_of(Consent.objects.all(), "guardian_name", "evidence", "evidence_note"), "Consent")
    _no_trace(_text_of(Achievement.objects.all(), "title", "evidence"), "Achievement")
    _no_trace(_text_of(LanguageCertificate.objects.all(), "certificate"), "LanguageCertificate")
    _no_trace(_text_of(StageTransition.objects.all(), "reason"), "StageTransition")
    _no_trace(_text_of(PoolMembership.objects.all(), "note"), "PoolMembership")
    _no_trace(_text_of(ErasureRequest.objects.all(), "reason", "decision_note"), "ErasureRequest")
    _no_trace(_text_of(AuditEvent.objects.all(), "changes", "object_id"), "AuditEvent")
    assert not default_storage.exists(rich["evidence"])
    assert not Consent.objects.filter(candidate=lan).exclude(evidence="").exists()
    assert not Consent.objects.filter(candidate=lan).active().exists()

    account = type(lan.student).objects.get(pk=lan.student.pk)
    assert not account.is_active and not account.has_usable_password()
    assert account.username == f"erased-{account.pk}" and account.email == account.first_name == ""
    assert not Token.objects.filter(user=account).exists()
    # Gone from lists and from recruiters, still counted.
    assert not Candidate.objects.active().filter(pk=lan.pk).exists()
    recruiter = make_user(Role.RECRUITER, rich["pools"][0].shared_with.get())
    assert not Candidate.objects.for_user(recruiter).filter(pk=lan.pk).exists()
    event = AuditEvent.objects.get(action="erasure.approve")
    assert event.actor == officer and event.changes["candidate"] == lan.pk and event.changes["account_closed"] == 1


def test_an_administrator_may_approve_too(admin_user, lan) -> None:  # type: ignore[no-untyped-def]
    erasure = services.erasure_request(user=lan.student)
    services.erasure_decide(erasure=erasure, actor=admin_user, approve=True)
    lan.refresh_from_db()
    assert lan.erased_at is not None
    # An erased record has no account any more: nothing to consent or erase with.
    with pytest.raises(PermissionDenied):
        services.consent_set_own(user=lan.student, purpose=SHARE, granted=True)


# --- Reads by recruiters --------------------------------------------------------------------------------


def test_record_reads_logs_recruiters_only(org_tree, officer, admin_user, lan) -> None:  # type: ignore[no-untyped-def]
    other = make_candidate(org_tree.faculty, "Vũ Thị Thu", gender="female")
    for user in (officer, admin_user, make_user(Role.LIAISON, org_tree.uni), lan.student):
        record_reads(user=user, candidate_ids=[lan.pk, other.pk], via="api.list")
    assert not AuditEvent.objects.filter(action="candidate.read").exists()
    recruiter = make_user(Role.RECRUITER, org_tree.agency)
    record_reads(user=recruiter, candidate_ids=[], via="api.list")
    assert not AuditEvent.objects.filter(action="candidate.read").exists()
    record_reads(user=recruiter, candidate_ids=[lan.pk, other.pk, lan.pk], via="api.list")
    reads = AuditEvent.objects.filter(action="candidate.read").order_by("id")
    assert [(e.actor, e.object_type, e.object_id, e.changes) for e in reads] == [
        (recruiter, "talent.candidate", str(lan.pk), {"via": "api.list"}),
        (recruiter, "talent.candidate", str(other.pk), {"via": "api.list"}),
    ]
    assert set(AuditEvent.objects.about_candidate(lan.pk).values_list("action", flat=True)) >= {"candidate.read"}
    assert AuditEvent.objects.for_user(officer).count() == 0
    assert AuditEvent.objects.for_user(admin_user).filter(action="candidate.read").count() == 2
