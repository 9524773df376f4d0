from __future__ import annotations

from django.urls import path

from evaluation import views

urlpatterns = [
    path("evaluations/", views.cycle_list, name="evaluation-list"),
    path("evaluations/mine/", views.mine, name="evaluation-mine"),
    path("evaluations/rollup/", views.rollup, name="evaluation-rollup"),
    path("evaluations/<int:pk>/", views.cycle_detail, name="evaluation-detail"),
    path("evaluations/<int:pk>/rate/<int:candidate>/", views.rate, name="evaluation-rate"),
]
