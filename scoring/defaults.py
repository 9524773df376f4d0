"""The rubrics and eligibility rule sets shipped with the product. Data, installed by a migration and
editable afterwards (a new rubric version; an edited rule set): policies change, releases should not
have to."""

from __future__ import annotations

from typing import Any


def _c(key: str, feature: str, weight: float, label: str, rationale: str, *, normalization: str = "minmax",
       missing: str = "zero", cap: float | None = None, scale: tuple[float, float] | None = None,
       direction: str = "higher") -> dict[str, Any]:
    return {"key": key, "feature": feature, "weight": weight, "normalization": normalization,
            "direction": direction, "missing": missing, "cap": cap,
            "scale_min": scale[0] if scale else None, "scale_max": scale[1] if scale else None,
            "label": label, "rationale": rationale}


RUBRICS: tuple[dict[str, Any], ...] = (
    {
        "slug": "final-year-pupil",
        "name": "Học sinh lớp 12 triển vọng",
        "description": "Học sinh năm cuối THPT: kết quả thi, giải học sinh giỏi và cuộc thi, rèn luyện, hoạt động.",
        "filters": [{"feature": "current_level", "op": "==", "value": "grade_12", "label": "Đang học lớp 12"}],
        "criteria": [
            _c("exam", "exam_best_total", 35, "Điểm thi tốt nghiệp THPT",
               "Kỳ thi chung cả nước: cùng một thước đo cho mọi học sinh.", normalization="fixed", scale=(0, 30)),
            _c("olympiad", "olympiad_points", 30, "Giải học sinh giỏi, Olympic",
               "Giải cấp tỉnh, quốc gia, quốc tế cho thấy năng lực vượt trội ở một lĩnh vực.", cap=20),
            _c("competition", "competition_points", 10, "Giải các cuộc thi",
               "Cuộc thi khoa học kỹ thuật, sáng tạo bổ sung cho điểm thi.", cap=10),
            _c("conduct", "conduct_score", 10, "Rèn luyện",
               "Đạo đức, lối sống là tiêu chuẩn đầu tiên của cán bộ; thiếu điểm thì dùng trung vị nhóm, "
               "không phạt người chưa được nhập.", normalization="fixed", scale=(50, 100), missing="median"),
            _c("volunteering", "volunteering_count", 7.5, "Hoạt động tình nguyện",
               "Tinh thần cống hiến cho cộng đồng; tối đa 5 hoạt động.", cap=5),
            _c("leadership", "leadership_count", 7.5, "Vai trò cán bộ Đoàn, lớp",
               "Kinh nghiệm tổ chức, dẫn dắt từ sớm; tối đa 3 vai trò.", cap=3),
        ],
    },
    {
        "slug": "university-student",
        "name": "Sinh viên xuất sắc",
        "description": "Sinh viên đại học: học tập, rèn luyện, nghiên cứu, giải thưởng, ngoại ngữ, tình nguyện, "
                       "vai trò lãnh đạo và tham gia câu lạc bộ.",
        "filters": [{"feature": "current_level", "op": "==", "value": "university", "label": "Đang học đại học"}],
        "criteria": [
            _c("gpa", "gpa4", 30, "Điểm trung bình (thang 4)",
               "Kết quả học tập là nền tảng; chưa có điểm trung bình thì chưa xếp hạng.", normalization="fixed",
               scale=(2.0, 4.0), missing="exclude"),
            _c("conduct", "conduct_score", 10, "Điểm rèn luyện",
               "Rèn luyện theo khung 0–100; thiếu điểm dùng trung vị nhóm.", normalization="fixed",
               scale=(50, 100), missing="median"),
            _c("research", "research_points", 12, "Nghiên cứu khoa học",
               "Giải nghiên cứu theo cấp và thứ hạng.", cap=12),
            _c("awards", "award_points", 10, "Giải thưởng, danh hiệu",
               "Danh hiệu như Sinh viên 5 tốt, khen thưởng theo cấp và thứ hạng.", cap=15),
            _c("language", "language_level", 10, "Ngoại ngữ (khung 6 bậc)",
               "Khả năng làm việc trong môi trường quốc tế; chưa có chứng chỉ xác minh thì không được điểm.",
               normalization="fixed", scale=(0, 6)),
            _c("volunteering", "volunteering_count", 8, "Tình nguyện",
               "Cống hiến cho cộng đồng; tối đa 6 hoạt động.", cap=6),
            _c("leadership", "leadership_count", 10, "Vai trò lãnh đạo",
               "Kinh nghiệm cán bộ Đoàn, Hội, câu lạc bộ; tối đa 4 vai trò.", cap=4),
            _c("engagement", "engagement_points", 10, "Tham gia câu lạc bộ, sự kiện",
               "Gắn bó với câu lạc bộ và các buổi đối thoại; chưa tham gia thì không được điểm."),
        ],
    },
    {
        "slug": "young-cadre",
        "name": "Cán bộ trẻ",
        "description": "Cán bộ trẻ đã được tuyển dụng: xếp loại hằng năm, đào tạo, kinh nghiệm, ngoại ngữ, lý luận chính trị.",
        "filters": [{"feature": "is_cadre", "op": "==", "value": 1, "label": "Là cán bộ trẻ"}],
        "criteria": [
            _c("ratings", "annual_rating_points", 35, "Xếp loại chất lượng hằng năm",
               "Kết quả thực hiện nhiệm vụ là căn cứ chính để quy hoạch; chưa có xếp loại thì không được điểm.",
               normalization="fixed", scale=(0, 4)),
            _c("training", "training_count", 15, "Đào tạo, bồi dưỡng",
               "Số khoá đã hoàn thành, tối đa 5.", cap=5),
            _c("leadership_training", "leadership_trained", 10, "Kỹ năng lãnh đạo",
               "Mục tiêu 100% cán bộ trẻ trong quy hoạch được bồi dưỡng kỹ năng lãnh đạo.",
               normalization="fixed", scale=(0, 1)),
            _c("experience", "experience_years", 15, "Kinh nghiệm công tác",
               "Thời gian công tác thực tế, tối đa 10 năm.", cap=10),
            _c("language", "language_level", 10, "Ngoại ngữ (khung 6 bậc)",
               "Mục tiêu bậc 4 trở lên cho cán bộ dưới 40 tuổi.", normalization="fixed", scale=(0, 6)),
            _c("political_theory", "political_theory_level", 15, "Lý luận chính trị",
               "Tiêu chuẩn chức danh lãnh đạo, quản lý.", normalization="fixed", scale=(0, 3)),
        ],
    },
)

