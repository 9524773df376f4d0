from __future__ import annotations

from django.urls import path

from core import views

urlpatterns = [
    path("jobs/<uuid:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<uuid:pk>/cancel/", views.job_cancel_view, name="job-cancel"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job-download"),
]
