"""Pages of the live parts of events (dashboard, Q&A, projector screen)."""

from __future__ import annotations

from django.urls import path

from clubs import live_views as views

urlpatterns = [
    path("events/<int:pk>/live/", views.event_live, name="event-live"),
    path("events/<int:pk>/live/state.json", views.event_live_state, name="event-live-state"),
    path("events/<int:pk>/live/code.json", views.event_live_code, name="event-live-code"),
    path("events/<int:pk>/qa/", views.event_qa, name="event-qa"),
    path("events/<int:pk>/qa/state.json", views.event_qa_state, name="event-qa-state"),
    path("events/<int:pk>/qa/screen/", views.event_qa_screen, name="event-qa-screen"),
    path("events/<int:pk>/qa/ask/", views.event_qa_ask, name="event-qa-ask"),
    path("events/<int:pk>/qa/check-in/", views.event_qa_checkin, name="event-qa-checkin"),
    path("events/<int:pk>/qa/questions/<int:qid>/vote/", views.event_qa_vote, name="event-qa-vote"),
    path("events/<int:pk>/qa/questions/<int:qid>/moderate/", views.event_qa_moderate, name="event-qa-moderate"),
]
