"""Demo data of the openings app, written after the demo city (``talent.demo``) and the clubs demo.

What ``seed_openings_demo(seed)`` writes, all through ``openings.services`` as the demo ``recruiter``
of "Sở Nội vụ TP.HCM" (so every rule, history row and notification is the real one):

- a job opening of the recruiter's agency with six people the recruiter may see on its board: one with
  an offer, one at interview, one contacted, one shortlisted, one who declined and one not chosen (each
  with the reason); ratings and notes on the later ones. Nobody is hired yet: hiring someone (and
  seeing their pipeline turn ``recruited``) is left for whoever tries the demo;
- an internship that started ten weeks ago and ended last week, mentored by the recruiter, with one
  intern hired onto it (a ``Placement``), completed with the mentor's structured feedback (which
  becomes the ``mentor_rating`` scoring feature), and a second applicant at interview;
- the city union adopting three of the model targets (openings.targets) as its own, under a document
  the demo names as illustrative — the models' own documents are other provinces';
- snapshots of every adopted target on the first day of each of the last five months and today, for
  the trend. Only ages move with the day (``openings.targets`` counts pools and stages as they are
  now), so the past points are today's population seen on those days, not a reconstruction.

The boards hold people whose recorded pipeline stage already says so — shortlisted or in a
placement — so that the demo city's stages and histories stay exactly what ``talent.demo`` generated
(shortlisting them, or placing an intern who is in a placement, moves nobody's pipeline). They are
drawn with ``random.Random(f"openings-demo-{seed}")`` from the recruiter's visible candidates in id
order. Dates are relative to the day of seeding. The candidates are fictional: their e-mails go to a
dummy backend while seeding (the bell notifications are written as usual).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from core.seeding import SeedContext
from openings import services, targets
from openings.models import Opening, Placement, ShortlistEntry, ShortlistStage, Target
from talent.demo import CITY, HOME_AFFAIRS
from talent.models import Candidate, EducationRecord, Organization, Stage

JOB_TITLE = "Chuyên viên Phòng Công chức, viên chức (thu hút tài năng trẻ)"
INTERNSHIP_TITLE = "Thực tập sinh Phòng Cải cách hành chính"
SS = ShortlistStage

# Where each person on the job's board ends, and the path there (the board's own moves).
JOB_PATHS: tuple[tuple[str, ...], ...] = (
    (SS.CONTACTED, SS.INTERVIEW, SS.OFFER),
    (SS.CONTACTED, SS.INTERVIEW),
    (SS.CONTACTED,),
    (),
    (SS.CONTACTED, SS.DECLINED),
    (SS.CONTACTED, SS.INTERVIEW, SS.REFUSED),
)
# The models the demo city adopts, and the document the demo gives them (no real one: it says so).
ADOPTED_MODELS = ("Cán bộ trẻ chiếm từ 15% nguồn quy hoạch", "Cán bộ nữ chiếm từ 15% nguồn quy hoạch",
                  "Lãnh đạo dưới 40 tuổi chiếm 15–20%")
DEMO_DOCUMENT = {"source": "Chỉ tiêu minh hoạ của dữ liệu mẫu (không phải văn bản thật)",
                 "issuer": "Thành Đoàn TP. Hồ Chí Minh"}
REASONS = {SS.DECLINED: "Ứng viên chọn học tiếp thạc sĩ ở nước ngoài.",
           SS.REFUSED: "Chưa đạt yêu cầu về kinh nghiệm soạn thảo văn bản."}
NOTES = {SS.INTERVIEW: "Đã hẹn phỏng vấn; chuẩn bị câu hỏi về chính sách thu hút người có tài năng.",
         SS.OFFER: "Phỏng vấn tốt; đề xuất mời nhận việc, cần xác minh chứng chỉ ngoại ngữ bản gốc."}
FEEDBACK_COMMENTS = ("Hoàn thành tốt các nhiệm vụ được giao, chủ động đề xuất cải tiến quy trình tiếp nhận hồ sơ "
                     "một cửa; cần rèn thêm kỹ năng viết văn bản hành chính.")
SNAPSHOT_MONTHS = 5


@dataclass
class OpeningsDemoSummary:
    seed: int
    openings: int = 0
    entries: int = 0
    hired: int = 0
    placements: int = 0
    feedback: int = 0
    snapshots: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (f"Tuyển dụng: {self.openings} vị trí, {self.entries} người trong danh sách ngắn "
                f"({self.hired} đã nhận), "
                f"{self.placements} kỳ thực tập ({self.feedback} có đánh giá của người hướng dẫn); "
                f"{self.snapshots} ảnh chụp chỉ tiêu ({self.seconds:.1f} giây)")


def _pick(recruiter: Any, rng: random.Random, count: int) -> tuple[Candidate | None, list[Candidate]]:
    """The intern to hire (someone already in a placement) and ``count`` others for the boards."""
    visible = list(Candidate.objects.for_user(recruiter).filter(stage__in=(Stage.SHORTLISTED, Stage.PLACEMENT))
                   .order_by("pk"))
    placed = [c for c in visible if c.stage == Stage.PLACEMENT]
    intern = rng.choice(placed) if placed else None
    others = [c for c in visible if c != intern]
    return intern, rng.sample(others, min(count, len(others)))


def _snapshot_days(today: dt.date) -> list[dt.date]:
    days = []
    year, month = today.year, today.month
    for _ in range(SNAPSHOT_MONTHS):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        days.append(dt.date(year, month, 1))
    return sorted(days) + [today]


def seed_openings_demo(seed: int, *, today: dt.date | None = None) -> OpeningsDemoSummary:
    """Write the openings demo for ``seed`` on top of the seeded demo city (see the module docstring)."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    summary = OpeningsDemoSummary(seed=seed)
    recruiter = get_user_model().objects.filter(username="recruiter", profile__organization__code=HOME_AFFAIRS).first()
    if recruiter is None:
        raise ValueError("The demo city (talent.demo) with its accounts must be seeded before the openings demo.")
    if Opening.objects.filter(agency__code=HOME_AFFAIRS, title__in=(JOB_TITLE, INTERNSHIP_TITLE)).exists():
        raise ValueError("The openings demo has already been seeded in this database.")
    rng = random.Random(f"openings-demo-{seed}")

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        intern, people = _pick(recruiter, rng, len(JOB_PATHS) + 1)
        job = services.opening_create(
            actor=recruiter, title=JOB_TITLE, kind=Opening.Kind.JOB, slots=2, unit="Phòng Công chức, viên chức",
            description="Tham mưu chính sách thu hút, trọng dụng người có tài năng vào khu vực công của Thành phố.",
            degree_level=EducationRecord.Level.UNIVERSITY, language_level=4,
            skills=["Soạn thảo văn bản hành chính", "Phân tích dữ liệu", "Tiếng Anh"],
            starts_on=today + dt.timedelta(days=30))
        internship = services.opening_create(
            actor=recruiter, title=INTERNSHIP_TITLE, kind=Opening.Kind.INTERNSHIP, slots=3,
            unit="Phòng Cải cách hành chính", mentor=recruiter,
            description="Kỳ thực tập 9 tuần: tiếp nhận hồ sơ một cửa, số hoá thủ tục hành chính.",
            skills=["Tin học văn phòng", "Giao tiếp"],
            starts_on=today - dt.timedelta(days=70), ends_on=today - dt.timedelta(days=7))
        summary.openings = 2

        for person, path in zip(people, JOB_PATHS):
            entry = services.shortlist_add(opening=job, candidate=person, actor=recruiter)
            for stage in path:
                entry = services.entry_move(entry=entry, stage=stage, actor=recruiter, reason=REASONS.get(stage, ""))
            if SS.INTERVIEW in path:  # the panel's marks
                services.rating_set(entry=entry, score=rng.randint(2, 5), actor=recruiter)
            if entry.stage in NOTES:
                services.note_add(entry=entry, text=NOTES[entry.stage], actor=recruiter)

        applicants = [(intern, (SS.CONTACTED, SS.INTERVIEW, SS.OFFER, SS.HIRED))] if intern else []
        applicants += [(person, (SS.CONTACTED, SS.INTERVIEW)) for person in people[len(JOB_PATHS):]]
        for person, path in applicants:
            entry = services.shortlist_add(opening=internship, candidate=person, actor=recruiter)
            for stage in path:
                entry = services.entry_move(entry=entry, stage=stage, actor=recruiter, starts_on=internship.starts_on)
        for placement in Placement.objects.filter(opening=internship):
            services.placement_feedback(
                placement=placement, actor=recruiter, comments=FEEDBACK_COMMENTS,
                ratings={key: rng.randint(3, 5) for key in ("competence", "attitude", "teamwork", "initiative")})
            summary.feedback += 1

        entries = ShortlistEntry.objects.filter(opening__in=(job, internship))
        summary.entries = entries.count()
        summary.hired = entries.filter(stage=SS.HIRED).count()
        summary.placements = Placement.objects.filter(opening=internship).count()
        _adopt_targets(today)
        for day in _snapshot_days(today):
            summary.snapshots += targets.record_snapshots(day)
    summary.seconds = time.perf_counter() - started
    return summary


def _adopt_targets(today: dt.date) -> None:
    officer = get_user_model().objects.filter(username="officer", profile__organization__code=CITY).first()
    city = Organization.objects.filter(code=CITY).first()
    if officer is None or city is None:
        return
    for model in Target.objects.not_adopted().filter(name__in=ADOPTED_MODELS, active=True).order_by("name"):
        services.target_adopt(model=model, organization=city, actor=officer, deadline=dt.date(today.year, 12, 31),
                              **DEMO_DOCUMENT)


def seed(context: SeedContext) -> None:
    """The openings part of ``manage.py seed_demo``: the recruiter's job opening and internship with
    their boards, a placement with the mentor's feedback, and the targets' trend."""
    context.write(f"  {seed_openings_demo(context.seed).line()}")
