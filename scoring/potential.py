"""The potential model: an advisory estimate, from a person's records, of the chance of good annual
ratings once in public service. scikit-learn; its training lives here and ``predict_active`` is what
the feature loader calls when a rubric uses the ``potential`` criterion. No default rubric does: it
is an optional criterion, labelled "Mô hình dự báo (tham khảo)".

**Outcome (label).** ``label_good_ratings``: a young cadre with at least two annual ratings is
labelled; positive when every rated year is "good" or better (not disciplined) and at least one is
"excellent". The issue allows "reached recruited/planning/appointed" as the outcome too; it is not
used because the demo's stages are drawn independently of every record (see ``scoring.demo``), and
because in real data reaching planning is itself a committee's decision that the model would copy.

**Inputs.** ``POTENTIAL_FEATURES``, numeric features any candidate can have. Left out on purpose:
gender, ethnic-minority status and region (protected; used only to audit the model per group);
``annual_rating_points`` (it is the label); ``is_cadre`` and ``experience_years`` (circumstances of
the training population, not of a person's record); ``age`` (a proxy for seniority, and the training
population is older than the students it is applied to); ``exam_best_total`` and
``engagement_points`` (only recent school leavers and club members have them); ``potential``
itself. A listed feature that does not vary in the training data is dropped and named in the card.

**Estimator.** ``SimpleImputer(median, with missing-value indicators) → StandardScaler →
LogisticRegression``. Chosen over HistGradientBoostingClassifier because the data are a few hundred
people: a linear model does not overfit them, its probabilities come out calibrated from the
log-loss it minimises, each standardized coefficient is one line a committee can read, and it is
monotone in every input. Applied to students, for whom cadre-only inputs (trainings, political
theory) are all zero, it shifts everyone's log-odds by the same amount and so keeps their order,
where trees would let those inputs interact with the rest.

**Card** (``ModelCard``): data size and positives, 5-fold stratified cross-validated ROC AUC (mean,
std, per fold), Brier score and a 10-bin reliability table from out-of-fold predictions, feature
importances (permutation importance on ROC AUC and standardized coefficients), per-group metrics
(fairlearn ``MetricFrame``: count, selection rate at 0.5, recall, AUC where both classes occur) by
gender, ethnic-minority status and region, also from out-of-fold predictions.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, TypedDict

import numpy as np
import pandas as pd
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from core.audit import audit
from core.models import AuditEvent
from scoring.fairness import GROUP_LABELS, GROUPINGS, MIN_GROUP, UNKNOWN, _key
from scoring.features import FEATURE_BY_KEY, load_features
from scoring.models import PotentialModel
from talent.models import AnnualRating, Candidate, Role, user_role

MIN_ROWS = 200
MIN_CLASS = 30
LABEL_MIN_YEARS = 2
FOLDS = 5
THRESHOLD = 0.5
BINS = 10
PERMUTATION_REPEATS = 10
RANDOM_STATE = 0

POTENTIAL_FEATURES: tuple[str, ...] = (
    "gpa4", "degree_class", "conduct_score", "language_level", "research_points", "award_points",
    "competition_points", "olympiad_points", "leadership_count", "volunteering_count", "prize_province_top3",
    "prize_national", "political_theory_level", "training_count", "leadership_trained",
)
NOT_USED: dict[str, str] = {
    "gender, is_ethnic_minority, region": "Thuộc tính được bảo vệ: chỉ dùng để kiểm tra mô hình theo nhóm.",
    "annual_rating_points": "Chính là kết quả cần dự báo.",
    "is_cadre, experience_years": "Hoàn cảnh của nhóm dữ liệu huấn luyện, không phải hồ sơ của người được dự báo.",
    "age": "Đại diện cho thâm niên; nhóm huấn luyện lớn tuổi hơn nhóm được dự báo.",
    "exam_best_total, engagement_points": "Chỉ người mới tốt nghiệp THPT hoặc thành viên câu lạc bộ mới có.",
}
LABEL_TEXT = ("Xếp loại hằng năm tốt: cán bộ trẻ có từ 2 năm được xếp loại trở lên, mọi năm đạt «Hoàn thành tốt "
              "nhiệm vụ» trở lên, không bị kỷ luật, và ít nhất một năm «Hoàn thành xuất sắc nhiệm vụ».")
MODEL_TEXT = ("Hồi quy logistic (chuẩn hoá, điền trung vị kèm cờ thiếu dữ liệu): dữ liệu chỉ vài trăm người, mô "
              "hình tuyến tính không học thuộc dữ liệu, xác suất sát thực tế, mỗi hệ số đọc được thành một dòng.")
INTENDED_USE = ("Chỉ để tham khảo, như một tiêu chí tuỳ chọn được ghi rõ trong bộ tiêu chí; không bộ tiêu chí mặc "
                "định nào dùng. Mô hình học từ cán bộ trẻ; áp dụng cho học sinh, sinh viên là suy rộng.")
REAL_DATA_TEXT = "Xếp loại chất lượng hằng năm và hồ sơ đã ghi nhận trong hệ thống của các cán bộ trẻ."


class CalibrationBin(TypedDict):
    bin: int
    lower: float
    upper: float
    count: int
    mean_predicted: float | None
    observed: float | None


class Importance(TypedDict):
    feature: str
    label: str
    permutation_mean: float
    permutation_std: float
    coefficient: float
    missing_coefficient: float | None


class GroupMetrics(TypedDict):
    group: str
    label: str
    count: int
    selection_rate: float | None
    recall: float | None
    auc: float | None
    too_small: bool


class GroupingMetrics(TypedDict):
    grouping: str
    label: str
    groups: list[GroupMetrics]


class ModelCard(TypedDict):
    version: int
    trained_at: str
    trained_by: str
    as_of: str
    label: str
    data: str
    n: int
    positives: int
    negatives: int
    model: str
    model_note: str
    sklearn_version: str
    features: list[str]
    dropped_features: list[str]
    not_used: dict[str, str]
    folds: int
    auc_mean: float
    auc_std: float
    auc_folds: list[float]
    brier: float
    base_rate: float
    threshold: float
    calibration: list[CalibrationBin]
    importances: list[Importance]
    overall: dict[str, float | int | None]
    groups: list[GroupingMetrics]
    intended_use: str


# --- Label --------------------------------------------------------------------------------------------

# The model card's "data" note when trained on the demo's synthetic history (scoring.demo): its formula.
DEMO_HISTORY_TEXT = (
    "Dữ liệu demo tổng hợp, không phải dữ liệu thật. Giai đoạn tuyển dụng, quy hoạch, bổ nhiệm trong demo được gán "
    "ngẫu nhiên, không phụ thuộc hồ sơ, nên không dùng làm kết quả. Xếp loại hằng năm của mỗi cán bộ trẻ (mỗi năm "
    "công tác từ 6 tháng trở lên, tối đa 5 năm gần nhất) được sinh theo công thức: z = 0,8·g + 0,5·l + 0,4·a + "
    "0,4·p + 0,5·t + ε, ε ~ N(0; 1); g = (điểm trung bình thang 4 − 3,3)/0,35 (thiếu: 0); l = (bậc ngoại ngữ − "
    "4)/0,8 (chưa có chứng chỉ xác minh: −1); a = min(số vai trò lãnh đạo + số hoạt động tình nguyện; 2) − 0,5; "
    "p = trình độ lý luận chính trị − 1,3; t = đã học kỹ năng lãnh đạo − 0,3. Mỗi năm u = z + η, η ~ N(0; 0,8): "
    "«Hoàn thành xuất sắc» khi u ≥ 1,5, «Hoàn thành tốt» khi u ≥ −1,6, «Hoàn thành» khi u ≥ −3,5, còn lại «Không "
    "hoàn thành» (30% trong số đó bị kỷ luật). Giới tính, dân tộc, vùng không có trong công thức; ε và η là phần "
    "không hồ sơ nào giải thích được."
)


def label_good_ratings(candidates: QuerySet[Any]) -> pd.Series:
    """1/0 per labelled candidate (index ``candidate_id``); unlabelled candidates are absent."""
    good = (AnnualRating.Rating.EXCELLENT, AnnualRating.Rating.GOOD)
    rows = pd.DataFrame.from_records(
        list(AnnualRating.objects.filter(candidate__in=candidates.values("pk"))
             .values("candidate_id", "rating", "disciplined")),
        columns=["candidate_id", "rating", "disciplined"])
    if rows.empty:
        return pd.Series(dtype="int64", name="label", index=pd.Index([], name="candidate_id", dtype="int64"))
    clean = ~rows["disciplined"].astype(bool)
    rows["good"] = rows["rating"].isin(good) & clean
    rows["excellent"] = (rows["rating"] == AnnualRating.Rating.EXCELLENT) & clean
    per = rows.groupby("candidate_id").agg(years=("rating", "size"), good=("good", "all"),
                                            excellent=("excellent", "any"))
    per = per[per["years"] >= LABEL_MIN_YEARS]
    label = (per["good"] & per["excellent"]).astype("int64").rename("label")
    label.index = label.index.astype("int64")
    return label.sort_index()


# --- Training -----------------------------------------------------------------------------------------

def _check_may_train(actor: Any) -> None:
    if actor is not None and user_role(actor) != Role.ADMIN:
        raise PermissionDenied("Chỉ quản trị viên được huấn luyện mô hình dự báo.")


def _check_enough(labels: pd.Series) -> None:
    n, positives = len(labels), int(labels.sum())
    negatives = n - positives
    if n < MIN_ROWS:
        raise ValidationError(
            f"Chưa đủ dữ liệu để huấn luyện mô hình dự báo: cần ít nhất {MIN_ROWS} cán bộ trẻ có từ "
            f"{LABEL_MIN_YEARS} năm xếp loại trở lên, hiện có {n}.")
    if min(positives, negatives) < MIN_CLASS:
        raise ValidationError(
            f"Chưa đủ dữ liệu để huấn luyện mô hình dự báo: cần ít nhất {MIN_CLASS} người ở mỗi nhóm kết quả, "
            f"hiện có {positives} người xếp loại tốt và {negatives} người còn lại.")


def make_pipeline() -> Any:
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    return Pipeline([
        ("impute", SimpleImputer(strategy="median", add_indicator=True)),
        ("scale", StandardScaler()),
        ("model", LogisticRegression(max_iter=1000)),
    ])


def _num(value: Any, digits: int = 4) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if np.isnan(value) else round(value, digits)


def reliability_table(y: np.ndarray, proba: np.ndarray, bins: int = BINS) -> list[CalibrationBin]:
    """Equal-width bins of the predicted probability: how many fell in each, the mean prediction and
    the observed rate of positives there (None for an empty bin). The counts add up to ``len(y)``."""
    index = np.minimum((proba * bins).astype(int), bins - 1)
    table: list[CalibrationBin] = []
    for b in range(bins):
        inside = index == b
        count = int(inside.sum())
        table.append({"bin": b, "lower": round(b / bins, 4), "upper": round((b + 1) / bins, 4), "count": count,
                      "mean_predicted": _num(proba[inside].mean()) if count else None,
                      "observed": _num(y[inside].mean()) if count else None})
    return table


def _selection_rate(y_true: Any, y_score: Any) -> float:
    return float(np.mean(np.asarray(y_score) >= THRESHOLD))


def _recall(y_true: Any, y_score: Any) -> float:
    truth = np.asarray(y_true).astype(bool)
    if not truth.any():
        return float("nan")
    return float(np.mean(np.asarray(y_score)[truth] >= THRESHOLD))


def _auc(y_true: Any, y_score: Any) -> float:
    from sklearn.metrics import roc_auc_score

    truth = np.asarray(y_true)
    if len(np.unique(truth)) < 2:
        return float("nan")
    return float(roc_auc_score(truth, np.asarray(y_score)))


def group_metrics(y: np.ndarray, proba: np.ndarray, frame: pd.DataFrame) -> tuple[dict[str, Any], list[GroupingMetrics]]:
    """fairlearn's MetricFrame over the out-of-fold predictions, per gender, ethnic-minority status, region."""
    from fairlearn.metrics import MetricFrame, count

    metrics = {"count": count, "selection_rate": _selection_rate, "recall": _recall, "auc": _auc}
    overall: dict[str, Any] = {}
    reports: list[GroupingMetrics] = []
    for column, title in GROUPINGS.items():
        keys = frame[column].map(_key).to_numpy()
        names = {_key(raw): text for raw, text in GROUP_LABELS[column].items()}
        names["unknown"] = UNKNOWN
        metric_frame = MetricFrame(metrics=metrics, y_true=y, y_pred=proba,
                                   sensitive_features=pd.Series(keys, name=column))
        if not overall:
            overall = {"count": int(metric_frame.overall["count"]),
                       **{k: _num(metric_frame.overall[k]) for k in ("selection_rate", "recall", "auc")}}
        rows: list[GroupMetrics] = []
        for group, values in metric_frame.by_group.iterrows():
            size = int(values["count"])
            rows.append({"group": str(group), "label": names.get(str(group), str(group)), "count": size,
                         "selection_rate": _num(values["selection_rate"]), "recall": _num(values["recall"]),
                         "auc": _num(values["auc"]), "too_small": size < MIN_GROUP})
        reports.append({"grouping": column, "label": title, "groups": rows})
    return overall, reports


