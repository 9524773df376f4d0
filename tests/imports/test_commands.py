"""The import commands: a JSON last line with the agreed keys, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from exams.models import ExamResult
from talent.models import Candidate

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
KEYS = {"rows", "created", "updated", "unchanged", "duplicates", "errors", "errors_detail"}


def run(*args: str) -> dict:
    out = StringIO()
    call_command(*args, "--json", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    return json.loads(last)


def test_import_exam_results_json_counts_repeats_and_is_idempotent(tmp_path) -> None:
    path = tmp_path / "diem.csv"
    path.write_text("sbd;toan;vat_li;hoa_hoc\n01000001;9;9;9\n01000001;9;9;9\n01000002;12;9;9\n", encoding="utf-8")
    first = run("import_exam_results", str(path), "--year", "2025")
    assert KEYS <= set(first)
    assert {k: first[k] for k in ("rows", "created", "updated", "unchanged", "duplicates", "errors")} == {
        "rows": 3, "created": 1, "updated": 0, "unchanged": 0, "duplicates": 1, "errors": 1}
    assert first["errors_detail"] == [{"row": 4, "column": "toan", "value": "12",
                                       "message": "Điểm phải trong khoảng 0–10."}]
    second = run("import_exam_results", str(path), "--year", "2025")
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 1)


def test_dry_run_stores_nothing(tmp_path, org_tree) -> None:
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên;Giới tính;Ngày sinh\nAn Bình;Nam;01/01/2007\n", encoding="utf-8")
    report = run("import_candidates", str(path), "--org", "S-A", "--dry-run")
    assert report["created"] == 1 and not Candidate.objects.exists()
    report = run("import_candidates", str(path), "--org", "s-a")
    assert report["created"] == 1 and Candidate.objects.get().organization == org_tree.school_a


def test_human_summary_without_json(tmp_path, org_tree) -> None:
    path = tmp_path / "ds.csv"
    path.write_text("Họ và tên;Giới tính;Ngày sinh\nAn Bình;Nam;30/02/2007\n", encoding="utf-8")
    out = StringIO()
    call_command("import_candidates", str(path), "--org", "S-A", stdout=out)
    assert "lỗi 1" in out.getvalue() and "30/02/2007" in out.getvalue()


@pytest.mark.parametrize(("args", "needle"), [
    (("import_exam_results", "missing.csv", "--year", "2025"), "Không tìm thấy tệp"),
    (("import_candidates", "{file}", "--org", "NOPE"), "Không có đơn vị"),
    (("import_exam_results", "{junk}", "--year", "2025"), "không phải bảng"),
    (("import_exam_results", "{file}", "--year", "1990"), "Năm thi"),
])
def test_unusable_input_is_a_command_error(tmp_path, org_tree, args, needle) -> None:
    good = tmp_path / "ok.csv"
    good.write_text("sbd,toan\n01000001,5\n", encoding="utf-8")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 50)
    args = tuple(a.format(file=good, junk=junk) for a in args)
    with pytest.raises(CommandError) as excinfo:
        call_command(*args, stdout=StringIO())
    assert needle in str(excinfo.value)
    assert not ExamResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_junk_file_exits_non_zero_with_one_line_and_no_traceback(tmp_path) -> None:
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 10)  # looks like a workbook, is not one
    env_db = tmp_path / "cmd.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{env_db}", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    done = subprocess.run([sys.executable, "manage.py", "import_exam_results", str(junk), "--year", "2025", "--json"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    lines = [line for line in done.stderr.strip().splitlines() if line]
    assert len(lines) == 1 and "Excel" in lines[0]


def test_prune_imports_deletes_old_uploads_and_their_reports(tmp_path, org_tree, settings) -> None:
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from core.models import Job
    from imports.models import ImportBatch
    from imports.report import error_report_path

    job = Job.objects.create(kind="imports.run")
    report = error_report_path(job.pk)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text("x", encoding="utf-8")
    old = ImportBatch(kind="candidates", original_name="cu.csv", organization=org_tree.school_a,
                      state=ImportBatch.State.COMMITTED, validate_job=job,
                      created_at=timezone.now() - dt.timedelta(days=40))
    old.file.save("cu.csv", SimpleUploadedFile("cu.csv", b"a,b\n"), save=True)
    recent = ImportBatch(kind="candidates", original_name="moi.csv", organization=org_tree.school_a,
                         state=ImportBatch.State.COMMITTED)
    recent.file.save("moi.csv", SimpleUploadedFile("moi.csv", b"a,b\n"), save=True)
    old_path = Path(old.file.path)
    out = StringIO()
    call_command("prune_imports", "--days", "30", stdout=out)
    assert "Deleted 1 import" in out.getvalue()
    assert list(ImportBatch.objects.all()) == [recent]
    assert not old_path.exists() and not report.exists() and Path(recent.file.path).exists()
