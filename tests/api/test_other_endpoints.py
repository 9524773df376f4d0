from __future__ import annotations

import pytest
from django.core.management import call_command

from core.models import Job
from talent.models import Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db


def test_organizations_filter_by_kind_and_scope(org_tree, api_as, officer, ward_officer) -> None:  # type: ignore[no-untyped-def]
    unis = api_as(officer).get("/api/v1/organizations/", {"kind": "university"}).json()["results"]
    assert [(o["code"], o["kind"], o["parent"]) for o in unis] == [("U-BK", "university", org_tree.city.pk)]
    assert {"id", "code", "name", "kind", "parent"} <= set(unis[0])
    codes = {o["code"] for o in api_as(ward_officer).get("/api/v1/organizations/").json()["results"]}
    assert codes == {"W-A", "S-A"}
    assert api_as(ward_officer).get(f"/api/v1/organizations/{org_tree.ward_b.pk}/").status_code == 404


def test_create_organization_inside_scope_only(org_tree, api_as, ward_officer) -> None:  # type: ignore[no-untyped-def]
    client = api_as(ward_officer)
    ok = client.post("/api/v1/organizations/", {"code": "cd-1", "name": "Chi đoàn 12A1", "kind": "youth_union",
                                                "parent": org_tree.school_a.pk}, format="json")
    assert ok.status_code == 201 and ok.json()["code"] == "CD-1"
    # A parent outside the caller's scope is indistinguishable from one that does not exist.
    outside = client.post("/api/v1/organizations/", {"code": "cd-2", "name": "Chi đoàn", "kind": "youth_union",
                                                     "parent": org_tree.school_b.pk}, format="json")
    missing = client.post("/api/v1/organizations/", {"code": "cd-2", "name": "Chi đoàn", "kind": "youth_union",
                                                     "parent": 999999}, format="json")
    assert outside.status_code == missing.status_code == 400
    assert outside.json()["parent"][0].replace(str(org_tree.school_b.pk), "N") == \
        missing.json()["parent"][0].replace("999999", "N")


def test_education_achievement_language_records(org_tree, api_as, officer, ward_officer) -> None:  # type: ignore[no-untyped-def]
    c = make_candidate(org_tree.school_b)
    client = api_as(officer)
    edu = client.post("/api/v1/education-records/", {"candidate": c.pk, "level": "university", "start_year": 2024,
                                                     "institution": org_tree.uni.pk, "gpa": "3.7", "gpa_scale": 4,
                                                     "conduct_score": 85}, format="json")
    assert edu.status_code == 201, edu.json()
    assert (edu.json()["classification"], edu.json()["conduct_classification"]) == ("xuat_sac", "tot")
    ach = client.post("/api/v1/achievements/", {"candidate": c.pk, "category": "olympiad", "level": "national",
                                                "award_rank": "second", "year": 2025, "title": "HSG Quốc gia Vật lí"},
                      format="json")
    assert ach.status_code == 201 and ach.json()["verification_status"] == "pending"
    lang = client.post("/api/v1/languages/", {"candidate": c.pk, "language": "en", "level": 5}, format="json")
    assert lang.status_code == 201 and lang.json()["cefr"] == "C1"
    assert client.post("/api/v1/languages/", {"candidate": c.pk, "language": "en", "level": 9},
                       format="json").status_code == 400
    assert [r["title"] for r in client.get("/api/v1/achievements/", {"candidate": c.pk}).json()["results"]] == [
        "HSG Quốc gia Vật lí"]
    # Out of scope: the candidate "does not exist" for the ward officer, reading or writing.
    other = api_as(ward_officer)
    assert other.get("/api/v1/achievements/").json()["results"] == []
    assert other.post("/api/v1/achievements/", {"candidate": c.pk, "category": "award", "level": "school",
                                                "year": 2025, "title": "x"}, format="json").status_code == 400


