"""Writes of the openings app: positions, the shortlist board and its stage rules, the link between
outcomes and pipeline stages, notifications, per-reviewer ratings, notes and the mentor's feedback."""

from __future__ import annotations

import datetime as dt
import math
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg

from core.models import Notification
from openings import services
from openings.models import (
    MentorFeedback,
    Opening,
    Placement,
    ShortlistEntry,
    ShortlistMove,
    ShortlistNote,
    ShortlistRating,
    ShortlistStage,
)
from privacy.models import Consent
from scoring.features import load_features
from talent import services as talent_services
from talent.models import Candidate, Role, Stage, StageTransition
from tests.factories import make_candidate, make_org, make_user

SS = ShortlistStage


def _consent(candidate: Candidate) -> None:
    Consent.objects.create(candidate=candidate, purpose=Consent.Purpose.SHARE_WITH_RECRUITERS, given_by="self",
                           evidence_note="Văn bản có chữ ký")


@pytest.fixture
def world(org_tree, officer) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    """A pool shared with the agency: Mai and Lan consent (Mai has an account and an e-mail), Hùng is in
    the pool but silent; Tú is in no shared pool. A second agency with its own recruiter."""
    pool = talent_services.pool_create(actor=officer, name="Nguồn thu hút 2026", kind="young_talent",
                                       owner=org_tree.city, shared_with=[org_tree.agency])
    mai = make_candidate(org_tree.faculty, "Trần Thị Mai", gender="female", email="mai@example.vn")
    mai_user = make_user(Role.STUDENT, org_tree.faculty, username="mai")
    mai.user = mai_user
    mai.save(update_fields=["user"])
    lan = make_candidate(org_tree.faculty, "Phạm Ngọc Lan", gender="female", email="lan@example.vn")
    hung = make_candidate(org_tree.faculty, "Lê Văn Hùng")
    tu = make_candidate(org_tree.school_a, "Ngô Thị Tú", gender="female")
    for person in (mai, lan):
        _consent(person)
    for person in (mai, lan, hung):
        talent_services.pool_add(pool=pool, candidate=person, actor=officer)
    other_agency = make_org("Sở Tài chính", kind="agency", code="AG-TC")
    return SimpleNamespace(
        org=org_tree, officer=officer, pool=pool, mai=mai, mai_user=mai_user, lan=lan, hung=hung, tu=tu,
        recruiter=make_user(Role.RECRUITER, org_tree.agency, username="hr"),
        colleague=make_user(Role.RECRUITER, org_tree.agency, username="hr2"),
        stranger=make_user(Role.RECRUITER, other_agency, username="hr_tc"),
        other_agency=other_agency,
    )


def _job(world: SimpleNamespace, **fields: Any) -> Opening:
    fields = {"title": "Chuyên viên pháp chế", "kind": "job", "slots": 2, **fields}
    return services.opening_create(actor=world.recruiter, **fields)


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _walk(entry: ShortlistEntry, actor: Any, *stages: str, **kwargs: Any) -> ShortlistEntry:
    for stage in stages:
        entry = services.entry_move(entry=entry, stage=stage, actor=actor, **kwargs)
    return entry


# --- Openings ---------------------------------------------------------------------------------------


def test_a_recruiter_opens_a_position_of_their_own_agency(world) -> None:  # type: ignore[no-untyped-def]
    opening = _job(world, unit="Phòng Pháp chế", language_level=4, skills=["Soạn thảo văn bản"])
    assert opening.agency == world.org.agency and opening.created_by == world.recruiter
    assert (opening.kind, opening.slots, opening.status) == ("job", 2, Opening.Status.OPEN)
    assert opening.language_level == 4 and opening.skills == ["Soạn thảo văn bản"]


@pytest.mark.parametrize(("fields", "key"), [
    ({"title": "  "}, "title"),
    ({"kind": "volunteer"}, "kind"),
    ({"slots": 0}, "slots"),
    ({"slots": "nhiều"}, "slots"),
    ({"language_level": 7}, "language_level"),
    ({"reveal_names_at": "lunch"}, "reveal_names_at"),
])
def test_opening_create_validates_each_field(world, fields, key) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        _job(world, **fields)
    assert key in _errors(exc)
    assert not Opening.objects.exists()


