"""Test data builders. They go through the services, so every object is as real code makes it."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.contrib.auth import get_user_model

from talent import services
from talent.models import Candidate, Organization, Role, UserProfile

_seq = itertools.count(1)


def make_org(name: str, kind: str = Organization.Kind.YOUTH_UNION, parent: Organization | None = None,
             code: str | None = None, province_code: int | None = 79) -> Organization:
    return services.organization_create(code=code or f"ORG{next(_seq)}", name=name, kind=kind, parent=parent,
                                        province_code=province_code, actor=None)


def make_user(role: str, organization: Organization | None = None, username: str | None = None,
              password: str = "Demo-pass-2026", **extra: Any):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(
        username=username or f"{role}{next(_seq)}", password=password,
        is_superuser=role == Role.ADMIN, is_staff=role == Role.ADMIN, **extra,
    )
    UserProfile.objects.create(user=user, role=role, organization=organization)
    return user


def make_candidate(organization: Organization, full_name: str = "Nguyễn Văn An", gender: str = "male",
                   date_of_birth: dt.date = dt.date(2005, 3, 14), **fields: Any) -> Candidate:
    return services.candidate_register(actor=None, full_name=full_name, gender=gender, date_of_birth=date_of_birth,
                                       organization=organization, **fields)
