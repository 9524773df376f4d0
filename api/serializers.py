"""Serializers translate JSON to service arguments and models to JSON; no business rules here."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from talent.geo import current_provinces
from talent.permissions import PARTY_FIELDS, can_see_party_membership
from talent.services import EDUCATION_KINDS, SHAREABLE_KINDS
from talent.models import (
    Achievement,
    Candidate,
    EducationRecord,
    LanguageCertificate,
    Organization,
    Stage,
    StageTransition,
    TalentPool,
)


class OrganizationSerializer(serializers.ModelSerializer):
    province_name = serializers.CharField(read_only=True)
    parent = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), required=False,
                                                allow_null=True)

    class Meta:
        model = Organization
        fields = ["id", "code", "name", "kind", "parent", "province_code", "province_name"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A parent outside the caller's scope "does not exist" for them (400, never 403).
            self.fields["parent"].queryset = Organization.objects.for_user(request.user)


# Renderer shared by the hand-built list rows (same output as the declared field).
_DATE = serializers.DateField()


class CandidateListSerializer(serializers.ModelSerializer):
    """The lean row of list pages: what a table shows, nothing sensitive, cheap to render.

    Rows are built directly rather than field by field: on a 50-row page DRF's per-field
    machinery costs several times the query itself (see tests/benchmarks/bench_api_list.py).
    The declared fields still define the schema, and a test checks both give the same JSON.
    """

    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Candidate
        fields = ["id", "full_name", "gender", "date_of_birth", "province_code", "organization", "organization_name",
                  "stage", "updated_at"]
        read_only_fields = fields

    def to_representation(self, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` is a ``values(*CANDIDATE_LIST_COLUMNS)`` dict (see ``list_rows``)."""
        # One serializer instance renders every row of a page: look the time zone up once.
        tz = self.__dict__.get("_tz") or self.__dict__.setdefault("_tz", timezone.get_current_timezone())
        updated = row["updated_at"].astimezone(tz).isoformat()
        return {
            "id": row["id"],
            "full_name": row["full_name"],
            "gender": row["gender"],
            "date_of_birth": _DATE.to_representation(row["date_of_birth"]),
            "province_code": row["province_code"],
            "organization": row["organization_id"],
            "organization_name": row["organization__name"],
            "stage": row["stage"],
            # DRF's DateTimeField format: ISO 8601 in the current zone, "Z" for UTC.
            "updated_at": updated[:-6] + "Z" if updated.endswith("+00:00") else updated,
        }


# Columns the list needs: list queries fetch these as plain rows, no model instances.
CANDIDATE_LIST_COLUMNS = ("id", "full_name", "gender", "date_of_birth", "province_code", "organization_id",
                          "organization__name", "stage", "updated_at")


def list_rows(qs: Any) -> Any:
    """The candidate queryset as the dict rows CandidateListSerializer renders."""
    return qs.values(*CANDIDATE_LIST_COLUMNS)


class CandidateSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    province_name = serializers.CharField(read_only=True)
    citizen_id_masked = serializers.CharField(read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id", "full_name", "gender", "date_of_birth", "ethnicity", "is_ethnic_minority", "province_code",
            "province_name", "email", "phone", "citizen_id_masked", "exam_number", "exam_year", "organization",
            "organization_name", "youth_union_member", "party_member", "party_joined_on", "political_theory",
            "stage", "stage_changed_at", "created_at", "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Candidate) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        # Sensitive fields are absent, not null, for roles that may not see them.
        if request is None or not can_see_party_membership(request.user):
            for name in PARTY_FIELDS:
                data.pop(name, None)
        return data


class CandidateWriteSerializer(serializers.Serializer):
    """Input for register (all required fields) and update (partial)."""

    full_name = serializers.CharField(max_length=120)
    gender = serializers.ChoiceField(choices=Candidate.Gender.choices)
    date_of_birth = serializers.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    ethnicity = serializers.CharField(required=False, allow_blank=True, max_length=32)
    province_code = serializers.IntegerField(required=False, allow_null=True)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    citizen_id = serializers.CharField(required=False, allow_blank=True, write_only=True, max_length=20)
    exam_number = serializers.CharField(required=False, allow_blank=True, max_length=8)
    exam_year = serializers.IntegerField(required=False, allow_null=True, min_value=2000, max_value=2100)
    youth_union_member = serializers.BooleanField(required=False)
    party_member = serializers.BooleanField(required=False)
    party_joined_on = serializers.DateField(required=False, allow_null=True, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    political_theory = serializers.ChoiceField(choices=Candidate.PoliticalTheory.choices, required=False,
                                               allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        # Only organizations in the user's scope can be chosen: anything else is "does not exist".
        if request is not None:
            self.fields["organization"].queryset = Organization.objects.for_user(request.user)

    def validate_province_code(self, value: int | None) -> int | None:
        if value is not None and value not in current_provinces():
            raise serializers.ValidationError("Mã tỉnh/thành không thuộc 34 tỉnh/thành hiện hành.")
        return value


class AdvanceSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class StageTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, default=None)

    class Meta:
        model = StageTransition
        fields = ["id", "candidate", "from_stage", "to_stage", "reason", "actor", "created_at"]


class EducationRecordSerializer(serializers.ModelSerializer):
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.none())
    institution = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(), required=False,
                                                     allow_null=True)

    class Meta:
        model = EducationRecord
        fields = [
            "id", "candidate", "institution", "institution_name", "level", "major", "start_year", "end_year", "gpa",
            "gpa_scale", "conduct_score", "retaken_over_5_percent", "disciplined", "classification",
            "conduct_classification",
        ]
        read_only_fields = ["classification", "conduct_classification"]
        extra_kwargs = {"institution_name": {"required": False}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["candidate"].queryset = Candidate.objects.for_user(request.user)
            # Schools and universities are a public directory: any of them may be named.
            self.fields["institution"].queryset = Organization.objects.filter(kind__in=EDUCATION_KINDS)


class _CandidateChildSerializer(serializers.ModelSerializer):
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["candidate"].queryset = Candidate.objects.for_user(request.user)


class AchievementSerializer(_CandidateChildSerializer):
    class Meta:
        model = Achievement
        fields = ["id", "candidate", "category", "level", "award_rank", "year", "title", "evidence",
                  "verification_status", "verified_at"]
        read_only_fields = ["verification_status", "verified_at"]


class LanguageCertificateSerializer(_CandidateChildSerializer):
    cefr = serializers.CharField(read_only=True)

    class Meta:
        model = LanguageCertificate
        fields = ["id", "candidate", "language", "level", "cefr", "certificate", "issued_on", "verification_status"]
        read_only_fields = ["verification_status"]


class TalentPoolSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none())
    # Agencies and enterprises are a public directory: a pool may be shared with any of them.
    shared_with = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind__in=SHAREABLE_KINDS), many=True, required=False)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TalentPool
        fields = ["id", "name", "kind", "term", "owner", "shared_with", "description", "member_count", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["owner"].queryset = Organization.objects.for_user(request.user)


class PoolMemberSerializer(serializers.Serializer):
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.none())
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["candidate"].queryset = Candidate.objects.for_user(request.user)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class JobSerializer(serializers.Serializer):
    """Progress of a background job; poll it, or follow ws/jobs/{id}/ for live updates."""

    id = serializers.UUIDField()
    kind = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField(allow_null=True)
    percent = serializers.IntegerField(allow_null=True)
    seconds_left = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()
    result = serializers.JSONField()
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
