"""Writes of training: courses, enrolment (within the seats), attendance, completion and dropping out.

Administrators and personnel officers, for the courses of their subtree and people they may see; every
write is audited. Completion writes the person's ``talent.Training`` (kind, title, day) once — the single
record the rest of the product reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.audit import audit
from talent.models import Candidate, Organization, Training, user_role
from talent.validators import refuse_formula
from training.models import RUNNERS, Course, Enrolment


def _require_runner(actor: Any, organization: Organization) -> None:
    if user_role(actor) not in RUNNERS:
        raise PermissionDenied("Chỉ cán bộ tổ chức và quản trị viên quản lý đào tạo, bồi dưỡng.")
    if not Organization.objects.for_user(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied("Đơn vị này nằm ngoài phạm vi quản lý của bạn.")


@transaction.atomic
def course_create(*, actor: Any, organization: Organization, title: str, kind: str, provider: str,
                  starts_on: dt.date, ends_on: dt.date, seats: int, cost_per_person: int = 0) -> Course:
    _require_runner(actor, organization)
    title, provider = " ".join((title or "").split()), " ".join((provider or "").split())
    if not title:
        raise ValidationError({"title": "Ghi tên khoá học."})
    if not provider:
        raise ValidationError({"provider": "Ghi đơn vị đào tạo."})
    refuse_formula(title, "title", "Tên khoá học")
    refuse_formula(provider, "provider", "Đơn vị đào tạo")
    if kind not in Training.Kind.values:
        raise ValidationError({"kind": "Loại khoá học không hợp lệ."})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "Ngày kết thúc không trước ngày bắt đầu."})
    if seats < 1:
        raise ValidationError({"seats": "Số chỗ từ 1 trở lên."})
    if cost_per_person < 0:
        raise ValidationError({"cost_per_person": "Chi phí không âm."})
    course = Course.objects.create(organization=organization, title=title[:255], kind=kind, provider=provider[:255],
                                   starts_on=starts_on, ends_on=ends_on, seats=seats, cost_per_person=cost_per_person,
                                   created_by=actor)
    audit(actor=actor, action="training.course", obj=course, changes={"kind": kind, "seats": seats})
    return course


@transaction.atomic
def enrol(*, actor: Any, course: Course, candidate: Candidate) -> Enrolment:
    course = Course.objects.select_for_update().select_related("organization").get(pk=course.pk)
    _require_runner(actor, course.organization)
    if not Candidate.objects.for_user(actor).filter(pk=candidate.pk).exists() or candidate.erased_at is not None:
        raise ValidationError({"candidate": "Không có hồ sơ này trong phạm vi của bạn."})
    taken = course.enrolments.exclude(status=Enrolment.Status.DROPPED).count()
    if taken >= course.seats:
        raise ValidationError({"candidate": f"Khoá học đã đủ {course.seats} chỗ."})
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(course=course, candidate=candidate, enrolled_by=actor)
    except IntegrityError:
        raise ValidationError({"candidate": "Người này đã được cử đi học khoá này."}) from None
    audit(actor=actor, action="training.enrol", obj=course, changes={"candidate": candidate.pk})
    return enrolment


def _open(actor: Any, enrolment: Enrolment) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().select_related("course__organization", "candidate").get(
        pk=enrolment.pk)
    _require_runner(actor, enrolment.course.organization)
    if enrolment.status in (Enrolment.Status.COMPLETED, Enrolment.Status.DROPPED):
        raise ValidationError(f"Đã ghi «{enrolment.get_status_display()}» cho người này.")
    return enrolment


@transaction.atomic
def attend(*, actor: Any, enrolment: Enrolment, sessions: int) -> Enrolment:
    enrolment = _open(actor, enrolment)
    if sessions < 0 or sessions > 365:
        raise ValidationError({"sessions": "Số buổi có mặt từ 0 đến 365."})
    enrolment.sessions_attended = sessions
    enrolment.status = Enrolment.Status.ATTENDED
    enrolment.save(update_fields=["sessions_attended", "status"])
    audit(actor=actor, action="training.attend", obj=enrolment.course,
          changes={"candidate": enrolment.candidate_id, "sessions": sessions})
    return enrolment


@transaction.atomic
def complete(*, actor: Any, enrolment: Enrolment, completed_on: dt.date, certificate_number: str = "") -> Enrolment:
    """The person finished the course: their training record is written, once."""
    enrolment = _open(actor, enrolment)
    course = enrolment.course
    if completed_on < course.starts_on:
        raise ValidationError({"completed_on": "Ngày hoàn thành không trước ngày khai giảng."})
    enrolment.training = Training.objects.create(candidate=enrolment.candidate, kind=course.kind, title=course.title,
                                                 completed_on=completed_on)
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_on = completed_on
    enrolment.certificate_number = (certificate_number or "").strip()[:64]
    enrolment.save(update_fields=["training", "status", "completed_on", "certificate_number"])
    audit(actor=actor, action="training.complete", obj=course, changes={"candidate": enrolment.candidate_id})
    return enrolment


@transaction.atomic
def drop(*, actor: Any, enrolment: Enrolment) -> Enrolment:
    enrolment = _open(actor, enrolment)
    enrolment.status = Enrolment.Status.DROPPED
    enrolment.save(update_fields=["status"])
    audit(actor=actor, action="training.drop", obj=enrolment.course, changes={"candidate": enrolment.candidate_id})
    return enrolment


# --- Attraction payments and budgets ---------------------------------------------------------------------

@transaction.atomic
def payment_record(*, actor: Any, candidate: Candidate, organization: Organization, degree: str, paid_on: dt.date,
                   commitment_years: int, with_practice: bool = False) -> Any:
    """A one-off attraction payment: the amount comes from the active rule set, never typed in."""
    from training.models import AttractionPayment, AttractionRuleSet

    _require_runner(actor, organization)
    if not Candidate.objects.for_user(actor).filter(pk=candidate.pk).exists() or candidate.erased_at is not None:
        raise ValidationError({"candidate": "Không có hồ sơ này trong phạm vi của bạn."})
    rule_set = AttractionRuleSet.objects.filter(active=True).first()
    rule = next((r for r in (rule_set.rules if rule_set else []) if r["key"] == degree), None)
    if rule is None:
        raise ValidationError({"degree": "Học hàm, học vị này không có trong chính sách thu hút đang áp dụng."})
    if not 1 <= commitment_years <= 40:
        raise ValidationError({"commitment_years": "Số năm cam kết từ 1 đến 40."})
    if AttractionPayment.objects.filter(candidate=candidate).exists():
        raise ValidationError({"candidate": "Người này đã nhận hỗ trợ thu hút (chỉ hỗ trợ một lần)."})
    amount = int(rule["amount_with_practice"] if with_practice else rule["amount"])
    payment = AttractionPayment.objects.create(candidate=candidate, organization=organization, rule_set=rule_set,
                                               degree=degree, with_practice=with_practice, amount=amount,
                                               paid_on=paid_on, commitment_years=commitment_years, created_by=actor)
    audit(actor=actor, action="training.payment", obj=payment, changes={"candidate": candidate.pk, "degree": degree})
    return payment


@transaction.atomic
def payment_close(*, actor: Any, payment: Any, kept: bool, note: str = "") -> Any:
    """Whether the person kept the years of service they committed to (a broken one may be recovered)."""
    _require_runner(actor, payment.organization)
    note = (note or "").strip()
    if not kept and not note:
        raise ValidationError({"note": "Ghi lý do không giữ cam kết."})
    payment.kept, payment.kept_note = kept, note[:500]
    payment.save(update_fields=["kept", "kept_note"])
    audit(actor=actor, action="training.payment", obj=payment, changes={"kept": kept})
    return payment


@transaction.atomic
def budget_set(*, actor: Any, organization: Organization, year: int, amount: int) -> Any:
    from training.models import TrainingBudget

    _require_runner(actor, organization)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "Năm từ 2000 đến 2100."})
    if amount < 0:
        raise ValidationError({"amount": "Dự toán không âm."})
    budget, _ = TrainingBudget.objects.update_or_create(organization=organization, year=year,
                                                        defaults={"amount": amount})
    audit(actor=actor, action="training.budget", obj=budget, changes={"year": year, "amount": amount})
    return budget


# --- Transparent selection of whom to send ------------------------------------------------------------

NOMINATION_POOL_LIMIT = 50_000


def _nomination_pool(actor: Any, course: Course, pool: str, untrained_only: bool) -> Any:
    from succession.models import PlanMember
    from talent.models import Stage
    from training.targets import current_terms

    people = (Candidate.objects.for_user(actor)
              .filter(organization__path__startswith=course.organization.path, erased_at__isnull=True)
              .exclude(stage=Stage.EXITED)
              .exclude(pk__in=course.enrolments.exclude(status=Enrolment.Status.DROPPED).values("candidate_id")))
    if pool == "plans":
        live = PlanMember.objects.filter(plan__term__in=current_terms(course.starts_on)).exclude(
            status=PlanMember.Status.REMOVED)
        people = people.filter(pk__in=live.values("candidate_id"))
    if untrained_only:
        people = people.exclude(pk__in=Training.objects.filter(kind=course.kind, completed_on__year=course.starts_on.year)
                                .values("candidate_id"))
    return people.order_by("pk")


@transaction.atomic
def nominees_draw(*, actor: Any, course: Course, rubric: Any, pool: str = "plans", untrained_only: bool = True) -> Any:
    """Rank who could be sent to ``course`` by ``rubric``'s active version and keep the list as drawn up:
    the criteria with their weights and reasons, and the first ``Nomination.LIMIT`` people with their score,
    rank (ties share one) and each criterion's contribution — what the committee decides on."""
    from scoring import engine
    from scoring.features import load_features
    from training.models import Nomination

    _require_runner(actor, course.organization)
    if pool not in Nomination.Pool.values:
        raise ValidationError({"pool": "Nguồn đề cử không hợp lệ."})
    version = rubric.active_version if rubric is not None else None
    if version is None:
        raise ValidationError({"rubric": "Bộ tiêu chí này chưa có phiên bản đang áp dụng."})
    people = _nomination_pool(actor, course, pool, untrained_only)
    eligible = people.count()
    if eligible > NOMINATION_POOL_LIMIT:
        raise ValidationError({"pool": f"Nguồn đề cử có {eligible} người, quá {NOMINATION_POOL_LIMIT}: hãy tổ chức khoá "
                                       "học ở đơn vị nhỏ hơn hoặc chọn người trong quy hoạch."})
    rows: list[dict[str, Any]] = []
    excluded = eligible
    next_rank = None
    if eligible:
        frame = load_features(people, with_potential=any(c.get("feature") == "potential" for c in version.criteria))
        ranking = engine.rank(frame, version.engine_criteria(), version.engine_filters())
        excluded = len(ranking.excluded)
        head = ranking.head(Nomination.LIMIT + 1)
        if len(head) > Nomination.LIMIT:
            next_rank = int(head["rank"].iloc[Nomination.LIMIT])
            head = head.iloc[:Nomination.LIMIT]
        ids = [int(pk) for pk in head.index]
        names = {pk: (name, unit) for pk, name, unit in Candidate.objects.filter(pk__in=ids).values_list(
            "pk", "full_name", "organization__name")}
        keys = [c.key for c in ranking.criteria]
        for pk, line in zip(ids, head.itertuples(index=False), strict=True):
            values = dict(zip(head.columns, line, strict=True))
            name, unit = names.get(pk, ("", ""))
            rows.append({"candidate": pk, "name": name, "organization": unit, "rank": int(values["rank"]),
                         "score": round(float(values["score"]), 4),
                         "contributions": {k: round(float(values[f"contrib:{k}"]), 4) for k in keys}})
    criteria = [{"key": c["key"], "label": c.get("label", c["key"]), "weight": c.get("weight"),
                 "rationale": c.get("rationale", "")} for c in version.criteria]
    nomination = Nomination.objects.create(course=course, rubric_version=version, pool=pool,
                                           untrained_only=untrained_only, criteria=criteria, rows=rows,
                                           eligible=eligible, excluded=excluded, next_rank=next_rank,
                                           created_by=actor)
    audit(actor=actor, action="training.nominate", obj=course,
          changes={"rubric": str(version), "pool": pool, "eligible": eligible, "ranked": len(rows)})
    return nomination


