from __future__ import annotations

from django.urls import path

from training import views

urlpatterns = [
    path("training/", views.course_list, name="training-courses"),
    path("training/compliance/", views.compliance, name="training-compliance"),
    path("training/<int:pk>/", views.course_detail, name="training-course"),
    path("training/attraction/", views.attraction, name="training-attraction"),
    path("training/budgets/", views.budgets, name="training-budgets"),
    path("training/budgets.xlsx", views.budgets_export, name="training-budgets-export"),
]
