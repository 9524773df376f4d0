"""Bench strength against the resolutions' targets, the three age bands, and the vacancy forecast from the
statutory retirement-age schedule (issue 16, item 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given, strategies as st

from succession import forecast, selectors, services
from succession.models import PositionHeld, StructureTarget
from tests.succession.people import cadre

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(("born", "gender", "retires"), [
    (dt.date(1960, 12, 15), "male", dt.date(2020, 12, 15)),   # before the schedule: 60
    (dt.date(1961, 1, 15), "male", dt.date(2021, 4, 15)),     # 60 years 3 months in 2021
    (dt.date(1961, 10, 1), "male", dt.date(2022, 4, 1)),      # reaches 60y3m only in 2022, when 60y6m applies
    (dt.date(1966, 12, 1), "male", dt.date(2028, 12, 1)),     # 62 from 2028
    (dt.date(1970, 6, 15), "male", dt.date(2032, 6, 15)),
    (dt.date(1966, 5, 10), "female", dt.date(2021, 9, 10)),   # 55 years 4 months in 2021
    (dt.date(1975, 1, 1), "female", dt.date(2034, 9, 1)),     # 59y4m in 2033 is reached in 2034, when 59y8m applies
    (dt.date(1980, 1, 31), "female", dt.date(2040, 1, 31)),   # 60 from 2035
])
def test_retirement_dates_follow_the_labour_code_schedule(born, gender, retires) -> None:  # type: ignore[no-untyped-def]
    assert forecast.retirement_date(born, gender) == retires


def test_unknown_gender_has_no_forecast() -> None:
    assert forecast.retirement_date(dt.date(1970, 1, 1), "") is None


@given(st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2005, 12, 31)), st.sampled_from(["male", "female"]))
def test_the_retirement_age_is_the_one_of_the_year_it_is_reached(born, gender) -> None:  # type: ignore[no-untyped-def]
    day = forecast.retirement_date(born, gender)
    months = forecast.retirement_age_months(gender, day.year)
    assert forecast.add_months(born, months) == day
    # One month later's schedule is never reached earlier: no earlier year would have retired them.
    for year in range(born.year + 40, day.year):
        assert forecast.add_months(born, forecast.retirement_age_months(gender, year)).year > year


def test_structure_against_targets_and_age_bands(org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    position = services.position_create(actor=personnel, organization=org_tree.ward_a, title="Giám đốc Trung tâm",
                                        level="public_unit")
    plan = services.plan_create(actor=personnel, position=position, term="2025-2030")
    for name, gender, born in (("Trần Văn Một", "male", dt.date(1994, 3, 1)), ("Lê Văn Hai", "male", dt.date(1985, 3, 1)),
                               ("Phạm Văn Ba", "male", dt.date(1978, 3, 1))):
        services.member_propose(actor=personnel, plan=plan, candidate=cadre(org_tree.ward_a, name, gender, born),
                                readiness="1_2_years", on=TODAY)
    shape = selectors.structure(plan, today=TODAY)
    # Ages on 1/1/2025: 30, 39, 46 — one in each band; no woman: under the 15% target.
    assert shape["age_bands"] == {"under_35": 1, "35_44": 1, "45_plus": 1}
    assert shape["women_share"] == 0 and "women_share" in shape["below_targets"]
    assert shape["young_share"] == pytest.approx(0.3333, abs=1e-4) and "young_share" not in shape["below_targets"]
    # A target is data: a new active version moves the young age limit and the minimum.
    StructureTarget.objects.filter(measure="young_share").update(active=False)
    StructureTarget.objects.create(measure="young_share", version=2, minimum="0.500", parameters={"under_age": 45},
                                   source="Quy định thử")
    shape = selectors.structure(plan, today=TODAY)
    assert shape["young_share"] == pytest.approx(0.6667, abs=1e-4) and "young_share" not in shape["below_targets"]
    StructureTarget.objects.filter(measure="young_share", version=2).update(minimum="0.700")
    assert "young_share" in selectors.structure(plan, today=TODAY)["below_targets"]


def test_vacancy_forecast_marks_seats_with_nobody_ready(org_tree, personnel, client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    chair = services.position_create(actor=personnel, organization=org_tree.ward_a, title="Bí thư Đảng ủy phường",
                                     level="commune")
    deputy = services.position_create(actor=personnel, organization=org_tree.ward_a, title="Phó Bí thư", level="commune",
                                      seats=2)
    services.position_create(actor=personnel, organization=org_tree.ward_b, title="Chủ tịch", level="commune")
    plan = services.plan_create(actor=personnel, position=chair, term="2025-2030")
    # The chair reaches 61 years 9 months (the 2027 age) on 1/12/2027; the one successor is ready in 1–2 years
    # (counted as 07/12/2028): too late.
    old = cadre(org_tree.ward_a, "Ngô Văn Chín", "male", dt.date(1966, 3, 1))
    PositionHeld.objects.create(candidate=old, organization=org_tree.ward_a, title=chair.title, position=chair,
                                started_on=dt.date(2020, 10, 1))
    services.member_propose(actor=personnel, plan=plan, candidate=cadre(org_tree.ward_a, "Đỗ Thị Mười", "female"),
                            readiness="1_2_years", on=TODAY)
    # One deputy, far from retirement: the second seat is vacant now, with no plan at all.
    young = cadre(org_tree.ward_a, "Vũ Thị Trẻ", "female", dt.date(1990, 1, 1))
    PositionHeld.objects.create(candidate=young, organization=org_tree.ward_a, title=deputy.title, position=deputy,
                                started_on=dt.date(2024, 1, 1))
    rows = forecast.vacancies(personnel, "2025-2030", org_tree.ward_a, today=TODAY)
    assert [(r["title"], r["reason"], r["on"], r["covered"]) for r in rows] == [
        ("Phó Bí thư", "vacant", TODAY, False),
        ("Bí thư Đảng ủy phường", "retirement", dt.date(2027, 12, 1), False),
    ]
    assert rows[1]["successors"] == 1 and rows[1]["ready_by_then"] == 0
    # A successor ready now covers the retirement.
    services.member_propose(actor=personnel, plan=plan, candidate=cadre(org_tree.ward_a, "Hồ Văn Sẵn"),
                            readiness="ready_now", on=TODAY)
    assert forecast.vacancies(personnel, "2025-2030", org_tree.ward_a, today=TODAY)[1]["covered"] is True
    # Ward B's vacant chair appears for the whole city; a ward A planner does not see it.
    assert len(forecast.vacancies(personnel, "2025-2030", today=TODAY)) == 3

    client.force_login(personnel)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("succession-forecast"), {"term": "2025-2030"}).content.decode()
    assert 'id="forecast-table"' in page and "Ngô Văn Chín đến tuổi nghỉ hưu" in page
    assert 'id="forecast-uncovered">2<' in page and "Nghị định số 135/2020/NĐ-CP" in page


def test_the_bench_page_shows_targets_and_charts(org_tree, personnel, client) -> None:  # type: ignore[no-untyped-def]
    position = services.position_create(actor=personnel, organization=org_tree.ward_a, title="Bí thư Đoàn phường",
                                        level="youth_union")
    plan = services.plan_create(actor=personnel, position=position, term="2025-2030")
    services.member_propose(actor=personnel, plan=plan, candidate=cadre(org_tree.ward_a, "Đinh Văn Nam"),
                            readiness="ready_now")
    client.force_login(personnel)
    page = client.get(reverse("succession-bench")).content.decode()
    assert 'data-measure="women_share" data-met="no"' in page
    assert 'data-measure="minority_share" data-met="none"' in page  # no target shipped for minorities
    assert "Hà Nội" in page  # the targets' source
    for chart in ("chart-shares", "chart-readiness", "chart-ages"):
        assert f'id="{chart}"' in page
    assert 'class="bar-mark"' in page and "Chưa đủ cơ cấu 3 độ tuổi" in page


def test_one_successor_covers_one_seat(org_tree, personnel) -> None:  # type: ignore[no-untyped-def]
    deputies = services.position_create(actor=personnel, organization=org_tree.ward_a, title="Phó Chủ tịch",
                                        level="commune", seats=2)
    plan = services.plan_create(actor=personnel, position=deputies, term="2025-2030")
    services.member_propose(actor=personnel, plan=plan, candidate=cadre(org_tree.ward_a, "Chu Văn Một"),
                            readiness="ready_now", on=TODAY)
    rows = forecast.vacancies(personnel, "2025-2030", org_tree.ward_a, today=TODAY)
    assert [(r["reason"], r["ready_by_then"], r["covered"]) for r in rows] == [("vacant", 1, True), ("vacant", 1, False)]
