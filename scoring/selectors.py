"""Reads of the scoring module, scoped to the reader."""

from __future__ import annotations

import math
from typing import Any, TypedDict

import numpy as np
from django.db.models import Exists, OuterRef, QuerySet

from scoring.eligibility import RuleResult, evaluate
from scoring.features import FEATURE_BY_KEY, load_features
from scoring.models import EligibilityRuleSet, Rubric, RubricVersion, Score, ScoreRun
from talent.models import Candidate, Stage


class CriterionLine(TypedDict):
    key: str
    label: str
    rationale: str
    feature: str
    feature_label: str
    value: Any
    weight: float
    normalization: str
    missing: str
    contribution: float
    headroom: float
    gap_to_above: float | None


class Breakdown(TypedDict):
    rubric: str
    rubric_name: str
    version: int
    run: str
    cohort: str
    cohort_size: int
    score: float
    rank: int
    percentile: float
    max_score: float
    gap_to_above: float | None
    above_rank: int | None  # the rank of the person just above (those tied with the candidate are not above)
    tied_with: int  # how many others share the candidate's rank
    criteria: list[CriterionLine]


def run_scores(user: Any, run: ScoreRun) -> QuerySet[Score]:
    """The rows of ``run`` the reader may see, best first (equal scores share a rank, listed in the run's order)."""
    return (Score.objects.for_user(user).filter(run=run).select_related("candidate__organization")
            .order_by("position"))


FITTING_LIMIT = 50_000  # larger cohorts keep the first rubric: reading their features on a page view costs too much


def rubric_fitting(rubrics: list[Rubric], candidates: QuerySet[Candidate]) -> Rubric | None:
    """The rubric of ``rubrics`` that would rank the most of ``candidates`` — the one that fits the
    cohort (a pool of graduates opens on the graduates' rubric, not the grade-12 pupils'). Counts who
    passes the filters and has every required value and some data; ties go to the earlier rubric.
    None when nobody fits any (or the cohort is too large to look at here)."""
    if not rubrics or candidates.count() > FITTING_LIMIT:
        return None
    frame = load_features(candidates, with_potential=False)
    best, best_count = None, 0
    for rubric in rubrics:
        version = rubric.active_version
        if version is None:
            continue
        keep = np.ones(len(frame), dtype=bool)
        for condition in version.engine_filters():
            keep &= condition.mask(frame[condition.feature]) if condition.feature in frame else False
        anything = np.zeros(len(frame), dtype=bool)
        for criterion in version.engine_criteria():
            if criterion.feature not in frame:
                continue  # the potential estimate: not read here, and never required
            present = frame[criterion.feature].notna().to_numpy()
            anything |= present
            if criterion.missing == "exclude":
                keep &= present
        count = int((keep & anything).sum())
        if count > best_count:
            best, best_count = rubric, count
    return best


def with_ties(scores: QuerySet[Score]) -> QuerySet[Score]:
    """``tied``: whether anyone else in the run shares the row's rank (one indexed lookup per row)."""
    same = Score.objects.filter(run=OuterRef("run"), rank=OuterRef("rank")).exclude(pk=OuterRef("pk"))
    return scores.annotate(tied=Exists(same))


def candidate_breakdown(run: ScoreRun, candidate: Candidate) -> Breakdown | None:
    """One candidate's line in ``run``: each criterion's value, weight and contribution (summing to the
    score), and what separates them from the person ranked just above, criterion by criterion.

    The caller has already checked that the reader may see ``candidate``; the person above is never named.
    """
    mine = Score.objects.filter(run=run, candidate=candidate).first()
    if mine is None:
        return None
    # Ranks count everyone with a higher score, so the last of them sits at position rank − 1: the one
    # to overtake. Those tied with the candidate are not "above".
    above = (Score.objects.filter(run=run, position=mine.rank - 1).values("score", "rank", "contributions").first()
             if mine.rank > 1 else None)
    tied_with = Score.objects.filter(run=run, rank=mine.rank).exclude(pk=mine.pk).count()
    version = run.version
    lines: list[CriterionLine] = []
    for criterion in version.criteria:
        key = criterion["key"]
        contribution = float(mine.contributions.get(key, 0.0))
        feature = FEATURE_BY_KEY.get(criterion["feature"])
        lines.append({
            "key": key, "label": criterion.get("label") or key, "rationale": criterion.get("rationale", ""),
            "feature": criterion["feature"], "feature_label": feature.label if feature else criterion["feature"],
            "value": mine.values.get(key), "weight": float(criterion["weight"]),
            "normalization": criterion.get("normalization", "minmax"), "missing": criterion.get("missing", "zero"),
            "contribution": contribution, "headroom": round(float(criterion["weight"]) - contribution, 4),
            "gap_to_above": (round(float(above["contributions"].get(key, 0.0)) - contribution, 4)
                             if above else None),
        })
    return {
        "rubric": version.rubric.slug, "rubric_name": version.rubric.name, "version": version.number,
        "run": str(run.pk), "cohort": run.cohort_label or run.cohort, "cohort_size": run.size,
        "score": mine.score, "rank": mine.rank, "percentile": mine.percentile,
        "max_score": float(sum(float(c["weight"]) for c in version.criteria)),
        "gap_to_above": round(float(above["score"]) - mine.score, 4) if above else None,
        "above_rank": above["rank"] if above else None, "tied_with": tied_with,
        "criteria": lines,
    }


