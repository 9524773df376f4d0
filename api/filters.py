"""Query parameters of list endpoints. The filtering itself lives in the selectors."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from talent.geo import province_choices
from talent.models import Achievement, Candidate, Organization, Stage
from talent.selectors import filter_candidates


class CandidateFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label="Tìm theo tên (không dấu cũng được) hoặc số báo danh")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    organization = django_filters.NumberFilter(label="Đơn vị (gồm cả các đơn vị trực thuộc)")
    province = extend_schema_field(OpenApiTypes.INT)(
        django_filters.TypedChoiceFilter(choices=province_choices, coerce=int, label="Mã tỉnh/thành hiện hành")
    )
    gender = django_filters.ChoiceFilter(choices=Candidate.Gender.choices)
    school_year = django_filters.NumberFilter(label="Năm học bắt đầu, ví dụ 2025 cho 2025–2026")
    achievement_level = django_filters.ChoiceFilter(choices=Achievement.Level.choices)

    class Meta:
        model = Candidate
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        cleaned = {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}
        return filter_candidates(queryset, user=self.request.user, filters=cleaned)  # type: ignore[arg-type]


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)
    parent = django_filters.NumberFilter()

    class Meta:
        model = Organization
        fields: list[str] = []
