"""When a candidate counts as having consented (privacy.rules): explicit, per purpose, never from silence;
under 16 both the child and a guardian. The SQL filter is checked against a pure-Python oracle."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from privacy.models import Consent
from privacy.rules import GUARDIAN_AGE, born_on_or_before_for_age, consent_state, has_consent, needs_guardian
from talent.models import Candidate
from tests.factories import make_candidate

PURPOSE = Consent.Purpose.SHARE_WITH_RECRUITERS
SELF, GUARDIAN = Consent.GivenBy.SELF, Consent.GivenBy.GUARDIAN


def age(born: dt.date, on: dt.date) -> int:
    """Completed years, written out here independently of talent.rules.age_on."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def oracle(born: dt.date, today: dt.date, standing: set[str]) -> bool:
    """The law as a reader would state it, over the givers whose grant stands for the purpose."""
    if SELF not in standing:
        return False
    return age(born, today) >= 16 or GUARDIAN in standing


# --- Age and the 16th birthday ---------------------------------------------------------------------


def test_the_guardian_age_is_16() -> None:
    assert GUARDIAN_AGE == 16


@pytest.mark.parametrize(("born", "today", "guardian_needed"), [
    (dt.date(2010, 11, 22), dt.date(2026, 11, 21), True),   # the day before the 16th birthday
    (dt.date(2010, 11, 22), dt.date(2026, 11, 22), False),  # the birthday itself
    (dt.date(2010, 11, 22), dt.date(2026, 11, 23), False),
    (dt.date(2010, 12, 31), dt.date(2026, 1, 1), True),     # turned 15 on the eve of the year
    # Born on 29 February: the 16th birthday falls on a 29 February again (16 is a multiple of 4) ...
    (dt.date(2012, 2, 29), dt.date(2028, 2, 28), True),
    (dt.date(2012, 2, 29), dt.date(2028, 2, 29), False),
    (dt.date(2012, 2, 29), dt.date(2028, 3, 1), False),
    # ... except across a century year that is not a leap year: 2084 + 16 = 2100 has no 29 February,
    # so the person is 16 from 1 March.
    (dt.date(2084, 2, 29), dt.date(2100, 2, 28), True),
    (dt.date(2084, 2, 29), dt.date(2100, 3, 1), False),
])
def test_needs_guardian_around_the_16th_birthday(born: dt.date, today: dt.date, guardian_needed: bool) -> None:
    assert needs_guardian(born, today) is guardian_needed
    assert (born <= born_on_or_before_for_age(16, today)) is not guardian_needed


@pytest.mark.parametrize(("years", "today", "latest"), [
    (16, dt.date(2028, 2, 29), dt.date(2012, 2, 29)),
    (17, dt.date(2028, 2, 29), dt.date(2011, 2, 28)),  # 29/02/2011 does not exist: 28/02
    (16, dt.date(2116, 2, 29), dt.date(2100, 2, 28)),
    (16, dt.date(2026, 11, 22), dt.date(2010, 11, 22)),
])
def test_latest_birth_date_for_an_age(years: int, today: dt.date, latest: dt.date) -> None:
    assert born_on_or_before_for_age(years, today) == latest


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2130, 12, 31))


@given(born=dates, today=dates, years=st.integers(min_value=0, max_value=40))
@example(born=dt.date(2012, 2, 29), today=dt.date(2028, 2, 28), years=16)
@example(born=dt.date(2100, 3, 1), today=dt.date(2116, 2, 29), years=16)
@example(born=dt.date(2011, 3, 1), today=dt.date(2028, 2, 29), years=17)
def test_the_birth_date_bound_agrees_with_the_age(born: dt.date, today: dt.date, years: int) -> None:
    """The SQL filter compares birth dates with ``born_on_or_before_for_age``: it must say "at least
    ``years`` old" exactly when counting completed years does."""
    assert (born <= born_on_or_before_for_age(years, today)) == (age(born, today) >= years)
    if years == 16:
        assert needs_guardian(born, today) == (age(born, today) < 16)


# --- The SQL filter against the oracle -------------------------------------------------------------


GIVERS = st.sets(st.sampled_from([SELF, GUARDIAN]))


