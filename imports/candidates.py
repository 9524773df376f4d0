"""Import of candidate lists sent by universities and Youth Union units (CSV or XLSX).

Two steps with one code path: ``dry_run=True`` validates and previews, ``dry_run=False`` stores.

How a row finds its record (documented in the README):
1. the citizen-ID hash, else the exam number + year: the same person, whatever the name says;
2. otherwise the same folded name and date of birth *in the same unit*, when that record holds no
   conflicting identifier: the same person sent again (so re-importing a list without IDs creates
   nothing, and a later list with IDs fills them in);
3. otherwise a new record. If it resembles a record elsewhere (name + date of birth in another unit,
   or the same email or phone), a merge suggestion is filed for a person to decide.

A matched record is updated only in the fields whose cells are filled and differ; an empty cell never
blanks a stored value. A row repeating an earlier row exactly is a duplicate; one that names an
identifier already used by a different earlier row is an error. A record outside the importer's scope
is never changed (the row is refused).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_noop

from core.crypto import pii_hash
from core.text import fold
from imports import parsing
from imports.kinds import candidates_imported
from imports.parsing import CellError
from imports.reading import Column, UnusableFile, read_table
from imports.report import PREVIEW_ROWS, ImportReport, Progress, no_progress
from talent.models import Candidate, MergeSuggestion, Organization
from talent.permissions import can_manage_candidates
from talent.services import _apply_candidate_fields, _clean_candidate, candidate_update, candidates_bulk_register

# (key, header, aliases, required). The key is a candidate field, or "organization_code".
CANDIDATE_COLUMNS: tuple[Column, ...] = (
    Column("full_name", "Họ và tên", ("Họ tên", "Họ và tên học sinh", "Họ và tên sinh viên", "Full name", "Name",
                                      "Họ và tên ứng viên"), required=True),
    Column("gender", "Giới tính", ("Phái", "Nam/Nữ", "Gender", "GT", "Giới"), required=True),
    Column("date_of_birth", "Ngày sinh", ("Ngày tháng năm sinh", "Sinh ngày", "Date of birth", "DOB", "NS"),
           required=True),
    Column("citizen_id", "Số CCCD", ("CCCD", "Căn cước công dân", "Số căn cước", "Số định danh cá nhân",
                                     "CMND/CCCD", "Số CMND/CCCD", "Citizen ID")),
    Column("exam_number", "Số báo danh", ("SBD", "Số báo danh thi THPT", "Exam number")),
    Column("exam_year", "Năm thi", ("Năm thi THPT", "Năm dự thi", "Exam year")),
    Column("email", "Email", ("E-mail", "Thư điện tử", "Địa chỉ email")),
    Column("phone", "Điện thoại", ("Số điện thoại", "SĐT", "SDT", "Di động", "Phone", "Điện thoại di động")),
    Column("ethnicity", "Dân tộc", ("Ethnicity",)),
    Column("province_code", "Tỉnh/thành", ("Tỉnh/Thành phố", "Tỉnh", "Tỉnh thành", "Province")),
    Column("home_address", "Địa chỉ thường trú", ("Địa chỉ", "Thường trú", "Address")),
    Column("youth_union_member", "Đoàn viên", ("Là đoàn viên", "Đoàn viên (Có/Không)")),
    Column("aspirations", "Nguyện vọng", ("Nguyện vọng nghề nghiệp",)),
    Column("organization_code", "Mã đơn vị", ("Mã trường", "Mã đơn vị quản lý", "Unit code")),
    # The file's own ordinal, read only to say where a problem is ("dòng 3 (STT 2)"); never imported.
    Column("ordinal", "STT", ("TT", "Số thứ tự", "No", "No.", "Số TT")),
)
COLUMN_BY_KEY = {c.key: c for c in CANDIDATE_COLUMNS}
# Explanations for the template's instructions sheet, one per column.
COLUMN_HELP: dict[str, str] = {
    "full_name": "Bắt buộc. Họ, chữ đệm và tên đầy đủ, có dấu.",
    "gender": "Bắt buộc. Nam hoặc Nữ.",
    "date_of_birth": "Bắt buộc. Dạng dd/mm/yyyy, ví dụ 05/09/2007.",
    "citizen_id": "12 chữ số. Dùng để nhận ra người đã có hồ sơ; nên nhập dạng văn bản để giữ số 0 ở đầu.",
    "exam_number": "8 chữ số của kỳ thi tốt nghiệp THPT (giữ số 0 ở đầu). Cần kèm Năm thi.",
    "exam_year": "Năm dự thi tốt nghiệp THPT, ví dụ 2025.",
    "email": "Địa chỉ email cá nhân.",
    "phone": "Số di động Việt Nam, ví dụ 0912345678.",
    "ethnicity": "Tên dân tộc theo danh mục 54 dân tộc, ví dụ Kinh, Tày, Ê Đê.",
    "province_code": "Tên tỉnh/thành hiện hành hoặc trước sáp nhập (ví dụ Bình Dương → TP. Hồ Chí Minh).",
    "home_address": "Địa chỉ thường trú.",
    "youth_union_member": "Có hoặc Không.",
    "aspirations": "Nguyện vọng học tập, nghề nghiệp (không bắt buộc).",
    "organization_code": "Không bắt buộc. Mã đơn vị trực thuộc đơn vị nhận (ví dụ mã một khoa); để trống thì "
                         "ghi vào đơn vị đã chọn khi nhập.",
}
_PARSERS = {
    "gender": parsing.parse_gender,
    "date_of_birth": parsing.parse_date,
    "citizen_id": lambda text: parsing.digits_id(text, 12),
    "exam_number": lambda text: parsing.digits_id(text, 8),
    "exam_year": parsing.parse_year,
    "ethnicity": parsing.parse_ethnicity,
    "province_code": parsing.parse_province,
    "youth_union_member": parsing.parse_bool,
}
_IDENTITY_FIELDS = ("citizen_id", "exam_number")


@dataclass
class _Row:
    number: int
    data: dict[str, Any]  # candidate fields from the filled cells
    organization: Organization
    explicit_organization: bool = False  # the row named its unit (a unit-code cell)
    citizen_hash: str = ""
    exam_key: tuple[str, int] | None = None
    weak_key: tuple[str, Any, int] | None = None  # (folded name, date of birth, organization id)
    existing: Candidate | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    status: str = "new"


def _fail(report: ImportReport, row: int, headers: dict[str, str], key: str, value: Any, message: str) -> None:
    report.error(row, headers.get(key, COLUMN_BY_KEY[key].label if key in COLUMN_BY_KEY else key), value, message)


class _Organizations:
    """Resolves the optional unit-code column: a unit inside the chosen one, looked up once."""

    def __init__(self, root: Organization) -> None:
        self.root = root
        self._cache: dict[str, Organization | None] = {}

    def get(self, code: str) -> Organization | None:
        key = code.strip().upper()
        if key not in self._cache:
            self._cache[key] = Organization.objects.filter(code__iexact=key, path__startswith=self.root.path).first()
        return self._cache[key]


def _parse_row(number: int, cells: dict[str, str], headers: dict[str, str], report: ImportReport,
               units: _Organizations) -> _Row | None:
    """The filled cells as candidate fields, checked by the same rules as the forms; None on a problem."""
    data: dict[str, Any] = {}
    ok = True
    organization = units.root
    for key, raw in cells.items():
        if not raw:
            continue
        if key == "organization_code":
            unit = units.get(raw)
            if unit is None:
                ok = False
                _fail(report, number, headers, key, raw, f"Không có đơn vị mã «{raw}» thuộc {units.root.name}.")
            else:
                organization = unit
            continue
        parser = _PARSERS.get(key)
        try:
            data[key] = parser(raw) if parser else raw
        except CellError as exc:
            ok = False
            _fail(report, number, headers, key, raw, str(exc))
    for key in ("full_name", "gender", "date_of_birth"):
        if key in headers and not cells.get(key):
            ok = False
            _fail(report, number, headers, key, "", f"Thiếu {COLUMN_BY_KEY[key].label.lower()} (bắt buộc).")
    if not ok:
        return None
    if data.get("exam_number") and not data.get("exam_year"):
        ok = False
        _fail(report, number, headers, "exam_year", "", "Cần năm thi khi có số báo danh.")
    try:
        clean = _clean_candidate(data, instance=None)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            _fail(report, number, headers, key, cells.get(key, ""), messages[0])
        return None
    if not ok:
        return None
    row = _Row(number=number, data=clean, organization=organization,
               explicit_organization=bool(cells.get("organization_code")))
    if clean.get("citizen_id"):
        row.citizen_hash = pii_hash(clean["citizen_id"])
    if clean.get("exam_number"):
        row.exam_key = (clean["exam_number"], int(clean["exam_year"]))
    row.weak_key = (fold(clean["full_name"]), clean["date_of_birth"], organization.pk)
    return row


def _find_existing(rows: list[_Row]) -> tuple[dict[str, Candidate], dict[tuple[str, int], Candidate],
                                               dict[tuple[str, Any, int], list[Candidate]]]:
    """Stored records sharing an identifier or a name + birth date with the rows, a few queries per 500 rows."""
    by_hash: dict[str, Candidate] = {}
    by_exam: dict[tuple[str, int], Candidate] = {}
    by_weak: dict[tuple[str, Any, int], list[Candidate]] = {}
    stored = Candidate.objects.active().select_related("organization")
    for start in range(0, len(rows), 500):
        chunk = rows[start:start + 500]
        hashes = [r.citizen_hash for r in chunk if r.citizen_hash]
        for c in stored.filter(citizen_id_hash__in=hashes):
            by_hash[c.citizen_id_hash] = c
        numbers = [r.exam_key[0] for r in chunk if r.exam_key]
        for c in stored.filter(exam_number__in=numbers):
            by_exam[(c.exam_number, c.exam_year)] = c
        names = {r.weak_key[0] for r in chunk if r.weak_key}
        for c in stored.filter(name_key__in=names):
            by_weak.setdefault((c.name_key, c.date_of_birth, c.organization_id), []).append(c)
    return by_hash, by_exam, by_weak


def _conflicts(row: _Row, candidate: Candidate) -> bool:
    """The stored record carries an identifier that says it is somebody else."""
    if row.citizen_hash and candidate.citizen_id_hash and row.citizen_hash != candidate.citizen_id_hash:
        return True
    return bool(row.exam_key and candidate.exam_number and row.exam_key != (candidate.exam_number,
                                                                            candidate.exam_year))


def _changes(row: _Row) -> dict[str, Any]:
    """Fields the row would change on its stored record (filled cells only)."""
    data = dict(row.data)
    if row.explicit_organization and row.organization.pk != row.existing.organization_id:
        data["organization"] = row.organization
    clean = _clean_candidate(data, instance=row.existing)
    changed = _apply_candidate_fields(copy.copy(row.existing), clean)
    return {key: data[key] for key in changed}


def _match(rows: list[_Row], report: ImportReport, headers: dict[str, str], actor: Any) -> list[_Row]:
    """Decide for each row: new record, update, unchanged, or refused. Returns the rows to keep."""
    by_hash, by_exam, by_weak = _find_existing(rows)
    ids = {c.pk for c in by_hash.values()} | {c.pk for c in by_exam.values()} | {
        c.pk for group in by_weak.values() for c in group}
    in_scope = set(Candidate.objects.for_user(actor).filter(pk__in=ids).values_list("pk", flat=True)) if (
        actor is not None) else ids
    claimed: dict[int, int] = {}  # record id → the row that matched it first
    kept: list[_Row] = []
    for row in rows:
        strong = by_hash.get(row.citizen_hash) if row.citizen_hash else None
        by_number = by_exam.get(row.exam_key) if row.exam_key else None
        if strong and by_number and strong.pk != by_number.pk:
            _fail(report, row.number, headers, "exam_number", row.data["exam_number"],
                  "Số CCCD và số báo danh thuộc hai hồ sơ khác nhau; hãy kiểm tra lại.")
            continue
        existing = strong or by_number
        key_column = "citizen_id" if strong else "exam_number"
        if existing is None:
            weak = [c for c in by_weak.get(row.weak_key, []) if not _conflicts(row, c)]
            if len(weak) > 1:
                _fail(report, row.number, headers, "full_name", row.data["full_name"],
                      f"Đơn vị đã có {len(weak)} hồ sơ cùng họ tên và ngày sinh; thêm số CCCD để phân biệt.")
                continue
            existing = weak[0] if weak else None
            key_column = "full_name"
        if existing is not None:
            if existing.pk not in in_scope:
                _fail(report, row.number, headers, key_column, row.data.get(key_column, ""),
                      "Người này đã có hồ sơ ở đơn vị ngoài phạm vi quản lý của bạn; hãy liên hệ cán bộ Đoàn "
                      "cấp trên để chuyển hồ sơ.")
                continue
            if existing.pk in claimed:
                _fail(report, row.number, headers, key_column, row.data.get(key_column, ""),
                      f"Dòng {claimed[existing.pk]} đã nhập cho cùng một người.")
                continue
            claimed[existing.pk] = row.number
            row.existing = existing
            try:
                row.changes = _changes(row)
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    _fail(report, row.number, headers, key, row.data.get(key, ""), messages[0])
                continue
            row.status = "update" if row.changes else "unchanged"
        kept.append(row)
    return kept


def _dedupe_in_file(rows: list[tuple[_Row, tuple]], report: ImportReport, headers: dict[str, str]) -> list[_Row]:
    """Exact repeats are duplicates; a different row reusing an earlier row's identifier is an error."""
    seen_content: set[tuple] = set()
    first: dict[Any, tuple[int, tuple]] = {}
    kept: list[_Row] = []
    for row, content in rows:
        if content in seen_content:
            report.duplicates += 1
            continue
        seen_content.add(content)
        problem = None
        keys = [("citizen_id", row.citizen_hash and ("cid", row.citizen_hash)),
                ("exam_number", row.exam_key and ("exam", row.exam_key))]
        if not row.citizen_hash and not row.exam_key:
            keys.append(("full_name", ("weak", row.weak_key)))
        for column, key in keys:
            if key and key in first and problem is None:
                problem = (column, first[key][0])
        if problem:
            column, other = problem
            _fail(report, row.number, headers, column, row.data.get(column, ""),
                  f"Trùng với {report.where(other)} nhưng khác thông tin; hãy giữ một dòng.")
            continue
        for _, key in keys:
            if key:
                first.setdefault(key, (row.number, content))
        kept.append(row)
    return kept


