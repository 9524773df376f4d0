"""People the succession tests plan for: a cadre who meets a commune or Youth Union post's standards."""

from __future__ import annotations

import datetime as dt

from succession.models import PositionHeld
from talent import services as talent_services
from talent.models import Candidate
from tests.factories import make_candidate


def cadre(unit, name: str, gender: str = "male", born: dt.date = dt.date(1993, 5, 1)) -> Candidate:  # type: ignore[no-untyped-def]
    person = make_candidate(unit, name, gender=gender, date_of_birth=born)
    talent_services.education_record_add(candidate=person, actor=None, level="university", start_year=2011,
                                         institution_name="ĐH Luật")
    Candidate.objects.filter(pk=person.pk).update(political_theory="trung_cap")
    PositionHeld.objects.create(candidate=person, organization=unit, title="Chuyên viên",
                                started_on=dt.date(2017, 1, 1))
    person.refresh_from_db()
    return person
