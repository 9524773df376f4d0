"""The scoring demo: young cadres' trainings and annual ratings, the same for the same seed, and the
history the potential model learns from."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command

from scoring import engine
from scoring.demo import latent_performance, rated_years, seed_scoring_demo
from scoring.features import load_features
from scoring.models import Rubric
from scoring.potential import label_good_ratings
from talent.demo import AS_OF, DEMO_TZ
from talent.models import AnnualRating, Candidate, Stage, StageTransition, Training

SEED = 7


def _ratings() -> list[tuple]:
    return list(AnnualRating.objects.order_by("candidate_id", "year")
                .values_list("candidate_id", "year", "rating", "disciplined"))


def _trainings() -> list[tuple]:
    return list(Training.objects.order_by("candidate_id", "completed_on", "kind", "title")
                .values_list("candidate_id", "kind", "title", "completed_on"))


@pytest.fixture
def seeded(db) -> str:  # type: ignore[no-untyped-def]
    """A small demo city through the real command, which seeds the scoring demo after the rest."""
    out = io.StringIO()
    call_command("seed_demo", "--candidates", "300", "--seed", str(SEED), "--yes-demo", stdout=out)
    return out.getvalue()


def test_same_seed_same_rows_another_seed_other_rows(seeded: str) -> None:
    assert "xếp loại hằng năm" in seeded  # the command reports the scoring demo
    ratings, trainings = _ratings(), _trainings()
    assert ratings and trainings

    AnnualRating.objects.all().delete()
    Training.objects.all().delete()
    summary = seed_scoring_demo(SEED)
    assert _ratings() == ratings
    assert _trainings() == trainings
    assert sum(summary.ratings.values()) == len(ratings)
    assert sum(summary.trainings.values()) == len(trainings)

    AnnualRating.objects.all().delete()
    Training.objects.all().delete()
    seed_scoring_demo(SEED + 1)
    assert _ratings() != ratings
    assert _trainings() != trainings


def test_young_cadres_get_ratings_within_their_service(seeded: str) -> None:
    recruited = dict(StageTransition.objects.filter(to_stage=Stage.RECRUITED).order_by("created_at")
                     .values_list("candidate_id", "created_at"))
    current_cadres = set(Candidate.objects.filter(
        stage__in=(Stage.RECRUITED, Stage.PLANNING, Stage.APPOINTED)).values_list("pk", flat=True))
    assert current_cadres and current_cadres <= set(recruited)
    rated: dict[int, list[int]] = {}
    for cid, year, rating, disciplined in _ratings():
        rated.setdefault(cid, []).append(year)
        assert rating != "" and (not disciplined or rating == AnnualRating.Rating.INCOMPLETE)
    # Only people who were recruited are rated or trained.
    assert set(rated) <= set(recruited)
    assert set(Training.objects.values_list("candidate_id", flat=True)) <= set(recruited)
    for cid, years in rated.items():
        start = recruited[cid].astimezone(DEMO_TZ).date()
        assert len(years) <= 5
        assert min(years) >= start.year and max(years) < AS_OF.year
    # Everyone recruited before the last full year is rated for it (unless they left).
    long_serving = {cid for cid in current_cadres if recruited[cid].astimezone(DEMO_TZ).date() < dt.date(2025, 6, 1)}
    assert long_serving and all(2025 in rated.get(cid, []) for cid in long_serving)
    # Ratings have spread: all four kinds occur, most are good or excellent.
    kinds = pd.Series([r[2] for r in _ratings()]).value_counts(normalize=True)
    assert set(kinds.index) >= {"excellent", "good", "complete"}
    assert 0.6 < kinds.get("good", 0) + kinds.get("excellent", 0) < 0.95
    kinds_trained = set(Training.objects.values_list("kind", flat=True))
    assert {"leadership", "political", "professional"} <= kinds_trained


def test_young_cadre_rubric_has_real_spread(seeded: str) -> None:
    version = Rubric.objects.get(slug="young-cadre").active_version
    frame = load_features(Candidate.objects.filter(erased_at__isnull=True), today=AS_OF, with_potential=False)
    ranking = engine.rank(frame, version.engine_criteria(), version.engine_filters())
    table = ranking.table
    assert len(table) > 30
    for key in ("ratings", "training", "leadership_training"):
        assert table[f"contrib:{key}"].nunique() > 1, key
    assert table["score"].std() > 5


def test_the_labels_depend_on_the_records(seeded: str) -> None:
    cadres = Candidate.objects.filter(pk__in=StageTransition.objects.filter(to_stage=Stage.RECRUITED)
                                      .values("candidate_id"))
    labels = label_good_ratings(cadres)
    assert 0 < labels.mean() < 1
    frame = load_features(cadres, today=AS_OF, with_potential=False).reindex(labels.index)
    explained = latent_performance(frame)
    # The part of the formula the records explain is higher, on average, for the good ratings.
    assert explained[labels == 1].mean() > explained[labels == 0].mean() + 0.3


def test_seeding_twice_is_refused(seeded: str) -> None:
    with pytest.raises(ValueError):
        seed_scoring_demo(SEED)


def test_rated_years_follow_the_six_month_rule() -> None:
    # Recruited mid-July 2020: under six months of 2020, so first rated for 2021; at most five years.
    assert rated_years(dt.date(2020, 7, 15), AS_OF, AS_OF) == [2021, 2022, 2023, 2024, 2025]
    assert rated_years(dt.date(2023, 6, 1), AS_OF, AS_OF) == [2023, 2024, 2025]
    # Left in March 2025: 2025 not rated; the year before AS_OF's year is the last one.
    assert rated_years(dt.date(2022, 1, 10), dt.date(2025, 3, 1), AS_OF) == [2022, 2023, 2024]
    assert rated_years(dt.date(2026, 2, 1), AS_OF, AS_OF) == []


def test_latent_performance_is_the_documented_formula() -> None:
    frame = pd.DataFrame({
        "gpa4": [3.65, np.nan], "language_level": [4.8, np.nan], "leadership_count": [1.0, 0.0],
        "volunteering_count": [3.0, 0.0], "political_theory_level": [2.0, 0.0], "leadership_trained": [1.0, 0.0],
    })
    expected_first = 0.8 * 1.0 + 0.5 * 1.0 + 0.4 * 1.5 + 0.4 * 0.7 + 0.5 * 0.7
    expected_second = 0.8 * 0.0 + 0.5 * -1.0 + 0.4 * -0.5 + 0.4 * -1.3 + 0.5 * -0.3
    assert latent_performance(frame).tolist() == pytest.approx([expected_first, expected_second])
