"""Query parameters of list endpoints. The filtering itself lives in the selectors.

Ids are plain bounded integers, never model lookups: a filter that answered "does not exist"
for one id and an empty list for another would tell a user which records exist outside their
scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.models import AuditEvent
from privacy.models import ErasureRequest
from talent.geo import province_choices
from talent.models import Achievement, Candidate, Organization, Role, Stage, TalentPool
from talent.selectors import filter_candidates

MAX_ID = 2**31 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    field_class = IdField


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1990)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class CandidateFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label="Tìm theo tên (không dấu cũng được) hoặc số báo danh", max_length=120)
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    organization = IdFilter(label="Đơn vị (gồm cả các đơn vị trực thuộc)")
    province = extend_schema_field(OpenApiTypes.INT)(
        django_filters.TypedChoiceFilter(choices=province_choices, coerce=int, label="Mã tỉnh/thành hiện hành")
    )
    gender = django_filters.ChoiceFilter(choices=Candidate.Gender.choices)
    school_year = YearFilter(label="Năm học bắt đầu, ví dụ 2025 cho 2025–2026")
    achievement_level = django_filters.ChoiceFilter(choices=Achievement.Level.choices)

    class Meta:
        model = Candidate
        fields: list[str] = []

    @property
    def cleaned_filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return filter_candidates(queryset, user=self.request.user, filters=self.cleaned_filters)  # type: ignore[arg-type]


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)
    parent = IdFilter(field_name="parent_id")

    class Meta:
        model = Organization
        fields: list[str] = []


class CandidateChildFilter(django_filters.FilterSet):
    """``?candidate=`` on education, achievements and languages (their querysets are scoped)."""

    candidate = IdFilter(field_name="candidate_id")


class TalentPoolFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=TalentPool.Kind.choices)
    owner = IdFilter(field_name="owner_id")

    class Meta:
        model = TalentPool
        fields: list[str] = []


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request names none of the filters.

    Building a FilterSet deep-copies every filter and its choices; on an unfiltered list page that
    cost more than the query itself.
    """

    def filter_queryset(self, request: Any, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or not set(request.query_params) & set(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class _BoundedIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 moment whose offset is one a clock can have (UTC−12 to UTC+14): "-19:22" parses, but
    the database cannot hold it and it names no place."""

    def to_python(self, value: Any) -> Any:
        moment = super().to_python(value)
        offset = moment.utcoffset() if moment is not None else None
        if offset is not None and not -12 * 3600 <= offset.total_seconds() <= 14 * 3600:
            raise forms.ValidationError("Độ lệch múi giờ phải trong khoảng UTC−12 đến UTC+14.", code="offset")
        if moment is not None:
            try:
                moment.astimezone(dt.timezone.utc)  # 0001-01-01T00:00+13:00 falls before year 1 in UTC
            except OverflowError:
                raise forms.ValidationError("Thời điểm nằm ngoài khoảng ngày hợp lệ.", code="overflow") from None
        return moment


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _BoundedIsoDateTimeField


class AuditEventFilter(django_filters.FilterSet):
    """``?actor=USERNAME&candidate=ID&action=candidate.read&since=…&until=…`` (administrators only)."""

    actor = django_filters.CharFilter(field_name="actor__username", max_length=150, label="Tên đăng nhập")
    candidate = IdFilter(method="filter_candidate", label="Ứng viên: sự kiện trên hồ sơ và các mục của hồ sơ")
    action = django_filters.CharFilter(max_length=64)
    since = BoundedIsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = BoundedIsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_candidate(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.about_candidate(value)


class ErasureRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ErasureRequest.Status.choices)

    class Meta:
        model = ErasureRequest
        fields: list[str] = []


class UserFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, field_name="profile__role")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = get_user_model()
        fields: list[str] = []