def candidate_eligibility(candidate: Candidate) -> list[tuple[EligibilityRuleSet, list[RuleResult]]]:
    """The rule sets about the candidate's level of study evaluated for them, with each condition's actual value."""
    frame = load_features(Candidate.objects.filter(pk=candidate.pk), with_potential=False)
    level = frame["current_level"].iloc[0] if len(frame) else None
    out = []
    for rule_set in EligibilityRuleSet.objects.all():
        if rule_set.levels and level not in rule_set.levels:
            continue  # about other people (a graduate rule set for a pupil)
        out.append((rule_set, evaluate(rule_set.rules, frame)[candidate.pk]))
    return out


def display_value(value: Any) -> str:
    """A feature's value as the pages show it: whole numbers without decimals, missing as a dash."""
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else number_format(round(value, 4), use_l10n=True)
    if isinstance(value, (list, tuple)):
        return ", ".join(display_value(v) for v in value)
    return str(value)


def _labelled(feature: str, value: Any) -> Any:
    """A coded value in words (the level of studies)."""
    if feature == "current_level" and isinstance(value, str):
        from talent.models import EducationRecord

        return dict(EducationRecord.Level.choices).get(value, value)
    return value


def why_not_ranked(version: RubricVersion, candidate: Candidate) -> list[str]:
    """Why a candidate has no line under ``version``: the filters they fail (with their value), the
    required values they lack, or that they left or were anonymized; else the record changed after the
    newest run."""
    from django.utils.translation import gettext as _

    if candidate.erased_at is not None:
        return [_("Hồ sơ đã được ẩn danh.")]
    if candidate.stage == Stage.EXITED:
        return [_("Ứng viên đã rời chương trình.")]
    frame = load_features(Candidate.objects.filter(pk=candidate.pk), with_potential=False)
    reasons = []
    for condition in version.engine_filters():
        if not condition.mask(frame[condition.feature])[0]:
            feature = FEATURE_BY_KEY.get(condition.feature)
            reasons.append(_("Không đạt điều kiện: %(label)s (hiện có: %(value)s).") % {
                "label": condition.label or (feature.label if feature else condition.feature),
                "value": display_value(_labelled(condition.feature, frame[condition.feature].iloc[0]))})
    for criterion in version.engine_criteria():
        if criterion.missing == "exclude" and frame[criterion.feature].isna().iloc[0]:
            reasons.append(_("Thiếu dữ liệu bắt buộc: %(label)s.") % {"label": criterion.label or criterion.key})
    return reasons or [_("Hồ sơ chưa có trong lần tính gần nhất; lần cập nhật sau sẽ tính.")]


def rubrics() -> QuerySet[Rubric]:
    return Rubric.objects.all().prefetch_related("versions")


def fairness_frame(run: ScoreRun) -> Any:
    """The group columns of everyone ranked in ``run``, in rank order (for the fairness audit)."""
    import pandas as pd

    from scoring.features import region_of

    rows = list(run.scores.order_by("position").values("rank", "candidate__gender", "candidate__is_ethnic_minority",
                                                    "candidate__province_code"))
    frame = pd.DataFrame.from_records(rows, columns=["rank", "candidate__gender", "candidate__is_ethnic_minority",
                                                     "candidate__province_code"])
    return pd.DataFrame({"rank": frame["rank"].to_numpy(dtype=np.int64),
                         "gender": frame["candidate__gender"].to_numpy(),
                         "is_ethnic_minority": frame["candidate__is_ethnic_minority"].to_numpy(),
                         "region": frame["candidate__province_code"].map(region_of).to_numpy()})


def fairness_report(run: ScoreRun, top: int) -> list[Any]:
    """The four-fifths audit of cutting ``run`` at ``top``, over everyone ranked in it."""
    from scoring.fairness import audit

    frame = fairness_frame(run)
    return audit(frame, frame["rank"].to_numpy() <= top)
