"""Reference lists that belong to the domain rather than to configuration."""

from __future__ import annotations

# The 54 ethnic groups recognised in Vietnam, in the order of the official list (code 1..54).
ETHNICITIES: tuple[str, ...] = (
    "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai",
    "Ngái", "Ê Đê", "Ba Na", "Xơ Đăng", "Sán Chay", "Cơ Ho", "Chăm", "Sán Dìu", "Hrê", "Mnông",
    "Ra Glai", "Xtiêng", "Bru - Vân Kiều", "Thổ", "Giáy", "Cơ Tu", "Gié Triêng", "Mạ", "Khơ Mú", "Co",
    "Tà Ôi", "Chơ Ro", "Kháng", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "La Ha", "Phù Lá",
    "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y", "Si La",
    "Pu Péo", "Brâu", "Ơ Đu", "Rơ Măm",
)
assert len(ETHNICITIES) == 54
MAJORITY_ETHNICITY = "Kinh"
ETHNICITY_CHOICES = [(name, name) for name in ETHNICITIES]


def is_ethnic_minority(ethnicity: str) -> bool | None:
    """None when the ethnicity is not known: an unknown is not counted either way."""
    if not ethnicity:
        return None
    return ethnicity != MAJORITY_ETHNICITY


# Language framework of Thông tư 01/2014: bậc 1..6 correspond to CEFR A1..C2.
CEFR_BY_LEVEL = {1: "A1", 2: "A2", 3: "B1", 4: "B2", 5: "C1", 6: "C2"}
