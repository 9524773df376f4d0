"""The generator itself — the cohorts (pupils, younger olympiad pupils, students, young cadres), their
personal details and the showcase student — with ``generate_people`` and ``check_history``, and the
person extensions through which apps above talent add their own part of each person.

An extension is drawn where the generator used to draw that part itself, at the end of a person's
personal details, from the second stream (``generator.extra_rng``), in registration order: which
extensions are registered changes what they add, never who the people are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from talent.demo.draws import _short_province, _wards_of
from talent.demo.organizations import (
    AS_OF,
    ATTRACTION_POOL,
    CADRE,
    CAMPUS_POOL,
    CITY,
    DEMO_TZ,
    HCM,
    ORG_BY_CODE,
    PLANNING_POOL,
    PUPIL,
    SHOWCASE_FACULTY,
    SHOWCASE_STUDENT_NAME,
    SHOWCASE_UNIVERSITY,
    STUDENT,
    YOUNG_TALENT_POOL,
    Kind,
    S,
)
from talent.demo.records import _RecordDraws
from talent.demo.specs import AchievementSpec, EducationSpec, Extras, LanguageSpec, PersonSpec, TransitionSpec
from talent.demo.tables import (
    _ETHNIC_RELIGION,
    _PROVINCE_RELIGION,
    _RELIGION,
    _TARGET,
    ADDRESS_SHARE,
    ASPIRATION_SHARE,
    ASPIRATIONS,
    EXAM_COMBINATIONS,
    GRADE_10_PUPIL,
    GRADE_11_PUPIL,
    HOMETOWN_ASPIRATION,
    OTHER_UNIVERSITIES,
    SOUTHERN_PROVINCES,
    SPECIALISED_SCHOOLS,
    WARD_STREETS,
    YOUNG_PUPIL_SHARE,
)
from talent.geo import current_provinces
from talent.models import Achievement, EducationRecord, VerificationStatus
from talent.pipeline import is_allowed, needs_reason
from talent.rules import age_on

# --- Person extensions ------------------------------------------------------------------------------

PersonExtension = Callable[["_Generator", PersonSpec], Any]
_person_extensions: dict[str, PersonExtension] = {}


def register_person_extension(name: str, extension: PersonExtension) -> None:
    """Have ``extension(generator, person)`` add ``person.extras[name]`` to every generated person.

    Called from an ``AppConfig.ready``, so that the app above talent hooks in without talent
    importing it (DESIGN §3). For a drawn person the extension runs after religion, address and
    aspirations, and should draw from ``generator.extra_rng`` only; for the showcase student
    (``person.is_showcase_student``) it should draw nothing. Its per-run counters belong in
    ``generator.state``. Registering a name again replaces the extension and keeps its place.
    """
    _person_extensions[name] = extension


# --- The generator ----------------------------------------------------------------------------------


class _Generator(_RecordDraws):
    """Draws people from one ``random.Random``; remembers identifiers so that they stay unique."""

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

    # -- personal details and extensions (second stream) --

    def personal_details(self, person: PersonSpec) -> PersonSpec:
        """``person`` with religion, address and aspirations added, then what the extensions add
        (privacy's consent records): drawn in that order, from the second stream."""
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
        return self.extended(replace(person, religion=str(religion), home_address=address, aspirations=aspirations))

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
        # The extensions see ``is_showcase_student`` and add her fixed part (privacy: she agreed to
        # everything herself, from her own account, once the law took effect), drawing nothing.
        return self.extended(PersonSpec(
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
        ))

    def extended(self, person: PersonSpec) -> PersonSpec:
        """``person`` with what every registered extension adds, in registration order."""
        return replace(person, extras=Extras((name, extension(self, person))
                                             for name, extension in _person_extensions.items()))


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
