from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("api.urls")),
    path("", include("core.urls")),
    path("", include("privacy.urls")),
    path("", include("talent.urls")),
    path("", include("imports.urls")),
    path("", include("exams.urls")),
    path("", include("clubs.urls")),
    path("", include("scoring.urls")),
    path("", include("openings.urls")),
    path("", include("openings.funnel_urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
