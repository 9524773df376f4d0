"""The API as a recruiter sees it (DESIGN §5): only consenting members of pools shared with their agency,
without sensitive fields, every read logged; and the same record as a liaison, an officer and an
administrator see it. A withdrawal takes effect on the recruiter's very next request."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import user_create
from core.models import AuditEvent
from privacy.models import Consent
from privacy.services import consent_record, consent_set_own
from talent import services
from talent.models import Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

CCCD = "079306000512"
MASKED = "079******512"
# Absent from every candidate a recruiter receives: not null, not blank, absent.
SENSITIVE_KEYS = ("party_member", "party_joined_on", "ethnicity", "is_ethnic_minority", "religion", "citizen_id",
                  "citizen_id_masked", "home_address", "date_of_birth", "exam_number")
TWELVE_DIGITS = re.compile(rb"\b\d{12}\b")
PASSWORD = "Mat-khau-sinh-vien-2026"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploaded consent forms go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def shared(org_tree, officer, admin_user):  # type: ignore[no-untyped-def]
    """A pool shared with the agency: Mai (a student with an account, consenting), Hùng (silent) and
    Tú, 15, who consented herself and whose guardian's consent is not recorded yet."""
    pool = services.pool_create(actor=officer, name="Nguồn tài năng trẻ 2026", kind="young_talent",
                                owner=org_tree.city, shared_with=[org_tree.agency])
    mai = make_candidate(org_tree.faculty, "Trần Thị Mai", gender="female", date_of_birth=dt.date(2006, 5, 2),
                         citizen_id=CCCD, ethnicity="Tày", religion="buddhism", exam_number="02012345",
                         exam_year=2024, home_address="12 Lê Lợi, phường Sài Gòn", party_member=True,
                         party_joined_on=dt.date(2025, 3, 1), email="mai@example.vn")
    student = user_create(actor=None, username="mai", password=PASSWORD, role=Role.STUDENT, candidate=mai)
    consent_set_own(user=student, purpose=Consent.Purpose.SHARE_WITH_RECRUITERS, granted=True)
    hung = make_candidate(org_tree.faculty, "Lê Văn Hùng", citizen_id="079204009876",
                          date_of_birth=dt.date(2004, 8, 8))
    today = timezone.localdate()
    tu = make_candidate(org_tree.school_a, "Ngô Thị Tú", gender="female",
                        date_of_birth=dt.date(today.year - 15, 1, 1))
    Consent.objects.create(candidate=tu, purpose=Consent.Purpose.SHARE_WITH_RECRUITERS, given_by="self",
                           evidence_note="Văn bản có chữ ký")
    for person in (mai, hung, tu):
        services.pool_add(pool=pool, candidate=person, actor=officer, note="Giới thiệu")
    services.achievement_add(candidate=mai, actor=officer, category="olympiad", level="national", year=2024,
                             title="Giải Nhì HSG quốc gia môn Tin học", award_rank="second")
    services.language_certificate_add(candidate=mai, actor=officer, language="en", level=5, certificate="IELTS 7.5")
    services.education_record_add(candidate=mai, actor=officer, level="university", start_year=2024,
                                  institution=org_tree.uni, gpa="3.7", conduct_score=92)
    return {
        "pool": pool, "mai": mai, "hung": hung, "tu": tu, "student": student,
        "recruiter": make_user(Role.RECRUITER, org_tree.agency, username="hr"),
        "liaison": make_user(Role.LIAISON, org_tree.uni, username="lien"),
        "officer": officer, "admin": admin_user,
    }


def _record_guardian_consent(shared: dict[str, Any]) -> None:
    """Staff record Tú's guardian's signed form."""
    consent_record(actor=shared["officer"], candidate=shared["tu"], purpose="share_with_recruiters",
                   given_by="guardian", guardian_name="Ngô Văn Bảy",
                   evidence=SimpleUploadedFile("giay-dong-y.pdf", b"%PDF-1.7 signed", content_type="application/pdf"))


