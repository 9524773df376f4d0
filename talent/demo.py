"""A deterministic demo city: Ho Chi Minh City's Youth Union tree, its schools, universities and
agencies, a few thousand young people with their records and pipeline histories, pools and the demo
accounts.

Two halves:
- pure generators (``demo_organizations``, ``generate_people``) that turn a seed into plain frozen
  dataclasses, using only ``random.Random(seed)`` and fixed dates, so one seed gives the same city
  on every machine and every run;
- ``seed_demo``, which writes them through the services (organizations, candidates, pools) and
  bulk-creates the child rows (records, histories, memberships, consents), in one transaction.

Dates are relative to ``AS_OF`` (1 September 2026, the start of the school year the demo shows),
never to today, so that ages, school years and histories do not drift as the calendar moves. What
still differs between two runs is bookkeeping, not data: row creation times, the audit log's times
and the encrypted citizen IDs (Fernet uses a fresh IV; the keyed hashes are the same).

Consent (DESIGN §5) is seeded like the rest: per person and purpose, dated after the person was
registered and before ``AS_OF``. Whether someone needed a guardian's signature is decided on the
day they signed, so the rows never depend on the day of seeding; whether a child counts as
consenting *today* is decided by ``privacy.rules`` at query time, as for any other record.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import unicodedata
from bisect import bisect
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from decimal import Decimal
from itertools import accumulate
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from vietnam_provinces import Ward

from core.audit import audit
from core.text import fold
from privacy.models import Consent
from privacy.rules import GUARDIAN_AGE, born_on_or_before_for_age, has_consent, needs_guardian
from talent import demo_names
from talent.geo import LEGACY_BY_GSO, LEGACY_PROVINCES, current_provinces
from talent.models import (
    Achievement,
    Candidate,
    EducationRecord,
    LanguageCertificate,
    Organization,
    PoolMembership,
    Religion,
    Role,
    Stage,
    StageTransition,
    TalentPool,
    UserProfile,
    VerificationStatus,
)
from talent.pipeline import is_allowed, needs_reason
from talent.rules import age_on
from talent.services import candidates_bulk_register, education_record_derive, organization_create, pool_create

AS_OF = dt.date(2026, 9, 1)
DEMO_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_SEED = 2026
DEFAULT_CANDIDATES = 5000
DEMO_PASSWORD = "demo"
HCM = 79

Kind = Organization.Kind
S = Stage
PUPIL, STUDENT, CADRE = "pupil", "student", "cadre"

# --- Organizations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    kind: str
    parent: str | None = None
    province_code: int | None = HCM
    majors: tuple[str, ...] = ()  # faculties: the majors they teach
    years: int = 4  # universities: length of the usual programme


CITY = "TD-HCM"
UNIVERSITY_BLOCK = "DK-DH"
SHOWCASE_UNIVERSITY = "DH-BK"
SHOWCASE_FACULTY = "DH-BK-KHMT"
HOME_AFFAIRS = "CQ-SNV"

# Post-July-2025 wards and communes of the city (after the merger with Bình Dương and Bà Rịa - Vũng
# Tàu), each with the upper-secondary schools whose Youth Union branches it oversees.
WARDS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("DP-SAIGON", "Đoàn phường Sài Gòn", (
        ("THPT-TDN", "Trường THPT chuyên Trần Đại Nghĩa"), ("THPT-TRV", "Trường THPT Trưng Vương"))),
    ("DP-BENTHANH", "Đoàn phường Bến Thành", (
        ("THPT-BTX", "Trường THPT Bùi Thị Xuân"), ("THPT-TLM", "Trường THPT Ten Lơ Man"),
        ("THPT-LTV", "Trường THPT Lương Thế Vinh"))),
    ("DP-TANDINH", "Đoàn phường Tân Định", ()),
    ("DP-XUANHOA", "Đoàn phường Xuân Hòa", (
        ("THPT-NTMK", "Trường THPT Nguyễn Thị Minh Khai"), ("THPT-LQD", "Trường THPT Lê Quý Đôn"),
        ("THPT-MC", "Trường THPT Marie Curie"))),
    ("DP-CHOQUAN", "Đoàn phường Chợ Quán", (("THPT-LHP", "Trường THPT chuyên Lê Hồng Phong"),)),
    ("DP-GIADINH", "Đoàn phường Gia Định", (
        ("THPT-GD", "Trường THPT Gia Định"), ("THPT-VTS", "Trường THPT Võ Thị Sáu"))),
    ("DP-BINHTHANH", "Đoàn phường Bình Thạnh", (("THPT-HHT", "Trường THPT Hoàng Hoa Thám"),)),
    ("DP-THUDUC", "Đoàn phường Thủ Đức", (
        ("THPT-TD", "Trường THPT Thủ Đức"), ("THPT-NHH", "Trường THPT Nguyễn Hữu Huân"))),
    ("DP-PHUNHUAN", "Đoàn phường Phú Nhuận", (("THPT-PN", "Trường THPT Phú Nhuận"),)),
    ("DP-TANSONHOA", "Đoàn phường Tân Sơn Hòa", (("THPT-NTH", "Trường THPT Nguyễn Thượng Hiền"),)),
    ("DX-CUCHI", "Đoàn xã Củ Chi", (("THPT-CC", "Trường THPT Củ Chi"), ("THPT-TP", "Trường THPT Trung Phú"))),
    ("DP-THUDAUMOT", "Đoàn phường Thủ Dầu Một", (("THPT-CHV", "Trường THPT chuyên Hùng Vương"),)),
    ("DP-VUNGTAU", "Đoàn phường Vũng Tàu", (("THPT-CLQD", "Trường THPT chuyên Lê Quý Đôn (Vũng Tàu)"),)),
)
# Birth registrations in the old Bình Dương (074) and Bà Rịa - Vũng Tàu (077) keep their own codes
# in citizen IDs and exam councils although both are part of the city now.
SCHOOL_LEGACY_GSO = {"THPT-CHV": 74, "THPT-CLQD": 77}

# (code, name, programme length, ((faculty suffix, faculty name, majors), ...))
UNIVERSITIES: tuple[tuple[str, str, int, tuple[tuple[str, str, tuple[str, ...]], ...]], ...] = (
    ("DH-BK", "Trường Đại học Bách khoa – ĐHQG-HCM", 4, (
        ("KHMT", "Khoa Khoa học và Kỹ thuật Máy tính", ("Khoa học Máy tính", "Kỹ thuật Máy tính")),
        ("DDT", "Khoa Điện – Điện tử", ("Kỹ thuật Điện", "Kỹ thuật Điện tử – Viễn thông",
                                        "Kỹ thuật Điều khiển và Tự động hóa")),
        ("CK", "Khoa Cơ khí", ("Kỹ thuật Cơ khí", "Kỹ thuật Cơ điện tử")),
        ("KTHH", "Khoa Kỹ thuật Hóa học", ("Kỹ thuật Hóa học", "Công nghệ Thực phẩm")))),
    ("DH-KHTN", "Trường Đại học Khoa học Tự nhiên – ĐHQG-HCM", 4, (
        ("CNTT", "Khoa Công nghệ Thông tin", ("Công nghệ Thông tin", "Khoa học Dữ liệu")),
        ("TOAN", "Khoa Toán – Tin học", ("Toán học", "Toán ứng dụng")),
        ("VL", "Khoa Vật lý – Vật lý Kỹ thuật", ("Vật lý học", "Kỹ thuật Hạt nhân")),
        ("SH", "Khoa Sinh học – Công nghệ Sinh học", ("Sinh học", "Công nghệ Sinh học")))),
    ("DH-UEH", "Trường Đại học Kinh tế TP.HCM", 4, (
        ("KT", "Khoa Kinh tế", ("Kinh tế học", "Kinh tế đầu tư")),
        ("TC", "Khoa Tài chính", ("Tài chính – Ngân hàng", "Kế toán")),
        ("QT", "Khoa Quản trị", ("Quản trị Kinh doanh", "Marketing")))),
    ("DH-SP", "Trường Đại học Sư phạm TP.HCM", 4, (
        ("TOAN", "Khoa Toán – Tin học", ("Sư phạm Toán học", "Sư phạm Tin học")),
        ("NV", "Khoa Ngữ văn", ("Sư phạm Ngữ văn", "Văn học")),
        ("GDCT", "Khoa Giáo dục Chính trị", ("Giáo dục Chính trị",)))),
    ("DH-YD", "Trường Đại học Y Dược TP.HCM", 6, (
        ("Y", "Khoa Y", ("Y khoa", "Y học dự phòng")),
        ("DUOC", "Khoa Dược", ("Dược học",)),
        ("RHM", "Khoa Răng Hàm Mặt", ("Răng – Hàm – Mặt",)))),
    ("DH-LUAT", "Trường Đại học Luật TP.HCM", 4, (
        ("HC", "Khoa Luật Hành chính – Nhà nước", ("Luật", "Luật Hành chính")),
        ("DS", "Khoa Luật Dân sự", ("Luật Dân sự",)),
        ("TM", "Khoa Luật Thương mại", ("Luật Thương mại Quốc tế", "Luật Kinh tế")))),
    ("DH-UIT", "Trường Đại học Công nghệ Thông tin – ĐHQG-HCM", 4, (
        ("KHMT", "Khoa Khoa học Máy tính", ("Khoa học Máy tính", "Trí tuệ Nhân tạo")),
        ("KTPM", "Khoa Công nghệ Phần mềm", ("Kỹ thuật Phần mềm",)),
        ("HTTT", "Khoa Hệ thống Thông tin", ("Hệ thống Thông tin", "Thương mại điện tử")))),
    ("DH-USSH", "Trường Đại học Khoa học Xã hội và Nhân văn – ĐHQG-HCM", 4, (
        ("BC", "Khoa Báo chí và Truyền thông", ("Báo chí", "Truyền thông đa phương tiện")),
        ("QHQT", "Khoa Quan hệ Quốc tế", ("Quan hệ Quốc tế",)),
        ("XHH", "Khoa Xã hội học", ("Xã hội học", "Công tác Xã hội")))),
    ("DH-HUB", "Trường Đại học Ngân hàng TP.HCM", 4, (
        ("TC", "Khoa Tài chính", ("Tài chính – Ngân hàng",)),
        ("NH", "Khoa Ngân hàng", ("Ngân hàng", "Công nghệ Tài chính")))),
    ("DH-TDTU", "Trường Đại học Tôn Đức Thắng", 4, (
        ("CNTT", "Khoa Công nghệ Thông tin", ("Khoa học Máy tính", "Kỹ thuật Phần mềm")),
        ("QTKD", "Khoa Quản trị Kinh doanh", ("Quản trị Kinh doanh", "Kinh doanh Quốc tế")),
        ("KTCT", "Khoa Kỹ thuật Công trình", ("Kỹ thuật Xây dựng", "Quy hoạch Vùng và Đô thị")))),
    ("DH-UEL", "Trường Đại học Kinh tế – Luật – ĐHQG-HCM", 4, (
        ("KT", "Khoa Kinh tế", ("Kinh tế học", "Kinh tế Quốc tế")),
        ("LUAT", "Khoa Luật", ("Luật Kinh tế", "Luật Dân sự")),
        ("HTTT", "Khoa Hệ thống Thông tin", ("Hệ thống Thông tin Quản lý", "Thương mại điện tử")))),
)

# Agencies and enterprises are not part of the Youth Union: they are roots of their own.
AGENCIES: tuple[tuple[str, str], ...] = (
    ("CQ-SNV", "Sở Nội vụ TP.HCM"),
    ("CQ-SKHCN", "Sở Khoa học và Công nghệ TP.HCM"),
    ("CQ-SGDDT", "Sở Giáo dục và Đào tạo TP.HCM"),
    ("CQ-UBND-SAIGON", "Ủy ban nhân dân phường Sài Gòn"),
    ("CQ-STC", "Sở Tài chính TP.HCM"),
)
ENTERPRISES: tuple[tuple[str, str], ...] = (
    ("DN-SAWACO", "Tổng Công ty Cấp nước Sài Gòn – TNHH MTV"),
    ("DN-CNS", "Tổng Công ty Công nghiệp Sài Gòn – TNHH MTV"),
)


def demo_organizations() -> tuple[OrgSpec, ...]:
    """Every organization of the demo city, each after its parent."""
    specs = [OrgSpec(CITY, "Thành Đoàn TP. Hồ Chí Minh", Kind.YOUTH_UNION)]
    for ward_code, ward_name, schools in WARDS:
        specs.append(OrgSpec(ward_code, ward_name, Kind.YOUTH_UNION, CITY))
        specs.extend(OrgSpec(code, name, Kind.HIGH_SCHOOL, ward_code) for code, name in schools)
    specs.append(OrgSpec(UNIVERSITY_BLOCK, "Đoàn Khối các trường Đại học", Kind.YOUTH_UNION, CITY))
    for uni_code, uni_name, years, faculties in UNIVERSITIES:
        specs.append(OrgSpec(uni_code, uni_name, Kind.UNIVERSITY, UNIVERSITY_BLOCK, years=years))
        specs.extend(
            OrgSpec(f"{uni_code}-{suffix}", name, Kind.FACULTY, uni_code, majors=majors, years=years)
            for suffix, name, majors in faculties
        )
    specs.extend(OrgSpec(code, name, Kind.AGENCY) for code, name in AGENCIES)
    specs.extend(OrgSpec(code, name, Kind.ENTERPRISE) for code, name in ENTERPRISES)
    return tuple(specs)


ORGANIZATIONS = demo_organizations()
ORG_BY_CODE = {spec.code: spec for spec in ORGANIZATIONS}

# --- Pools and accounts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolSpec:
    key: str
    name: str
    kind: str
    owner: str
    term: str
    shared_with: tuple[str, ...]
    description: str


YOUNG_TALENT_POOL, PLANNING_POOL, CAMPUS_POOL = "young_talent", "planning", "campus"
ATTRACTION_POOL = "attraction"
# Who sees which pool: the city-wide young talent pool goes to the departments that hire from it
# broadly; Home Affairs (the demo recruiter's agency, which runs the talent-attraction policy) gets a
# shorter list — the pupils of the young talent pool and the students agencies have already
# shortlisted or hosted — so its recruiter works with a few hundred people, not the whole pool.
# The planning pool is the Youth Union's own succession list and is shared with nobody; it also
# holds cadres of agencies outside the city Youth Union tree, whom the city officer does not see.
POOLS: tuple[PoolSpec, ...] = (
    PoolSpec(YOUNG_TALENT_POOL, "Nguồn tài năng trẻ TP.HCM 2025", TalentPool.Kind.YOUNG_TALENT, CITY, "",
             ("CQ-SKHCN", "CQ-SGDDT"),
             "Học sinh, sinh viên tiêu biểu do Thành Đoàn theo dõi và giới thiệu cho các cơ quan tuyển dụng."),
    PoolSpec(PLANNING_POOL, "Quy hoạch cán bộ trẻ 2025-2030", TalentPool.Kind.PLANNING, CITY, "2025-2030", (),
             "Cán bộ trẻ trong quy hoạch nhiệm kỳ 2025-2030; rà soát, bổ sung hằng năm trước 31/12."),
    PoolSpec(CAMPUS_POOL, "Nguồn sinh viên tiêu biểu Trường ĐH Bách khoa 2026", TalentPool.Kind.YOUNG_TALENT,
             SHOWCASE_UNIVERSITY, "", (),
             "Sinh viên có kết quả học tập, nghiên cứu và rèn luyện xuất sắc do nhà trường giới thiệu."),
    PoolSpec(ATTRACTION_POOL, "Nguồn thu hút tài năng trẻ vào khu vực công 2026", TalentPool.Kind.YOUNG_TALENT, CITY,
             "", (HOME_AFFAIRS,),
             "Học sinh đoạt giải và sinh viên tiêu biểu trong nguồn tài năng trẻ, Thành Đoàn giới thiệu cho Sở Nội vụ "
             "theo chính sách thu hút, trọng dụng người có tài năng. Cán bộ tuyển dụng chỉ thấy những người đã đồng ý "
             "chia sẻ hồ sơ (với học sinh dưới 16 tuổi: cả cha mẹ hoặc người giám hộ)."),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organization: str  # organization code
    last_name: str
    first_name: str


SHOWCASE_STUDENT_NAME = "Nguyễn Minh Anh"
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", Role.ADMIN, CITY, "Quản trị", "hệ thống"),
    DemoAccount("officer", Role.OFFICER, CITY, "Trần Quốc", "Bảo"),
    DemoAccount("liaison", Role.LIAISON, SHOWCASE_UNIVERSITY, "Lê Thị Thu", "Hà"),
    DemoAccount("recruiter", Role.RECRUITER, HOME_AFFAIRS, "Phạm Hoàng", "Nam"),
    DemoAccount("student", Role.STUDENT, SHOWCASE_FACULTY, "Nguyễn Minh", "Anh"),
)

# --- People: specs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EducationSpec:
    level: str
    institution: str | None  # organization code when the institution is part of the demo city
    institution_name: str
    major: str
    start_year: int
    end_year: int | None
    gpa: str | None = None  # decimal text, so that specs compare exactly
    gpa_scale: int = 4
    conduct_score: int | None = None
    retaken_over_5_percent: bool = False
    disciplined: bool = False


@dataclass(frozen=True)
class AchievementSpec:
    category: str
    level: str
    award_rank: str
    year: int
    title: str
    evidence: str
    status: str
    reviewed_at: dt.datetime | None


@dataclass(frozen=True)
class LanguageSpec:
    language: str
    level: int
    certificate: str
    issued_on: dt.date
    status: str


@dataclass(frozen=True)
class TransitionSpec:
    from_stage: str
    to_stage: str
    reason: str
    at: dt.datetime


@dataclass(frozen=True)
class ConsentSpec:
    purpose: str
    given_by: str
    granted_at: dt.datetime
    recorded_by: str  # SELF_SERVICE (the person's own account) or STAFF (who looks after their unit)
    evidence_note: str
    evidence_file: str = ""  # storage name of a scanned signed form (a small generated PDF), or ""
    guardian_name: str = ""
    withdrawn_at: dt.datetime | None = None


SELF_SERVICE, STAFF = "self", "staff"


@dataclass(frozen=True)
class PersonSpec:
    cohort: str
    full_name: str
    gender: str
    date_of_birth: dt.date
    ethnicity: str
    province_code: int
    email: str
    phone: str
    citizen_id: str
    exam_number: str
    exam_year: int | None
    organization: str  # organization code
    youth_union_member: bool
    party_member: bool
    party_joined_on: dt.date | None
    political_theory: str
    education: tuple[EducationSpec, ...]
    achievements: tuple[AchievementSpec, ...]
    languages: tuple[LanguageSpec, ...]
    history: tuple[TransitionSpec, ...]
    pools: tuple[str, ...]
    is_showcase_student: bool = False
    religion: str = ""
    home_address: str = ""
    aspirations: str = ""
    consents: tuple[ConsentSpec, ...] = ()

    @property
    def stage(self) -> str:
        return self.history[-1].to_stage


# --- People: reference data -------------------------------------------------------------------------

Weighted = tuple[tuple[Any, float], ...]

ETHNICITY_WEIGHTS: Weighted = (
    ("Kinh", 90.5), ("Hoa", 4.5), ("Khmer", 2.0), ("Tày", 0.7), ("Chăm", 0.6), ("Nùng", 0.5),
    ("Mường", 0.6), ("Thái", 0.6),
)
# Where people of a minority come from, when not from the city itself.
ETHNIC_PROVINCES: dict[str, Weighted] = {
    "Hoa": ((79, 85.0), (92, 4.0), (91, 4.0), (75, 4.0), (96, 3.0)),
    "Khmer": ((92, 35.0), (86, 30.0), (91, 25.0), (79, 10.0)),
    "Chăm": ((56, 45.0), (91, 30.0), (79, 25.0)),
    "Tày": ((8, 25.0), (20, 20.0), (4, 15.0), (19, 15.0), (66, 15.0), (79, 10.0)),
    "Nùng": ((20, 35.0), (4, 20.0), (66, 25.0), (79, 20.0)),
    "Mường": ((25, 45.0), (38, 35.0), (79, 20.0)),
    "Thái": ((14, 40.0), (40, 25.0), (38, 20.0), (79, 15.0)),
}
# Where Kinh people from outside the city come from: mostly the South and the central coast.
OTHER_PROVINCES: Weighted = (
    (75, 10.0), (80, 9.0), (82, 8.0), (86, 8.0), (92, 8.0), (91, 7.0), (96, 4.0), (68, 6.0), (66, 6.0),
    (56, 5.0), (52, 4.0), (51, 4.0), (48, 3.0), (46, 3.0), (44, 3.0), (42, 3.0), (40, 4.0), (38, 3.0),
    (1, 3.0), (37, 1.0), (33, 1.0), (31, 1.0),
)
SHARE_FROM_CITY = {PUPIL: 0.95, STUDENT: 0.55, CADRE: 0.62}
# Inside today's city, birth registrations are mostly in the old city, then Bình Dương, Vũng Tàu.
HCM_LEGACY_GSO: Weighted = ((79, 80.0), (74, 12.0), (77, 8.0))
CITY_LEVEL_PROVINCES = frozenset({1, 31, 46, 48, 79, 92})

# Provincial specialised schools, for students who finished grade 12 outside the city.
PROVINCE_SPECIALISED_SCHOOLS: dict[int, str] = {
    1: "Trường THPT chuyên Hà Nội – Amsterdam", 38: "Trường THPT chuyên Lam Sơn",
    40: "Trường THPT chuyên Phan Bội Châu", 42: "Trường THPT chuyên Hà Tĩnh",
    44: "Trường THPT chuyên Lê Quý Đôn (Quảng Trị)", 46: "Trường THPT chuyên Quốc Học Huế",
    48: "Trường THPT chuyên Lê Quý Đôn (Đà Nẵng)", 51: "Trường THPT chuyên Lê Khiết",
    52: "Trường THPT chuyên Hùng Vương (Gia Lai)", 56: "Trường THPT chuyên Lê Quý Đôn (Khánh Hòa)",
    66: "Trường THPT chuyên Nguyễn Du", 68: "Trường THPT chuyên Thăng Long",
    75: "Trường THPT chuyên Lương Thế Vinh", 80: "Trường THPT chuyên Hoàng Lê Kha",
    82: "Trường THPT chuyên Nguyễn Quang Diêu", 86: "Trường THPT chuyên Nguyễn Bỉnh Khiêm",
    91: "Trường THPT chuyên Thoại Ngọc Hầu", 92: "Trường THPT chuyên Lý Tự Trọng",
    96: "Trường THPT chuyên Phan Ngọc Hiển",
}
COMMON_SCHOOL_NAMES = (
    "Nguyễn Du", "Nguyễn Trãi", "Lê Lợi", "Trần Phú", "Quang Trung", "Nguyễn Huệ", "Phan Chu Trinh",
    "Nguyễn Đình Chiểu", "Trần Hưng Đạo", "Nguyễn Bỉnh Khiêm", "Chu Văn An", "Nguyễn Khuyến",
)
# Degrees earned outside the city by young cadres: (institution, majors).
OTHER_UNIVERSITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Học viện Hành chính Quốc gia", ("Quản lý Nhà nước", "Quản lý công")),
    ("Học viện Chính trị Quốc gia Hồ Chí Minh", ("Chính trị học", "Xây dựng Đảng và Chính quyền Nhà nước")),
    ("Trường Đại học Cần Thơ", ("Kinh tế nông nghiệp", "Luật", "Công nghệ Thông tin")),
    ("Trường Đại học Kinh tế Quốc dân", ("Kinh tế học", "Quản trị Nhân lực")),
    ("Trường Đại học Bách khoa – Đại học Đà Nẵng", ("Kỹ thuật Xây dựng", "Công nghệ Thông tin")),
    ("Trường Đại học Sư phạm – Đại học Huế", ("Sư phạm Ngữ văn", "Sư phạm Lịch sử")),
)

PHONE_PREFIXES = (
    "032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081",
    "082", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096", "097", "098",
    "056", "058", "059",
)
# Reserved example domains (RFC 2606): demo data must never reach a real mailbox.
EMAIL_DOMAINS: Weighted = (("example.com", 6.0), ("example.net", 2.0), ("example.org", 2.0))

HS_SUBJECTS = ("Toán", "Vật lý", "Hóa học", "Sinh học", "Tin học", "Ngữ văn", "Lịch sử", "Địa lý", "Tiếng Anh")
INTERNATIONAL_OLYMPIADS = {
    "Toán": "Olympic Toán học quốc tế (IMO)", "Vật lý": "Olympic Vật lý quốc tế (IPhO)",
    "Hóa học": "Olympic Hóa học quốc tế (IChO)", "Sinh học": "Olympic Sinh học quốc tế (IBO)",
    "Tin học": "Olympic Tin học quốc tế (IOI)",
}
EXAM_COMBINATIONS = ("A00", "A01", "B00", "C00", "D01")
PRIZES: Weighted = (("first", 1.0), ("second", 2.0), ("third", 3.5), ("consolation", 4.0))
MEDALS: Weighted = (("gold", 1.0), ("silver", 2.0), ("bronze", 3.0))
RANK_TEXT = {
    "first": "Giải Nhất", "second": "Giải Nhì", "third": "Giải Ba", "consolation": "Giải Khuyến khích",
    "gold": "Huy chương Vàng", "silver": "Huy chương Bạc", "bronze": "Huy chương Đồng",
}

ENGLISH_CERTIFICATES: dict[int, tuple[str, ...]] = {
    2: ("VSTEP bậc 2", "TOEIC 450"),
    3: ("IELTS 5.0", "VSTEP bậc 3", "TOEIC 600", "Cambridge B1 Preliminary"),
    4: ("IELTS 6.0", "IELTS 6.5", "TOEFL iBT 85", "VSTEP bậc 4", "TOEIC 800", "Cambridge B2 First"),
    5: ("IELTS 7.0", "IELTS 7.5", "IELTS 8.0", "TOEFL iBT 105", "VSTEP bậc 5", "Cambridge C1 Advanced"),
    6: ("IELTS 8.5", "Cambridge C2 Proficiency"),
}
OTHER_CERTIFICATES: dict[str, dict[int, str]] = {
    "ja": {3: "JLPT N3", 4: "JLPT N2", 5: "JLPT N1"},
    "ko": {3: "TOPIK 3", 4: "TOPIK 4", 5: "TOPIK 5"},
    "zh": {3: "HSK 3", 4: "HSK 4", 5: "HSK 5"},
    "fr": {3: "DELF B1", 4: "DELF B2", 5: "DALF C1"},
    "de": {3: "Goethe-Zertifikat B1", 4: "Goethe-Zertifikat B2", 5: "Goethe-Zertifikat C1"},
}
SECOND_LANGUAGES: Weighted = (("ja", 3.0), ("ko", 3.0), ("zh", 2.0), ("fr", 1.5), ("de", 1.0))
ENGLISH_LEVELS: dict[str, Weighted] = {
    PUPIL: ((2, 10.0), (3, 40.0), (4, 35.0), (5, 13.0), (6, 2.0)),
    STUDENT: ((3, 25.0), (4, 45.0), (5, 25.0), (6, 5.0)),
    CADRE: ((3, 35.0), (4, 45.0), (5, 17.0), (6, 3.0)),
}

# Final stages by cohort; an "exited" person first walks to one of EXIT_FROM.
TARGET_STAGES: dict[str, Weighted] = {
    PUPIL: ((S.DISCOVERED, 62.0), (S.NOMINATED, 28.0), (S.POOL, 4.0), (S.EXITED, 6.0)),
    STUDENT: ((S.DISCOVERED, 20.0), (S.NOMINATED, 24.0), (S.POOL, 30.0), (S.SHORTLISTED, 9.0),
              (S.PLACEMENT, 10.0), (S.EXITED, 7.0)),
    "cadre_junior": ((S.RECRUITED, 74.0), (S.PLANNING, 18.0), (S.EXITED, 8.0)),
    "cadre_senior": ((S.RECRUITED, 33.0), (S.PLANNING, 37.0), (S.APPOINTED, 20.0), (S.EXITED, 10.0)),
    # Olympiad pupils of grades 10-11 are followed because they already won something.
    "pupil_young": ((S.DISCOVERED, 40.0), (S.NOMINATED, 30.0), (S.POOL, 25.0), (S.EXITED, 5.0)),
}
EXIT_FROM: dict[str, tuple[str, ...]] = {
    PUPIL: (S.DISCOVERED, S.NOMINATED),
    STUDENT: (S.NOMINATED, S.POOL, S.SHORTLISTED, S.PLACEMENT),
    CADRE: (S.RECRUITED, S.PLANNING),
}
# One step back that a path may take and then retrace (with a reason, as the pipeline requires).
BACKWARD_STEP = {S.NOMINATED: S.DISCOVERED, S.POOL: S.NOMINATED, S.SHORTLISTED: S.POOL,
                 S.PLACEMENT: S.POOL, S.PLANNING: S.RECRUITED}
BACKWARD_REASONS = {
    (S.NOMINATED, S.DISCOVERED): "Hồ sơ chưa đủ minh chứng, trả về để bổ sung",
    (S.POOL, S.NOMINATED): "Xét chọn lại sau khi bổ sung thành tích",
    (S.SHORTLISTED, S.POOL): "Chưa được chọn sau vòng phỏng vấn",
    (S.PLACEMENT, S.POOL): "Kết thúc kỳ thực tập, chờ chỉ tiêu tuyển dụng",
    (S.PLANNING, S.RECRUITED): "Đưa ra khỏi quy hoạch khi rà soát hằng năm",
    (S.EXITED, S.DISCOVERED): "Phát hiện lại sau khi trở về thành phố",
}
# Younger pupils (grades 10 and 11 in the demo's school year): their own reasons to be followed.
GRADE_10_PUPIL, GRADE_11_PUPIL = "pupil_grade_10", "pupil_grade_11"
REGISTER_REASONS = {
    PUPIL: ("Đoàn trường đề xuất theo dõi", "Phát hiện qua kỳ thi học sinh giỏi lớp 11",
            "Giáo viên chủ nhiệm giới thiệu"),
    GRADE_10_PUPIL: ("Phát hiện qua kỳ thi học sinh giỏi lớp 9 cấp thành phố",
                     "Trường THPT chuyên đề xuất theo dõi sau kỳ thi tuyển sinh lớp 10"),
    GRADE_11_PUPIL: ("Phát hiện qua Kỳ thi Olympic truyền thống 30/4 lớp 10",
                     "Đội tuyển học sinh giỏi của trường đề xuất theo dõi", "Giáo viên chủ nhiệm giới thiệu"),
    STUDENT: ("Khoa đề xuất theo dõi", "Phát hiện qua kết quả học tập năm thứ nhất",
              "Phát hiện qua kết quả kỳ thi tốt nghiệp THPT", "Liên chi đoàn khoa giới thiệu"),
    CADRE: ("Trường đại học giới thiệu sinh viên năm cuối tiêu biểu", "Phát hiện qua Giải thưởng Euréka",
            "Phát hiện qua hoạt động Đoàn – Hội khi còn là sinh viên"),
}
FORWARD_REASONS = {
    S.NOMINATED: ("Đoàn trường giới thiệu", "Ban Chấp hành Đoàn cơ sở giới thiệu", "Liên chi đoàn khoa giới thiệu"),
    S.POOL: ("Hội đồng xét chọn thông qua", "Được xét chọn vào nguồn tài năng trẻ"),
    S.SHORTLISTED: ("Cơ quan tuyển dụng chọn vào danh sách ngắn", "Đạt vòng phỏng vấn sơ tuyển"),
    S.RECRUITED: ("Trúng tuyển công chức", "Tuyển dụng theo chính sách thu hút sinh viên tốt nghiệp xuất sắc",
                  "Tiếp nhận vào làm việc sau kỳ thực tập"),
    S.APPOINTED: ("Bổ nhiệm Phó Trưởng phòng", "Bổ nhiệm Phó Chánh Văn phòng", "Bổ nhiệm Phó Bí thư Đoàn cơ sở",
                  "Bổ nhiệm Phó Trưởng ban"),
    S.DISCOVERED: ("Phát hiện lại",),
}
EXIT_REASONS = {
    PUPIL: ("Chuyển trường ra ngoài thành phố", "Gia đình xin rút khỏi chương trình"),
    GRADE_10_PUPIL: ("Chuyển trường ra ngoài thành phố", "Gia đình xin rút khỏi chương trình"),
    GRADE_11_PUPIL: ("Chuyển trường ra ngoài thành phố", "Gia đình xin rút khỏi chương trình"),
    STUDENT: ("Đi du học dài hạn", "Xin rút khỏi chương trình", "Không duy trì được kết quả học tập"),
    CADRE: ("Chuyển công tác ra ngoài thành phố", "Nghỉ việc, chuyển sang khu vực tư nhân",
            "Không còn đáp ứng tiêu chuẩn quy hoạch"),
}
PLACEMENT_HOSTS = tuple(name for _, name in AGENCIES)

# --- Younger pupils, personal details and consent: reference data ----------------------------------

# Share of the pupils who are grade-10/11 olympiad pupils (born 2011/2010, so 14-16 in the demo's
# school year) rather than grade-12 pupils: the minors for whom a guardian must consent too.
YOUNG_PUPIL_SHARE = 0.2
SPECIALISED_SCHOOLS = ("THPT-TDN", "THPT-LHP", "THPT-CHV", "THPT-CLQD")

# Declared religion. Most young people in the city declare none; minorities and some provinces of
# origin follow their own traditions (Theravada Buddhism among the Khmer, Islam and Brahmanism
# among the Chăm, Cao Đài around Tây Ninh, Hòa Hảo in An Giang, Catholic parishes in Đồng Nai).
RELIGIONS: Weighted = (
    (Religion.NONE, 80.0), (Religion.BUDDHISM, 11.0), (Religion.CATHOLICISM, 6.0), (Religion.PROTESTANTISM, 1.0),
    (Religion.CAO_DAI, 1.0), (Religion.HOA_HAO, 0.5), (Religion.OTHER, 0.5),
)
ETHNIC_RELIGIONS: dict[str, Weighted] = {
    "Khmer": ((Religion.NONE, 15.0), (Religion.BUDDHISM, 83.0), (Religion.CATHOLICISM, 2.0)),
    "Chăm": ((Religion.NONE, 10.0), (Religion.ISLAM, 55.0), (Religion.OTHER, 35.0)),
    "Hoa": ((Religion.NONE, 55.0), (Religion.BUDDHISM, 35.0), (Religion.CATHOLICISM, 6.0),
            (Religion.PROTESTANTISM, 2.0), (Religion.OTHER, 2.0)),
}
PROVINCE_RELIGIONS: dict[int, Weighted] = {
    80: ((Religion.NONE, 60.0), (Religion.CAO_DAI, 25.0), (Religion.BUDDHISM, 10.0), (Religion.CATHOLICISM, 5.0)),
    91: ((Religion.NONE, 55.0), (Religion.HOA_HAO, 25.0), (Religion.BUDDHISM, 12.0), (Religion.CATHOLICISM, 5.0),
         (Religion.CAO_DAI, 3.0)),
    75: ((Religion.NONE, 55.0), (Religion.CATHOLICISM, 35.0), (Religion.BUDDHISM, 8.0),
         (Religion.PROTESTANTISM, 2.0)),
}

# Streets of the demo's wards (post-2025 names, no district level); other wards of the city get a
# numbered street or a neighbourhood, wards and communes elsewhere a neighbourhood, hamlet or village.
WARD_STREETS: dict[str, tuple[str, ...]] = {
    "Phường Sài Gòn": ("Lê Lợi", "Nguyễn Huệ", "Đồng Khởi", "Hai Bà Trưng", "Tôn Đức Thắng"),
    "Phường Bến Thành": ("Lê Thánh Tôn", "Phạm Ngũ Lão", "Nguyễn Thị Nghĩa", "Cống Quỳnh", "Bùi Viện"),
    "Phường Tân Định": ("Trần Quang Khải", "Hai Bà Trưng", "Đinh Công Tráng", "Trần Nhật Duật"),
    "Phường Xuân Hòa": ("Nam Kỳ Khởi Nghĩa", "Võ Văn Tần", "Trần Quốc Thảo", "Lý Chính Thắng"),
    "Phường Chợ Quán": ("Trần Hưng Đạo", "Nguyễn Trãi", "Trần Bình Trọng", "Nguyễn Văn Cừ"),
    "Phường Gia Định": ("Phan Đăng Lưu", "Nơ Trang Long", "Lê Quang Định", "Bùi Hữu Nghĩa"),
    "Phường Bình Thạnh": ("Xô Viết Nghệ Tĩnh", "Điện Biên Phủ", "Bạch Đằng", "Đinh Bộ Lĩnh"),
    "Phường Thủ Đức": ("Võ Văn Ngân", "Kha Vạn Cân", "Đặng Văn Bi", "Lê Văn Việt"),
    "Phường Phú Nhuận": ("Phan Xích Long", "Huỳnh Văn Bánh", "Nguyễn Kiệm", "Hoàng Văn Thụ"),
    "Phường Tân Sơn Hòa": ("Cộng Hòa", "Hoàng Văn Thụ", "Trường Sơn", "Phạm Văn Hai"),
    "Xã Củ Chi": ("Tỉnh lộ 8", "Quốc lộ 22", "Nguyễn Thị Rành"),
    "Phường Thủ Dầu Một": ("Đại lộ Bình Dương", "Yersin", "Cách Mạng Tháng Tám", "Phú Lợi"),
    "Phường Vũng Tàu": ("Thùy Vân", "Ba Cu", "Lê Hồng Phong", "Trần Hưng Đạo"),
}
SOUTHERN_PROVINCES = frozenset({68, 75, 79, 80, 82, 86, 91, 92, 96})
ADDRESS_SHARE = 0.92

ASPIRATION_SHARE = {PUPIL: 0.25, STUDENT: 0.35, CADRE: 0.15}
ASPIRATIONS: dict[str, tuple[str, ...]] = {
    PUPIL: (
        "Mong muốn thi đỗ ngành Khoa học Máy tính của Trường Đại học Bách khoa.",
        "Muốn được vào đội tuyển học sinh giỏi quốc gia của thành phố.",
        "Mong muốn giành học bổng du học rồi trở về đóng góp cho thành phố.",
        "Mong muốn theo học ngành Y khoa.",
        "Mong muốn theo học ngành Luật để làm việc trong khu vực công.",
        "Muốn tham gia nhiều hơn các hoạt động tình nguyện của Đoàn trường.",
    ),
    STUDENT: (
        "Mong muốn được làm việc tại cơ quan nhà nước của thành phố sau khi tốt nghiệp.",
        "Muốn tham gia chương trình thực tập tại Sở Khoa học và Công nghệ.",
        "Mong muốn học lên thạc sĩ ngành {major} rồi trở về công tác tại thành phố.",
        "Muốn đóng góp vào chuyển đổi số trong cơ quan hành chính.",
        "Mong muốn được tham gia các lớp bồi dưỡng cán bộ Đoàn.",
        "Muốn làm việc trong lĩnh vực {major} tại một cơ quan hoặc doanh nghiệp nhà nước.",
        "Mong muốn được tham gia nghiên cứu khoa học cùng giảng viên.",
    ),
    CADRE: (
        "Mong muốn được luân chuyển về cơ sở để rèn luyện.",
        "Mong muốn được cử đi học cao cấp lý luận chính trị.",
        "Muốn tham gia các khóa bồi dưỡng kỹ năng lãnh đạo, quản lý.",
        "Mong muốn học thạc sĩ Quản lý công.",
    ),
}
HOMETOWN_ASPIRATION = "Muốn trở về quê hương công tác sau khi tốt nghiệp."

# Consent. The Personal Data Protection Law took effect on 1 January 2026: people followed before
# then were asked during the first half of 2026; people registered later, within a few weeks of it.
CONSENT_CAMPAIGN = (dt.date(2026, 1, 5), dt.date(2026, 6, 30))
PROFILE_CONSENT_SHARE = 0.93  # the rest have not returned a form yet
SHARE_CONSENT = {PUPIL: 0.55, STUDENT: 0.75, CADRE: 0.6}
CONTACT_CONSENT = {PUPIL: 0.45, STUDENT: 0.4, CADRE: 0.25}
ONLINE_CONSENT = {PUPIL: 0.3, STUDENT: 0.6, CADRE: 0.45}  # the rest signed a paper form
SHARE_WITHDRAWN, SHARE_REGRANTED, CONTACT_WITHDRAWN = 0.07, 0.3, 0.12
GUARDIAN_FORM_RETURNED = 0.75
GUARDIAN_DECLINES_SHARING = 0.15
GUARDIAN_FORM_SCANNED = 0.35
MAX_EVIDENCE_FILES = 48  # scanned forms written to MEDIA_ROOT; the rest stay on paper at the school
ONLINE_NOTE = "Tự xác nhận trực tuyến qua Cổng thông tin tài năng trẻ TP.HCM; cán bộ đã đối chiếu."
REGRANT_NOTE = "Đồng ý lại bằng văn bản sau khi được giải thích phạm vi chia sẻ."
GUARDIAN_SCANNED_NOTE = "Phiếu đồng ý của cha mẹ có chữ ký (bản scan đính kèm); bản giấy lưu tại {org}."
GUARDIAN_PAPER_NOTE = "Phiếu đồng ý của cha mẹ có chữ ký, bản giấy lưu tại {org}."
PAPER_NOTES = {
    PUPIL: "Phiếu đồng ý giấy có chữ ký của học sinh, lưu tại {org}.",
    STUDENT: "Phiếu đồng ý giấy có chữ ký của sinh viên, lưu tại {org}.",
    CADRE: "Bản đồng ý có chữ ký trong hồ sơ cán bộ, lưu tại {org}.",
}
SHOWCASE_CONSENT_AT = dt.datetime(2026, 1, 12, 20, 41, tzinfo=DEMO_TZ)


class _Table:
    """A weighted list, with the cumulative weights computed once."""

    __slots__ = ("items", "cumulative", "total")

    def __init__(self, weighted: Weighted) -> None:
        self.items = [item for item, _ in weighted]
        self.cumulative = list(accumulate(weight for _, weight in weighted))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


def _halved(weighted: Weighted, names: frozenset[str]) -> Weighted:
    return tuple((name, weight / 2 if name in names else weight) for name, weight in weighted)


_FAMILY = _Table(demo_names.FAMILY_NAMES)
_ETHNIC_FAMILY = {ethnicity: _Table(names) for ethnicity, names in demo_names.ETHNIC_FAMILY_NAMES.items()}
_MIDDLE = {
    ("male", False): _Table(demo_names.MALE_MIDDLE_NAMES),
    ("female", False): _Table(demo_names.FEMALE_MIDDLE_NAMES),
    ("male", True): _Table(_halved(demo_names.MALE_MIDDLE_NAMES, demo_names.GENERATIONAL_MIDDLE_NAMES)),
    ("female", True): _Table(_halved(demo_names.FEMALE_MIDDLE_NAMES, demo_names.GENERATIONAL_MIDDLE_NAMES)),
}
_GIVEN = {"male": _Table(demo_names.MALE_GIVEN_NAMES), "female": _Table(demo_names.FEMALE_GIVEN_NAMES)}
_ETHNICITY = _Table(ETHNICITY_WEIGHTS)
_ETHNIC_PROVINCE = {ethnicity: _Table(weights) for ethnicity, weights in ETHNIC_PROVINCES.items()}
_OTHER_PROVINCE = _Table(OTHER_PROVINCES)
_HCM_LEGACY = _Table(HCM_LEGACY_GSO)
_EMAIL_DOMAIN = _Table(EMAIL_DOMAINS)
_PRIZE = _Table(PRIZES)
_MEDAL = _Table(MEDALS)
_SECOND_LANGUAGE = _Table(SECOND_LANGUAGES)
_ENGLISH_LEVEL = {cohort: _Table(levels) for cohort, levels in ENGLISH_LEVELS.items()}
_TARGET = {key: _Table(weights) for key, weights in TARGET_STAGES.items()}
_RELIGION = _Table(RELIGIONS)
_ETHNIC_RELIGION = {ethnicity: _Table(weights) for ethnicity, weights in ETHNIC_RELIGIONS.items()}
_PROVINCE_RELIGION = {code: _Table(weights) for code, weights in PROVINCE_RELIGIONS.items()}
_LEGACY_BY_CURRENT: dict[int, list[int]] = {}
for _legacy in LEGACY_PROVINCES:
    _LEGACY_BY_CURRENT.setdefault(_legacy.current, []).append(_legacy.gso)


def _short_province(code: int) -> str:
    name = current_provinces()[code]
    return "TP.HCM" if code == HCM else name.removeprefix("Thành phố ")


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    """A time during office hours on ``day``, in the city's time zone."""
    return dt.datetime(day.year, day.month, day.day, rng.randrange(8, 17), rng.randrange(60), tzinfo=DEMO_TZ)


