"""Writes of the scoring module: rubric versions, score runs, rule sets, contests. Each audited."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.audit import audit
from core.models import Job
from core.tasking import job_start
from scoring import engine
from scoring.eligibility import validate_rules
from scoring.features import FEATURE_KEYS, load_features
from scoring.models import EligibilityRuleSet, RecordContest, Rubric, RubricVersion, Score, ScoreRun
from talent.models import Candidate, Organization, Role, Stage, TalentPool, user_role

RUN_LABEL = gettext_noop("Tính điểm xếp hạng")
REFRESH_LABEL = gettext_noop("Cập nhật điểm xếp hạng sau thay đổi hồ sơ")
BATCH = 5000


# --- Cohorts ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cohort:
    """Who is ranked together: everyone, one organization's subtree, one entry year, or one pool."""

    kind: str  # all | org | year | pool
    value: int | None = None
    label: str = "Toàn bộ"

    @property
    def key(self) -> str:
        return self.kind if self.value is None else f"{self.kind}:{self.value}"


def cohort_parse(text: str | None, *, user: Any = None) -> Cohort:
    """``all``, ``org:ID`` (or ``org:CODE``), ``year:YYYY``, ``pool:ID``. With ``user``, an organization
    or pool outside their scope is refused exactly like one that does not exist."""
    text = (text or "all").strip()
    if text == "all":
        return Cohort("all")
    kind, _, raw = text.partition(":")
    if raw.isdigit() and not (raw.isascii() and len(raw) <= 18):
        raw = "-"  # "²" or 30 digits: int() fails or overflows the column; it names nothing
    if kind == "org":
        orgs = Organization.objects.for_user(user) if user is not None else Organization.objects.all()
        org = orgs.filter(pk=int(raw)).first() if raw.isdigit() else orgs.filter(code__iexact=raw).first()
        if org is None:
            raise ValidationError({"cohort": "Không có đơn vị này."})
        return Cohort("org", org.pk, org.name)
    if kind == "pool":
        pools = TalentPool.objects.for_user(user) if user is not None else TalentPool.objects.all()
        pool = pools.filter(pk=int(raw)).first() if raw.isdigit() else None
        if pool is None:
            raise ValidationError({"cohort": "Không có nguồn này."})
        return Cohort("pool", pool.pk, pool.name)
    if kind == "year" and raw.isdigit() and 1990 <= int(raw) <= 2100:
        return Cohort("year", int(raw), f"Khoá {raw}")
    raise ValidationError({"cohort": "Nhóm xếp hạng phải là all, org:<mã>, year:<năm> hoặc pool:<số>."})


def cohort_candidates(cohort: Cohort) -> QuerySet[Candidate]:
    """Everyone in the cohort who may be ranked: not erased, not exited from the programme."""
    qs = Candidate.objects.filter(erased_at__isnull=True).exclude(stage=Stage.EXITED)
    if cohort.kind == "org":
        org = Organization.objects.get(pk=cohort.value)
        qs = qs.filter(organization__path__startswith=org.path)
    elif cohort.kind == "pool":
        qs = qs.filter(pool_memberships__pool_id=cohort.value)
    elif cohort.kind == "year":
        qs = qs.filter(education__start_year=cohort.value).distinct()
    return qs.order_by("pk")


def check_may_rank(actor: Any, cohort: Cohort) -> None:
    role = user_role(actor) if actor is not None else Role.ADMIN
    if role not in (Role.ADMIN, Role.OFFICER, Role.LIAISON):
        raise PermissionDenied("Chỉ cán bộ quản lý hồ sơ được tính điểm xếp hạng.")
    if cohort.kind in ("all", "year") and role == Role.LIAISON:
        raise PermissionDenied("Cán bộ liên lạc trường chỉ tính điểm cho đơn vị hoặc nguồn của mình.")


# --- Ranking -----------------------------------------------------------------------------------------

def rank_cohort(version: RubricVersion, cohort: Cohort) -> tuple[engine.Ranking, pd.DataFrame]:
    """Load the cohort's features and rank them (nothing stored)."""
    uses_potential = any(c.get("feature") == "potential" for c in version.criteria)
    frame = load_features(cohort_candidates(cohort), with_potential=uses_potential)
    return engine.rank(frame, version.engine_criteria(), version.engine_filters()), frame


