"""Who may do what, by role. Scope (which records) lives in the querysets' ``for_user``; this module
says which *actions* and *fields* a role has at all. Services enforce it; views use it to hide
controls a user could not use anyway."""

from __future__ import annotations

from typing import Any

from talent.models import Role, user_role

# Registering, editing and moving candidates along the pipeline is staff work.
MANAGING_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.LIAISON})

# Political affiliation is sensitive personal data (DESIGN §5): only administrators and Youth Union
# officers see or edit Party membership; liaisons, recruiters and students do not.
PARTY_VISIBLE_ROLES = frozenset({Role.ADMIN, Role.OFFICER})
PARTY_FIELDS = ("party_member", "party_joined_on")


def can_manage_candidates(user: Any) -> bool:
    return user_role(user) in MANAGING_ROLES


def can_see_party_membership(user: Any) -> bool:
    return user_role(user) in PARTY_VISIBLE_ROLES
