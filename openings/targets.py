"""The resolutions' targets computed from live data, their daily snapshots and the yearly review reminder.

A target counts a population of candidates (not erased, not exited) narrowed by its ``population``
filter — ``pool_kind`` (members of any pool of that kind), ``pool`` (one pool's id), ``stages`` (a list),
``organization`` (a unit's code, its subtree), ``max_age`` — and measures a share (in percent) or a count.
"Young" means under 35 on the day; "under 40" under 40; language level 4+ and leadership training count
verified certificates and completed trainings. ``met`` is ``actual ≥ threshold`` for ``at_least`` and
``actual ≤ threshold`` for ``at_most``. A share over an empty population has no actual and is not met;
a count of an empty population is 0.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypedDict

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from core.notifications import already_notified, notify
from openings.models import Target, TargetSnapshot
from talent.models import (
    Candidate,
    LanguageCertificate,
    Organization,
    Role,
    Stage,
    Training,
    UserProfile,
    VerificationStatus,
)


class TargetValue(TypedDict):
    id: int
    name: str
    metric: str
    population: int
    actual: float | None
    threshold: float
    comparison: str
    met: bool
    deadline: str | None
    source: str


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def population(target: Target, today: dt.date) -> QuerySet[Candidate]:
    qs = Candidate.objects.filter(erased_at__isnull=True).exclude(stage=Stage.EXITED)
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
        qs = qs.filter(date_of_birth__gt=_years_ago(today, int(spec["max_age"]) + 1))
    return qs.distinct()


def _numerator(target: Target, qs: QuerySet[Candidate], today: dt.date) -> QuerySet[Candidate]:
    metric = target.metric
    if metric == Target.Metric.SHARE_YOUNG:
        return qs.filter(date_of_birth__gt=_years_ago(today, 35))
    if metric == Target.Metric.SHARE_UNDER_40:
        return qs.filter(date_of_birth__gt=_years_ago(today, 40))
    if metric == Target.Metric.SHARE_WOMEN:
        return qs.filter(gender=Candidate.Gender.FEMALE)
    if metric == Target.Metric.SHARE_MINORITY:
        return qs.filter(is_ethnic_minority=True)
    if metric == Target.Metric.SHARE_LANGUAGE_4:
        return qs.filter(Exists(LanguageCertificate.objects.filter(
            candidate=OuterRef("pk"), level__gte=4, verification_status=VerificationStatus.VERIFIED)))
    if metric == Target.Metric.SHARE_LEADERSHIP_TRAINED:
        return qs.filter(Exists(Training.objects.filter(candidate=OuterRef("pk"), kind=Training.Kind.LEADERSHIP)))
    return qs


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
    met = actual is not None and (actual >= threshold if target.comparison == Target.Comparison.AT_LEAST
                                  else actual <= threshold)
    return {"id": target.pk, "name": target.name, "metric": target.metric, "population": size, "actual": actual,
            "threshold": threshold, "comparison": target.comparison, "met": met,
            "deadline": target.deadline.isoformat() if target.deadline else None, "source": target.source}


def compute_all(today: dt.date | None = None) -> list[TargetValue]:
    return [compute(target, today) for target in Target.objects.filter(active=True)]


@transaction.atomic
def record_snapshots(today: dt.date | None = None) -> int:
    """Today's value of every active target, once a day (later runs the same day refresh it)."""
    today = today or timezone.localdate()
    values = compute_all(today)
    for value in values:
        TargetSnapshot.objects.update_or_create(target_id=value["id"], day=today, defaults={
            "actual": value["actual"], "population": value["population"], "met": value["met"]})
    return len(values)


def planning_review_reminder(today: dt.date | None = None) -> int:
    """From 1 December, remind Youth Union officers and administrators once a year that planning is
    reviewed before 31/12 (those who no longer meet the standards are taken out)."""
    today = today or timezone.localdate()
    if today.month != 12:
        return 0
    kind = f"planning.review.{today.year}"
    staff = list(UserProfile.objects.filter(role__in=(Role.ADMIN, Role.OFFICER), user__is_active=True)
                 .exclude(user__in=already_notified(kind))
                 .values_list("user_id", flat=True))
    if not staff:
        return 0
    return notify(users=staff, kind=kind, title=f"Rà soát quy hoạch năm {today.year} trước 31/12",
                  body="Rà soát nguồn quy hoạch hằng năm; đưa ra khỏi quy hoạch những người không còn đủ "
                       "tiêu chuẩn; cập nhật các chỉ tiêu.", url="/targets/")


