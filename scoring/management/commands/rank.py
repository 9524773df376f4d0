"""``manage.py rank --rubric SLUG [--cohort ...] --top N --format table|json|csv``.

Ranks live with the rubric's active version (or ``--rubric-version N``) through the same loader and engine
as the application; ``--save`` also stores the run. With ``--format json`` the output is only a JSON
array of ``{"candidate_id", "full_name", "rank", "score", "percentile", "contributions"}``.
"""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.models import Rubric, RubricVersion
from scoring.services import cohort_parse, rank_cohort, score_run_execute
from talent.models import Candidate


class Command(BaseCommand):
    help = "Xếp hạng ứng viên theo một bộ tiêu chí và in top N (bảng, JSON hoặc CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rubric", required=True, help="mã bộ tiêu chí, ví dụ university-student")
        parser.add_argument("--cohort", default="all", help="all, org:<mã đơn vị>, year:<năm vào học>, pool:<số>")
        parser.add_argument("--top", type=int, default=20, help="số người đầu bảng (mặc định 20)")
        parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
        parser.add_argument("--rubric-version", dest="rubric_version", type=int, help="số phiên bản (mặc định: phiên bản đang áp dụng)")
        parser.add_argument("--save", action="store_true", help="lưu lượt xếp hạng để xem và tái lập sau")

    def handle(self, *args: Any, rubric: str, cohort: str, top: int, format: str, rubric_version: int | None,
               save: bool, **options: Any) -> None:
        found = Rubric.objects.filter(slug=rubric).first()
        if found is None:
            slugs = ", ".join(Rubric.objects.values_list("slug", flat=True))
            raise CommandError(f"Không có bộ tiêu chí «{rubric}». Có: {slugs}.")
        if top < 1:
            raise CommandError("--top phải từ 1 trở lên.")
        version = rubric_version
        chosen = found.versions.filter(number=version).first() if version is not None else found.active_version
        if chosen is None:
            raise CommandError(f"Bộ tiêu chí «{rubric}» không có phiên bản {version or 'đang áp dụng'}.")
        try:
            group = cohort_parse(cohort)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.message_dict.get("cohort", exc.messages))) from None
        if save:
            score_run_execute(version=chosen, cohort=group)
        ranking, _frame = rank_cohort(chosen, group)
        head = ranking.head(top)
        names = dict(Candidate.objects.filter(pk__in=[int(i) for i in head.index]).values_list("pk", "full_name"))
        keys = [c.key for c in ranking.criteria]
        rows = [{"candidate_id": int(cid), "full_name": names.get(int(cid), ""), "rank": int(row["rank"]),
                 "score": float(row["score"]), "percentile": float(row["percentile"]),
                 "contributions": {k: float(row[f"contrib:{k}"]) for k in keys}}
                for cid, row in head.iterrows()]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
        elif format == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow(["rank", "candidate_id", "full_name", "score", "percentile", *keys])
            for r in rows:
                writer.writerow([r["rank"], r["candidate_id"], r["full_name"], f"{r['score']:.4f}",
                                 f"{r['percentile']:.2f}", *(f"{r['contributions'][k]:.4f}" for k in keys)])
        else:
            self._table(chosen, group.label, ranking, rows, keys)

    def _table(self, version: RubricVersion, label: str, ranking: Any, rows: list[dict[str, Any]],
               keys: list[str]) -> None:
        out = self.stdout
        out.write(f"{version.rubric.name} (v{version.number}) — {label}: {ranking.size} người được xếp hạng, "
                  f"{len(ranking.excluded)} không đủ điều kiện")
        header = f"{'Hạng':>5}  {'Điểm':>8}  {'Bách phân':>9}  {'Mã':>7}  Họ và tên"
        out.write(header)
        out.write("-" * len(header))
        counts = ranking.table["rank"].value_counts()
        for r in rows:
            shown = f"={r['rank']}" if counts.get(r["rank"], 0) > 1 else str(r["rank"])
            out.write(f"{shown:>5}  {r['score']:>8.2f}  {r['percentile']:>9.2f}  {r['candidate_id']:>7}  "
                      f"{r['full_name']}")
        out.write("Hạng bằng nhau khi điểm bằng nhau (đến 4 chữ số thập phân), hạng kế tiếp bỏ qua số người "
                  "đồng hạng: 1, 2, 2, 4. «=» đánh dấu hạng có người đồng hạng.")
