"""The bell before an evaluation deadline: within ``DAYS_BEFORE`` days of it, every rater who still owes a
sheet in an open cycle is reminded once (``manage.py event_tasks``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.notifications import already_notified, notify
from evaluation.models import Evaluation, EvaluationCycle, RaterAssignment

DAYS_BEFORE = 2


def deadline_reminders(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    for cycle in EvaluationCycle.objects.filter(status=EvaluationCycle.Status.OPEN, deadline__gte=today,
                                                deadline__lte=today + dt.timedelta(days=DAYS_BEFORE)):
        done = set(Evaluation.objects.filter(cycle=cycle).values_list("candidate_id", "rater_id"))
        owing = {rater for candidate, rater in RaterAssignment.objects.filter(cycle=cycle)
                 .values_list("candidate_id", "rater_id") if (candidate, rater) not in done}
        kind = f"evaluation.remind.{cycle.pk}"
        owing -= set(already_notified(kind).values_list("user", flat=True))
        if owing:
            sent += notify(users=sorted(owing), kind=kind,
                           title=f"Còn phiếu đánh giá {cycle.period} chưa gửi: hạn {cycle.deadline:%d/%m/%Y}",
                           url="/evaluations/mine/")
    return sent


def periodic() -> list[str]:
    return [f"Nhắc hạn đánh giá cán bộ: {deadline_reminders()} thông báo."]