@pytest.fixture
def school(org_tree):  # type: ignore[no-untyped-def]
    return org_tree.school_a


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(
        st.tuples(
            st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2014, 12, 31)),
            GIVERS,  # standing grants for the purpose
            GIVERS,  # withdrawn grants for the purpose (count for nothing)
            GIVERS,  # standing grants for another purpose (count for nothing here)
        ),
        min_size=1, max_size=6,
    ),
    today=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2032, 12, 31)),
)
@example(people=[(dt.date(2012, 2, 29), {SELF}, set(), set())], today=dt.date(2028, 2, 28))
@example(people=[(dt.date(2012, 2, 29), {SELF}, set(), set())], today=dt.date(2028, 2, 29))
@example(people=[(dt.date(2010, 1, 1), {GUARDIAN}, {SELF}, {SELF})], today=dt.date(2030, 1, 1))
@example(people=[(dt.date(2012, 6, 1), {SELF}, {GUARDIAN}, {GUARDIAN})], today=dt.date(2027, 1, 1))
def test_has_consent_matches_the_oracle(school, people, today) -> None:  # type: ignore[no-untyped-def]
    withdrawn_at = timezone.now()
    with transaction.atomic():
        expected: dict[int, bool] = {}
        for number, (born, standing, withdrawn, other) in enumerate(people):
            candidate = Candidate.objects.create(full_name=f"Người thứ {number}", name_key=f"nguoi thu {number}",
                                                 gender="female", date_of_birth=born, organization=school)
            for giver in standing:
                Consent.objects.create(candidate=candidate, purpose=PURPOSE, given_by=giver)
            for giver in withdrawn:
                Consent.objects.create(candidate=candidate, purpose=PURPOSE, given_by=giver,
                                       withdrawn_at=withdrawn_at)
            for giver in other:
                Consent.objects.create(candidate=candidate, purpose=Consent.Purpose.CONTACT_ABOUT_EVENTS,
                                       given_by=giver)
            expected[candidate.pk] = oracle(born, today, standing)
        found = set(Candidate.objects.filter(pk__in=expected).filter(has_consent(PURPOSE, today=today))
                    .values_list("pk", flat=True))
        assert found == {pk for pk, ok in expected.items() if ok}
        transaction.set_rollback(True)


# --- consent_state (the per-purpose summary shown to people) -----------------------------------------


@pytest.mark.django_db
def test_silence_is_not_consent(org_tree) -> None:  # type: ignore[no-untyped-def]
    person = make_candidate(org_tree.school_a, date_of_birth=dt.date(2004, 1, 1))
    assert not Candidate.objects.filter(pk=person.pk).filter(has_consent(PURPOSE)).exists()
    state = consent_state(person, [])
    assert set(state) == set(Consent.Purpose.values)
    for row in state.values():
        assert row["granted"] is False and row["missing"] == ["self"] and row["guardian_required"] is False


@pytest.mark.django_db
def test_state_of_a_child_lists_what_is_missing(org_tree) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    child = make_candidate(org_tree.school_a, date_of_birth=dt.date(today.year - 15, 1, 1))
    own = Consent.objects.create(candidate=child, purpose=PURPOSE, given_by=SELF)
    state = consent_state(child, [own])[PURPOSE]
    assert (state["granted"], state["missing"], state["guardian_required"]) == (False, ["guardian"], True)
    assert state["self"] == own and state["guardian"] is None
    guardian = Consent.objects.create(candidate=child, purpose=PURPOSE, given_by=GUARDIAN, guardian_name="Ngô Văn Bảy")
    assert consent_state(child, [own, guardian])[PURPOSE]["granted"] is True
    assert Candidate.objects.filter(pk=child.pk).filter(has_consent(PURPOSE)).exists()
    # The guardian's grant alone, without the child's own, is not enough either.
    own.withdrawn_at = timezone.now()
    own.save(update_fields=["withdrawn_at"])
    assert consent_state(child, [own, guardian])[PURPOSE]["missing"] == ["self"]
    assert not Candidate.objects.filter(pk=child.pk).filter(has_consent(PURPOSE)).exists()
    # Other purposes are untouched by this one.
    assert consent_state(child, [own, guardian])[Consent.Purpose.CONTACT_ABOUT_EVENTS]["missing"] == [
        "self", "guardian"]


@pytest.mark.django_db
def test_state_and_filter_agree_for_today(org_tree) -> None:  # type: ignore[no-untyped-def]
    """consent_state (Python, for pages) and has_consent (SQL, for scopes) must never disagree."""
    today = timezone.localdate()
    try:
        sixteen_today = today.replace(year=today.year - 16)
    except ValueError:  # run on a 29 February
        sixteen_today = today.replace(year=today.year - 16, day=28)
    people = {
        "turns_16_today": make_candidate(org_tree.school_a, "Lý Thị Hoa", gender="female",
                                         date_of_birth=sixteen_today),
        "turns_16_tomorrow": make_candidate(org_tree.school_a, "Lý Văn Minh",
                                            date_of_birth=sixteen_today + dt.timedelta(days=1)),
    }
    for person in people.values():
        Consent.objects.create(candidate=person, purpose=PURPOSE, given_by=SELF)
    for name, person in people.items():
        sql = Candidate.objects.filter(pk=person.pk).filter(has_consent(PURPOSE)).exists()
        python = consent_state(person, list(person.consents.all()))[PURPOSE]["granted"]
        assert sql == python == (name == "turns_16_today"), name
