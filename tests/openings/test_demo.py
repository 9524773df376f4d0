"""The openings demo: what it is there to show (a board at every stage among people the recruiter may
see, a completed internship with the mentor's feedback, the targets' trend) without moving anyone's
pipeline, the same rows for the same seed, and refusing to run twice or on an empty database."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from openings import demo
from openings.models import (
    MentorFeedback,
    Opening,
    Placement,
    ShortlistEntry,
    ShortlistMove,
    ShortlistNote,
    ShortlistRating,
    Target,
    TargetSnapshot,
)
from scoring.features import load_features
from talent.models import Candidate, Stage, StageTransition

SEED = 7


@pytest.fixture
def seeded(db) -> str:  # type: ignore[no-untyped-def]
    """A small demo city through the real command, which seeds the openings demo last."""
    out = io.StringIO()
    call_command("seed_demo", "--candidates", "300", "--seed", str(SEED), "--yes-demo", stdout=out)
    return out.getvalue()


def users() -> dict[str, Any]:
    return {u.username: u for u in get_user_model().objects.filter(username__in=("recruiter", "officer"))}


def snapshot() -> dict[str, list[Any]]:
    def rows(queryset: Any, *fields: str) -> list[Any]:
        return sorted(queryset.values_list(*fields), key=repr)

    return {
        "openings": rows(Opening.objects, "title", "kind", "agency__code", "slots", "mentor__username", "status",
                         "starts_on", "ends_on", "language_level", "skills"),
        "entries": rows(ShortlistEntry.objects, "opening__title", "candidate__full_name", "stage", "reason",
                        "added_by__username"),
        "moves": rows(ShortlistMove.objects, "entry__candidate__full_name", "from_stage", "to_stage", "reason"),
        "ratings": rows(ShortlistRating.objects, "entry__candidate__full_name", "reviewer__username", "score"),
        "notes": rows(ShortlistNote.objects, "entry__candidate__full_name", "text"),
        "placements": rows(Placement.objects, "candidate__full_name", "starts_on", "ends_on", "status"),
        "feedback": rows(MentorFeedback.objects, "placement__candidate__full_name", "ratings", "overall", "comments"),
        "snapshots": rows(TargetSnapshot.objects, "target__name", "day", "actual", "population", "met"),
    }


def wipe() -> None:
    TargetSnapshot.objects.all().delete()
    Target.objects.adopted().delete()
    Placement.objects.all().delete()
    ShortlistEntry.objects.all().delete()
    Opening.objects.all().delete()


def test_the_command_seeds_the_openings_demo(seeded) -> None:  # type: ignore[no-untyped-def]
    assert "Tuyển dụng: 2 vị trí, 8 người trong danh sách ngắn (1 đã nhận), 1 kỳ thực tập (1 có đánh giá" in seeded
    recruiter = users()["recruiter"]
    job = Opening.objects.get(title=demo.JOB_TITLE)
    assert job.agency.name == "Sở Nội vụ TP.HCM" and job.kind == Opening.Kind.JOB
    assert list(Opening.objects.managed_by(recruiter).order_by("title").values_list("title", flat=True)) == sorted(
        [demo.JOB_TITLE, demo.INTERNSHIP_TITLE])
    board = ShortlistEntry.objects.filter(opening=job)
    assert sorted(board.values_list("stage", flat=True)) == sorted(
        ["offer", "interview", "contacted", "shortlisted", "declined", "refused"])
    # Everyone on the boards is someone the recruiter may see, and the recruiter sees the whole board.
    on_boards = set(ShortlistEntry.objects.values_list("candidate", flat=True))
    assert on_boards <= set(Candidate.objects.for_user(recruiter).values_list("pk", flat=True))
    assert ShortlistEntry.objects.for_user(recruiter).count() == len(on_boards) == 8
    for stage in ("declined", "refused"):
        assert board.get(stage=stage).reason == demo.REASONS[stage]
    assert ShortlistRating.objects.filter(entry__opening=job).count() == 3  # interview, offer, refused
    assert sorted(ShortlistNote.objects.filter(entry__opening=job).values_list("entry__stage", flat=True)) == [
        "interview", "offer"]
    # The boards hold people the demo city already has at those stages, and no one's pipeline moved.
    assert set(Candidate.objects.filter(pk__in=on_boards).values_list("stage", flat=True)) <= {
        Stage.SHORTLISTED, Stage.PLACEMENT}
    assert not StageTransition.objects.filter(actor=recruiter).exists()


def test_the_internship_ends_with_the_mentors_feedback(seeded) -> None:  # type: ignore[no-untyped-def]
    recruiter = users()["recruiter"]
    internship = Opening.objects.get(title=demo.INTERNSHIP_TITLE)
    today = timezone.localdate()
    assert internship.mentor == recruiter and internship.ends_on < today
    placement = Placement.objects.get(opening=internship)
    assert placement.status == Placement.Status.COMPLETED and placement.starts_on == internship.starts_on
    assert placement.candidate.stage == Stage.PLACEMENT
    assert ShortlistEntry.objects.get(opening=internship, stage="hired").candidate == placement.candidate
    feedback = placement.feedback
    assert set(feedback.ratings) == {"competence", "attitude", "teamwork", "initiative"}
    assert feedback.overall == pytest.approx(sum(feedback.ratings.values()) / 4)
    frame = load_features(Candidate.objects.filter(pk=placement.candidate_id), with_potential=False)
    assert frame.loc[placement.candidate_id, "mentor_rating"] == pytest.approx(feedback.overall)


def test_the_city_adopts_three_models_and_they_have_a_trend(seeded) -> None:  # type: ignore[no-untyped-def]
    from openings import targets
    from talent.demo import CITY

    from training.demo import ADOPTED as TRAINING_TARGETS

    # The training demo adopts its two targets later, without a past trend.
    assert sorted(Target.objects.adopted().values_list("name", flat=True)) == sorted(
        demo.ADOPTED_MODELS + TRAINING_TARGETS)
    adopted = Target.objects.adopted().filter(name__in=demo.ADOPTED_MODELS)
    assert set(adopted.values_list("organization__code", flat=True)) == {CITY}
    assert all(t.based_on_id and "dữ liệu mẫu" in t.citation for t in adopted)
    today = timezone.localdate()
    days = sorted(set(TargetSnapshot.objects.values_list("day", flat=True)))
    assert len(days) == demo.SNAPSHOT_MONTHS + 1 and days[-1] == today
    assert all(day.day == 1 for day in days[:-1]) and days[0] > today - dt.timedelta(days=31 * 6)
    assert TargetSnapshot.objects.filter(target__in=adopted).count() == adopted.filter(active=True).count() * len(days)
    assert not TargetSnapshot.objects.filter(target__organization__isnull=True).exists()
    for snap in TargetSnapshot.objects.filter(target__in=adopted).select_related("target"):
        t = snap.target
        assert snap.met == targets.is_met(snap.actual, t.comparison, float(t.threshold),
                                          float(t.threshold_high) if t.threshold_high is not None else None)


def test_the_same_seed_gives_the_same_rows(seeded) -> None:  # type: ignore[no-untyped-def]
    first = snapshot()
    with pytest.raises(ValueError, match="already"):
        demo.seed_openings_demo(SEED)
    wipe()
    demo.seed_openings_demo(SEED)
    assert snapshot() == first


def test_it_needs_the_demo_city(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="must be seeded"):
        demo.seed_openings_demo(SEED)
    assert not Opening.objects.exists()
