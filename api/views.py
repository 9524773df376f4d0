"""API viewsets: declarations of queryset, serializer, filters; writes go through services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from api import serializers as s
from api.base import ScopedViewSet
from api.filters import CandidateChildFilter, CandidateFilter, OrganizationFilter, TalentPoolFilter
from accounts.security import locked_out_api_response
from api.pagination import NewestFirstCursorPagination
from api.scoring import CandidateScoringActions
from core.models import Job
from core.tasking import job_cancel
from privacy import selectors as consent_selectors
from privacy import services as consent_services
from talent.readlog import record_reads
from talent import services
from talent.permissions import can_manage_candidates
from talent.models import (
    Achievement,
    Candidate,
    EducationRecord,
    LanguageCertificate,
    Organization,
    StageTransition,
    TalentPool,
)
from talent.selectors import pool_list, pool_members


class TokenThrottle(AnonRateThrottle):
    """Per client address, at the "token" rate (API_THROTTLE_TOKEN), counted apart from other anonymous calls."""

    scope = "token"


class TokenView(APIView):
    """Exchange a username and password for an API token (send it as `Authorization: Token …`)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [TokenThrottle]

    @extend_schema(request=s.TokenRequestSerializer, responses={200: s.TokenResponseSerializer})
    def post(self, request: Request) -> Response:
        data = s.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if user is None or not user.is_active:
            # django-axes marks the request when this attempt hit, or was refused by, a lockout.
            if getattr(request, "axes_locked_out", False):
                return locked_out_api_response()
            return Response({"non_field_errors": ["Tên đăng nhập hoặc mật khẩu không đúng."]},
                            status=status.HTTP_400_BAD_REQUEST)
        # A token issued is a login: the audit log records it and the failure count is reset.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class OrganizationViewSet(mixins.CreateModelMixin, ScopedViewSet):
    queryset = Organization.objects.all()
    serializer_class = s.OrganizationSerializer
    filterset_class = OrganizationFilter
    select_related = ("parent",)

    def perform_create(self, serializer: s.OrganizationSerializer) -> None:
        data = serializer.validated_data
        parent = data.get("parent")
        serializer.instance = services.organization_create(
            code=data["code"], name=data["name"], kind=data["kind"], parent=parent,
            province_code=data.get("province_code"), actor=self.request.user,
        )


