"""Demo data for the scoring module: young cadres' trainings and annual ratings, i.e. the synthetic
history the potential model learns from.

``talent.demo`` gives every young cadre (anyone whose history reaches ``recruited``) a pipeline
history, but it draws each person's final stage from fixed shares by cohort and birth year only
(``TARGET_STAGES``): stages carry no information about a person's record, so "reached planning or
appointed" would be an outcome with nothing to learn. The outcome used by the potential model is
therefore **good annual ratings**, and the ratings written here are made to depend on the record
through the formula below plus noise, so the model has something real, but not everything, to learn.

Everything is drawn from one ``random.Random(seed)``, cadres taken in id order, with dates relative
to ``talent.demo.AS_OF`` (never today): the same seed on the same seeded city gives the same rows.

**Trainings** (``Training``), per cadre, over the service period (first ``recruited`` step until the
person exited, or ``AS_OF``):

- professional courses: each full year of service, one with probability 0.35;
- state management: each full year of service after the second, one with probability 0.12;
- political theory: the course matching the recorded level (sơ cấp, trung cấp, cao cấp) with
  probability 0.85 (the others studied it before they were recruited);
- leadership skills: probability 0.75 for those who reached ``planning`` (the programme's target is
  every young cadre in planning), 0.15 for the others with at least two years of service.

**Annual ratings** (``AnnualRating``). A cadre is rated for each calendar year in which they served
at least 183 days (those who served less than six months of a year are not rated, as in Decree
90/2020/NĐ-CP), up to the last full year before ``AS_OF`` and at most the five most recent. From the
features ``scoring.features.load_features`` loads for the cadre (as of ``AS_OF``, after the trainings
above are written):

    z  = 0.8·g + 0.5·l + 0.4·a + 0.4·p + 0.5·t + ε,           ε ~ N(0, 1), once per cadre
    g  = (gpa4 − 3.3) / 0.35                                   (missing GPA: g = 0)
    l  = (language_level − 4) / 0.8, or −1 without a verified certificate
    a  = min(leadership_count + volunteering_count, 2) − 0.5
    p  = political_theory_level − 1.3
    t  = leadership_trained − 0.3

and for each rated year u = z + η, η ~ N(0, 0.8), rated *excellent* when u ≥ 1.5, *good* when
u ≥ −1.6, *complete* when u ≥ −3.5, otherwise *incomplete* (and then disciplined with probability
0.3). Gender, ethnicity and region are not in the formula: any difference between groups that the
model shows comes only through the records.

**The label** (``scoring.potential.label_good_ratings``): a cadre with at least two rated years is
labelled; positive when every rated year is *good* or better and at least one is *excellent*.
ε and η are what no record explains, so a cross-validated AUC well below 1 is the honest result.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Min, QuerySet

from scoring.features import load_features
from scoring.potential import label_good_ratings
from talent.demo import AS_OF, DEMO_TZ
from talent.models import AnnualRating, Candidate, Stage, StageTransition, Training
from core.seeding import SeedContext

RATED_MIN_DAYS = 183
MAX_RATED_YEARS = 5
P_PROFESSIONAL = 0.35
P_STATE_MANAGEMENT = 0.12
P_POLITICAL = 0.85
P_LEADERSHIP_PLANNING = 0.75
P_LEADERSHIP_OTHER = 0.15
P_DISCIPLINED = 0.3
# The formula of the module docstring.
WEIGHTS = {"g": 0.8, "l": 0.5, "a": 0.4, "p": 0.4, "t": 0.5}
PERSON_NOISE = 1.0
YEAR_NOISE = 0.8
THRESHOLDS = ((1.5, AnnualRating.Rating.EXCELLENT), (-1.6, AnnualRating.Rating.GOOD),
              (-3.5, AnnualRating.Rating.COMPLETE))

PROFESSIONAL_TITLES = (
    "Bồi dưỡng nghiệp vụ công tác thanh niên",
    "Bồi dưỡng kỹ năng chuyển đổi số trong cơ quan nhà nước",
    "Bồi dưỡng nghiệp vụ văn thư, lưu trữ",
    "Bồi dưỡng kỹ năng soạn thảo văn bản hành chính",
    "Bồi dưỡng nghiệp vụ quản lý dự án đầu tư công",
    "Bồi dưỡng kỹ năng giao tiếp và dân vận",
    "Bồi dưỡng tiếng Anh chuyên ngành hành chính công",
)
STATE_MANAGEMENT_TITLES = (
    "Bồi dưỡng kiến thức quản lý nhà nước ngạch chuyên viên",
    "Bồi dưỡng kiến thức quản lý nhà nước ngạch chuyên viên chính",
)
POLITICAL_TITLES = {
    "so_cap": "Sơ cấp lý luận chính trị",
    "trung_cap": "Trung cấp lý luận chính trị",
    "cao_cap": "Cao cấp lý luận chính trị",
}
LEADERSHIP_TITLE = "Bồi dưỡng kỹ năng lãnh đạo, quản lý cho cán bộ trẻ trong quy hoạch"

@dataclass
class ScoringDemoSummary:
    seed: int
    cadres: int = 0
    trainings: dict[str, int] = field(default_factory=dict)  # kind → count
    ratings: dict[str, int] = field(default_factory=dict)    # rating → count
    labelled: int = 0
    positives: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        ratings = ", ".join(f"{AnnualRating.Rating(k).label} {n}" for k, n in self.ratings.items())
        return (f"Cán bộ trẻ: {self.cadres}; khoá đào tạo {sum(self.trainings.values())}; "
                f"xếp loại hằng năm {sum(self.ratings.values())} ({ratings}); "
                f"lịch sử cho mô hình dự báo: {self.labelled} người có nhãn, {self.positives} xếp loại tốt "
                f"({self.seconds:.1f} giây)")


@dataclass(frozen=True)
class _Service:
    candidate_id: int
    start: dt.date
    end: dt.date
    reached_planning: bool
    political_theory: str


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 0) + 1))


def _cadres() -> QuerySet[Candidate]:
    """Everyone whose history reaches ``recruited`` (a subquery: no long list of ids)."""
    recruited = StageTransition.objects.filter(to_stage=Stage.RECRUITED).values("candidate_id")
    return Candidate.objects.filter(erased_at__isnull=True, pk__in=recruited)


def _services(as_of: dt.date) -> list[_Service]:
    """Every young cadre with the span of their service, in id order."""
    cadres = _cadres()
    steps = (StageTransition.objects.filter(candidate__in=cadres.values("pk"),
                                            to_stage__in=(Stage.RECRUITED, Stage.PLANNING, Stage.EXITED))
             .values("candidate_id", "to_stage").annotate(first=Min("created_at")))
    first: dict[int, dict[str, dt.date]] = {}
    for row in steps:
        first.setdefault(row["candidate_id"], {})[row["to_stage"]] = row["first"].astimezone(DEMO_TZ).date()
    theory = dict(cadres.values_list("pk", "political_theory"))
    services = []
    for cid in sorted(first):
        dates = first[cid]
        start = dates.get(Stage.RECRUITED)
        if start is None or start >= as_of:
            continue
        exited = dates.get(Stage.EXITED)
        end = exited if exited is not None and exited > start else as_of
        services.append(_Service(cid, start, min(end, as_of), Stage.PLANNING in dates, theory.get(cid, "")))
    return services


def _trainings(rng: random.Random, service: _Service) -> list[Training]:
    rows: list[Training] = []
    years = (service.end - service.start).days // 365

    def add(kind: str, title: str, start: dt.date, end: dt.date) -> None:
        rows.append(Training(candidate_id=service.candidate_id, kind=kind, title=title,
                             completed_on=_date_between(rng, start, end)))

    for year in range(years):
        begin = service.start + dt.timedelta(days=365 * year)
        finish = begin + dt.timedelta(days=364)
        if rng.random() < P_PROFESSIONAL:
            add(Training.Kind.PROFESSIONAL, rng.choice(PROFESSIONAL_TITLES), begin, finish)
        if year >= 2 and rng.random() < P_STATE_MANAGEMENT:
            add(Training.Kind.STATE_MANAGEMENT, STATE_MANAGEMENT_TITLES[0 if year < 5 else 1], begin, finish)
    title = POLITICAL_TITLES.get(service.political_theory)
    if title and rng.random() < P_POLITICAL:
        add(Training.Kind.POLITICAL, title, service.start, service.end)
    chance = P_LEADERSHIP_PLANNING if service.reached_planning else P_LEADERSHIP_OTHER if years >= 2 else 0.0
    if rng.random() < chance:
        add(Training.Kind.LEADERSHIP, LEADERSHIP_TITLE, service.start, service.end)
    return rows


def rated_years(start: dt.date, end: dt.date, as_of: dt.date) -> list[int]:
    """Calendar years with at least ``RATED_MIN_DAYS`` of service, before ``as_of``'s year, last five."""
    years = []
    for year in range(start.year, as_of.year):
        first, last = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
        if (last - first).days + 1 >= RATED_MIN_DAYS:
            years.append(year)
    return years[-MAX_RATED_YEARS:]


