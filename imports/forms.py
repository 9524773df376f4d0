"""The upload form of the import page.

The form only parses what was sent; the rules (scope of the receiving unit, who may load exam
results, the year's range, the size limit) live in ``imports.services.import_start`` and come back as
``ValidationError`` messages shown next to the fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imports.kinds import kinds
from imports.models import ImportBatch
from talent.forms import organization_choices
from talent.models import Organization
from talent.selectors import organization_list

# Units a candidate list can be imported into: Youth Union bodies, schools, universities, faculties.
RECEIVING_KINDS = (Organization.Kind.YOUTH_UNION, Organization.Kind.HIGH_SCHOOL, Organization.Kind.UNIVERSITY,
                   Organization.Kind.FACULTY, Organization.Kind.AGENCY)
FIRST_EXAM_YEAR = 2002


def default_exam_year(today: Any = None) -> int:
    """Scores are published in July: until then the latest results are last year's."""
    today = today or timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại dữ liệu"), widget=forms.RadioSelect, initial=ImportBatch.Kind.CANDIDATES,
        error_messages={"invalid_choice": _("Bạn không được nhập loại dữ liệu này."),
                        "required": _("Hãy chọn loại dữ liệu.")},
    )
    file = forms.FileField(
        label=_("Tệp dữ liệu"), widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=_("CSV (dấu phẩy, chấm phẩy hoặc tab; UTF-8, UTF-16 hoặc Windows-1258) hoặc Excel (.xlsx)."),
        error_messages={"required": _("Hãy chọn một tệp CSV hoặc Excel (.xlsx)."),
                        "empty": _("Tệp không có dữ liệu.")},
    )
    organization = forms.TypedChoiceField(
        label=_("Đơn vị nhận danh sách"), required=False, coerce=int, empty_value=None,
        help_text=_("Chỉ với danh sách ứng viên. Cột «Mã đơn vị» trong tệp có thể ghi một đơn vị trực thuộc."),
        error_messages={"invalid_choice": _("Đơn vị này nằm ngoài phạm vi quản lý của bạn.")},
    )
    year = forms.IntegerField(
        label=_("Năm thi"), required=False,
        help_text=_("Chỉ với kết quả thi tốt nghiệp THPT."),
        error_messages={"invalid": _("Năm thi phải là số, ví dụ 2025.")},
    )
    all_or_nothing = forms.BooleanField(label=_("Chỉ ghi khi không có lỗi nào"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        labels = dict(ImportBatch.Kind.choices)
        self._kinds = {k.key: k for k in kinds() if k.key in labels and k.offered_to(user)}
        self.fields["kind"].choices = [(key, labels[key]) for key in ImportBatch.Kind.values if key in self._kinds]
        self._units = {org.pk: org for org in organization_list(user=user).filter(kind__in=RECEIVING_KINDS)}
        self.fields["organization"].choices = [("", _("— Chọn đơn vị —")),
                                               *organization_choices(self._units.values())]
        last = timezone.localdate().year
        self.fields["year"].initial = default_exam_year()
        self.fields["year"].widget.attrs.update({"min": FIRST_EXAM_YEAR, "max": last, "inputmode": "numeric"})

    @property
    def offers_year(self) -> bool:
        """Whether any kind offered to this user asks for a year (exam results do)."""
        return any("year" in kind.uses for kind in self._kinds.values())

    def clean_organization(self) -> Organization | None:
        pk = self.cleaned_data.get("organization")
        return self._units.get(pk) if pk is not None else None

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        uses = self._kinds[data["kind"]].uses
        return {
            "kind": data["kind"], "upload": data["file"],
            "organization": data.get("organization") if "organization" in uses else None,
            "year": data.get("year") if "year" in uses else None,
            "all_or_nothing": bool(data.get("all_or_nothing")),
        }
