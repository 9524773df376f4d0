from __future__ import annotations

from django.urls import path

from privacy import views

# No app_name: the names are global, like the talent pages' ("me-profile", not "privacy:me-profile").
urlpatterns = [
    path("me/", views.me_profile, name="me-profile"),
    path("me/contact/", views.me_contact, name="me-contact"),
    path("me/achievements/", views.me_achievement_add, name="me-achievement-add"),
    path("me/languages/", views.me_language_add, name="me-language-add"),
    path("me/consents/", views.me_consent, name="me-consent"),
    path("me/export/", views.me_export, name="me-export"),
    path("me/erasure/", views.me_erasure, name="me-erasure"),
    path("privacy/erasure-requests/", views.ErasureQueueView.as_view(), name="erasure-queue"),
    path("privacy/erasure-requests/<int:pk>/", views.ErasureDecideView.as_view(), name="erasure-decide"),
    path("candidates/<int:pk>/consents/", views.CandidateConsentsView.as_view(), name="candidate-consents"),
    path("candidates/<int:pk>/consents/withdraw/", views.CandidateConsentWithdrawView.as_view(),
         name="candidate-consent-withdraw"),
    path("consents/<int:pk>/evidence/", views.ConsentEvidenceView.as_view(), name="consent-evidence"),
]
