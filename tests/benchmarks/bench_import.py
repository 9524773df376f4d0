"""Exam-results import at scale: the real path (read, check, stage with COPY, upsert) against a raw
COPY of the same cleaned rows into the same table, in the same run.

Target (issue 4): throughput ratio ≥ 0.30 on PostgreSQL, with memory bounded (the file is streamed).

    .venv/bin/python -m tests.benchmarks.bench_import --rows 1000000
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import setup_django

HEADER = "sbd,toan,ngu_van,ngoai_ngu,vat_li,hoa_hoc,sinh_hoc,lich_su,dia_li,gdcd,ma_ngoai_ngu"
# Published column → model field, in the order of HEADER after the exam number.
FIELDS = ("toan", "van", "ngoai_ngu", "li", "hoa", "sinh", "su", "dia", "gdcd")


def _score(rng: random.Random) -> str:
    return f"{rng.randint(0, 40) * 0.25:.2f}".rstrip("0").rstrip(".")


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Write a published-style file: natural or social sciences per pupil, a few blank subjects,
    0.5% repeated rows."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n")
        previous = ""
        for i in range(rows):
            if previous and rng.random() < 0.005:
                handle.write(previous)
                continue
            council = 1 + i % 64
            number = f"{council:02d}{i:06d}"
            natural = rng.random() < 0.45
            cells = [_score(rng), _score(rng), _score(rng) if rng.random() < 0.9 else ""]
            cells += [_score(rng), _score(rng), _score(rng)] if natural else ["", "", ""]
            cells += ["", "", ""] if natural else [_score(rng), _score(rng), _score(rng)]
            language = "N1" if cells[2] and rng.random() < 0.95 else ("N3" if cells[2] else "")
            previous = ",".join([number, *cells, language]) + "\n"
            handle.write(previous)


def cleaned(path: Path) -> io.StringIO:
    """The distinct rows of the file as COPY text for the target table (what the import stores)."""
    from exams.subjects import SUBJECT_FIELDS

    seen: set[str] = set()
    out = io.StringIO()
    with path.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            cells = line.rstrip("\n").split(",")
            if cells[0] in seen:
                continue
            seen.add(cells[0])
            values = dict(zip(FIELDS, cells[1:10]))
            scores = [values.get(f) or "\\N" for f in SUBJECT_FIELDS]
            out.write("\t".join(["2025", cells[0], cells[0][:2], *scores, cells[10],
                                 "2026-01-01 00:00:00+00", "2026-01-01 00:00:00+00"]) + "\n")
    out.seek(0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    setup_django(fresh=True)
    from django.db import connection

    from exams.models import ExamResult
    from exams.subjects import SUBJECT_FIELDS
    from exams.importing import import_exam_results

    table = ExamResult._meta.db_table
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "diem_thi.csv"
        started = time.perf_counter()
        generate(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"generated {args.rows:,} rows ({size_mb:.0f} MB) in {time.perf_counter() - started:.1f} s")

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        report = import_exam_results(path, year=2025)
        real_seconds = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        stored = ExamResult.objects.count()
        print(f"import: {report.rows:,} rows read, {report.created:,} created, {report.duplicates:,} repeated, "
              f"{report.errors} errors in {real_seconds:.2f} s ({stored / real_seconds:,.0f} stored rows/s); "
              f"peak memory {rss_after / 1024:.0f} MB (before: {rss_before / 1024:.0f} MB)")

        started = time.perf_counter()
        again = import_exam_results(path, year=2025)
        print(f"re-import: {again.created} created, {again.updated} updated, {again.unchanged:,} unchanged in "
              f"{time.perf_counter() - started:.2f} s")

        # The baseline: the same distinct rows, already clean, copied straight into the emptied table.
        text = cleaned(path)
        columns = ", ".join(["year", "exam_number", "council", *SUBJECT_FIELDS, "language_code", "imported_at",
                             "updated_at"])
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table}")
        connection.ensure_connection()
        started = time.perf_counter()
        with connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                while chunk := text.read(1 << 20):
                    copy.write(chunk)
        raw_seconds = time.perf_counter() - started
        copied = ExamResult.objects.count()
        print(f"raw COPY of {copied:,} cleaned rows: {raw_seconds:.2f} s ({copied / raw_seconds:,.0f} rows/s)")
        assert copied == stored == report.created, "the import must store exactly the distinct rows"
    print(f"throughput ratio (import / raw COPY): {raw_seconds / real_seconds:.2f} (goal ≥ 0.30)")


if __name__ == "__main__":
    main()
