"""The top scorers page: the best totals of a combination in a year, nationally or in one province,
with whether each pupil already has a record. This is how officers find pupils to reach out to.

Reads go through ``exams.selectors`` (which start from ``for_user``); the page writes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from exams.models import ExamResult, score_text
from exams.selectors import MAX_TOP, exam_years, top_results
from exams.subjects import COMBINATION_BY_CODE, COMBINATIONS, Combination
from exams.import_kind import may_import_exam_results
from talent.geo import province_choices
from talent.permissions import can_manage_candidates

DEFAULT_COMBINATION = "A00"
DEFAULT_LIMIT = 20


def subject_label(field: str, combination: Combination) -> str:
    if field == "ngoai_ngu" and combination.english_only:
        return _("Tiếng Anh")
    return str(ExamResult._meta.get_field(field).verbose_name)


# Short subject names for the combination select ("A00 – Toán, Lí, Hoá").
SHORT_SUBJECT = {"toan": gettext_lazy("Toán"), "van": gettext_lazy("Văn"), "li": gettext_lazy("Lí"),
                 "hoa": gettext_lazy("Hoá"), "sinh": gettext_lazy("Sinh"), "su": gettext_lazy("Sử"),
                 "dia": gettext_lazy("Địa"), "ngoai_ngu": gettext_lazy("Anh")}


def combination_option(combination: Combination) -> str:
    return f"{combination.code} – {', '.join(str(SHORT_SUBJECT[f]) for f in combination.subjects)}"


def combination_label(combination: Combination) -> str:
    return f"{combination.code} ({' + '.join(subject_label(f, combination) for f in combination.subjects)})"


class TopFilterForm(forms.Form):
    """Query-string filters. An invalid value is reported and the default is used instead."""

    year = forms.TypedChoiceField(label=gettext_lazy("Năm thi"), coerce=int, required=False, empty_value=None)
    combination = forms.ChoiceField(label=gettext_lazy("Khối"), required=False)
    province = forms.TypedChoiceField(label=gettext_lazy("Tỉnh/thành"), coerce=int, required=False,
                                      empty_value=None)
    limit = forms.IntegerField(
        label=gettext_lazy("Số thí sinh"), required=False, min_value=1, max_value=MAX_TOP,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"min_value": gettext_lazy("Số thí sinh phải từ 1 đến %(limit_value)s."),
                        "max_value": gettext_lazy("Số thí sinh tối đa là %(limit_value)s."),
                        "invalid": gettext_lazy("Số thí sinh phải là số nguyên.")},
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["combination"].choices = [(c.code, combination_option(c)) for c in COMBINATIONS]
        self.fields["province"].choices = [("", _("Cả nước")), *province_choices()]
        self.fields["limit"].widget.attrs.update({"min": 1, "max": MAX_TOP})

    def value(self, name: str, default: Any) -> Any:
        data = getattr(self, "cleaned_data", {})
        value = data.get(name)
        return default if value in (None, "") else value


@login_required
@require_GET
def exam_top(request: HttpRequest) -> HttpResponse:
    if not can_manage_candidates(request.user):
        raise PermissionDenied(_("Chỉ cán bộ quản lý ứng viên được xem trang này."))
    years = exam_years(request.user)
    form = TopFilterForm(request.GET or None, years=years,
                         initial={"year": years[0] if years else None, "combination": DEFAULT_COMBINATION,
                                  "limit": DEFAULT_LIMIT})
    if form.is_bound:
        form.is_valid()  # invalid fields drop out of cleaned_data and are shown, never raised
    context: dict[str, Any] = {"form": form, "years": years, "rows": [],
                               "can_import_exams": may_import_exam_results(request.user)}
    if years:
        year = form.value("year", years[0])
        combination = COMBINATION_BY_CODE[form.value("combination", DEFAULT_COMBINATION)]
        province = form.value("province", None)
        limit = form.value("limit", DEFAULT_LIMIT)
        headers = [subject_label(f, combination) for f in combination.subjects]
        entries = top_results(user=request.user, year=year, combination=combination.code, limit=limit,
                              province=province)
        context.update({
            "year": year,
            "combination": combination,
            "combination_label": combination_label(combination),
            "province_name": dict(province_choices()).get(province, "") if province else "",
            "subject_headers": headers,
            "rows": [{
                "rank": e.rank,
                "exam_number": e.result.exam_number,
                "council_name": e.result.council_name,
                "scores": [(label, score_text(getattr(e.result, f)))
                           for label, f in zip(headers, combination.subjects)],
                "total": score_text(e.total),
                "registered": e.registered,
                "candidate_id": e.candidate_id,
            } for e in entries],
        })
    return render(request, "exams/top.html", context)
