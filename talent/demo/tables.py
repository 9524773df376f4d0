"""The weighted reference data people are drawn from: ethnicities and provinces of origin, schools,
prizes and certificates, pipeline paths and their reasons, religions, streets and aspirations, and
the name tables built from ``talent.demo_names``.

Weights are relative. Each list becomes a ``_Table`` once, at import, so that a draw costs one
``random()`` and a bisect. The order of the items is part of what a seed means: reordering a list
changes who every later draw gives, so append rather than reorder.
"""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate
from typing import Any

from talent import demo_names
from talent.demo.organizations import AGENCIES, CADRE, PUPIL, STUDENT, S
from talent.geo import LEGACY_PROVINCES
from talent.models import Religion

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

# --- Younger pupils and personal details: reference data --------------------------------------------

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


class _Table:
    """A weighted list, with the cumulative weights computed once."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, weighted: Weighted) -> None:
        self.items = [item for item, _ in weighted]
        self.cumulative = list(accumulate(weight for _, weight in weighted))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


def _halved(weighted: Weighted, names: frozenset[str]) -> Weighted:
    return tuple((name, weight / 2 if name in names else weight) for name, weight in weighted)


# The name tables are public: other apps' person extensions draw names from them too (privacy draws
# the parents who sign their children's consent forms).
FAMILY_NAME_TABLE = _Table(demo_names.FAMILY_NAMES)
ETHNIC_FAMILY_NAME_TABLES = {
    ethnicity: _Table(names) for ethnicity, names in demo_names.ETHNIC_FAMILY_NAMES.items()
}
MIDDLE_NAME_TABLES = {
    ("male", False): _Table(demo_names.MALE_MIDDLE_NAMES),
    ("female", False): _Table(demo_names.FEMALE_MIDDLE_NAMES),
    ("male", True): _Table(_halved(demo_names.MALE_MIDDLE_NAMES, demo_names.GENERATIONAL_MIDDLE_NAMES)),
    ("female", True): _Table(_halved(demo_names.FEMALE_MIDDLE_NAMES, demo_names.GENERATIONAL_MIDDLE_NAMES)),
}
GIVEN_NAME_TABLES = {"male": _Table(demo_names.MALE_GIVEN_NAMES), "female": _Table(demo_names.FEMALE_GIVEN_NAMES)}
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

