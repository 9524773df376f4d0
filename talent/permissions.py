"""Who may do what, by role. Scope (which records) lives in the querysets' ``for_user``; this module
says which *actions* and *fields* a role has at all. Services enforce it; views use it to hide
controls a user could not use anyway."""

from __future__ import annotations

from typing import Any

from talent.roles import Role, user_role

# Registering, editing and moving candidates along the pipeline is staff work; personnel officers keep
# the records of the cadres in their subtree.
MANAGING_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.PERSONNEL})

# Political affiliation is sensitive personal data (DESIGN §5): only administrators and Youth Union
# officers (and personnel officers, whose planning standards include it) see or edit Party membership; liaisons, recruiters and students do not.
PARTY_VISIBLE_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.PERSONNEL})
PARTY_FIELDS = ("party_member", "party_joined_on")


def can_manage_candidates(user: Any) -> bool:
    return user_role(user) in MANAGING_ROLES


def can_see_party_membership(user: Any) -> bool:
    return user_role(user) in PARTY_VISIBLE_ROLES


# The clear citizen ID is for administrators and Youth Union officers (in scope); others see it
# masked, recruiters not at all.
CITIZEN_ID_VISIBLE_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.PERSONNEL})

# What a recruiter must never receive (DESIGN §5): absent from their JSON and pages, not blanked.
RECRUITER_HIDDEN_FIELDS = frozenset({
    "party_member", "party_joined_on", "ethnicity", "is_ethnic_minority", "religion", "citizen_id",
    "citizen_id_masked", "home_address", "date_of_birth", "exam_number", "exam_year",
})


def can_see_citizen_id(user: Any) -> bool:
    return user_role(user) in CITIZEN_ID_VISIBLE_ROLES


def is_recruiter(user: Any) -> bool:
    return user_role(user) == Role.RECRUITER


def hidden_candidate_fields(user: Any) -> frozenset[str]:
    """Candidate fields the user's role may not see at all."""
    role = user_role(user)
    if role == Role.RECRUITER:
        return RECRUITER_HIDDEN_FIELDS
    hidden = set() if role in PARTY_VISIBLE_ROLES or role == Role.STUDENT else set(PARTY_FIELDS)
    if role not in CITIZEN_ID_VISIBLE_ROLES:
        hidden.add("citizen_id")
    return frozenset(hidden)