def _jsonable(value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (np.floating, float)):
        # Exact (JSON keeps a float's every digit): a rounded raw value, a mean of ratings like 10/3,
        # would normalize differently and the run would no longer reproduce. Displays round it.
        return float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def score_run_execute(*, version: RubricVersion, cohort: Cohort, actor: Any = None, job: Job | None = None,
                      report: Any = None) -> ScoreRun:
    """Rank the cohort and store the run with every candidate's raw values, contributions and rank."""
    run = ScoreRun.objects.create(version=version, cohort=cohort.key, cohort_label=cohort.label, job=job,
                                  created_by=actor if getattr(actor, "pk", None) else None)
    try:
        ranking, _frame = rank_cohort(version, cohort)
        table = ranking.table
        keys = [c.key for c in ranking.criteria]
        total = len(table)
        with transaction.atomic():
            rows: list[Score] = []
            for done, (cid, record) in enumerate(zip(table.index, table.itertuples(index=False)), start=1):
                values = dict(zip(table.columns, record))
                rows.append(Score(
                    run=run, candidate_id=int(cid), rank=int(values["rank"]), position=done, score=float(values["score"]),
                    percentile=float(values["percentile"]),
                    contributions={k: float(values[f"contrib:{k}"]) for k in keys},
                    values={k: _jsonable(values[f"value:{k}"]) for k in keys}))
                if len(rows) >= BATCH:
                    Score.objects.bulk_create(rows)
                    rows = []
                    if report is not None:
                        report.progress(done, total, gettext_noop("Đang lưu điểm"))
            Score.objects.bulk_create(rows)
            ScoreRun.objects.filter(pk=run.pk).update(status=ScoreRun.Status.SUCCEEDED, size=total,
                                                      excluded=len(ranking.excluded),
                                                      exclusions=dict(Counter(ranking.excluded.values())),
                                                      finished_at=timezone.now())
    except Exception:
        ScoreRun.objects.filter(pk=run.pk).update(status=ScoreRun.Status.FAILED, finished_at=timezone.now())
        raise
    run.refresh_from_db()
    audit(actor=actor, action="score_run.execute", obj=run,
          changes={"rubric": version.rubric.slug, "version": version.number, "cohort": cohort.key, "size": total})
    return run


@transaction.atomic
def score_run_start(*, rubric: Rubric, cohort: Cohort, actor: Any) -> Job:
    """Queue a full ranking of a cohort as a background job with progress."""
    check_may_rank(actor, cohort)
    version = rubric.active_version
    if version is None:
        raise ValidationError({"rubric": "Bộ tiêu chí chưa có phiên bản đang áp dụng."})
    job = job_start(kind="scoring.run", params={"version": version.pk, "cohort": cohort.key},
                    label=RUN_LABEL, actor=actor)
    audit(actor=actor, action="score_run.start", obj=job, changes={"rubric": rubric.slug, "cohort": cohort.key})
    return job


def ranking_exported(*, run: ScoreRun, actor: Any, rows: int, file_format: str, blind: bool) -> None:
    """Audit an export of a ranking: who took how many rows of which run, in which form."""
    audit(actor=actor, action="score_run.export", obj=run,
          changes={"rubric": run.version.rubric.slug, "cohort": run.cohort, "rows": rows, "format": file_format,
                   "blind": blind})


def latest_run(version: RubricVersion, cohort: Cohort) -> ScoreRun | None:
    return (ScoreRun.objects.filter(version=version, cohort=cohort.key, status=ScoreRun.Status.SUCCEEDED)
            .order_by("-created_at").first())


def score_run_latest_or_execute(*, rubric: Rubric, cohort: Cohort, actor: Any) -> ScoreRun:
    """The newest finished run of the active version for the cohort; when there is none yet, rank now
    (a first look should not wait for a worker)."""
    version = rubric.active_version
    if version is None:
        raise ValidationError({"rubric": "Bộ tiêu chí chưa có phiên bản đang áp dụng."})
    run = latest_run(version, cohort)
    if run is None:
        run = score_run_execute(version=version, cohort=cohort, actor=actor)
    return run


def score_run_reproduce(run: ScoreRun) -> bool:
    """Rank the stored raw values again under the stored version: True when every rank, score and
    contribution comes out the same. This is what "any past ranking can be reproduced" means."""
    scores = list(run.scores.order_by("position").values("candidate_id", "rank", "score", "contributions", "values"))
    if not scores:
        return True
    criteria = run.version.engine_criteria()
    frame = pd.DataFrame.from_records(
        [{"candidate_id": s["candidate_id"], **{c.feature: s["values"].get(c.key) for c in criteria}}
         for s in scores]).set_index("candidate_id")
    frame = frame.astype(float)
    # Filters were applied when the run was made; the stored rows are those who passed.
    again = engine.rank(frame, criteria, [])
    table = again.table
    if list(table.index) != [s["candidate_id"] for s in scores]:
        return False  # the same people in the same order, ties listed alike
    for stored in scores:
        row = table.loc[stored["candidate_id"]]
        if int(row["rank"]) != stored["rank"] or float(row["score"]) != stored["score"]:
            return False
        if any(float(row[f"contrib:{k}"]) != v for k, v in stored["contributions"].items()):
            return False
    return True


