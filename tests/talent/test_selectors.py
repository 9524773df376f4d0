from __future__ import annotations

import datetime as dt

import pytest

from talent import services
from talent.models import Candidate, Organization, Role
from talent.selectors import candidate_detail, candidate_list, organization_counts, stage_counts
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org_tree):  # type: ignore[no-untyped-def]
    return {
        "an": make_candidate(org_tree.school_a, "Nguyễn Văn An"),
        "anh": make_candidate(org_tree.school_a, "Nguyễn Vân Anh", gender="female"),
        "dat": make_candidate(org_tree.school_b, "Trần Đức Đạt"),
        "nga": make_candidate(org_tree.faculty, "Lê Thị Nga", gender="female", province_code=92),
        "vinh": make_candidate(org_tree.school_b, "Phạm Nguyễn Văn Vinh"),
        "tuan": make_candidate(org_tree.school_b, "Nguyễn Vănh Tuấn"),
    }


def names(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return set(qs.values_list("full_name", flat=True))


class TestScope:
    def test_officer_sees_subtree_only(self, org_tree, people, officer, ward_officer) -> None:  # type: ignore[no-untyped-def]
        assert Candidate.objects.for_user(officer).count() == 6
        assert names(Candidate.objects.for_user(ward_officer)) == {"Nguyễn Văn An", "Nguyễn Vân Anh"}

    def test_liaison_sees_their_university(self, org_tree, people) -> None:  # type: ignore[no-untyped-def]
        liaison = make_user(Role.LIAISON, org_tree.uni)
        assert names(Candidate.objects.for_user(liaison)) == {"Lê Thị Nga"}

    def test_student_sees_only_self(self, org_tree, people) -> None:  # type: ignore[no-untyped-def]
        student = make_user(Role.STUDENT, org_tree.faculty)
        people["nga"].user = student
        people["nga"].save()
        assert names(Candidate.objects.for_user(student)) == {"Lê Thị Nga"}

    def test_deny_by_default(self, org_tree, people) -> None:  # type: ignore[no-untyped-def]
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import AnonymousUser

        no_profile = get_user_model().objects.create_user("noprofile", password="x")
        recruiter = make_user(Role.RECRUITER, org_tree.agency)
        orphan_officer = make_user(Role.OFFICER, None)
        inactive = make_user(Role.OFFICER, org_tree.city, is_active=False)
        for user in (AnonymousUser(), None, no_profile, recruiter, orphan_officer, inactive):
            assert Candidate.objects.for_user(user).count() == 0

    def test_admin_sees_everything(self, people, admin_user) -> None:  # type: ignore[no-untyped-def]
        assert Candidate.objects.for_user(admin_user).count() == 6

    def test_organizations_scope(self, org_tree, ward_officer) -> None:  # type: ignore[no-untyped-def]
        assert set(Organization.objects.for_user(ward_officer).values_list("code", flat=True)) == {"W-A", "S-A"}


class TestSearch:
    def test_folded_phrase_on_word_starts(self, people, officer) -> None:  # type: ignore[no-untyped-def]
        found = names(candidate_list(user=officer, filters={"search": "nguyen van"}))
        assert found == {"Nguyễn Văn An", "Nguyễn Vân Anh", "Phạm Nguyễn Văn Vinh", "Nguyễn Vănh Tuấn"}
        assert names(candidate_list(user=officer, filters={"search": "nguyen van an"})) == {
            "Nguyễn Văn An", "Nguyễn Vân Anh"}

    def test_words_in_any_order_and_with_gaps(self, org_tree, people, officer) -> None:  # type: ignore[no-untyped-def]
        make_candidate(org_tree.school_a, "Trần Thị Bích Ngọc")
        for query in ("tran bich ngoc", "ngoc tran", "bich ngoc", "TRẦN NGỌC", "tran  thi   ngoc"):
            assert names(candidate_list(user=officer, filters={"search": query})) == {"Trần Thị Bích Ngọc"}, query
        # Every word must start a word of the name: one that does not rules the name out.
        assert names(candidate_list(user=officer, filters={"search": "tran bich lan"})) == set()
        assert names(candidate_list(user=officer, filters={"search": "ran bich"})) == set()
        # "van an" (a gap and the order kept) still finds the names that have both words.
        assert "Nguyễn Văn An" in names(candidate_list(user=officer, filters={"search": "an nguyen"}))

    def test_d_bar_matches_d(self, people, officer) -> None:  # type: ignore[no-untyped-def]
        assert names(candidate_list(user=officer, filters={"search": "dat"})) == {"Trần Đức Đạt"}
        assert names(candidate_list(user=officer, filters={"search": "ĐẠT"})) == {"Trần Đức Đạt"}
        assert names(candidate_list(user=officer, filters={"search": "duc d"})) == {"Trần Đức Đạt"}

    def test_search_does_not_match_inside_words(self, people, officer) -> None:  # type: ignore[no-untyped-def]
        assert names(candidate_list(user=officer, filters={"search": "guyen"})) == set()

    def test_search_respects_scope(self, people, ward_officer) -> None:  # type: ignore[no-untyped-def]
        assert names(candidate_list(user=ward_officer, filters={"search": "tran"})) == set()

    def test_exam_number_search(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        make_candidate(org_tree.school_a, "Võ Minh Khoa", exam_number="02001234", exam_year=2025)
        assert names(candidate_list(user=officer, filters={"search": "02001234"})) == {"Võ Minh Khoa"}


class TestFilters:
    def test_organization_filter_includes_subunits_and_respects_scope(self, org_tree, people, officer,
                                                                      ward_officer) -> None:  # type: ignore[no-untyped-def]
        assert len(names(candidate_list(user=officer, filters={"organization": org_tree.ward_b.pk}))) == 3
        assert names(candidate_list(user=ward_officer, filters={"organization": org_tree.ward_b.pk})) == set()

    def test_other_filters(self, org_tree, people, officer) -> None:  # type: ignore[no-untyped-def]
        assert names(candidate_list(user=officer, filters={"gender": "female"})) == {"Nguyễn Vân Anh", "Lê Thị Nga"}
        assert names(candidate_list(user=officer, filters={"province": 92})) == {"Lê Thị Nga"}
        services.education_record_add(candidate=people["nga"], actor=officer, level="university", start_year=2024,
                                      end_year=2028, institution=org_tree.uni)
        services.education_record_add(candidate=people["an"], actor=officer, level="grade_12", start_year=2022,
                                      end_year=2025, institution_name="THPT Lê Hồng Phong")
        assert names(candidate_list(user=officer, filters={"school_year": 2025})) == {"Lê Thị Nga"}
        assert names(candidate_list(user=officer, filters={"school_year": 2024})) == {"Lê Thị Nga", "Nguyễn Văn An"}
        services.achievement_add(candidate=people["dat"], actor=officer, category="olympiad", level="international",
                                 award_rank="gold", year=2025, title="IMO")
        assert names(candidate_list(user=officer, filters={"achievement_level": "international"})) == {"Trần Đức Đạt"}
        services.candidate_advance(candidate=people["dat"], to_stage="nominated", actor=officer)
        assert names(candidate_list(user=officer, filters={"stage": "nominated"})) == {"Trần Đức Đạt"}

    def test_sorting(self, people, officer) -> None:  # type: ignore[no-untyped-def]
        ordered = list(candidate_list(user=officer, filters={"ordering": "name"}).values_list("name_key", flat=True))
        assert ordered == sorted(ordered)
        reverse = list(candidate_list(user=officer, filters={"ordering": "-name"}).values_list("name_key", flat=True))
        assert reverse == sorted(ordered, reverse=True)


def test_detail_loads_in_constant_queries(org_tree, officer, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    c = make_candidate(org_tree.school_a)
    for year in range(2015, 2025):
        services.achievement_add(candidate=c, actor=officer, category="award", level="school", year=year,
                                 title=f"Học sinh giỏi {year}")
    with django_assert_max_num_queries(10):
        detail = candidate_detail(user=officer, pk=c.pk)
        assert len(detail.achievements.all()) == 10
        assert [t.to_stage for t in detail.transitions.all()] == ["discovered"]


def test_counts(org_tree, people, officer, ward_officer) -> None:  # type: ignore[no-untyped-def]
    counts = {row["stage"]: row["count"] for row in stage_counts(user=officer)}
    assert counts["discovered"] == 6 and counts["appointed"] == 0
    assert sum(r["count"] for r in stage_counts(user=ward_officer)) == 2
    orgs = organization_counts(user=officer)
    assert orgs[0] == {"id": org_tree.school_b.pk, "name": "THPT Trần Đại Nghĩa", "count": 3}


def test_age_uses_todays_date_in_vietnam(org_tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    c = make_candidate(org_tree.school_a, date_of_birth=dt.date(2000, 6, 15))
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 6, 14))
    assert c.age == 25
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 6, 15))
    assert c.age == 26


def test_detail_shows_only_pools_the_user_may_see(org_tree, officer) -> None:  # type: ignore[no-untyped-def]
    liaison = make_user(Role.LIAISON, org_tree.uni)
    c = make_candidate(org_tree.faculty, "Lê Thị Nga", gender="female")
    city_pool = services.pool_create(actor=officer, name="Nguồn thành phố", kind="young_talent", owner=org_tree.city)
    uni_pool = services.pool_create(actor=None, name="Nguồn Bách khoa", kind="young_talent", owner=org_tree.uni)
    services.pool_add(pool=city_pool, candidate=c, actor=officer)
    services.pool_add(pool=uni_pool, candidate=c, actor=officer)
    seen = [m.pool.name for m in candidate_detail(user=liaison, pk=c.pk).pool_memberships.all()]
    assert seen == ["Nguồn Bách khoa"]
    assert len(candidate_detail(user=officer, pk=c.pk).pool_memberships.all()) == 2
