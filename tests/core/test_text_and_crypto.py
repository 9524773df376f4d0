from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.crypto import mask, pii_decrypt, pii_encrypt, pii_hash
from core.text import fold, normalize_name


def test_fold_strips_vietnamese_diacritics_and_d_bar() -> None:
    assert fold("Nguyễn Văn Đạt") == "nguyen van dat"
    assert fold("  TRẦN   thị   Ánh  ") == "tran thi anh"
    assert fold("Đỗ Đức Đông") == "do duc dong"
    assert fold("") == ""
    assert fold(None) == ""


def test_fold_treats_composed_and_decomposed_input_alike() -> None:
    composed = "Hoàng Thị Huyền"
    decomposed = "Hoa\u0300ng Thi\u0323 Huye\u0302\u0300n"
    assert fold(composed) == fold(decomposed) == "hoang thi huyen"


@given(st.text())
def test_fold_is_idempotent_and_lowercase(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert once == once.lower()


def test_normalize_name_capitalises_each_word() -> None:
    assert normalize_name("  nguyễn   văn  AN ") == "Nguyễn Văn An"


def test_citizen_id_round_trips_and_hash_is_stable_and_keyed(settings) -> None:
    token = pii_encrypt("079204001234")
    assert "079204001234" not in token
    assert pii_decrypt(token) == "079204001234"
    assert pii_hash("079204001234") == pii_hash("079204001234")
    assert pii_hash("079204001234") != pii_hash("079204001235")
    before = pii_hash("079204001234")
    settings.PII_HASH_KEY = "another-key"
    assert pii_hash("079204001234") != before


def test_decrypt_of_damaged_token_gives_none_not_an_error() -> None:
    assert pii_decrypt("not-a-token") is None
    assert pii_decrypt("") is None


def test_mask_shows_only_last_three_digits() -> None:
    assert mask("079204001234") == "*********234"
    assert mask("") == ""


def test_vietnamese_alphabetical_order() -> None:
    from core.text import vietnamese_sort_key

    words = ["Đà Nẵng", "Cần Thơ", "Cao Bằng", "Cà Mau", "Zê", "Ăn", "An", "Ân", "Hải Phòng", "Hà Nội", "Hà Tĩnh",
             "Ơn", "Ôn", "On", "Ưa", "Ua", "Dũng", "Điện Biên"]
    ordered = sorted(words, key=vietnamese_sort_key)
    assert ordered == ["An", "Ăn", "Ân", "Cà Mau", "Cao Bằng", "Cần Thơ", "Dũng", "Đà Nẵng", "Điện Biên", "Hà Nội",
                       "Hà Tĩnh", "Hải Phòng", "On", "Ôn", "Ơn", "Ua", "Ưa", "Zê"]
    # Tones order words that are otherwise equal: none, huyền, hỏi, ngã, sắc, nặng.
    assert sorted(["ma", "mạ", "má", "mã", "mả", "mà"], key=vietnamese_sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert vietnamese_sort_key("Thành phố Hà Nội", drop_prefix=True) == vietnamese_sort_key("Hà Nội")


def test_the_province_list_is_in_vietnamese_order() -> None:
    from talent.geo import province_choices

    names = [name for _, name in province_choices()]
    assert names.index("Cà Mau") < names.index("Cao Bằng") < names.index("Thành phố Cần Thơ")
    assert names.index("Thành phố Đà Nẵng") < names.index("Điện Biên") < names.index("Gia Lai")  # not after "Z"
    assert names.index("Thành phố Hà Nội") < names.index("Hà Tĩnh") < names.index("Hưng Yên")
