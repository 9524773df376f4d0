"""Surveys (khảo sát nguyện vọng): building one, who may answer, one response per person, results.

Writes (``survey_create``, ``survey_respond``) are keyword-only services, each in one transaction
and audited; reads (``surveys_managed_by``, ``surveys_answerable``, ``survey_results``,
``survey_export_table``) are selectors that start from ``Survey.objects.for_user``.

Who may answer follows the survey's target: the active members of a club, the candidates of a talent
pool (through their own account), or the people registered for an event. A post-event feedback survey
opens only once the event is over, and only to those who checked in.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from clubs import services
from clubs.models import (
    Club,
    Event,
    Membership,
    Registration,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from core.audit import audit
from core.notifications import notify
from core.spreadsheets import spreadsheet_safe
from talent.models import Candidate, PoolMembership, Role, TalentPool, user_role

STAFF_ROLES = (Role.ADMIN, Role.OFFICER, Role.LIAISON)
MAX_QUESTIONS = 50
MAX_CHOICES = 20
MAX_SCALE_STEPS = 11  # 0-10 is the widest scale offered
MAX_TEXT_ANSWER = 2000
MULTIPLE_SEPARATOR = "; "


# --- Who manages, who answers ------------------------------------------------------------------

def surveys_managed_by(user: Any) -> QuerySet[Survey]:
    """Surveys ``user`` may read the results of: those they made, and those of the clubs, events and
    (for staff) pools they manage."""
    surveys = Survey.objects.for_user(user)
    role = user_role(user)
    if role == Role.ADMIN:
        return surveys
    managed = (Q(created_by=user) | Q(club__in=Club.objects.managed_by(user).values("pk"))
               | Q(event__in=Event.objects.managed_by(user).values("pk")))
    if role in STAFF_ROLES:
        managed |= Q(pool__in=TalentPool.objects.for_user(user).values("pk"))
    return surveys.filter(managed)


def may_manage_survey(user: Any, survey: Survey) -> bool:
    return surveys_managed_by(user).filter(pk=survey.pk).exists()


def may_create_surveys(user: Any) -> bool:
    """Staff, and the core team of a club (for their club and its events)."""
    if user_role(user) in STAFF_ROLES:
        return True
    return Club.objects.managed_by(user).exists() or Event.objects.managed_by(user).exists()


def _window_problem(survey: Survey, now: Any) -> str | None:
    if survey.opens_at and now < survey.opens_at:
        return f"Khảo sát mở từ {timezone.localtime(survey.opens_at):%H:%M %d/%m/%Y}."
    if survey.closes_at and now >= survey.closes_at:
        return "Khảo sát đã đóng."
    return None


def answer_problem(survey: Survey, user: Any, now: Any = None) -> str | None:
    """Why ``user`` may not answer ``survey`` now (None when they may)."""
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        return "Hãy đăng nhập để trả lời khảo sát."
    if survey.target == Survey.Target.CLUB:
        if not Membership.objects.active().filter(club=survey.club_id, user=user).exists():
            return "Khảo sát dành cho thành viên câu lạc bộ."
    elif survey.target == Survey.Target.POOL:
        if not Candidate.objects.active().filter(user=user, pool_memberships__pool=survey.pool_id).exists():
            return "Khảo sát dành cho ứng viên trong nguồn."
    elif survey.target == Survey.Target.EVENT:
        event = survey.event
        if event is None:
            return "Khảo sát không còn gắn với sự kiện nào."
        mine = Registration.objects.filter(event=event, user=user)
        if survey.is_feedback:
            if now < event.ends_at:
                return ("Khảo sát phản hồi mở sau khi sự kiện kết thúc "
                        f"({timezone.localtime(event.ends_at):%H:%M %d/%m/%Y}).")
            if not mine.filter(checked_in_at__isnull=False).exists():
                return "Khảo sát phản hồi dành cho người đã tham dự sự kiện."
        elif not mine.filter(Q(status__in=Registration.SEATED) | Q(checked_in_at__isnull=False)).exists():
            return "Khảo sát dành cho người đã đăng ký tham dự sự kiện."
    return _window_problem(survey, now)


def _eligible(user: Any, now: Any) -> Q:
    """The target rule of ``answer_problem`` as one filter on surveys (for lists)."""
    member = Exists(Membership.objects.active().filter(club=OuterRef("club"), user=user))
    in_pool = Exists(PoolMembership.objects.filter(pool=OuterRef("pool"), candidate__user=user,
                                                   candidate__erased_at__isnull=True))
    seated = Exists(Registration.objects.filter(event=OuterRef("event"), user=user).filter(
        Q(status__in=Registration.SEATED) | Q(checked_in_at__isnull=False)))
    attended = Exists(Registration.objects.filter(event=OuterRef("event"), user=user, checked_in_at__isnull=False))
    return (Q(target=Survey.Target.CLUB) & Q(member)
            | Q(target=Survey.Target.POOL) & Q(in_pool)
            | Q(target=Survey.Target.EVENT, is_feedback=False) & Q(seated)
            | Q(target=Survey.Target.EVENT, is_feedback=True, event__ends_at__lte=now) & Q(attended))


def surveys_answerable(user: Any, now: Any = None) -> QuerySet[Survey]:
    """Open surveys ``user`` may answer, each with ``answered`` (whether they already have)."""
    now = now or timezone.now()
    return (Survey.objects.for_user(user)
            .filter(_eligible(user, now))
            .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now), Q(closes_at__isnull=True) | Q(closes_at__gt=now))
            .annotate(answered=Exists(SurveyResponse.objects.filter(survey=OuterRef("pk"), user=user)))
            .select_related("club", "event", "pool"))


def has_answered(survey: Survey, user: Any) -> bool:
    return SurveyResponse.objects.filter(survey=survey, user=user).exists()


def _eligible_user_ids(survey: Survey, now: Any) -> list[int]:
    """Everyone who may answer ``survey`` now: told through the notification bell when it opens."""
    if _window_problem(survey, now):
        return []
    if survey.target == Survey.Target.CLUB:
        users = Membership.objects.active().filter(club=survey.club_id).values_list("user_id", flat=True)
    elif survey.target == Survey.Target.POOL:
        users = (Candidate.objects.active().filter(pool_memberships__pool=survey.pool_id, user__isnull=False)
                 .values_list("user_id", flat=True))
    elif survey.is_feedback:
        if survey.event is None or now < survey.event.ends_at:
            return []
        users = Registration.objects.filter(event=survey.event_id, checked_in_at__isnull=False).values_list(
            "user_id", flat=True)
    else:
        users = Registration.objects.filter(event=survey.event_id, status__in=Registration.SEATED).values_list(
            "user_id", flat=True)
    return list(dict.fromkeys(users))


# --- Building a survey ---------------------------------------------------------------------------

@dataclass
class QuestionSpec:
    """One question as the builder sends it; ``choices`` one entry per option."""

    kind: str
    text: str
    choices: list[str] = field(default_factory=list)
    scale_min: int = 1
    scale_max: int = 5
    required: bool = True


def _question_problems(spec: QuestionSpec) -> list[str]:
    problems: list[str] = []
    if not spec.text.strip():
        problems.append("Hãy nhập nội dung câu hỏi.")
    elif len(spec.text.strip()) > 500:
        problems.append("Câu hỏi dài quá 500 ký tự.")
    if spec.kind not in SurveyQuestion.Kind.values:
        problems.append("Loại câu hỏi không hợp lệ.")
    elif spec.kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE):
        choices = [c.strip() for c in spec.choices if c.strip()]
        if len(choices) < 2:
            problems.append("Câu hỏi lựa chọn cần ít nhất hai phương án (mỗi dòng một phương án).")
        if len(choices) > MAX_CHOICES:
            problems.append(f"Tối đa {MAX_CHOICES} phương án.")
        if len({c.casefold() for c in choices}) != len(choices):
            problems.append("Các phương án không được trùng nhau.")
        if any(len(c) > 200 for c in choices):
            problems.append("Mỗi phương án tối đa 200 ký tự.")
    elif spec.kind == SurveyQuestion.Kind.SCALE:
        if spec.scale_min is None or spec.scale_max is None or spec.scale_min >= spec.scale_max:
            problems.append("Thang điểm cần giá trị nhỏ nhất bé hơn giá trị lớn nhất.")
        elif spec.scale_min < 0 or spec.scale_max - spec.scale_min + 1 > MAX_SCALE_STEPS:
            problems.append("Thang điểm từ 0 trở lên và có tối đa 11 mức (ví dụ 1–5 hoặc 0–10).")
    return problems


def _target_permission(actor: Any, target: str, club: Club | None, pool: TalentPool | None,
                       event: Event | None) -> None:
    if actor is None:
        return
    if target == Survey.Target.CLUB and club is not None and not services.may_manage_club(actor, club):
        raise PermissionDenied("Chỉ ban điều hành câu lạc bộ được lập khảo sát cho câu lạc bộ.")
    if target == Survey.Target.EVENT and event is not None and not services.may_manage_event(actor, event):
        raise PermissionDenied("Chỉ ban tổ chức sự kiện được lập khảo sát cho sự kiện.")
    if target == Survey.Target.POOL and pool is not None and (
            user_role(actor) not in STAFF_ROLES or not TalentPool.objects.for_user(actor).filter(pk=pool.pk).exists()):
        raise PermissionDenied("Chỉ cán bộ quản lý nguồn được lập khảo sát cho nguồn.")


@transaction.atomic
def survey_create(*, actor: Any, title: str, target: str, questions: list[QuestionSpec], description: str = "",
                  club: Club | None = None, pool: TalentPool | None = None, event: Event | None = None,
                  is_feedback: bool = False, opens_at: Any = None, closes_at: Any = None,
                  now: Any = None) -> Survey:
    """A survey with its questions, targeted at one club, pool or event the actor manages.

    Errors are keyed by field; a question's by ``question_<n>`` (1-based, in the order given)."""
    now = now or timezone.now()
    _target_permission(actor, target, club, pool, event)
    errors: dict[str, list[str]] = {}

    def problem(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if not title.strip():
        problem("title", "Hãy nhập tên khảo sát.")
    if target not in Survey.Target.values:
        problem("target", "Hãy chọn đối tượng khảo sát.")
    elif target == Survey.Target.CLUB and club is None:
        problem("club", "Hãy chọn câu lạc bộ.")
    elif target == Survey.Target.POOL and pool is None:
        problem("pool", "Hãy chọn nguồn.")
    elif target == Survey.Target.EVENT and event is None:
        problem("event", "Hãy chọn sự kiện.")
    if is_feedback and target != Survey.Target.EVENT:
        problem("is_feedback", "Khảo sát phản hồi phải gắn với một sự kiện.")
    if is_feedback and event is not None and event.is_cancelled:
        problem("event", "Sự kiện đã huỷ nên không có người tham dự để phản hồi.")
    if opens_at and closes_at and closes_at <= opens_at:
        problem("closes_at", "Thời điểm đóng phải sau thời điểm mở.")
    if closes_at and closes_at <= now:
        problem("closes_at", "Thời điểm đóng phải ở tương lai.")
    if not questions:
        problem("questions", "Khảo sát cần ít nhất một câu hỏi.")
    if len(questions) > MAX_QUESTIONS:
        problem("questions", f"Tối đa {MAX_QUESTIONS} câu hỏi.")
    for number, spec in enumerate(questions, start=1):
        for message in _question_problems(spec):
            problem(f"question_{number}", f"Câu {number}: {message}")
    if errors:
        raise ValidationError(errors)

    organization = (club.owner if club else event.organization if event else pool.owner if pool else None)
    survey = Survey.objects.create(
        title=title.strip(), description=description.strip(), target=target,
        club=club if target == Survey.Target.CLUB else None,
        pool=pool if target == Survey.Target.POOL else None,
        event=event if target == Survey.Target.EVENT else None,
        is_feedback=is_feedback, opens_at=opens_at, closes_at=closes_at, organization=organization,
        created_by=actor if getattr(actor, "pk", None) else None)
    SurveyQuestion.objects.bulk_create([
        SurveyQuestion(
            survey=survey, order=number, kind=spec.kind, text=spec.text.strip(),
            choices=[c.strip() for c in spec.choices if c.strip()]
            if spec.kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE) else [],
            scale_min=spec.scale_min if spec.kind == SurveyQuestion.Kind.SCALE else 1,
            scale_max=spec.scale_max if spec.kind == SurveyQuestion.Kind.SCALE else 5,
            required=spec.required)
        for number, spec in enumerate(questions, start=1)])
    audit(actor=actor, action="survey.create", obj=survey,
          changes={"title": survey.title, "target": target, "questions": len(questions)})
    notify(users=_eligible_user_ids(survey, now), kind="survey.new", title=f"Khảo sát mới: {survey.title}",
                    url=f"/surveys/{survey.pk}/")
    return survey


