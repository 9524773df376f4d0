"""When a candidate counts as having consented (DESIGN §5, Personal Data Protection Law).

Consent is explicit and per purpose; silence is never consent. A person aged 16 or over consents
for themselves. A child under 16 needs both their own consent and a parent's or guardian's. Age is
computed from the date of birth on the day of the check, inside the query, so a record never
carries a stale "consented" flag.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from talent.rules import age_on

# Below this age a guardian must consent as well as the child.
GUARDIAN_AGE = 16


def needs_guardian(date_of_birth: dt.date, today: dt.date | None = None) -> bool:
    return age_on(date_of_birth, today or timezone.localdate()) < GUARDIAN_AGE


def born_on_or_before_for_age(age: int, today: dt.date) -> dt.date:
    """The latest birth date of someone who is at least ``age`` on ``today`` (29/02 → 28/02)."""
    try:
        return today.replace(year=today.year - age)
    except ValueError:
        return today.replace(year=today.year - age, day=28)


def has_consent(purpose: str, *, today: dt.date | None = None) -> Q:
    """A filter on Candidate: standing consent for ``purpose`` as the law requires for their age."""
    from privacy.models import Consent

    standing = Consent.objects.filter(candidate=OuterRef("pk"), purpose=purpose, withdrawn_at__isnull=True)
    own = Exists(standing.filter(given_by=Consent.GivenBy.SELF))
    guardian = Exists(standing.filter(given_by=Consent.GivenBy.GUARDIAN))
    adult_enough = Q(date_of_birth__lte=born_on_or_before_for_age(GUARDIAN_AGE, today or timezone.localdate()))
    return Q(own) & (adult_enough | Q(guardian))


def consent_state(candidate, consents) -> dict[str, dict[str, object]]:  # type: ignore[no-untyped-def]
    """Per purpose: whether consent stands, and which of self/guardian grants are in place.

    ``consents`` are the candidate's consent records (any order, any state); no query is made.
    """
    from privacy.models import Consent

    guardian_needed = needs_guardian(candidate.date_of_birth)
    state: dict[str, dict[str, object]] = {}
    for purpose, label in Consent.Purpose.choices:
        active = [c for c in consents if c.purpose == purpose and c.withdrawn_at is None]
        own = next((c for c in active if c.given_by == Consent.GivenBy.SELF), None)
        guardian = next((c for c in active if c.given_by == Consent.GivenBy.GUARDIAN), None)
        missing = []
        if own is None:
            missing.append(Consent.GivenBy.SELF.value)
        if guardian_needed and guardian is None:
            missing.append(Consent.GivenBy.GUARDIAN.value)
        state[purpose] = {
            "purpose": purpose,
            "label": str(label),
            "granted": not missing,
            "self": own,
            "guardian": guardian,
            "guardian_required": guardian_needed,
            "missing": missing,
        }
    return state