def _moments(rng: random.Random, start: dt.date, end: dt.date, count: int) -> list[dt.datetime]:
    """``count`` strictly increasing moments on distinct days in [start, end]."""
    if count == 0:
        return []
    span = (end - start).days + 1
    if span < count:
        start, span = end - dt.timedelta(days=count - 1), count
    days = sorted(rng.sample(range(span), count))
    return [_moment(rng, start + dt.timedelta(days=d)) for d in days]


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _left_on_request(person: PersonSpec) -> bool:
    """Whether ``person`` left the programme at their own (or their family's) request."""
    last = person.history[-1]
    return last.to_stage == S.EXITED and "xin rút" in last.reason.lower()


@lru_cache(maxsize=1)
def _wards() -> dict[int, tuple[str, ...]]:
    """Today's wards and communes ("Phường Thủ Đức", "Xã Củ Chi") by province, in code order."""
    found: dict[int, list[tuple[int, str]]] = {}
    for ward in Ward.iter_all():
        found.setdefault(int(ward.province_code), []).append((int(ward.code), " ".join(ward.name.split())))
    return {province: tuple(name for _, name in sorted(wards)) for province, wards in found.items()}


def _wards_of(province: int) -> tuple[str, ...]:
    return _wards()[province]


class _Generator:
    """Draws people from one ``random.Random``; remembers identifiers so that they stay unique."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        # What the demo gained later (younger pupils, religion, addresses, aspirations, consents) is
        # drawn from a second stream, so that the people of the first stream stay who they were.
        self.extra_rng = random.Random(f"talent-demo-extra-{seed}")
        self.evidence_files = 0
        self.citizen_ids: set[str] = set()
        self.exam_numbers: set[tuple[str, int]] = set()
        self.emails: set[str] = set()
        self.high_schools = [o for o in ORGANIZATIONS if o.kind == Kind.HIGH_SCHOOL]
        self.faculties = [o for o in ORGANIZATIONS if o.kind == Kind.FACULTY]
        wards = [o.code for o in ORGANIZATIONS if o.kind == Kind.YOUTH_UNION and o.parent == CITY
                 and o.code != UNIVERSITY_BLOCK]
        # Young cadres work mostly in agencies, then in Youth Union units, a few in state enterprises.
        self.cadre_workplaces = _Table(
            tuple((code, 11.0) for code, _ in AGENCIES) + ((CITY, 8.0),)
            + tuple((code, 27.0 / len(wards)) for code in wards)
            + tuple((code, 5.0) for code, _ in ENTERPRISES)
        )

    # -- identity --

    def _chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def _extra_chance(self, probability: float) -> bool:
        return self.extra_rng.random() < probability

    @contextmanager
    def _drawing_from(self, rng: random.Random) -> Iterator[None]:
        """Let every helper draw from ``rng`` for a while (they all use ``self.rng``)."""
        saved, self.rng = self.rng, rng
        try:
            yield
        finally:
            self.rng = saved

    def birth_date(self, year: int) -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def ethnicity_and_province(self, cohort: str) -> tuple[str, int]:
        ethnicity = _ETHNICITY.pick(self.rng)
        if ethnicity in _ETHNIC_PROVINCE:
            return ethnicity, _ETHNIC_PROVINCE[ethnicity].pick(self.rng)
        if self._chance(SHARE_FROM_CITY[cohort]):
            return ethnicity, HCM
        return ethnicity, _OTHER_PROVINCE.pick(self.rng)

    def legacy_gso(self, province: int, school: str | None = None) -> int:
        if school in SCHOOL_LEGACY_GSO:
            return SCHOOL_LEGACY_GSO[school]
        if province == HCM:
            return _HCM_LEGACY.pick(self.rng)
        return self.rng.choice(_LEGACY_BY_CURRENT[province])

    def name(self, gender: str, birth_year: int, ethnicity: str) -> tuple[str, str, str]:
        family = _ETHNIC_FAMILY.get(ethnicity, _FAMILY).pick(self.rng)
        middle = _MIDDLE[(gender, birth_year >= demo_names.GENERATION_SHIFT_YEAR)].pick(self.rng)
        given = _GIVEN[gender].pick(self.rng)
        while given == middle:
            given = _GIVEN[gender].pick(self.rng)
        return family, middle, given

    def citizen_id(self, gso: int, gender: str, dob: dt.date) -> str:
        century_gender = (0 if dob.year < 2000 else 2) + (0 if gender == "male" else 1)
        while True:
            cid = f"0{gso:02d}{century_gender}{dob.year % 100:02d}{self.rng.randrange(1_000_000):06d}"
            if cid not in self.citizen_ids:
                self.citizen_ids.add(cid)
                return cid

    def exam_number(self, gso: int, year: int) -> str:
        council = LEGACY_BY_GSO[gso].moet
        while True:
            number = f"{council:02d}{self.rng.randrange(1_000_000):06d}"
            if (number, year) not in self.exam_numbers:
                self.exam_numbers.add((number, year))
                return number

    def phone(self) -> str:
        return f"{self.rng.choice(PHONE_PREFIXES)}{self.rng.randrange(10_000_000):07d}"

    def email(self, family: str, middle: str, given: str, birth_year: int, *, with_year: bool = False) -> str:
        f, m, g = (fold(part).replace(" ", "") for part in (family, middle, given))
        yy = f"{birth_year % 100:02d}"
        # with_year: only the forms that carry the year of birth, which people born in other years
        # do not take first (see young_pupil).
        local = (f"{g}.{f}{m}", f"{f}{m}{g}{yy}", f"{g}{f[0]}{m[0]}{yy}")[self.rng.randrange(1 if with_year else 0, 3)]
        domain = _EMAIL_DOMAIN.pick(self.rng)
        email = f"{local}@{domain}"
        while email in self.emails:
            email = f"{local}{self.rng.randrange(10, 1000)}@{domain}"
        self.emails.add(email)
        return email

    # -- records --

    def gpa4(self, mean: float) -> str:
        return f"{_clip(self.rng.gauss(mean, 0.33), 2.0, 4.0):.2f}"

    def gpa10(self, mean: float) -> str:
        return f"{_clip(self.rng.gauss(mean, 0.55), 6.0, 9.9):.2f}"

    def conduct(self) -> int:
        return int(_clip(round(self.rng.gauss(84, 8)), 45, 100))

    def outside_school(self, province: int) -> str:
        if province in PROVINCE_SPECIALISED_SCHOOLS and self._chance(0.35):
            return PROVINCE_SPECIALISED_SCHOOLS[province]
        return f"Trường THPT {self.rng.choice(COMMON_SCHOOL_NAMES)} – {_short_province(province)}"

    def languages(self, cohort: str, ethnicity: str, *, probability: float) -> tuple[LanguageSpec, ...]:
        found: list[LanguageSpec] = []
        if self._chance(probability):
            level = _ENGLISH_LEVEL[cohort].pick(self.rng)
            found.append(self.certificate("en", level, self.rng.choice(ENGLISH_CERTIFICATES[level])))
        # Chinese runs in Hoa families; other second languages follow study and work abroad.
        second = "zh" if ethnicity == "Hoa" and self._chance(0.3) else (
            _SECOND_LANGUAGE.pick(self.rng) if self._chance(0.08) else None)
        if second:
            level = self.rng.choice(sorted(OTHER_CERTIFICATES[second]))
            found.append(self.certificate(second, level, OTHER_CERTIFICATES[second][level]))
        return tuple(found)

    def certificate(self, language: str, level: int, name: str) -> LanguageSpec:
        issued = AS_OF - dt.timedelta(days=self.rng.randrange(10, 900))
        status = VerificationStatus.VERIFIED if self._chance(0.6) else VerificationStatus.PENDING
        return LanguageSpec(language, level, name, issued, status)

    def achievement(self, category: str, level: str, rank: str, year: int, title: str, issuer: str,
                    *, reviewer_pace: float = 1.0) -> AchievementSpec:
        year = min(year, AS_OF.year)
        last_month = 12 if year < AS_OF.year else AS_OF.month - 2
        decided = dt.date(year, self.rng.randrange(1, last_month + 1), self.rng.randrange(1, 29))
        evidence = (f"Quyết định số {self.rng.randrange(100, 5000)}/QĐ-{issuer} ngày {decided:%d/%m/%Y}"
                    if issuer else "")
        roll = self.rng.random()
        top = level in (Achievement.Level.NATIONAL, Achievement.Level.INTERNATIONAL)
        if roll < (0.85 if top else 0.55) * reviewer_pace:
            status = VerificationStatus.VERIFIED
        elif roll > 0.93:
            status = VerificationStatus.REJECTED
        else:
            status = VerificationStatus.PENDING
        if status == VerificationStatus.PENDING and self._chance(0.25):
            evidence = ""
        reviewed_at = None
        if status != VerificationStatus.PENDING:
            reviewed_at = _moments(self.rng, decided + dt.timedelta(days=1), AS_OF - dt.timedelta(days=2), 1)[0]
        return AchievementSpec(category, level, rank, year, title, evidence, status, reviewed_at)

    def school_olympiad(self, year: int, province: int) -> AchievementSpec:
        """A prize of the upper-secondary years, dated by the school year it ended."""
        C, L = Achievement.Category, Achievement.Level
        subject = self.rng.choice(HS_SUBJECTS)
        roll = self.rng.random()
        region = "thành phố" if province in CITY_LEVEL_PROVINCES else "tỉnh"
        if roll < 0.02 and subject in INTERNATIONAL_OLYMPIADS:
            rank = _MEDAL.pick(self.rng)
            return self.achievement(C.OLYMPIAD, L.INTERNATIONAL, rank, year,
                                    f"{RANK_TEXT[rank]} {INTERNATIONAL_OLYMPIADS[subject]} năm {year}", "BGDĐT")
        if roll < 0.15:
            rank = _PRIZE.pick(self.rng)
            return self.achievement(C.OLYMPIAD, L.NATIONAL, rank, year,
                                    f"{RANK_TEXT[rank]} kỳ thi chọn học sinh giỏi quốc gia THPT môn {subject} "
                                    f"năm {year}", "BGDĐT")
        if roll < 0.45:
            rank = _PRIZE.pick(self.rng)
            return self.achievement(C.OLYMPIAD, L.PROVINCE, rank, year,
                                    f"{RANK_TEXT[rank]} kỳ thi chọn học sinh giỏi cấp {region} môn "
                                    f"{subject}, năm học {year - 1}-{year}", "SGDĐT")
        if roll < 0.65:
            rank = _MEDAL.pick(self.rng)
            return self.achievement(C.OLYMPIAD, L.PROVINCE, rank, year,
                                    f"{RANK_TEXT[rank]} Kỳ thi Olympic truyền thống 30/4 môn {subject}, "
                                    f"năm {year}", "SGDĐT")
        rank = _PRIZE.pick(self.rng)
        return self.achievement(C.OLYMPIAD, L.SCHOOL, rank, year,
                                f"{RANK_TEXT[rank]} kỳ thi học sinh giỏi cấp trường môn {subject}, "
                                f"năm học {year - 1}-{year}", "THPT")

    def school_activity(self, year: int, grade: int) -> AchievementSpec:
        """Something done in the school year ending in ``year``, when the pupil was in ``grade``."""
        C, L = Achievement.Category, Achievement.Level
        kind = self.rng.randrange(6)
        if kind == 0:
            rank = _PRIZE.pick(self.rng)
            level = L.NATIONAL if self._chance(0.15) else L.PROVINCE
            scope = "cấp quốc gia" if level == L.NATIONAL else "cấp thành phố"
            return self.achievement(C.COMPETITION, level, rank, year,
                                    f"{RANK_TEXT[rank]} Cuộc thi Khoa học kỹ thuật {scope} dành cho học sinh "
                                    f"trung học, năm học {year - 1}-{year}",
                                    "SGDĐT" if level == L.PROVINCE else "BGDĐT")
        if kind == 1:
            rank = _PRIZE.pick(self.rng)
            return self.achievement(C.COMPETITION, L.PROVINCE, rank, year,
                                    f"{RANK_TEXT[rank]} Cuộc thi Olympic Tiếng Anh trên Internet (IOE) cấp thành "
                                    f"phố, năm học {year - 1}-{year}", "SGDĐT")
        if kind == 2:
            return self.achievement(C.AWARD, L.PROVINCE, Achievement.AwardRank.HONOUR, year,
                                    f"Danh hiệu Học sinh 3 tốt cấp thành phố năm học {year - 1}-{year}", "TĐTN")
        if kind == 3:
            return self.achievement(C.VOLUNTEERING, L.SCHOOL, "", year,
                                    f"Tham gia Chiến dịch tình nguyện Hoa phượng đỏ năm {year}", "")
        if kind == 4:
            return self.achievement(C.LEADERSHIP, L.SCHOOL, "", year,
                                    f"Bí thư Chi đoàn lớp {grade}A{self.rng.randrange(1, 12)}, "
                                    f"năm học {year - 1}-{year}", "")
        return self.achievement(C.AWARD, L.SCHOOL, Achievement.AwardRank.HONOUR, year,
                                f"Học sinh Xuất sắc năm học {year - 1}-{year}", "THPT")

    def campus_achievement(self, year: int) -> AchievementSpec:
        C, L = Achievement.Category, Achievement.Level
        kind = self.rng.randrange(9)
        rank = _PRIZE.pick(self.rng)
        if kind == 0:
            return self.achievement(C.RESEARCH, L.SCHOOL, rank, year,
                                    f"{RANK_TEXT[rank]} Hội nghị Sinh viên nghiên cứu khoa học cấp trường năm {year}",
                                    "ĐH")
        if kind == 1:
            if self._chance(0.05):
                return self.achievement(C.RESEARCH, L.INTERNATIONAL, "", year,
                                        f"Bài báo khoa học đăng trên tạp chí quốc tế thuộc danh mục Scopus năm {year}",
                                        "")
            return self.achievement(C.RESEARCH, L.NATIONAL, rank, year,
                                    f"{RANK_TEXT[rank]} Giải thưởng Sinh viên nghiên cứu khoa học Euréka lần thứ "
                                    f"{year - 1998} năm {year}", "TĐTN")
        if kind == 2:
            title, level = self.rng.choice((
                ("Kỳ thi Olympic Toán học Sinh viên và Học sinh toàn quốc", L.NATIONAL),
                ("Kỳ thi Lập trình Sinh viên ICPC quốc gia", L.NATIONAL),
                ("Cuộc thi Sinh viên với An toàn thông tin", L.NATIONAL),
                ("Olympic Kinh tế lượng và Ứng dụng toàn quốc", L.NATIONAL),
                ("Cuộc thi Ý tưởng khởi nghiệp sinh viên cấp thành phố", L.PROVINCE),
                ("Cuộc thi Tìm hiểu Luật Thanh niên cấp trường", L.SCHOOL),
            ))
            return self.achievement(C.COMPETITION, level, rank, year, f"{RANK_TEXT[rank]} {title} năm {year}",
                                    "TĐTN" if level == L.PROVINCE else ("ĐH" if level == L.SCHOOL else "TWĐTN"))
        if kind in (3, 4):
            level = self.rng.choice((L.SCHOOL, L.SCHOOL, L.SCHOOL, L.PROVINCE, L.PROVINCE, L.NATIONAL))
            scope = {L.SCHOOL: "cấp trường", L.PROVINCE: "cấp Thành phố", L.NATIONAL: "cấp Trung ương"}[level]
            return self.achievement(C.AWARD, level, Achievement.AwardRank.HONOUR, year,
                                    f"Danh hiệu Sinh viên 5 tốt {scope} năm học {year - 1}-{year}",
                                    {L.SCHOOL: "ĐH", L.PROVINCE: "HSVTP", L.NATIONAL: "TWHSV"}[level])
        if kind in (5, 6):
            if self._chance(0.2):
                return self.achievement(C.VOLUNTEERING, L.PROVINCE, Achievement.AwardRank.HONOUR, year,
                                        f"Chiến sĩ tình nguyện tiêu biểu Chiến dịch Mùa hè xanh năm {year}", "TĐTN")
            title = self.rng.choice(("Chiến sĩ Chiến dịch Mùa hè xanh", "Tham gia Chiến dịch Xuân tình nguyện",
                                     "Tình nguyện viên Chương trình Tiếp sức mùa thi"))
            return self.achievement(C.VOLUNTEERING, L.SCHOOL, "", year, f"{title} năm {year}", "")
        if self._chance(0.1):
            return self.achievement(C.LEADERSHIP, L.PROVINCE, "", year,
                                    "Ủy viên Ban Chấp hành Hội Sinh viên Việt Nam TP.HCM nhiệm kỳ 2023-2028", "")
        title = self.rng.choice(("Bí thư Chi đoàn", "Phó Chủ tịch Hội Sinh viên khoa",
                                 "Chủ nhiệm câu lạc bộ học thuật của khoa", "Ủy viên Ban Chấp hành Đoàn trường"))
        return self.achievement(C.LEADERSHIP, L.SCHOOL, "", year, f"{title}, năm học {year}-{year + 1}", "")

    def cadre_achievement(self, year: int, workplace: str) -> AchievementSpec:
        C, L, R = Achievement.Category, Achievement.Level, Achievement.AwardRank
        kind = self.rng.randrange(10)
        if kind < 4:
            title, level, issuer = self.rng.choice((
                ("Danh hiệu Thanh niên tiên tiến làm theo lời Bác cấp Thành phố", L.PROVINCE, "TĐTN"),
                ("Giấy khen của Ban Thường vụ Thành Đoàn", L.PROVINCE, "TĐTN"),
                ("Gương mặt trẻ TP. Hồ Chí Minh tiêu biểu", L.PROVINCE, "TĐTN"),
                ("Bằng khen của Ban Chấp hành Trung ương Đoàn", L.NATIONAL, "TWĐTN"),
                ("Giấy khen của Ban Thường vụ Thành Đoàn", L.PROVINCE, "TĐTN"),
            ))
            if self._chance(0.02):
                title, level, issuer = "Giải thưởng Lý Tự Trọng", L.NATIONAL, "TWĐTN"
            return self.achievement(C.AWARD, level, R.HONOUR, year, f"{title} năm {year}", issuer)
        if kind < 6:
            if self._chance(0.25):
                return self.achievement(C.VOLUNTEERING, L.PROVINCE, R.HONOUR, year,
                                        f"Gương thanh niên tình nguyện tiêu biểu cấp thành phố năm {year}", "TĐTN")
            return self.achievement(C.VOLUNTEERING, L.SCHOOL, "", year,
                                    f"Chiến sĩ Chiến dịch Thanh niên tình nguyện hè năm {year}", "")
        if kind < 8:
            if self._chance(0.1):
                return self.achievement(C.LEADERSHIP, L.PROVINCE, "", year,
                                        "Ủy viên Ban Chấp hành Thành Đoàn TP. Hồ Chí Minh nhiệm kỳ 2022-2027", "")
            role = "Bí thư Chi đoàn cơ quan" if workplace[:3] in ("CQ-", "DN-") else "Phó Bí thư Đoàn cơ sở"
            return self.achievement(C.LEADERSHIP, L.SCHOOL, "", year, f"{role} nhiệm kỳ {year}-{year + 2}", "")
        if kind == 8:
            rank = _PRIZE.pick(self.rng)
            contest = self.rng.choice(("Hội thi Cán bộ Đoàn giỏi cấp thành phố",
                                       "Hội thi Báo cáo viên giỏi cấp thành phố",
                                       "Cuộc thi Sáng kiến cải cách hành chính cấp thành phố"))
            return self.achievement(C.COMPETITION, L.PROVINCE, rank, year, f"{RANK_TEXT[rank]} {contest} năm {year}",
                                    "TĐTN")
        level = L.PROVINCE if self._chance(0.3) else L.SCHOOL
        scope = "cấp thành phố" if level == L.PROVINCE else "cấp cơ sở"
        return self.achievement(C.RESEARCH, level, "", year,
                                f"Chủ nhiệm đề tài nghiên cứu khoa học {scope} năm {year}",
                                "SKHCN" if level == L.PROVINCE else "")

    # -- pipeline history --

    def path_to(self, target: str, cohort: str) -> list[str]:
        """A walk along the pipeline graph from "discovered" to ``target``."""
        if target == S.EXITED:
            path = self.path_to(self.rng.choice(EXIT_FROM[cohort]), cohort) + [S.EXITED]
            if self._chance(0.12):
                path.append(S.DISCOVERED)
            return path
        forward = {
            S.DISCOVERED: [S.DISCOVERED],
            S.NOMINATED: [S.DISCOVERED, S.NOMINATED],
            S.POOL: [S.DISCOVERED, S.NOMINATED, S.POOL],
            S.SHORTLISTED: [S.DISCOVERED, S.NOMINATED, S.POOL, S.SHORTLISTED],
        }
        if target in forward:
            path = forward[target]
        elif target == S.PLACEMENT:
            path = self.rng.choice(([S.DISCOVERED, S.NOMINATED, S.POOL, S.PLACEMENT],
                                    [S.DISCOVERED, S.NOMINATED, S.POOL, S.SHORTLISTED, S.PLACEMENT]))
        else:
            path = self.rng.choice(([S.DISCOVERED, S.NOMINATED, S.POOL, S.SHORTLISTED, S.RECRUITED],
                                    [S.DISCOVERED, S.NOMINATED, S.POOL, S.PLACEMENT, S.RECRUITED],
                                    [S.DISCOVERED, S.NOMINATED, S.POOL, S.SHORTLISTED, S.PLACEMENT, S.RECRUITED]))
            if target in (S.PLANNING, S.APPOINTED):
                path = path + [S.PLANNING]
            if target == S.APPOINTED:
                path = path + [S.APPOINTED]
        path = list(path)
        # Now and then someone steps back once (a thin file, a lost interview) and comes forward again.
        turning = [i for i, stage in enumerate(path) if stage in BACKWARD_STEP]
        if turning and self._chance(0.08):
            i = self.rng.choice(turning)
            path[i + 1:i + 1] = [BACKWARD_STEP[path[i]], path[i]]
        return path

    def history(
        self, path: list[str], cohort: str, windows: list[tuple[dt.date, dt.date, int]],
    ) -> tuple[TransitionSpec, ...]:
        """Date the steps of ``path``: each window (start, end, number of steps) in turn."""
        moments: list[dt.datetime] = []
        for start, end, count in windows:
            if moments:
                start = max(start, moments[-1].date() + dt.timedelta(days=1))
            # A window squeezed by the one before stretches rather than reach back in time.
            end = max(end, start + dt.timedelta(days=count))
            moments.extend(_moments(self.rng, start, end, count))
        transitions: list[TransitionSpec] = []
        previous = ""
        for stage, at in zip(path, moments):
            transitions.append(TransitionSpec(previous, stage, self.reason(previous, stage, cohort, at), at))
            previous = stage
        return tuple(transitions)

    def reason(self, from_stage: str, to_stage: str, cohort: str, at: dt.datetime) -> str:
        if not from_stage:
            return self.rng.choice(REGISTER_REASONS[cohort])
        if to_stage == S.EXITED:
            return self.rng.choice(EXIT_REASONS[cohort])
        if (from_stage, to_stage) in BACKWARD_REASONS:
            return BACKWARD_REASONS[(from_stage, to_stage)]
        if to_stage == S.PLACEMENT:
            return f"Thực tập tại {self.rng.choice(PLACEMENT_HOSTS)}"
        if to_stage == S.PLANNING:
            return f"Đưa vào quy hoạch nhiệm kỳ {'2020-2025' if at.year < 2023 else '2025-2030'}"
        return self.rng.choice(FORWARD_REASONS[to_stage])

    # -- cohorts --

    def pupil(self) -> PersonSpec:
        rng = self.rng
        gender = "male" if self._chance(0.48) else "female"
        dob = self.birth_date(2009 if self._chance(0.97) else 2008)
        ethnicity, province = self.ethnicity_and_province(PUPIL)
        school = rng.choice(self.high_schools)
        gso = self.legacy_gso(province, school.code)
        family, middle, given = self.name(gender, dob.year, ethnicity)
        education = (
            EducationSpec(EducationRecord.Level.GRADE_12, school.code, school.name, "", 2026, None),
            EducationSpec(EducationRecord.Level.GRADE_11, school.code, school.name, "", 2025, 2026,
                          gpa=self.gpa10(8.3), gpa_scale=10),
        )
        achievements = tuple(
            self.school_olympiad(year, province) if self._chance(0.5)
            # Grade 12 ends in 2027, so the school year ending in 2026 was grade 11.
            else self.school_activity(year, grade=year - 2015)
            for year in sorted(rng.choice((2025, 2026)) for _ in range(rng.choice((0, 0, 1, 1, 1, 2, 2, 3))))
        )
        path = self.path_to(_TARGET[PUPIL].pick(rng), PUPIL)
        history = self.history(path, PUPIL, [(dt.date(2025, 9, 15), AS_OF - dt.timedelta(days=7), len(path))])
        return PersonSpec(
            cohort=PUPIL, full_name=f"{family} {middle} {given}", gender=gender, date_of_birth=dob,
            ethnicity=ethnicity, province_code=province, email=self.email(family, middle, given, dob.year),
            phone=self.phone(), citizen_id=self.citizen_id(gso, gender, dob) if self._chance(0.6) else "",
            exam_number="", exam_year=None, organization=school.code,
            youth_union_member=self._chance(0.88), party_member=False, party_joined_on=None, political_theory="",
            education=education, achievements=achievements,
            languages=self.languages(PUPIL, ethnicity, probability=0.5), history=history,
            pools=self.pools_for(PUPIL, school.code, history[-1].to_stage),
        )

    def young_pupil(self) -> PersonSpec:
        """A grade-10 or grade-11 olympiad pupil, drawn from the second stream (see ``__init__``).

        Emails end in the year of birth and citizen IDs carry it, so in practice nobody of the first
        stream (born 2009 or earlier) collides with them and gets drawn differently because of them.
        """
        with self._drawing_from(self.extra_rng):
            rng = self.rng
            grade = 11 if self._chance(0.5) else 10
            cohort_key = GRADE_11_PUPIL if grade == 11 else GRADE_10_PUPIL
            gender = "male" if self._chance(0.5) else "female"
            dob = self.birth_date(AS_OF.year - 5 - grade)  # grade 10 in 2026-2027: born 2011
            ethnicity, province = self.ethnicity_and_province(PUPIL)
            schools = [o for o in self.high_schools if o.code in SPECIALISED_SCHOOLS]
            school = rng.choice(schools if self._chance(0.75) else self.high_schools)
            gso = self.legacy_gso(province, school.code)
            family, middle, given = self.name(gender, dob.year, ethnicity)
            if grade == 11:
                education = (
                    EducationSpec(EducationRecord.Level.GRADE_11, school.code, school.name, "", 2026, None),
                    EducationSpec(EducationRecord.Level.GRADE_10, school.code, school.name, "", 2025, 2026,
                                  gpa=self.gpa10(8.8), gpa_scale=10),
                )
            else:
                education = (EducationSpec(EducationRecord.Level.GRADE_10, school.code, school.name, "", 2026, None),)
            achievements = tuple(sorted(
                (self.young_olympiad(grade, school.code) for _ in range(rng.choice((1, 1, 2, 2, 3)))),
                key=lambda a: a.year,
            ))
            path = self.path_to(_TARGET["pupil_young"].pick(rng), PUPIL)
            # Grade-11 pupils were spotted during grade 10; grade-10 pupils when they entered.
            start = dt.date(2025, 9, 15) if grade == 11 else dt.date(2026, 6, 20)
            history = self.history(path, cohort_key, [(start, AS_OF - dt.timedelta(days=7), len(path))])
            return PersonSpec(
                cohort=PUPIL, full_name=f"{family} {middle} {given}", gender=gender, date_of_birth=dob,
                ethnicity=ethnicity, province_code=province,
                email=self.email(family, middle, given, dob.year, with_year=True), phone=self.phone(),
                citizen_id=self.citizen_id(gso, gender, dob) if self._chance(0.6) else "",
                exam_number="", exam_year=None, organization=school.code,
                # Youth Union membership starts at 16.
                youth_union_member=age_on(dob, AS_OF) >= 16 and self._chance(0.6), party_member=False,
                party_joined_on=None, political_theory="", education=education, achievements=achievements,
                languages=self.languages(PUPIL, ethnicity, probability=0.5), history=history,
                pools=self.pools_for(PUPIL, school.code, history[-1].to_stage),
            )

    def young_olympiad(self, grade: int, school: str) -> AchievementSpec:
        """A prize of a pupil now in ``grade`` 10 or 11, won in grade 9 or 10."""
        C, L = Achievement.Category, Achievement.Level
        subject = self.rng.choice(HS_SUBJECTS)
        roll = self.rng.random()
        # The last school year ended in 2026; grade-9 contests of Bình Dương and Bà Rịa - Vũng Tàu
        # before the merger were provincial.
        grade_9_year = 2026 if grade == 10 else 2025
        region = "tỉnh" if school in SCHOOL_LEGACY_GSO and grade_9_year < 2026 else "thành phố"
        if grade == 11:
            if roll < 0.05:
                rank = _PRIZE.pick(self.rng)
                return self.achievement(C.OLYMPIAD, L.NATIONAL, rank, 2026,
                                        f"{RANK_TEXT[rank]} kỳ thi chọn học sinh giỏi quốc gia THPT môn {subject} "
                                        f"năm 2026 (khi đang học lớp 10)", "BGDĐT")
            if roll < 0.5:
                rank = _MEDAL.pick(self.rng)
                return self.achievement(C.OLYMPIAD, L.PROVINCE, rank, 2026,
                                        f"{RANK_TEXT[rank]} Kỳ thi Olympic truyền thống 30/4 môn {subject} lớp 10, "
                                        f"năm 2026", "SGDĐT")
            if roll < 0.8:
                rank = _PRIZE.pick(self.rng)
                return self.achievement(C.OLYMPIAD, L.PROVINCE, rank, grade_9_year,
                                        f"{RANK_TEXT[rank]} kỳ thi chọn học sinh giỏi lớp 9 cấp {region} môn "
                                        f"{subject}, năm học {grade_9_year - 1}-{grade_9_year}", "SGDĐT")
            rank = _PRIZE.pick(self.rng)
            return self.achievement(C.OLYMPIAD, L.SCHOOL, rank, 2026,
                                    f"{RANK_TEXT[rank]} kỳ thi học sinh giỏi lớp 10 cấp trường môn {subject}, "
                                    "năm học 2025-2026", "THPT")
        if roll < 0.06:
            return self.achievement(C.EXAM, L.PROVINCE, Achievement.AwardRank.TOP, 2026,
                                    f"Thủ khoa môn chuyên {subject} kỳ thi tuyển sinh lớp 10 THPT chuyên năm học "
                                    "2026-2027", "SGDĐT")
        if roll < 0.75:
            rank = _PRIZE.pick(self.rng)
            return self.achievement(C.OLYMPIAD, L.PROVINCE, rank, grade_9_year,
                                    f"{RANK_TEXT[rank]} kỳ thi chọn học sinh giỏi lớp 9 cấp {region} môn {subject}, "
                                    f"năm học {grade_9_year - 1}-{grade_9_year}", "SGDĐT")
        rank = _PRIZE.pick(self.rng)
        return self.achievement(C.COMPETITION, L.PROVINCE, rank, grade_9_year,
                                f"{RANK_TEXT[rank]} Cuộc thi Olympic Tiếng Anh trên Internet (IOE) lớp 9 cấp {region}, "
                                f"năm học {grade_9_year - 1}-{grade_9_year}", "SGDĐT")

    def student(self) -> PersonSpec:
        rng = self.rng
        gender = "male" if self._chance(0.5) else "female"
        birth_year = rng.choices((2008, 2007, 2006, 2005, 2004), weights=(18, 24, 24, 24, 10))[0]
        dob = self.birth_date(birth_year)
        ethnicity, province = self.ethnicity_and_province(STUDENT)
        faculty = rng.choice(self.faculties)
        university = ORG_BY_CODE[faculty.parent or ""]
        start = min(AS_OF.year, birth_year + 18 + (1 if self._chance(0.06) else 0))
        if start + university.years <= AS_OF.year:
            # Would have graduated already: someone still studying at that age took a year out.
            start = AS_OF.year - university.years + 1
        year_of_study = AS_OF.year - start + 1
        family, middle, given = self.name(gender, birth_year, ethnicity)
        if province == HCM:
            school = rng.choice(self.high_schools)
            school_code, school_name = school.code, school.name
        else:
            school_code, school_name = None, self.outside_school(province)
        gso = self.legacy_gso(province, school_code)
        major = rng.choice(faculty.majors)
        mean_gpa = rng.gauss(3.2, 0.15)
        education = [
            EducationSpec(EducationRecord.Level.UNIVERSITY, university.code, university.name, major, start, None,
                          gpa=self.gpa4(mean_gpa) if year_of_study >= 2 else None,
                          conduct_score=self.conduct() if year_of_study >= 2 else None,
                          retaken_over_5_percent=self._chance(0.04), disciplined=self._chance(0.01)),
            EducationSpec(EducationRecord.Level.GRADE_12, school_code, school_name, "", start - 1, start,
                          gpa=self.gpa10(8.6), gpa_scale=10),
        ]
        exam_number = self.exam_number(gso, start) if start >= 2022 and self._chance(0.6) else ""
        achievements: list[AchievementSpec] = []
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
            if year_of_study == 1 or self._chance(0.3):
                school_year = rng.randrange(start - 2, start + 1)
                achievements.append(self.school_olympiad(school_year, province) if self._chance(0.6)
                                    else self.school_activity(school_year, grade=12 - (start - school_year)))
            else:
                achievements.append(self.campus_achievement(rng.randrange(start + 1, AS_OF.year + 1)))
        if exam_number and self._chance(0.02):
            combination = rng.choice(EXAM_COMBINATIONS)
            if self._chance(0.1):
                title, level = f"Thủ khoa toàn quốc khối {combination} kỳ thi tốt nghiệp THPT năm {start}", \
                    Achievement.Level.NATIONAL
            else:
                title, level = (f"Thủ khoa khối {combination} kỳ thi tốt nghiệp THPT năm {start} – "
                                f"{_short_province(province)}"), Achievement.Level.PROVINCE
            achievements.append(self.achievement(Achievement.Category.EXAM, level, Achievement.AwardRank.TOP, start,
                                                 title, "SGDĐT"))
        target = _TARGET[STUDENT].pick(rng)
        path = self.path_to(target, STUDENT)
        # Freshmen were spotted in grade 12 (olympiads, the national exam); others at university, some
        # of them already followed since school.
        if start >= AS_OF.year or self._chance(0.25):
            window_start = dt.date(start - 1, 11, 1)
        else:
            window_start = dt.date(start, 10, 15)
        history = self.history(path, STUDENT, [(window_start, AS_OF - dt.timedelta(days=7), len(path))])
        return PersonSpec(
            cohort=STUDENT, full_name=f"{family} {middle} {given}", gender=gender, date_of_birth=dob,
            ethnicity=ethnicity, province_code=province, email=self.email(family, middle, given, birth_year),
            phone=self.phone(), citizen_id=self.citizen_id(gso, gender, dob) if self._chance(0.7) else "",
            exam_number=exam_number, exam_year=start if exam_number else None, organization=faculty.code,
            youth_union_member=self._chance(0.93), party_member=False, party_joined_on=None, political_theory="",
            education=tuple(education), achievements=tuple(achievements),
            languages=self.languages(STUDENT, ethnicity, probability=0.7), history=history,
            pools=self.pools_for(STUDENT, faculty.code, history[-1].to_stage),
        )

    def cadre(self) -> PersonSpec:
        rng = self.rng
        gender = "male" if self._chance(0.52) else "female"
        birth_year = rng.randrange(1991, 2004)
        dob = self.birth_date(birth_year)
        ethnicity, province = self.ethnicity_and_province(CADRE)
        gso = self.legacy_gso(province)
        family, middle, given = self.name(gender, birth_year, ethnicity)
        workplace = self.cadre_workplaces.pick(rng)
        if self._chance(0.8):
            faculty = rng.choice(self.faculties)
            university = ORG_BY_CODE[faculty.parent or ""]
            uni_code, uni_name, major, years = university.code, university.name, rng.choice(faculty.majors), \
                university.years
        else:
            uni_name, majors = rng.choice(OTHER_UNIVERSITIES)
            uni_code, major, years = None, rng.choice(majors), 4
        start = birth_year + 18
        graduated = min(start + years + (1 if self._chance(0.1) else 0), AS_OF.year - 1)
        retaken = self._chance(0.04)
        education = [EducationSpec(EducationRecord.Level.UNIVERSITY, uni_code, uni_name, major, start, graduated,
                                   gpa=self.gpa4(rng.gauss(3.25, 0.15)), conduct_score=self.conduct(),
                                   retaken_over_5_percent=retaken)]
        if graduated <= 2021 and self._chance(0.3):
            master_start = graduated + rng.randrange(1, 4)
            master_end = master_start + 2 if master_start + 2 <= AS_OF.year - 1 else None
            master_school, master_major = (("Học viện Hành chính Quốc gia", "Quản lý công") if self._chance(0.4)
                                           else (uni_name, major))
            education.insert(0, EducationSpec(EducationRecord.Level.MASTER, uni_code if master_school == uni_name
                                              else None, master_school, master_major, master_start, master_end,
                                              gpa=self.gpa4(3.55) if master_end else None))
        junior = birth_year >= 2001
        age = AS_OF.year - birth_year
        party_member = self._chance(0.08 if junior else 0.22)
        party_joined_on = None
        if party_member:
            earliest = dt.date(birth_year + 19, 1, 1)
            party_joined_on = earliest + dt.timedelta(days=rng.randrange((AS_OF - earliest).days - 30))
        theory = rng.choices(
            ("so_cap", "trung_cap", "cao_cap", "cu_nhan", ""),
            weights=(55, 0, 0, 0, 45) if junior else ((30, 45, 12, 5, 8) if birth_year <= 1995 else (50, 30, 0, 3, 17)),
        )[0]
        if party_member and not theory:
            theory = "so_cap"
        achievements = tuple(self.cadre_achievement(rng.randrange(graduated - 1, AS_OF.year + 1), workplace)
                             for _ in range(rng.choice((1, 1, 2, 2, 3, 4))))
        target = _TARGET["cadre_junior" if junior else "cadre_senior"].pick(rng)
        path = self.path_to(target, CADRE)
        recruited_at = path.index(S.RECRUITED)
        recruit_end = min(dt.date(graduated + 1, 6, 30), AS_OF - dt.timedelta(days=40))
        later_start = min(dt.date(graduated + 2, 1, 1), AS_OF - dt.timedelta(days=30))
        history = self.history(path, CADRE, [
            (dt.date(graduated - 1, 9, 1), dt.date(graduated, 7, 31), recruited_at),
            (dt.date(graduated, 8, 1), recruit_end, 1),
            (later_start, AS_OF - dt.timedelta(days=7), len(path) - recruited_at - 1),
        ])
        # Youth Union membership ends at 30, except for those who work for the Union itself.
        member = self._chance(0.95) and (age <= 30 or ORG_BY_CODE[workplace].kind == Kind.YOUTH_UNION)
        return PersonSpec(
            cohort=CADRE, full_name=f"{family} {middle} {given}", gender=gender, date_of_birth=dob,
            ethnicity=ethnicity, province_code=province, email=self.email(family, middle, given, birth_year),
            phone=self.phone(), citizen_id=self.citizen_id(gso, gender, dob) if self._chance(0.75) else "",
            exam_number="", exam_year=None, organization=workplace, youth_union_member=member,
            party_member=party_member, party_joined_on=party_joined_on, political_theory=theory,
            education=tuple(education), achievements=achievements,
            languages=self.languages(CADRE, ethnicity, probability=0.85), history=history,
            pools=self.pools_for(CADRE, workplace, history[-1].to_stage),
        )

    def pools_for(self, cohort: str, organization: str, stage: str) -> tuple[str, ...]:
        pools: list[str] = []
        if cohort in (PUPIL, STUDENT) and stage in (S.POOL, S.SHORTLISTED, S.PLACEMENT):
            pools.append(YOUNG_TALENT_POOL)
            if organization.startswith(f"{SHOWCASE_UNIVERSITY}-"):
                pools.append(CAMPUS_POOL)
            # Home Affairs follows the prize-winning pupils and the students agencies already picked.
            if cohort == PUPIL or stage in (S.SHORTLISTED, S.PLACEMENT):
                pools.append(ATTRACTION_POOL)
        if cohort == CADRE and stage in (S.PLANNING, S.APPOINTED):
            pools.append(PLANNING_POOL)
        return tuple(pools)

    # -- personal details and consent (second stream) --

    def personal_details(self, person: PersonSpec) -> PersonSpec:
        """``person`` with religion, address, aspirations and consent records added."""
        rng = self.extra_rng
        if person.ethnicity in _ETHNIC_RELIGION:
            religion = _ETHNIC_RELIGION[person.ethnicity].pick(rng)
        else:
            religion = _PROVINCE_RELIGION.get(person.province_code, _RELIGION).pick(rng)
        address = self.home_address(person) if self._extra_chance(ADDRESS_SHARE) else ""
        aspirations = ""
        if self._extra_chance(ASPIRATION_SHARE[person.cohort]):
            choices = ASPIRATIONS[person.cohort]
            if person.cohort == STUDENT and person.province_code != HCM:
                choices = (*choices, HOMETOWN_ASPIRATION)
            major = next((e.major for e in person.education if e.major), "")
            aspirations = rng.choice(choices).format(major=major or "đang học")
        return replace(person, religion=str(religion), home_address=address, aspirations=aspirations,
                       consents=self.consents(person))

    def home_address(self, person: PersonSpec) -> str:
        """Permanent residence: near their school for pupils, in their home province for others."""
        rng = self.extra_rng
        province = person.province_code
        if person.cohort == PUPIL and self._extra_chance(0.7):
            ward = ORG_BY_CODE[ORG_BY_CODE[person.organization].parent or CITY].name.removeprefix("Đoàn ")
            ward, province = ward[:1].upper() + ward[1:], HCM
        else:
            ward = rng.choice(_wards_of(province))
        number = f"{rng.randrange(1, 300)}" + (f"/{rng.randrange(1, 60)}" if self._extra_chance(0.4) else "")
        if ward in WARD_STREETS:
            street = f"{number} {rng.choice(WARD_STREETS[ward])}"
        elif province == HCM and ward.startswith("Phường") and self._extra_chance(0.5):
            street = f"{number} Đường số {rng.randrange(1, 40)}"
        elif ward.startswith("Phường"):
            neighbourhood = "Khu phố" if province in SOUTHERN_PROVINCES else "Tổ dân phố"
            street = f"Số {number}, {neighbourhood} {rng.randrange(1, 12)}"
        else:
            street = f"{'Ấp' if province in SOUTHERN_PROVINCES else 'Thôn'} {rng.randrange(1, 10)}"
        name = current_provinces()[province]
        return f"{street}, {ward}, {name if name.startswith('Thành phố') else f'Tỉnh {name}'}"

    def guardian_name(self, person: PersonSpec) -> str:
        """A parent of the previous generation: the father carries the family name, the mother her own."""
        rng = self.extra_rng
        family = person.full_name.split()[0]
        if self._extra_chance(0.6):
            gender = "male"
        else:
            gender = "female"
            family = _ETHNIC_FAMILY.get(person.ethnicity, _FAMILY).pick(rng)
        middle = _MIDDLE[(gender, False)].pick(rng)
        given = _GIVEN[gender].pick(rng)
        while given == middle:
            given = _GIVEN[gender].pick(rng)
        return f"{family} {middle} {given}"

    def consents(self, person: PersonSpec) -> tuple[ConsentSpec, ...]:
        """Per purpose, who agreed, when and on what evidence; some grants later withdrawn.

        A person under 16 on the day of signing needs a parent's signature as well (privacy.rules):
        some forms came back signed by both, some by the child only — those children do not count
        as consenting until the parent signs or they turn 16.
        """
        rng = self.extra_rng
        P, G = Consent.Purpose, Consent.GivenBy
        if not self._extra_chance(PROFILE_CONSENT_SHARE):
            return ()
        registered = person.history[0].at.date()
        last_day = AS_OF - dt.timedelta(days=1)
        if registered < CONSENT_CAMPAIGN[0]:
            start, end = CONSENT_CAMPAIGN
        else:
            start, end = registered + dt.timedelta(days=1), registered + dt.timedelta(days=21)
        end = min(end, last_day)
        granted = _moments(rng, min(start, end), end, 1)[0]
        if _left_on_request(person) and person.history[-1].at < granted:
            return ()  # asked to leave the programme before anyone asked for consent
        purposes = [P.PROCESS_PROFILE]
        if self._extra_chance(SHARE_CONSENT[person.cohort]):
            purposes.append(P.SHARE_WITH_RECRUITERS)
        if self._extra_chance(CONTACT_CONSENT[person.cohort]):
            purposes.append(P.CONTACT_ABOUT_EVENTS)
        org_name = ORG_BY_CODE[person.organization].name
        child = needs_guardian(person.date_of_birth, granted.date())
        online = not child and self._extra_chance(ONLINE_CONSENT[person.cohort])
        note = ONLINE_NOTE if online else PAPER_NOTES[person.cohort].format(org=org_name)
        # (purpose, given by, when, evidence note, scanned form, guardian's name)
        grants = [(purpose, G.SELF, granted, note, "", "") for purpose in purposes]
        if child and self._extra_chance(GUARDIAN_FORM_RETURNED):
            signed = _moments(rng, granted.date(), max(granted.date(), min(granted.date() + dt.timedelta(days=10),
                                                                           last_day)), 1)[0]
            guardian = self.guardian_name(person)
            scanned = ""
            if self.evidence_files < MAX_EVIDENCE_FILES and self._extra_chance(GUARDIAN_FORM_SCANNED):
                self.evidence_files += 1
                scanned = (f"consent-evidence/{signed:%Y/%m}/"
                           f"demo-{self.seed}-phieu-dong-y-{self.evidence_files:03d}.pdf")
            guardian_note = (GUARDIAN_SCANNED_NOTE if scanned else GUARDIAN_PAPER_NOTE).format(org=org_name)
            grants.extend(
                (purpose, G.GUARDIAN, signed, guardian_note, scanned, guardian)
                for purpose in purposes
                if purpose != P.SHARE_WITH_RECRUITERS or not self._extra_chance(GUARDIAN_DECLINES_SHARING)
            )
            granted = max(granted, signed)
        withdrawn = self.withdrawals(person, purposes, granted, last_day)
        records = [
            ConsentSpec(purpose, given_by, at, STAFF, evidence_note, scan, guardian_name, withdrawn.get(purpose))
            for purpose, given_by, at, evidence_note, scan, guardian_name in grants
        ]
        # Now and then someone who withdrew sharing agrees again once told what is shared and with whom.
        share_end = withdrawn.get(P.SHARE_WITH_RECRUITERS)
        regrant_from = share_end.date() + dt.timedelta(days=3) if share_end else None
        if (regrant_from and regrant_from < last_day and not _left_on_request(person)
                and self._extra_chance(SHARE_REGRANTED)):
            again = _moments(rng, regrant_from, last_day, 1)[0]
            records.extend(
                ConsentSpec(purpose, given_by, again, STAFF, REGRANT_NOTE, "", guardian_name)
                for purpose, given_by, _, _, _, guardian_name in grants if purpose == P.SHARE_WITH_RECRUITERS
            )
        return tuple(records)

    def withdrawals(self, person: PersonSpec, purposes: list[str], granted: dt.datetime,
                    last_day: dt.date) -> dict[str, dt.datetime]:
        """When grants given by ``granted`` were withdrawn, by purpose. A withdrawal ends every standing
        grant of the purpose (the child's and the parent's alike), as ``consent_withdraw`` does."""
        P = Consent.Purpose
        withdrawn: dict[str, dt.datetime] = {}
        exit_step = person.history[-1]
        if _left_on_request(person) and exit_step.at > granted:
            # Those who asked to leave the programme withdrew everything with their request.
            return {purpose: exit_step.at + dt.timedelta(hours=2) for purpose in purposes}
        first_free = granted.date() + dt.timedelta(days=7)
        if first_free < last_day:
            for purpose, probability in ((P.SHARE_WITH_RECRUITERS, SHARE_WITHDRAWN),
                                         (P.CONTACT_ABOUT_EVENTS, CONTACT_WITHDRAWN)):
                if purpose in purposes and self._extra_chance(probability):
                    withdrawn[purpose] = _moments(self.extra_rng, first_free, last_day, 1)[0]
        return withdrawn

    def showcase_student(self) -> PersonSpec:
        """The person behind the ``student`` account: the same every time, whatever the seed."""
        C, L, V = Achievement.Category, Achievement.Level, VerificationStatus

        def at(day: dt.date, hour: int) -> dt.datetime:
            return dt.datetime(day.year, day.month, day.day, hour, 30, tzinfo=DEMO_TZ)

        dob = dt.date(2006, 3, 14)
        cid = "079306" + "018452"
        exam = "02" + "031477"
        self.citizen_ids.add(cid)
        self.exam_numbers.add((exam, 2024))
        self.emails.add("anh.nguyenminh@example.com")
        faculty = ORG_BY_CODE[SHOWCASE_FACULTY]
        university = ORG_BY_CODE[SHOWCASE_UNIVERSITY]
        history = (
            TransitionSpec("", S.DISCOVERED, "Phát hiện qua kỳ thi học sinh giỏi quốc gia",
                           at(dt.date(2024, 3, 12), 9)),
            TransitionSpec(S.DISCOVERED, S.NOMINATED, "Liên chi đoàn khoa giới thiệu", at(dt.date(2024, 11, 5), 10)),
            TransitionSpec(S.NOMINATED, S.POOL, "Hội đồng xét chọn thông qua", at(dt.date(2025, 4, 18), 14)),
        )
        return PersonSpec(
            cohort=STUDENT, full_name=SHOWCASE_STUDENT_NAME, gender="female", date_of_birth=dob, ethnicity="Kinh",
            province_code=HCM, email="anh.nguyenminh@example.com", phone="0908123456", citizen_id=cid,
            exam_number=exam, exam_year=2024, organization=faculty.code, youth_union_member=True,
            party_member=False, party_joined_on=None, political_theory="",
            education=(
                EducationSpec(EducationRecord.Level.UNIVERSITY, university.code, university.name, "Khoa học Máy tính",
                              2024, None, gpa="3.78", conduct_score=95),
                EducationSpec(EducationRecord.Level.GRADE_12, "THPT-LHP", ORG_BY_CODE["THPT-LHP"].name, "", 2023, 2024,
                              gpa="9.35", gpa_scale=10),
            ),
            achievements=(
                AchievementSpec(C.OLYMPIAD, L.NATIONAL, "second", 2024,
                                "Giải Nhì kỳ thi chọn học sinh giỏi quốc gia THPT môn Tin học năm 2024",
                                "Quyết định số 412/QĐ-BGDĐT ngày 28/02/2024", V.VERIFIED, at(dt.date(2024, 10, 2), 9)),
                AchievementSpec(C.RESEARCH, L.NATIONAL, "third", 2025,
                                "Giải Ba Giải thưởng Sinh viên nghiên cứu khoa học Euréka lần thứ 27 năm 2025",
                                "Quyết định số 1875/QĐ-TĐTN ngày 12/12/2025", V.PENDING, None),
                AchievementSpec(C.VOLUNTEERING, L.SCHOOL, "", 2025, "Chiến sĩ Chiến dịch Mùa hè xanh năm 2025", "",
                                V.VERIFIED, at(dt.date(2025, 9, 10), 15)),
                AchievementSpec(C.AWARD, L.PROVINCE, "honour", 2025,
                                "Danh hiệu Sinh viên 5 tốt cấp Thành phố năm học 2024-2025",
                                "Quyết định số 96/QĐ-HSVTP ngày 09/01/2025", V.VERIFIED, at(dt.date(2025, 2, 3), 10)),
            ),
            languages=(LanguageSpec("en", 5, "IELTS 7.5", dt.date(2025, 7, 19), V.VERIFIED),),
            history=history, pools=(YOUNG_TALENT_POOL, CAMPUS_POOL, ATTRACTION_POOL), is_showcase_student=True,
            religion="", home_address="12/3 Trần Quang Khải, Phường Tân Định, Thành phố Hồ Chí Minh",
            aspirations="Mong muốn tham gia xây dựng các dịch vụ công trực tuyến của thành phố sau khi tốt nghiệp.",
            # She agreed herself, signed in to her own account, once the law took effect.
            consents=tuple(
                ConsentSpec(purpose, Consent.GivenBy.SELF, SHOWCASE_CONSENT_AT + dt.timedelta(minutes=minute),
                            SELF_SERVICE, "Tự xác nhận khi đăng nhập vào tài khoản của mình.")
                for minute, purpose in enumerate(Consent.Purpose.values)
            ),
        )


def generate_people(*, seed: int, count: int) -> list[PersonSpec]:
    """``count`` people (the showcase student first), the same for the same seed."""
    generator = _Generator(seed)
    people = [generator.showcase_student()] if count > 0 else []
    for _ in range(count - len(people)):
        roll = generator.rng.random()
        person = generator.pupil() if roll < 0.3 else generator.student() if roll < 0.8 else generator.cadre()
        if roll < 0.3 and generator._extra_chance(YOUNG_PUPIL_SHARE):
            # A younger pupil takes the grade-12 pupil's place; that pupil was still drawn, so the
            # first stream, and everyone after, is the same as without younger pupils.
            person = generator.young_pupil()
        people.append(generator.personal_details(person))
    for person in people:
        check_history(person.history)
    return people


def check_history(history: tuple[TransitionSpec, ...]) -> None:
    """Raise ValueError unless ``history`` is a walk the pipeline graph allows, forward in time.

    The generator only takes allowed steps; checking again means a change to the graph in
    ``talent.pipeline`` stops the seeding instead of writing histories the app would refuse.
    """
    previous = ""
    for index, step in enumerate(history):
        if step.from_stage != previous:
            raise ValueError(f"step {index} starts at {step.from_stage!r}, not at {previous!r}")
        if previous:
            if not is_allowed(previous, step.to_stage):
                raise ValueError(f"{previous} → {step.to_stage} is not an allowed transition")
            if needs_reason(previous, step.to_stage) and not step.reason:
                raise ValueError(f"{previous} → {step.to_stage} needs a reason")
            if step.at <= history[index - 1].at:
                raise ValueError(f"step {index} ({step.to_stage}) is not later than the step before")
        previous = step.to_stage


# --- Writing it down --------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    seed: int
    organizations: dict[str, int] = field(default_factory=dict)  # kind → count
    candidates: int = 0
    stages: dict[str, int] = field(default_factory=dict)  # stage → count, pipeline order
    education_records: int = 0
    achievements: int = 0
    languages: int = 0
    transitions: int = 0
    pools: dict[str, int] = field(default_factory=dict)  # pool name → members
    consents: ConsentSummary | None = None
    accounts: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class ConsentSummary:
    records: int = 0
    withdrawn: int = 0
    evidence_files: int = 0
    # Counted as privacy.rules decides today, as the app does:
    sharing: int = 0  # candidates whose consent to be shared with recruiters stands
    under_16: int = 0
    under_16_sharing: int = 0  # ... with both their own and a guardian's consent
    under_16_missing_guardian: int = 0  # ... who agreed to sharing but whose guardian has not
    recruiter_sees: int = 0  # candidates the demo recruiter's agency sees


def demo_conflicts() -> list[str]:
    """Why the demo cannot be written into this database (empty when it can)."""
    problems = []
    if Organization.objects.filter(code=CITY).exists():
        problems.append(f"Đã có đơn vị mã «{CITY}»: dữ liệu demo đã được tạo trước đó.")
    usernames = [account.username for account in DEMO_ACCOUNTS]
    taken = sorted(get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        problems.append(f"Đã có tài khoản trùng tên với tài khoản demo: {', '.join(taken)}.")
    return problems


def seed_demo(*, seed: int, candidates: int, create_accounts: bool, stdout: IO[str] | None = None) -> DemoSummary:
    """Write the demo city for ``seed`` with ``candidates`` people, in one transaction."""
    started = time.perf_counter()
    people = generate_people(seed=seed, count=candidates)
    summary = DemoSummary(seed=seed)
    with transaction.atomic():
        orgs = _create_organizations()
        users = _create_accounts(orgs) if create_accounts else {}
        saved = _register_people(people, orgs, users)
        summary.transitions = _write_histories(people, saved, orgs, users)
        summary.education_records, summary.achievements, summary.languages = _write_records(
            people, saved, orgs, users)
        summary.pools = _create_pools(people, saved, orgs, users)
        summary.consents = _write_consents(people, saved, orgs, users)
        audit(actor=None, action="demo.seed", obj=orgs[CITY], changes={"seed": seed, "candidates": candidates})
    summary.organizations = dict(Counter(org.kind for org in orgs.values()))
    summary.candidates = len(saved)
    stage_counts = Counter(person.stage for person in people)
    summary.stages = {stage: stage_counts[stage] for stage in Stage.values if stage_counts[stage]}
    summary.accounts = list(users)
    summary.seconds = time.perf_counter() - started
    if stdout is not None:
        write_summary(summary, stdout)
    return summary


def _create_organizations() -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for spec in ORGANIZATIONS:
        orgs[spec.code] = organization_create(
            code=spec.code, name=spec.name, kind=spec.kind, parent=orgs[spec.parent] if spec.parent else None,
            province_code=spec.province_code, actor=None,
        )
    return orgs


def _create_accounts(orgs: dict[str, Organization]) -> dict[str, Any]:
    User = get_user_model()
    users: dict[str, Any] = {}
    password_hash = ""
    for account in DEMO_ACCOUNTS:
        # Django shows "first_name last_name"; a Vietnamese name reads family and middle names
        # first, so they go in first_name (as accounts.services.user_create stores them too).
        user = User(username=account.username, email=f"{account.username}@example.com",
                    first_name=account.last_name, last_name=account.first_name,
                    is_staff=account.role == Role.ADMIN, is_superuser=account.role == Role.ADMIN)
        # set_password skips the password validators, which "demo" would fail. One hash (a salted
        # Argon2, slow on purpose) serves every account: they share the password anyway.
        if not password_hash:
            user.set_password(DEMO_PASSWORD)
            password_hash = user.password
        user.password = password_hash
        user.save()
        UserProfile.objects.create(user=user, role=account.role, organization=orgs[account.organization])
        users[account.username] = user
    return users


def _actor_for(org: Organization, orgs: dict[str, Organization], users: dict[str, Any]) -> Any:
    """The demo account that would have recorded a step for someone of ``org``: the campus liaison
    on their campus, the city officer inside the Youth Union tree, the system elsewhere."""
    if "liaison" in users and org.is_within(orgs[SHOWCASE_UNIVERSITY]):
        return users["liaison"]
    if "officer" in users and org.is_within(orgs[CITY]):
        return users["officer"]
    return None


def _register_people(people: list[PersonSpec], orgs: dict[str, Organization],
                     users: dict[str, Any]) -> list[Candidate]:
    rows = []
    for person in people:
        first = person.history[0]
        rows.append({
            "full_name": person.full_name, "gender": person.gender, "date_of_birth": person.date_of_birth,
            "ethnicity": person.ethnicity, "province_code": person.province_code, "email": person.email,
            "phone": person.phone, "citizen_id": person.citizen_id, "exam_number": person.exam_number,
            "exam_year": person.exam_year, "organization": orgs[person.organization],
            "youth_union_member": person.youth_union_member, "party_member": person.party_member,
            "party_joined_on": person.party_joined_on, "political_theory": person.political_theory,
            "religion": person.religion, "home_address": person.home_address, "aspirations": person.aspirations,
            "stage": first.to_stage, "reason": first.reason, "registered_at": first.at,
            "user": users.get("student") if person.is_showcase_student else None,
        })
    return candidates_bulk_register(rows=rows, actor=None)


def _write_histories(people: list[PersonSpec], saved: list[Candidate], orgs: dict[str, Organization],
                     users: dict[str, Any]) -> int:
    """Every step after registration, then each candidate's current stage from its last step."""
    transitions: list[StageTransition] = []
    moved: list[Candidate] = []
    for person, candidate in zip(people, saved):
        if len(person.history) == 1:
            continue
        actor = _actor_for(candidate.organization, orgs, users)
        transitions.extend(
            StageTransition(candidate=candidate, from_stage=step.from_stage, to_stage=step.to_stage,
                            reason=step.reason, actor=actor, created_at=step.at)
            for step in person.history[1:]
        )
        candidate.stage = person.stage
        candidate.stage_changed_at = person.history[-1].at
        moved.append(candidate)
    StageTransition.objects.bulk_create(transitions, batch_size=500)
    # The current stage is the last step of the history just written; the database reads it off in
    # one statement per chunk, far cheaper than bulk_update's CASE per row.
    last = StageTransition.objects.filter(candidate=OuterRef("pk")).order_by("-created_at", "-id")
    ids = [candidate.pk for candidate in moved]
    for start in range(0, len(ids), 500):
        Candidate.objects.filter(pk__in=ids[start:start + 500]).update(
            stage=Subquery(last.values("to_stage")[:1]), stage_changed_at=Subquery(last.values("created_at")[:1]),
        )
    return len(transitions) + len(saved)


