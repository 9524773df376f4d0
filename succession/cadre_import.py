"""Import of a cadre list (danh sách cán bộ) from XLSX/CSV through the import pipeline (``imports.kinds``):
the same upload, background check, preview with located errors, commit and error report as a candidate
list, for a province that arrives with hundreds of cadres in a spreadsheet.

Each row is a person and their current post. How a row finds its record:
1. the record number ("Mã hồ sơ"), else the citizen-ID hash: the same person, whatever the name says;
2. otherwise the same folded name and date of birth among the records the importer may see (one only;
   several is an error asking for the record number);
3. otherwise a new record (stage: đã tuyển dụng), in the row's unit ("Mã đơn vị", inside the chosen one)
   or the chosen unit.

The post: the same unit and title as the open post is that post (its start date and how corrected when
they differ); another one closes the open post the day before and opens the new one. Political theory
and the Party joining date update the record when filled and different. Re-importing the same file
changes nothing ("không đổi"). Only planners (administrators, personnel officers) import cadres, into a
unit in their reach; a record outside it is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_noop

from core.crypto import pii_hash
from core.text import fold
from imports import parsing
from imports.kinds import ImportKind, Target, register_kind
from imports.models import ImportBatch
from imports.parsing import CellError
from imports.reading import Column, UnusableFile, read_table
from imports.report import PREVIEW_ROWS, ImportReport, Progress, no_progress
from succession.models import PLANNERS, Position, PositionHeld
from talent.models import Candidate, Organization, Stage, user_role
from talent.services import candidate_update, candidates_bulk_register

COLUMNS: tuple[Column, ...] = (
    Column("record", "Mã hồ sơ", ("Mã ứng viên", "Mã cán bộ", "ID")),
    Column("citizen_id", "Số CCCD", ("CCCD", "Căn cước công dân", "Số định danh cá nhân", "CMND/CCCD")),
    Column("full_name", "Họ và tên", ("Họ tên", "Họ và tên cán bộ"), required=True),
    Column("gender", "Giới tính", ("Nam/Nữ", "Phái", "GT")),
    Column("date_of_birth", "Ngày sinh", ("Ngày tháng năm sinh", "Sinh ngày", "NS"), required=True),
    Column("ethnicity", "Dân tộc", ()),
    Column("organization_code", "Mã đơn vị", ("Mã cơ quan", "Mã đơn vị công tác")),
    Column("title", "Chức vụ", ("Chức vụ hiện tại", "Chức vụ hiện nay", "Chức vụ đang giữ"), required=True),
    Column("started_on", "Từ ngày", ("Giữ chức vụ từ ngày", "Ngày bổ nhiệm", "Ngày nhận chức vụ"), required=True),
    Column("how", "Hình thức", ("Hình thức bổ nhiệm", "Hình thức giữ chức vụ")),
    Column("political_theory", "Lý luận chính trị", ("Trình độ lý luận chính trị", "LLCT")),
    Column("party_joined_on", "Ngày vào Đảng", ("Ngày kết nạp Đảng",)),
    Column("ordinal", "STT", ("TT", "Số thứ tự", "Số TT")),
)
BY_KEY = {c.key: c for c in COLUMNS}
HOW = {fold(str(label)): value for value, label in PositionHeld.How.choices}
THEORY = {"so cap": "so_cap", "trung cap": "trung_cap", "cao cap": "cao_cap", "cu nhan": "cu_nhan"}


@dataclass
class _Row:
    number: int
    full_name: str
    date_of_birth: dt.date
    organization: Organization
    title: str
    started_on: dt.date
    how: str
    how_given: bool = False  # the row said how; otherwise a stored post's form is left as it is
    explicit_organization: bool = False  # the row named its unit
    person: dict[str, Any] = field(default_factory=dict)  # candidate fields from the filled cells
    record: int | None = None
    citizen_hash: str = ""
    existing: Candidate | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    post: str = "new"  # new | same | correct | replace
    status: str = "new"  # new | update | unchanged


def _fail(report: ImportReport, row: int, headers: dict[str, str], key: str, value: Any, message: str) -> None:
    report.error(row, headers.get(key, BY_KEY[key].label), value, message)


def _parse(number: int, cells: dict[str, str], headers: dict[str, str], report: ImportReport,
           root: Organization, units: dict[str, Organization | None]) -> _Row | None:
    errors = 0

    def fail(key: str, message: str) -> None:
        nonlocal errors
        errors += 1
        _fail(report, number, headers, key, cells.get(key, ""), message)

    for key in ("full_name", "date_of_birth", "title", "started_on"):
        if not cells.get(key):
            fail(key, f"Thiếu {BY_KEY[key].label.lower()} (bắt buộc).")
    values: dict[str, Any] = {}
    parsers = {"date_of_birth": parsing.parse_date, "started_on": parsing.parse_date,
               "party_joined_on": parsing.parse_date, "gender": parsing.parse_gender,
               "ethnicity": parsing.parse_ethnicity, "citizen_id": lambda text: parsing.digits_id(text, 12)}
    for key, parse in parsers.items():
        if cells.get(key):
            try:
                values[key] = parse(cells[key])
            except CellError as exc:
                fail(key, str(exc))
    record = None
    if cells.get("record"):
        if cells["record"].strip().isdigit():
            record = int(cells["record"].strip())
        else:
            fail("record", "Mã hồ sơ là một số, ví dụ 1024.")
    how = PositionHeld.How.APPOINTED
    if cells.get("how"):
        how = HOW.get(fold(cells["how"]), "")
        if not how:
            fail("how", "Hình thức là một trong: " + ", ".join(str(label) for _v, label in PositionHeld.How.choices) + ".")
    theory = ""
    if cells.get("political_theory"):
        theory = THEORY.get(fold(cells["political_theory"]).removeprefix("ly luan chinh tri ").strip(), "")
        if not theory:
            fail("political_theory", "Lý luận chính trị là Sơ cấp, Trung cấp, Cao cấp hoặc Cử nhân.")
    organization = root
    if cells.get("organization_code"):
        code = cells["organization_code"].strip().upper()
        if code not in units:
            units[code] = Organization.objects.filter(code__iexact=code, path__startswith=root.path).first()
        if units[code] is None:
            fail("organization_code", f"Không có đơn vị mã «{cells['organization_code']}» thuộc {root.name}.")
        else:
            organization = units[code]  # type: ignore[assignment]
    if errors:
        return None
    if values["started_on"] < values["date_of_birth"]:
        fail("started_on", "Ngày giữ chức vụ trước ngày sinh.")
        return None
    person = {k: values[k] for k in ("gender", "ethnicity", "citizen_id") if k in values}
    if theory:
        person["political_theory"] = theory
    if "party_joined_on" in values:
        person.update(party_member=True, party_joined_on=values["party_joined_on"])
    return _Row(number=number, full_name=" ".join(cells["full_name"].split()), date_of_birth=values["date_of_birth"],
                organization=organization, title=" ".join(cells["title"].split())[:255],
                started_on=values["started_on"], how=how, how_given=bool(cells.get("how")),
                explicit_organization=bool(cells.get("organization_code")), person=person, record=record,
                citizen_hash=pii_hash(values["citizen_id"]) if values.get("citizen_id") else "")


def _match(rows: list[_Row], report: ImportReport, headers: dict[str, str], actor: Any,
           root: Organization) -> list[_Row]:
    visible = Candidate.objects.for_user(actor).active() if actor is not None else Candidate.objects.active()
    records = {c.pk: c for c in visible.filter(pk__in=[r.record for r in rows if r.record])}
    hashes = {c.citizen_id_hash: c for c in visible.filter(citizen_id_hash__in=[r.citizen_hash for r in rows
                                                                                 if r.citizen_hash])}
    weak: dict[tuple[str, dt.date], list[Candidate]] = {}
    for c in visible.filter(name_key__in={fold(r.full_name) for r in rows}):
        weak.setdefault((c.name_key, c.date_of_birth), []).append(c)
    taken = Candidate.objects.filter(citizen_id_hash__in=[r.citizen_hash for r in rows if r.citizen_hash]) \
        .exclude(pk__in=[c.pk for c in hashes.values()]).values_list("citizen_id_hash", flat=True)
    outside = set(taken)
    open_posts = {p.candidate_id: p for p in PositionHeld.objects.filter(
        candidate__in=visible, ended_on__isnull=True).select_related("organization").order_by("started_on")}
    claimed: dict[int, int] = {}
    newcomers: dict[Any, int] = {}  # a person not on file → the row that registers them
    kept = []
    for row in rows:
        if row.record is not None:
            existing = records.get(row.record)
            if existing is None:
                _fail(report, row.number, headers, "record", row.record, "Không có hồ sơ mã này trong phạm vi của bạn.")
                continue
        elif row.citizen_hash in outside:
            _fail(report, row.number, headers, "citizen_id", "", "Người này đã có hồ sơ ở đơn vị ngoài phạm vi của bạn.")
            continue
        else:
            existing = hashes.get(row.citizen_hash) if row.citizen_hash else None
            if existing is None:
                same = weak.get((fold(row.full_name), row.date_of_birth), [])
                if len(same) > 1:
                    _fail(report, row.number, headers, "full_name", row.full_name,
                          f"Có {len(same)} hồ sơ cùng họ tên và ngày sinh; ghi mã hồ sơ để phân biệt.")
                    continue
                existing = same[0] if same else None
        if existing is None:
            if "gender" not in row.person:
                _fail(report, row.number, headers, "gender", "", "Người chưa có hồ sơ: cần ghi giới tính.")
                continue
            key = row.citizen_hash or (fold(row.full_name), row.date_of_birth)
            if key in newcomers:
                _fail(report, row.number, headers, "full_name", row.full_name,
                      f"Dòng {newcomers[key]} đã nhập cho cùng một người.")
                continue
            newcomers[key] = row.number
            kept.append(row)
            continue
        if existing.pk in claimed:
            _fail(report, row.number, headers, "full_name", row.full_name, f"Dòng {claimed[existing.pk]} đã nhập cho "
                                                                            "cùng một người.")
            continue
        claimed[existing.pk] = row.number
        row.existing = existing
        row.changes = {k: v for k, v in row.person.items()
                       if k not in ("citizen_id", "gender") and getattr(existing, k) != v}
        current = open_posts.get(existing.pk)
        # Without a unit code the row means "somewhere under the chosen unit": the open post in a unit
        # below it, with the same title, is that post.
        same_unit = current is not None and (current.organization_id == row.organization.pk or (
            not row.explicit_organization and current.organization.path.startswith(root.path)))
        if current is None:
            row.post = "new"
        elif same_unit and fold(current.title) == fold(row.title):
            row.organization = current.organization
            if not row.how_given:
                row.how = current.how
            row.post = "same" if (current.started_on, current.how) == (row.started_on, row.how) else "correct"
        elif row.started_on <= current.started_on:
            _fail(report, row.number, headers, "started_on", row.started_on.strftime("%d/%m/%Y"),
                  f"Chức vụ hiện tại ({current.title}) bắt đầu ngày {current.started_on:%d/%m/%Y}; chức vụ mới phải "
                  "bắt đầu sau ngày đó.")
            continue
        else:
            row.post = "replace"
        row.status = "unchanged" if row.post == "same" and not row.changes else "update"
        kept.append(row)
    return kept


def _store(rows: list[_Row], actor: Any, source: str) -> None:
    new = [r for r in rows if r.status == "new"]
    created = candidates_bulk_register(rows=[{
        "full_name": r.full_name, "date_of_birth": r.date_of_birth, "organization": r.organization,
        "stage": Stage.RECRUITED, "reason": source, **r.person} for r in new], actor=actor) if new else []
    for row, candidate in zip(new, created, strict=True):
        row.existing = candidate
    positions = {(p.organization_id, fold(p.title)): p for p in Position.objects.filter(
        organization__in={r.organization.pk for r in rows})}
    for row in rows:
        if row.status == "unchanged":
            continue
        if row.changes:
            candidate_update(candidate=row.existing, actor=actor, **row.changes)
        position = positions.get((row.organization.pk, fold(row.title)))
        current = PositionHeld.objects.filter(candidate=row.existing, ended_on__isnull=True).order_by("started_on").last()
        if row.post == "correct" and current is not None:
            current.started_on, current.how, current.position = row.started_on, row.how, position or current.position
            current.save(update_fields=["started_on", "how", "position"])
            continue
        if row.post == "same":
            continue
        if row.post == "replace" and current is not None:
            PositionHeld.objects.filter(candidate=row.existing, ended_on__isnull=True).update(
                ended_on=row.started_on - dt.timedelta(days=1))
        PositionHeld.objects.create(candidate=row.existing, organization=row.organization, title=row.title,
                                    position=position, started_on=row.started_on, how=row.how)


def check_may_import_cadres(actor: Any, organization: Organization | None) -> None:
    if actor is not None and user_role(actor) not in PLANNERS:
        raise PermissionDenied("Chỉ cán bộ tổ chức và quản trị viên nhập danh sách cán bộ.")
    if organization is None:
        raise ValidationError({"organization": "Hãy chọn đơn vị nhận danh sách."})
    if actor is not None and not Organization.objects.for_user(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied("Đơn vị này nằm ngoài phạm vi quản lý của bạn.")


def import_cadres(path: str | Path, *, organization: Organization, actor: Any = None, dry_run: bool = False,
                  all_or_nothing: bool = False, progress: Progress = no_progress, original_name: str | None = None,
                  report: ImportReport | None = None) -> ImportReport:
    """Validate (``dry_run``) or store a cadre list into ``organization``; row problems are in the report."""
    check_may_import_cadres(actor, organization)
    report = report or ImportReport()
    units: dict[str, Organization | None] = {}
    parsed: list[_Row] = []
    seen: dict[tuple[Any, ...], int] = {}
    with read_table(path, COLUMNS, original_name=original_name) as table:
        headers = table.headers
        for number, cells in table.rows:
            report.rows += 1
            report.note_ordinal(number, cells.pop("ordinal", ""))
            key = tuple(sorted(cells.items()))
            if key in seen:
                report.duplicates += 1
                continue
            seen[key] = number
            row = _parse(number, cells, headers, report, organization, units)
            if row is not None:
                parsed.append(row)
            if report.rows % 200 == 0:
                progress(report.rows, table.total_hint, gettext_noop("Đang kiểm tra từng dòng"))
    if report.rows == 0:
        raise UnusableFile("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")
    progress(report.rows, report.rows, gettext_noop("Đang đối chiếu với hồ sơ đã có"))
    matched = _match(parsed, report, headers, actor, organization)
    report.rejected = report.rows - report.duplicates - len(matched)
    report.created = sum(1 for r in matched if r.status == "new")
    report.updated = sum(1 for r in matched if r.status == "update")
    report.unchanged = sum(1 for r in matched if r.status == "unchanged")
    for row in matched[:PREVIEW_ROWS]:
        report.preview.append({"row": row.number, "status": row.status, "full_name": row.full_name,
                               "date_of_birth": row.date_of_birth.strftime("%d/%m/%Y"),
                               "organization": row.organization.name,
                               "changes": [f"{row.title} từ {row.started_on:%d/%m/%Y}"] if row.post != "same" else []})
    if all_or_nothing and report.errors:
        report.message = "Không ghi dòng nào vì tệp còn lỗi (đã chọn chỉ ghi khi không có lỗi)."
        report.created = report.updated = 0
        report.unchanged = len(matched)
        return report
    if dry_run:
        return report
    with transaction.atomic():
        _store(matched, actor, f"Nhập danh sách cán bộ từ tệp {original_name or Path(path).name}")
    report.committed = True
    return report


# --- The pipeline's kind ----------------------------------------------------------------------------------

def _check(actor: Any, target: Target) -> Target:
    check_may_import_cadres(actor, target.organization)
    return Target(organization=target.organization)


def _run(batch: ImportBatch, actor: Any, dry_run: bool, progress: Progress, report: ImportReport) -> None:
    import_cadres(batch.file.path, organization=batch.organization, actor=actor, dry_run=dry_run,
                  all_or_nothing=batch.all_or_nothing, progress=progress, original_name=batch.original_name,
                  report=report)


def _preview(batch: ImportBatch) -> dict[str, Any]:
    rows = batch.report.get("preview") or []
    labels = {"new": _("Mới"), "update": _("Cập nhật"), "unchanged": _("Không đổi")}
    return {"preview_count": len(rows),
            "done_links": [(_("Xem cán bộ đến hạn luân chuyển"), reverse("succession-rotation"))],
            "candidate_rows": [{**r, "status_label": labels.get(r.get("status"), "")} for r in rows]}


def register() -> None:
    register_kind(ImportKind(
        key=ImportBatch.Kind.CADRES, offered_to=lambda user: user_role(user) in PLANNERS, check=_check, run=_run,
        preview=_preview, validate_label=gettext_noop("Kiểm tra danh sách cán bộ"),
        commit_label=gettext_noop("Nhập danh sách cán bộ"), created_label=gettext_noop("Hồ sơ mới"),
        uses=frozenset({"organization", "all_or_nothing"}),
    ))
