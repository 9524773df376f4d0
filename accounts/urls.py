from __future__ import annotations

from django.urls import path

from accounts import views

# No app_name: the names are global, like the talent pages' ("user-list", "audit-log").
urlpatterns = [
    path("accounts/users/", views.UserListView.as_view(), name="user-list"),
    path("accounts/users/new/", views.UserCreateView.as_view(), name="user-create"),
    path("accounts/users/<int:pk>/active/", views.UserSetActiveView.as_view(), name="user-set-active"),
    path("audit/", views.AuditLogView.as_view(), name="audit-log"),
]
