"""Vietnamese personal names for the demo city, with weights that make a crowd look real.

A Vietnamese name is family name + middle name + given name ("Nguyễn Thị Thu Hà" has the two-word
middle name "Thị Thu" in some families; we keep one word). The family name carries most of the
frequency skew: about a third of the country is Nguyễn. Middle and given names carry the gender:
"Văn" is only ever male and "Thị" only ever female, while a few names ("Minh", "Anh", "Bảo") are
shared, as they are in life. Weights are relative, not percentages.

Families of ethnic minorities keep their own family names (Thạch, Danh, Sơn among the Khmer; Lâm,
Quách, Trương among the Hoa; Nông, Hoàng among the Tày ...), so those lists are separate.
"""

from __future__ import annotations

Weighted = tuple[tuple[str, float], ...]

# Southern-weighted frequencies (Huỳnh and Võ are the southern forms of Hoàng and Vũ, and the demo
# city is Ho Chi Minh City).
FAMILY_NAMES: Weighted = (
    ("Nguyễn", 33.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Huỳnh", 4.2), ("Hoàng", 1.8),
    ("Phan", 4.5), ("Võ", 3.6), ("Vũ", 1.4), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Trương", 1.2), ("Đinh", 0.9), ("Lâm", 0.8),
    ("Mai", 0.6), ("Đoàn", 0.6), ("Cao", 0.5), ("Lương", 0.5), ("Châu", 0.4), ("Hà", 0.5), ("Tô", 0.3),
    ("Tạ", 0.3), ("Thái", 0.3), ("Lưu", 0.3), ("Kiều", 0.2), ("Tăng", 0.2), ("Quách", 0.2),
    ("Từ", 0.2), ("Khưu", 0.1),
)

# Family names by ethnicity for the minorities the demo generates; anyone else uses FAMILY_NAMES.
ETHNIC_FAMILY_NAMES: dict[str, Weighted] = {
    "Hoa": (("Lâm", 3.0), ("Quách", 2.0), ("Trương", 3.0), ("Lý", 2.5), ("Châu", 2.0), ("Mã", 1.5),
            ("Tăng", 1.5), ("Diệp", 1.0), ("Hứa", 1.0), ("La", 1.0), ("Lưu", 1.5), ("Ông", 0.5),
            ("Khưu", 0.8), ("Trần", 1.5)),
    "Khmer": (("Thạch", 4.0), ("Sơn", 3.0), ("Danh", 3.0), ("Kim", 2.0), ("Lâm", 1.5), ("Trà", 1.0),
              ("Chau", 1.5), ("Lý", 1.0)),
    "Chăm": (("Đạo", 2.0), ("Thiên", 1.5), ("Bá", 1.5), ("Lưu", 1.0), ("Quảng", 1.0), ("Từ", 1.0),
             ("Châu", 1.0)),
    "Tày": (("Hoàng", 3.0), ("Nông", 3.0), ("Lương", 1.5), ("Ma", 1.0), ("Triệu", 1.0), ("Lục", 1.0),
            ("Hà", 1.0), ("Đàm", 0.8)),
    "Nùng": (("Hoàng", 2.5), ("Nông", 2.0), ("Lương", 1.5), ("Vi", 1.0), ("Lăng", 1.0), ("Chu", 1.0),
             ("Mã", 0.8)),
    "Mường": (("Đinh", 3.0), ("Bùi", 3.0), ("Quách", 1.5), ("Hà", 1.0), ("Xa", 0.5)),
    "Thái": (("Lò", 2.0), ("Cầm", 1.5), ("Lường", 1.5), ("Quàng", 1.0), ("Vi", 1.0), ("Hà", 1.0),
             ("Lộc", 0.8)),
}

# Middle names that only ever belong to one gender ("Văn", "Thị") get a lower weight for people
# born from 2004 on, when parents moved away from them; see GENERATIONAL_MIDDLE_NAMES.
MALE_MIDDLE_NAMES: Weighted = (
    ("Văn", 16.0), ("Minh", 12.0), ("Hoàng", 7.0), ("Quốc", 8.0), ("Đức", 7.0), ("Hữu", 6.0),
    ("Thành", 6.0), ("Quang", 6.0), ("Gia", 6.0), ("Anh", 5.0), ("Tuấn", 4.0), ("Công", 4.0),
    ("Trọng", 3.0), ("Đình", 3.0), ("Tấn", 4.0), ("Nhật", 4.0), ("Bảo", 4.0), ("Thanh", 3.0),
    ("Thế", 3.0), ("Xuân", 2.0), ("Trung", 2.0), ("Đăng", 2.0),
)
FEMALE_MIDDLE_NAMES: Weighted = (
    ("Thị", 16.0), ("Ngọc", 12.0), ("Thu", 5.0), ("Thanh", 6.0), ("Phương", 5.0), ("Thùy", 5.0),
    ("Minh", 6.0), ("Bảo", 5.0), ("Khánh", 5.0), ("Hoài", 3.0), ("Kim", 4.0), ("Mỹ", 4.0),
    ("Quỳnh", 4.0), ("Diệu", 2.0), ("Hồng", 3.0), ("Gia", 3.0), ("Tường", 2.0), ("Mai", 3.0),
    ("Hải", 2.0), ("Nhã", 2.0), ("Cẩm", 2.0), ("Tú", 1.5),
)
# Middle names whose weight halves for the generation born in or after GENERATION_SHIFT_YEAR.
GENERATIONAL_MIDDLE_NAMES = frozenset({"Văn", "Thị"})
GENERATION_SHIFT_YEAR = 2004

# Middle names a demo test may rely on to tell the genders apart.
MALE_ONLY_MIDDLE_NAMES = frozenset({"Văn", "Hữu", "Đức", "Quốc", "Công", "Trọng", "Đình", "Tấn", "Thế"})
FEMALE_ONLY_MIDDLE_NAMES = frozenset({"Thị", "Ngọc", "Thu", "Phương", "Thùy", "Diệu", "Hồng", "Mỹ", "Cẩm"})

MALE_GIVEN_NAMES: Weighted = (
    ("Anh", 6.0), ("Huy", 6.0), ("Khoa", 5.0), ("Minh", 6.0), ("Nam", 5.0), ("Phúc", 5.0), ("Quân", 4.0),
    ("Khang", 4.0), ("Bảo", 4.0), ("Duy", 4.0), ("Đạt", 5.0), ("Hiếu", 4.0), ("Hoàng", 3.0),
    ("Hùng", 3.0), ("Khôi", 3.0), ("Kiệt", 3.0), ("Long", 4.0), ("Lộc", 3.0), ("Nhân", 3.0),
    ("Phát", 3.0), ("Phong", 3.0), ("Sơn", 3.0), ("Tài", 3.0), ("Thắng", 3.0), ("Thịnh", 3.0),
    ("Tiến", 3.0), ("Toàn", 3.0), ("Trí", 3.0), ("Trung", 3.0), ("Tuấn", 4.0), ("Việt", 3.0),
    ("Vinh", 3.0), ("Vũ", 3.0), ("Cường", 2.0), ("Dũng", 3.0), ("Hải", 3.0), ("Hậu", 2.0),
    ("Khánh", 2.0), ("Kiên", 2.0), ("Lâm", 2.0), ("Luân", 1.5), ("Nghĩa", 2.0), ("Nguyên", 2.0),
    ("Quang", 2.0), ("Tâm", 2.0), ("Thái", 2.0), ("Thiện", 2.0), ("Thông", 1.5), ("Tín", 2.0),
    ("Tú", 2.0), ("Đức", 2.0), ("Hưng", 2.0), ("Lợi", 1.0), ("Tường", 1.0),
)
FEMALE_GIVEN_NAMES: Weighted = (
    ("Anh", 7.0), ("Linh", 6.0), ("Ngân", 5.0), ("Nhi", 5.0), ("Trang", 5.0), ("Thảo", 5.0), ("Vy", 5.0),
    ("Hân", 4.0), ("My", 4.0), ("Ngọc", 3.0), ("Quỳnh", 4.0), ("Uyên", 4.0), ("Thư", 4.0),
    ("Trâm", 3.0), ("Hà", 3.0), ("Hương", 3.0), ("Huyền", 3.0), ("Giang", 3.0), ("Hạnh", 2.0),
    ("Hằng", 2.0), ("Hiền", 3.0), ("Hoa", 2.0), ("Lan", 2.0), ("Loan", 1.5), ("Mai", 3.0),
    ("Nga", 1.5), ("Nhung", 2.0), ("Oanh", 1.5), ("Phương", 3.0), ("Quyên", 2.0), ("Tâm", 2.0),
    ("Thủy", 2.0), ("Trinh", 2.0), ("Vân", 2.0), ("Yến", 2.0), ("Chi", 3.0), ("Diệp", 1.0),
    ("Dung", 1.5), ("Như", 3.0), ("Tiên", 2.0), ("Châu", 2.0), ("Khuê", 1.0), ("Ly", 2.0),
    ("Thy", 2.0), ("Xuân", 1.0), ("Duyên", 2.0), ("Hậu", 1.0), ("Tuyết", 1.0), ("Vi", 2.0),
)