class CandidateViewSet(CandidateScoringActions, ScopedViewSet):
    """Candidates in the caller's scope. `?search=` ignores diacritics ("nguyen van" finds "Nguyễn Văn An").

    ``score`` (the breakdown under a rubric) and ``contest`` come from ``api.scoring``."""

    # Updates are partial (PATCH): a field left out keeps its value, so there is no PUT.
    http_method_names = ["get", "post", "patch", "head", "options"]

    queryset = Candidate.objects.all()
    serializer_class = s.CandidateSerializer
    filterset_class = CandidateFilter
    select_related = ("organization",)

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return s.CandidateListSerializer if self.action == "list" else s.CandidateSerializer

    def scoped_queryset(self, qs):  # type: ignore[no-untyped-def]
        # Anonymized records stay countable but are not people to list.
        return s.list_rows(qs.active()) if self.action == "list" else qs

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        record_reads(user=request.user, candidate_ids=[row["id"] for row in response.data["results"]],
                     via="api.list")
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        candidate = self.get_object()
        record_reads(user=request.user, candidate_ids=[candidate.pk], via="api.detail")
        return Response(self.get_serializer(candidate).data)

    @extend_schema(methods=["GET"], responses={200: s.ConsentSerializer(many=True)})
    @extend_schema(methods=["POST"], request={"multipart/form-data": s.ConsentRecordSerializer},
                   responses={201: s.ConsentSerializer})
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None,
            parser_classes=[MultiPartParser, FormParser])
    def consents(self, request: Request, pk: str | None = None) -> Response:
        """GET: every consent record, standing and withdrawn. POST (staff, multipart): record a consent
        given on paper, with the signed form as `evidence` (PDF/JPG/PNG, up to 5 MB)."""
        candidate = self.get_object()
        if not can_manage_candidates(request.user):
            # Consent records (guardians' names, who recorded what) are staff working papers;
            # a student reads their own state at /me/consents/.
            raise PermissionDenied("Chỉ cán bộ quản lý hồ sơ được xem hồ sơ đồng ý.")
        if request.method == "GET":
            return Response(s.ConsentSerializer(consent_selectors.candidate_consents(
                user=request.user, candidate=candidate), many=True).data)
        data = s.ConsentRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consent = consent_services.consent_record(actor=request.user, candidate=candidate, **data.validated_data)
        return Response(s.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ConsentWithdrawSerializer, responses={200: s.ConsentSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="consents/withdraw", filterset_class=None,
            pagination_class=None)
    def withdraw_consent(self, request: Request, pk: str | None = None) -> Response:
        """Staff record a withdrawal received on paper: every standing grant for `purpose` ends now."""
        candidate = self.get_object()
        data = s.ConsentWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consent_services.consent_withdraw(actor=request.user, candidate=candidate,
                                          purpose=data.validated_data["purpose"])
        return Response(s.ConsentSerializer(consent_selectors.candidate_consents(
            user=request.user, candidate=candidate), many=True).data)

    @extend_schema(request=s.CandidateWriteSerializer, responses={201: s.CandidateSerializer})
    def create(self, request: Request) -> Response:
        data = s.CandidateWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        candidate = services.candidate_register(actor=request.user, **fields)
        return Response(self.get_serializer(candidate).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CandidateWriteSerializer, responses={200: s.CandidateSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        candidate = self.get_object()
        data = s.CandidateWriteSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        candidate = services.candidate_update(candidate=candidate, actor=request.user, **data.validated_data)
        return Response(self.get_serializer(candidate).data)

    @extend_schema(request=s.AdvanceSerializer, responses={200: s.CandidateSerializer})
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str | None = None) -> Response:
        """Move along the pipeline. A move the graph forbids answers 400 and changes nothing."""
        candidate = self.get_object()
        data = s.AdvanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.candidate_advance(candidate=candidate, to_stage=data.validated_data["stage"],
                                   reason=data.validated_data["reason"], actor=request.user)
        return Response(self.get_serializer(candidate).data)

    @extend_schema(request=s.CandidateExportSerializer, responses={202: s.JobSerializer})
    @action(detail=False, methods=["post"])
    def export(self, request: Request) -> Response:
        """Export the list to CSV in the background; follow the job. The list's filters are taken from the
        query string or from the body (a JSON object), never ignored: a body field that is not a filter,
        or a filter given twice with different values, answers 400 — an export never holds more personal
        data than was asked for."""
        body = request.data if isinstance(request.data, dict) else None
        if body is None and request.data:
            return Response({"detail": "Phần thân phải là một đối tượng JSON các bộ lọc."},
                            status=status.HTTP_400_BAD_REQUEST)
        known = set(CandidateFilter.base_filters)
        errors = {key: ["Không phải bộ lọc của danh sách ứng viên."] for key in (body or {}) if key not in known}
        params = request.query_params.copy()
        for key, value in (body or {}).items():
            if key in errors:
                continue
            if isinstance(value, (dict, list)):
                errors[key] = ["Giá trị của bộ lọc phải là một giá trị đơn."]
            elif key in params and params.get(key) != str(value):
                errors[key] = ["Bộ lọc này có hai giá trị khác nhau (trên địa chỉ và trong phần thân)."]
            else:
                params[key] = "" if value is None else str(value)
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        filters = CandidateFilter(params, queryset=Candidate.objects.none(), request=request)
        if not filters.is_valid():
            return Response(filters.errors, status=status.HTTP_400_BAD_REQUEST)
        job = services.candidates_export_start(actor=request.user, filters=filters.cleaned_filters)
        return Response(s.JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: s.StageTransitionSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        candidate = self.get_object()
        record_reads(user=request.user, candidate_ids=[candidate.pk], via="api.history")
        rows = StageTransition.objects.for_user(request.user).filter(candidate=candidate).select_related("actor")
        return Response(s.StageTransitionSerializer(rows, many=True, context={"request": request}).data)


class JobViewSet(ScopedViewSet):
    """Background jobs the caller started."""

    queryset = Job.objects.all()
    serializer_class = s.JobSerializer
    pagination_class = NewestFirstCursorPagination

    @extend_schema(request=None, responses={200: s.JobSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return Response(s.JobSerializer(job_cancel(job=self.get_object())).data)


class _CandidateChildViewSet(mixins.CreateModelMixin, ScopedViewSet):
    filterset_class = CandidateChildFilter
    select_related = ("candidate",)

    # A recruiter reading a person's education, achievements or languages is reading their record.
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        record_reads(user=request.user, candidate_ids=[row["candidate"] for row in response.data["results"]],
                     via=f"api.{self.basename}")
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        record_reads(user=request.user, candidate_ids=[response.data["candidate"]], via=f"api.{self.basename}")
        return response


class EducationRecordViewSet(_CandidateChildViewSet):
    queryset = EducationRecord.objects.all()
    serializer_class = s.EducationRecordSerializer

    def perform_create(self, serializer: s.EducationRecordSerializer) -> None:
        serializer.instance = services.education_record_add(actor=self.request.user, **serializer.validated_data)


class AchievementViewSet(_CandidateChildViewSet):
    """A student may add to their own record; what they add waits for a liaison or officer to verify."""

    queryset = Achievement.objects.all()
    serializer_class = s.AchievementSerializer

    def perform_create(self, serializer: s.AchievementSerializer) -> None:
        serializer.instance = services.achievement_add(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=s.VerifySerializer, responses={200: s.AchievementSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """Staff in scope: `{"approve": true}` verifies, `false` rejects."""
        data = s.VerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        achievement = services.achievement_verify(achievement=self.get_object(), actor=request.user,
                                                  approve=data.validated_data["approve"])
        return Response(self.get_serializer(achievement).data)


class LanguageCertificateViewSet(_CandidateChildViewSet):
    queryset = LanguageCertificate.objects.all()
    serializer_class = s.LanguageCertificateSerializer

    def perform_create(self, serializer: s.LanguageCertificateSerializer) -> None:
        serializer.instance = services.language_certificate_add(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=s.VerifySerializer, responses={200: s.LanguageCertificateSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def verify(self, request: Request, pk: str | None = None) -> Response:
        """Staff in scope: `{"approve": true}` verifies, `false` rejects."""
        data = s.VerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        certificate = services.language_certificate_verify(certificate=self.get_object(), actor=request.user,
                                                           approve=data.validated_data["approve"])
        return Response(self.get_serializer(certificate).data)


class TalentPoolViewSet(mixins.CreateModelMixin, ScopedViewSet):
    queryset = TalentPool.objects.all()
    serializer_class = s.TalentPoolSerializer
    filterset_class = TalentPoolFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return pool_list(user=self.request.user)

    def perform_create(self, serializer: s.TalentPoolSerializer) -> None:
        data = dict(serializer.validated_data)
        pool = services.pool_create(actor=self.request.user, **data)
        serializer.instance = pool_list(user=self.request.user).get(pk=pool.pk)

    @extend_schema(methods=["GET"], responses={200: s.CandidateListSerializer(many=True)})
    @extend_schema(methods=["POST"], request=s.PoolMemberSerializer, responses={201: s.TalentPoolSerializer})
    @action(detail=True, methods=["get", "post"], filterset_class=None)
    def members(self, request: Request, pk: str | None = None) -> Response:
        """GET: the pool's members you may see (cursor-paginated). POST: add a candidate in your scope."""
        pool = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(s.list_rows(pool_members(user=request.user, pool=pool)))
            rows = s.CandidateListSerializer(page, many=True, context={"request": request}).data
            record_reads(user=request.user, candidate_ids=[row["id"] for row in rows], via="api.pool_members")
            return self.get_paginated_response(rows)
        data = s.PoolMemberSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.pool_add(pool=pool, candidate=data.validated_data["candidate"], note=data.validated_data["note"],
                          actor=request.user)
        return Response(s.TalentPoolSerializer(self.get_queryset().get(pk=pool.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<candidate_id>\d+)", filterset_class=None)
    def remove_member(self, request: Request, pk: str | None = None, candidate_id: str | None = None) -> Response:
        """Take a candidate out of the pool (`?reason=` is recorded)."""
        pool = self.get_object()
        candidate = get_object_or_404(Candidate.objects.for_user(request.user), pk=candidate_id)
        services.pool_remove(pool=pool, candidate=candidate, actor=request.user,
                             reason=request.query_params.get("reason", "")[:500])
        return Response(status=status.HTTP_204_NO_CONTENT)
