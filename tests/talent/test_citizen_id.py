"""Citizen ID (CCCD): structure validation, one clear message per failure, and masking."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, example, given
from hypothesis import strategies as st

from core.crypto import mask_citizen_id
from talent.geo import province_from_citizen_id_prefix
from talent.validators import normalize_citizen_id, validate_citizen_id
from tests.factories import make_candidate

# The 63 province codes of birth registration in use before 1 July 2025 (GSO codes), written out
# independently of talent.geo so the table there is checked, not merely re-read.
REAL_PROVINCE_CODES = frozenset({
    1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42,
    44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86,
    87, 89, 91, 92, 93, 94, 95, 96,
})


def make_id(province: int, gender: str, born: int, serial: int = 1234) -> str:
    century_digit = (born // 100 - 19) * 2 + (gender == "female")
    return f"{province:03d}{century_digit}{born % 100:02d}{serial:06d}"


def code_of(value: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        validate_citizen_id(value, **kwargs)
    return err.value.code


class TestProvinceCodes:
    def test_exactly_the_63_real_codes_are_accepted(self) -> None:
        assert len(REAL_PROVINCE_CODES) == 63
        accepted = {n for n in range(1000) if province_from_citizen_id_prefix(f"{n:03d}") is not None}
        assert accepted == REAL_PROVINCE_CODES

    @pytest.mark.parametrize(("prefix", "name"), [("001", "Hà Nội"), ("079", "TP. Hồ Chí Minh"), ("092", "Cần Thơ"),
                                                  ("031", "Hải Phòng"), ("048", "Đà Nẵng"), ("096", "Cà Mau")])
    def test_known_codes(self, prefix: str, name: str) -> None:
        assert province_from_citizen_id_prefix(prefix).name == name

    @pytest.mark.parametrize("prefix", ["000", "003", "005", "007", "009", "097", "099", "100", "179", "79", "0790"])
    def test_codes_that_never_existed(self, prefix: str) -> None:
        assert province_from_citizen_id_prefix(prefix) is None


class TestFailures:
    @pytest.mark.parametrize(
        ("value", "kwargs", "code", "message"),
        [
            ("", {}, "format", "Số CCCD phải gồm đúng 12 chữ số."),
            ("07920500123", {}, "format", "Số CCCD phải gồm đúng 12 chữ số."),
            ("0792050012345", {}, "format", "Số CCCD phải gồm đúng 12 chữ số."),
            ("07920500123a", {}, "format", "Số CCCD phải gồm đúng 12 chữ số."),
            ("０７９２０５００１２３４", {}, "format", "Số CCCD phải gồm đúng 12 chữ số."),  # full-width
            ("079٢٠٥٠٠١٢٣٤", {}, "format", "Số CCCD phải gồm đúng 12 chữ số."),  # Arabic-Indic
            ("0٧٩205001234", {}, "format", "Số CCCD phải gồm đúng 12 chữ số."),  # mixed: prefix looks real
            ("+79205001234", {}, "format", "Số CCCD phải gồm đúng 12 chữ số."),
            ("000205001234", {}, "province", "«000» không phải mã tỉnh/thành phố nơi đăng ký khai sinh"),
            ("003205001234", {}, "province", "«003» không phải mã tỉnh/thành phố nơi đăng ký khai sinh"),
            ("097205001234", {}, "province", "«097»"),
            ("100205001234", {}, "province", "«100»"),
            ("079405001234", {}, "century", "các năm 2100–2199"),
            ("079505001234", {}, "century", "các năm 2100–2199"),
            ("079605001234", {}, "century", "các năm 2200–2299"),
            ("079705001234", {}, "century", "các năm 2200–2299"),
            ("079805001234", {}, "century", "các năm 2300–2399"),
            ("079905001234", {}, "century", "không thể là của một ứng viên"),
            ("079205001234", {"gender": "female"}, "gender", "không khớp với giới tính (nữ phải là 1 hoặc 3)"),
            ("079105001234", {"gender": "male"}, "gender", "không khớp với giới tính (nam phải là 0 hoặc 2)"),
            ("079005001234", {"gender": "male", "date_of_birth": dt.date(2005, 1, 1)}, "century",
             "các năm 1900–1999, không khớp với năm sinh 2005"),
            ("079205001234", {"date_of_birth": dt.date(1905, 1, 1)}, "century", "không khớp với năm sinh 1905"),
            ("079206001234", {"gender": "male", "date_of_birth": dt.date(2005, 1, 1)}, "year",
             "Chữ số thứ 5–6 của CCCD («06») phải là hai số cuối của năm sinh (05)."),
            ("001198001234", {"date_of_birth": dt.date(1989, 1, 1)}, "year", "(89)"),
        ],
    )
    def test_each_failure_has_its_own_code_and_message(self, value, kwargs, code, message) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationError) as err:
            validate_citizen_id(value, **kwargs)
        assert err.value.code == code
        assert message in err.value.messages[0]

    def test_codes_are_distinct_per_kind_of_failure(self) -> None:
        assert {
            code_of("1"), code_of("003205001234"), code_of("079805001234"),
            code_of("079205001234", gender="female"),
            code_of("079206001234", date_of_birth=dt.date(2005, 1, 1)),
        } == {"format", "province", "century", "gender", "year"}

    def test_checks_run_in_order_format_province_century_gender_year(self) -> None:
        assert code_of("003905001234", gender="female") == "province"
        assert code_of("079905001234", gender="male") == "century"
        assert code_of("079206001234", gender="female", date_of_birth=dt.date(2005, 1, 1)) == "gender"

    def test_unknown_or_missing_gender_is_not_checked(self) -> None:
        assert validate_citizen_id("079305001234", gender="") == "079305001234"
        assert validate_citizen_id("079305001234", gender=None) == "079305001234"

    def test_separators_are_dropped_and_leading_zeros_kept(self) -> None:
        assert validate_citizen_id(" 001-098.123 456 ", gender="male", date_of_birth=dt.date(1998, 6, 1)) == "001098123456"


provinces = st.sampled_from(sorted(REAL_PROVINCE_CODES))
genders = st.sampled_from(["male", "female"])
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
serials = st.integers(min_value=0, max_value=999_999)


@given(provinces, genders, birth_dates, serials)
@example(1, "male", dt.date(1900, 1, 1), 0).via("first day of the supported range")
@example(96, "female", dt.date(2099, 12, 31), 999_999).via("last day of the supported range")
def test_any_well_formed_id_validates_and_round_trips(province: int, gender: str, born: dt.date, serial: int) -> None:
    cid = make_id(province, gender, born.year, serial)
    assert validate_citizen_id(cid, gender=gender, date_of_birth=born) == cid
    assert validate_citizen_id(cid) == cid
    spaced = f"{cid[:3]} {cid[3:6]}.{cid[6:9]}-{cid[9:]}"
    assert validate_citizen_id(spaced, gender=gender, date_of_birth=born) == cid


@given(provinces, genders, birth_dates, serials)
def test_the_other_gender_digit_fails_with_gender(province: int, gender: str, born: dt.date, serial: int) -> None:
    cid = make_id(province, gender, born.year, serial)
    flipped = cid[:3] + str(int(cid[3]) ^ 1) + cid[4:]
    assert code_of(flipped, gender=gender, date_of_birth=born) == "gender"


@given(provinces, genders, birth_dates, serials, st.integers(min_value=1, max_value=99))
def test_a_wrong_year_fails_with_year(province: int, gender: str, born: dt.date, serial: int, shift: int) -> None:
    wrong_year = born.year // 100 * 100 + (born.year % 100 + shift) % 100  # same century, other year
    cid = make_id(province, gender, wrong_year, serial)
    assert code_of(cid, gender=gender, date_of_birth=born) == "year"


@given(provinces, genders, birth_dates, serials)
def test_an_id_from_the_other_century_fails_with_century(province: int, gender: str, born: dt.date,
                                                          serial: int) -> None:
    other = born.year + 100 if born.year < 2000 else born.year - 100
    cid = make_id(province, gender, other, serial)
    assert code_of(cid, gender=gender, date_of_birth=born) == "century"


@given(provinces, st.sampled_from("456789"), st.integers(min_value=0, max_value=99), serials)
def test_centuries_no_candidate_can_be_born_in_fail_with_century(province: int, digit: str, yy: int,
                                                                  serial: int) -> None:
    cid = f"{province:03d}{digit}{yy:02d}{serial:06d}"
    assert code_of(cid) == "century"


@given(st.text())
@example("")
@example("０７９２０５００１２３４")
@example("07920500123\n")
@example("079205001234\x00")
def test_anything_but_12_ascii_digits_fails_with_format(text: str) -> None:
    assume(not re.fullmatch(r"[0-9]{12}", normalize_citizen_id(text)))
    assert code_of(text) == "format"


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_12_ascii_digits_never_fail_with_format(cid: str) -> None:
    try:
        validate_citizen_id(cid)
    except ValidationError as err:
        assert err.code in {"province", "century"}


class TestMasking:
    def test_shows_the_province_code_and_the_last_three_digits(self) -> None:
        assert mask_citizen_id("079204001512") == "079******512"
        assert mask_citizen_id("") == ""
        assert mask_citizen_id("12345") == "*****"

    @given(provinces, genders, birth_dates, serials)
    def test_hides_century_year_and_most_of_the_serial(self, province: int, gender: str, born: dt.date,
                                                       serial: int) -> None:
        cid = make_id(province, gender, born.year, serial)
        masked = mask_citizen_id(cid)
        assert len(masked) == 12
        assert masked[:3] == cid[:3] and masked[-3:] == cid[-3:]
        assert masked[3:9] == "******"

    def test_candidate_shows_the_masked_id(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.school_a, citizen_id="079 205 001 512")
        assert candidate.citizen_id_masked == "079******512"
        assert make_candidate(org_tree.school_a, full_name="Trần Văn Bình").citizen_id_masked == ""
