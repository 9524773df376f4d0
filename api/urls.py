from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import clubs, evaluation, imports, notifications, openings, privacy, scoring, succession, training, views

router = DefaultRouter()
router.register("organizations", views.OrganizationViewSet)
router.register("candidates", views.CandidateViewSet)
router.register("education-records", views.EducationRecordViewSet)
router.register("achievements", views.AchievementViewSet)
router.register("languages", views.LanguageCertificateViewSet)
router.register("pools", views.TalentPoolViewSet)
router.register("jobs", views.JobViewSet)
router.register("users", privacy.UserViewSet)
router.register("audit-events", privacy.AuditEventViewSet)
router.register("erasure-requests", privacy.ErasureRequestViewSet)
router.register("imports", imports.ImportBatchViewSet)
router.register("exam-results", imports.ExamResultViewSet)
router.register("merge-suggestions", imports.MergeSuggestionViewSet)
router.register("rubrics", scoring.RubricViewSet)
router.register("rankings", scoring.RankingViewSet, basename="ranking")
router.register("score-runs", scoring.ScoreRunViewSet)
router.register("clubs", clubs.ClubViewSet)
router.register("events", clubs.EventViewSet)
router.register("notifications", notifications.NotificationViewSet)
router.register("openings", openings.OpeningViewSet)
router.register("shortlist-entries", openings.ShortlistEntryViewSet)
router.register("placements", openings.PlacementViewSet)
router.register("targets", openings.TargetViewSet)
router.register("positions", succession.PositionViewSet)
router.register("succession-plans", succession.SuccessionPlanViewSet)
router.register("cadres", succession.CadreViewSet, basename="cadre")
router.register("evaluation-cycles", evaluation.EvaluationCycleViewSet)
router.register("evaluations", evaluation.EvaluationViewSet, basename="evaluation")
router.register("courses", training.CourseViewSet)
router.register("training-compliance", training.TrainingComplianceViewSet, basename="training-compliance")
router.register("attraction-payments", training.AttractionPaymentViewSet)
router.register("training-budgets", training.TrainingBudgetViewSet, basename="training-budget")

# The board's spreadsheet keeps its file name in the URL (no trailing slash). Listed before the router's
# routes, whose format-suffix twin of "shortlist/" would otherwise take "shortlist.xlsx" as ?format=xlsx.
extra_urls = [
    re_path(r"^openings/(?P<pk>\d+)/shortlist\.xlsx$", openings.OpeningViewSet.as_view({"get": "shortlist_xlsx"}),
            name="opening-shortlist-xlsx"),
]

me_urls = [
    path("", privacy.MeView.as_view(), name="me"),
    path("profile/", privacy.MeProfileView.as_view(), name="me-profile"),
    path("consents/", privacy.MeConsentsView.as_view(), name="me-consents"),
    path("export/", privacy.MeExportView.as_view(), name="me-export"),
    path("erasure/", privacy.MeErasureView.as_view(), name="me-erasure"),
]

urlpatterns = [
    path("v1/auth/token/", views.TokenView.as_view(), name="api-token"),
    path("v1/me/", include((me_urls, "api"), namespace="api-me")),
    # Namespaced so the router's names ("candidate-list" ...) never collide with the pages'.
    path("v1/", include((extra_urls + router.urls, "api"), namespace="api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, which the CSP allows (no inline script).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
