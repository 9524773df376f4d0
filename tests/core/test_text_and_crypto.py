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