def _importances(pipeline: Any, X: pd.DataFrame, y: np.ndarray, features: list[str]) -> list[Importance]:
    from sklearn.inspection import permutation_importance

    names = list(pipeline[:-1].get_feature_names_out())
    coefficients = dict(zip(names, pipeline[-1].coef_[0]))
    permuted = permutation_importance(pipeline, X, y, scoring="roc_auc", n_repeats=PERMUTATION_REPEATS,
                                      random_state=RANDOM_STATE)
    rows: list[Importance] = []
    for i, feature in enumerate(features):
        indicator = coefficients.get(f"missingindicator_{feature}")
        rows.append({"feature": feature, "label": FEATURE_BY_KEY[feature].label,
                     "permutation_mean": round(float(permuted.importances_mean[i]), 4),
                     "permutation_std": round(float(permuted.importances_std[i]), 4),
                     "coefficient": round(float(coefficients[feature]), 4),
                     "missing_coefficient": None if indicator is None else round(float(indicator), 4)})
    rows.sort(key=lambda row: (-row["permutation_mean"], -abs(row["coefficient"]), row["feature"]))
    return rows


def _data_text() -> str:
    """Say plainly when the history is the demo's synthetic one, with the formula that made it."""
    if AuditEvent.objects.filter(action="demo.seed").exists():
        return DEMO_HISTORY_TEXT
    return REAL_DATA_TEXT


