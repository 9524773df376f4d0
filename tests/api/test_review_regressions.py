"""Unhappy paths found in review: roles, scope through related fields, malformed input, exports."""

from __future__ import annotations

import base64

import pytest
from django.core.management import call_command

from core.models import AuditEvent, Job
from talent import services
from talent.models import Candidate, Organization, Role, TalentPool
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.STUDENT, Role.RECRUITER])
def test_only_staff_roles_create_organizations_and_pools(org_tree, api_as, role) -> None:  # type: ignore[no-untyped-def]
    user = make_user(role, org_tree.faculty if role == Role.STUDENT else org_tree.agency)
    client = api_as(user)
    own = org_tree.faculty if role == Role.STUDENT else org_tree.agency
    org = client.post("/api/v1/organizations/", {"code": "X1", "name": "X", "kind": "youth_union", "parent": own.pk},
                      format="json")
    pool = client.post("/api/v1/pools/", {"name": "X", "kind": "planning", "owner": own.pk}, format="json")
    assert org.status_code == 403 and pool.status_code == 403
    assert not Organization.objects.filter(code="X1").exists() and TalentPool.objects.count() == 0


@pytest.mark.parametrize("query", [
    "cursor=" + base64.b64encode(b"p=abc").decode(), "cursor=" + base64.b64encode(b"r=x").decode(),
    "cursor=" + base64.b64encode(b"o=x").decode(),
])
def test_malformed_cursor_is_a_400(org_tree, api_as, officer, query) -> None:  # type: ignore[no-untyped-def]
    make_candidate(org_tree.school_a)
    for path in ("/api/v1/candidates/", "/api/v1/organizations/", "/api/v1/jobs/"):
        assert api_as(officer).get(f"{path}?{query}").status_code == 400, path


@pytest.mark.parametrize("query", ["parent=99999999999999999999999", "parent=abc", "parent=-1"])
def test_bad_id_filters_are_400(org_tree, api_as, officer, query) -> None:  # type: ignore[no-untyped-def]
    assert api_as(officer).get(f"/api/v1/organizations/?{query}").status_code == 400


