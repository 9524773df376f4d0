from __future__ import annotations

from django.urls import path

from succession import grid_views, review_views, rotation_views, views

urlpatterns = [
    path("succession/", views.bench, name="succession-bench"),
    path("succession/bench.xlsx", views.bench_export, name="succession-bench-export"),
    path("succession/plans/<int:pk>/", views.plan_detail, name="succession-plan"),
    path("succession/plans/<int:pk>/nine-box/", grid_views.plan_ninebox, name="succession-ninebox"),
    path("succession/pools/<int:pk>/nine-box/", grid_views.pool_ninebox, name="succession-pool-ninebox"),
    path("succession/members/<int:pk>/approve/", views.member_approve, name="succession-member-approve"),
    path("succession/members/<int:pk>/remove/", views.member_remove, name="succession-member-remove"),
    path("succession/positions/", views.position_list, name="succession-positions"),
    path("succession/rotation/", rotation_views.rotation_page, name="succession-rotation"),
    path("succession/rotation/<int:pk>/", rotation_views.rotation_act, name="succession-rotation-act"),
    path("succession/fast-track/", rotation_views.fast_track, name="succession-fast-track"),
    path("succession/forecast/", views.vacancy_forecast, name="succession-forecast"),
    path("succession/people/", views.people_search, name="succession-people"),
    path("succession/reviews/", review_views.review_list, name="succession-reviews"),
    path("succession/reviews/export.xlsx", review_views.review_export, name="succession-reviews-export"),
    path("succession/reviews/<int:pk>/", review_views.review_detail, name="succession-review"),
    path("succession/reviews/<int:pk>/decide/", review_views.review_decide, name="succession-review-decide"),
    path("succession/reviews/<int:pk>/sign/", review_views.review_sign, name="succession-review-sign"),
    path("succession/reviews/<int:pk>/report/", review_views.review_report, name="succession-review-report"),
    path("succession/positions/<int:pk>/plan/", views.plan_create, name="succession-plan-create"),
]
