"""Subjects of the national high-school graduation exam and the admission combinations built on them.

The Ministry publishes one score per subject and exam number (SBD). Universities admit by
combinations of three subjects ("khối"); the totals are computed by the database (generated
columns on ``ExamResult``), so ranking a million results is an index scan.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    field: str
    label: str
    aliases: tuple[str, ...] = ()


# Order is the order of the published files. GDCD was replaced by "Giáo dục kinh tế và pháp luật"
# in the 2025 programme; both land in ``gdcd``. Technology is split into two exams since 2025.
SUBJECTS: tuple[Subject, ...] = (
    Subject("toan", "Toán", ("Toán học", "Math")),
    Subject("van", "Ngữ văn", ("Văn", "Ngữ văn", "Literature")),
    Subject("li", "Vật lí", ("Lí", "Lý", "Vật lý", "Vật lí", "Physics")),
    Subject("hoa", "Hoá học", ("Hoá", "Hóa", "Hóa học", "Chemistry")),
    Subject("sinh", "Sinh học", ("Sinh", "Biology")),
    Subject("su", "Lịch sử", ("Sử", "History")),
    Subject("dia", "Địa lí", ("Địa", "Địa lý", "Geography")),
    Subject("gdcd", "GDCD", ("Giáo dục công dân", "GDKT&PL", "GDKTPL", "KTPL",
                              "Giáo dục kinh tế và pháp luật", "Kinh tế và pháp luật")),
    Subject("ngoai_ngu", "Ngoại ngữ", ("NN", "Ngoại ngữ", "Foreign language")),
    Subject("tin_hoc", "Tin học", ("Tin", "Informatics")),
    Subject("cn_cong_nghiep", "Công nghệ công nghiệp", ("CN công nghiệp", "CNCN")),
    Subject("cn_nong_nghiep", "Công nghệ nông nghiệp", ("CN nông nghiệp", "CNNN")),
)
SUBJECT_FIELDS: tuple[str, ...] = tuple(s.field for s in SUBJECTS)
SUBJECT_LABELS: dict[str, str] = {s.field: s.label for s in SUBJECTS}

# The foreign-language code printed next to the score: N1 English, N2 Russian, N3 French, N4 Chinese,
# N5 German, N6 Japanese, N7 Korean. A01 and D01 count English only; a file without the code
# column is taken to be English, which is what the great majority sit.
ENGLISH_CODES = ("", "N1")


@dataclass(frozen=True)
class Combination:
    code: str
    subjects: tuple[str, str, str]
    english_only: bool = False

    @property
    def label(self) -> str:
        names = [("Anh" if f == "ngoai_ngu" else SUBJECT_LABELS[f]) for f in self.subjects]
        return f"{self.code} ({' + '.join(names)})"

    @property
    def field(self) -> str:
        return self.code.lower()


COMBINATIONS: tuple[Combination, ...] = (
    Combination("A00", ("toan", "li", "hoa")),
    Combination("A01", ("toan", "li", "ngoai_ngu"), english_only=True),
    Combination("B00", ("toan", "hoa", "sinh")),
    Combination("C00", ("van", "su", "dia")),
    Combination("D01", ("toan", "van", "ngoai_ngu"), english_only=True),
)
COMBINATION_BY_CODE: dict[str, Combination] = {c.code: c for c in COMBINATIONS}