# --- Answering --------------------------------------------------------------------------------------

def _clean_answer(question: SurveyQuestion, raw: Any) -> tuple[Any, str | None]:
    """(value to store or None when unanswered, problem)."""
    kind = question.kind
    if kind == SurveyQuestion.Kind.MULTIPLE:
        values = raw if isinstance(raw, (list, tuple)) else ([] if raw in (None, "") else [raw])
        values = [str(v).strip() for v in values if str(v).strip()]
        if not values:
            return None, None
        if any(v not in question.choices for v in values):
            return None, "Phương án không có trong câu hỏi."
        # Stored in the question's order, each once, whatever order the browser sent them in.
        return [c for c in question.choices if c in values], None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if kind == SurveyQuestion.Kind.SINGLE:
        value = str(raw).strip()
        return (value, None) if value in question.choices else (None, "Phương án không có trong câu hỏi.")
    if kind == SurveyQuestion.Kind.SCALE:
        try:
            value = int(str(raw).strip())
        except ValueError:
            return None, "Hãy chọn một mức trên thang điểm."
        if not question.scale_min <= value <= question.scale_max:
            return None, f"Hãy chọn một mức từ {question.scale_min} đến {question.scale_max}."
        return value, None
    text = str(raw).strip()
    if len(text) > MAX_TEXT_ANSWER:
        return None, f"Câu trả lời tối đa {MAX_TEXT_ANSWER} ký tự."
    return text, None


