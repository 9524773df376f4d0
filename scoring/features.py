"""Loading the feature frame: the thin adapter between the database and the pure engine.

A fixed handful of queries for the whole cohort (candidates, current studies, verified achievements,
verified languages, exam results, annual ratings, trainings, first recruitment), none per candidate;
the rest is pandas. Only verified achievements and languages count: a pending claim is not evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db.models import Min, QuerySet
from django.utils import timezone

from talent.models import (
    Achievement,
    AnnualRating,
    Candidate,
    EducationRecord,
    LanguageCertificate,
    Stage,
    StageTransition,
    Training,
    VerificationStatus,
)


@dataclass(frozen=True)
class Feature:
    key: str
    label: str
    help: str
    numeric: bool = True
    unit: str = ""  # shown after the value: "3,5 / 4", "22 tuổi"


FEATURES: tuple[Feature, ...] = (
    Feature("age", "Tuổi", "Tuổi tròn hôm nay.", unit="tuổi"),
    Feature("current_level", "Bậc học hiện tại", "Bậc của quá trình học tập gần nhất (grade_12, university…).",
            numeric=False),
    Feature("is_cadre", "Là cán bộ trẻ", "1 khi đã được tuyển dụng, quy hoạch hoặc bổ nhiệm."),
    Feature("exam_best_total", "Điểm thi tốt nghiệp THPT (tổ hợp cao nhất)",
            "Tổng điểm cao nhất trong các khối A00, A01, B00, C00, D01 theo số báo danh và năm thi.", unit="/ 30"),
    Feature("olympiad_points", "Điểm giải học sinh giỏi / Olympic", "Tổng điểm các giải đã xác minh (xem bảng điểm giải).",
            unit="điểm"),
    Feature("competition_points", "Điểm cuộc thi", "Tổng điểm các giải cuộc thi đã xác minh.", unit="điểm"),
    Feature("conduct_score", "Điểm rèn luyện", "Điểm rèn luyện (0–100) của quá trình học tập gần nhất.", unit="/ 100"),
    Feature("gpa4", "Điểm trung bình (thang 4)", "Của bậc cao đẳng/đại học gần nhất; thang 10 được quy đổi × 0,4.",
            unit="/ 4"),
    Feature("degree_class", "Xếp loại học lực", "Xuất sắc 4, Giỏi 3, Khá 2, Trung bình 1, Yếu 0.", unit="/ 4"),
    Feature("research_points", "Điểm nghiên cứu khoa học", "Tổng điểm các giải nghiên cứu đã xác minh.", unit="điểm"),
    Feature("award_points", "Điểm khen thưởng, danh hiệu", "Tổng điểm danh hiệu, khen thưởng, thủ khoa đã xác minh.",
            unit="điểm"),
    Feature("language_level", "Bậc ngoại ngữ", "Bậc cao nhất (1–6, khung 6 bậc) đã xác minh.", unit="/ 6 bậc"),
    Feature("volunteering_count", "Hoạt động tình nguyện", "Số hoạt động tình nguyện đã xác minh.", unit="hoạt động"),
    Feature("leadership_count", "Vai trò lãnh đạo", "Số vai trò lãnh đạo (Đoàn, Hội, CLB) đã xác minh.",
            unit="vai trò"),
    Feature("engagement_points", "Tham gia CLB, sự kiện", "Điểm tham gia câu lạc bộ và sự kiện, giảm dần theo thời gian.",
            unit="điểm"),
    Feature("annual_rating_points", "Xếp loại hằng năm (3 năm gần nhất)",
            "Trung bình: xuất sắc 4, tốt 3, hoàn thành 2, không hoàn thành 0.", unit="/ 4"),
    Feature("training_count", "Số khoá đào tạo đã hoàn thành", "Mọi loại khoá đào tạo, bồi dưỡng.", unit="khoá"),
    Feature("leadership_trained", "Đã học kỹ năng lãnh đạo", "1 khi đã hoàn thành khoá kỹ năng lãnh đạo, quản lý."),
    Feature("experience_years", "Số năm công tác", "Từ lần đầu được tuyển dụng đến hôm nay.", unit="năm"),
    Feature("political_theory_level", "Trình độ lý luận chính trị", "Sơ cấp 1, Trung cấp 2, Cao cấp/Cử nhân 3.",
            unit="/ 3"),
    Feature("prize_province_top3", "Giải Ba cấp tỉnh trở lên", "Số giải Nhất, Nhì, Ba (hoặc huy chương) cấp tỉnh.",
            unit="giải"),
    Feature("prize_national", "Giải quốc gia, quốc tế", "Số giải có thứ hạng cấp quốc gia hoặc quốc tế.", unit="giải"),
    Feature("prize_research_national", "Giải nghiên cứu khoa học quốc gia",
            "Số giải nghiên cứu khoa học, sáng tạo khoa học công nghệ cấp quốc gia trở lên.", unit="giải"),
    Feature("prize_university_olympiad", "Giải Olympic sinh viên", "Số giải Olympic trong thời gian học đại học.",
            unit="giải"),
    Feature("mentor_rating", "Đánh giá của người hướng dẫn thực tập",
            "Điểm trung bình (1–5) các phiếu đánh giá của người hướng dẫn khi kết thúc thực tập.", unit="/ 5"),
    Feature("potential", "Mô hình dự báo (tham khảo)",
            "Xác suất phát triển do mô hình học máy ước lượng; chỉ dùng khi được chọn rõ ràng."),
)
FEATURE_KEYS = frozenset(f.key for f in FEATURES)
FEATURE_BY_KEY = {f.key: f for f in FEATURES}
# Columns the fairness audit groups by; never used to score anyone.
GROUP_COLUMNS = ("gender", "is_ethnic_minority", "region")

LEVEL_POINTS = {"school": 1.0, "province": 3.0, "national": 6.0, "international": 10.0}
RANK_FACTOR = {"first": 1.0, "gold": 1.0, "top": 1.0, "second": 0.8, "silver": 0.8, "third": 0.6, "bronze": 0.6,
               "consolation": 0.4, "honour": 0.5, "": 0.3}
PLACED = ("first", "second", "third", "gold", "silver", "bronze", "top")
RATING_POINTS = {"excellent": 4.0, "good": 3.0, "complete": 2.0, "incomplete": 0.0}
CLASS_POINTS = {"xuat_sac": 4.0, "gioi": 3.0, "kha": 2.0, "trung_binh": 1.0, "yeu": 0.0}
THEORY_POINTS = {"so_cap": 1.0, "trung_cap": 2.0, "cao_cap": 3.0, "cu_nhan": 3.0}
CADRE_STAGES = (Stage.RECRUITED, Stage.PLANNING, Stage.APPOINTED)

# Other apps add features computed from their own data (exams: the exam total, clubs: engagement,
# openings: mentor feedback) without this module importing them: each provider takes the candidate
# ids and returns a Series indexed by id. A feature whose provider is not installed is missing (NaN).
FeatureProvider = Callable[[pd.Index], "pd.Series[float]"]
PROVIDERS: dict[str, FeatureProvider] = {}
PROVIDED_FEATURES = ("exam_best_total", "engagement_points", "mentor_rating")
# The potential model predicts from the other features; ``scoring.potential`` registers it here.
PotentialPredictor = Callable[[pd.DataFrame], "np.ndarray | None"]
_potential: list[PotentialPredictor] = []


def register_potential(predict: PotentialPredictor) -> None:
    _potential[:] = [predict]


def register_provider(key: str, provider: FeatureProvider) -> None:
    if key not in FEATURE_KEYS:
        raise ValueError(f"unknown feature {key!r}")
    PROVIDERS[key] = provider


def region_of(province_code: Any) -> str:
    """Three regions by statistics-office province code: north (≤37), centre and highlands (38–68),
    south (≥70). Empty when the province is not recorded."""
    if province_code is None or (isinstance(province_code, float) and np.isnan(province_code)):
        return ""
    code = int(province_code)
    return "north" if code <= 37 else "centre" if code <= 68 else "south"


def _frame(rows: Iterable[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(rows), columns=columns)


def load_features(candidates: QuerySet[Candidate], *, today: dt.date | None = None,
                  with_potential: bool = True) -> pd.DataFrame:
    """The feature frame for ``candidates`` (index ``candidate_id``), with the group columns."""
    today = today or timezone.localdate()
    base = _frame(candidates.values("id", "date_of_birth", "gender", "is_ethnic_minority", "province_code", "stage",
                                    "political_theory", "exam_number", "exam_year", "organization_id"),
                  ["id", "date_of_birth", "gender", "is_ethnic_minority", "province_code", "stage",
                   "political_theory", "exam_number", "exam_year", "organization_id"])
    frame = pd.DataFrame(index=pd.Index(base["id"].astype("int64"), name="candidate_id"))
    if base.empty:
        for feature in FEATURES:
            frame[feature.key] = pd.Series(dtype=float if feature.numeric else object)
        for column in (*GROUP_COLUMNS, "organization_id"):
            frame[column] = pd.Series(dtype=object)
        return frame
    ids = candidates.values("pk")
    base = base.set_index("id")
    dob = pd.to_datetime(base["date_of_birth"])
    years = today.year - dob.dt.year - ((dob.dt.month * 100 + dob.dt.day) > today.month * 100 + today.day)
    frame["age"] = years.astype(float).to_numpy()
    frame["is_cadre"] = base["stage"].isin(CADRE_STAGES).astype(float).to_numpy()
    frame["political_theory_level"] = base["political_theory"].map(THEORY_POINTS).fillna(0.0).to_numpy()
    frame["gender"] = base["gender"].to_numpy()
    frame["is_ethnic_minority"] = base["is_ethnic_minority"].to_numpy()
    frame["region"] = base["province_code"].map(region_of).to_numpy()
    frame["organization_id"] = base["organization_id"].to_numpy()

    _education(frame, ids)
    _achievements(frame, ids)
    _languages(frame, ids)
    _ratings_and_training(frame, ids, today)
    for key, provider in PROVIDERS.items():
        frame[key] = provider(frame.index).reindex(frame.index).astype(float)
    for key in PROVIDED_FEATURES:
        if key not in PROVIDERS:
            frame[key] = np.nan
    frame["potential"] = np.nan
    if with_potential and _potential:
        predicted = _potential[0](frame)
        if predicted is not None:
            frame["potential"] = predicted
    return frame


def _education(frame: pd.DataFrame, ids: QuerySet[Any]) -> None:
    rows = _frame(EducationRecord.objects.filter(candidate__in=ids).values(
        "candidate_id", "level", "start_year", "id", "gpa", "gpa_scale", "conduct_score", "classification"),
        ["candidate_id", "level", "start_year", "id", "gpa", "gpa_scale", "conduct_score", "classification"])
    latest = rows.sort_values(["candidate_id", "start_year", "id"]).drop_duplicates("candidate_id", keep="last")
    latest = latest.set_index("candidate_id")
    frame["current_level"] = latest["level"].reindex(frame.index)
    frame["conduct_score"] = latest["conduct_score"].astype(float).reindex(frame.index)
    higher = rows[rows["level"].isin(["college", "university", "master", "doctorate"]) & rows["gpa"].notna()]
    higher = higher.sort_values(["candidate_id", "start_year", "id"]).drop_duplicates("candidate_id", keep="last")
    higher = higher.set_index("candidate_id")
    gpa = higher["gpa"].astype(float)
    gpa = gpa.where(higher["gpa_scale"] == 4, gpa * 0.4)
    frame["gpa4"] = gpa.reindex(frame.index)
    frame["degree_class"] = higher["classification"].map(CLASS_POINTS).reindex(frame.index)
    uni_start = rows[rows["level"] == "university"].groupby("candidate_id")["start_year"].min()
    frame["_university_start"] = uni_start.reindex(frame.index)


def _achievements(frame: pd.DataFrame, ids: QuerySet[Any]) -> None:
    rows = _frame(Achievement.objects.filter(candidate__in=ids, verification_status=VerificationStatus.VERIFIED)
                  .values("candidate_id", "category", "level", "award_rank", "year"),
                  ["candidate_id", "category", "level", "award_rank", "year"])
    rows["points"] = rows["level"].map(LEVEL_POINTS).fillna(0.0) * rows["award_rank"].map(RANK_FACTOR).fillna(0.3)
    placed = rows["award_rank"].isin(PLACED)
    high = rows["level"].isin(["national", "international"])

    def per_candidate(mask: pd.Series, column: str = "points", how: str = "sum") -> pd.Series:
        grouped = rows[mask].groupby("candidate_id")
        values = grouped[column].sum() if how == "sum" else grouped.size().astype(float)
        return values.reindex(frame.index).fillna(0.0)

    for category, key in (("olympiad", "olympiad_points"), ("competition", "competition_points"),
                          ("research", "research_points")):
        frame[key] = per_candidate(rows["category"] == category)
    frame["award_points"] = per_candidate(rows["category"].isin(["award", "exam"]))
    frame["volunteering_count"] = per_candidate(rows["category"] == "volunteering", how="count")
    frame["leadership_count"] = per_candidate(rows["category"] == "leadership", how="count")
    frame["prize_province_top3"] = per_candidate((rows["level"] == "province") & placed, how="count")
    frame["prize_national"] = per_candidate(high & placed, how="count")
    frame["prize_research_national"] = per_candidate(
        high & placed & rows["category"].isin(["research", "competition"]), how="count")
    start = frame["_university_start"].reindex(rows["candidate_id"]).to_numpy()
    during_university = pd.Series(rows["year"].to_numpy(dtype=float) >= start, index=rows.index)
    frame["prize_university_olympiad"] = per_candidate(
        (rows["category"] == "olympiad") & placed & during_university, how="count")
    del frame["_university_start"]


def _languages(frame: pd.DataFrame, ids: QuerySet[Any]) -> None:
    rows = _frame(LanguageCertificate.objects.filter(candidate__in=ids, verification_status=VerificationStatus.VERIFIED)
                  .values("candidate_id", "level"), ["candidate_id", "level"])
    frame["language_level"] = rows.groupby("candidate_id")["level"].max().astype(float).reindex(frame.index)


def _ratings_and_training(frame: pd.DataFrame, ids: QuerySet[Any], today: dt.date) -> None:
    ratings = _frame(AnnualRating.objects.filter(candidate__in=ids, year__gte=today.year - 3)
                     .values("candidate_id", "year", "rating"), ["candidate_id", "year", "rating"])
    ratings = ratings.sort_values("year").groupby("candidate_id").tail(3)
    ratings["points"] = ratings["rating"].map(RATING_POINTS)
    frame["annual_rating_points"] = ratings.groupby("candidate_id")["points"].mean().reindex(frame.index)
    trainings = _frame(Training.objects.filter(candidate__in=ids).values("candidate_id", "kind"),
                       ["candidate_id", "kind"])
    frame["training_count"] = trainings.groupby("candidate_id").size().astype(float).reindex(frame.index).fillna(0.0)
    frame["leadership_trained"] = (trainings[trainings["kind"] == "leadership"].groupby("candidate_id").size()
                                   .reindex(frame.index).notna().astype(float))
    first = _frame(StageTransition.objects.filter(candidate__in=ids, to_stage=Stage.RECRUITED)
                   .values("candidate_id").annotate(first=Min("created_at")), ["candidate_id", "first"])
    if first.empty:
        frame["experience_years"] = np.nan
        return
    first_day = pd.to_datetime(first["first"], utc=True)
    now = pd.Timestamp(today, tz="UTC")
    years = ((now - first_day).dt.days / 365.25).clip(lower=0).round(2)
    frame["experience_years"] = pd.Series(years.to_numpy(), index=first["candidate_id"]).reindex(frame.index)
