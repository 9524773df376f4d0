"""The plain frozen records the generator turns a seed into: a person with their education,
achievements, certificates, pipeline history and pools.

They hold no database objects, so generating people needs no database, and they compare by value,
so two runs of the same seed can be checked for equality.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class EducationSpec:
    level: str
    institution: str | None  # organization code when the institution is part of the demo city
    institution_name: str
    major: str
    start_year: int
    end_year: int | None
    gpa: str | None = None  # decimal text, so that specs compare exactly
    gpa_scale: int = 4
    conduct_score: int | None = None
    retaken_over_5_percent: bool = False
    disciplined: bool = False


@dataclass(frozen=True)
class AchievementSpec:
    category: str
    level: str
    award_rank: str
    year: int
    title: str
    evidence: str
    status: str
    reviewed_at: dt.datetime | None


@dataclass(frozen=True)
class LanguageSpec:
    language: str
    level: int
    certificate: str
    issued_on: dt.date
    status: str


@dataclass(frozen=True)
class TransitionSpec:
    from_stage: str
    to_stage: str
    reason: str
    at: dt.datetime


class Extras(Mapping[str, Any]):
    """What the person extensions drew for one person, by extension name (see
    ``talent.demo.people.register_person_extension``; privacy's consents are one).

    Read-only, compared and hashed by its items: a ``PersonSpec`` stays a frozen value that two runs
    of the same seed can be compared by, whatever the extensions put in (tuples of frozen records).
    """

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[tuple[str, Any]] = ()) -> None:
        self._items = dict(items)

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __repr__(self) -> str:
        return f"Extras({self._items!r})"


@dataclass(frozen=True)
class PersonSpec:
    cohort: str
    full_name: str
    gender: str
    date_of_birth: dt.date
    ethnicity: str
    province_code: int
    email: str
    phone: str
    citizen_id: str
    exam_number: str
    exam_year: int | None
    organization: str  # organization code
    youth_union_member: bool
    party_member: bool
    party_joined_on: dt.date | None
    political_theory: str
    education: tuple[EducationSpec, ...]
    achievements: tuple[AchievementSpec, ...]
    languages: tuple[LanguageSpec, ...]
    history: tuple[TransitionSpec, ...]
    pools: tuple[str, ...]
    is_showcase_student: bool = False
    religion: str = ""
    home_address: str = ""
    aspirations: str = ""
    # Filled by the person extensions other apps register, drawn at the end of the person's own
    # draws; talent does not know what they are (it sits below the apps that add them).
    extras: Mapping[str, Any] = field(default_factory=Extras)

    @property
    def stage(self) -> str:
        return self.history[-1].to_stage
