"""Forms of the scoring pages: the ranking filters, the rubric editor (criteria and filters as rows),
contests and their resolution, and the eligibility rule-set editor.

Forms only parse and check shapes; the rules (weights, normalizations, who may do what) are checked
again by ``scoring.services`` whose ValidationErrors are shown on the same forms.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from scoring.engine import DIRECTIONS, MISSING_POLICIES, NORMALIZATIONS, OPERATORS
from scoring.features import FEATURES
from scoring.models import RecordContest

MAX_CUT = 10000

NORMALIZATION_LABELS = {
    "minmax": _("Min–max trong nhóm"),
    "zscore": _("Điểm z trong nhóm"),
    "percentile": _("Bách phân vị trong nhóm"),
    "fixed": _("Thang cố định"),
}
DIRECTION_LABELS = {"higher": _("Càng cao càng tốt"), "lower": _("Càng thấp càng tốt")}
MISSING_LABELS = {
    "zero": _("Thiếu dữ liệu thì không được điểm tiêu chí này"),
    "median": _("Thiếu dữ liệu thì dùng trung vị của nhóm"),
    "exclude": _("Thiếu dữ liệu thì không xếp hạng"),
}
# What a missing value became, said on the score page of someone who has no value for the criterion.
MISSING_APPLIED = {"zero": _("Chưa có dữ liệu: tiêu chí này không được điểm"),
                   "median": _("Chưa có dữ liệu: tính bằng trung vị của nhóm xếp hạng"),
                   "exclude": _("Chưa có dữ liệu: không được xếp hạng")}
OPERATOR_LABELS = {
    ">=": _("từ"), "<=": _("không quá"), ">": _("lớn hơn"), "<": _("nhỏ hơn"), "==": _("bằng"),
    "!=": _("khác"), "in": _("là một trong"),
}


def feature_choices() -> list[tuple[str, str]]:
    return [(f.key, f"{f.label} ({f.key})") for f in FEATURES]


def parse_value(text: str) -> Any:
    """A filter value typed by a person: an integer, a decimal number, or else the text itself."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def value_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


