"""``manage.py event_tasks``: the periodic work of every app (``core.periodic``), in one pass.

Run it every few minutes from cron or any scheduler, for example::

    */5 * * * * cd /srv/ytp && .venv/bin/python manage.py event_tasks >> /var/log/ytp/event_tasks.log 2>&1

What runs is what the apps registered: lapsed waitlist offers and reminders for tomorrow's events
(``clubs``), today's value of every target and the December reminder to review planning
(``openings``), and whatever later apps add. ``--every SECONDS`` repeats it in one process instead
(``manage.py serve`` starts it that way with 300 beside the embedded worker). Repeating it is
harmless: every registered task is safe to run again.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from core.periodic import run_periodic


class Command(BaseCommand):
    help = (
        "Việc định kỳ của các phân hệ: chuyển chỗ của lời mời nhận chỗ đã hết hạn, nhắc lịch sự kiện sắp diễn ra, "
        "ghi giá trị chỉ tiêu hằng ngày và các nhắc việc hằng năm. Chạy vài phút một lần (cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, metavar="SECONDS",
                            help="chạy lặp lại sau mỗi SECONDS giây (thay cho cron; `serve` dùng 300)")

    def handle(self, *args: Any, every: int | None = None, **options: Any) -> None:
        while True:
            for line in run_periodic():
                self.stdout.write(line)
            if not every:
                return
            close_old_connections()
            time.sleep(max(10, every))