def latent_performance(features: pd.DataFrame) -> pd.Series:
    """The part of the formula the records explain: 0.8·g + 0.5·l + 0.4·a + 0.4·p + 0.5·t."""
    g = ((features["gpa4"] - 3.3) / 0.35).fillna(0.0)
    l = ((features["language_level"] - 4.0) / 0.8).fillna(-1.0)
    a = np.minimum(features["leadership_count"].fillna(0.0) + features["volunteering_count"].fillna(0.0), 2.0) - 0.5
    p = features["political_theory_level"].fillna(0.0) - 1.3
    t = features["leadership_trained"].fillna(0.0) - 0.3
    w = WEIGHTS
    return w["g"] * g + w["l"] * l + w["a"] * a + w["p"] * p + w["t"] * t


def _rating(u: float) -> str:
    for threshold, rating in THRESHOLDS:
        if u >= threshold:
            return rating
    return AnnualRating.Rating.INCOMPLETE


def seed_scoring_demo(seed: int, *, as_of: dt.date | None = None) -> ScoringDemoSummary:
    """Write the young cadres' trainings and annual ratings for ``seed`` (see the module docstring)."""
    as_of = as_of or AS_OF
    started = time.perf_counter()
    rng = random.Random(seed)
    summary = ScoringDemoSummary(seed=seed)
    services = _services(as_of)
    ids = [s.candidate_id for s in services]
    cadres = _cadres()
    if AnnualRating.objects.filter(candidate__in=cadres.values("pk")).exists() or Training.objects.filter(
            candidate__in=cadres.values("pk")).exists():
        raise ValueError("Young cadres already have ratings or trainings: the scoring demo is seeded once, "
                         "on a freshly seeded demo city.")
    with transaction.atomic():
        trainings = [row for service in services for row in _trainings(rng, service)]
        Training.objects.bulk_create(trainings, batch_size=1000)
        features = load_features(cadres, today=as_of, with_potential=False)
        explained = latent_performance(features).reindex(ids).fillna(0.0)
        ratings: list[AnnualRating] = []
        for service in services:
            z = float(explained[service.candidate_id]) + rng.gauss(0.0, PERSON_NOISE)
            for year in rated_years(service.start, service.end, as_of):
                rating = _rating(z + rng.gauss(0.0, YEAR_NOISE))
                # Drawn every year, so the thresholds can be tuned without reshuffling everyone after.
                discipline_draw = rng.random()
                # bulk_create skips AnnualRating.save(): a disciplined year is "incomplete" here too.
                disciplined = rating == AnnualRating.Rating.INCOMPLETE and discipline_draw < P_DISCIPLINED
                ratings.append(AnnualRating(candidate_id=service.candidate_id, year=year, rating=rating,
                                            disciplined=disciplined))
        AnnualRating.objects.bulk_create(ratings, batch_size=1000)
    labels = label_good_ratings(cadres)
    summary.cadres = len(services)
    summary.trainings = {kind: sum(1 for t in trainings if t.kind == kind) for kind in Training.Kind.values}
    summary.ratings = {rating: sum(1 for r in ratings if r.rating == rating) for rating in AnnualRating.Rating.values}
    summary.labelled = len(labels)
    summary.positives = int(labels.sum())
    summary.seconds = time.perf_counter() - started
    return summary


def seed(context: SeedContext) -> None:
    """The scoring part of ``manage.py seed_demo``: young cadres' trainings and annual ratings, the
    history the potential model learns from."""
    context.write(f"  {seed_scoring_demo(context.seed).line()}")
