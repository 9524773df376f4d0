"""Evaluation roll-up at city scale: /evaluations/rollup/ for a year of monthly cycles over 20,000 cadres
(200 units, 12 months: 2,400 cycles, 240,000 sheets, 220,000 finalized results — December still open).
The page reads the counts each cycle keeps (evaluation.tally), not the sheets.

Target (issue 17): the yearly roll-up answers in under 500 ms, with a query count that does not grow
with the data (compared with the same page for one month).

    .venv/bin/python -m tests.benchmarks.bench_evaluation --cadres 20000 --fresh

Needs PostgreSQL (``BENCH_ADMIN_URL``); the data goes into a scratch database (``BENCH_DATABASE``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time

from tests.benchmarks.bench_succession import _cpu, _p95, _times
from tests.benchmarks.common import populate, setup_django

UNITS = 200
YEAR = 2026


def build(cadres: int) -> None:
    from django.contrib.auth import get_user_model

    from evaluation import tally
    from evaluation.models import Evaluation, EvaluationCycle, EvaluationForm, EvaluationResult, RaterAssignment
    from talent import services
    from talent.models import Candidate, Organization, Role, UserProfile

    if EvaluationCycle.objects.filter(period__startswith=f"{YEAR}-").count() >= 12 * UNITS:
        return
    started = time.perf_counter()
    populate(cadres)
    city = Organization.objects.filter(code="BENCH-CITY").first() or services.organization_create(
        code="BENCH-CITY", name="Thành Đoàn benchmark", kind="youth_union", province_code=79)
    units = list(Organization.objects.filter(code__startswith="BENCH-U").order_by("pk"))
    for i in range(len(units), UNITS):
        units.append(services.organization_create(code=f"BENCH-U{i:03d}", name=f"Đơn vị {i:03d}", kind="youth_union",
                                                  parent=city, province_code=79))
    people = list(Candidate.objects.order_by("pk").values_list("pk", flat=True)[:cadres])
    Candidate.objects.filter(pk__in=people).update(stage="recruited")
    runner, _ = get_user_model().objects.get_or_create(username="bench-personnel")
    UserProfile.objects.update_or_create(user=runner, defaults={"role": Role.PERSONNEL, "organization": city})
    form = EvaluationForm.objects.get(active=True)
    cycles = EvaluationCycle.objects.bulk_create([
        EvaluationCycle(kind="monthly", period=f"{YEAR}-{m:02d}", organization=unit, form=form,
                        deadline=dt.date(YEAR, m, 28), status="finalized" if m < 12 else "open")
        for unit in units for m in range(1, 13)])
    by_unit = {}
    for cycle in cycles:
        by_unit.setdefault(cycle.organization_id, []).append(cycle)
    scores = {"politics": 8, "capacity": 8, "results": 7.5, "discipline": 9}
    ratings = ("excellent", "good", "good", "complete")
    batch_a, batch_e, batch_r = [], [], []
    for k, pk in enumerate(people):  # each cadre belongs to one unit's cycles
        unit = units[k % UNITS]
        for cycle in by_unit[unit.pk]:
            batch_a += [RaterAssignment(cycle=cycle, candidate_id=pk, rater=runner, rater_as="committee")]
            batch_e += [Evaluation(cycle=cycle, candidate_id=pk, rater=runner, rater_as="committee", scores=scores)]
            if cycle.status == "finalized":
                batch_r.append(EvaluationResult(cycle=cycle, candidate_id=pk, total=80, rating=ratings[k % 4],
                                                contributions={}, rater_count=1))
        if len(batch_a) >= 20_000:
            RaterAssignment.objects.bulk_create(batch_a)
            Evaluation.objects.bulk_create(batch_e)
            EvaluationResult.objects.bulk_create(batch_r)
            batch_a, batch_e, batch_r = [], [], []
    RaterAssignment.objects.bulk_create(batch_a)
    Evaluation.objects.bulk_create(batch_e)
    EvaluationResult.objects.bulk_create(batch_r)
    # Rows written around the services: count them as the services would have (evaluation.tally).
    tally.recount([c.pk for c in cycles])
    print(f"  built {len(cycles):,} cycles, {len(people) * 12:,} sheets over {UNITS} units in "
          f"{time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cadres", type=int, default=20_000)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    setup_django(args.fresh)
    import django
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    build(args.cadres)
    from evaluation.models import Evaluation, EvaluationResult

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="bench-personnel"))

    def page(period: str) -> None:
        response = client.get(f"/evaluations/rollup/?kind=monthly&period={period}")
        assert response.status_code == 200, response.status_code

    year = _times(lambda: page(str(YEAR)))
    month = _times(lambda: page(f"{YEAR}-11"))
    with CaptureQueriesContext(connection) as big:
        page(str(YEAR))
    with CaptureQueriesContext(connection) as small:
        page(f"{YEAR}-11")
    # The kept counts agree with the rows they count.
    from evaluation import selectors

    rows = selectors.rollup(get_user_model().objects.get(username="bench-personnel"), "monthly", str(YEAR))["rows"]
    sent = Evaluation.objects.filter(cycle__period__startswith=f"{YEAR}-").count()
    rated = EvaluationResult.objects.filter(cycle__period__startswith=f"{YEAR}-").count()
    assert (sum(r["submitted"] for r in rows), sum(r["rated"] for r in rows)) == (sent, rated)
    print(f"  the roll-up's kept counts match the rows: {sent:,} sheets, {rated:,} finalized results")
    print(f"CPU {_cpu()}; Python {platform.python_version()}, Django {django.get_version()}, "
          f"PostgreSQL {connection.pg_version}")
    print(f"roll-up, a year ({12 * UNITS:,} cycles, {12 * args.cadres:,} sheets): p50 "
          f"{statistics.median(year) * 1000:.0f} ms, p95 {_p95(year) * 1000:.0f} ms (target ≤ 500 ms), "
          f"{len(big.captured_queries)} queries")
    print(f"roll-up, one month: p50 {statistics.median(month) * 1000:.0f} ms, p95 {_p95(month) * 1000:.0f} ms, "
          f"{len(small.captured_queries)} queries")
    print(f"worst_p95_ms {max(_p95(year), _p95(month)) * 1000:.0f} "
          f"query_count_flat {len(big.captured_queries) <= len(small.captured_queries)}")


if __name__ == "__main__":
    main()