@transaction.atomic
def survey_respond(*, survey: Survey, user: Any, answers: dict[int, Any], now: Any = None) -> SurveyResponse:
    """Store ``user``'s one response. ``answers`` maps question id → a choice, a list of choices, a scale
    value or a text. Errors are keyed ``q<question id>``; a second response is refused."""
    now = now or timezone.now()
    problem = answer_problem(survey, user, now)
    if problem:
        raise PermissionDenied(problem)
    if has_answered(survey, user):
        raise ValidationError({"survey": "Bạn đã trả lời khảo sát này; mỗi người trả lời một lần."})
    errors: dict[str, str] = {}
    rows: list[SurveyAnswer] = []
    for question in survey.questions.all():
        value, message = _clean_answer(question, answers.get(question.pk))
        if message:
            errors[f"q{question.pk}"] = message
        elif value is None:
            if question.required:
                errors[f"q{question.pk}"] = "Câu hỏi này bắt buộc."
        else:
            rows.append(SurveyAnswer(question=question, value=value))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(survey=survey, user=user)
    except IntegrityError:  # a second tab sent the same response at the same moment
        raise ValidationError({"survey": "Bạn đã trả lời khảo sát này; mỗi người trả lời một lần."}) from None
    for row in rows:
        row.response = response
    SurveyAnswer.objects.bulk_create(rows)
    audit(actor=user, action="survey.respond", obj=survey, changes={"answers": len(rows)})
    return response


