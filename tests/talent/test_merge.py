"""Merging two records of one person: everything moves, both histories stay, two people are refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.services import user_create
from core.models import AuditEvent
from privacy.models import Consent, ErasureRequest
from talent import services
from talent.models import Candidate, MergeSuggestion, Role
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(org_tree):  # type: ignore[no-untyped-def]
    keep = make_candidate(org_tree.school_a, full_name="Nguyễn Văn An", date_of_birth=dt.date(2007, 9, 5),
                          citizen_id="079207000001")
    drop = make_candidate(org_tree.school_b, full_name="Nguyễn Văn An", date_of_birth=dt.date(2007, 9, 5),
                          email="an@example.com", phone="0912345678", exam_number="02000001", exam_year=2025)
    return keep, drop


def test_merge_moves_every_record_fills_blanks_and_keeps_both_histories(pair, officer, org_tree) -> None:
    keep, drop = pair
    services.candidate_advance(candidate=drop, to_stage="nominated", actor=None)
    services.achievement_add(candidate=drop, actor=None, category="award", level="school", year=2025, title="HSG")
    services.education_record_add(candidate=drop, actor=None, level="grade_12", start_year=2024,
                                  institution_name="THPT Trần Đại Nghĩa")
    services.language_certificate_add(candidate=drop, actor=None, language="en", level=4)
    pool = services.pool_create(actor=None, name="Nguồn", kind="young_talent", owner=org_tree.city)
    services.pool_add(pool=pool, candidate=keep, actor=None)
    services.pool_add(pool=pool, candidate=drop, actor=None)
    for c in (keep, drop):
        Consent.objects.create(candidate=c, purpose=Consent.Purpose.SHARE_WITH_RECRUITERS,
                               given_by=Consent.GivenBy.SELF)
    account = user_create(actor=None, username="an.student", password="Mat-khau-manh-2026", role=Role.STUDENT,
                          candidate=drop)
    suggestion = MergeSuggestion.objects.create(candidate=drop, other=keep, reasons=["name_dob"])
    drop_id = drop.pk

    kept = services.candidate_merge(keep=keep, drop=drop, actor=officer)

    assert not Candidate.objects.filter(pk=drop_id).exists()
    assert (kept.email, kept.phone, kept.exam_number, kept.exam_year) == ("an@example.com", "0912345678",
                                                                         "02000001", 2025)
    assert kept.citizen_id_hash and kept.user == account
    assert kept.achievements.count() == 1 and kept.education.count() == 1 and kept.languages.count() == 1
    assert [t.to_stage for t in kept.transitions.all()].count("discovered") == 2  # both first steps
    assert kept.pool_memberships.count() == 1
    assert kept.consents.filter(withdrawn_at__isnull=True).count() == 1 and kept.consents.count() == 2
    suggestion.refresh_from_db()
    assert suggestion.status == MergeSuggestion.Status.MERGED and suggestion.decided_by == officer
    merge_event = AuditEvent.objects.get(action="candidate.merge")
    assert merge_event.changes["merged_from"] == drop_id
    # The dropped record's own events stay readable from the kept record.
    history = AuditEvent.objects.about_candidate(kept.pk)
    assert history.filter(object_id=str(drop_id), action="candidate.register").exists()


def test_two_people_are_not_merged(org_tree, officer) -> None:
    a = make_candidate(org_tree.school_a, citizen_id="079205000001")
    b = make_candidate(org_tree.school_b, citizen_id="079205000002")
    with pytest.raises(ValidationError):
        services.candidate_merge(keep=a, drop=b, actor=officer)
    c = make_candidate(org_tree.school_a, full_name="Lê Văn C", exam_number="02000001", exam_year=2025)
    d = make_candidate(org_tree.school_a, full_name="Lê Văn C", exam_number="02000002", exam_year=2025)
    with pytest.raises(ValidationError):
        services.candidate_merge(keep=c, drop=d, actor=officer)
    with pytest.raises(ValidationError):
        services.candidate_merge(keep=c, drop=c, actor=officer)
    assert Candidate.objects.count() == 4


def test_a_pending_erasure_request_follows_the_person_but_two_are_decided_first(pair, officer) -> None:
    keep, drop = pair
    asked = ErasureRequest.objects.create(candidate=drop, reason="Không muốn tham gia")
    second = ErasureRequest.objects.create(candidate=keep)
    with pytest.raises(ValidationError) as refused:
        services.candidate_merge(keep=keep, drop=drop, actor=officer)
    assert "erasure" in refused.value.message_dict
    assert Candidate.objects.filter(pk__in=[keep.pk, drop.pk]).count() == 2
    second.status = ErasureRequest.Status.REJECTED
    second.save()
    services.candidate_merge(keep=keep, drop=drop, actor=officer)
    asked.refresh_from_db()
    assert asked.candidate_id == keep.pk and asked.status == ErasureRequest.Status.PENDING
    assert set(ErasureRequest.objects.filter(candidate=keep)) == {asked, second}


def test_merge_needs_both_records_in_scope(pair, ward_officer, org_tree) -> None:
    keep, drop = pair  # school_b is outside ward A
    with pytest.raises(PermissionDenied):
        services.candidate_merge(keep=keep, drop=drop, actor=ward_officer)
    recruiter = make_user(Role.RECRUITER, org_tree.agency)
    with pytest.raises(PermissionDenied):
        services.candidate_merge(keep=keep, drop=drop, actor=recruiter)
    assert Candidate.objects.count() == 2


def test_dismiss_closes_the_suggestion_once(pair, officer, ward_officer) -> None:
    keep, drop = pair
    suggestion = MergeSuggestion.objects.create(candidate=drop, other=keep, reasons=["name_dob"])
    assert MergeSuggestion.objects.for_user(ward_officer).count() == 0  # sees only one of the two
    assert list(MergeSuggestion.objects.for_user(officer)) == [suggestion]
    with pytest.raises(PermissionDenied):
        services.merge_suggestion_dismiss(suggestion=suggestion, actor=ward_officer)
    services.merge_suggestion_dismiss(suggestion=suggestion, actor=officer)
    suggestion.refresh_from_db()
    assert suggestion.status == MergeSuggestion.Status.DISMISSED
    with pytest.raises(ValidationError):
        services.merge_suggestion_dismiss(suggestion=suggestion, actor=officer)
    assert Candidate.objects.count() == 2


def test_merge_moves_the_rows_of_the_apps_above_talent_too(pair, officer, org_tree) -> None:
    """Ratings, trainings, shortlist cards, placements, contests and stored scores follow the person:
    without the merge hooks they were deleted with the dropped record."""
    from openings.models import Opening, Placement, ShortlistEntry
    from scoring.models import RecordContest, Rubric, Score, ScoreRun
    from talent.models import AnnualRating, Organization, Training
    from tests.factories import make_org

    keep, drop = pair
    AnnualRating.objects.create(candidate=keep, year=2024, rating="good")
    AnnualRating.objects.create(candidate=drop, year=2024, rating="excellent")  # the kept record's year stands
    AnnualRating.objects.create(candidate=drop, year=2025, rating="excellent")
    Training.objects.create(candidate=drop, kind="leadership", title="Kỹ năng lãnh đạo", completed_on=dt.date(2025, 5, 1))
    agency = make_org("Sở Nội vụ", kind=Organization.Kind.AGENCY, parent=org_tree.city)
    both = Opening.objects.create(title="Chuyên viên", kind="job", agency=agency, slots=1)
    only_drop = Opening.objects.create(title="Thực tập sinh", kind="internship", agency=agency, slots=1)
    ShortlistEntry.objects.create(opening=both, candidate=keep)
    ShortlistEntry.objects.create(opening=both, candidate=drop)
    moved_entry = ShortlistEntry.objects.create(opening=only_drop, candidate=drop)
    Placement.objects.create(opening=only_drop, candidate=drop, entry=moved_entry, starts_on=dt.date(2026, 6, 1))
    version = Rubric.objects.get(slug="university-student").active_version
    shared_run = ScoreRun.objects.create(version=version)
    drop_only_run = ScoreRun.objects.create(version=version)
    Score.objects.create(run=shared_run, candidate=keep, rank=1, position=1, score=2.0, percentile=100)
    Score.objects.create(run=shared_run, candidate=drop, rank=2, position=2, score=1.0, percentile=0)
    Score.objects.create(run=drop_only_run, candidate=drop, rank=1, position=1, score=1.0, percentile=100)
    RecordContest.objects.create(candidate=drop, criterion="gpa4", message="Điểm trung bình chưa đúng.")

    kept = services.candidate_merge(keep=keep, drop=drop, actor=officer)

    assert sorted(kept.annual_ratings.values_list("year", "rating")) == [(2024, "good"), (2025, "excellent")]
    assert kept.trainings.count() == 1
    assert sorted(kept.shortlist_entries.values_list("opening__title", flat=True)) == ["Chuyên viên", "Thực tập sinh"]
    assert kept.placements.get().entry == moved_entry
    assert sorted(str(r) for r in kept.scores.values_list("run_id", flat=True)) == sorted(
        [str(shared_run.pk), str(drop_only_run.pk)])
    assert kept.scores.get(run=shared_run).score == 2.0
    assert kept.contests.count() == 1
