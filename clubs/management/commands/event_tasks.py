"""``manage.py event_tasks``: reminders for tomorrow's events and lapsed waitlist offers.

Run it every few minutes from cron or any scheduler, for example::

    */5 * * * * cd /srv/ytp && .venv/bin/python manage.py event_tasks >> /var/log/ytp/event_tasks.log 2>&1

Each pass also records today's value of the resolutions' targets and, in December, reminds officers
once a year to review planning pools (``openings/targets.py``).

``--every SECONDS`` repeats it in one process instead (``manage.py serve`` starts it that way with
300 beside the embedded worker). Repeating it is harmless: each event is reminded about once (``Event.reminder_sent_at``) and an offer
expires once. See ``clubs/reminders.py``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from clubs.reminders import REMINDER_AHEAD, run_event_tasks


class Command(BaseCommand):
    help = (
        "Việc định kỳ của sự kiện: chuyển chỗ của các lời mời nhận chỗ đã hết hạn cho người tiếp theo, rồi gửi "
        f"nhắc lịch (thông báo và email) cho người đã có chỗ ở các sự kiện bắt đầu trong "
        f"{int(REMINDER_AHEAD.total_seconds() // 3600)} giờ tới, mỗi sự kiện một lần. Chạy vài phút một lần (cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, metavar="SECONDS",
                            help="chạy lặp lại sau mỗi SECONDS giây (thay cho cron; `serve` dùng 300)")

    def _openings_tasks(self) -> list[str]:
        """Today's value of every target (refreshed on each pass, one row a day) and, in December, the
        yearly reminder to review planning pools before 31/12 (sent once a year)."""
        from openings.targets import planning_review_reminder, record_snapshots

        snapshots = record_snapshots()
        reminded = planning_review_reminder()
        return [f"Chỉ tiêu: đã ghi giá trị hôm nay của {snapshots} chỉ tiêu.",
                f"Nhắc rà soát quy hoạch trước 31/12: {reminded} thông báo."]

    def handle(self, *args: Any, every: int | None = None, **options: Any) -> None:
        while True:
            report = run_event_tasks()
            for line in report.lines():
                self.stdout.write(line)
            for line in self._openings_tasks():
                self.stdout.write(line)
            if not every:
                return
            close_old_connections()
            time.sleep(max(10, every))
