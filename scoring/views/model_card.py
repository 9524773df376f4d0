"""The potential model's card (what it predicts, how well, for whom) and its training."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from scoring.features import FEATURE_BY_KEY
from scoring.models import PotentialModel
from scoring.selectors import display_value
from scoring.views.common import STAFF, _require, _role
from talent.models import Role

# --- The potential model ------------------------------------------------------------------------------

# The card's keys in words. gettext_noop marks them for the catalog; they are translated when shown.
CARD_LABELS = {
    "n": gettext_noop("Số người trong dữ liệu huấn luyện"), "n_samples": gettext_noop("Số mẫu"),
    "size": gettext_noop("Cỡ dữ liệu"), "data_size": gettext_noop("Cỡ dữ liệu"),
    "positives": gettext_noop("Số người có kết quả tốt"), "negatives": gettext_noop("Số người còn lại"),
    "base_rate": gettext_noop("Tỉ lệ kết quả tốt"), "auc": gettext_noop("AUC (kiểm định chéo)"),
    "auc_mean": gettext_noop("AUC trung bình"), "auc_std": gettext_noop("Độ lệch chuẩn AUC"),
    "auc_folds": gettext_noop("AUC từng lần gập"), "folds": gettext_noop("Số lần gập (kiểm định chéo)"),
    "brier": gettext_noop("Điểm Brier"), "threshold": gettext_noop("Ngưỡng"),
    "calibration": gettext_noop("Hiệu chuẩn"), "importances": gettext_noop("Mức quan trọng của đặc trưng"),
    "feature_importances": gettext_noop("Mức quan trọng của đặc trưng"),
    "groups": gettext_noop("Chỉ số theo nhóm"), "group_metrics": gettext_noop("Chỉ số theo nhóm"),
    "overall": gettext_noop("Chỉ số chung"), "label": gettext_noop("Kết quả cần dự báo"),
    "data": gettext_noop("Dữ liệu"), "model": gettext_noop("Mô hình"), "model_note": gettext_noop("Về mô hình"),
    "sklearn_version": gettext_noop("Phiên bản scikit-learn"), "features": gettext_noop("Đặc trưng được dùng"),
    "dropped_features": gettext_noop("Đặc trưng bị bỏ (không khác nhau giữa các hồ sơ)"),
    "not_used": gettext_noop("Không dùng, và vì sao"), "trained_at": gettext_noop("Thời điểm huấn luyện"),
    "trained_by": gettext_noop("Người huấn luyện"), "as_of": gettext_noop("Dữ liệu tính đến ngày"),
    "version": gettext_noop("Phiên bản"), "intended_use": gettext_noop("Mục đích sử dụng"),
    "limitations": gettext_noop("Hạn chế"), "warning": gettext_noop("Cảnh báo"),
}
# Column names inside the card's tables.
CARD_COLUMNS = {
    "label": gettext_noop("Tên"), "feature": gettext_noop("Mã"), "grouping": gettext_noop("Cách chia nhóm"),
    "group": gettext_noop("Nhóm"), "count": gettext_noop("Số người"), "bin": gettext_noop("Khoảng"),
    "lower": gettext_noop("Từ"), "upper": gettext_noop("Đến"), "mean_predicted": gettext_noop("Dự báo trung bình"),
    "observed": gettext_noop("Tỉ lệ thực tế"), "permutation_mean": gettext_noop("Hoán vị: mức giảm AUC"),
    "permutation_std": gettext_noop("Hoán vị: độ lệch chuẩn"), "coefficient": gettext_noop("Hệ số"),
    "missing_coefficient": gettext_noop("Hệ số khi thiếu"), "selection_rate": gettext_noop("Tỉ lệ được chọn"),
    "recall": gettext_noop("Độ nhạy"), "auc": gettext_noop("AUC"), "too_small": gettext_noop("Quá ít để đánh giá"),
    "mean": gettext_noop("Trung bình"), "std": gettext_noop("Độ lệch chuẩn"), "n": gettext_noop("Số người"),
    "outer_label": gettext_noop("Cách chia nhóm"),
}
CODE_COLUMNS = frozenset({"grouping", "group", "outer_grouping", "outer_group"})


def _card_label(key: Any, *, column: bool = False) -> str:
    text = (CARD_COLUMNS.get(str(key)) if column else None) or CARD_LABELS.get(str(key))
    return _(text) if text else str(key).replace("_", " ")


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _mean_std(value: Any) -> str | None:
    if isinstance(value, dict) and "mean" in value and "std" in value and len(value) <= 3:
        return f"{display_value(value['mean'])} ± {display_value(value['std'])}"
    return None


def _card_text(value: Any) -> str:
    """A scalar of the card: numbers localized, ISO dates as dd/mm/yyyy."""
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) <= 10:
            return moment.strftime("%d/%m/%Y")
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%d/%m/%Y %H:%M")
    return display_value(value)


def _cell(value: Any) -> str:
    if _is_scalar(value):
        return _card_text(value)
    text = _mean_std(value)
    if text is not None:
        return text
    if isinstance(value, list) and all(_is_scalar(v) for v in value):
        return ", ".join(_card_text(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def _explode(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows holding a list of rows (a grouping and its groups) become one row per inner row."""
    out: list[dict[str, Any]] = []
    for row in rows:
        nested = next((k for k, v in row.items() if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)),
                      None)
        if nested is None:
            out.append(row)
            continue
        for inner in row[nested]:
            outer = {(f"outer_{k}" if k in inner else k): v for k, v in row.items() if k != nested}
            out.extend(_explode([{**outer, **inner}]))
    return out


