"""Forms of the evaluation pages: they parse input; the rules live in ``evaluation.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluation.models import EvaluationCycle, RaterAssignment
from talent.forms import DateInput, organization_choices

DATE_ERRORS = {"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")}


class CycleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=EvaluationCycle.Kind.choices)
    period = forms.CharField(label=_("Kỳ"), max_length=7, help_text=_("2026-11 cho tháng, 2026 cho năm"))
    organization = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    deadline = forms.DateField(label=_("Hạn đánh giá"), input_formats=["%d/%m/%Y"], widget=DateInput(),
                               error_messages=DATE_ERRORS)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = organization_choices(organizations)


class AssignForm(forms.Form):
    candidate = forms.IntegerField(label=_("Mã hồ sơ người được đánh giá"), min_value=1, max_value=2**63 - 1)
    rater = forms.CharField(label=_("Tên đăng nhập người đánh giá"), max_length=150,
                            widget=forms.TextInput(attrs={"list": "rater-choices", "autocomplete": "off"}))
    rater_as = forms.ChoiceField(label=_("Đánh giá với vai trò"), choices=RaterAssignment.As.choices)


class FinalizeForm(forms.Form):
    note = forms.CharField(label=_("Kết luận của hội đồng"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    disciplined = forms.CharField(label=_("Mã hồ sơ người bị kỷ luật trong kỳ"), max_length=2000, required=False,
                                  help_text=_("Cách nhau bằng dấu phẩy; người bị kỷ luật xếp loại «không hoàn thành "
                                              "nhiệm vụ» dù điểm thế nào."))

    def clean_disciplined(self) -> list[int]:
        raw = [part.strip() for part in (self.cleaned_data.get("disciplined") or "").replace(";", ",").split(",")]
        if any(part and not part.isdigit() for part in raw):
            raise forms.ValidationError(_("Ghi các mã hồ sơ là số, cách nhau bằng dấu phẩy."))
        return [int(part) for part in raw if part]
