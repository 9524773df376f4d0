from __future__ import annotations

from django.urls import path

from openings import target_views, views

urlpatterns = [
    path("openings/", views.opening_list, name="opening-list"),
    path("openings/new/", views.opening_create, name="opening-create"),
    path("openings/<int:pk>/", views.opening_detail, name="opening-detail"),
    path("openings/<int:pk>/shortlist/", views.opening_shortlist_add, name="opening-shortlist-add"),
    path("openings/<int:pk>/close/", views.opening_close, name="opening-close"),
    path("openings/<int:pk>/board/", views.opening_board, name="opening-board"),
    path("openings/<int:pk>/board.xlsx", views.opening_board_export, name="opening-board-export"),
    path("openings/entries/<int:pk>/", views.entry_detail, name="entry-detail"),
    path("openings/entries/<int:pk>/move/", views.entry_move, name="entry-move"),
    path("openings/entries/<int:pk>/notes/", views.entry_note, name="entry-note"),
    path("openings/entries/<int:pk>/rating/", views.entry_rating, name="entry-rating"),
    path("placements/", views.placement_list, name="placement-list"),
    path("placements/<int:pk>/feedback/", views.placement_feedback, name="placement-feedback"),
    path("targets/", target_views.target_dashboard, name="target-dashboard"),
    path("targets/<int:pk>/adopt/", target_views.target_adopt, name="target-adopt"),
]