def test_opening_create_roles_and_agencies(world) -> None:  # type: ignore[no-untyped-def]
    student = make_user(Role.STUDENT, world.org.faculty)
    with pytest.raises(PermissionDenied):
        services.opening_create(actor=student, title="Thực tập", kind="internship", slots=1)
    # A recruiter cannot publish for another agency; an officer publishes within their own subtree only.
    with pytest.raises(ValidationError) as exc:
        _job(world, agency=world.other_agency)
    assert "agency" in _errors(exc)
    internship = services.opening_create(actor=world.officer, title="Thực tập Văn phòng Thành Đoàn",
                                         kind="internship", slots=3, agency=world.org.ward_a)
    assert internship.agency == world.org.ward_a
    with pytest.raises(ValidationError) as exc:
        services.opening_create(actor=world.officer, title="Việc làm", kind="job", slots=1, agency=world.org.agency)
    assert "agency" in _errors(exc)
    no_org = make_user(Role.RECRUITER, None)
    with pytest.raises(ValidationError) as exc:
        services.opening_create(actor=no_org, title="Việc làm", kind="job", slots=1)
    assert "agency" in _errors(exc)


def test_only_managers_close_an_opening(world) -> None:  # type: ignore[no-untyped-def]
    opening = _job(world)
    with pytest.raises(PermissionDenied):
        services.opening_close(opening=opening, actor=world.stranger)
    services.opening_close(opening=opening, actor=world.colleague)
    opening.refresh_from_db()
    assert opening.status == Opening.Status.CLOSED
    with pytest.raises(ValidationError) as exc:
        services.shortlist_add(opening=opening, candidate=world.mai, actor=world.recruiter)
    assert "opening" in _errors(exc)


# --- Shortlisting -----------------------------------------------------------------------------------


def test_shortlist_add_refuses_an_unseen_candidate_like_a_missing_one(world) -> None:  # type: ignore[no-untyped-def]
    opening = _job(world)
    messages = []
    ghost = Candidate(pk=10**9, full_name="Không tồn tại")  # an id with no row behind it
    for person in (world.hung, world.tu, ghost):
        with pytest.raises(ValidationError) as exc:
            services.shortlist_add(opening=opening, candidate=person, actor=world.recruiter)
        messages.append(_errors(exc))
    assert messages[0] == messages[1] == messages[2] == {"candidate": ["Không có ứng viên này."]}
    assert not ShortlistEntry.objects.exists() and not Notification.objects.exists()
    world.hung.refresh_from_db()
    assert world.hung.stage == Stage.DISCOVERED