@transaction.atomic
def nominees_enrol(*, actor: Any, nomination: Any, count: int) -> list[Enrolment]:
    """Send the first ``count`` people of the course's latest list, in its order (those since sent are
    skipped). A cut that would split people sharing a rank is refused: the committee decides between
    them by name."""
    course = nomination.course
    _require_runner(actor, course.organization)
    latest = course.nominations.order_by("-created_at", "-pk").values_list("pk", flat=True).first()
    if latest != nomination.pk:
        raise ValidationError({"count": "Danh sách này đã có danh sách mới hơn thay thế; hãy dùng danh sách mới nhất."})
    rows = nomination.rows
    if not 1 <= count <= len(rows):
        raise ValidationError({"count": f"Số người cử từ 1 đến {len(rows)} (số người trong danh sách)."})
    after = rows[count]["rank"] if count < len(rows) else nomination.next_rank
    if after is not None and rows[count - 1]["rank"] == after:
        tied = [r["name"] for r in rows if r["rank"] == after]
        more = "" if count < len(rows) else " và người ngoài danh sách"
        raise ValidationError({"count": f"Người thứ {count} và thứ {count + 1} cùng hạng {after} "
                                        f"({', '.join(tied)}{more}): hội đồng chọn giữa họ bằng cách cử từng người."})
    sent = set(course.enrolments.exclude(status=Enrolment.Status.DROPPED).values_list("candidate_id", flat=True))
    chosen = [r["candidate"] for r in rows[:count] if r["candidate"] not in sent]
    free = course.seats - len(sent)
    if len(chosen) > free:
        raise ValidationError({"count": f"Khoá học còn {free} chỗ, không đủ cho {len(chosen)} người."})
    people = Candidate.objects.for_user(actor).filter(erased_at__isnull=True).in_bulk(chosen)
    gone = [r["name"] for r in rows[:count] if r["candidate"] in chosen and r["candidate"] not in people]
    if gone:
        raise ValidationError({"count": f"{', '.join(gone)} không còn trong phạm vi của bạn (hồ sơ đã xoá hoặc "
                                        "chuyển đơn vị) từ khi lập danh sách; hãy lập lại danh sách."})
    return [enrol(actor=actor, course=course, candidate=people[pk]) for pk in chosen]


def merge_move(keep: Candidate, drop: Candidate, actor: Any) -> None:
    """Two records of one person merged: their courses and attraction payments follow the person. Where
    both records sat in one course, the kept record's place stands and the other goes (it was the same
    person's second place)."""
    from training.models import AttractionPayment

    both = set(Enrolment.objects.filter(candidate=keep).values_list("course_id", flat=True))
    Enrolment.objects.filter(candidate=drop, course_id__in=both).delete()
    Enrolment.objects.filter(candidate=drop).update(candidate=keep)
    AttractionPayment.objects.filter(candidate=drop).update(candidate=keep)
