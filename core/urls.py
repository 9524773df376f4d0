from __future__ import annotations

from django.urls import path

from core import notification_views, views

urlpatterns = [
    path("jobs/<uuid:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<uuid:pk>/cancel/", views.job_cancel_view, name="job-cancel"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job-download"),
    path("notifications/", notification_views.notification_list, name="notification-list"),
    path("notifications/unread.json", notification_views.notification_unread, name="notification-unread"),
    path("notifications/bell.json", notification_views.notification_bell, name="notification-bell"),
    path("notifications/read-all/", notification_views.notification_read_all, name="notification-read-all"),
    path("notifications/<int:pk>/read/", notification_views.notification_read, name="notification-read"),
]