def _probable_duplicates(created: list[Candidate], source: str) -> list[MergeSuggestion]:
    """New records resembling stored ones: name + birth date in another unit, or the same email/phone."""
    suggestions: list[MergeSuggestion] = []
    if not created:
        return suggestions
    new_ids = [c.pk for c in created]
    for start in range(0, len(created), 500):
        chunk = created[start:start + 500]
        names = {c.name_key for c in chunk}
        emails = {c.email for c in chunk if c.email}
        phones = {c.phone for c in chunk if c.phone}
        others = Candidate.objects.active().exclude(pk__in=new_ids).filter(
            Q(name_key__in=names) | Q(email__in=emails) | Q(phone__in=phones))
        others = list(others.only("pk", "name_key", "date_of_birth", "email", "phone", "organization_id"))
        for candidate in chunk:
            for other in others:
                reasons = []
                if other.name_key == candidate.name_key and other.date_of_birth == candidate.date_of_birth:
                    reasons.append(MergeSuggestion.Reason.NAME_AND_BIRTH.value)
                if candidate.email and other.email == candidate.email:
                    reasons.append(MergeSuggestion.Reason.EMAIL.value)
                if candidate.phone and other.phone == candidate.phone:
                    reasons.append(MergeSuggestion.Reason.PHONE.value)
                if reasons:
                    suggestions.append(MergeSuggestion(candidate=candidate, other=other, reasons=reasons,
                                                       source=source[:120]))
    return suggestions


