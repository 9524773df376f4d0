from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from talent import pipeline
from talent.geo import LEGACY_PROVINCES, current_provinces, province_from_citizen_id_prefix, province_from_exam_council
from talent.models import Stage
from talent.reference import ETHNICITIES, is_ethnic_minority
from talent.rules import classify_conduct, classify_gpa
from talent.validators import normalize_phone, validate_citizen_id, validate_exam_number


class TestProvinces:
    def test_34_current_and_63_legacy_each_mapping_to_a_current_one(self) -> None:
        assert len(current_provinces()) == 34
        assert len(LEGACY_PROVINCES) == 63
        assert {p.current for p in LEGACY_PROVINCES} == set(current_provinces())

    def test_old_codes_resolve_to_todays_province(self) -> None:
        assert province_from_citizen_id_prefix("074").name == "Bình Dương"
        assert province_from_citizen_id_prefix("074").current == 79
        assert province_from_exam_council("02").name == "TP. Hồ Chí Minh"
        assert province_from_citizen_id_prefix("003") is None
        assert province_from_citizen_id_prefix("79") is None
        assert province_from_exam_council("xx") is None


class TestCitizenId:
    def test_valid_id_consistent_with_gender_and_birth_year(self) -> None:
        assert validate_citizen_id("079 305 001234", gender="female", date_of_birth=dt.date(2005, 1, 2)) == "079305001234"

    @pytest.mark.parametrize(
        ("value", "gender", "dob", "code"),
        [
            ("07920500123", None, None, "format"),
            ("07920500123a", None, None, "format"),
            ("003205001234", None, None, "province"),
            ("079905001234", None, None, "century"),
            ("079205001234", "female", None, "gender"),
            ("079005001234", "male", dt.date(2005, 1, 1), "century"),
            ("079206001234", "male", dt.date(2005, 1, 1), "year"),
        ],
    )
    def test_invalid_ids_say_what_is_wrong(self, value, gender, dob, code) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationError) as err:
            validate_citizen_id(value, gender=gender, date_of_birth=dob)
        assert err.value.code == code

    def test_male_born_2005(self) -> None:
        assert validate_citizen_id("079205001234", gender="male", date_of_birth=dt.date(2005, 6, 1)) == "079205001234"
        assert validate_citizen_id("079305001234", gender="female", date_of_birth=dt.date(2005, 6, 1))
        assert validate_citizen_id("001098123456", gender="male", date_of_birth=dt.date(1998, 6, 1))


def test_exam_number_keeps_leading_zeros() -> None:
    assert validate_exam_number("02012345") == "02012345"
    for bad in ("2012345", "020123456", "0201234a", "", "20012345", "99012345"):
        with pytest.raises(ValidationError):
            validate_exam_number(bad)


def test_phone_numbers() -> None:
    assert normalize_phone("091 234 5678") == "0912345678"
    assert normalize_phone("+84912345678") == "+84912345678"
    assert normalize_phone("") == ""
    with pytest.raises(ValidationError):
        normalize_phone("012345")


def test_54_ethnic_groups_and_minority_flag() -> None:
    assert len(set(ETHNICITIES)) == 54
    assert is_ethnic_minority("Kinh") is False
    assert is_ethnic_minority("Khmer") is True
    assert is_ethnic_minority("") is None


@pytest.mark.parametrize(
    ("gpa", "scale", "retaken", "disciplined", "expected"),
    [
        ("3.60", 4, False, False, "xuat_sac"),
        ("3.59", 4, False, False, "gioi"),
        ("3.20", 4, False, False, "gioi"),
        ("3.19", 4, False, False, "kha"),
        ("2.50", 4, False, False, "kha"),
        ("2.00", 4, False, False, "trung_binh"),
        ("1.99", 4, False, False, "yeu"),
        ("3.80", 4, True, False, "gioi"),
        ("3.40", 4, False, True, "kha"),
        ("2.80", 4, True, True, "kha"),  # only Xuất sắc and Giỏi are lowered
        ("8.5", 10, False, False, "gioi"),
        ("7.0", 10, False, False, "kha"),
        ("6.9", 10, False, False, "trung_binh"),
        ("9.2", 10, True, False, "gioi"),  # the downgrade applies on the 10-point scale too
    ],
)
def test_degree_classification(gpa, scale, retaken, disciplined, expected) -> None:  # type: ignore[no-untyped-def]
    assert classify_gpa(Decimal(gpa), scale, retaken_over_5_percent=retaken, disciplined=disciplined) == expected


def test_school_bands_for_grades_10_to_12() -> None:
    assert [classify_gpa(Decimal(g), 10, school=True) for g in ("9.5", "8.0", "6.5", "6.4", "5.0", "4.9")] == [
        "gioi", "gioi", "kha", "trung_binh", "trung_binh", "yeu"]


def test_age_on_birthdays() -> None:
    from talent.rules import age_on

    assert age_on(dt.date(2008, 3, 15), dt.date(2026, 3, 14)) == 17
    assert age_on(dt.date(2008, 3, 15), dt.date(2026, 3, 15)) == 18
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18


def test_conduct_bands() -> None:
    assert [classify_conduct(s) for s in (95, 90, 89, 80, 79, 65, 64, 50, 49, 35, 34, 0)] == [
        "xuat_sac", "xuat_sac", "tot", "tot", "kha", "kha", "trung_binh", "trung_binh", "yeu", "yeu", "kem", "kem",
    ]
    assert classify_conduct(None) == ""


class TestPipelineGraph:
    def test_forward_path_is_allowed(self) -> None:
        path = [Stage.DISCOVERED, Stage.NOMINATED, Stage.POOL, Stage.SHORTLISTED, Stage.PLACEMENT, Stage.RECRUITED,
                Stage.PLANNING, Stage.APPOINTED]
        for a, b in zip(path, path[1:]):
            assert pipeline.is_allowed(a, b), (a, b)

    def test_jumps_are_forbidden(self) -> None:
        assert not pipeline.is_allowed(Stage.DISCOVERED, Stage.APPOINTED)
        assert not pipeline.is_allowed(Stage.DISCOVERED, Stage.POOL)
        assert not pipeline.is_allowed(Stage.NOMINATED, Stage.RECRUITED)

    def test_anything_can_exit_and_exit_needs_a_reason(self) -> None:
        for stage in Stage.values:
            if stage != Stage.EXITED:
                assert pipeline.is_allowed(stage, Stage.EXITED)
                assert pipeline.needs_reason(stage, Stage.EXITED)
        assert pipeline.allowed_next(Stage.EXITED) == [Stage.DISCOVERED]

    def test_backward_moves_need_a_reason(self) -> None:
        assert pipeline.needs_reason(Stage.SHORTLISTED, Stage.POOL)
        assert not pipeline.needs_reason(Stage.POOL, Stage.SHORTLISTED)

    def test_every_stage_has_an_entry(self) -> None:
        assert set(pipeline.ALLOWED_TRANSITIONS) == set(Stage.values)


@pytest.mark.parametrize("value", ["０２０００００１", "02٠00001"])
def test_exam_numbers_are_ascii_digits_only(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_exam_number(value)


def test_phones_and_citizen_ids_are_ascii_digits_only() -> None:
    with pytest.raises(ValidationError):
        normalize_phone("09١٢٣٤٥٦٧٨")
    with pytest.raises(ValidationError):
        validate_citizen_id("０７９２０５００１２３４")