def test_shortlisting_marks_the_pipeline_and_is_idempotent(world, django_capture_on_commit_callbacks,
                                                          mailoutbox) -> None:  # type: ignore[no-untyped-def]
    opening = _job(world)
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.shortlist_add(opening=opening, candidate=world.mai, actor=world.recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.shortlist_add(opening=opening, candidate=world.mai, actor=world.recruiter)
    assert again.pk == entry.pk and entry.stage == SS.SHORTLISTED and entry.added_by == world.recruiter
    assert ShortlistEntry.objects.count() == 1
    assert list(ShortlistMove.objects.values_list("from_stage", "to_stage")) == [("", SS.SHORTLISTED)]
    world.mai.refresh_from_db()
    assert world.mai.stage == Stage.SHORTLISTED
    steps = list(StageTransition.objects.filter(candidate=world.mai).exclude(from_stage="")
                 .values_list("from_stage", "to_stage", "actor", "reason"))
    reason = f"Vào danh sách ngắn: {opening.title}"
    assert steps == [(Stage.DISCOVERED, Stage.NOMINATED, world.recruiter.pk, reason),
                     (Stage.NOMINATED, Stage.POOL, world.recruiter.pk, reason),
                     (Stage.POOL, Stage.SHORTLISTED, world.recruiter.pk, reason)]
    # Told once, in the bell and by e-mail after the commit.
    notes = list(Notification.objects.values_list("user", "kind"))
    assert notes == [(world.mai_user.pk, "shortlist.added")]
    assert [m.to for m in mailoutbox] == [["mai@example.vn"]]
    assert opening.title in mailoutbox[0].subject


def test_a_candidate_further_along_stays_where_they_are(world) -> None:  # type: ignore[no-untyped-def]
    for stage in (Stage.NOMINATED, Stage.POOL, Stage.PLANNING):
        talent_services.candidate_advance(candidate=world.lan, to_stage=stage, actor=world.officer)
    services.shortlist_add(opening=_job(world), candidate=world.lan, actor=world.recruiter)
    world.lan.refresh_from_db()
    assert world.lan.stage == Stage.PLANNING


def test_only_the_agency_manages_its_board(world) -> None:  # type: ignore[no-untyped-def]
    opening = _job(world)
    with pytest.raises(PermissionDenied):
        services.shortlist_add(opening=opening, candidate=world.mai, actor=world.stranger)
    entry = services.shortlist_add(opening=opening, candidate=world.mai, actor=world.colleague)
    for call in (lambda: services.entry_move(entry=entry, stage=SS.CONTACTED, actor=world.stranger),
                 lambda: services.rating_set(entry=entry, score=4, actor=world.stranger),
                 lambda: services.note_add(entry=entry, text="Ghi chú", actor=world.stranger)):
        with pytest.raises(PermissionDenied):
            call()


# --- Moves --------------------------------------------------------------------------------------------


def test_entry_move_rules(world) -> None:  # type: ignore[no-untyped-def]
    entry = services.shortlist_add(opening=_job(world), candidate=world.mai, actor=world.recruiter)
    hr = world.recruiter

    def refused(stage: str, reason: str = "") -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as exc:
            services.entry_move(entry=entry, stage=stage, actor=hr, reason=reason)
        return _errors(exc)

    assert "stage" in refused("onboarding")
    assert "stage" in refused(SS.SHORTLISTED)  # already there
    assert "stage" in refused(SS.HIRED)  # hired only after an offer
    assert "reason" in refused(SS.DECLINED) and "reason" in refused(SS.REFUSED, "   ")
    entry = _walk(entry, hr, SS.CONTACTED, SS.INTERVIEW)
    assert "reason" in refused(SS.CONTACTED)  # backwards needs a reason
    entry = services.entry_move(entry=entry, stage=SS.CONTACTED, actor=hr, reason="Hoãn phỏng vấn")
    entry = services.entry_move(entry=entry, stage=SS.REFUSED, actor=hr, reason="Chưa đủ kinh nghiệm")
    assert (entry.stage, entry.reason) == (SS.REFUSED, "Chưa đủ kinh nghiệm")
    assert "stage" in refused(SS.INTERVIEW)  # a stopped card only goes back to the shortlist
    entry = services.entry_move(entry=entry, stage=SS.SHORTLISTED, actor=hr)
    assert "stage" in refused(SS.HIRED)
    entry = _walk(entry, hr, SS.OFFER, SS.HIRED)
    assert "stage" in refused(SS.OFFER, "Đổi ý")  # hired is final
    moves = list(ShortlistMove.objects.filter(entry=entry).values_list("from_stage", "to_stage", "reason", "actor"))
    assert moves == [
        ("", SS.SHORTLISTED, "", hr.pk), (SS.SHORTLISTED, SS.CONTACTED, "", hr.pk),
        (SS.CONTACTED, SS.INTERVIEW, "", hr.pk), (SS.INTERVIEW, SS.CONTACTED, "Hoãn phỏng vấn", hr.pk),
        (SS.CONTACTED, SS.REFUSED, "Chưa đủ kinh nghiệm", hr.pk), (SS.REFUSED, SS.SHORTLISTED, "", hr.pk),
        (SS.SHORTLISTED, SS.OFFER, "", hr.pk), (SS.OFFER, SS.HIRED, "", hr.pk),
    ]


def test_a_declined_card_keeps_its_reason(world) -> None:  # type: ignore[no-untyped-def]
    entry = services.shortlist_add(opening=_job(world), candidate=world.mai, actor=world.recruiter)
    entry = services.entry_move(entry=entry, stage=SS.DECLINED, actor=world.recruiter, reason="  Đi du học  ")
    entry.refresh_from_db()
    assert (entry.stage, entry.reason) == (SS.DECLINED, "Đi du học")
    world.mai.refresh_from_db()
    assert world.mai.stage == Stage.SHORTLISTED  # declining does not move the pipeline back


def test_hired_for_a_job_marks_recruited_and_the_officer_sees_it(world) -> None:  # type: ignore[no-untyped-def]
    opening = _job(world)
    entry = services.shortlist_add(opening=opening, candidate=world.mai, actor=world.recruiter)
    _walk(entry, world.recruiter, SS.OFFER, SS.HIRED)
    seen = Candidate.objects.for_user(world.officer).get(pk=world.mai.pk)
    assert seen.stage == Stage.RECRUITED
    last = StageTransition.objects.filter(candidate=world.mai).latest("created_at", "id")
    assert (last.from_stage, last.to_stage, last.actor) == (Stage.SHORTLISTED, Stage.RECRUITED, world.recruiter)
    assert last.reason == f"Tuyển dụng: {opening.title}"
    assert not Placement.objects.exists()


def test_slots_limit_the_hired(world) -> None:  # type: ignore[no-untyped-def]
    opening = _job(world, slots=1)
    first = services.shortlist_add(opening=opening, candidate=world.mai, actor=world.recruiter)
    second = services.shortlist_add(opening=opening, candidate=world.lan, actor=world.recruiter)
    _walk(first, world.recruiter, SS.OFFER, SS.HIRED)
    second = services.entry_move(entry=second, stage=SS.OFFER, actor=world.recruiter)
    with pytest.raises(ValidationError) as exc:
        services.entry_move(entry=second, stage=SS.HIRED, actor=world.recruiter)
    assert "stage" in _errors(exc)
    second.refresh_from_db()
    world.lan.refresh_from_db()
    assert second.stage == SS.OFFER and world.lan.stage == Stage.SHORTLISTED


def test_hired_for_an_internship_starts_a_placement(world) -> None:  # type: ignore[no-untyped-def]
    mentor = make_user(Role.RECRUITER, world.org.agency, username="mentor")
    opening = services.opening_create(actor=world.recruiter, title="Thực tập sinh", kind="internship", slots=2,
                                      mentor=mentor, starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 8, 15))
    entry = services.shortlist_add(opening=opening, candidate=world.mai, actor=world.recruiter)
    entry = _walk(entry, world.recruiter, SS.OFFER)
    entry = services.entry_move(entry=entry, stage=SS.HIRED, actor=world.recruiter, starts_on=dt.date(2026, 6, 8))
    placement = Placement.objects.get()
    assert (placement.opening, placement.candidate, placement.entry, placement.mentor) == (
        opening, world.mai, entry, mentor)
    assert (placement.starts_on, placement.ends_on, placement.status) == (
        dt.date(2026, 6, 8), dt.date(2026, 8, 15), Placement.Status.ACTIVE)
    world.mai.refresh_from_db()
    assert world.mai.stage == Stage.PLACEMENT