TARGETS: tuple[dict[str, Any], ...] = (
    {"name": "Cán bộ trẻ chiếm từ 15% nguồn quy hoạch", "metric": "share_young",
     "population": {"pool_kind": "planning"}, "population_label": "Thành viên các nguồn quy hoạch",
     "comparison": "at_least", "threshold": Decimal("15"), "deadline": dt.date(2025, 12, 31),
     "source": "Nghị quyết về công tác cán bộ của Đảng bộ TP. Hà Nội nhiệm kỳ 2020–2025 (seeds/003)"},
    {"name": "Cán bộ nữ chiếm từ 15% nguồn quy hoạch", "metric": "share_women",
     "population": {"pool_kind": "planning"}, "population_label": "Thành viên các nguồn quy hoạch",
     "comparison": "at_least", "threshold": Decimal("15"), "deadline": dt.date(2025, 12, 31),
     "source": "Nghị quyết về công tác cán bộ của Đảng bộ TP. Hà Nội nhiệm kỳ 2020–2025 (seeds/003)"},
    {"name": "100% cán bộ trẻ trong quy hoạch được bồi dưỡng kỹ năng lãnh đạo", "metric": "share_leadership_trained",
     "population": {"pool_kind": "planning", "max_age": 35}, "population_label": "Cán bộ trẻ trong nguồn quy hoạch",
     "comparison": "at_least", "threshold": Decimal("100"), "deadline": dt.date(2024, 12, 31),
     "source": "Kết luận của Ban Thường vụ Tỉnh ủy Hưng Yên (2024) về Nghị quyết 20-NQ/TU và 32-NQ/TU (seeds/001)"},
    {"name": "Lãnh đạo cấp thành phố dưới 40 tuổi: từ 15%", "metric": "share_under_40",
     "population": {"stages": ["appointed"]}, "population_label": "Cán bộ đã được bổ nhiệm",
     "comparison": "at_least", "threshold": Decimal("15"), "deadline": dt.date(2025, 12, 31),
     "source": "Nghị quyết 09-NQ/TU ngày 29/12/2021 của Thành ủy Cần Thơ (seeds/002)"},
    {"name": "Lãnh đạo cấp thành phố dưới 40 tuổi: đến 20%", "metric": "share_under_40",
     "population": {"stages": ["appointed"]}, "population_label": "Cán bộ đã được bổ nhiệm",
     "comparison": "at_most", "threshold": Decimal("20"), "deadline": dt.date(2025, 12, 31),
     "source": "Nghị quyết 09-NQ/TU ngày 29/12/2021 của Thành ủy Cần Thơ (seeds/002)"},
    {"name": "25% cán bộ dưới 40 tuổi có ngoại ngữ bậc 4 trở lên", "metric": "share_language_4",
     "population": {"stages": ["recruited", "planning", "appointed"], "max_age": 39},
     "population_label": "Cán bộ dưới 40 tuổi", "comparison": "at_least", "threshold": Decimal("25"),
     "deadline": dt.date(2025, 12, 31),
     "source": "Nghị quyết 09-NQ/TU ngày 29/12/2021 của Thành ủy Cần Thơ (seeds/002)"},
)


def install_defaults(TargetModel: Any) -> None:
    for spec in TARGETS:
        TargetModel.objects.get_or_create(name=spec["name"], defaults={k: v for k, v in spec.items() if k != "name"})


def periodic() -> list[str]:
    """The openings' part of ``manage.py event_tasks`` (``core.periodic``): today's value of every target
    (refreshed on each pass, one row a day) and, in December, the yearly reminder to review planning
    before 31/12 (sent once a year)."""
    snapshots = record_snapshots()
    reminded = planning_review_reminder()
    return [f"Chỉ tiêu: đã ghi giá trị hôm nay của {snapshots} chỉ tiêu.",
            f"Nhắc rà soát quy hoạch trước 31/12: {reminded} thông báo."]
