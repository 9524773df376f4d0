from __future__ import annotations

from django.urls import include, path

from clubs import views

urlpatterns = [
    path("", include("clubs.live_urls")),
    # Clubs ("new" before the slug: it is a reserved slug).
    path("clubs/", views.club_list, name="club-list"),
    path("clubs/new/", views.club_create, name="club-create"),
    path("clubs/<slug:slug>/", views.club_detail, name="club-detail"),
    path("clubs/<slug:slug>/join/", views.club_join, name="club-join"),
    path("clubs/<slug:slug>/leave/", views.club_leave, name="club-leave"),
    path("clubs/<slug:slug>/invite/", views.club_invite, name="club-invite"),
    path("clubs/<slug:slug>/announcements/", views.club_announce, name="club-announce"),
    path("clubs/<slug:slug>/members/<int:pk>/decide/", views.club_membership_decide, name="club-membership-decide"),
    path("clubs/<slug:slug>/members/<int:pk>/role/", views.club_membership_role, name="club-membership-role"),
    path("clubs/<slug:slug>/events.ics", views.club_calendar, name="club-calendar"),
    # Events
    path("events/", views.event_list, name="event-list"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>.ics", views.event_ics, name="event-ics"),
    path("events/<int:pk>/ticket.svg", views.event_ticket_qr, name="event-ticket-qr"),
    path("events/<int:pk>/register/", views.event_register, name="event-register"),
    path("events/<int:pk>/unregister/", views.event_unregister, name="event-unregister"),
    path("events/<int:pk>/accept-offer/", views.event_offer_accept, name="event-offer-accept"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event-cancel"),
    path("events/<int:pk>/check-in/", views.event_check_in, name="event-check-in"),
    path("events/<int:pk>/self-check-in/", views.event_self_check_in, name="event-self-check-in"),
    path("calendar/<str:token>.ics", views.user_calendar, name="user-calendar"),
    # Surveys
    path("surveys/", views.survey_list, name="survey-list"),
    path("surveys/new/", views.survey_create, name="survey-create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey-results"),
    path("surveys/<int:pk>/results.csv", views.survey_export, {"fmt": "csv"}, name="survey-export-csv"),
    path("surveys/<int:pk>/results.xlsx", views.survey_export, {"fmt": "xlsx"}, name="survey-export-xlsx"),
]
