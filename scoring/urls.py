from __future__ import annotations

from django.urls import path

from scoring.views import model_card, rankings, rubrics, scores

# No app_name: the names are global, like the talent pages' ("ranking-list", not "scoring:ranking-list").
urlpatterns = [
    path("rankings/", rankings.ranking_list, name="ranking-list"),
    path("rankings/run/", rankings.ranking_run, name="ranking-run"),
    path("rankings/export/", rankings.ranking_export, name="ranking-export"),
    path("rankings/jobs/<uuid:pk>/", rankings.ranking_job, name="ranking-job"),
    path("candidates/<int:pk>/score/", scores.candidate_score, name="candidate-score"),
    path("candidates/<int:pk>/score/contest/", scores.contest_open, name="candidate-contest"),
    path("me/score/", scores.my_score, name="my-score"),
    path("contests/", scores.contest_list, name="contest-list"),
    path("contests/<int:pk>/resolve/", scores.contest_resolve, name="contest-resolve"),
    path("rubrics/", rubrics.rubric_list, name="rubric-list"),
    path("rubrics/<slug:slug>/", rubrics.rubric_detail, name="rubric-detail"),
    path("rubrics/<slug:slug>/draft/", rubrics.rubric_draft, name="rubric-draft"),
    path("rubrics/<slug:slug>/preview/", rubrics.rubric_preview, name="rubric-preview"),
    path("rubrics/<slug:slug>/versions/<int:number>/edit/", rubrics.rubric_version_edit, name="rubric-version-edit"),
    path("rubrics/<slug:slug>/versions/<int:number>/activate/", rubrics.rubric_version_activate,
         name="rubric-version-activate"),
    path("eligibility/", rubrics.rule_set_list, name="rule-set-list"),
    path("eligibility/<slug:slug>/edit/", rubrics.rule_set_edit, name="rule-set-edit"),
    path("potential-model/", model_card.potential_model, name="potential-model"),
    path("potential-model/train/", model_card.potential_model_train, name="potential-model-train"),
]