def _candidates_in(body: dict[str, Any]) -> set[int]:
    return {row["id"] for row in body["results"]}


def _assert_no_sensitive_field(row: dict[str, Any]) -> None:
    present = [key for key in SENSITIVE_KEYS if key in row]
    assert present == [], f"sensitive fields in a recruiter's JSON: {present}"
    assert row["birth_year"] == 2006


def _assert_no_citizen_id(content: bytes) -> None:
    assert not TWELVE_DIGITS.search(content), TWELVE_DIGITS.findall(content)


# --- What a recruiter receives --------------------------------------------------------------------


def test_recruiter_list_detail_and_pool_members_have_no_sensitive_field(shared, api_as) -> None:  # type: ignore[no-untyped-def]
    client, mai = api_as(shared["recruiter"]), shared["mai"]
    listing = client.get("/api/v1/candidates/")
    assert listing.status_code == 200
    # Hùng never consented and Tú's guardian has not: neither exists for the recruiter.
    assert _candidates_in(listing.json()) == {mai.pk}
    detail = client.get(f"/api/v1/candidates/{mai.pk}/")
    members = client.get(f"/api/v1/pools/{shared['pool'].pk}/members/")
    assert detail.status_code == members.status_code == 200
    assert _candidates_in(members.json()) == {mai.pk}
    rows = [*listing.json()["results"], detail.json(), *members.json()["results"]]
    for row in rows:
        _assert_no_sensitive_field(row)
        assert row["full_name"] == "Trần Thị Mai"
    for response in (listing, detail, members):
        _assert_no_citizen_id(response.content)
        for value in (b"02012345", "Tày".encode(), "Lê Lợi".encode(), b"2006-05-02", b"buddhism"):
            assert value not in response.content, value