# --- Re-scoring after a change ------------------------------------------------------------------------

def _enqueue_refresh() -> None:
    if not Job.objects.filter(kind="scoring.refresh", status=Job.Status.QUEUED).exists():
        job_start(kind="scoring.refresh", label=REFRESH_LABEL)


def schedule_refresh() -> None:
    """Called when a record that feeds a score changes: queue one refresh after the commit (once per
    transaction, and not when one is already waiting).

    "Once" is read from the connection's own on-commit list, not from a flag of ours: a transaction
    (or savepoint) rolled back drops its callbacks, and a flag would then stay set for good."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is _enqueue_refresh for entry in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_refresh)


def scores_refresh(report: Any = None) -> int:
    """Re-rank every cohort that has a run under an active version; returns how many runs were made."""
    made = 0
    for version in RubricVersion.objects.filter(state=RubricVersion.State.ACTIVE).select_related("rubric"):
        cohorts = set(ScoreRun.objects.filter(version=version, status=ScoreRun.Status.SUCCEEDED)
                      .values_list("cohort", flat=True))
        for key in sorted(cohorts):
            try:
                cohort = cohort_parse(key)
            except ValidationError:
                continue  # the organization or pool is gone
            score_run_execute(version=version, cohort=cohort, job=getattr(report, "job", None), report=report)
            made += 1
    return made


# --- Rubric versions ------------------------------------------------------------------------------------

def _check_rubric_editor(actor: Any) -> None:
    if actor is not None and user_role(actor) not in (Role.ADMIN, Role.OFFICER):
        raise PermissionDenied("Chỉ quản trị viên và cán bộ Đoàn được sửa bộ tiêu chí.")


def rubric_check(criteria: list[dict[str, Any]], filters: list[dict[str, Any]]) -> None:
    try:
        engine.validate([engine.Criterion.from_dict(c) for c in criteria],
                        [engine.Filter.from_dict(f) for f in filters], set(FEATURE_KEYS))
    except (TypeError, KeyError) as exc:
        raise ValidationError({"criteria": f"Thiếu hoặc sai trường: {exc}."}) from None
    except engine.RubricError as exc:
        raise ValidationError({"criteria": str(exc)}) from None


@transaction.atomic
def rubric_draft_create(*, rubric: Rubric, actor: Any) -> RubricVersion:
    """A new draft, starting from the active version (or the newest one)."""
    _check_rubric_editor(actor)
    existing = rubric.versions.filter(state=RubricVersion.State.DRAFT).first()
    if existing is not None:
        return existing
    base = rubric.active_version or rubric.versions.order_by("-number").first()
    number = (rubric.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    draft = RubricVersion.objects.create(rubric=rubric, number=number, criteria=base.criteria if base else [],
                                         filters=base.filters if base else [],
                                         created_by=actor if getattr(actor, "pk", None) else None)
    audit(actor=actor, action="rubric.draft", obj=draft, changes={"rubric": rubric.slug, "number": number})
    return draft


@transaction.atomic
def rubric_draft_update(*, version: RubricVersion, criteria: list[dict[str, Any]], filters: list[dict[str, Any]],
                        note: str, actor: Any) -> RubricVersion:
    _check_rubric_editor(actor)
    version = RubricVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != RubricVersion.State.DRAFT:
        raise ValidationError({"state": "Chỉ sửa được bản nháp; phiên bản đã áp dụng là bất biến."})
    rubric_check(criteria, filters)
    version.criteria, version.filters, version.note = criteria, filters, note[:500]
    version.save(update_fields=["criteria", "filters", "note"])
    audit(actor=actor, action="rubric.update", obj=version, changes={"criteria": criteria, "filters": filters})
    return version


@transaction.atomic
def rubric_version_activate(*, version: RubricVersion, actor: Any) -> RubricVersion:
    """The draft becomes the active version; the previous one is archived (and stays reproducible)."""
    _check_rubric_editor(actor)
    version = RubricVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != RubricVersion.State.DRAFT:
        raise ValidationError({"state": "Chỉ kích hoạt được bản nháp."})
    rubric_check(version.criteria, version.filters)
    RubricVersion.objects.filter(rubric=version.rubric, state=RubricVersion.State.ACTIVE).update(
        state=RubricVersion.State.ARCHIVED)
    version.state = RubricVersion.State.ACTIVE
    version.activated_by = actor if getattr(actor, "pk", None) else None
    version.activated_at = timezone.now()
    version.save(update_fields=["state", "activated_by", "activated_at"])
    audit(actor=actor, action="rubric.activate", obj=version, changes={"number": version.number})
    return version


# --- Eligibility rule sets ------------------------------------------------------------------------------

@transaction.atomic
def rule_set_update(*, rule_set: EligibilityRuleSet, rules: Any, source: str, caution: str,
                    actor: Any) -> EligibilityRuleSet:
    if actor is not None and user_role(actor) != Role.ADMIN:
        raise PermissionDenied("Chỉ quản trị viên được sửa bộ điều kiện.")
    if not source.strip():
        raise ValidationError({"source": "Hãy ghi căn cứ (văn bản, điều khoản)."})
    try:
        validate_rules(rules)
    except engine.RubricError as exc:
        raise ValidationError({"rules": str(exc)}) from None
    before = {"rules": rule_set.rules, "source": rule_set.source, "caution": rule_set.caution}
    rule_set.rules, rule_set.source, rule_set.caution = rules, source.strip(), caution.strip()
    rule_set.version += 1
    rule_set.updated_by = actor if getattr(actor, "pk", None) else None
    rule_set.save()
    audit(actor=actor, action="rule_set.update", obj=rule_set,
          changes={"before": before, "version": rule_set.version})
    return rule_set


# --- Contests -------------------------------------------------------------------------------------------

@transaction.atomic
def contest_open(*, candidate: Candidate, criterion: str, criterion_label: str, message: str,
                 rubric: Rubric | None, actor: Any) -> RecordContest:
    """A person says a record behind their score is wrong; their liaison gets a verification task."""
    from talent.permissions import can_manage_candidates

    # The person themselves, or staff in scope; a recruiter who can see the record may not.
    if candidate.user_id != getattr(actor, "pk", None) and not (
            can_manage_candidates(actor) and Candidate.objects.for_user(actor).filter(pk=candidate.pk).exists()):
        raise PermissionDenied("Chỉ được phản hồi về hồ sơ của chính mình.")
    message = (message or "").strip()
    if len(message) < 5:
        raise ValidationError({"message": "Hãy nói rõ hồ sơ nào sai và sai ở đâu."})
    contest = RecordContest.objects.create(candidate=candidate, criterion=criterion[:64],
                                           criterion_label=criterion_label[:200], rubric=rubric,
                                           message=message[:4000], opened_by=actor)
    audit(actor=actor, action="contest.open", obj=contest, changes={"criterion": criterion})
    return contest


@transaction.atomic
def contest_resolve(*, contest: RecordContest, status: str, note: str, actor: Any) -> RecordContest:
    from talent.permissions import can_manage_candidates

    if not can_manage_candidates(actor) or not Candidate.objects.for_user(actor).filter(
            pk=contest.candidate_id).exists():
        raise PermissionDenied("Chỉ cán bộ quản lý hồ sơ này được xử lý phản hồi.")
    if status not in (RecordContest.Status.CORRECTED, RecordContest.Status.REJECTED):
        raise ValidationError({"status": "Kết quả phải là «đã sửa» hoặc «giữ nguyên»."})
    if contest.status != RecordContest.Status.OPEN:
        raise ValidationError({"status": "Phản hồi này đã được xử lý."})
    if status == RecordContest.Status.REJECTED and not note.strip():
        raise ValidationError({"note": "Hãy trả lời vì sao giữ nguyên."})
    contest.status, contest.resolution_note = status, note.strip()[:500]
    contest.resolved_by, contest.resolved_at = actor, timezone.now()
    contest.save(update_fields=["status", "resolution_note", "resolved_by", "resolved_at"])
    audit(actor=actor, action="contest.resolve", obj=contest, changes={"status": status})
    return contest


# --- Merging two records of one person (talent.registry) -----------------------------------------

def merge_move(keep: Candidate, drop: Candidate, actor: Any) -> None:
    """The dropped record's contests follow the person; so do its rows in stored score runs where the
    kept record was not ranked, so a past ranking still lists the person. Where both were ranked in one
    run, the kept record's row stands."""
    RecordContest.objects.filter(candidate=drop).update(candidate=keep)
    both = set(Score.objects.filter(candidate=keep).values_list("run_id", flat=True))
    Score.objects.filter(candidate=drop).exclude(run_id__in=both).update(candidate=keep)
