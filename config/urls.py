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
    path("", include("succession.urls")),
    path("", include("evaluation.urls")),
    path("", include("training.urls")),
    path("", include("scoring.urls")),
    path("", include("openings.urls")),
    path("", include("openings.funnel_urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# The app's own error pages (config/errors.py), in the reader's language; DEBUG off never shows Django's.
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
