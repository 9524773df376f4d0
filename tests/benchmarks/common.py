"""Shared set-up for the benchmark scripts: a scratch PostgreSQL database filled with synthetic
candidates through COPY, so a million rows take seconds rather than hours.

The scripts print ratios against a bare baseline measured in the same run on the same data; they
are not unit tests and are not collected by pytest.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_DB = os.environ.get("BENCH_DATABASE", "ytp_bench")
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def setup_django(fresh: bool) -> None:
    """Point Django at the scratch database (recreated when ``fresh``) and migrate it."""
    import psycopg

    if fresh:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    base = ADMIN_URL.rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = f"{base}/{BENCH_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(rows: int, seed: int = 1) -> int:
    """Ensure ``rows`` synthetic candidates exist; returns how many there are."""
    from django.db import connection

    from core.text import fold
    from talent import services
    from talent.demo_names import FAMILY_NAMES, FEMALE_GIVEN_NAMES, FEMALE_MIDDLE_NAMES, MALE_GIVEN_NAMES, \
        MALE_MIDDLE_NAMES
    from talent.models import Candidate, Organization

    existing = Candidate.objects.count()
    if existing >= rows:
        return existing
    org = Organization.objects.filter(code="BENCH").first() or services.organization_create(
        code="BENCH", name="Đơn vị benchmark", kind="youth_union", province_code=79)
    rng = random.Random(seed)

    def pick(weighted):  # type: ignore[no-untyped-def]
        names, weights = zip(*weighted)
        return rng.choices(names, weights=weights, k=1)[0]

    now = dt.datetime.now(dt.timezone.utc).isoformat()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor().copy(
            "COPY talent_candidate (full_name, name_key, gender, date_of_birth, ethnicity, is_ethnic_minority, "
            "email, phone, citizen_id_hash, citizen_id_encrypted, exam_number, organization_id, "
            "youth_union_member, party_member, political_theory, religion, home_address, aspirations, stage, "
            "stage_changed_at, created_at, updated_at)"
            " FROM STDIN"
        ) as copy:
            for _ in range(rows - existing):
                male = rng.random() < 0.5
                name = " ".join((
                    pick(FAMILY_NAMES),
                    pick(MALE_MIDDLE_NAMES if male else FEMALE_MIDDLE_NAMES),
                    pick(MALE_GIVEN_NAMES if male else FEMALE_GIVEN_NAMES),
                ))
                dob = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(0, 14 * 365))
                copy.write_row((name, fold(name), "male" if male else "female", dob, "Kinh", False, "", "", "", "",
                                "", org.pk, True, False, "", "", "", "", "discovered", now, now, now))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE talent_candidate")
    print(f"  loaded {rows - existing:,} candidates in {time.perf_counter() - started:.1f} s")
    return rows


def median_time(func: Callable[[], object], repeat: int = 7, warmup: int = 2) -> float:
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)
