from __future__ import annotations

from django.urls import path

from talent import merge_views
from talent import services, views
from talent.models import Achievement, LanguageCertificate

# No app_name: the names are global ("candidate-list", not "talent:candidate-list").
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("candidates/", views.CandidateListView.as_view(), name="candidate-list"),
    path("candidates/export/", views.candidate_export, name="candidate-export"),
    path("candidates/new/", views.CandidateCreateView.as_view(), name="candidate-create"),
    path("candidates/merge-suggestions/", merge_views.MergeSuggestionListView.as_view(),
         name="merge-suggestion-list"),
    path("candidates/merge-suggestions/<int:pk>/merge/", merge_views.MergeSuggestionMergeView.as_view(),
         name="merge-suggestion-merge"),
    path("candidates/merge-suggestions/<int:pk>/dismiss/", merge_views.MergeSuggestionDismissView.as_view(),
         name="merge-suggestion-dismiss"),
    path("candidates/<int:pk>/", views.CandidateDetailView.as_view(), name="candidate-detail"),
    path("candidates/<int:pk>/edit/", views.CandidateUpdateView.as_view(), name="candidate-edit"),
    path("candidates/<int:pk>/advance/", views.CandidateAdvanceView.as_view(), name="candidate-advance"),
    path("candidates/<int:pk>/pools/", views.PoolMembershipView.as_view(), name="candidate-pools"),
    path("achievements/<int:pk>/verify/", views.RecordVerifyView.as_view(
        model=Achievement, service=services.achievement_verify, keyword="achievement"), name="achievement-verify"),
    path("languages/<int:pk>/verify/", views.RecordVerifyView.as_view(
        model=LanguageCertificate, service=services.language_certificate_verify, keyword="certificate"),
        name="language-verify"),
    path("pools/", views.PoolListView.as_view(), name="pool-list"),
    path("pools/<int:pk>/", views.PoolDetailView.as_view(), name="pool-detail"),
]