def _leaves(node: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """Nested dicts down to the rows of metrics ({"gender": {"female": {"auc": …}}})."""
    if isinstance(node, dict) and node and all(_is_scalar(v) or _mean_std(v) for v in node.values()):
        return [(path, node)]
    if isinstance(node, dict):
        return [leaf for key, child in node.items() for leaf in _leaves(child, (*path, _card_label(key)))]
    return []


def _card_table(value: Any) -> tuple[list[str], list[list[str]]] | None:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        rows = _explode(value)
        keys = list(dict.fromkeys(k for row in rows for k in row))
        if "label" in keys:  # codes next to their words add nothing for a reader
            keys = [k for k in keys if k not in CODE_COLUMNS]
        return [_card_label(k, column=True) for k in keys], [[_cell(row.get(k)) for k in keys] for row in rows]
    if isinstance(value, dict) and value and all(_is_scalar(v) or _mean_std(v) for v in value.values()):
        items = list(value.items())
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for _k, v in items):
            items.sort(key=lambda kv: -float(kv[1]))  # importances and the like: largest first
        return [_("Mục"), _("Giá trị")], [[_feature_or_label(k), _cell(v)] for k, v in items]
    leaves = _leaves(value) if isinstance(value, dict) else []
    if leaves:
        keys = list(dict.fromkeys(k for _path, row in leaves for k in row))
        return ([_("Nhóm"), *[_card_label(k, column=True) for k in keys]],
                [[" / ".join(path) or "—", *[_cell(row.get(k)) for k in keys]] for path, row in leaves])
    return None


def _feature_or_label(key: Any) -> str:
    feature = FEATURE_BY_KEY.get(str(key))
    if feature is not None:
        return feature.label
    return _card_label(key, column=True) if not isinstance(key, str) or key in CARD_COLUMNS or key in CARD_LABELS \
        else key


def card_sections(card: dict[str, Any]) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """A model card of any shape as facts (label, text) and tables (title, headers, rows of (header, cell))."""
    card = dict(card or {})
    facts: list[tuple[str, str]] = []
    tables: list[dict[str, Any]] = []
    if "auc_mean" in card and "auc_std" in card:  # one line: the mean ± the spread across folds
        facts.append((_("AUC (kiểm định chéo, trung bình ± độ lệch chuẩn)"),
                      f"{display_value(card.pop('auc_mean'))} ± {display_value(card.pop('auc_std'))}"))
    for key, value in card.items():
        label = _card_label(key)
        if _is_scalar(value):
            facts.append((label, _card_text(value)))
        elif _mean_std(value):
            facts.append((label, _mean_std(value) or ""))
        elif isinstance(value, list) and all(_is_scalar(v) for v in value):
            facts.append((label, ", ".join(_feature_or_label(v) if isinstance(v, str) else _card_text(v)
                                           for v in value) or "—"))
        else:
            table = _card_table(value)
            if table is None:
                facts.append((label, json.dumps(value, ensure_ascii=False)))
            else:
                headers, rows = table
                tables.append({"key": str(key), "title": label, "headers": headers,
                               "rows": [list(zip(headers, row)) for row in rows]})
    return facts, tables


def _trainer() -> Any:
    """``scoring.potential.potential_train`` when that module provides it (imported when used)."""
    from scoring import potential

    return getattr(potential, "potential_train", None)


@login_required
@require_GET
def potential_model(request: HttpRequest) -> HttpResponse:
    _require(request, STAFF, _("Chỉ cán bộ quản lý hồ sơ được xem mô hình dự báo."))
    models = PotentialModel.objects.for_user(request.user).defer("artifact").select_related("created_by")
    active = models.filter(active=True).first()
    facts, tables = card_sections(active.card) if active else ([], [])
    return render(request, "scoring/potential_model.html", {
        "model": active, "facts": facts, "tables": tables, "history": list(models.order_by("-version")[:10]),
        "can_train": _role(request) == Role.ADMIN, "trainer_ready": _trainer() is not None,
    })


@login_required
@require_POST
def potential_model_train(request: HttpRequest) -> HttpResponse:
    _require(request, {Role.ADMIN}, _("Chỉ quản trị viên được huấn luyện mô hình."))
    train = _trainer()
    if train is None:
        messages.error(request, _("Chức năng huấn luyện chưa được cài đặt."))
    else:
        try:
            result = train(actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            number = getattr(result, "version", None)
            messages.success(request, _("Đã huấn luyện mô hình phiên bản %(n)s.") % {"n": number}
                             if number is not None else _("Đã huấn luyện mô hình."))
    return HttpResponseRedirect(reverse("potential-model"))