def test_pools(org_tree, api_as, officer, ward_officer) -> None:  # type: ignore[no-untyped-def]
    client = api_as(officer)
    created = client.post("/api/v1/pools/", {"name": "Quy hoạch cán bộ trẻ", "kind": "planning", "term": "2025-2030",
                                             "owner": org_tree.city.pk, "shared_with": [org_tree.agency.pk]},
                          format="json")
    assert created.status_code == 201, created.json()
    pool_id = created.json()["id"]
    c = make_candidate(org_tree.school_a)
    added = client.post(f"/api/v1/pools/{pool_id}/members/", {"candidate": c.pk}, format="json")
    assert added.status_code == 201 and added.json()["member_count"] == 1
    assert client.post(f"/api/v1/pools/{pool_id}/members/", {"candidate": c.pk}, format="json").status_code == 400
    assert api_as(ward_officer).get(f"/api/v1/pools/{pool_id}/").status_code == 404
    recruiter = make_user(Role.RECRUITER, org_tree.agency)
    assert [p["id"] for p in api_as(recruiter).get("/api/v1/pools/").json()["results"]] == [pool_id]
    bad = client.post("/api/v1/pools/", {"name": "", "kind": "planning", "owner": org_tree.city.pk}, format="json")
    assert bad.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_export_job_runs_in_background_and_downloads(org_tree, officer, ward_officer, api_as, client,
                                                     settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    make_candidate(org_tree.school_a, "Nguyễn Văn An")
    make_candidate(org_tree.school_b, "Trần Đức Đạt")
    api = api_as(ward_officer)
    started = api.post("/api/v1/candidates/export/?search=nguyen")
    assert started.status_code == 202 and started.json()["status"] == "queued"
    job_id = started.json()["id"]
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0)
    status = api.get(f"/api/v1/jobs/{job_id}/").json()
    assert status["status"] == "succeeded" and status["result"]["rows"] == 1 and status["percent"] == 100
    client.force_login(ward_officer)
    download = client.get(f"/jobs/{job_id}/download/")
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert content.splitlines()[0].startswith("Mã,Họ và tên")
    assert "Nguyễn Văn An" in content and "Trần Đức Đạt" not in content
    # Another user's job is invisible.
    assert api_as(officer).get(f"/api/v1/jobs/{job_id}/").status_code == 404
    client.force_login(officer)
    assert client.get(f"/jobs/{job_id}/download/").status_code == 404
    assert Job.objects.get(pk=job_id).created_by == ward_officer


def test_export_filters_in_the_body_are_applied_or_refused(org_tree, officer, api_as) -> None:  # type: ignore[no-untyped-def]
    """Issue 18, item 5: a filter in the body narrows the export exactly as in the query string; a field
    that is not a filter, or a filter given twice with different values, is refused — never a wider export."""
    make_candidate(org_tree.school_a, "Nguyễn Văn An")
    make_candidate(org_tree.school_b, "Trần Đức Đạt")
    api = api_as(officer)
    started = api.post("/api/v1/candidates/export/", {"search": "nguyen van"}, format="json")
    assert started.status_code == 202
    assert Job.objects.get(pk=started.json()["id"]).params["filters"] == {"search": "nguyen van"}
    scoped = api.post("/api/v1/candidates/export/", {"organization": org_tree.school_b.pk}, format="json")
    assert Job.objects.get(pk=scoped.json()["id"]).params["filters"] == {"organization": org_tree.school_b.pk}
    for body, field in (({"serach": "nguyen"}, "serach"), ({"search": ["a", "b"]}, "search"),
                        ({"stage": "nonsense"}, "stage")):
        refused = api.post("/api/v1/candidates/export/", body, format="json")
        assert refused.status_code == 400 and field in refused.json(), (body, refused.content)
    twice = api.post("/api/v1/candidates/export/?search=tran", {"search": "nguyen"}, format="json")
    assert twice.status_code == 400 and "search" in twice.json()
    same = api.post("/api/v1/candidates/export/?search=nguyen", {"search": "nguyen"}, format="json")
    assert same.status_code == 202
    assert api.post("/api/v1/candidates/export/", [1, 2], format="json").status_code == 400
    assert Job.objects.count() == 3


def test_nul_in_a_query_and_an_impossible_offset_are_refused(org_tree, api_as, client) -> None:  # type: ignore[no-untyped-def]
    """Found by the schema fuzzing on PostgreSQL, which cannot hold NUL in text nor a UTC−19:22 offset:
    both answered 500; they are a 400 like any other bad parameter."""
    from talent.models import Role
    from tests.factories import make_user

    admin = make_user(Role.ADMIN, org_tree.city, username="nul_admin")
    api = api_as(admin)
    for url in ("/api/v1/training-compliance/?term=%1D%09%01%00", "/api/v1/rankings/?rubric=%01%00x",
                "/api/v1/audit-events/?actor=a%00b"):
        response = api.get(url)
        assert response.status_code == 400 and "NUL" in response.json()["detail"], url
    offset = api.get("/api/v1/audit-events/", {"since": "1377-12-15T01:29:51.2294-19:22"})
    assert offset.status_code == 400 and "since" in offset.json()
    fine = api.get("/api/v1/audit-events/", {"since": "2026-12-01T08:00:00+07:00"})
    assert fine.status_code == 200
    client.force_login(admin)
    assert client.get("/candidates/?search=a%00").status_code == 400


def test_a_moment_that_overflows_in_utc_is_refused(org_tree, api_as) -> None:  # type: ignore[no-untyped-def]
    from talent.models import Role
    from tests.factories import make_user

    api = api_as(make_user(Role.ADMIN, org_tree.city, username="overflow_admin"))
    for moment in ("0001-01-01T00:00:00+13:00", "9999-12-31T23:00:00-11:00"):
        response = api.get("/api/v1/audit-events/", {"since": moment})
        assert response.status_code == 400 and "since" in response.json(), moment
