from __future__ import annotations

from django.urls import include, path

from clubs.views import calendars, club_pages, event_pages, survey_pages

urlpatterns = [
    path("", include("clubs.live_urls")),
    # Clubs ("new" before the slug: it is a reserved slug).
    path("clubs/", club_pages.club_list, name="club-list"),
    path("clubs/new/", club_pages.club_create, name="club-create"),
    path("clubs/<slug:slug>/", club_pages.club_detail, name="club-detail"),
    path("clubs/<slug:slug>/join/", club_pages.club_join, name="club-join"),
    path("clubs/<slug:slug>/leave/", club_pages.club_leave, name="club-leave"),
    path("clubs/<slug:slug>/invite/", club_pages.club_invite, name="club-invite"),
    path("clubs/<slug:slug>/announcements/", club_pages.club_announce, name="club-announce"),
    path("clubs/<slug:slug>/members/<int:pk>/decide/", club_pages.club_membership_decide, name="club-membership-decide"),
    path("clubs/<slug:slug>/members/<int:pk>/role/", club_pages.club_membership_role, name="club-membership-role"),
    path("clubs/<slug:slug>/events.ics", calendars.club_calendar, name="club-calendar"),
    # Events
    path("events/", event_pages.event_list, name="event-list"),
    path("events/new/", event_pages.event_create, name="event-create"),
    path("events/<int:pk>/", event_pages.event_detail, name="event-detail"),
    path("events/<int:pk>.ics", calendars.event_ics, name="event-ics"),
    path("events/<int:pk>/ticket.svg", event_pages.event_ticket_qr, name="event-ticket-qr"),
    path("events/<int:pk>/register/", event_pages.event_register, name="event-register"),
    path("events/<int:pk>/unregister/", event_pages.event_unregister, name="event-unregister"),
    path("events/<int:pk>/accept-offer/", event_pages.event_offer_accept, name="event-offer-accept"),
    path("events/<int:pk>/cancel/", event_pages.event_cancel, name="event-cancel"),
    path("events/<int:pk>/check-in/", event_pages.event_check_in, name="event-check-in"),
    path("events/<int:pk>/self-check-in/", event_pages.event_self_check_in, name="event-self-check-in"),
    path("calendar/<str:token>.ics", calendars.user_calendar, name="user-calendar"),
    # Surveys
    path("surveys/", survey_pages.survey_list, name="survey-list"),
    path("surveys/new/", survey_pages.survey_create, name="survey-create"),
    path("surveys/<int:pk>/", survey_pages.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/results/", survey_pages.survey_results, name="survey-results"),
    path("surveys/<int:pk>/results.csv", survey_pages.survey_export, {"fmt": "csv"}, name="survey-export-csv"),
    path("surveys/<int:pk>/results.xlsx", survey_pages.survey_export, {"fmt": "xlsx"}, name="survey-export-xlsx"),
]
