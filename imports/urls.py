from __future__ import annotations

from django.urls import path

from imports import views

urlpatterns = [
    path("imports/", views.ImportListView.as_view(), name="import-list"),
    path("imports/template.xlsx", views.ImportTemplateView.as_view(), name="import-template"),
    path("imports/<uuid:pk>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<uuid:pk>/commit/", views.ImportCommitView.as_view(), name="import-commit"),
    path("imports/<uuid:pk>/cancel/", views.ImportCancelView.as_view(), name="import-cancel"),
    path("imports/<uuid:pk>/errors.csv", views.import_error_report_csv, name="import-errors-csv"),
    path("imports/<uuid:pk>/errors.xlsx", views.import_error_report_xlsx, name="import-errors-xlsx"),
]
