"""The standards a successor must meet, checked against what the record says — pure over ``Facts``.

``facts_of(candidate, on)`` reads the record (highest education, political theory, best verified
language level, first post held, age); ``failures(rules, facts, first_planning=...)`` lists every rule
that fails, each with its key and words, so a refusal names the rule and the rule set's source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min

from succession.models import PositionHeld, PositionStandard
from talent.models import Candidate, EducationRecord, LanguageCertificate, VerificationStatus
from talent.rules import age_on

DEGREES = ("college", "university", "master", "doctorate")
THEORY = {"": 0, "so_cap": 1, "trung_cap": 2, "cao_cap": 3, "cu_nhan": 3}
DEGREE_WORDS = {"college": "cao đẳng", "university": "đại học", "master": "thạc sĩ", "doctorate": "tiến sĩ"}
THEORY_WORDS = {"so_cap": "sơ cấp", "trung_cap": "trung cấp", "cao_cap": "cao cấp", "cu_nhan": "cử nhân"}
DEFAULTS = {"max_plans_per_person": 3, "min_successors": 2}


@dataclass(frozen=True)
class Facts:
    age: int
    degree: str  # the highest of DEGREES reached, "" for none
    political_theory: str
    language_level: int  # the best verified certificate, 0 for none
    years_service: int  # whole years since the first post held, 0 without one


def facts_of(candidate: Candidate, on: dt.date) -> Facts:
    return facts_for([candidate], on)[candidate.pk]


def facts_for(candidates: list[Candidate], on: dt.date) -> dict[int, Facts]:
    """Each candidate's facts, in three queries however many there are (a review's worklist)."""
    ids = [c.pk for c in candidates]
    levels: dict[int, set[str]] = {}
    for pk, level in EducationRecord.objects.filter(candidate_id__in=ids).values_list("candidate_id", "level"):
        levels.setdefault(pk, set()).add(level)
    language = dict(LanguageCertificate.objects.filter(candidate_id__in=ids, verification_status=VerificationStatus.VERIFIED)
                    .values("candidate_id").annotate(best=Max("level")).values_list("candidate_id", "best"))
    first_post = dict(PositionHeld.objects.filter(candidate_id__in=ids).values("candidate_id")
                      .annotate(first=Min("started_on")).values_list("candidate_id", "first"))
    out = {}
    for c in candidates:
        degree = next((d for d in reversed(DEGREES) if d in levels.get(c.pk, set())), "")
        first = first_post.get(c.pk)
        out[c.pk] = Facts(age=age_on(c.date_of_birth, on), degree=degree, political_theory=c.political_theory,
                          language_level=int(language.get(c.pk) or 0), years_service=age_on(first, on) if first else 0)
    return out


def failures(rules: dict[str, Any], facts: Facts, *, first_planning: bool) -> list[dict[str, str]]:
    """Every rule of ``rules`` that ``facts`` fail, in the rule set's words."""
    out: list[dict[str, str]] = []
    need = rules.get("degree")
    if need in DEGREES and (facts.degree not in DEGREES or DEGREES.index(facts.degree) < DEGREES.index(need)):
        out.append({"rule": "degree", "message": f"Trình độ chuyên môn từ {DEGREE_WORDS[need]} trở lên"})
    need = rules.get("political_theory")
    if need in THEORY and THEORY.get(facts.political_theory, 0) < THEORY[need]:
        out.append({"rule": "political_theory",
                    "message": f"Lý luận chính trị từ {THEORY_WORDS[need]} trở lên"})
    need = rules.get("language_level")
    if need and facts.language_level < int(need):
        out.append({"rule": "language_level", "message": f"Ngoại ngữ bậc {int(need)} trở lên (chứng chỉ đã xác minh)"})
    need = rules.get("min_years_service")
    if need and facts.years_service < int(need):
        out.append({"rule": "min_years_service", "message": f"Có ít nhất {int(need)} năm công tác"})
    need = rules.get("max_age_first_planning")
    if first_planning and need and facts.age > int(need):
        out.append({"rule": "max_age_first_planning",
                    "message": f"Quy hoạch lần đầu không quá {int(need)} tuổi"})
    return out


def rule(rules: dict[str, Any], key: str) -> int:
    return int(rules.get(key, DEFAULTS[key]))


def active_standard(level: str) -> PositionStandard | None:
    return PositionStandard.objects.filter(level=level, active=True).first()


def active_rules() -> dict[str, dict[str, Any]]:
    """Every level's active standards, level → rules (one query, for pages and lists of many plans)."""
    return {s.level: s.rules for s in PositionStandard.objects.filter(active=True)}