# --- Results ----------------------------------------------------------------------------------------

@dataclass
class Bar:
    label: str
    count: int
    percent: float  # of the people who answered the question

    @property
    def width(self) -> str:
        """SVG attribute (never localized: a decimal comma would break the drawing)."""
        return f"{self.percent:.2f}"


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    questions: list[QuestionResult]


def _percent(count: int, total: int) -> float:
    return round(count * 100.0 / total, 1) if total else 0.0


def survey_results(survey: Survey) -> SurveyResults:
    """Counts per choice (share of those who answered the question; a multiple-choice question's
    shares can add up to more than 100%), the scale's mean and distribution, and free texts in the
    order they came. Two queries whatever the number of questions."""
    questions = list(survey.questions.all())
    by_question: dict[int, list[Any]] = {q.pk: [] for q in questions}
    answers = (SurveyAnswer.objects.filter(response__survey=survey)
               .order_by("response__created_at", "response_id").values_list("question_id", "value"))
    for question_id, value in answers:
        by_question.setdefault(question_id, []).append(value)
    responses = SurveyResponse.objects.filter(survey=survey).count()
    results: list[QuestionResult] = []
    for question in questions:
        values = by_question[question.pk]
        result = QuestionResult(question=question, answered=len(values))
        if question.kind in (SurveyQuestion.Kind.SINGLE, SurveyQuestion.Kind.MULTIPLE):
            counts = dict.fromkeys(question.choices, 0)
            for value in values:
                for choice in value if isinstance(value, list) else [value]:
                    if choice in counts:
                        counts[choice] += 1
            result.bars = [Bar(label, n, _percent(n, len(values))) for label, n in counts.items()]
        elif question.kind == SurveyQuestion.Kind.SCALE:
            numbers = [int(v) for v in values]
            counts = {step: 0 for step in range(question.scale_min, question.scale_max + 1)}
            for number in numbers:
                counts[number] = counts.get(number, 0) + 1
            result.bars = [Bar(str(step), n, _percent(n, len(numbers))) for step, n in counts.items()]
            result.mean = round(sum(numbers) / len(numbers), 2) if numbers else None
        else:
            result.texts = [str(v) for v in values]
        results.append(result)
    return SurveyResults(survey=survey, responses=responses, questions=results)


