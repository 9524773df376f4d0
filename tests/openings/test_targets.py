"""The resolutions' targets against hand counts on a small world, their snapshots and the yearly
planning-review reminder."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from openings import targets
from openings.models import Target, TargetSnapshot
from talent import services as talent_services
from talent.models import Candidate, Role, Stage, Training
from tests.factories import make_candidate, make_user

TODAY = dt.date(2026, 6, 15)
M = Target.Metric


@pytest.fixture
def world(org_tree, officer) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    """A planning pool of six records, of whom four count (E has left the programme, G was erased):

    | who | gender | born       | age on 15/06/2026 | ethnicity | trainings  | language           | unit     |
    |-----|--------|------------|-------------------|-----------|------------|--------------------|----------|
    | A   | female | 01/01/1995 | 31                | Tày       | leadership | level 4, verified  | ward A   |
    | B   | male   | 16/06/1988 | 37                | Kinh      | —          | level 5, pending   | ward B   |
    | C   | male   | 15/06/1991 | 35 (that day)     | Kinh      | political  | level 3, verified  | faculty  |
    | D   | female | 02/02/2000 | 26                | Kinh      | leadership | —                  | school A |
    | E   | male   | 01/01/1996 | exited            | Kinh      | leadership | level 6, verified  | ward A   |
    | G   | female | 01/01/1999 | erased            | Tày       | —          | —                  | ward A   |

    F (female, 24) is in a young-talent pool only.
    """
    org = org_tree
    pool = talent_services.pool_create(actor=officer, name="Quy hoạch 2025-2030", kind="planning", term="2025-2030",
                                       owner=org.city)
    other = talent_services.pool_create(actor=officer, name="Nguồn tài năng trẻ", kind="young_talent",
                                        owner=org.city)

    def person(name: str, unit: Any, gender: str, born: dt.date, ethnicity: str = "Kinh") -> Candidate:
        return make_candidate(unit, name, gender=gender, date_of_birth=born, ethnicity=ethnicity)

    a = person("Hoàng Thị An", org.ward_a, "female", dt.date(1995, 1, 1), "Tày")
    b = person("Trần Văn Bình", org.ward_b, "male", dt.date(1988, 6, 16))
    c = person("Lê Văn Cường", org.faculty, "male", dt.date(1991, 6, 15))
    d = person("Phạm Thị Dung", org.school_a, "female", dt.date(2000, 2, 2))
    e = person("Vũ Văn Em", org.ward_a, "male", dt.date(1996, 1, 1))
    g = person("Nông Thị Giang", org.ward_a, "female", dt.date(1999, 1, 1), "Tày")
    f = person("Đỗ Thị Phương", org.ward_a, "female", dt.date(2002, 1, 1))
    for someone in (a, b, c, d, e, g):
        talent_services.pool_add(pool=pool, candidate=someone, actor=officer)
    talent_services.pool_add(pool=other, candidate=f, actor=officer)
    talent_services.pool_add(pool=other, candidate=a, actor=officer)
    Candidate.objects.filter(pk=e.pk).update(stage=Stage.EXITED)
    Candidate.objects.filter(pk=g.pk).update(erased_at=timezone.now())
    Candidate.objects.filter(pk__in=[a.pk, c.pk]).update(stage=Stage.PLANNING)
    Candidate.objects.filter(pk__in=[b.pk, d.pk]).update(stage=Stage.APPOINTED)
    # Leadership training counts in the year only: B's course of last year does not.
    for someone, kind, year in ((a, Training.Kind.LEADERSHIP, 2026), (c, Training.Kind.POLITICAL, 2026),
                                (d, Training.Kind.LEADERSHIP, 2026), (d, Training.Kind.LEADERSHIP, 2025),
                                (e, Training.Kind.LEADERSHIP, 2026), (b, Training.Kind.LEADERSHIP, 2025)):
        Training.objects.create(candidate=someone, kind=kind, title="Lớp bồi dưỡng", completed_on=dt.date(year, 5, 1))
    for someone, level, verified in ((a, 4, True), (b, 5, False), (c, 3, True), (e, 6, True)):
        talent_services.language_certificate_add(candidate=someone, actor=officer, language="en", level=level,
                                                 verified=verified)
    return SimpleNamespace(org=org, pool=pool, other=other, a=a, b=b, c=c, d=d, e=e, f=f, g=g)


def target(metric: str, population: dict[str, Any] | None = None, comparison: str = "at_least",
           threshold: str = "50", **fields: Any) -> Target:
    return Target.objects.create(name=f"{metric} {population}", metric=metric,
                                 population={"pool_kind": "planning"} if population is None else population,
                                 comparison=comparison, threshold=Decimal(threshold), source="Nghị quyết thử",
                                 **fields)


@pytest.mark.parametrize(("metric", "expected"), [
    (M.SHARE_YOUNG, 50.0),  # A, D (C turns 35 that very day)
    (M.SHARE_UNDER_40, 100.0),  # A, B, C, D
    (M.SHARE_WOMEN, 50.0),  # A, D
    (M.SHARE_MINORITY, 25.0),  # A
    (M.SHARE_LANGUAGE_4, 25.0),  # A (B's level 5 is not verified, C's is level 3)
    (M.SHARE_LEADERSHIP_TRAINED, 50.0),  # A, D this year (D's two courses count once; B's was last year)
    (M.COUNT, 4.0),
])
def test_each_metric_against_a_hand_count(world, metric, expected) -> None:  # type: ignore[no-untyped-def]
    value = targets.compute(target(metric), TODAY)
    assert value["population"] == 4
    assert value["actual"] == expected


@pytest.mark.parametrize(("population", "size", "metric", "expected"), [
    ({"pool_kind": "planning", "max_age": 35}, 3, M.SHARE_LEADERSHIP_TRAINED, 66.67),  # A, C, D; trained A, D
    ({"pool": "other"}, 2, M.SHARE_WOMEN, 100.0),  # A and F
    ({"stages": ["appointed"]}, 2, M.SHARE_UNDER_40, 100.0),  # B, D
    ({"stages": ["planning", "appointed"], "organization": "W-A"}, 2, M.SHARE_MINORITY, 50.0),  # A, D (school A)
    ({"organization": "U-BK"}, 1, M.SHARE_YOUNG, 0.0),  # C, in the university's faculty
    ({}, 5, M.SHARE_WOMEN, 60.0),  # everyone not exited nor erased: A, B, C, D, F
])
def test_population_filters(world, population, size, metric, expected) -> None:  # type: ignore[no-untyped-def]
    if population.get("pool") == "other":
        population = {"pool": world.other.pk}
    value = targets.compute(target(metric, population), TODAY)
    assert (value["population"], value["actual"]) == (size, expected)


def test_met_follows_the_comparison(world) -> None:  # type: ignore[no-untyped-def]
    cases = [("at_least", "50", True), ("at_least", "50.01", False), ("at_most", "50", True),
             ("at_most", "49.99", False), ("at_most", "20", False), ("at_least", "15", True)]
    for comparison, threshold, met in cases:
        value = targets.compute(target(M.SHARE_WOMEN, comparison=comparison, threshold=threshold), TODAY)
        assert value["actual"] == 50.0
        assert value["met"] is met, (comparison, threshold)
        assert value["threshold"] == float(threshold) and value["comparison"] == comparison


def test_an_empty_population_has_no_actual_and_is_not_met(world) -> None:  # type: ignore[no-untyped-def]
    for comparison in ("at_least", "at_most"):
        for population in ({"organization": "NO-SUCH-UNIT"}, {"pool_kind": "planning", "stages": ["discovered"]}):
            value = targets.compute(target(M.SHARE_WOMEN, population, comparison=comparison, threshold="0"), TODAY)
            assert (value["population"], value["actual"], value["met"]) == (0, None, False)
    # A count of nobody is a count: zero.
    value = targets.compute(target(M.COUNT, {"organization": "NO-SUCH-UNIT"}, comparison="at_most", threshold="3"))
    assert (value["actual"], value["met"]) == (0.0, True)


def test_compute_all_reports_every_active_adopted_target_with_its_source(world) -> None:  # type: ignore[no-untyped-def]
    mine = target(M.SHARE_WOMEN, deadline=dt.date(2030, 12, 31), organization=world.org.city, source_number="7-NQ/TĐ",
                  source_date=dt.date(2026, 1, 5), issuer="Ban Thường vụ Thành Đoàn")
    target(M.SHARE_YOUNG, active=False, organization=world.org.city)
    target(M.SHARE_MINORITY)  # a model no unit adopted: it counts nobody's people
    values = {v["id"]: v for v in targets.compute_all(TODAY)}
    assert set(values) == set(Target.objects.filter(active=True, organization__isnull=False).values_list("pk", flat=True))
    assert values[mine.pk] == {"id": mine.pk, "name": mine.name, "metric": "share_women", "population": 4,
                               "actual": 50.0, "threshold": 50.0, "threshold_high": None, "comparison": "at_least",
                               "met": True, "deadline": "2030-12-31", "organization": world.org.city.pk,
                               "source": "Nghị quyết thử số 7-NQ/TĐ ngày 05/01/2026 của Ban Thường vụ Thành Đoàn"}


def test_a_target_counts_only_the_people_of_the_unit_that_adopted_it(world) -> None:  # type: ignore[no-untyped-def]
    # In the planning pool: A (ward A, woman), B (ward B), C (faculty), D (school A under ward A, woman).
    ward_a = targets.compute(target(M.SHARE_WOMEN, organization=world.org.ward_a), TODAY)
    assert (ward_a["population"], ward_a["actual"]) == (2, 100.0)  # A and D
    ward_b = targets.compute(target(M.SHARE_WOMEN, organization=world.org.ward_b), TODAY)
    assert (ward_b["population"], ward_b["actual"]) == (1, 0.0)  # B
    city = targets.compute(target(M.SHARE_WOMEN, organization=world.org.city), TODAY)
    assert (city["population"], city["actual"]) == (4, 50.0)


@pytest.mark.parametrize(("low", "high", "met"), [("40", "60", True), ("50", "50", True), ("10", "40", False),
                                                   ("60", "90", False)])
def test_a_range_is_met_only_inside_it(world, low, high, met) -> None:  # type: ignore[no-untyped-def]
    value = targets.compute(target(M.SHARE_WOMEN, comparison="between", threshold=low, threshold_high=Decimal(high),
                                   organization=world.org.city), TODAY)
    assert value["actual"] == 50.0 and value["met"] is met and value["threshold_high"] == float(high)


def test_a_range_needs_its_upper_end_and_only_a_range_has_one(world) -> None:  # type: ignore[no-untyped-def]
    from django.db import IntegrityError, transaction

    for fields in ({"comparison": "between"}, {"comparison": "between", "threshold_high": Decimal("10")},
                   {"comparison": "at_least", "threshold_high": Decimal("80")}):
        with pytest.raises(IntegrityError), transaction.atomic():
            target(M.SHARE_WOMEN, **fields)


def test_the_default_targets_are_models_citing_their_documents(db) -> None:  # type: ignore[no-untyped-def]
    models = Target.objects.not_adopted()
    assert {spec["name"] for spec in targets.TARGETS} == set(models.values_list("name", flat=True))
    assert not Target.objects.filter(name__in=targets.RETIRED).exists()
    cantho = models.get(metric=M.SHARE_UNDER_40)  # "15–20%" is one range, not two contradicting targets
    assert (cantho.comparison, cantho.threshold, cantho.threshold_high) == ("between", Decimal("15"), Decimal("20"))
    assert cantho.citation.endswith("số 09-NQ/TU ngày 29/12/2021 của Thành ủy Cần Thơ")
    for model in models:
        assert "seeds/" not in model.citation and model.issuer and model.organization_id is None
    # Installing again (a later migration) changes nothing.
    before = list(models.order_by("pk").values())
    targets.install_defaults(Target)
    assert list(Target.objects.not_adopted().order_by("pk").values()) == before


def test_record_snapshots_once_per_day(world) -> None:  # type: ignore[no-untyped-def]
    Target.objects.exclude(pk=target(M.SHARE_WOMEN, organization=world.org.city).pk).update(active=False)
    assert targets.record_snapshots(TODAY) == 1
    assert targets.record_snapshots(TODAY) == 1
    assert list(TargetSnapshot.objects.values_list("day", "actual", "population", "met")) == [
        (TODAY, 50.0, 4, True)]
    # A later run the same day refreshes the row; another day adds one.
    Candidate.objects.filter(pk=world.b.pk).update(gender="female")
    targets.record_snapshots(TODAY)
    assert list(TargetSnapshot.objects.values_list("day", "actual", "met")) == [(TODAY, 75.0, True)]
    targets.record_snapshots(TODAY + dt.timedelta(days=1))
    assert TargetSnapshot.objects.count() == 2


@pytest.fixture
def staff(org_tree) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "admin": make_user(Role.ADMIN, org_tree.city, username="adm"),
        "officer": make_user(Role.OFFICER, org_tree.city, username="off"),
        "ward": make_user(Role.OFFICER, org_tree.ward_a, username="off_ward"),
        "liaison": make_user(Role.LIAISON, org_tree.uni, username="lia"),
        "recruiter": make_user(Role.RECRUITER, org_tree.agency, username="rec"),
        "gone": make_user(Role.OFFICER, org_tree.city, username="off_gone", is_active=False),
    }


def test_event_tasks_records_targets_once_a_day(staff, org_tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io

    from django.core.management import call_command

    for model in Target.objects.not_adopted()[:2]:  # the models themselves are nobody's and get no snapshot
        target(model.metric, organization=org_tree.city)
    active = Target.objects.adopted().filter(active=True).count()
    assert active == 2
    monkeypatch.setattr(timezone, "localdate", lambda *args: dt.date(2026, 12, 3))
    out = io.StringIO()
    call_command("event_tasks", stdout=out)
    call_command("event_tasks", stdout=out)
    text = out.getvalue()
    assert text.count(f"Chỉ tiêu: đã ghi giá trị hôm nay của {active} chỉ tiêu.") == 2
    # The yearly review's reminder is succession's (tests/succession/test_reviews.py): no plan here, no line.
    assert text.count("Nhắc rà soát quy hoạch: 0 thông báo.") == 2
    assert set(TargetSnapshot.objects.values_list("day", flat=True)) == {dt.date(2026, 12, 3)}
    assert TargetSnapshot.objects.count() == active
