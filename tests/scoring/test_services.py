"""Scoring services: cohorts, rubric versions (immutable once active), score runs and their
reproduction, re-scoring after a change, rule sets and contests."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.models import AuditEvent, Job
from scoring import engine, services
from scoring.models import EligibilityRuleSet, RecordContest, Rubric, RubricVersion, Score, ScoreRun
from scoring.services import Cohort, cohort_parse
from talent import services as talent
from talent.models import AnnualRating, Candidate, Role, Stage
from tests.factories import make_candidate, make_user

THIS_YEAR = timezone.localdate().year  # the year load_features counts ratings back from


def university_student(org: Any, name: str, *, gpa: float | None, conduct: int | None = 80, start_year: int = 2022,
                       level: str = "university", **fields: Any) -> Candidate:
    candidate = make_candidate(org, full_name=name, date_of_birth=dt.date(2003, 5, 1), **fields)
    talent.education_record_add(candidate=candidate, actor=None, level=level, start_year=start_year,
                                institution_name="ĐH Bách khoa", gpa=gpa, conduct_score=conduct)
    return candidate


def verified(candidate: Candidate, category: str, level: str = "national", award_rank: str = "first") -> None:
    talent.achievement_add(candidate=candidate, actor=None, category=category, level=level, award_rank=award_rank,
                           year=THIS_YEAR - 1, title=f"{category} {level}", verified=True)


@pytest.fixture
def students(org_tree) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    """Five university students in the faculty (different GPAs and records), one at ward B, a pupil
    (filtered out of the university rubric) and a student without a GPA (excluded: GPA is required)."""
    faculty = org_tree.faculty
    an = university_student(faculty, "Nguyễn Văn An", gpa=3.9, conduct=95)
    binh = university_student(faculty, "Trần Thị Bình", gpa=3.5, conduct=None, gender="female")
    chi = university_student(faculty, "Lê Minh Chí", gpa=3.5, conduct=70)
    dung = university_student(faculty, "Phạm Dũng", gpa=2.8, conduct=85, start_year=2023)
    em = university_student(faculty, "Võ Thị Em", gpa=3.2, conduct=90, gender="female")
    verified(an, "research")
    verified(chi, "volunteering", level="school", award_rank="")
    verified(chi, "leadership", level="school", award_rank="")
    talent.language_certificate_add(candidate=em, actor=None, language="en", level=5, verified=True)
    ward_b = university_student(org_tree.ward_b, "Đỗ Văn Giang", gpa=3.0, conduct=80)
    pupil = university_student(org_tree.school_a, "Hồ Văn Hải", gpa=None, conduct=90, level="grade_12")
    no_gpa = university_student(faculty, "Mai Văn Khoa", gpa=None, conduct=90)
    return SimpleNamespace(an=an, binh=binh, chi=chi, dung=dung, em=em, ward_b=ward_b, pupil=pupil, no_gpa=no_gpa,
                           ranked=[an, binh, chi, dung, em, ward_b])


def version_of(slug: str) -> RubricVersion:
    version = Rubric.objects.get(slug=slug).active_version
    assert version is not None
    return version


def summed(contributions: dict[str, float], version: RubricVersion) -> float:
    total = 0.0
    for criterion in version.criteria:  # criterion order, left to right: what the engine does
        total += contributions[criterion["key"]]
    return total


# --- Cohorts ------------------------------------------------------------------------------------------

class TestCohorts:
    def test_all(self, db) -> None:  # type: ignore[no-untyped-def]
        assert cohort_parse(None) == Cohort("all") == cohort_parse("  all ")
        assert cohort_parse("all").key == "all"

    def test_organization_by_id_or_code(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        by_id = cohort_parse(f"org:{org_tree.uni.pk}")
        assert (by_id.kind, by_id.value, by_id.label) == ("org", org_tree.uni.pk, org_tree.uni.name)
        assert cohort_parse("org:u-bk") == by_id  # the code, in any case
        assert by_id.key == f"org:{org_tree.uni.pk}"

    def test_year_and_pool(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        assert cohort_parse("year:2024") == Cohort("year", 2024, "Khoá 2024")
        pool = talent.pool_create(actor=officer, name="Nguồn 2025", kind="young_talent", owner=org_tree.city)
        assert cohort_parse(f"pool:{pool.pk}", user=officer) == Cohort("pool", pool.pk, "Nguồn 2025")

    @pytest.mark.parametrize("text", ["everyone", "org:", "org:NO-SUCH", "org:999999", "year:1800", "year:20x4",
                                      "pool:999999", "pool:abc", "year"])
    def test_nonsense_is_refused(self, org_tree, text: str) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationError) as caught:
            cohort_parse(text)
        assert "cohort" in caught.value.message_dict

    def test_out_of_scope_organization_is_refused_like_a_missing_one(self, org_tree, ward_officer) -> None:  # type: ignore[no-untyped-def]
        assert cohort_parse(f"org:{org_tree.school_a.pk}", user=ward_officer).value == org_tree.school_a.pk
        with pytest.raises(ValidationError) as outside:
            cohort_parse(f"org:{org_tree.ward_b.pk}", user=ward_officer)
        with pytest.raises(ValidationError) as missing:
            cohort_parse("org:999999", user=ward_officer)
        assert outside.value.message_dict == missing.value.message_dict
        with pytest.raises(ValidationError) as by_code:
            cohort_parse("org:W-B", user=ward_officer)
        assert by_code.value.message_dict == missing.value.message_dict

    def test_out_of_scope_pool_is_refused_like_a_missing_one(self, org_tree, ward_officer) -> None:  # type: ignore[no-untyped-def]
        pool = talent.pool_create(actor=None, name="Nguồn phường B", kind="young_talent", owner=org_tree.ward_b)
        with pytest.raises(ValidationError) as outside:
            cohort_parse(f"pool:{pool.pk}", user=ward_officer)
        with pytest.raises(ValidationError) as missing:
            cohort_parse("pool:999999", user=ward_officer)
        assert outside.value.message_dict == missing.value.message_dict

    def test_cohort_members(self, org_tree, students) -> None:  # type: ignore[no-untyped-def]
        everyone = set(services.cohort_candidates(Cohort("all")))
        assert everyone == {*students.ranked, students.pupil, students.no_gpa}
        faculty = set(services.cohort_candidates(cohort_parse(f"org:{org_tree.uni.pk}")))
        assert faculty == {students.an, students.binh, students.chi, students.dung, students.em, students.no_gpa}
        assert set(services.cohort_candidates(Cohort("year", 2023))) == {students.dung}
        pool = talent.pool_create(actor=None, name="Nguồn", kind="young_talent", owner=org_tree.city)
        talent.pool_add(pool=pool, candidate=students.em, actor=None)
        assert list(services.cohort_candidates(Cohort("pool", pool.pk))) == [students.em]

    def test_erased_and_exited_people_are_not_ranked(self, students) -> None:  # type: ignore[no-untyped-def]
        Candidate.objects.filter(pk=students.an.pk).update(stage=Stage.EXITED)
        Candidate.objects.filter(pk=students.binh.pk).update(erased_at=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc))
        members = set(services.cohort_candidates(Cohort("all")))
        assert students.an not in members and students.binh not in members and students.chi in members

    def test_who_may_rank(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        liaison = make_user(Role.LIAISON, org_tree.uni)
        services.check_may_rank(officer, Cohort("all"))
        services.check_may_rank(liaison, Cohort("org", org_tree.uni.pk))
        with pytest.raises(PermissionDenied):
            services.check_may_rank(liaison, Cohort("all"))
        with pytest.raises(PermissionDenied):
            services.check_may_rank(liaison, Cohort("year", 2024))
        for role in (Role.STUDENT, Role.RECRUITER):
            with pytest.raises(PermissionDenied):
                services.check_may_rank(make_user(role, org_tree.uni), Cohort("org", org_tree.uni.pk))


# --- Rubric versions ------------------------------------------------------------------------------------

class TestRubricVersions:
    def test_an_active_version_cannot_be_changed(self, db) -> None:  # type: ignore[no-untyped-def]
        version = version_of("university-student")
        version.criteria = [{**version.criteria[0], "weight": 99}, *version.criteria[1:]]
        with pytest.raises(ValidationError):
            version.save()
        version.refresh_from_db()
        version.filters = []
        with pytest.raises(ValidationError):
            version.save()
        version.refresh_from_db()
        assert version.criteria[0]["weight"] == 30 and version.filters
        # Its state may still move on (active → archived).
        version.state = RubricVersion.State.ARCHIVED
        version.save()

    def test_draft_update_on_an_active_version_is_refused(self, officer) -> None:  # type: ignore[no-untyped-def]
        version = version_of("university-student")
        with pytest.raises(ValidationError) as caught:
            services.rubric_draft_update(version=version, criteria=version.criteria, filters=[], note="x",
                                         actor=officer)
        assert "state" in caught.value.message_dict

    def test_draft_then_activate_archives_the_previous_version(self, officer) -> None:  # type: ignore[no-untyped-def]
        rubric = Rubric.objects.get(slug="university-student")
        first = rubric.active_version
        draft = services.rubric_draft_create(rubric=rubric, actor=officer)
        assert (draft.number, draft.state) == (2, RubricVersion.State.DRAFT)
        assert draft.criteria == first.criteria and draft.filters == first.filters
        assert services.rubric_draft_create(rubric=rubric, actor=officer) == draft  # one draft at a time
        criteria = [{**c, "weight": 40 if c["key"] == "gpa" else c["weight"]} for c in draft.criteria]
        services.rubric_draft_update(version=draft, criteria=criteria, filters=draft.filters, note="GPA nặng hơn",
                                     actor=officer)
        services.rubric_version_activate(version=draft, actor=officer)
        first.refresh_from_db()
        draft.refresh_from_db()
        assert first.state == RubricVersion.State.ARCHIVED
        assert draft.state == RubricVersion.State.ACTIVE and draft.activated_by == officer
        assert rubric.active_version == draft and draft.criteria[0]["weight"] == 40
        assert AuditEvent.objects.filter(action="rubric.activate", object_id=str(draft.pk)).exists()
        with pytest.raises(ValidationError):
            services.rubric_version_activate(version=draft, actor=officer)  # no longer a draft

    def test_an_archived_version_still_reproduces_its_run(self, officer, students) -> None:  # type: ignore[no-untyped-def]
        rubric = Rubric.objects.get(slug="university-student")
        run = services.score_run_execute(version=rubric.active_version, cohort=Cohort("all"))
        draft = services.rubric_draft_create(rubric=rubric, actor=officer)
        services.rubric_version_activate(version=draft, actor=officer)
        run.refresh_from_db()
        assert run.version.state == RubricVersion.State.ARCHIVED
        assert services.score_run_reproduce(run)

    @pytest.mark.parametrize(("change", "message"), [
        ({"feature": "shoe_size"}, "shoe_size"),
        ({"weight": -3}, "trọng số"),
        ({"normalization": "fixed", "scale_min": None, "scale_max": None}, "thang cố định"),
        ({"missing": "guess"}, "thiếu dữ liệu"),
    ])
    def test_draft_update_validates(self, officer, change: dict[str, Any], message: str) -> None:  # type: ignore[no-untyped-def]
        draft = services.rubric_draft_create(rubric=Rubric.objects.get(slug="young-cadre"), actor=officer)
        criteria = [{**draft.criteria[0], **change}, *draft.criteria[1:]]
        with pytest.raises(ValidationError, match=message):
            services.rubric_draft_update(version=draft, criteria=criteria, filters=draft.filters, note="", actor=officer)
        with pytest.raises(ValidationError):
            services.rubric_draft_update(version=draft, criteria=[{"key": "k"}], filters=[], note="", actor=officer)
        with pytest.raises(ValidationError):
            services.rubric_draft_update(version=draft, criteria=draft.criteria,
                                         filters=[{"feature": "age", "op": "≈", "value": 1}], note="", actor=officer)
        draft.refresh_from_db()
        assert draft.criteria == version_of("young-cadre").criteria  # nothing was saved

    @pytest.mark.parametrize("role", [Role.LIAISON, Role.STUDENT, Role.RECRUITER])
    def test_only_admins_and_officers_edit_rubrics(self, org_tree, admin_user, officer, role: str) -> None:  # type: ignore[no-untyped-def]
        rubric = Rubric.objects.get(slug="final-year-pupil")
        someone = make_user(role, org_tree.uni)
        with pytest.raises(PermissionDenied):
            services.rubric_draft_create(rubric=rubric, actor=someone)
        draft = services.rubric_draft_create(rubric=rubric, actor=admin_user)
        with pytest.raises(PermissionDenied):
            services.rubric_draft_update(version=draft, criteria=draft.criteria, filters=draft.filters, note="",
                                         actor=someone)
        with pytest.raises(PermissionDenied):
            services.rubric_version_activate(version=draft, actor=someone)
        services.rubric_version_activate(version=draft, actor=officer)


# --- Score runs -------------------------------------------------------------------------------------------

class TestScoreRuns:
    def test_execute_stores_one_row_per_ranked_candidate(self, students) -> None:  # type: ignore[no-untyped-def]
        version = version_of("university-student")
        run = services.score_run_execute(version=version, cohort=Cohort("all"))
        assert run.status == ScoreRun.Status.SUCCEEDED and run.finished_at is not None
        assert (run.size, run.excluded) == (6, 2)  # the pupil is filtered out, the student without GPA excluded
        rows = list(Score.objects.filter(run=run).order_by("rank"))
        assert [r.rank for r in rows] == [1, 2, 3, 4, 5, 6]
        assert {r.candidate_id for r in rows} == {c.pk for c in students.ranked}
        assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
        assert rows[0].candidate_id == students.an.pk and rows[0].percentile == 100.0 and rows[-1].percentile == 0.0
        keys = [c["key"] for c in version.criteria]
        for row in rows:
            assert sorted(row.contributions) == sorted(keys) and sorted(row.values) == sorted(keys)
            assert summed(row.contributions, version) == row.score  # exactly
        binh = next(r for r in rows if r.candidate_id == students.binh.pk)
        assert binh.values["gpa"] == 3.5 and binh.values["conduct"] is None  # shown missing, scored as the median
        assert binh.contributions["conduct"] > 0
        # The same ranking as the engine gives directly.
        ranking, _frame = services.rank_cohort(version, Cohort("all"))
        assert [int(i) for i in ranking.table.index] == [r.candidate_id for r in rows]
        assert ranking.excluded[students.no_gpa.pk].startswith("Thiếu dữ liệu")
        assert ranking.excluded[students.pupil.pk].startswith("Không đạt điều kiện")

    def test_reproduce_a_stored_run(self, students) -> None:  # type: ignore[no-untyped-def]
        run = services.score_run_execute(version=version_of("university-student"), cohort=Cohort("all"))
        assert services.score_run_reproduce(run) is True

    def test_reproduce_is_false_when_a_row_was_tampered_with(self, students) -> None:  # type: ignore[no-untyped-def]
        run = services.score_run_execute(version=version_of("university-student"), cohort=Cohort("all"))
        Score.objects.filter(run=run, rank=3).update(score=F("score") + 0.0001)
        assert services.score_run_reproduce(run) is False

    def test_reproduce_is_false_when_a_contribution_was_tampered_with(self, students) -> None:  # type: ignore[no-untyped-def]
        run = services.score_run_execute(version=version_of("university-student"), cohort=Cohort("all"))
        row = Score.objects.get(run=run, rank=2)
        row.contributions = {**row.contributions, "research": row.contributions["research"] + 1}
        row.save()
        assert services.score_run_reproduce(run) is False

    def test_reproduce_is_false_when_a_raw_value_was_tampered_with(self, students) -> None:  # type: ignore[no-untyped-def]
        run = services.score_run_execute(version=version_of("university-student"), cohort=Cohort("all"))
        row = Score.objects.get(run=run, candidate=students.dung)
        row.values = {**row.values, "gpa": 4.0}
        row.save()
        assert services.score_run_reproduce(run) is False

    def test_reproduce_with_values_that_have_many_decimals(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        # Young cadres: the mean of three annual ratings is 10/3; stored rounded, it would not reproduce.
        for index, ratings in enumerate([("excellent", "good", "good"), ("good", "good", "complete"),
                                         ("excellent", "excellent", "good")]):
            cadre = make_candidate(org_tree.agency, full_name=f"Cán bộ {'ABC'[index]}", stage=Stage.RECRUITED,
                                   date_of_birth=dt.date(1996, 1, 1))
            for offset, rating in enumerate(ratings, start=1):
                AnnualRating.objects.create(candidate=cadre, year=THIS_YEAR - offset, rating=rating)
        run = services.score_run_execute(version=version_of("young-cadre"), cohort=Cohort("all"))
        assert run.size == 3
        assert any(s["values"]["ratings"] == 10 / 3 for s in run.scores.values("values"))
        assert services.score_run_reproduce(run) is True

    def test_an_empty_cohort_gives_an_empty_run(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        run = services.score_run_execute(version=version_of("final-year-pupil"), cohort=Cohort("all"))
        assert run.status == ScoreRun.Status.SUCCEEDED and run.size == 0
        assert services.score_run_reproduce(run) is True

    def test_a_failing_run_is_marked_failed(self, students, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        def broken(*args: Any, **kwargs: Any) -> Any:
            raise engine.RubricError("hỏng")

        monkeypatch.setattr(services.engine, "rank", broken)
        with pytest.raises(engine.RubricError):
            services.score_run_execute(version=version_of("university-student"), cohort=Cohort("all"))
        assert ScoreRun.objects.get().status == ScoreRun.Status.FAILED
        assert not Score.objects.exists()

    def test_start_queues_a_job_for_staff_only(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        rubric = Rubric.objects.get(slug="university-student")
        job = services.score_run_start(rubric=rubric, cohort=Cohort("all"), actor=officer)
        assert job.kind == "scoring.run"
        assert job.params == {"version": rubric.active_version.pk, "cohort": "all"}
        with pytest.raises(PermissionDenied):
            services.score_run_start(rubric=rubric, cohort=Cohort("all"), actor=make_user(Role.STUDENT, org_tree.uni))

    def test_latest_or_execute_reuses_the_newest_run(self, students, officer) -> None:  # type: ignore[no-untyped-def]
        rubric = Rubric.objects.get(slug="university-student")
        first = services.score_run_latest_or_execute(rubric=rubric, cohort=Cohort("all"), actor=officer)
        assert services.score_run_latest_or_execute(rubric=rubric, cohort=Cohort("all"), actor=officer) == first
        assert ScoreRun.objects.count() == 1


# --- Re-scoring after a change ----------------------------------------------------------------------------

class TestRefresh:
    def test_a_change_after_a_run_schedules_exactly_one_refresh(self, students,  # type: ignore[no-untyped-def]
                                                                django_capture_on_commit_callbacks) -> None:
        services.score_run_execute(version=version_of("university-student"), cohort=Cohort("all"))
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                verified(students.dung, "research")
                verified(students.dung, "award", level="province")
        jobs = Job.objects.filter(kind="scoring.refresh")
        assert jobs.count() == 1
        # While that one waits in the queue, another change does not add a second.
        with django_capture_on_commit_callbacks(execute=True):
            verified(students.em, "award", level="school")
        assert jobs.count() == 1

    def test_nothing_is_scheduled_before_any_run(self, students,  # type: ignore[no-untyped-def]
                                                 django_capture_on_commit_callbacks) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            verified(students.dung, "research")
        assert not Job.objects.filter(kind="scoring.refresh").exists()

    def test_a_rolled_back_change_does_not_block_later_refreshes(self, students,  # type: ignore[no-untyped-def]
                                                                 django_capture_on_commit_callbacks) -> None:
        services.score_run_execute(version=version_of("university-student"), cohort=Cohort("all"))
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                verified(students.dung, "research")
                raise RuntimeError("rolled back")
        with django_capture_on_commit_callbacks(execute=True):
            verified(students.em, "research")
        assert Job.objects.filter(kind="scoring.refresh").count() == 1

    def test_scores_refresh_ranks_again(self, students) -> None:  # type: ignore[no-untyped-def]
        version = version_of("university-student")
        before = services.score_run_execute(version=version, cohort=Cohort("all"))
        assert before.scores.get(candidate=students.dung).rank == 6
        for _ in range(3):
            verified(students.dung, "research")
            verified(students.dung, "award")
        talent.language_certificate_add(candidate=students.dung, actor=None, language="en", level=6, verified=True)
        assert services.scores_refresh() == 1  # one cohort ranked under one active version
        after = services.latest_run(version, Cohort("all"))
        assert after is not None and after != before
        assert after.scores.get(candidate=students.dung).rank < 6
        assert before.scores.get(candidate=students.dung).rank == 6  # the old run is kept as it was
        assert services.score_run_reproduce(after)


# --- Rule sets ----------------------------------------------------------------------------------------------

class TestRuleSets:
    RULES = [{"key": "age", "label": "Từ 18 tuổi", "mode": "all",
              "conditions": [{"feature": "age", "op": ">=", "value": 18, "label": "Từ đủ 18 tuổi"}]}]

    def test_admin_updates_and_the_version_moves_on(self, admin_user) -> None:  # type: ignore[no-untyped-def]
        rule_set = EligibilityRuleSet.objects.get(slug="youth-age")
        updated = services.rule_set_update(rule_set=rule_set, rules=self.RULES, source="  Quyết định 1/2026 ",
                                           caution="", actor=admin_user)
        updated.refresh_from_db()
        assert (updated.rules, updated.source, updated.version) == (self.RULES, "Quyết định 1/2026", 2)
        assert updated.updated_by == admin_user
        assert AuditEvent.objects.filter(action="rule_set.update", object_id=str(rule_set.pk)).exists()

    def test_only_admins(self, officer) -> None:  # type: ignore[no-untyped-def]
        rule_set = EligibilityRuleSet.objects.get(slug="youth-age")
        with pytest.raises(PermissionDenied):
            services.rule_set_update(rule_set=rule_set, rules=self.RULES, source="x", caution="", actor=officer)

    @pytest.mark.parametrize(("rules", "source", "field"), [
        (RULES, "   ", "source"),
        ([], "QĐ", "rules"),
        ([{"key": "a", "label": "A", "conditions": [{"feature": "height", "op": ">=", "value": 1}]}], "QĐ", "rules"),
        ([{"key": "a", "label": "A", "mode": "most", "conditions": RULES[0]["conditions"]}], "QĐ", "rules"),
    ])
    def test_invalid_updates_are_refused(self, admin_user, rules: Any, source: str, field: str) -> None:  # type: ignore[no-untyped-def]
        rule_set = EligibilityRuleSet.objects.get(slug="youth-age")
        with pytest.raises(ValidationError) as caught:
            services.rule_set_update(rule_set=rule_set, rules=rules, source=source, caution="", actor=admin_user)
        assert field in caught.value.message_dict
        rule_set.refresh_from_db()
        assert rule_set.version == 1


# --- Contests -------------------------------------------------------------------------------------------------

class TestContests:
    @pytest.fixture
    def people(self, org_tree, students) -> SimpleNamespace:  # type: ignore[no-untyped-def]
        student = make_user(Role.STUDENT, org_tree.faculty)
        Candidate.objects.filter(pk=students.chi.pk).update(user=student)
        students.chi.refresh_from_db()
        return SimpleNamespace(student=student, mine=students.chi, other=students.an,
                               liaison=make_user(Role.LIAISON, org_tree.uni))

    def open(self, people: SimpleNamespace, candidate: Candidate | None = None, actor: Any = None,
             message: str = "Giải nghiên cứu năm ngoái chưa được tính.") -> RecordContest:
        return services.contest_open(candidate=candidate or people.mine, criterion="research",
                                     criterion_label="Nghiên cứu khoa học", message=message,
                                     rubric=Rubric.objects.get(slug="university-student"), actor=actor or people.student)

    def test_a_student_contests_their_own_record_only(self, people) -> None:  # type: ignore[no-untyped-def]
        contest = self.open(people)
        assert (contest.status, contest.candidate, contest.opened_by) == ("open", people.mine, people.student)
        with pytest.raises(PermissionDenied):
            self.open(people, candidate=people.other)
        with pytest.raises(ValidationError):
            self.open(people, message=" sai ")

    def test_resolve(self, people, ward_officer) -> None:  # type: ignore[no-untyped-def]
        contest = self.open(people)
        with pytest.raises(PermissionDenied):
            services.contest_resolve(contest=contest, status="corrected", note="", actor=people.student)
        with pytest.raises(PermissionDenied):  # the faculty is outside ward A
            services.contest_resolve(contest=contest, status="corrected", note="", actor=ward_officer)
        with pytest.raises(ValidationError) as no_note:
            services.contest_resolve(contest=contest, status="rejected", note="  ", actor=people.liaison)
        assert "note" in no_note.value.message_dict
        with pytest.raises(ValidationError):
            services.contest_resolve(contest=contest, status="open", note="x", actor=people.liaison)
        done = services.contest_resolve(contest=contest, status="rejected", note="Giải chưa có minh chứng.",
                                        actor=people.liaison)
        done.refresh_from_db()
        assert (done.status, done.resolution_note, done.resolved_by) == ("rejected", "Giải chưa có minh chứng.",
                                                                         people.liaison)
        with pytest.raises(ValidationError):  # already resolved
            services.contest_resolve(contest=done, status="corrected", note="", actor=people.liaison)

    def test_corrected_needs_no_note(self, people) -> None:  # type: ignore[no-untyped-def]
        contest = self.open(people)
        assert services.contest_resolve(contest=contest, status="corrected", note="", actor=people.liaison).status \
            == "corrected"
