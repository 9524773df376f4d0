"""Demo data of evaluation, written after succession's (``manage.py seed_demo``), through the services as
the demo personnel officer — so every rule, notification and audit event is the real one:

- last year's yearly cycle of the city union unit with the most cadres: every cadre rated by the
  committee, closed and ready for the committee to finalize (finalizing it writes their annual rating
  for that year — left for the user to try, so the demo's rating history stays the scoring demo's);
- this month's monthly cycle of the same unit, open: quantified tasks for some cadres (done, late, one
  still running), a few sheets in, the rest owed (the bell reminds them near the deadline).
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from core.seeding import SeedContext
from evaluation import services
from evaluation.defaults import install
from evaluation.models import EvaluationCycle, EvaluationForm, RaterAssignment
from talent.models import Candidate, Organization

CADRE_STAGES = ("recruited", "planning", "appointed")


def _sheet(rng: random.Random, level: float) -> dict[str, float]:
    return {key: max(0.0, min(10.0, round((level + rng.uniform(-1, 1)) * 2) / 2))
            for key in ("politics", "capacity", "results", "discipline")}


def seed(context: SeedContext) -> None:
    runner = get_user_model().objects.filter(username="personnel").first()
    city = Organization.objects.filter(parent__isnull=True, kind="youth_union").order_by("pk").first()
    if runner is None or city is None:
        context.write("  Đánh giá cán bộ: bỏ qua (chưa có tài khoản cán bộ tổ chức mẫu).")
        return
    rng = random.Random(f"evaluation-demo-{context.seed}")
    today = timezone.localdate()
    unit_id = (Candidate.objects.filter(stage__in=CADRE_STAGES, organization__path__startswith=city.path,
                                        erased_at__isnull=True)
               .values("organization_id").annotate(n=Count("pk")).order_by("-n", "organization_id")
               .values_list("organization_id", flat=True).first())
    if unit_id is None:
        context.write("  Đánh giá cán bộ: bỏ qua (không có cán bộ trong cây Đoàn của thành phố).")
        return
    unit = Organization.objects.get(pk=unit_id)
    with transaction.atomic():
        install(EvaluationForm)  # the migration's form (a database flushed since has none)
        yearly = services.cycle_create(actor=runner, kind="yearly", period=str(today.year - 1), organization=unit,
                                       deadline=today)
        services.assign_defaults(actor=runner, cycle=yearly)
        # Everyone the default assignment put in the cycle (the unit's cadres, its subtree's included).
        people = list(Candidate.objects.filter(pk__in=RaterAssignment.objects.filter(cycle=yearly)
                                               .values("candidate_id")).order_by("pk"))
        level = {c.pk: rng.uniform(6, 9.5) for c in people}
        services.cycle_open(actor=runner, cycle=yearly)
        for person in people:
            services.evaluation_submit(user=runner, cycle=yearly, candidate=person, scores=_sheet(rng, level[person.pk]))
        services.cycle_close(actor=runner, cycle=yearly)
        # The yearly cycle's deadline is a past day in real life: move it back now that the sheets are in.
        EvaluationCycle.objects.filter(pk=yearly.pk).update(deadline=dt.date(today.year, 1, 15)
                                                            if today > dt.date(today.year, 1, 15) else today)
        monthly = services.cycle_create(actor=runner, kind="monthly", period=f"{today:%Y-%m}", organization=unit,
                                        deadline=today + dt.timedelta(days=10))
        services.assign_defaults(actor=runner, cycle=monthly)
        services.cycle_open(actor=runner, cycle=monthly)
        first = today.replace(day=1)
        tasks = 0
        for k, person in enumerate(people[:12]):
            for j, title in enumerate(("Báo cáo kết quả công tác tháng", "Tổ chức sinh hoạt chi đoàn")):
                task = services.task_add(actor=runner, cycle=monthly, candidate=person, title=title,
                                         due_on=min(first + dt.timedelta(days=5 + 10 * j), today))
                tasks += 1
                if (k + j) % 4 != 3:
                    services.task_mark(actor=runner, task=task, status=("done", "done", "late")[(k + j) % 3])
        for person in people[: len(people) // 3]:
            services.evaluation_submit(user=runner, cycle=monthly, candidate=person, scores=_sheet(rng, level[person.pk]))
    context.write(f"  Đánh giá cán bộ ({unit.name}): kỳ năm {yearly.period} đã đóng, {len(people)} người chờ hội đồng "
                  f"chốt; kỳ tháng {monthly.period} đang mở, {tasks} nhiệm vụ lượng hóa, "
                  f"{len(people) // 3}/{len(people)} phiếu hội đồng đã gửi")

