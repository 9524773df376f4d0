"""Reminders of the yearly review: from 1 December the bell tells each planner (administrators and
personnel officers) how many plans in their reach are not yet signed off for the year, once a year;
in January it tells them once which of last year's are overdue. The dashboard shows the same, every
day it applies. Run by ``manage.py event_tasks`` (``core.periodic``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from core.notifications import already_notified, notify
from succession import selectors
from succession.models import PLANNERS
from talent.models import UserProfile, user_role


def _due(today: dt.date) -> tuple[int, bool] | None:
    """(year, overdue) the reminders speak of today: December for this year, January for last year's."""
    if today.month == 12:
        return today.year, False
    if today.month == 1:
        return today.year - 1, True
    return None


def _words(year: int, count: int, overdue: bool) -> str:
    if overdue:
        return f"{count} quy hoạch chưa ký duyệt rà soát năm {year}: đã quá hạn 31/12/{year}."
    return f"Rà soát quy hoạch năm {year} trước 31/12: còn {count} quy hoạch chưa ký duyệt."


def review_reminders(today: dt.date | None = None) -> int:
    """The bell's yearly lines; returns how many were sent."""
    today = today or timezone.localdate()
    due = _due(today)
    if due is None:
        return 0
    year, overdue = due
    kind = f"succession.review.{'overdue.' if overdue else ''}{year}"
    sent = 0
    for profile in (UserProfile.objects.filter(role__in=PLANNERS, user__is_active=True)
                    .exclude(user__in=already_notified(kind)).select_related("user", "organization")):
        count = selectors.unreviewed_count(profile.user, year)
        if count:
            sent += notify(users=[profile.user_id], kind=kind, title=_words(year, count, overdue),
                           body="Rà soát từng người trong quy hoạch, đưa ra những người không còn đủ tiêu chuẩn, "
                                "bổ sung nhân tố mới, rồi ký duyệt từng quy hoạch.",
                           url=f"{reverse('succession-reviews')}?year={year}")
    return sent


def periodic() -> list[str]:
    return [f"Nhắc rà soát quy hoạch: {review_reminders()} thông báo."]


def dashboard_notice(user: Any) -> list[dict[str, Any]]:
    """The dashboard's line for a planner: in December this year's review; any other month last year's
    plans still unsigned (overdue), until they are signed."""
    if user_role(user) not in PLANNERS:
        return []
    today = timezone.localdate()
    year, overdue = (today.year, False) if today.month == 12 else (today.year - 1, True)
    count = selectors.unreviewed_count(user, year)
    if not count:
        return []
    return [{"level": "error" if overdue else "warning", "text": _words(year, count, overdue),
             "url": f"{reverse('succession-reviews')}?year={year}", "link": "Mở danh sách rà soát"}]
