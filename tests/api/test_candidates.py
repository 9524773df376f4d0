from __future__ import annotations

import pytest

from core.text import fold
from talent import services
from talent.models import Candidate, Role, Stage, StageTransition
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org_tree):  # type: ignore[no-untyped-def]
    return [
        make_candidate(org_tree.school_a, "Nguyễn Văn An"),
        make_candidate(org_tree.school_a, "Nguyễn Vân Anh", gender="female"),
        make_candidate(org_tree.school_b, "Trần Đức Đạt"),
        make_candidate(org_tree.faculty, "Phạm Nguyễn Văn Vinh"),
        make_candidate(org_tree.school_b, "Nguyễn Thị Văn", gender="female"),
    ]


def test_list_has_required_fields(people, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    body = api_as(officer).get("/api/v1/candidates/").json()
    assert {"next", "previous", "results"} <= set(body)
    row = body["results"][0]
    assert {"id", "full_name", "gender", "stage", "organization"} <= set(row)
    assert "citizen_id_encrypted" not in row and "citizen_id_hash" not in row


def test_search_returns_only_names_that_fold_to_the_query(people, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    body = api_as(officer).get("/api/v1/candidates/", {"search": "nguyen van"}).json()
    found = [r["full_name"] for r in body["results"]]
    # Each word starts a word of the name, in any order and with gaps ("Nguyễn Thị Văn" too).
    assert sorted(found) == sorted(["Nguyễn Văn An", "Nguyễn Vân Anh", "Phạm Nguyễn Văn Vinh", "Nguyễn Thị Văn"])
    for name in found:
        words = fold(name).split()
        assert all(any(w.startswith(q) for w in words) for q in ("nguyen", "van")), name


def test_filters_stage_and_organization(org_tree, people, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    client = api_as(officer)
    services.candidate_advance(candidate=people[2], to_stage=Stage.NOMINATED, actor=officer)
    assert [r["full_name"] for r in client.get("/api/v1/candidates/", {"stage": "nominated"}).json()["results"]] == [
        "Trần Đức Đạt"]
    ward_a = client.get("/api/v1/candidates/", {"organization": org_tree.ward_a.pk}).json()["results"]
    assert sorted(r["full_name"] for r in ward_a) == ["Nguyễn Vân Anh", "Nguyễn Văn An"]
    assert client.get("/api/v1/candidates/", {"stage": "famous"}).status_code == 400


def test_cursor_pagination_walks_every_row_once(org_tree, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    for i in range(7):
        make_candidate(org_tree.school_a, f"Lê Văn Số {'ABCDEFG'[i]}")
    client = api_as(officer)
    seen: list[int] = []
    url = "/api/v1/candidates/?page_size=3"
    pages = 0
    while url:
        body = client.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert sorted(seen) == seen and len(set(seen)) == 7


def test_page_size_is_capped(org_tree, api_as, officer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from api.pagination import IdCursorPagination

    assert IdCursorPagination.max_page_size == 500
    monkeypatch.setattr(IdCursorPagination, "max_page_size", 3)  # the same rule, without 501 rows
    for i in range(5):
        make_candidate(org_tree.school_a, f"Lê Văn {'ABCDE'[i]}")
    body = api_as(officer).get("/api/v1/candidates/?page_size=100000").json()
    assert len(body["results"]) == 3 and body["next"]


def test_list_query_count_does_not_grow_with_page_size(org_tree, api_as, officer,
                                                       django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(30):
        make_candidate(org_tree.school_a if i % 2 else org_tree.faculty, f"Đỗ Văn Người {i:02d}".replace("0", "O")
                       .replace("1", "I").replace("2", "Z").replace("3", "E").replace("4", "A")
                       .replace("5", "S").replace("6", "G").replace("7", "T").replace("8", "B").replace("9", "P"))
    client = api_as(officer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert len(client.get("/api/v1/candidates/?page_size=2").json()["results"]) == 2
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get("/api/v1/candidates/?page_size=30").json()["results"]) == 30


def test_retrieve_out_of_scope_is_404(org_tree, people, api_as, ward_officer) -> None:  # type: ignore[no-untyped-def]
    client = api_as(ward_officer)
    assert client.get(f"/api/v1/candidates/{people[0].pk}/").status_code == 200
    assert client.get(f"/api/v1/candidates/{people[2].pk}/").status_code == 404
    assert client.get("/api/v1/candidates/999999/").status_code == 404
    assert client.post(f"/api/v1/candidates/{people[2].pk}/advance/", {"stage": "nominated"},
                       format="json").status_code == 404
    assert client.patch(f"/api/v1/candidates/{people[2].pk}/", {"full_name": "X Y"},
                        format="json").status_code == 404


def test_advance_allowed_and_forbidden(people, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    client = api_as(officer)
    c = people[0]
    bad = client.post(f"/api/v1/candidates/{c.pk}/advance/", {"stage": "appointed", "reason": "x"}, format="json")
    assert bad.status_code == 400
    assert "Không thể chuyển" in bad.json()["stage"][0]
    c.refresh_from_db()
    assert c.stage == Stage.DISCOVERED
    assert StageTransition.objects.filter(candidate=c).count() == 1
    ok = client.post(f"/api/v1/candidates/{c.pk}/advance/", {"stage": "nominated", "reason": "Trường giới thiệu"},
                     format="json")
    assert ok.status_code == 200 and ok.json()["stage"] == "nominated"
    history = client.get(f"/api/v1/candidates/{c.pk}/history/").json()
    assert [(h["from_stage"], h["to_stage"]) for h in history] == [("", "discovered"), ("discovered", "nominated")]
    assert history[-1]["actor"] == officer.username
    assert client.post(f"/api/v1/candidates/{c.pk}/advance/", {}, format="json").status_code == 400


def test_create_and_update(org_tree, api_as, ward_officer) -> None:  # type: ignore[no-untyped-def]
    client = api_as(ward_officer)
    created = client.post("/api/v1/candidates/", {
        "full_name": "hoàng minh châu", "gender": "female", "date_of_birth": "12/09/2008",
        "organization": org_tree.school_a.pk, "citizen_id": "079308004567", "phone": "0987654321",
    }, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["full_name"] == "Hoàng Minh Châu" and body["stage"] == "discovered"
    assert body["citizen_id_masked"] == "079******567"
    assert body["citizen_id"] == "079308004567"  # officers in scope see the clear ID
    updated = client.patch(f"/api/v1/candidates/{body['id']}/", {"email": "chau@example.vn"}, format="json")
    assert updated.status_code == 200 and updated.json()["email"] == "chau@example.vn"
    assert updated.json()["phone"] == "0987654321"


def test_create_errors_are_field_level_and_store_nothing(org_tree, api_as, ward_officer) -> None:  # type: ignore[no-untyped-def]
    client = api_as(ward_officer)
    outside = client.post("/api/v1/candidates/", {
        "full_name": "Lê Văn Bình", "gender": "male", "date_of_birth": "2007-01-01",
        "organization": org_tree.school_b.pk}, format="json")
    assert outside.status_code == 400 and "organization" in outside.json()
    bad = client.post("/api/v1/candidates/", {
        "full_name": "Lê Văn Bình", "gender": "male", "date_of_birth": "2007-01-01",
        "organization": org_tree.school_a.pk, "citizen_id": "079208001234", "phone": "12"}, format="json")
    assert bad.status_code == 400
    assert "năm sinh" in bad.json()["citizen_id"][0]
    assert "điện thoại" in bad.json()["phone"][0]
    missing = client.post("/api/v1/candidates/", {}, format="json")
    assert set(missing.json()) >= {"full_name", "gender", "date_of_birth", "organization"}
    assert Candidate.objects.count() == 0


def test_student_sees_only_themselves(org_tree, people, api_as) -> None:  # type: ignore[no-untyped-def]
    student = make_user(Role.STUDENT, org_tree.faculty)
    people[3].user = student
    people[3].save()
    body = api_as(student).get("/api/v1/candidates/").json()
    assert [r["full_name"] for r in body["results"]] == ["Phạm Nguyễn Văn Vinh"]
    assert api_as(student).get(f"/api/v1/candidates/{people[0].pk}/").status_code == 404


def test_party_membership_is_absent_for_liaisons(org_tree, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    c = make_candidate(org_tree.faculty, date_of_birth=__import__("datetime").date(1998, 1, 1), party_member=True)
    liaison = make_user(Role.LIAISON, org_tree.uni)
    as_liaison = api_as(liaison).get(f"/api/v1/candidates/{c.pk}/").json()
    assert "party_member" not in as_liaison and "party_joined_on" not in as_liaison
    assert api_as(officer).get(f"/api/v1/candidates/{c.pk}/").json()["party_member"] is True


def test_fast_list_rows_equal_the_declared_serializer(org_tree, api_as, officer) -> None:  # type: ignore[no-untyped-def]
    """CandidateListSerializer builds rows by hand for speed; they must match field-by-field output."""
    from rest_framework import serializers as drf

    from api.serializers import CandidateListSerializer

    make_candidate(org_tree.school_a, "Nguyễn Văn An", province_code=79)
    row = api_as(officer).get("/api/v1/candidates/").json()["results"][0]
    candidate = Candidate.objects.select_related("organization").get(pk=row["id"])
    generic = drf.ModelSerializer.to_representation(CandidateListSerializer(), candidate)
    assert row == dict(generic)
