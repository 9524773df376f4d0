"""The potential model: refuses too little or one-sided data, trains only for administrators, writes a
model card with plausible figures, versions its artifacts with one active, and predicts
probabilities for every row through the stored feature list."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from core.models import AuditEvent
from scoring.defaults import RUBRICS
from scoring.features import load_features
from scoring.models import PotentialModel
from scoring.potential import (
    MIN_CLASS,
    MIN_ROWS,
    POTENTIAL_FEATURES,
    label_good_ratings,
    potential_train,
    predict_active,
    reliability_table,
)
from talent.models import AnnualRating, Candidate, EducationRecord, Role
from talent.services import candidates_bulk_register, education_record_derive
from tests.factories import make_user

TODAY = dt.date(2026, 9, 1)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ")
MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Quốc", "Thanh")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khoa", "Lan", "Minh", "Nam", "Phúc", "Quân")


def name(i: int) -> str:
    """Names may not hold digits: a distinct name per index (432 of them)."""
    return f"{FAMILY[i % 6]} {MIDDLE[i // 6 % 6]} {GIVEN[i // 36 % 12]}"


def build_world(org, n: int, *, seed: int = 1, outcome: str = "signal", students: int = 0) -> list[Candidate]:  # type: ignore[no-untyped-def]
    """``n`` young cadres with a university record and three annual ratings, and ``students`` students
    without ratings. ``outcome``: "signal" (good ratings follow the GPA, plus noise), "all_good"."""
    rng = random.Random(seed)
    rows = [{"full_name": name(i), "gender": "female" if i % 2 else "male",
             "date_of_birth": dt.date(1996, 1, 1) + dt.timedelta(days=i), "organization": org,
             "ethnicity": "Khmer" if i % 6 == 0 else "Kinh", "province_code": (79, 48, 1)[i % 3]}
            for i in range(n + students)]
    people = candidates_bulk_register(rows=rows, actor=None)
    education, ratings = [], []
    for i, person in enumerate(people):
        gpa = round(rng.uniform(2.4, 4.0), 2)
        education.append(education_record_derive(EducationRecord(
            candidate=person, level=EducationRecord.Level.UNIVERSITY, start_year=2014 if i < n else 2023,
            gpa=Decimal(str(gpa)), conduct_score=rng.randrange(60, 100))))
        if i >= n:
            continue
        good = outcome == "all_good" or (gpa - 3.2) / 0.45 + rng.gauss(0.0, 0.8) > 0.3
        yearly = (["good", "excellent", "good"] if good else
                  [rng.choice(["good", "complete"]), "good", rng.choice(["good", "complete"])])
        ratings.extend(AnnualRating(candidate=person, year=year, rating=rating)
                       for year, rating in zip((2023, 2024, 2025), yearly))
    EducationRecord.objects.bulk_create(education)
    AnnualRating.objects.bulk_create(ratings)
    return people


# --- Refusals -----------------------------------------------------------------------------------------

def test_refuses_too_little_data(org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
    build_world(org_tree.faculty, MIN_ROWS - 20)
    with pytest.raises(ValidationError) as caught:
        potential_train(actor=admin_user, today=TODAY)
    assert f"ít nhất {MIN_ROWS}" in caught.value.messages[0]
    assert not PotentialModel.objects.exists()
    assert not AuditEvent.objects.filter(action="potential.train").exists()


def test_refuses_one_class_data(org_tree, admin_user) -> None:  # type: ignore[no-untyped-def]
    build_world(org_tree.faculty, MIN_ROWS + 40, outcome="all_good")
    assert label_good_ratings(Candidate.objects.all()).mean() == 1.0
    with pytest.raises(ValidationError) as caught:
        potential_train(actor=None, today=TODAY)
    assert f"ít nhất {MIN_CLASS} người ở mỗi nhóm" in caught.value.messages[0]
    assert not PotentialModel.objects.exists()


def test_the_command_prints_the_refusal_on_one_line(org_tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as caught:
        call_command("train_potential", stdout=io.StringIO())
    assert "\n" not in str(caught.value) and "hiện có 0" in str(caught.value)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LIAISON, Role.RECRUITER, Role.STUDENT])
def test_only_an_administrator_may_train(org_tree, role) -> None:  # type: ignore[no-untyped-def]
    user = make_user(role, org_tree.city)
    with pytest.raises(PermissionDenied):
        potential_train(actor=user, today=TODAY)
    assert not PotentialModel.objects.exists()


# --- Labels -------------------------------------------------------------------------------------------

def test_label_needs_two_years_all_good_and_one_excellent(org_tree) -> None:  # type: ignore[no-untyped-def]
    people = candidates_bulk_register(rows=[
        {"full_name": name(i), "gender": "male", "date_of_birth": dt.date(1995, 5, 5), "organization": org_tree.agency}
        for i in range(5)], actor=None)
    histories = [["excellent", "good"], ["good", "good", "good"], ["excellent", "complete"], ["excellent"],
                 ["excellent", "good"]]
    AnnualRating.objects.bulk_create(
        AnnualRating(candidate=person, year=2022 + k, rating=rating, disciplined=(i == 4 and k == 1))
        for i, (person, history) in enumerate(zip(people, histories)) for k, rating in enumerate(history))
    labels = label_good_ratings(Candidate.objects.all())
    # The one-year history is not labelled; a disciplined year is never a good one.
    assert labels.to_dict() == {people[0].pk: 1, people[1].pk: 0, people[2].pk: 0, people[4].pk: 0}


# --- Training and the card ----------------------------------------------------------------------------

@pytest.fixture
def trained(org_tree, admin_user):  # type: ignore[no-untyped-def]
    build_world(org_tree.faculty, 320, students=25)
    return potential_train(actor=admin_user, today=TODAY)


def test_card_has_the_figures_and_they_are_plausible(trained) -> None:  # type: ignore[no-untyped-def]
    card = trained.card
    for key in ("version", "trained_at", "trained_by", "as_of", "label", "data", "n", "positives", "negatives",
                "model", "features", "dropped_features", "not_used", "folds", "auc_mean", "auc_std", "auc_folds",
                "brier", "base_rate", "calibration", "importances", "overall", "groups", "intended_use"):
        assert key in card, key
    assert card["n"] == 320 and card["positives"] + card["negatives"] == 320
    assert MIN_CLASS <= card["positives"] <= 320 - MIN_CLASS
    assert card["trained_by"] == "admin_t" and card["as_of"] == "2026-09-01"
    assert card["folds"] == 5 and len(card["auc_folds"]) == 5
    assert 0.0 <= card["auc_mean"] <= 1.0 and 0.0 <= card["auc_std"] <= 0.5
    # GPA decides good ratings in this world, with noise: clearly better than chance, not perfect.
    assert 0.7 < card["auc_mean"] < 0.99
    assert 0.0 <= card["brier"] <= 0.25
    bins = card["calibration"]
    assert len(bins) == 10 and sum(b["count"] for b in bins) == card["n"]
    for b in bins:
        if b["count"]:
            assert b["lower"] <= b["mean_predicted"] <= b["upper"] and 0 <= b["observed"] <= 1
        else:
            assert b["mean_predicted"] is None and b["observed"] is None
    # The world has GPA and conduct only; the rest does not vary and is dropped, and named.
    assert card["features"] == ["gpa4", "degree_class", "conduct_score"]
    assert set(card["dropped_features"]) == set(POTENTIAL_FEATURES) - set(card["features"])
    assert card["importances"][0]["feature"] == "gpa4" and card["importances"][0]["coefficient"] > 0
    assert not {"gender", "is_ethnic_minority", "region", "age", "annual_rating_points"} & set(card["features"])
    groups = {g["grouping"]: g["groups"] for g in card["groups"]}
    assert set(groups) == {"gender", "is_ethnic_minority", "region"}
    for rows in groups.values():
        assert sum(r["count"] for r in rows) == card["n"]
        for r in rows:
            assert 0 <= r["selection_rate"] <= 1 and (r["auc"] is None or 0 <= r["auc"] <= 1)
    assert {r["group"] for r in groups["region"]} == {"north", "centre", "south"}
    assert card["overall"]["count"] == card["n"]


def test_training_is_audited_and_active(trained, admin_user) -> None:  # type: ignore[no-untyped-def]
    assert trained.version == 1 and trained.active and trained.created_by == admin_user
    assert bytes(trained.artifact)
    event = AuditEvent.objects.get(action="potential.train")
    assert event.actor == admin_user and event.object_id == str(trained.pk)
    assert event.changes["version"] == 1 and event.changes["n"] == 320


def test_predict_active_gives_a_probability_for_every_row(trained) -> None:  # type: ignore[no-untyped-def]
    frame = load_features(Candidate.objects.all(), today=TODAY, with_potential=False)
    predicted = predict_active(frame)
    assert predicted is not None and len(predicted) == len(frame) == 345
    assert np.isfinite(predicted).all() and ((predicted >= 0) & (predicted <= 1)).all()
    # The loader fills the "potential" feature with the same values, students (no ratings) included.
    loaded = load_features(Candidate.objects.all(), today=TODAY)
    assert loaded["potential"].notna().all()
    assert np.allclose(loaded["potential"].to_numpy(), predicted)
    # Only the stored features are read, in the stored order: other columns and their order do not matter.
    shuffled = frame[list(reversed(frame.columns))].drop(columns=["age", "gender"])
    assert np.allclose(predict_active(shuffled), predicted)
    # Higher GPA, higher estimate, everything else equal.
    two = frame.iloc[:2].copy()
    two["gpa4"] = [2.5, 3.9]
    two[["degree_class", "conduct_score"]] = [[2.0, 80.0], [2.0, 80.0]]
    low, high = predict_active(two)
    assert high > low


def test_predict_active_without_a_model_is_none(db) -> None:  # type: ignore[no-untyped-def]
    assert predict_active(load_features(Candidate.objects.none())) is None


def test_versions_increment_and_only_one_is_active(trained, admin_user) -> None:  # type: ignore[no-untyped-def]
    second = potential_train(actor=None, today=TODAY)
    third = potential_train(actor=admin_user, today=TODAY)
    assert (second.version, third.version) == (2, 3)
    assert list(PotentialModel.objects.filter(active=True).values_list("version", flat=True)) == [3]
    assert third.card["version"] == 3 and second.card["trained_by"] == "system"
    events = AuditEvent.objects.filter(action="potential.train").order_by("id")
    assert [e.changes["deactivated"] for e in events] == [[], [1], [2]]


def test_the_command_prints_the_card(org_tree) -> None:  # type: ignore[no-untyped-def]
    build_world(org_tree.faculty, 260)
    out = io.StringIO()
    call_command("train_potential", stdout=out)
    text = out.getvalue()
    model = PotentialModel.objects.get(active=True)
    assert f"phiên bản {model.version}" in text
    assert f"{model.card['auc_mean']:.3f} ± {model.card['auc_std']:.3f}" in text
    assert "Brier" in text and "Giới tính" in text


def test_no_default_rubric_uses_the_model() -> None:
    assert all(c["feature"] != "potential" for rubric in RUBRICS for c in rubric["criteria"])


def test_reliability_table_counts_every_prediction() -> None:
    proba = np.array([0.0, 0.05, 0.1, 0.55, 0.99, 1.0])
    y = np.array([0, 0, 1, 1, 1, 1])
    table = reliability_table(y, proba)
    assert [b["count"] for b in table] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert table[0]["observed"] == 0.0 and table[1]["observed"] == 1.0 and table[9]["mean_predicted"] == 0.995