class RankingFilterForm(forms.Form):
    """Query-string filters of the rankings page. An invalid value is reported and the default used."""

    rubric = forms.ChoiceField(label=_("Bộ tiêu chí"), required=False)
    cohort = forms.ChoiceField(label=_("Nhóm xếp hạng"), required=False)
    top = forms.IntegerField(
        label=_("Mốc cắt (top N)"), required=False, min_value=1, max_value=MAX_CUT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Những người trong top N được đánh dấu; bảng công bằng tính cho mốc cắt này."))

    def __init__(self, *args: Any, rubrics: list[tuple[str, str]], cohorts: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rubric"].choices = rubrics
        self.fields["cohort"].choices = cohorts
        self.fields["top"].widget.attrs.update({"min": 1, "max": MAX_CUT})

    def value(self, name: str, default: Any) -> Any:
        value = getattr(self, "cleaned_data", {}).get(name)
        return default if value in (None, "") else value


# --- Rubric editor ------------------------------------------------------------------------------

class CriterionForm(forms.Form):
    label = forms.CharField(label=_("Tên tiêu chí"), max_length=200)
    key = forms.SlugField(label=_("Mã"), max_length=64, required=False,
                          help_text=_("Để trống: tạo từ tên tiêu chí."))
    feature = forms.ChoiceField(label=_("Đặc trưng"))
    weight = forms.FloatField(label=_("Trọng số"), min_value=0,
                              error_messages={"min_value": _("Trọng số phải là số không âm.")})
    normalization = forms.ChoiceField(label=_("Chuẩn hoá"))
    direction = forms.ChoiceField(label=_("Chiều"))
    missing = forms.ChoiceField(label=_("Khi thiếu dữ liệu"))
    cap = forms.FloatField(label=_("Mức trần"), required=False)
    scale_min = forms.FloatField(label=_("Thang: thấp nhất"), required=False)
    scale_max = forms.FloatField(label=_("Thang: cao nhất"), required=False)
    rationale = forms.CharField(label=_("Lý do (một dòng)"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An untouched extra row must read as unchanged: empty feature, the usual defaults elsewhere.
        # The missing-value policy has no default: whoever adds a criterion chooses it out loud.
        self.fields["feature"].choices = [("", _("— Chọn đặc trưng —")), *feature_choices()]
        self.fields["normalization"].choices = [(n, NORMALIZATION_LABELS[n]) for n in NORMALIZATIONS]
        self.fields["normalization"].initial = "minmax"
        self.fields["direction"].choices = [(d, DIRECTION_LABELS[d]) for d in DIRECTIONS]
        self.fields["direction"].initial = "higher"
        self.fields["missing"].choices = [("", _("— Chọn cách xử lý —")),
                                          *[(m, MISSING_LABELS[m]) for m in MISSING_POLICIES]]
        for name in ("weight", "cap", "scale_min", "scale_max"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})

    def as_criterion(self) -> dict[str, Any]:
        data = self.cleaned_data
        key = data.get("key") or slugify(data["label"]).replace("-", "_") or data["feature"]
        return {"key": key[:64], "feature": data["feature"], "weight": data["weight"],
                "normalization": data["normalization"], "direction": data["direction"], "missing": data["missing"],
                "cap": data.get("cap"), "scale_min": data.get("scale_min"), "scale_max": data.get("scale_max"),
                "label": data["label"].strip(), "rationale": (data.get("rationale") or "").strip()}

    @staticmethod
    def initial_from(criterion: dict[str, Any]) -> dict[str, Any]:
        return {name: criterion.get(name) for name in (
            "label", "key", "feature", "weight", "normalization", "direction", "missing", "cap", "scale_min",
            "scale_max", "rationale")}


class FilterRowForm(forms.Form):
    feature = forms.ChoiceField(label=_("Đặc trưng"))
    op = forms.ChoiceField(label=_("Phép so sánh"))
    value = forms.CharField(label=_("Giá trị"), max_length=200,
                            help_text=_("Với «là một trong»: các giá trị cách nhau bởi dấu phẩy."))
    label = forms.CharField(label=_("Diễn giải"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["feature"].choices = [("", _("— Chọn đặc trưng —")), *feature_choices()]
        self.fields["op"].choices = [(op, f"{op} ({OPERATOR_LABELS[op]})") for op in OPERATORS]
        self.fields["op"].initial = ">="

    def as_filter(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data["op"] == "in":
            value: Any = [parse_value(part) for part in data["value"].split(",") if part.strip()]
        else:
            value = parse_value(data["value"])
        return {"feature": data["feature"], "op": data["op"], "value": value, "label": data.get("label", "").strip()}

    @staticmethod
    def initial_from(condition: dict[str, Any]) -> dict[str, Any]:
        return {"feature": condition.get("feature"), "op": condition.get("op"),
                "value": value_text(condition.get("value")), "label": condition.get("label", "")}


CriterionFormSet = forms.formset_factory(CriterionForm, extra=1, can_delete=True)
FilterFormSet = forms.formset_factory(FilterRowForm, extra=1, can_delete=True)


class VersionNoteForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú thay đổi"), max_length=500, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("Vì sao thay đổi, theo văn bản nào")}))


def rows_of(formset: forms.BaseFormSet, build: str) -> list[dict[str, Any]]:
    """The rows kept (existing rows unless marked for deletion, extra rows only when filled in), as
    stored dicts. Call after ``formset.is_valid()``."""
    rows = []
    existing = formset.initial_form_count()
    for index, form in enumerate(formset.forms):
        if formset._should_delete_form(form):
            continue
        if index >= existing and not form.has_changed():
            continue
        rows.append(getattr(form, build)())
    return rows


# --- Contests -----------------------------------------------------------------------------------

class ContestForm(forms.Form):
    criterion = forms.CharField(max_length=64, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Hồ sơ nào sai, sai ở đâu?"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Ví dụ: giải Nhì Olympic Tin học 2024 chưa được ghi nhận.")}))


class ContestResolveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Kết quả"), widget=forms.RadioSelect,
        choices=[(RecordContest.Status.CORRECTED, _("Đã sửa hồ sơ")),
                 (RecordContest.Status.REJECTED, _("Giữ nguyên (hồ sơ đúng)"))])
    note = forms.CharField(label=_("Trả lời người phản hồi"), max_length=500, required=False)


# --- Eligibility rule sets ----------------------------------------------------------------------

class RuleSetForm(forms.Form):
    source = forms.CharField(label=_("Căn cứ"), max_length=500)
    caution = forms.CharField(label=_("Lưu ý"), max_length=500, required=False)
    rules = forms.CharField(
        label=_("Các quy tắc (JSON)"), widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "false",
                                                                     "class": "mono"}),
        help_text=_('Một danh sách: [{"key", "label", "source", "mode": "all" | "any", "conditions": '
                    '[{"feature", "op", "value", "label"}]}].'))

    def clean_rules(self) -> Any:
        try:
            return json.loads(self.cleaned_data["rules"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("JSON không hợp lệ (dòng %(line)s, cột %(col)s): %(msg)s"),
                params={"line": exc.lineno, "col": exc.colno, "msg": exc.msg}) from None