def test_fractional_organization_filter_is_refused(org_tree, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    assert api_as(officer).get("/api/v1/candidates/?organization=1.5").status_code == 400


@pytest.mark.parametrize(("field", "value"), [("exam_year", 99999), ("exam_year", -1), ("email", "a" * 250 + "@x.vn"),
                                               ("exam_number", "99012345")])
def test_out_of_range_values_are_field_errors(org_tree, api_as, officer, field, value) -> None:  # type: ignore[no-untyped-def]
    body = {"full_name": "Lê Văn Bình", "gender": "male", "date_of_birth": "2007-01-01",
            "organization": org_tree.school_a.pk, "exam_number": "02001234", "exam_year": 2025, field: value}
    response = api_as(officer).post("/api/v1/candidates/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert Candidate.objects.count() == 0


def test_related_fields_are_limited(org_tree, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    c = make_candidate(org_tree.school_a)
    client = api_as(officer)
    edu = client.post("/api/v1/education-records/", {"candidate": c.pk, "level": "university", "start_year": 2024,
                                                     "institution": org_tree.agency.pk}, format="json")
    assert edu.status_code == 400 and "institution" in edu.json()
    pool = client.post("/api/v1/pools/", {"name": "N", "kind": "young_talent", "owner": org_tree.city.pk,
                                          "shared_with": [org_tree.school_b.pk]}, format="json")
    assert pool.status_code == 400 and "shared_with" in pool.json()


def test_child_filters_do_not_reveal_what_exists(org_tree, api_as, ward_officer) -> None:  # type: ignore[no-untyped-def]
    outside = make_candidate(org_tree.school_b)
    client = api_as(ward_officer)
    a = client.get(f"/api/v1/achievements/?candidate={outside.pk}")
    b = client.get("/api/v1/achievements/?candidate=999999")
    assert (a.status_code, a.json()["results"]) == (b.status_code, b.json()["results"]) == (200, [])
    p1 = client.get(f"/api/v1/pools/?owner={org_tree.city.pk}")
    p2 = client.get("/api/v1/pools/?owner=999999")
    assert p1.status_code == p2.status_code == 200


def test_blank_citizen_id_keeps_the_stored_one(org_tree, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    c = make_candidate(org_tree.school_a, citizen_id="079205001234")
    response = api_as(officer).patch(f"/api/v1/candidates/{c.pk}/", {"citizen_id": ""}, format="json")
    assert response.status_code == 200 and response.json()["citizen_id_masked"] == "079******234"


def test_put_is_not_offered(org_tree, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    c = make_candidate(org_tree.school_a)
    assert api_as(officer).put(f"/api/v1/candidates/{c.pk}/", {}, format="json").status_code == 405


def test_api_root_links_to_api_urls_not_pages(api_as, officer) -> None:  # type: ignore[no-untyped-def]
    body = api_as(officer).get("/api/v1/").json()
    assert body["candidates"].endswith("/api/v1/candidates/")


def test_pool_members_list_and_remove(org_tree, api_as, officer, ward_officer) -> None:  # type: ignore[no-untyped-def]
    pool = services.pool_create(actor=officer, name="Nguồn", kind="young_talent", owner=org_tree.city)
    a = make_candidate(org_tree.school_a, "Nguyễn Văn An")
    b = make_candidate(org_tree.school_b, "Trần Đức Đạt")
    services.pool_add(pool=pool, candidate=a, actor=officer)
    services.pool_add(pool=pool, candidate=b, actor=officer)
    client = api_as(officer)
    names = [r["full_name"] for r in client.get(f"/api/v1/pools/{pool.pk}/members/").json()["results"]]
    assert sorted(names) == ["Nguyễn Văn An", "Trần Đức Đạt"]
    assert client.delete(f"/api/v1/pools/{pool.pk}/members/{b.pk}/?reason=Không đạt").status_code == 204
    assert client.delete(f"/api/v1/pools/{pool.pk}/members/{b.pk}/").status_code == 400
    assert [m.candidate_id for m in pool.memberships.all()] == [a.pk]
    assert AuditEvent.objects.get(action="pool.remove").changes == {"candidate": b.pk, "reason": "Không đạt"}
    assert api_as(ward_officer).get(f"/api/v1/pools/{pool.pk}/members/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_export_keeps_every_filter_audits_and_defuses_formulas(org_tree, api_as, officer, settings,
                                                               tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    services.education_record_add(
        candidate=make_candidate(org_tree.school_a, "Nguyễn Văn An", email="=cmd@example.vn"), actor=None,
        level="grade_12", start_year=2024, end_year=2027, institution_name="THPT")
    make_candidate(org_tree.school_b, "Nguyễn Văn Bình")
    response = api_as(officer).post(f"/api/v1/candidates/export/?organization={org_tree.ward_a.pk}&school_year=2025")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.json()["id"])
    assert job.params == {"filters": {"organization": org_tree.ward_a.pk, "school_year": 2025}}
    assert AuditEvent.objects.filter(action="candidate.export", actor=officer).count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.result["rows"] == 1
    text = (tmp_path / "exports" / job.result["filename"]).read_text(encoding="utf-8-sig")
    assert "'=cmd@example.vn" in text and "Nguyễn Văn Bình" not in text


def test_jobs_are_listed_newest_first(org_tree, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    first = services.candidates_export_start(actor=officer, filters={})
    second = services.candidates_export_start(actor=officer, filters={"search": "an"})
    ids = [j["id"] for j in api_as(officer).get("/api/v1/jobs/").json()["results"]]
    assert ids == [str(second.pk), str(first.pk)]


def test_export_refuses_filter_values_it_would_have_to_drop(officer) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    with pytest.raises(TypeError):
        services.candidates_export_start(actor=officer, filters={"organization": Decimal("1")})


@pytest.mark.parametrize("term", ["²⁰²⁵-2030", "٢٠٢٥-٢٠٣٠", "2025-2030-2035", "2025–2030"])
def test_pool_terms_are_plain_years(org_tree, api_as, officer, term) -> None:  # type: ignore[no-untyped-def]
    response = api_as(officer).post("/api/v1/pools/", {"name": "N", "kind": "planning", "owner": org_tree.city.pk,
                                                       "term": term}, format="json")
    assert response.status_code == 400 and "term" in response.json()


@pytest.mark.parametrize("code", ["ß" * 17, "mã đơn vị", "A B"])
def test_organization_codes_are_plain_ascii(org_tree, api_as, officer, code) -> None:  # type: ignore[no-untyped-def]
    response = api_as(officer).post("/api/v1/organizations/", {"code": code, "name": "X", "kind": "youth_union",
                                                               "parent": org_tree.city.pk}, format="json")
    assert response.status_code == 400 and "code" in response.json()


def test_timestamp_cursor_that_overflows_is_a_400(api_as, officer) -> None:  # type: ignore[no-untyped-def]
    cursor = base64.b64encode(b"p=9999-12-31T23:59:59-10:00").decode()
    assert api_as(officer).get(f"/api/v1/jobs/?cursor={cursor}").status_code == 400


def test_party_date_must_be_plausible(org_tree, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    base = {"full_name": "Lê Văn Bình", "gender": "male", "date_of_birth": "1995-01-01",
            "organization": org_tree.school_a.pk, "party_member": True}
    for joined in ("0001-01-01", "9999-01-01", "2005-01-01"):
        response = api_as(officer).post("/api/v1/candidates/", {**base, "party_joined_on": joined}, format="json")
        assert response.status_code == 400 and "party_joined_on" in response.json(), joined
    ok = api_as(officer).post("/api/v1/candidates/", {**base, "party_joined_on": "2020-05-19"}, format="json")
    assert ok.status_code == 201


def test_pool_member_count_counts_only_visible_members(org_tree, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    pool = services.pool_create(actor=officer, name="Nguồn", kind="young_talent", owner=org_tree.city,
                                shared_with=[org_tree.agency])
    services.pool_add(pool=pool, candidate=make_candidate(org_tree.school_a), actor=officer)
    recruiter = make_user(Role.RECRUITER, org_tree.agency)
    assert api_as(officer).get(f"/api/v1/pools/{pool.pk}/").json()["member_count"] == 1
    assert api_as(recruiter).get(f"/api/v1/pools/{pool.pk}/").json()["member_count"] == 0
