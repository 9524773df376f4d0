"""Forms of the training pages: they parse input; the rules live in ``training.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talent.forms import DateInput, organization_choices
from talent.models import Training

DATE_ERRORS = {"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")}


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, input_formats=["%d/%m/%Y"], widget=DateInput(), error_messages=DATE_ERRORS,
                           required=required)


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Tên khoá học"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại"), choices=Training.Kind.choices)
    provider = forms.CharField(label=_("Đơn vị đào tạo"), max_length=255)
    organization = forms.TypedChoiceField(label=_("Đơn vị tổ chức"), coerce=int)
    starts_on = _date(_("Từ ngày"))
    ends_on = _date(_("Đến ngày"))
    seats = forms.IntegerField(label=_("Số chỗ"), min_value=1, max_value=100_000)
    cost_per_person = forms.IntegerField(label=_("Chi phí mỗi người (đồng)"), min_value=0, max_value=10**12, initial=0)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = organization_choices(organizations)


class EnrolForm(forms.Form):
    candidate = forms.IntegerField(label=_("Mã hồ sơ"), min_value=1, max_value=2**63 - 1)


class CompleteForm(forms.Form):
    completed_on = _date(_("Ngày hoàn thành"))
    certificate_number = forms.CharField(label=_("Số chứng chỉ"), max_length=64, required=False)


class NominationForm(forms.Form):
    rubric = forms.ModelChoiceField(label=_("Bộ tiêu chí xếp hạng"), queryset=None, empty_label=None)
    pool = forms.ChoiceField(label=_("Nguồn đề cử"), choices=())
    untrained_only = forms.BooleanField(label=_("Chỉ người chưa học loại khoá này trong năm"), required=False,
                                        initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from scoring.models import Rubric, RubricVersion
        from training.models import Nomination

        super().__init__(*args, **kwargs)
        rubrics = Rubric.objects.filter(versions__state=RubricVersion.State.ACTIVE).distinct().order_by("name")
        self.fields["rubric"].queryset = rubrics
        self.fields["rubric"].initial = rubrics.filter(slug="young-cadre").first()
        self.fields["pool"].choices = Nomination.Pool.choices


class SendForm(forms.Form):
    count = forms.IntegerField(label=_("Số người cử theo thứ tự danh sách"), min_value=1, max_value=100_000)
