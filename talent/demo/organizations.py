"""The demo city's fixed parts: the day it shows, its organizations, pools and demo accounts.

Nothing here is drawn: the same for every seed. Other apps' demo parts find their units by these
codes (``CITY``, ``HOME_AFFAIRS``, ``SHOWCASE_UNIVERSITY`` ...) and date their rows by ``AS_OF``
and ``DEMO_TZ``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from talent.models import Organization, Role, Stage, TalentPool

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
    # The city union's organization board (Ban Tổ chức Thành Đoàn): positions, succession plans and the yearly
    # review of every unit of the city's Youth Union tree. The agencies' own positions are the administrator's.
    DemoAccount("personnel", Role.PERSONNEL, CITY, "Võ Thị", "Hạnh"),
    DemoAccount("student", Role.STUDENT, SHOWCASE_FACULTY, "Nguyễn Minh", "Anh"),
)