# --- Exports ----------------------------------------------------------------------------------------

def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return MULTIPLE_SEPARATOR.join(str(v) for v in value)
    return value


def survey_export_table(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """Headers and one row per response: its number, when it came, then one column per question.

    Respondents are not named: results are read for what people need, not who said it."""
    questions = list(survey.questions.all())
    headers = ["Mã phản hồi", "Thời điểm trả lời"] + [f"Câu {n}. {q.text}" for n, q in enumerate(questions, 1)]
    column = {q.pk: index for index, q in enumerate(questions)}
    responses = list(SurveyResponse.objects.filter(survey=survey).order_by("created_at", "id")
                     .values_list("pk", "created_at"))
    cells: dict[int, list[Any]] = {pk: [""] * len(questions) for pk, _ in responses}
    for response_id, question_id, value in SurveyAnswer.objects.filter(response__survey=survey).values_list(
            "response_id", "question_id", "value"):
        if question_id in column:
            cells[response_id][column[question_id]] = _cell(value)
    rows = [[pk, timezone.localtime(created).strftime("%d/%m/%Y %H:%M"), *cells[pk]] for pk, created in responses]
    return headers, rows


def survey_export(*, survey: Survey, actor: Any, fmt: str) -> bytes:
    """The responses as CSV (UTF-8 with BOM, so Excel reads Vietnamese) or XLSX. Audited, like every
    export. Text a spreadsheet would run as a formula is neutralized."""
    if not may_manage_survey(actor, survey):
        raise PermissionDenied("Chỉ người quản lý khảo sát được xuất kết quả.")
    headers, rows = survey_export_table(survey)
    safe_rows = [[spreadsheet_safe(v) for v in row] for row in rows]
    safe_headers = [spreadsheet_safe(h) for h in headers]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(safe_headers)
        writer.writerows(safe_rows)
        data = buffer.getvalue().encode("utf-8-sig")
    elif fmt == "xlsx":
        data = _xlsx(survey, safe_headers, safe_rows)
    else:
        raise ValidationError({"format": "Định dạng xuất không hợp lệ."})
    audit(actor=actor, action="survey.export", obj=survey, changes={"format": fmt, "rows": len(rows)})
    return data


def _xlsx(survey: Survey, headers: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Phản hồi"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 18
    for index in range(3, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 32
    info = book.create_sheet("Thông tin")
    info.append(["Khảo sát", spreadsheet_safe(survey.title)])
    info.append(["Số phản hồi", len(rows)])
    info.append(["Xuất lúc", timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