def _preview(rows: list[_Row], report: ImportReport) -> None:
    for row in rows[:PREVIEW_ROWS]:
        report.preview.append({
            "row": row.number, "status": row.status, "full_name": row.data["full_name"],
            "date_of_birth": row.data["date_of_birth"].strftime("%d/%m/%Y"),
            "organization": row.organization.name,
            "changes": sorted(row.changes),
        })


def check_may_import(actor: Any, organization: Organization) -> None:
    """Only staff import candidates, and only into a unit inside their own scope."""
    if actor is None:
        return
    if not can_manage_candidates(actor):
        raise PermissionDenied("Vai trò của bạn không được nhập danh sách ứng viên.")
    if not Organization.objects.for_user(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied("Đơn vị này nằm ngoài phạm vi quản lý của bạn.")


def import_candidates(
    path: str | Path, *, organization: Organization, actor: Any = None, dry_run: bool = False,
    all_or_nothing: bool = False, progress: Progress = no_progress, original_name: str | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Validate (``dry_run``) or store a candidate list into ``organization``.

    Raises UnusableFile when the file cannot be read and PermissionDenied when the actor may not
    import into ``organization``. Row problems are in the report; with ``all_or_nothing`` any
    problem means nothing is stored.
    """
    check_may_import(actor, organization)
    report = report or ImportReport()
    name = original_name or Path(path).name
    units = _Organizations(organization)
    parsed: list[tuple[_Row, tuple]] = []
    with read_table(path, CANDIDATE_COLUMNS, original_name=original_name) as table:
        headers = table.headers
        total = table.total_hint
        for number, cells in table.rows:
            report.rows += 1
            report.note_ordinal(number, cells.pop("ordinal", ""))
            row = _parse_row(number, cells, headers, report, units)
            if row is not None:
                parsed.append((row, tuple(sorted(cells.items()))))
            if report.rows % 200 == 0:
                progress(report.rows, total, gettext_noop("Đang kiểm tra từng dòng"))
    if report.rows == 0:
        raise UnusableFile("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")
    progress(report.rows, report.rows, gettext_noop("Đang đối chiếu với hồ sơ đã có"))
    unique = _dedupe_in_file(parsed, report, headers)
    matched = _match(unique, report, headers, actor)
    report.rejected = report.rows - report.duplicates - len(matched)
    report.created = sum(1 for r in matched if r.status == "new")
    report.updated = sum(1 for r in matched if r.status == "update")
    report.unchanged = sum(1 for r in matched if r.status == "unchanged")
    _preview(matched, report)
    if all_or_nothing and report.errors:
        # Nothing is written, and nothing is said to be unchanged that was not: the rows that would have
        # created or changed a record are counted as held back, each still marked new/update in the preview.
        report.held = report.created + report.updated
        report.message = (f"Không ghi dòng nào vì tệp còn lỗi (đã chọn chỉ ghi khi không có lỗi): {report.held} dòng "
                          f"hợp lệ ({report.created} mới, {report.updated} cập nhật) chưa được ghi.")
        report.created = report.updated = 0
        return report
    if dry_run:
        return report
    source = f"Nhập từ tệp {name}"
    with transaction.atomic():
        for row in matched:
            if row.status == "update":
                candidate_update(candidate=row.existing, actor=actor, **row.changes)
        new_rows = [r for r in matched if r.status == "new"]
        created = candidates_bulk_register(
            rows=[{**r.data, "organization": r.organization, "reason": source} for r in new_rows], actor=actor,
        ) if new_rows else []
        suggestions = _probable_duplicates(created, source)
        MergeSuggestion.objects.bulk_create(suggestions, ignore_conflicts=True)
        visible = set(Candidate.objects.for_user(actor).values_list("pk", flat=True).filter(
            pk__in=[s.other_id for s in suggestions])) if actor is not None else {s.other_id for s in suggestions}
        report.merge_suggestions = sum(1 for s in suggestions if s.other_id in visible)
        years = {r.exam_key[1] for r in matched if r.exam_key and r.status != "unchanged"}
        if years:
            candidates_imported.send(sender=ImportReport, years=sorted(years), actor=actor)
    report.committed = True
    return report
