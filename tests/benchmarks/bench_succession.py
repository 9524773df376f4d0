"""Bench strength at city scale: the /succession/ page and the plans API for a city with 20,000 cadres
and 2,000 positions, each position with a plan for 2025-2030 and three members.

Targets (issue 16): the bench-strength page answers in under 300 ms (p95) and its query count does not
grow with the number of plans (compared with the same page narrowed to one unit, which reads the unit
once more). The page counts every plan in its totals and shows the table 100 rows at a time.

    .venv/bin/python -m tests.benchmarks.bench_succession --cadres 20000 --positions 2000 --fresh

Needs PostgreSQL (``BENCH_ADMIN_URL``, default postgres://postgres@127.0.0.1:5432/postgres); the data
goes into a scratch database (``BENCH_DATABASE``, default ytp_bench).
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from pathlib import Path

from tests.benchmarks.common import populate, setup_django

UNITS = 200


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _times(func, repeat: int = 21, warmup: int = 3) -> list[float]:  # type: ignore[no-untyped-def]
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return sorted(samples)


def _p95(samples: list[float]) -> float:
    return samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]


def build(cadres: int, positions: int) -> None:
    """Units under one city union, positions spread over them, one plan per position, three members each."""
    import random

    from succession.models import PlanMember, Position, PositionHeld, SuccessionPlan
    from talent import services
    from talent.models import Candidate, Organization

    if SuccessionPlan.objects.filter(term="2025-2030").count() >= positions:
        return
    started = time.perf_counter()
    populate(cadres)
    city = Organization.objects.filter(code="BENCH-CITY").first() or services.organization_create(
        code="BENCH-CITY", name="Thành Đoàn benchmark", kind="youth_union", province_code=79)
    units = list(Organization.objects.filter(code__startswith="BENCH-U").order_by("pk"))
    for i in range(len(units), UNITS):
        units.append(services.organization_create(code=f"BENCH-U{i:03d}", name=f"Đơn vị {i:03d}", kind="youth_union",
                                                  parent=city, province_code=79))
    rng = random.Random(7)
    people = list(Candidate.objects.order_by("pk").values_list("pk", flat=True)[:cadres])
    made = Position.objects.bulk_create([
        Position(organization=units[i % UNITS], title=f"Chức danh {i:05d}", level=("youth_union", "commune",
                 "department")[i % 3], seats=1 + i % 3) for i in range(positions)])
    plans = SuccessionPlan.objects.bulk_create([SuccessionPlan(position=p, term="2025-2030") for p in made])
    PlanMember.objects.bulk_create([
        PlanMember(plan=plan, candidate_id=pk, readiness=rng.choice(("ready_now", "1_2_years", "3_plus_years")),
                   order=k + 1, status=rng.choice(("proposed", "approved", "approved")))
        for plan in plans for k, pk in enumerate(rng.sample(people, 3))])
    PositionHeld.objects.bulk_create([
        PositionHeld(candidate_id=pk, organization=units[j % UNITS], title="Chuyên viên",
                     started_on=dt.date(2010 + j % 15, 1 + j % 12, 1)) for j, pk in enumerate(people)])
    print(f"  built {positions:,} positions and plans, {3 * positions:,} members over {UNITS} units in "
          f"{time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cadres", type=int, default=20_000)
    parser.add_argument("--positions", type=int, default=2_000)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    setup_django(args.fresh)
    import django
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from talent.models import Organization, Role, UserProfile

    build(args.cadres, args.positions)
    from django.contrib.auth import get_user_model

    city = Organization.objects.get(code="BENCH-CITY")
    officer, _ = get_user_model().objects.get_or_create(username="bench-officer")
    UserProfile.objects.update_or_create(user=officer, defaults={"role": Role.OFFICER, "organization": city})
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(officer)
    one_unit = Organization.objects.filter(code="BENCH-U000").values_list("pk", flat=True).first()

    def page(query: str = "") -> None:
        response = client.get(f"/succession/?term=2025-2030{query}")
        assert response.status_code == 200, response.status_code

    def api() -> None:
        response = client.get("/api/v1/succession-plans/?term=2025-2030&page_size=50")
        assert response.status_code == 200, response.status_code

    whole = _times(page)
    unit = _times(lambda: page(f"&organization={one_unit}"))
    listing = _times(api)
    with CaptureQueriesContext(connection) as big:
        page()
    with CaptureQueriesContext(connection) as small:
        page(f"&organization={one_unit}")
    print(f"CPU {_cpu()}; Python {platform.python_version()}, Django {django.get_version()}, "
          f"PostgreSQL {connection.pg_version}")
    print(f"bench strength, {args.positions:,} plans: p50 {statistics.median(whole) * 1000:.0f} ms, "
          f"p95 {_p95(whole) * 1000:.0f} ms (target p95 ≤ 300 ms), {len(big.captured_queries)} queries")
    print(f"bench strength, one unit ({args.positions // UNITS} plans): p50 {statistics.median(unit) * 1000:.0f} ms, "
          f"p95 {_p95(unit) * 1000:.0f} ms, {len(small.captured_queries)} queries")
    print(f"plans API, first page of 50: p50 {statistics.median(listing) * 1000:.0f} ms, "
          f"p95 {_p95(listing) * 1000:.0f} ms")
    print(f"worst_p95_ms {max(_p95(whole), _p95(unit)) * 1000:.0f} "
          f"query_count_flat {len(big.captured_queries) <= len(small.captured_queries)}")


if __name__ == "__main__":
    main()