def test_unseen_candidates_cannot_be_moved_either(world) -> None:  # type: ignore[no-untyped-def]
    entry = services.shortlist_add(opening=_job(world), candidate=world.lan, actor=world.recruiter)
    Consent.objects.filter(candidate=world.lan).update(withdrawn_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    with pytest.raises(ValidationError) as exc:
        services.entry_move(entry=entry, stage=SS.CONTACTED, actor=world.recruiter)
    assert _errors(exc) == {"candidate": ["Không có ứng viên này."]}


# --- Notifications ------------------------------------------------------------------------------------


def test_an_offer_tells_the_candidate_other_moves_do_not(world, django_capture_on_commit_callbacks,
                                                         mailoutbox) -> None:  # type: ignore[no-untyped-def]
    opening = _job(world)
    entry = services.shortlist_add(opening=opening, candidate=world.mai, actor=world.recruiter)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        entry = _walk(entry, world.recruiter, SS.CONTACTED, SS.INTERVIEW)
    assert not Notification.objects.exists() and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.entry_move(entry=entry, stage=SS.OFFER, actor=world.recruiter)
    assert len(callbacks) >= 1
    assert list(Notification.objects.values_list("user", "kind")) == [(world.mai_user.pk, "shortlist.offer")]
    assert [m.to for m in mailoutbox] == [["mai@example.vn"]] and opening.title in mailoutbox[0].subject


def test_no_mail_leaves_before_the_commit(world, django_capture_on_commit_callbacks,
                                          mailoutbox) -> None:  # type: ignore[no-untyped-def]
    """Without an account (no bell) the e-mail still goes, but only once the decision is committed."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.shortlist_add(opening=_job(world), candidate=world.lan, actor=world.recruiter)
    assert mailoutbox == [] and not Notification.objects.exists()
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [["lan@example.vn"]]


# --- Ratings and notes ----------------------------------------------------------------------------------


def test_ratings_are_kept_per_reviewer_and_averaged(world) -> None:  # type: ignore[no-untyped-def]
    entry = services.shortlist_add(opening=_job(world), candidate=world.mai, actor=world.recruiter)
    services.rating_set(entry=entry, score=2, actor=world.recruiter)
    services.rating_set(entry=entry, score=5, actor=world.recruiter)  # replaces the first
    services.rating_set(entry=entry, score="4", actor=world.colleague)
    assert dict(ShortlistRating.objects.values_list("reviewer__username", "score")) == {"hr": 5, "hr2": 4}
    assert ShortlistRating.objects.filter(entry=entry).aggregate(avg=Avg("score"))["avg"] == 4.5
    for bad in (0, 6, "", None, "năm"):
        with pytest.raises(ValidationError) as exc:
            services.rating_set(entry=entry, score=bad, actor=world.colleague)
        assert "score" in _errors(exc)
    assert ShortlistRating.objects.get(reviewer=world.colleague).score == 4


def test_notes(world) -> None:  # type: ignore[no-untyped-def]
    entry = services.shortlist_add(opening=_job(world), candidate=world.mai, actor=world.recruiter)
    with pytest.raises(ValidationError) as exc:
        services.note_add(entry=entry, text="   ", actor=world.recruiter)
    assert "text" in _errors(exc)
    services.note_add(entry=entry, text="  Gọi lại sau thi  ", actor=world.recruiter)
    services.note_add(entry=entry, text="x" * 2500, actor=world.colleague)
    notes = list(ShortlistNote.objects.filter(entry=entry).values_list("author__username", "text"))
    assert notes[0] == ("hr", "Gọi lại sau thi") and notes[1] == ("hr2", "x" * 2000)


# --- Placements and the mentor's feedback ---------------------------------------------------------------


@pytest.fixture
def placement(world) -> Placement:  # type: ignore[no-untyped-def]
    """Mai on an internship of the agency, mentored by someone of another agency (not a manager)."""
    world.mentor = make_user(Role.RECRUITER, world.other_agency, username="mentor_tc")
    opening = services.opening_create(actor=world.recruiter, title="Thực tập sinh", kind="internship", slots=1,
                                      mentor=world.mentor, starts_on=dt.date(2026, 6, 1))
    entry = services.shortlist_add(opening=opening, candidate=world.mai, actor=world.recruiter)
    _walk(entry, world.recruiter, SS.OFFER, SS.HIRED)
    return Placement.objects.get()


GOOD = {"competence": 5, "attitude": 4, "teamwork": 4, "initiative": 3}


def test_placement_feedback_rules(world, placement) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.placement_feedback(placement=placement, ratings=GOOD, comments="", actor=world.stranger)
    for ratings in ({**GOOD, "initiative": None}, {k: v for k, v in GOOD.items() if k != "teamwork"},
                    {**GOOD, "competence": 6}, {**GOOD, "attitude": 0}):
        with pytest.raises(ValidationError) as exc:
            services.placement_feedback(placement=placement, ratings=ratings, comments="", actor=world.mentor)
        assert "ratings" in _errors(exc)
    assert not MentorFeedback.objects.exists()
    feedback = services.placement_feedback(placement=placement, ratings={**GOOD, "extra": 1, "attitude": "4"},
                                           comments="  Chăm chỉ, cầu tiến.  ", actor=world.mentor)
    assert feedback.ratings == GOOD and feedback.overall == 4.0 and feedback.comments == "Chăm chỉ, cầu tiến."
    placement.refresh_from_db()
    assert placement.status == Placement.Status.COMPLETED and placement.ends_on is not None
    with pytest.raises(ValidationError):
        services.placement_feedback(placement=placement, ratings=GOOD, comments="", actor=world.recruiter)


def test_the_agency_may_close_the_internship_too(world, placement) -> None:  # type: ignore[no-untyped-def]
    feedback = services.placement_feedback(placement=placement, ratings={k: 3 for k in GOOD}, comments="",
                                           actor=world.colleague)
    assert feedback.overall == 3.0 and feedback.submitted_by == world.colleague


def test_mentor_feedback_becomes_the_mentor_rating_feature(world, placement) -> None:  # type: ignore[no-untyped-def]
    services.placement_feedback(placement=placement, ratings={"competence": 5, "attitude": 4, "teamwork": 4,
                                                              "initiative": 4}, comments="", actor=world.mentor)
    frame = load_features(Candidate.objects.filter(pk__in=[world.mai.pk, world.lan.pk]), with_potential=False)
    assert frame.loc[world.mai.pk, "mentor_rating"] == pytest.approx(4.25)
    assert math.isnan(frame.loc[world.lan.pk, "mentor_rating"])