def _write_records(people: list[PersonSpec], saved: list[Candidate], orgs: dict[str, Organization],
                   users: dict[str, Any]) -> tuple[int, int, int]:
    education: list[EducationRecord] = []
    achievements: list[Achievement] = []
    languages: list[LanguageCertificate] = []
    for person, candidate in zip(people, saved):
        for record in person.education:
            gpa = Decimal(record.gpa) if record.gpa is not None else None
            education.append(education_record_derive(EducationRecord(
                candidate=candidate, institution=orgs[record.institution] if record.institution else None,
                institution_name=record.institution_name, level=record.level, major=record.major,
                start_year=record.start_year, end_year=record.end_year, gpa=gpa, gpa_scale=record.gpa_scale,
                conduct_score=record.conduct_score, retaken_over_5_percent=record.retaken_over_5_percent,
                disciplined=record.disciplined,
            )))
        reviewer = _actor_for(candidate.organization, orgs, users)
        achievements.extend(
            Achievement(candidate=candidate, category=a.category, level=a.level, award_rank=a.award_rank, year=a.year,
                        title=a.title, evidence=a.evidence, verification_status=a.status,
                        verified_by=reviewer if a.reviewed_at else None, verified_at=a.reviewed_at)
            for a in person.achievements
        )
        languages.extend(
            LanguageCertificate(candidate=candidate, language=lang.language, level=lang.level,
                                certificate=lang.certificate, issued_on=lang.issued_on,
                                verification_status=lang.status)
            for lang in person.languages
        )
    EducationRecord.objects.bulk_create(education, batch_size=500)
    Achievement.objects.bulk_create(achievements, batch_size=500)
    LanguageCertificate.objects.bulk_create(languages, batch_size=500)
    return len(education), len(achievements), len(languages)


