"""API of the signed-in person (``/me/…``), consent, erasure requests, accounts and the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from accounts import services as account_services
from api import serializers as s
from api.base import ScopedViewSet
from api.filters import AuditEventFilter, ErasureRequestFilter, UserFilter
from api.pagination import IdCursorPagination
from api.permissions import IsAdministrator
from core.models import AuditEvent
from privacy import selectors, services
from privacy.models import ErasureRequest
from talent.models import Candidate, user_organization, user_role
from talent.services import candidate_self_update


def _own_candidate_or_404(user: Any) -> Candidate:
    candidate = Candidate.objects.for_user(user).active().filter(user=user).first()
    if candidate is None:
        raise Http404("Tài khoản của bạn không gắn với hồ sơ ứng viên nào.")
    return candidate


class MeView(APIView):
    """Who am I: role, home organization and, for a student, their candidate id."""

    @extend_schema(responses={200: s.MeSerializer})
    def get(self, request: Request) -> Response:
        user = request.user
        organization = user_organization(user)
        candidate = Candidate.objects.for_user(user).active().filter(user=user).values_list("pk", flat=True).first()
        return Response({"username": user.get_username(), "role": user_role(user),
                         "organization": organization.pk if organization else None, "candidate": candidate})


class MeProfileView(APIView):
    """A student's own record; PATCH changes contact details and aspirations only."""

    @extend_schema(responses={200: s.CandidateSerializer})
    def get(self, request: Request) -> Response:
        candidate = _own_candidate_or_404(request.user)
        return Response(s.CandidateSerializer(candidate, context={"request": request}).data)

    @extend_schema(request=s.SelfProfileSerializer, responses={200: s.CandidateSerializer})
    def patch(self, request: Request) -> Response:
        _own_candidate_or_404(request.user)
        data = s.SelfProfileSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        candidate = candidate_self_update(user=request.user, **data.validated_data)
        return Response(s.CandidateSerializer(candidate, context={"request": request}).data)


class MeConsentsView(APIView):
    """GET: the state of each purpose. POST `{"purpose", "granted"}`: grant or withdraw your own consent."""

    def _state(self, request: Request, candidate: Candidate) -> Response:
        state = selectors.candidate_consent_state(user=request.user, candidate=candidate)
        return Response(s.ConsentStateSerializer(state.values(), many=True).data)

    @extend_schema(responses={200: s.ConsentStateSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return self._state(request, _own_candidate_or_404(request.user))

    @extend_schema(request=s.ConsentSetSerializer, responses={200: s.ConsentStateSerializer(many=True)})
    def post(self, request: Request) -> Response:
        _own_candidate_or_404(request.user)
        data = s.ConsentSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        candidate = services.consent_set_own(user=request.user, **data.validated_data)
        return self._state(request, candidate)


@method_decorator(never_cache, name="dispatch")
class MeExportView(APIView):
    """Everything held about you, as one readable JSON document (served as a download)."""

    renderer_classes = [JSONRenderer]  # a file to keep, never the browsable page

    @extend_schema(responses={200: OpenApiResponse(description="JSON document")})
    def get(self, request: Request) -> Response:
        _own_candidate_or_404(request.user)
        data = services.subject_export(user=request.user)
        response = Response(data)
        response["Content-Disposition"] = 'attachment; filename="du-lieu-cua-toi.json"'
        return response


class MeErasureView(APIView):
    """GET: your erasure requests. POST `{"reason"}`: ask for your record to be anonymized."""

    @extend_schema(responses={200: s.ErasureRequestSerializer(many=True)})
    def get(self, request: Request) -> Response:
        candidate = _own_candidate_or_404(request.user)
        rows = ErasureRequest.objects.for_user(request.user).filter(candidate=candidate)
        return Response(s.ErasureRequestSerializer(rows, many=True).data)

    @extend_schema(request=s.ErasureAskSerializer, responses={201: s.ErasureRequestSerializer})
    def post(self, request: Request) -> Response:
        _own_candidate_or_404(request.user)
        data = s.ErasureAskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        erasure = services.erasure_request(user=request.user, reason=data.validated_data["reason"])
        return Response(s.ErasureRequestSerializer(erasure).data, status=status.HTTP_201_CREATED)


class ErasureRequestViewSet(ScopedViewSet):
    """Erasure requests of people in your scope; officers and administrators approve or reject."""

    queryset = ErasureRequest.objects.all()
    serializer_class = s.ErasureRequestSerializer
    filterset_class = ErasureRequestFilter
    select_related = ("candidate", "decided_by")

    def _decide(self, request: Request, approve: bool) -> Response:
        erasure = self.get_object()
        data = s.ErasureDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        erasure = services.erasure_decide(erasure=erasure, actor=request.user, approve=approve,
                                          note=data.validated_data["note"])
        return Response(s.ErasureRequestSerializer(erasure).data)

    @extend_schema(request=s.ErasureDecideSerializer, responses={200: s.ErasureRequestSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Anonymize the record and close the account; statistics keep counting the person."""
        return self._decide(request, approve=True)

    @extend_schema(request=s.ErasureDecideSerializer, responses={200: s.ErasureRequestSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Refuse, with the reason in `note` (required)."""
        return self._decide(request, approve=False)


class UserViewSet(ScopedViewSet):
    """Accounts (administrators only): list, create, deactivate, reactivate."""

    queryset = get_user_model().objects.all()
    serializer_class = s.UserSerializer
    filterset_class = UserFilter
    permission_classes = [IsAdministrator]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return account_selectors.user_list(user=self.request.user)

    @extend_schema(request=s.UserCreateSerializer, responses={201: s.UserSerializer})
    def create(self, request: Request) -> Response:
        data = s.UserCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        user = account_services.user_create(actor=request.user, **data.validated_data)
        return Response(s.UserSerializer(self.get_queryset().get(pk=user.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.UserSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        user = account_services.user_set_active(actor=request.user, user=self.get_object(), active=False)
        return Response(s.UserSerializer(user).data)

    @extend_schema(request=None, responses={200: s.UserSerializer})
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str | None = None) -> Response:
        user = account_services.user_set_active(actor=request.user, user=self.get_object(), active=True)
        return Response(s.UserSerializer(user).data)


class AuditCursorPagination(IdCursorPagination):
    ordering = "-id"


class AuditEventViewSet(ScopedViewSet):
    """The append-only audit log (administrators only), newest first."""

    queryset = AuditEvent.objects.all()
    serializer_class = s.AuditEventSerializer
    filterset_class = AuditEventFilter
    permission_classes = [IsAdministrator]
    pagination_class = AuditCursorPagination
    select_related = ("actor",)

