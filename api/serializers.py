"""Serializers translate JSON to service arguments and models to JSON; no business rules here."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from privacy.models import Consent, ErasureRequest
from talent.geo import current_provinces
from talent.permissions import RECRUITER_HIDDEN_FIELDS, hidden_candidate_fields, is_recruiter
from talent.services import EDUCATION_KINDS, SHAREABLE_KINDS
from talent.models import (
    Achievement,
    Candidate,
    EducationRecord,
    LanguageCertificate,
    Organization,
    Religion,
    Role,
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

    def _page_constants(self) -> tuple[Any, bool]:
        # One serializer instance renders every row of a page: look these up once.
        if "_constants" not in self.__dict__:
            request = self.context.get("request") or getattr(self.parent, "context", {}).get("request")
            self.__dict__["_constants"] = (timezone.get_current_timezone(),
                                           request is None or is_recruiter(request.user))
        return self.__dict__["_constants"]

    def to_representation(self, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` is a ``values(*CANDIDATE_LIST_COLUMNS)`` dict (see ``list_rows``).

        Recruiters (and renderings without a request) get the year of birth, never the date.
        """
        tz, coarse = self._page_constants()
        updated = row["updated_at"].astimezone(tz).isoformat()
        born = row["date_of_birth"]
        return {
            "id": row["id"],
            "full_name": row["full_name"],
            "gender": row["gender"],
            **({"birth_year": born.year} if coarse else {"date_of_birth": _DATE.to_representation(born)}),
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
    """One candidate, shaped by the reader's role (``talent.permissions.hidden_candidate_fields``).

    Fields a role may not see are absent, not null. ``citizen_id`` (clear) is for administrators and
    officers; ``birth_year`` replaces ``date_of_birth`` for recruiters.
    """

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    province_name = serializers.CharField(read_only=True)
    citizen_id = serializers.SerializerMethodField()
    citizen_id_masked = serializers.CharField(read_only=True)
    birth_year = serializers.IntegerField(source="date_of_birth.year", read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id", "full_name", "gender", "date_of_birth", "birth_year", "ethnicity", "is_ethnic_minority",
            "religion", "province_code", "province_name", "email", "phone", "home_address", "aspirations",
            "citizen_id", "citizen_id_masked", "exam_number", "exam_year", "organization", "organization_name",
            "youth_union_member", "party_member", "party_joined_on", "political_theory", "stage",
            "stage_changed_at", "erased_at", "created_at", "updated_at",
        ]
        read_only_fields = fields

    def get_citizen_id(self, instance: Candidate) -> str | None:
        from core.crypto import pii_decrypt

        return pii_decrypt(instance.citizen_id_encrypted)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if getattr(self.context.get("view"), "swagger_fake_view", False):
            return fields  # the schema documents every field; each role gets a subset
        request = self.context.get("request")
        if request is None:
            hidden = RECRUITER_HIDDEN_FIELDS  # an internal rendering: least privilege
        else:
            hidden = hidden_candidate_fields(request.user)
            if not is_recruiter(request.user):
                hidden = hidden | {"birth_year"}
        for name in hidden:
            fields.pop(name, None)
        return fields


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
    religion = serializers.ChoiceField(choices=Religion.choices, required=False, allow_blank=True)
    home_address = serializers.CharField(required=False, allow_blank=True, max_length=255)
    aspirations = serializers.CharField(required=False, allow_blank=True, max_length=2000)

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
    """A step of the history; recruiters get the steps and dates without staff's reasons and names."""

    actor = serializers.CharField(source="actor.username", read_only=True, default=None)

    class Meta:
        model = StageTransition
        fields = ["id", "candidate", "from_stage", "to_stage", "reason", "actor", "created_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and is_recruiter(request.user):
            fields.pop("reason")
            fields.pop("actor")
        return fields


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
    # No username is longer: a longer one is refused before it reaches authentication (and the
    # lockout records, whose columns would not hold it).
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class CandidateExportSerializer(serializers.Serializer):
    """The candidate list's filters, in the body of an export (the query string takes them as well)."""

    search = serializers.CharField(required=False, max_length=120, help_text="name (with or without diacritics) or exam number")
    stage = serializers.CharField(required=False)
    organization = serializers.IntegerField(required=False, help_text="a unit, with the units below it")
    province = serializers.IntegerField(required=False)
    gender = serializers.CharField(required=False)
    school_year = serializers.IntegerField(required=False)
    achievement_level = serializers.CharField(required=False)


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


class VerifySerializer(serializers.Serializer):
    approve = serializers.BooleanField(default=True)


# --- Accounts, consent, privacy ---------------------------------------------------------------

class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField(allow_null=True)
    organization = serializers.IntegerField(allow_null=True)
    candidate = serializers.IntegerField(allow_null=True)


class SelfProfileSerializer(serializers.Serializer):
    """What a student may change in their own record."""

    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    home_address = serializers.CharField(required=False, allow_blank=True, max_length=255)
    aspirations = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ConsentSetSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Consent.Purpose.choices)
    granted = serializers.BooleanField()


class ConsentRecordSerializer(serializers.Serializer):
    """Staff record a consent given on paper; ``evidence`` is the signed form (multipart upload)."""

    purpose = serializers.ChoiceField(choices=Consent.Purpose.choices)
    given_by = serializers.ChoiceField(choices=Consent.GivenBy.choices)
    guardian_name = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    evidence = serializers.FileField(required=False, allow_null=True, default=None)


class ConsentWithdrawSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Consent.Purpose.choices)


class ConsentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, default=None)
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = ["id", "candidate", "purpose", "given_by", "guardian_name", "evidence_note", "has_evidence",
                  "granted_at", "withdrawn_at", "recorded_by"]

    def get_has_evidence(self, obj: Consent) -> bool:
        return bool(obj.evidence)


class ConsentStateSerializer(serializers.Serializer):
    purpose = serializers.CharField()
    label = serializers.CharField()
    granted = serializers.BooleanField()
    guardian_required = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())


class ErasureRequestSerializer(serializers.ModelSerializer):
    candidate_name = serializers.CharField(source="candidate.full_name", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None)

    class Meta:
        model = ErasureRequest
        fields = ["id", "candidate", "candidate_name", "status", "reason", "requested_at", "decided_by",
                  "decided_at", "decision_note"]
        read_only_fields = fields


class ErasureAskSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ErasureDecideSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField()
    email = serializers.CharField(read_only=True)
    role = serializers.CharField(source="profile.role", read_only=True, default=None)
    organization = serializers.IntegerField(source="profile.organization_id", read_only=True, default=None)
    organization_name = serializers.CharField(source="profile.organization.name", read_only=True, default=None)
    candidate = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(read_only=True)
    last_login = serializers.DateTimeField(read_only=True)
    date_joined = serializers.DateTimeField(read_only=True)

    def get_candidate(self, user: Any) -> int | None:
        candidate = getattr(user, "candidate", None)
        return candidate.pk if candidate else None


class UserCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=64)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)
    role = serializers.ChoiceField(choices=Role.choices)
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), required=False,
                                                      allow_null=True, default=None)
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.all(), required=False,
                                                   allow_null=True, default=None)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")


class AuditEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.username", default=None)
    action = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    changes = serializers.JSONField()
