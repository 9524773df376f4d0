from __future__ import annotations

from django.urls import path

from scoring import views

# No app_name: the names are global, like the talent pages' ("ranking-list", not "scoring:ranking-list").
urlpatterns = [
    path("rankings/", views.ranking_list, name="ranking-list"),
    path("rankings/run/", views.ranking_run, name="ranking-run"),
    path("rankings/jobs/<uuid:pk>/", views.ranking_job, name="ranking-job"),
    path("candidates/<int:pk>/score/", views.candidate_score, name="candidate-score"),
    path("candidates/<int:pk>/score/contest/", views.contest_open, name="candidate-contest"),
    path("me/score/", views.my_score, name="my-score"),
    path("contests/", views.contest_list, name="contest-list"),
    path("contests/<int:pk>/resolve/", views.contest_resolve, name="contest-resolve"),
    path("rubrics/", views.rubric_list, name="rubric-list"),
    path("rubrics/<slug:slug>/", views.rubric_detail, name="rubric-detail"),
    path("rubrics/<slug:slug>/draft/", views.rubric_draft, name="rubric-draft"),
    path("rubrics/<slug:slug>/preview/", views.rubric_preview, name="rubric-preview"),
    path("rubrics/<slug:slug>/versions/<int:number>/edit/", views.rubric_version_edit, name="rubric-version-edit"),
    path("rubrics/<slug:slug>/versions/<int:number>/activate/", views.rubric_version_activate,
         name="rubric-version-activate"),
    path("eligibility/", views.rule_set_list, name="rule-set-list"),
    path("eligibility/<slug:slug>/edit/", views.rule_set_edit, name="rule-set-edit"),
    path("potential-model/", views.potential_model, name="potential-model"),
    path("potential-model/train/", views.potential_model_train, name="potential-model-train"),
]