def _create_pools(people: list[PersonSpec], saved: list[Candidate], orgs: dict[str, Organization],
                  users: dict[str, Any]) -> dict[str, int]:
    officer = users.get("officer")
    members: dict[str, int] = {}
    memberships: list[PoolMembership] = []
    for spec in POOLS:
        pool = pool_create(actor=None, name=spec.name, kind=spec.kind, owner=orgs[spec.owner], term=spec.term,
                           description=spec.description, shared_with=[orgs[code] for code in spec.shared_with])
        chosen = [candidate for person, candidate in zip(people, saved) if spec.key in person.pools]
        memberships.extend(PoolMembership(pool=pool, candidate=candidate, added_by=officer) for candidate in chosen)
        members[spec.name] = len(chosen)
    PoolMembership.objects.bulk_create(memberships, batch_size=500)
    return members


def _write_consents(people: list[PersonSpec], saved: list[Candidate], orgs: dict[str, Organization],
                    users: dict[str, Any]) -> ConsentSummary:
    """The consent records of every person, in bulk, with the few scanned forms they refer to."""
    admin = users.get("admin")
    rows: list[Consent] = []
    forms: dict[str, tuple[PersonSpec, ConsentSpec, list[str]]] = {}  # file → whose form, which purposes
    for person, candidate in zip(people, saved):
        if not person.consents:
            continue
        # Whoever looks after the person's unit recorded the forms; agencies' cadres sent theirs to
        # the city, where an administrator entered them.
        staff = _actor_for(candidate.organization, orgs, users) or admin
        for spec in person.consents:
            recorder = candidate.user if spec.recorded_by == SELF_SERVICE else staff
            rows.append(Consent(
                candidate=candidate, purpose=spec.purpose, given_by=spec.given_by, guardian_name=spec.guardian_name,
                evidence=spec.evidence_file, evidence_note=spec.evidence_note, granted_at=spec.granted_at,
                recorded_by=recorder, withdrawn_at=spec.withdrawn_at,
                withdrawn_by=recorder if spec.withdrawn_at else None,
            ))
            if spec.evidence_file:
                forms.setdefault(spec.evidence_file, (person, spec, []))[2].append(spec.purpose)
    _store_consent_forms(forms)
    Consent.objects.bulk_create(rows, batch_size=500)

    summary = ConsentSummary(records=len(rows), withdrawn=sum(row.withdrawn_at is not None for row in rows),
                             evidence_files=len(forms))
    share = Consent.Purpose.SHARE_WITH_RECRUITERS
    today = timezone.localdate()
    children = Candidate.objects.filter(date_of_birth__gt=born_on_or_before_for_age(GUARDIAN_AGE, today))
    own_share = Consent.objects.filter(candidate=OuterRef("pk"), purpose=share, given_by=Consent.GivenBy.SELF,
                                       withdrawn_at__isnull=True)
    summary.sharing = Candidate.objects.filter(has_consent(share, today=today)).count()
    summary.under_16 = children.count()
    summary.under_16_sharing = children.filter(has_consent(share, today=today)).count()
    summary.under_16_missing_guardian = children.filter(Exists(own_share)).exclude(
        has_consent(share, today=today)).count()
    if HOME_AFFAIRS in orgs:
        summary.recruiter_sees = Candidate.objects.shared_with_recruiters_of(orgs[HOME_AFFAIRS]).count()
    return summary


