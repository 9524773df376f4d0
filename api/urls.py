from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from api import views

router = DefaultRouter()
router.register("organizations", views.OrganizationViewSet)
router.register("candidates", views.CandidateViewSet)
router.register("education-records", views.EducationRecordViewSet)
router.register("achievements", views.AchievementViewSet)
router.register("languages", views.LanguageCertificateViewSet)
router.register("pools", views.TalentPoolViewSet)
router.register("jobs", views.JobViewSet)

urlpatterns = [
    path("v1/auth/token/", views.TokenView.as_view(), name="api-token"),
    # Namespaced so the router's names ("candidate-list" ...) never collide with the pages'.
    path("v1/", include((router.urls, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
