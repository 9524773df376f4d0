"""Every read about consent, export and erasure, already scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.audit import jsonable
from core.models import AuditEvent
from privacy.models import Consent, ErasureRequest
from privacy.rules import consent_state
from talent.models import Candidate


def candidate_consents(*, user: Any, candidate: Candidate) -> list[Consent]:
    return list(Consent.objects.for_user(user).filter(candidate=candidate).select_related("recorded_by"))


def candidate_consent_state(*, user: Any, candidate: Candidate) -> dict[str, dict[str, Any]]:
    return consent_state(candidate, candidate_consents(user=user, candidate=candidate))


def erasure_requests(*, user: Any, status: str | None = None) -> QuerySet[ErasureRequest]:
    qs = ErasureRequest.objects.for_user(user).select_related("candidate", "candidate__organization", "decided_by")
    return qs.filter(status=status) if status else qs


def _row(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for field in fields:
        value = getattr(obj, field)
        display = getattr(obj, f"get_{field}_display", None)
        out[field] = jsonable(value)
        if display is not None and value not in ("", None):
            out[f"{field}_label"] = str(display())
    return out


def subject_data(*, candidate: Candidate, user: Any) -> dict[str, Any]:
    """Everything held about one person, grouped and labelled so that a person can read it."""
    from django.utils import timezone

    profile_fields = ("full_name", "gender", "date_of_birth", "ethnicity", "religion", "province_code", "email", "phone",
                      "home_address", "aspirations", "exam_number", "exam_year", "youth_union_member", "party_member",
                      "party_joined_on", "political_theory", "stage", "stage_changed_at", "created_at", "updated_at")
    profile = _row(candidate, profile_fields)
    profile["organization"] = candidate.organization.name
    profile["citizen_id"] = candidate.citizen_id_masked
    profile["citizen_id_note"] = "Số CCCD được lưu mã hoá; bản xuất chỉ hiện dạng che."
    consents = list(candidate.consents.all())
    return {
        "generated_at": timezone.localtime().isoformat(),
        "account": {"username": user.get_username(), "date_joined": jsonable(user.date_joined),
                    "last_login": jsonable(user.last_login)},
        "profile": profile,
        "education": [
            {**_row(r, ("level", "institution_name", "major", "start_year", "end_year", "gpa", "gpa_scale",
                        "conduct_score")), "classification": r.classification_label, "conduct": r.conduct_label}
            for r in candidate.education.all()
        ],
        "achievements": [_row(a, ("category", "level", "award_rank", "year", "title", "evidence",
                                  "verification_status", "verified_at")) for a in candidate.achievements.all()],
        "languages": [{**_row(lang, ("language", "level", "certificate", "issued_on", "verification_status")),
                       "cefr": lang.cefr} for lang in candidate.languages.all()],
        "stage_history": [
            {**_row(t, ("from_stage", "to_stage", "reason", "created_at")),
             "by": t.actor.get_username() if t.actor else None}
            for t in candidate.transitions.select_related("actor")
        ],
        "pools": [{"pool": m.pool.name, "added_at": jsonable(m.added_at), "note": m.note}
                  for m in candidate.pool_memberships.select_related("pool")],
        "consents": [
            {**_row(c, ("purpose", "given_by", "guardian_name", "evidence_note", "granted_at", "withdrawn_at")),
             "evidence_file": bool(c.evidence)} for c in consents
        ],
        "consent_state": {
            purpose: {"granted": row["granted"], "missing": row["missing"]}
            for purpose, row in consent_state(candidate, consents).items()
        },
        "erasure_requests": [_row(e, ("status", "reason", "requested_at", "decided_at", "decision_note"))
                             for e in candidate.erasure_requests.all()],
        # Who has done what with the record, recruiters' reads included.
        "access_log": [
            {"at": jsonable(e.at), "action": e.action, "by": e.actor.get_username() if e.actor else None}
            for e in AuditEvent.objects.about_candidate(candidate.pk).select_related("actor").order_by("at", "id")
        ],
    }
