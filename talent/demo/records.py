"""The generator's second layer: what a person has done and been through — education records,
language certificates, achievements (school, campus, workplace) and their pipeline history, a walk
along the stage graph with dates and reasons.
"""

from __future__ import annotations

import datetime as dt

from talent.demo.draws import _clip, _Draws, _short_province, moments
from talent.demo.organizations import AS_OF, SCHOOL_LEGACY_GSO, S
from talent.demo.specs import AchievementSpec, LanguageSpec, TransitionSpec
from talent.demo.tables import (
    _ENGLISH_LEVEL,
    _MEDAL,
    _PRIZE,
    _SECOND_LANGUAGE,
    BACKWARD_REASONS,
    BACKWARD_STEP,
    CITY_LEVEL_PROVINCES,
    COMMON_SCHOOL_NAMES,
    ENGLISH_CERTIFICATES,
    EXIT_FROM,
    EXIT_REASONS,
    FORWARD_REASONS,
    HS_SUBJECTS,
    INTERNATIONAL_OLYMPIADS,
    OTHER_CERTIFICATES,
    PLACEMENT_HOSTS,
    PROVINCE_SPECIALISED_SCHOOLS,
    RANK_TEXT,
    REGISTER_REASONS,
)
from talent.models import Achievement, VerificationStatus


class _RecordDraws(_Draws):
    """Records and histories, drawn from ``self.rng`` like the identities below them."""

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
            reviewed_at = moments(self.rng, decided + dt.timedelta(days=1), AS_OF - dt.timedelta(days=2), 1)[0]
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
        times: list[dt.datetime] = []
        for start, end, count in windows:
            if times:
                start = max(start, times[-1].date() + dt.timedelta(days=1))
            # A window squeezed by the one before stretches rather than reach back in time.
            end = max(end, start + dt.timedelta(days=count))
            times.extend(moments(self.rng, start, end, count))
        transitions: list[TransitionSpec] = []
        previous = ""
        for stage, at in zip(path, times):
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

