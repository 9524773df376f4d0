"""Demo data of training, written after evaluation's (``manage.py seed_demo``), through the services as the
demo personnel officer on the city union's tree:

- two courses of this year: leadership skills for young cadres in planning (the committee's ranked list
  of the plan members by the young-cadre rubric, about half of them sent in its order, some attending —
  none completed yet, so the plans fall short of the year's training target and completing it is left
  to try) and intermediate political theory;
- the city union adopting the two training targets (leadership skills in the year, the political-theory
  standard), so /targets/ shows them short with who is missing;
- three attraction payments by degree (one commitment broken, with its reason) and this year's budget of
  the city union, against which the courses and payments are counted.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.seeding import SeedContext
from scoring.models import Rubric
from succession.models import PlanMember
from talent.models import Candidate, Organization
from training import services
from training.defaults import install
from training.models import AttractionRuleSet

# The targets the demo city adopts from the models (openings.targets), counted over the current plans.
ADOPTED = ("100% cán bộ trẻ trong quy hoạch được bồi dưỡng kỹ năng lãnh đạo",
           "100% cán bộ trong quy hoạch đạt chuẩn lý luận chính trị của chức danh")


def _adopt_targets(city: Organization, today: dt.date) -> None:
    from openings import services as openings
    from openings.models import Target

    officer = get_user_model().objects.filter(username="officer").first()
    if officer is None:
        return
    for model in Target.objects.not_adopted().filter(name__in=ADOPTED, active=True).order_by("name"):
        if not Target.objects.filter(based_on=model, organization=city).exists():
            openings.target_adopt(model=model, organization=city, actor=officer, deadline=dt.date(today.year, 12, 31),
                                  source="Chỉ tiêu minh hoạ của dữ liệu mẫu (không phải văn bản thật)",
                                  issuer=city.name)


def seed(context: SeedContext) -> None:
    runner = get_user_model().objects.filter(username="personnel").first()
    city = Organization.objects.filter(parent__isnull=True, kind="youth_union").order_by("pk").first()
    if runner is None or city is None:
        context.write("  Đào tạo, bồi dưỡng: bỏ qua (chưa có tài khoản cán bộ tổ chức mẫu).")
        return
    rng = random.Random(f"training-demo-{context.seed}")
    today = timezone.localdate()
    year = today.year
    with transaction.atomic():
        install(AttractionRuleSet)  # the migration's rules (a database flushed since has none)
        leadership = services.course_create(
            actor=runner, organization=city, title=f"Bồi dưỡng kỹ năng lãnh đạo, quản lý cho cán bộ trẻ năm {year}",
            kind="leadership", provider="Trường Đào tạo cán bộ Nguyễn Văn Cừ", starts_on=dt.date(year, 11, 3),
            ends_on=dt.date(year, 12, 19), seats=60, cost_per_person=3_500_000)
        theory = services.course_create(
            actor=runner, organization=city, title="Trung cấp lý luận chính trị - hành chính", kind="political",
            provider="Trường Chính trị thành phố", starts_on=dt.date(year, 3, 2), ends_on=dt.date(year, 12, 25),
            seats=40, cost_per_person=6_000_000)
        # People in the plans of the city union's tree whose records the personnel officer keeps.
        planned = list(Candidate.objects.for_user(runner).filter(pk__in=PlanMember.objects.filter(
            plan__position__organization__path__startswith=city.path).exclude(status="removed")
            .values("candidate_id")).order_by("pk"))
        # The committee's ranked list of those in planning, by the young-cadre rubric; about half are sent,
        # in its order, the cut moved up so it never splits people sharing a rank.
        sent = 0
        rubric = Rubric.objects.filter(slug="young-cadre").first()
        if rubric is not None and rubric.active_version is not None and planned:
            nomination = services.nominees_draw(actor=runner, course=leadership, rubric=rubric)
            rows = nomination.rows
            count = min(len(rows), max(1, len(planned) // 2), leadership.seats)

            def splits(n: int) -> bool:  # the cut after n people would part people of one rank
                after = rows[n]["rank"] if n < len(rows) else nomination.next_rank
                return after is not None and rows[n - 1]["rank"] == after

            while count > 1 and splits(count):
                count -= 1
            if rows and not splits(count):
                for enrolment in services.nominees_enrol(actor=runner, nomination=nomination, count=count):
                    sent += 1
                    if rng.random() < 0.6:
                        services.attend(actor=runner, enrolment=enrolment, sessions=rng.randint(3, 9))
        _adopt_targets(city, today)
        for person in planned[len(planned) // 2:][:15]:
            if person.political_theory in ("", "so_cap"):
                services.enrol(actor=runner, course=theory, candidate=person)
        payees = list(Candidate.objects.filter(organization__path__startswith=city.path, stage="recruited",
                                               erased_at__isnull=True).order_by("pk")[:3])
        for k, (person, degree) in enumerate(zip(payees, ("ts", "bsck2", "bsck1_thsbs"), strict=False)):
            payment = services.payment_record(actor=runner, candidate=person, organization=city, degree=degree,
                                              paid_on=dt.date(year, 2 + 3 * k, 10), commitment_years=5,
                                              with_practice=k == 0)
            if k == 2:
                services.payment_close(actor=runner, payment=payment, kept=False,
                                       note="Chuyển công tác ra ngoài thành phố trước thời hạn cam kết")
        services.budget_set(actor=runner, organization=city, year=year, amount=800_000_000)
    context.write(f"  Đào tạo, bồi dưỡng: 2 khoá học năm {year} ({sent} người trong quy hoạch được cử bồi dưỡng kỹ năng "
                  f"lãnh đạo), {len(payees)} khoản hỗ trợ thu hút, dự toán năm {year} của {city.name}")
