"""What the apps above talent plug into it: the consent rule of the recruiter scope (deny by default)."""

from __future__ import annotations

import pytest

from privacy.models import Consent
from talent import registry
from talent.models import Candidate, Role
from talent.services import pool_add, pool_create
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_member(org_tree):  # type: ignore[no-untyped-def]
    an = make_candidate(org_tree.school_a)
    Consent.objects.create(candidate=an, purpose=Consent.Purpose.SHARE_WITH_RECRUITERS, given_by=Consent.GivenBy.SELF)
    pool = pool_create(actor=None, name="Nguồn", kind="young_talent", owner=org_tree.city, shared_with=[org_tree.agency])
    pool_add(pool=pool, candidate=an, actor=None)
    return an


def test_privacy_registers_the_consent_rule_the_recruiter_scope_uses(org_tree, shared_member) -> None:  # type: ignore[no-untyped-def]
    recruiter = make_user(Role.RECRUITER, org_tree.agency)
    assert list(Candidate.objects.for_user(recruiter)) == [shared_member]
    Consent.objects.filter(candidate=shared_member).update(withdrawn_at="2026-01-01T00:00:00Z")
    assert not Candidate.objects.for_user(recruiter).exists()


def test_with_no_consent_rule_registered_nobody_is_shared(org_tree, shared_member, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(registry, "_sharing", [])
    recruiter = make_user(Role.RECRUITER, org_tree.agency)
    assert not Candidate.objects.for_user(recruiter).exists()


def test_every_registered_rule_must_hold(org_tree, shared_member, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.db.models import Q

    monkeypatch.setattr(registry, "_sharing", list(registry._sharing))
    registry.register_sharing_consent(lambda: Q(full_name="Người khác"))
    recruiter = make_user(Role.RECRUITER, org_tree.agency)
    assert not Candidate.objects.for_user(recruiter).exists()
