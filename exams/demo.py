"""Demo files: a published-style exam score file (imported through the real path) and a messy
candidate list to try the import pages with. Deterministic for a seed."""

from __future__ import annotations

import random
from pathlib import Path

from django.conf import settings

from core.crypto import pii_decrypt
from exams.importing import import_exam_results
from imports.report import ImportReport
from talent.geo import LEGACY_PROVINCES
from talent.models import Candidate, Organization
from core.seeding import SeedContext
from talent.demo import SHOWCASE_UNIVERSITY

DEMO_DIR = "demo"
OTHERS = 12_000
HEADER = "sbd,toan,ngu_van,ngoai_ngu,vat_li,hoa_hoc,sinh_hoc,lich_su,dia_li,gdcd,ma_ngoai_ngu"
_BIG_COUNCILS = {"01": 10.0, "02": 14.0, "44": 3.0, "52": 2.0}  # Hà Nội, TP.HCM, Bình Dương, BR-VT


def demo_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / DEMO_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def _score(rng: random.Random, mean: float, spread: float, cap: float = 10.0) -> str:
    value = min(cap, max(0.0, rng.gauss(mean, spread)))
    text = f"{round(value * 4) / 4:.2f}".rstrip("0").rstrip(".")
    return text


def _row(rng: random.Random, number: str, mean: float, cap: float) -> str:
    natural = rng.random() < 0.5
    toan, van = _score(rng, mean, 1.3, cap), _score(rng, mean, 1.1, cap)
    english = _score(rng, mean - 0.4, 1.6, cap) if rng.random() < 0.92 else ""
    sciences = [_score(rng, mean, 1.4, cap) for _ in range(3)] if natural else ["", "", ""]
    socials = [_score(rng, mean, 1.3, cap) for _ in range(3)] if not natural else ["", "", ""]
    language = ("N1" if rng.random() < 0.96 else "N3") if english else ""
    return ",".join([number, toan, van, english, *sciences, *socials, language])


def write_exam_file(*, seed: int, year: int) -> Path:
    """Registered pupils of ``year`` score high (one of them tops A00 nationally); 12,000 others are
    spread over the 63 exam councils. About 0.3% of rows are repeated, as in real published files."""
    rng = random.Random(seed * 31 + year)
    registered = sorted(Candidate.objects.active().filter(exam_year=year).exclude(exam_number="")
                        .values_list("exam_number", flat=True))
    councils = [f"{p.moet:02d}" for p in LEGACY_PROVINCES]
    weights = [_BIG_COUNCILS.get(c, 1.0) for c in councils]
    taken = set(registered)
    lines = [HEADER]
    for index, number in enumerate(registered):
        if index == 0:
            lines.append(f"{number},10,8.25,9.6,9.75,10,,,,,N1")  # 29.75 in A00: the demo's top scorer
        else:
            lines.append(_row(rng, number, 7.6, 9.75))
    for _ in range(OTHERS):
        council = rng.choices(councils, weights)[0]
        while (number := f"{council}{rng.randrange(1_000_000):06d}") in taken:
            pass
        taken.add(number)
        lines.append(_row(rng, number, 6.2, 9.5))
        if rng.random() < 0.003:
            lines.append(lines[-1])
    path = demo_dir() / f"diem-thi-{year}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def seed_exam_results(*, seed: int) -> tuple[Path, ImportReport]:
    """Write the demo score file for the latest exam year of the demo pupils and import it."""
    year = (Candidate.objects.exclude(exam_year=None).order_by("-exam_year")
            .values_list("exam_year", flat=True).first()) or 2025
    path = write_exam_file(seed=seed, year=year)
    return path, import_exam_results(path, year=year, original_name=path.name)


def write_candidate_sample(*, university_code: str) -> Path | None:
    """A list as a university sends it: semicolons, a BOM, Vietnamese headers, a repeated row, one
    impossible date, and one student already on file (found by citizen ID, with a new phone)."""
    university = Organization.objects.filter(code=university_code).first()
    known = Candidate.objects.active().filter(organization__path__startswith=university.path).exclude(
        citizen_id_encrypted="").order_by("id").first() if university else None
    if known is None:
        return None
    rows = [
        "STT;Họ và tên;Giới tính;Ngày sinh;Số CCCD;Email;Số điện thoại;Dân tộc;Tỉnh/Thành phố",
        "1;Hoàng Gia Bảo;Nam;14/03/2007;;giabao.hoang@example.vn;0903111201;Kinh;TP. Hồ Chí Minh",
        "2;Trịnh Ngọc Diệp;Nữ;02/11/2007;;ngocdiep.trinh@example.vn;0903111202;Kinh;Bình Dương",
        "3;Y Khoa Niê;Nam;21/06/2007;;ykhoa.nie@example.vn;;Ê Đê;Đắk Lắk",
        "4;Lâm Thị Mỹ Duyên;Nữ;31/02/2007;;myduyen.lam@example.vn;0903111204;Khmer;Cần Thơ",
        "5;Đặng Quốc Huy;Nam;09/09/2007;;quochuy.dang@example.vn;0903111205;Kinh;Hà Nội",
        "5;Đặng Quốc Huy;Nam;09/09/2007;;quochuy.dang@example.vn;0903111205;Kinh;Hà Nội",
        f"6;{known.full_name};{known.get_gender_display()};{known.date_of_birth:%d/%m/%Y};"
        f"{pii_decrypt(known.citizen_id_encrypted)};;0903111206;;",
    ]
    path = demo_dir() / "danh-sach-sinh-vien-mau.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("utf-8-sig"))
    return path


def seed(context: SeedContext) -> None:
    """The exams part of ``manage.py seed_demo``: exam results through the real import path, and a
    sample list to try the import pages with."""
    path, report = seed_exam_results(seed=context.seed)
    context.write(f"  Điểm thi tốt nghiệp THPT: {report.created} kết quả ({report.duplicates} dòng lặp bỏ qua) "
                  f"từ {path}")
    sample = write_candidate_sample(university_code=SHOWCASE_UNIVERSITY)
    if sample is not None:
        context.write(f"  Tệp danh sách mẫu để thử trang Nhập dữ liệu: {sample}")
