from __future__ import annotations

from django.urls import path

from exams import views

urlpatterns = [
    path("exams/top/", views.exam_top, name="exam-top"),
]