def test_nothing_a_recruiter_can_open_carries_a_citizen_id(shared, api_as) -> None:  # type: ignore[no-untyped-def]
    client, mai, pool = api_as(shared["recruiter"]), shared["mai"], shared["pool"]
    urls = ["/api/v1/candidates/", f"/api/v1/candidates/{mai.pk}/", f"/api/v1/candidates/{mai.pk}/history/",
            "/api/v1/achievements/", "/api/v1/languages/",
            "/api/v1/education-records/", "/api/v1/pools/", f"/api/v1/pools/{pool.pk}/",
            f"/api/v1/pools/{pool.pk}/members/", "/api/v1/organizations/", "/api/v1/me/", "/api/v1/jobs/",
            "/api/v1/erasure-requests/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_citizen_id(response.content)
    assert client.get(f"/api/v1/candidates/{shared['hung'].pk}/").status_code == 404
    assert client.get(f"/api/v1/candidates/{shared['hung'].pk}/history/").status_code == 404


def test_a_recruiter_cannot_probe_a_hidden_exam_number_through_search(shared, api_as) -> None:  # type: ignore[no-untyped-def]
    """Staff find a pupil by exam number; for a recruiter, to whom exam numbers are hidden, a search
    by one finds no one (else "who has exam number X?" would be answered)."""
    mai = shared["mai"]
    assert _candidates_in(api_as(shared["officer"]).get("/api/v1/candidates/", {"search": "02012345"}).json()) == {
        mai.pk}
    recruiter = api_as(shared["recruiter"])
    assert _candidates_in(recruiter.get("/api/v1/candidates/", {"search": "02012345"}).json()) == set()
    assert _candidates_in(recruiter.get("/api/v1/candidates/", {"search": "tran thi mai"}).json()) == {mai.pk}


def test_liaison_sees_the_citizen_id_masked_and_no_party_membership(shared, api_as) -> None:  # type: ignore[no-untyped-def]
    response = api_as(shared["liaison"]).get(f"/api/v1/candidates/{shared['mai'].pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["citizen_id_masked"] == MASKED
    for key in ("citizen_id", "party_member", "party_joined_on", "birth_year"):
        assert key not in body, key
    assert body["date_of_birth"] == "2006-05-02" and body["ethnicity"] == "Tày"
    _assert_no_citizen_id(response.content)
    listing = api_as(shared["liaison"]).get("/api/v1/candidates/")
    assert _candidates_in(listing.json()) == {shared["mai"].pk, shared["hung"].pk}
    _assert_no_citizen_id(listing.content)


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_officers_and_administrators_get_the_clear_citizen_id(shared, api_as, who) -> None:  # type: ignore[no-untyped-def]
    body = api_as(shared[who]).get(f"/api/v1/candidates/{shared['mai'].pk}/").json()
    assert body["citizen_id"] == CCCD and body["citizen_id_masked"] == MASKED
    assert body["party_member"] is True and body["party_joined_on"] == "2025-03-01"
    assert "birth_year" not in body and body["date_of_birth"] == "2006-05-02"


def test_the_student_sees_their_own_record_with_the_id_masked(shared, api_as) -> None:  # type: ignore[no-untyped-def]
    client = api_as(shared["student"])
    assert _candidates_in(client.get("/api/v1/candidates/").json()) == {shared["mai"].pk}
    profile = client.get("/api/v1/me/profile/").json()
    assert profile["id"] == shared["mai"].pk and profile["citizen_id_masked"] == MASKED
    assert "citizen_id" not in profile
    assert client.get(f"/api/v1/candidates/{shared['hung'].pk}/").status_code == 404


# --- Reads are logged -----------------------------------------------------------------------------


def _reads(recruiter: Any) -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(action="candidate.read", actor=recruiter).order_by("id")
    return [(event.object_id, event.changes["via"]) for event in events]


def test_each_recruiter_read_is_one_audit_event_per_candidate_shown(shared, api_as) -> None:  # type: ignore[no-untyped-def]
    recruiter, mai, tu = shared["recruiter"], shared["mai"], shared["tu"]
    # Tú's guardian consents on paper: she is now visible too (two people, one per page below).
    _record_guardian_consent(shared)
    client = api_as(recruiter)
    first = client.get("/api/v1/candidates/", {"page_size": 1}).json()
    second = client.get(first["next"]).json()
    assert _candidates_in(first) | _candidates_in(second) == {mai.pk, tu.pk}
    assert _reads(recruiter) == [(str(mai.pk), "api.list"), (str(tu.pk), "api.list")]
    client.get(f"/api/v1/candidates/{mai.pk}/")
    client.get(f"/api/v1/pools/{shared['pool'].pk}/members/")
    assert _reads(recruiter)[2:] == [(str(mai.pk), "api.detail"), (str(mai.pk), "api.pool_members"),
                                     (str(tu.pk), "api.pool_members")]
    # A refused read (404) is not a read.
    client.get(f"/api/v1/candidates/{shared['hung'].pk}/")
    assert len(_reads(recruiter)) == 5


def test_staff_reads_are_not_logged_as_reads(shared, api_as) -> None:  # type: ignore[no-untyped-def]
    for who in ("officer", "liaison", "admin", "student"):
        client = api_as(shared[who])
        client.get("/api/v1/candidates/")
        client.get(f"/api/v1/candidates/{shared['mai'].pk}/")
    assert not AuditEvent.objects.filter(action="candidate.read").exists()


def test_the_administrator_and_the_person_see_the_recruiters_read(shared, api_as) -> None:  # type: ignore[no-untyped-def]
    mai = shared["mai"]
    api_as(shared["recruiter"]).get(f"/api/v1/candidates/{mai.pk}/")
    log = api_as(shared["admin"]).get("/api/v1/audit-events/", {"actor": "hr", "action": "candidate.read"})
    assert log.status_code == 200
    assert [(e["actor"], e["object_type"], e["object_id"], e["changes"]) for e in log.json()["results"]] == [
        ("hr", "talent.candidate", str(mai.pk), {"via": "api.detail"})]
    about = api_as(shared["admin"]).get("/api/v1/audit-events/", {"candidate": mai.pk}).json()["results"]
    assert "candidate.read" in {e["action"] for e in about}
    # The person's own export lists who read their record.
    export = api_as(shared["student"]).get("/api/v1/me/export/")
    assert export.status_code == 200
    assert {"action": "candidate.read", "by": "hr"} in [
        {"action": e["action"], "by": e["by"]} for e in export.json()["access_log"]]
    for who in ("recruiter", "liaison", "officer", "student"):
        assert api_as(shared[who]).get("/api/v1/audit-events/").status_code == 403, who


# --- Withdrawal takes effect at once --------------------------------------------------------------


def test_student_withdrawal_hides_them_from_the_recruiters_very_next_request(shared, api_as) -> None:  # type: ignore[no-untyped-def]
    mai, pool = shared["mai"], shared["pool"]
    recruiter, student = api_as(shared["recruiter"]), api_as(shared["student"])
    detail = f"/api/v1/candidates/{mai.pk}/"
    assert recruiter.get(detail).status_code == 200
    assert recruiter.get(f"/api/v1/pools/{pool.pk}/").json()["member_count"] == 1

    withdrawn = student.post("/api/v1/me/consents/", {"purpose": "share_with_recruiters", "granted": False},
                             format="json")
    assert withdrawn.status_code == 200
    state = {row["purpose"]: row for row in withdrawn.json()}
    assert state["share_with_recruiters"]["granted"] is False
    assert state["share_with_recruiters"]["missing"] == ["self"]
    assert recruiter.get(detail).status_code == 404
    assert mai.pk not in _candidates_in(recruiter.get("/api/v1/candidates/").json())
    assert _candidates_in(recruiter.get(f"/api/v1/pools/{pool.pk}/members/").json()) == set()
    assert recruiter.get(f"/api/v1/pools/{pool.pk}/").json()["member_count"] == 0
    assert recruiter.get(f"/api/v1/candidates/{mai.pk}/history/").status_code == 404
    # The history of the grant is kept: one record, now stamped withdrawn.
    record = Consent.objects.get(candidate=mai, purpose="share_with_recruiters")
    assert record.withdrawn_at is not None and record.withdrawn_by == shared["student"]

    regranted = student.post("/api/v1/me/consents/", {"purpose": "share_with_recruiters", "granted": True},
                             format="json")
    assert regranted.status_code == 200
    assert {row["purpose"]: row["granted"] for row in regranted.json()}["share_with_recruiters"] is True
    assert recruiter.get(detail).status_code == 200
    assert mai.pk in _candidates_in(recruiter.get("/api/v1/candidates/").json())
    assert Consent.objects.filter(candidate=mai, purpose="share_with_recruiters").count() == 2


def test_withdrawal_recorded_by_staff_also_takes_effect_at_once(shared, api_as) -> None:  # type: ignore[no-untyped-def]
    mai = shared["mai"]
    recruiter = api_as(shared["recruiter"])
    assert recruiter.get(f"/api/v1/candidates/{mai.pk}/").status_code == 200
    response = api_as(shared["liaison"]).post(f"/api/v1/candidates/{mai.pk}/consents/withdraw/",
                                              {"purpose": "share_with_recruiters"}, format="json")
    assert response.status_code == 200
    assert all(row["withdrawn_at"] for row in response.json() if row["purpose"] == "share_with_recruiters")
    assert recruiter.get(f"/api/v1/candidates/{mai.pk}/").status_code == 404


def test_a_child_under_16_is_shared_only_with_a_guardians_consent_too(shared, api_as) -> None:  # type: ignore[no-untyped-def]
    tu = shared["tu"]
    recruiter = api_as(shared["recruiter"])
    assert recruiter.get(f"/api/v1/candidates/{tu.pk}/").status_code == 404
    recorded = api_as(shared["officer"]).post(
        f"/api/v1/candidates/{tu.pk}/consents/",
        {"purpose": "share_with_recruiters", "given_by": "guardian", "guardian_name": "Ngô Văn Bảy",
         "evidence": SimpleUploadedFile("giay-dong-y.pdf", b"%PDF-1.7 signed", content_type="application/pdf")},
        format="multipart")
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["has_evidence"] is True and recorded.json()["given_by"] == "guardian"
    shown = recruiter.get(f"/api/v1/candidates/{tu.pk}/")
    assert shown.status_code == 200 and shown.json()["birth_year"] == tu.date_of_birth.year
    _assert_no_citizen_id(shown.content)
    # The guardian withdraws (a letter, recorded by staff): hidden again at once.
    api_as(shared["officer"]).post(f"/api/v1/candidates/{tu.pk}/consents/withdraw/",
                                   {"purpose": "share_with_recruiters"}, format="json")
    assert recruiter.get(f"/api/v1/candidates/{tu.pk}/").status_code == 404


# --- The demo, as a reviewer walks through it -----------------------------------------------------


def test_walkthrough_with_the_demo_accounts(db) -> None:  # type: ignore[no-untyped-def]
    """The demo city, signed in with the demo accounts (password ``demo``) through the token endpoint."""
    call_command("seed_demo", "--candidates", "300", "--seed", "7", "--yes-demo", stdout=io.StringIO())
    cache.clear()
    clients = {}
    for name in ("admin", "officer", "liaison", "recruiter", "student"):
        token = APIClient().post("/api/v1/auth/token/", {"username": name, "password": "demo"}, format="json")
        assert token.status_code == 200, (name, token.content)
        clients[name] = APIClient()
        clients[name].credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")

    def ids(name: str) -> set[int]:
        found: set[int] = set()
        url: str | None = "/api/v1/candidates/?page_size=500"
        while url:
            body = clients[name].get(url).json()
            found |= _candidates_in(body)
            url = body["next"]
        return found

    seen = {name: ids(name) for name in clients}
    assert seen["liaison"] and seen["recruiter"]
    assert seen["liaison"] < seen["officer"] and seen["recruiter"] < seen["officer"]
    own = clients["student"].get("/api/v1/me/").json()["candidate"]
    assert seen["student"] == {own}
    outside = min(seen["officer"] - seen["liaison"])
    for name in ("liaison", "student"):
        assert clients[name].get(f"/api/v1/candidates/{outside}/").status_code == 404, name

    recruiter = clients["recruiter"]
    listing = recruiter.get("/api/v1/candidates/?page_size=500")
    _assert_no_citizen_id(listing.content)
    for row in listing.json()["results"]:
        assert not [key for key in SENSITIVE_KEYS if key in row] and "birth_year" in row
    assert own in seen["recruiter"]
    detail = recruiter.get(f"/api/v1/candidates/{own}/")
    assert detail.status_code == 200
    assert not [key for key in SENSITIVE_KEYS if key in detail.json()]
    _assert_no_citizen_id(detail.content)

    export = clients["student"].get("/api/v1/me/export/")
    assert export.status_code == 200 and export.json()["profile"]["full_name"]
    withdrawn = clients["student"].post("/api/v1/me/consents/", {"purpose": "share_with_recruiters",
                                                                  "granted": False}, format="json")
    assert withdrawn.status_code == 200
    assert recruiter.get(f"/api/v1/candidates/{own}/").status_code == 404
    assert own not in ids("recruiter")

    log = clients["admin"].get("/api/v1/audit-events/", {"actor": "recruiter", "action": "candidate.read",
                                                         "candidate": own})
    assert log.status_code == 200
    assert {e["changes"]["via"] for e in log.json()["results"]} >= {"api.list", "api.detail"}
    for name in ("officer", "liaison", "recruiter", "student"):
        assert clients[name].get("/api/v1/audit-events/").status_code == 403, name
