"""A deterministic demo city: Ho Chi Minh City's Youth Union tree, its schools, universities and
agencies, a few thousand young people with their records and pipeline histories, pools and the demo
accounts.

Two halves:
- pure generators (``demo_organizations``, ``generate_people``) that turn a seed into plain frozen
  dataclasses, using only ``random.Random(seed)`` and fixed dates, so one seed gives the same city
  on every machine and every run;
- ``seed_talent``, talent's demo seeder, which writes them through the services (organizations,
  candidates, pools) and bulk-creates the child rows (records, histories, memberships), in one
  transaction; ``seed_demo`` / ``run_demo_seeders`` run it with every other app's seeder.

Dates are relative to ``AS_OF`` (1 September 2026, the start of the school year the demo shows),
never to today, so that ages, school years and histories do not drift as the calendar moves. What
still differs between two runs is bookkeeping, not data: row creation times, the audit log's times
and the encrypted citizen IDs (Fernet uses a fresh IV; the keyed hashes are the same).

Apps above talent add their own part of each person through person extensions
(``register_person_extension``), drawn at the end of each person's draws from the second stream:
privacy's consents, per person and purpose, are one (``privacy.demo``), and privacy's seeder writes
them in the demo city's transaction (``register_city_seeder``).

The package, by what each module does: ``organizations`` (the fixed city: codes, pools, accounts),
``specs`` (the frozen records), ``tables`` (weighted reference data), ``draws`` and ``records`` (the
generator's identity, record and history draws), ``people`` (cohorts, extensions,
``generate_people``), ``writer`` (the seeders, writing and the summary).
"""

from __future__ import annotations

from talent.demo.draws import moment, moments
from talent.demo.organizations import (
    AGENCIES,
    AS_OF,
    ATTRACTION_POOL,
    CADRE,
    CAMPUS_POOL,
    CITY,
    DEFAULT_CANDIDATES,
    DEFAULT_SEED,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TZ,
    ENTERPRISES,
    HCM,
    HOME_AFFAIRS,
    ORG_BY_CODE,
    ORGANIZATIONS,
    PLANNING_POOL,
    POOLS,
    PUPIL,
    SHOWCASE_FACULTY,
    SHOWCASE_STUDENT_NAME,
    SHOWCASE_UNIVERSITY,
    STUDENT,
    UNIVERSITIES,
    UNIVERSITY_BLOCK,
    WARDS,
    YOUNG_TALENT_POOL,
    DemoAccount,
    OrgSpec,
    PoolSpec,
    demo_organizations,
)
from talent.demo.people import PersonExtension, _Generator, check_history, generate_people, register_person_extension
from talent.demo.specs import AchievementSpec, EducationSpec, Extras, LanguageSpec, PersonSpec, TransitionSpec
from talent.demo.writer import (
    SHARED_ACCOUNTS,
    SHARED_CANDIDATES,
    SHARED_ORGANIZATIONS,
    SHARED_PEOPLE,
    SHARED_SUMMARY,
    DemoSummary,
    actor_for,
    demo_conflicts,
    register_city_seeder,
    run_demo_seeders,
    seed_demo,
    seed_talent,
    write_demo_accounts,
    write_summary,
)

__all__ = [
    "AGENCIES", "AS_OF", "ATTRACTION_POOL", "CADRE", "CAMPUS_POOL", "CITY", "DEFAULT_CANDIDATES", "DEFAULT_SEED",
    "DEMO_ACCOUNTS", "DEMO_PASSWORD", "DEMO_TZ", "ENTERPRISES", "HCM", "HOME_AFFAIRS", "ORGANIZATIONS",
    "ORG_BY_CODE", "PLANNING_POOL", "POOLS", "PUPIL", "SHARED_ACCOUNTS", "SHARED_CANDIDATES", "SHARED_ORGANIZATIONS",
    "SHARED_PEOPLE", "SHARED_SUMMARY", "SHOWCASE_FACULTY", "SHOWCASE_STUDENT_NAME", "SHOWCASE_UNIVERSITY", "STUDENT",
    "UNIVERSITIES", "UNIVERSITY_BLOCK", "WARDS", "YOUNG_TALENT_POOL",
    "AchievementSpec", "DemoAccount", "DemoSummary", "EducationSpec", "Extras", "LanguageSpec", "OrgSpec",
    "PersonExtension", "PersonSpec", "PoolSpec", "TransitionSpec", "_Generator",
    "actor_for", "check_history", "demo_conflicts", "demo_organizations", "generate_people", "moment", "moments",
    "register_city_seeder", "register_person_extension", "run_demo_seeders", "seed_demo", "seed_talent",
    "write_demo_accounts", "write_summary",
]
