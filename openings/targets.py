"""The resolutions' targets computed from live data, their daily snapshots and the yearly review reminder.

A target counts a population of candidates (not erased, not exited) narrowed by its ``population``
filter — ``pool_kind`` (members of any pool of that kind), ``pool`` (one pool's id), ``stages`` (a list),
``organization`` (a unit's code, its subtree), ``max_age`` — and measures a share (in percent) or a count.
"Young" means under 35 on the day; "under 40" under 40; language level 4+ and leadership training count
verified certificates; leadership training counts trainings completed in the day's year (seed 001 asks
for 100% "trong năm"). A population key or a metric whose rule belongs to an app above this one (the
members of the current term's succession plans, the positions' political-theory standard) is provided
by that app through ``register_population`` and ``register_metric``. ``met`` is ``actual ≥ threshold`` for ``at_least``,
``actual ≤ threshold`` for ``at_most`` and ``threshold ≤ actual ≤ threshold_high`` for ``between`` (a
range such as "15–20%": one target, so a resolution's range is never shown as two that contradict each
other). A share over an empty population has no actual and is not met; a count of an empty population
is 0.

A target belongs to the unit whose document adopted it and counts only people of that unit's subtree.
The defaults below come from other localities' documents (seeds 001–003): they are installed as models
that no unit has adopted, shown apart, and a unit adopts one as its own with its own document
(``adopt``); the demo city adopts three.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from collections.abc import Callable
from typing import Any, TypedDict

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from openings.models import Target, TargetSnapshot
from talent.models import (
    Candidate,
    LanguageCertificate,
    Organization,
    Stage,
    Training,
    VerificationStatus,
    user_role,
)
from talent.rules import years_ago


class TargetValue(TypedDict):
    id: int
    name: str
    metric: str
    population: int
    actual: float | None
    threshold: float
    threshold_high: float | None
    comparison: str
    met: bool
    deadline: str | None
    source: str
    organization: int | None


# Population keys and metrics provided by apps above this one (registered in their ``ready()``):
# a narrowing takes (people, the spec's value, today), a numerator (people, today).
Narrowing = Callable[[QuerySet[Candidate], Any, dt.date], QuerySet[Candidate]]
Numerator = Callable[[QuerySet[Candidate], dt.date], QuerySet[Candidate]]
POPULATIONS: dict[str, Narrowing] = {}
METRICS: dict[str, Numerator] = {}
# Where a metric's people are listed in full, per plan or unit: (URL name, the roles that may open it).
DETAILS: dict[str, tuple[str, frozenset[str]]] = {}


def register_population(key: str, narrowing: Narrowing) -> None:
    POPULATIONS[key] = narrowing


def register_metric(metric: str, numerator: Numerator) -> None:
    METRICS[metric] = numerator


def register_detail(metric: str, url_name: str, roles: frozenset[str]) -> None:
    DETAILS[metric] = (url_name, roles)


def population(target: Target, today: dt.date) -> QuerySet[Candidate]:
    qs = Candidate.objects.filter(erased_at__isnull=True).exclude(stage=Stage.EXITED)
    if target.organization_id is not None:
        qs = qs.filter(organization__path__startswith=target.organization.path)
    spec = target.population or {}
    if spec.get("pool_kind"):
        qs = qs.filter(pool_memberships__pool__kind=spec["pool_kind"])
    if spec.get("pool"):
        qs = qs.filter(pool_memberships__pool_id=spec["pool"])
    if spec.get("stages"):
        qs = qs.filter(stage__in=list(spec["stages"]))
    if spec.get("organization"):
        org = Organization.objects.filter(code=spec["organization"]).first()
        qs = qs.filter(organization__path__startswith=org.path) if org else qs.none()
    if spec.get("max_age") is not None:
        # Age ≤ max_age: born after the day one turned max_age + 1.
        qs = qs.filter(date_of_birth__gt=years_ago(today, int(spec["max_age"]) + 1))
    for key, value in spec.items():
        if key in POPULATIONS:
            qs = POPULATIONS[key](qs, value, today)
        elif key not in ("pool_kind", "pool", "stages", "organization", "max_age"):
            return qs.none()  # a key no installed app provides counts nobody rather than everybody
    return qs.distinct()


def _numerator(target: Target, qs: QuerySet[Candidate], today: dt.date) -> QuerySet[Candidate]:
    metric = target.metric
    if metric == Target.Metric.SHARE_YOUNG:
        return qs.filter(date_of_birth__gt=years_ago(today, 35))
    if metric == Target.Metric.SHARE_UNDER_40:
        return qs.filter(date_of_birth__gt=years_ago(today, 40))
    if metric == Target.Metric.SHARE_WOMEN:
        return qs.filter(gender=Candidate.Gender.FEMALE)
    if metric == Target.Metric.SHARE_MINORITY:
        return qs.filter(is_ethnic_minority=True)
    if metric == Target.Metric.SHARE_LANGUAGE_4:
        return qs.filter(Exists(LanguageCertificate.objects.filter(
            candidate=OuterRef("pk"), level__gte=4, verification_status=VerificationStatus.VERIFIED)))
    if metric == Target.Metric.SHARE_LEADERSHIP_TRAINED:
        return qs.filter(Exists(Training.objects.filter(candidate=OuterRef("pk"), kind=Training.Kind.LEADERSHIP,
                                                        completed_on__year=today.year)))
    if metric in METRICS:
        return METRICS[metric](qs, today)
    return qs


def missing(target: Target, user: Any, today: dt.date, limit: int = 12) -> dict[str, Any] | None:
    """Who a share target still misses: how many people of its population are not in the numerator, and
    the first ``limit`` of them (by name) whose records ``user`` may see. None for a count."""
    if target.metric == Target.Metric.COUNT:
        return None
    people = population(target, today)
    short = people.exclude(pk__in=_numerator(target, people, today).values("pk"))
    shown = list(short.filter(pk__in=Candidate.objects.for_user(user).values("pk"))
                 .order_by("full_name", "pk").values("pk", "full_name")[:limit])
    url_name, roles = DETAILS.get(target.metric, ("", frozenset()))
    return {"count": short.count(), "people": shown, "detail": url_name if user_role(user) in roles else ""}


def compute(target: Target, today: dt.date | None = None) -> TargetValue:
    today = today or timezone.localdate()
    people = population(target, today)
    size = people.count()
    if target.metric == Target.Metric.COUNT:
        actual: float | None = float(size)
    elif size:
        actual = round(100.0 * _numerator(target, people, today).count() / size, 2)
    else:
        actual = None
    threshold = float(target.threshold)
    high = float(target.threshold_high) if target.threshold_high is not None else None
    return {"id": target.pk, "name": target.name, "metric": target.metric, "population": size, "actual": actual,
            "threshold": threshold, "threshold_high": high, "comparison": target.comparison,
            "met": is_met(actual, target.comparison, threshold, high),
            "deadline": target.deadline.isoformat() if target.deadline else None, "source": target.citation,
            "organization": target.organization_id}


def is_met(actual: float | None, comparison: str, threshold: float, high: float | None = None) -> bool:
    if actual is None:
        return False
    if comparison == Target.Comparison.AT_LEAST:
        return actual >= threshold
    if comparison == Target.Comparison.AT_MOST:
        return actual <= threshold
    return threshold <= actual <= (high if high is not None else threshold)


def compute_all(today: dt.date | None = None) -> list[TargetValue]:
    """Every active target some unit adopted (the models count nobody's people)."""
    return [compute(target, today) for target in Target.objects.adopted().filter(active=True)
            .select_related("organization")]


@transaction.atomic
def record_snapshots(today: dt.date | None = None) -> int:
    """Today's value of every active target, once a day (later runs the same day refresh it)."""
    today = today or timezone.localdate()
    values = compute_all(today)
    for value in values:
        TargetSnapshot.objects.update_or_create(target_id=value["id"], day=today, defaults={
            "actual": value["actual"], "population": value["population"], "met": value["met"]})
    return len(values)


HCMC = {"source": "Kết luận về đẩy mạnh thực hiện Đề án số 01-ĐA/TU ngày 05/02/2021 về hỗ trợ, phát triển tài năng "
                  "trẻ và lãnh đạo tương lai giai đoạn 2020–2035 (tiêu chuẩn chức danh là cơ sở quy hoạch, đào tạo)",
        "source_number": "558-KL/TU", "issuer": "Ban Thường vụ Thành ủy Thành phố Hồ Chí Minh"}
HANOI = {"source": "Nghị quyết của Ban Chấp hành Đảng bộ Thành phố về tập trung xây dựng và nâng cao chất lượng "
                   "đội ngũ cán bộ các cấp nhiệm kỳ 2020–2025 và những năm tiếp theo",
         "issuer": "Ban Chấp hành Đảng bộ thành phố Hà Nội"}
HUNG_YEN = {"source": "Kết luận của Ban Thường vụ Tỉnh ủy về tiếp tục thực hiện Nghị quyết số 20-NQ/TU ngày "
                      "08/02/2022 và Nghị quyết số 32-NQ/TU ngày 26/10/2022",
            "source_date": dt.date(2024, 8, 1), "issuer": "Ban Thường vụ Tỉnh ủy Hưng Yên"}
CAN_THO = {"source": "Nghị quyết về đào tạo, bồi dưỡng, nâng cao chất lượng nguồn nhân lực, xây dựng đội ngũ cán bộ "
                     "lãnh đạo các cấp giai đoạn 2021–2025 và những năm tiếp theo",
           "source_number": "09-NQ/TU", "source_date": dt.date(2021, 12, 29), "issuer": "Thành ủy Cần Thơ"}

# Models from other localities' documents (no unit has adopted them): seeds/003 Hà Nội, seeds/001 Hưng
# Yên, seeds/002 Cần Thơ, seeds/000 Hồ Chí Minh City. Cần Thơ's "15–20% of city leaders under 40" is one range, not two targets.
TARGETS: tuple[dict[str, Any], ...] = (
    {"name": "Cán bộ trẻ chiếm từ 15% nguồn quy hoạch", "metric": "share_young",
     "population": {"pool_kind": "planning"}, "population_label": "Thành viên các nguồn quy hoạch",
     "comparison": "at_least", "threshold": Decimal("15"), "deadline": dt.date(2025, 12, 31), **HANOI},
    {"name": "Cán bộ nữ chiếm từ 15% nguồn quy hoạch", "metric": "share_women",
     "population": {"pool_kind": "planning"}, "population_label": "Thành viên các nguồn quy hoạch",
     "comparison": "at_least", "threshold": Decimal("15"), "deadline": dt.date(2025, 12, 31), **HANOI},
    {"name": "100% cán bộ trẻ trong quy hoạch được bồi dưỡng kỹ năng lãnh đạo", "metric": "share_leadership_trained",
     "population": {"in_plans": True, "max_age": 35},
     "population_label": "Cán bộ trẻ trong quy hoạch nhiệm kỳ hiện tại (bồi dưỡng trong năm)",
     "comparison": "at_least", "threshold": Decimal("100"), "deadline": dt.date(2024, 12, 31), **HUNG_YEN},
    {"name": "100% cán bộ trong quy hoạch đạt chuẩn lý luận chính trị của chức danh", "metric": "share_theory_standard",
     "population": {"in_plans": True}, "population_label": "Cán bộ trong quy hoạch nhiệm kỳ hiện tại",
     "comparison": "at_least", "threshold": Decimal("100"), "deadline": None, **HCMC},
    {"name": "Lãnh đạo dưới 40 tuổi chiếm 15–20%", "metric": "share_under_40",
     "population": {"stages": ["appointed"]}, "population_label": "Cán bộ đã được bổ nhiệm",
     "comparison": "between", "threshold": Decimal("15"), "threshold_high": Decimal("20"),
     "deadline": dt.date(2025, 12, 31), **CAN_THO},
    {"name": "25% cán bộ dưới 40 tuổi có ngoại ngữ bậc 4 trở lên", "metric": "share_language_4",
     "population": {"stages": ["recruited", "planning", "appointed"], "max_age": 39},
     "population_label": "Cán bộ dưới 40 tuổi", "comparison": "at_least", "threshold": Decimal("25"),
     "deadline": dt.date(2025, 12, 31), **CAN_THO},
)
# The names the first install used, now replaced: the range's two halves become the one range above.
RETIRED = ("Lãnh đạo cấp thành phố dưới 40 tuổi: từ 15%", "Lãnh đạo cấp thành phố dưới 40 tuổi: đến 20%")


def install_defaults(TargetModel: Any) -> None:
    """The models, written or brought up to date (migrations 0002 and 0003 call this)."""
    TargetModel.objects.filter(name__in=RETIRED, organization__isnull=True).delete()
    for spec in TARGETS:
        fields = {k: v for k, v in spec.items() if k != "name"}
        TargetModel.objects.update_or_create(name=spec["name"], organization=None, defaults=fields)


def periodic() -> list[str]:
    """The openings' part of ``manage.py event_tasks`` (``core.periodic``): today's value of every target
    (refreshed on each pass, one row a day). The yearly review's reminder belongs to ``succession``."""
    snapshots = record_snapshots()
    return [f"Chỉ tiêu: đã ghi giá trị hôm nay của {snapshots} chỉ tiêu."]
