"""``manage.py seed_demo``: every app's demo seeder in order (the demo city of ``talent.demo`` first),
then the table of demo accounts.

The seeders are registered by the apps themselves (``core.seeding``, from each ``AppConfig.ready``),
so this command names none of them. ``make run`` calls it with ``--if-empty`` on every start and
relies on the accounts table at the end, so that table is printed whether or not anything was seeded.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.seeding import SeedContext
from talent.demo import (
    DEFAULT_CANDIDATES,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    demo_conflicts,
    run_demo_seeders,
    write_demo_accounts,
)
from talent.models import Organization


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu demo có thể tái lập cho TP. Hồ Chí Minh: cây tổ chức Đoàn, trường học, cơ quan, "
        "ứng viên kèm hồ sơ, lịch sử giai đoạn và sự đồng ý xử lý dữ liệu, nguồn nhân tài và các tài khoản demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=f"Hạt giống ngẫu nhiên; cùng hạt giống cho cùng dữ liệu (mặc định {DEFAULT_SEED}).")
        parser.add_argument("--candidates", type=int, default=DEFAULT_CANDIDATES,
                            help=f"Số ứng viên cần tạo (mặc định {DEFAULT_CANDIDATES}).")
        parser.add_argument("--if-empty", action="store_true",
                            help="Chỉ tạo khi cơ sở dữ liệu chưa có đơn vị nào; luôn in bảng tài khoản demo.")
        parser.add_argument("--yes-demo", action="store_true",
                            help=f"Cho phép tạo tài khoản demo (mật khẩu «{DEMO_PASSWORD}») khi DEBUG tắt.")

    def handle(self, *args: Any, seed: int, candidates: int, if_empty: bool, yes_demo: bool,
               **options: Any) -> None:
        if if_empty and Organization.objects.exists():
            self.stdout.write("Cơ sở dữ liệu đã có đơn vị: bỏ qua bước tạo dữ liệu demo.")
            write_demo_accounts(self.stdout)
            return
        if not settings.DEBUG and not yes_demo:
            raise CommandError(
                f"Từ chối tạo tài khoản demo (mật khẩu «{DEMO_PASSWORD}») khi DEBUG đang tắt: đây có thể là "
                "hệ thống thật. Nếu chắc chắn đây là môi trường demo, chạy lại với --yes-demo."
            )
        if candidates < 1:
            raise CommandError("--candidates phải từ 1 trở lên (ứng viên đầu tiên gắn với tài khoản «student»).")
        problems = demo_conflicts()
        if problems:
            raise CommandError(
                " ".join(problems) + " Hãy dùng một cơ sở dữ liệu trống, hoặc thêm --if-empty để bỏ qua."
            )
        run_demo_seeders(SeedContext(seed=seed, candidates=candidates, create_accounts=True, stdout=self.stdout))
        write_demo_accounts(self.stdout)
