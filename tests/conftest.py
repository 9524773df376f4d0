"""Shared fixtures: a small organization tree and users in each role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from talent.models import Organization, Role
from tests.factories import make_org, make_user


@pytest.fixture
def org_tree(db) -> SimpleNamespace:
    """city → ward A → school A, city → ward B → school B, city → universities union → university → faculty,
    and an agency outside the Youth Union tree."""
    city = make_org("Thành Đoàn TP.HCM", code="TD-TEST")
    ward_a = make_org("Đoàn phường Sài Gòn", parent=city, code="W-A")
    ward_b = make_org("Đoàn phường Bến Thành", parent=city, code="W-B")
    school_a = make_org("THPT Lê Hồng Phong", kind=Organization.Kind.HIGH_SCHOOL, parent=ward_a, code="S-A")
    school_b = make_org("THPT Trần Đại Nghĩa", kind=Organization.Kind.HIGH_SCHOOL, parent=ward_b, code="S-B")
    uni = make_org("ĐH Bách khoa", kind=Organization.Kind.UNIVERSITY, parent=city, code="U-BK")
    faculty = make_org("Khoa Khoa học Máy tính", kind=Organization.Kind.FACULTY, parent=uni, code="F-CS")
    agency = make_org("Sở Nội vụ", kind=Organization.Kind.AGENCY, code="AG-NV")
    return SimpleNamespace(city=city, ward_a=ward_a, ward_b=ward_b, school_a=school_a, school_b=school_b,
                           uni=uni, faculty=faculty, agency=agency)


@pytest.fixture
def admin_user(org_tree):  # type: ignore[no-untyped-def]
    return make_user(Role.ADMIN, org_tree.city, username="admin_t")


@pytest.fixture
def officer(org_tree):  # type: ignore[no-untyped-def]
    """Officer of the whole city union: sees every unit below it."""
    return make_user(Role.OFFICER, org_tree.city, username="officer_t")


@pytest.fixture
def ward_officer(org_tree):  # type: ignore[no-untyped-def]
    """Officer of ward A only: must not see ward B."""
    return make_user(Role.OFFICER, org_tree.ward_a, username="ward_officer_t")


@pytest.fixture
def personnel(org_tree):  # type: ignore[no-untyped-def]
    """Personnel officer (organization board) of the whole city: plans for every unit below it."""
    return make_user(Role.PERSONNEL, org_tree.city, username="personnel_t")


@pytest.fixture
def ward_personnel(org_tree):  # type: ignore[no-untyped-def]
    """Personnel officer of ward A only: must not touch ward B's plans."""
    return make_user(Role.PERSONNEL, org_tree.ward_a, username="ward_personnel_t")


@pytest.fixture
def make_user_fixture():  # type: ignore[no-untyped-def]
    return make_user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploaded forms and exports written by a test go to its own folder, never the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    """Throttle counters and other cached state never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """PBKDF2's deliberate slowness only slows the suite; hashing strength is not under test here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_as():  # type: ignore[no-untyped-def]
    """api_as(user) → an APIClient authenticated with that user's token."""

    def _client(user):  # type: ignore[no-untyped-def]
        from rest_framework.authtoken.models import Token

        from rest_framework.test import APIClient

        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _client
