"""Every write to the talent domain. Keyword-only, atomic, scope-checked, audited.

One module per process: ``organizations``, ``candidates`` (registering, editing, the pipeline),
``records`` (education, achievements, languages), ``pools``, ``bulk`` (many at once), ``merging``
and ``exports``; ``common`` holds the scope checks they share. Callers import from here.

Callers (views, viewsets, commands, tasks) pass what the user asked for and the acting user;
``actor=None`` means the system itself (seeding, migrations) and skips the scope check.
"""

from __future__ import annotations

from talent.services.bulk import (
    candidates_bulk_register,
)
from talent.services.candidates import (
    _apply_candidate_fields,
    _clean_candidate,
    candidate_advance,
    candidate_advance_by_outcome,
    candidate_register,
    candidate_self_update,
    candidate_update,
    own_candidate,
)
from talent.services.common import (
    CANDIDATE_FIELDS,
    EDUCATION_KINDS,
    PERSONAL_FIELDS,
    SCHOOL_LEVELS,
    SELF_SERVICE_FIELDS,
    SENSITIVE_FIELDS,
    SHAREABLE_KINDS,
)
from talent.services.exports import (
    candidates_export_start,
)
from talent.services.merging import (
    candidate_merge,
    merge_suggestion_dismiss,
)
from talent.services.organizations import (
    organization_create,
    organization_update,
)
from talent.services.pools import (
    pool_add,
    pool_create,
    pool_remove,
    pool_update,
)
from talent.services.records import (
    achievement_add,
    achievement_verify,
    education_record_add,
    education_record_derive,
    language_certificate_add,
    language_certificate_verify,
)

__all__ = [
    "CANDIDATE_FIELDS",
    "EDUCATION_KINDS",
    "PERSONAL_FIELDS",
    "SCHOOL_LEVELS",
    "SELF_SERVICE_FIELDS",
    "SENSITIVE_FIELDS",
    "SHAREABLE_KINDS",
    "_apply_candidate_fields",
    "_clean_candidate",
    "achievement_add",
    "achievement_verify",
    "candidate_advance",
    "candidate_advance_by_outcome",
    "candidate_merge",
    "candidate_register",
    "candidate_self_update",
    "candidate_update",
    "candidates_bulk_register",
    "candidates_export_start",
    "education_record_add",
    "education_record_derive",
    "language_certificate_add",
    "language_certificate_verify",
    "merge_suggestion_dismiss",
    "organization_create",
    "organization_update",
    "own_candidate",
    "pool_add",
    "pool_create",
    "pool_remove",
    "pool_update",
]