YOUTH_AGE_SOURCE = "Luật Thanh niên 2020, Điều 1: thanh niên là công dân Việt Nam từ đủ 16 đến 30 tuổi."

RULE_SETS: tuple[dict[str, Any], ...] = (
    {
        "slug": "youth-age",
        "name": "Độ tuổi thanh niên",
        "description": "Từ đủ 16 đến 30 tuổi.",
        "source": YOUTH_AGE_SOURCE,
        "caution": "",
        "levels": [],
        "rules": [
            {"key": "youth_age", "label": "Từ đủ 16 đến 30 tuổi", "source": YOUTH_AGE_SOURCE, "mode": "all",
             "conditions": [{"feature": "age", "op": ">=", "value": 16, "label": "Từ đủ 16 tuổi"},
                            {"feature": "age", "op": "<=", "value": 30, "label": "Không quá 30 tuổi"}]},
        ],
    },
    {
        "slug": "excellent-graduate",
        "name": "Thu hút sinh viên tốt nghiệp xuất sắc",
        "description": "Điều kiện xét tuyển theo chính sách thu hút, tạo nguồn cán bộ từ sinh viên tốt nghiệp xuất sắc.",
        "source": "Nghị định 140/2017/NĐ-CP ngày 05/12/2017 (đã được thay thế năm 2025)",
        "caution": "Đối chiếu với nghị định đang có hiệu lực trước khi sử dụng.",
        "levels": ["college", "university", "master", "doctorate"],
        "rules": [
            {"key": "degree", "label": "Tốt nghiệp loại xuất sắc", "source": "Nghị định 140/2017/NĐ-CP, Điều 2",
             "mode": "all",
             "conditions": [{"feature": "degree_class", "op": ">=", "value": 4, "label": "Xếp loại xuất sắc"}]},
            {"key": "conduct", "label": "Rèn luyện xuất sắc", "source": "Nghị định 140/2017/NĐ-CP, Điều 2",
             "mode": "all",
             "conditions": [{"feature": "conduct_score", "op": ">=", "value": 90, "label": "Điểm rèn luyện từ 90"}]},
            {"key": "youth_age", "label": "Trong độ tuổi thanh niên", "source": YOUTH_AGE_SOURCE, "mode": "all",
             "conditions": [{"feature": "age", "op": ">=", "value": 16, "label": "Từ đủ 16 tuổi"},
                            {"feature": "age", "op": "<=", "value": 30, "label": "Không quá 30 tuổi"}]},
            {"key": "prize", "label": "Có ít nhất một giải thưởng theo quy định",
             "source": "Nghị định 140/2017/NĐ-CP, Điều 2", "mode": "any",
             "conditions": [
                 {"feature": "prize_province_top3", "op": ">=", "value": 1, "label": "Giải Ba cấp tỉnh trở lên"},
                 {"feature": "prize_national", "op": ">=", "value": 1, "label": "Giải quốc gia hoặc quốc tế"},
                 {"feature": "prize_research_national", "op": ">=", "value": 1,
                  "label": "Giải cuộc thi sáng tạo khoa học công nghệ quốc gia"},
                 {"feature": "prize_university_olympiad", "op": ">=", "value": 1,
                  "label": "Giải Olympic sinh viên"},
             ]},
        ],
    },
)


def install_defaults(Rubric: Any, RubricVersion: Any, EligibilityRuleSet: Any) -> None:
    """Create what is missing; never touches a rubric or rule set that already exists."""
    from django.utils import timezone

    for spec in RUBRICS:
        rubric, created = Rubric.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"], "description": spec["description"]})
        if created or not RubricVersion.objects.filter(rubric=rubric).exists():
            RubricVersion.objects.create(rubric=rubric, number=1, state="active", criteria=spec["criteria"],
                                         filters=spec["filters"], note="Phiên bản mặc định",
                                         activated_at=timezone.now())
    for spec in RULE_SETS:
        # A migration's historical model may not have every field yet (``levels`` came later).
        fields = {f.name for f in EligibilityRuleSet._meta.get_fields()}
        EligibilityRuleSet.objects.get_or_create(slug=spec["slug"], defaults={
            k: spec[k] for k in ("name", "description", "source", "caution", "rules", "levels") if k in fields})
