"""The generator's first layer: its two random streams, the bookkeeping that keeps identifiers unique,
and the draws of who a person is (birth date, origin, name, citizen ID, exam number, phone, e-mail),
with the date helpers every layer (and other apps' person extensions) date things by.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from vietnam_provinces import Ward

from core.text import fold
from talent import demo_names
from talent.demo.organizations import (
    AGENCIES,
    CITY,
    DEMO_TZ,
    ENTERPRISES,
    HCM,
    ORGANIZATIONS,
    SCHOOL_LEGACY_GSO,
    UNIVERSITY_BLOCK,
    Kind,
)
from talent.demo.tables import (
    _EMAIL_DOMAIN,
    _ETHNIC_PROVINCE,
    _ETHNICITY,
    _HCM_LEGACY,
    _LEGACY_BY_CURRENT,
    _OTHER_PROVINCE,
    ETHNIC_FAMILY_NAME_TABLES,
    FAMILY_NAME_TABLE,
    GIVEN_NAME_TABLES,
    MIDDLE_NAME_TABLES,
    PHONE_PREFIXES,
    SHARE_FROM_CITY,
    _Table,
)
from talent.geo import LEGACY_BY_GSO, current_provinces


def _short_province(code: int) -> str:
    name = current_provinces()[code]
    return "TP.HCM" if code == HCM else name.removeprefix("Thành phố ")


def moment(rng: random.Random, day: dt.date) -> dt.datetime:
    """A time during office hours on ``day``, in the city's time zone."""
    return dt.datetime(day.year, day.month, day.day, rng.randrange(8, 17), rng.randrange(60), tzinfo=DEMO_TZ)


def moments(rng: random.Random, start: dt.date, end: dt.date, count: int) -> list[dt.datetime]:
    """``count`` strictly increasing moments on distinct days in [start, end]."""
    if count == 0:
        return []
    span = (end - start).days + 1
    if span < count:
        start, span = end - dt.timedelta(days=count - 1), count
    days = sorted(rng.sample(range(span), count))
    return [moment(rng, start + dt.timedelta(days=d)) for d in days]


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


@lru_cache(maxsize=1)
def _wards() -> dict[int, tuple[str, ...]]:
    """Today's wards and communes ("Phường Thủ Đức", "Xã Củ Chi") by province, in code order."""
    found: dict[int, list[tuple[int, str]]] = {}
    for ward in Ward.iter_all():
        found.setdefault(int(ward.province_code), []).append((int(ward.code), " ".join(ward.name.split())))
    return {province: tuple(name for _, name in sorted(wards)) for province, wards in found.items()}


def _wards_of(province: int) -> tuple[str, ...]:
    return _wards()[province]


class _Draws:
    """The generator's streams and identity draws; remembers identifiers so that they stay unique."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        # What the demo gained later (younger pupils, religion, addresses, aspirations, and what the
        # person extensions add, such as privacy's consents) is drawn from a second stream, so that
        # the people of the first stream stay who they were.
        self.extra_rng = random.Random(f"talent-demo-extra-{seed}")
        # The person extensions' own per-run state (privacy counts its scanned forms here), by keys of
        # their choosing: it lives and dies with the run, as the streams do.
        self.state: dict[str, Any] = {}
        self.citizen_ids: set[str] = set()
        self.exam_numbers: set[tuple[str, int]] = set()
        self.emails: set[str] = set()
        self.high_schools = [o for o in ORGANIZATIONS if o.kind == Kind.HIGH_SCHOOL]
        self.faculties = [o for o in ORGANIZATIONS if o.kind == Kind.FACULTY]
        wards = [o.code for o in ORGANIZATIONS if o.kind == Kind.YOUTH_UNION and o.parent == CITY
                 and o.code != UNIVERSITY_BLOCK]
        # Young cadres work mostly in agencies, then in Youth Union units, a few in state enterprises.
        self.cadre_workplaces = _Table(
            tuple((code, 11.0) for code, _ in AGENCIES) + ((CITY, 8.0),)
            + tuple((code, 27.0 / len(wards)) for code in wards)
            + tuple((code, 5.0) for code, _ in ENTERPRISES)
        )

    # -- identity --

    def _chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def _extra_chance(self, probability: float) -> bool:
        return self.extra_rng.random() < probability

    @contextmanager
    def _drawing_from(self, rng: random.Random) -> Iterator[None]:
        """Let every helper draw from ``rng`` for a while (they all use ``self.rng``)."""
        saved, self.rng = self.rng, rng
        try:
            yield
        finally:
            self.rng = saved

    def birth_date(self, year: int) -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def ethnicity_and_province(self, cohort: str) -> tuple[str, int]:
        ethnicity = _ETHNICITY.pick(self.rng)
        if ethnicity in _ETHNIC_PROVINCE:
            return ethnicity, _ETHNIC_PROVINCE[ethnicity].pick(self.rng)
        if self._chance(SHARE_FROM_CITY[cohort]):
            return ethnicity, HCM
        return ethnicity, _OTHER_PROVINCE.pick(self.rng)

    def legacy_gso(self, province: int, school: str | None = None) -> int:
        if school in SCHOOL_LEGACY_GSO:
            return SCHOOL_LEGACY_GSO[school]
        if province == HCM:
            return _HCM_LEGACY.pick(self.rng)
        return self.rng.choice(_LEGACY_BY_CURRENT[province])

    def name(self, gender: str, birth_year: int, ethnicity: str) -> tuple[str, str, str]:
        family = ETHNIC_FAMILY_NAME_TABLES.get(ethnicity, FAMILY_NAME_TABLE).pick(self.rng)
        middle = MIDDLE_NAME_TABLES[(gender, birth_year >= demo_names.GENERATION_SHIFT_YEAR)].pick(self.rng)
        given = GIVEN_NAME_TABLES[gender].pick(self.rng)
        while given == middle:
            given = GIVEN_NAME_TABLES[gender].pick(self.rng)
        return family, middle, given

    def citizen_id(self, gso: int, gender: str, dob: dt.date) -> str:
        century_gender = (0 if dob.year < 2000 else 2) + (0 if gender == "male" else 1)
        while True:
            cid = f"0{gso:02d}{century_gender}{dob.year % 100:02d}{self.rng.randrange(1_000_000):06d}"
            if cid not in self.citizen_ids:
                self.citizen_ids.add(cid)
                return cid

    def exam_number(self, gso: int, year: int) -> str:
        council = LEGACY_BY_GSO[gso].moet
        while True:
            number = f"{council:02d}{self.rng.randrange(1_000_000):06d}"
            if (number, year) not in self.exam_numbers:
                self.exam_numbers.add((number, year))
                return number

    def phone(self) -> str:
        return f"{self.rng.choice(PHONE_PREFIXES)}{self.rng.randrange(10_000_000):07d}"

    def email(self, family: str, middle: str, given: str, birth_year: int, *, with_year: bool = False) -> str:
        f, m, g = (fold(part).replace(" ", "") for part in (family, middle, given))
        yy = f"{birth_year % 100:02d}"
        # with_year: only the forms that carry the year of birth, which people born in other years
        # do not take first (see young_pupil).
        local = (f"{g}.{f}{m}", f"{f}{m}{g}{yy}", f"{g}{f[0]}{m[0]}{yy}")[self.rng.randrange(1 if with_year else 0, 3)]
        domain = _EMAIL_DOMAIN.pick(self.rng)
        email = f"{local}@{domain}"
        while email in self.emails:
            email = f"{local}{self.rng.randrange(10, 1000)}@{domain}"
        self.emails.add(email)
        return email