def _store_consent_forms(forms: dict[str, tuple[PersonSpec, ConsentSpec, list[str]]]) -> None:
    """Write each scanned form under its own (deterministic) name.

    A file left by an earlier seeding with the same seed holds the same bytes and is kept; any
    other file in the way is replaced, so the name in the database is always the one generated.
    """
    storage = Consent._meta.get_field("evidence").storage
    for name, (person, spec, purposes) in forms.items():
        content = consent_form_pdf(person, spec, purposes)
        if storage.exists(name):
            with storage.open(name, "rb") as existing:
                if existing.read() == content:
                    continue
            storage.delete(name)
        stored = storage.save(name, ContentFile(content))
        if stored != name:  # another process took the name between the two calls
            raise RuntimeError(f"could not store the demo consent form as {name!r} (got {stored!r})")


def _ascii(text: str) -> str:
    """``text`` without diacritics, for the PDF standard fonts (which have no Vietnamese glyphs)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.encode("ascii", "replace").decode("ascii")


def consent_form_pdf(person: PersonSpec, spec: ConsentSpec, purposes: list[str]) -> bytes:
    """A one-page PDF standing in for the scan of a parent's signed consent form (demo data)."""
    # Fixed wording rather than the translated labels: the same bytes whatever language is active.
    labels = {Consent.Purpose.PROCESS_PROFILE: "xu ly ho so", Consent.Purpose.SHARE_WITH_RECRUITERS:
              "chia se voi nha tuyen dung", Consent.Purpose.CONTACT_ABOUT_EVENTS: "lien he ve su kien"}
    lines = [
        "PHIEU DONG Y XU LY DU LIEU CA NHAN CUA TRE EM (DU LIEU DEMO)",
        "",
        f"Hoc sinh: {person.full_name}, sinh ngay {person.date_of_birth:%d/%m/%Y}",
        f"Don vi: {ORG_BY_CODE[person.organization].name}",
        f"Cha me / nguoi giam ho: {spec.guardian_name}",
        "Dong y cho cac muc dich: " + "; ".join(labels[p] for p in purposes),
        f"Ngay ky: {spec.granted_at.astimezone(DEMO_TZ):%d/%m/%Y}",
        "",
        "Chu ky cua hoc sinh: (da ky)        Chu ky cua cha me / nguoi giam ho: (da ky)",
    ]
    text = "".join(
        "(" + _ascii(line).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T* "
        for line in lines
    )
    stream = f"BT /F1 11 Tf 14 TL 56 780 Td {text}ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# --- Output -------------------------------------------------------------------------------------------


