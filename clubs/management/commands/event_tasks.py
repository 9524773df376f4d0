"""``manage.py event_tasks``: reminders for tomorrow's events and lapsed waitlist offers.

Run it every few minutes from cron or any scheduler, for example::

    */5 * * * * cd /srv/ytp && .venv/bin/python manage.py event_tasks >> /var/log/ytp/event_tasks.log 2>&1

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

    def handle(self, *args: Any, every: int | None = None, **options: Any) -> None:
        while True:
            report = run_event_tasks()
            for line in report.lines():
                self.stdout.write(line)
            if not every:
                return
            close_old_connections()
            time.sleep(max(10, every))