def potential_train(*, actor: Any, today: dt.date | None = None) -> Any:
    """Train, cross-validate and store a new version of the potential model, active from now on.

    Refuses (ValidationError) with fewer than ``MIN_ROWS`` labelled people or fewer than
    ``MIN_CLASS`` of either outcome; only an administrator (or the system, ``actor=None``) may train.
    """
    import joblib
    import sklearn
    from sklearn.metrics import brier_score_loss
    from sklearn.model_selection import StratifiedKFold, cross_val_predict, cross_val_score

    _check_may_train(actor)
    today = today or timezone.localdate()
    candidates = Candidate.objects.filter(erased_at__isnull=True)
    labels = label_good_ratings(candidates)
    _check_enough(labels)
    rated = candidates.filter(pk__in=AnnualRating.objects.values("candidate_id"))
    frame = load_features(rated, today=today, with_potential=False).reindex(labels.index)
    available = [f for f in POTENTIAL_FEATURES if f in frame.columns]
    features = [f for f in available if frame[f].nunique(dropna=False) > 1]
    dropped = [f for f in POTENTIAL_FEATURES if f not in features]
    if not features:
        raise ValidationError("Không có đặc trưng nào khác nhau giữa các hồ sơ: không thể huấn luyện mô hình dự báo.")
    X = frame[features].astype(float)
    y = labels.to_numpy()

    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=RANDOM_STATE)
    aucs = cross_val_score(make_pipeline(), X, y, cv=folds, scoring="roc_auc")
    proba = cross_val_predict(make_pipeline(), X, y, cv=folds, method="predict_proba")[:, 1]
    pipeline = make_pipeline().fit(X, y)
    overall, groups = group_metrics(y, proba, frame)
    buffer = io.BytesIO()
    joblib.dump(pipeline, buffer)

    positives = int(y.sum())
    card: dict[str, Any] = {
        "trained_at": timezone.now().isoformat(timespec="seconds"),
        "trained_by": getattr(actor, "username", "") or "system",
        "as_of": today.isoformat(),
        "label": LABEL_TEXT, "data": _data_text(),
        "n": len(y), "positives": positives, "negatives": len(y) - positives,
        "model": "LogisticRegression", "model_note": MODEL_TEXT, "sklearn_version": sklearn.__version__,
        "features": features, "dropped_features": dropped, "not_used": NOT_USED,
        "folds": FOLDS, "auc_mean": round(float(aucs.mean()), 4), "auc_std": round(float(aucs.std()), 4),
        "auc_folds": [round(float(a), 4) for a in aucs],
        "brier": round(float(brier_score_loss(y, proba)), 4), "base_rate": round(positives / len(y), 4),
        "threshold": THRESHOLD, "calibration": reliability_table(y, proba),
        "importances": _importances(pipeline, X, y, features),
        "overall": overall, "groups": groups, "intended_use": INTENDED_USE,
    }
    with transaction.atomic():
        version = (PotentialModel.objects.select_for_update().aggregate(last=Max("version"))["last"] or 0) + 1
        previous = list(PotentialModel.objects.filter(active=True).values_list("version", flat=True))
        PotentialModel.objects.filter(active=True).update(active=False)
        card["version"] = version
        model = PotentialModel.objects.create(
            version=version, card=card, features=features, artifact=buffer.getvalue(), active=True,
            created_by=actor if getattr(actor, "pk", None) else None)
        audit(actor=actor, action="potential.train", obj=model, changes={
            "version": version, "deactivated": previous, "n": card["n"], "positives": positives,
            "auc_mean": card["auc_mean"], "auc_std": card["auc_std"], "brier": card["brier"], "features": features})
    return model


# --- Prediction ---------------------------------------------------------------------------------------

def predict_active(frame: pd.DataFrame) -> np.ndarray | None:
    """Probabilities from the active model for the rows of ``frame``; None when no model is active."""
    model = PotentialModel.objects.filter(active=True).first()
    if model is None:
        return None
    if len(frame) == 0:
        return np.empty(0)
    import joblib

    estimator = joblib.load(io.BytesIO(bytes(model.artifact)))
    # The stored feature list, in the stored order: a feature the frame lacks is missing for everyone
    # and the imputer stands in, as it did for missing values in training.
    X = frame.reindex(columns=model.features).astype(float)
    return estimator.predict_proba(X)[:, 1]