def write_summary(summary: DemoSummary, stdout: IO[str]) -> None:
    kinds = dict(Organization.Kind.choices)
    stages = dict(Stage.choices)
    total_orgs = sum(summary.organizations.values())
    stdout.write(f"Đã tạo dữ liệu demo (seed {summary.seed}) trong {summary.seconds:.1f} giây.\n")
    stdout.write(f"  Đơn vị: {total_orgs} ("
                 + ", ".join(f"{kinds[k]} {n}" for k, n in summary.organizations.items()) + ")\n")
    stdout.write(f"  Ứng viên: {summary.candidates}\n")
    stdout.write("  Theo giai đoạn: " + ", ".join(f"{stages[s]} {n}" for s, n in summary.stages.items()) + "\n")
    stdout.write(f"  Quá trình học tập {summary.education_records}, thành tích {summary.achievements}, "
                 f"chứng chỉ ngoại ngữ {summary.languages}, lượt chuyển giai đoạn {summary.transitions}\n")
    for name, count in summary.pools.items():
        stdout.write(f"  Nguồn «{name}»: {count} thành viên\n")
    if summary.consents is not None:
        c = summary.consents
        stdout.write(f"  Sự đồng ý: {c.records} bản ghi ({c.withdrawn} đã rút lại), {c.evidence_files} tệp minh chứng; "
                     f"{c.sharing}/{summary.candidates} ứng viên đồng ý chia sẻ với nhà tuyển dụng\n")
        stdout.write(f"  Dưới 16 tuổi: {c.under_16}, trong đó {c.under_16_sharing} được chia sẻ (bản thân và cha mẹ "
                     f"cùng đồng ý), {c.under_16_missing_guardian} còn thiếu chữ ký của cha mẹ\n")
        stdout.write(f"  Cán bộ tuyển dụng {ORG_BY_CODE[HOME_AFFAIRS].name} thấy {c.recruiter_sees} ứng viên\n")


def write_demo_accounts(stdout: IO[str]) -> None:
    """The demo accounts as they are in the database, as a table to log in with."""
    usernames = [account.username for account in DEMO_ACCOUNTS]
    found = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=usernames).select_related("profile__organization")
    }
    if not found:
        stdout.write("Cơ sở dữ liệu này chưa có tài khoản demo.\n")
        return
    roles = dict(Role.choices)
    rows = [("Tên đăng nhập", "Mật khẩu", "Vai trò", "Đơn vị")]
    for account in DEMO_ACCOUNTS:
        user = found.get(account.username)
        if user is None:
            continue
        profile = getattr(user, "profile", None)
        role = roles.get(profile.role if profile else account.role, "")
        organization = profile.organization.name if profile and profile.organization else ""
        rows.append((account.username, DEMO_PASSWORD, str(role), organization))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    stdout.write("Tài khoản demo:\n")
    for index, row in enumerate(rows):
        stdout.write("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + f"  {row[3]}\n")
        if index == 0:
            stdout.write("  " + "  ".join("-" * w for w in widths) + "  " + "-" * len(row[3]) + "\n")
