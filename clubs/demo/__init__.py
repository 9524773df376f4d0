"""Demo data of the clubs app, written after the demo city (``talent.demo``) and its scoring history.

What ``seed_clubs_demo(seed)`` writes:

- the city club "CLB Cán bộ trẻ – Tài năng trẻ TP.HCM" (owned by the city Youth Union, membership by
  approval) and two university clubs (Bách khoa, open; Khoa học Tự nhiên, by approval, directory
  visible to its core team only);
- student accounts for a share of the university students of the demo city (those of the two club
  universities more often), linked to their candidate records, with no usable password: they are
  the people in the room, not logins. The demo ``student`` account joins them as a member of the
  city club;
- thirteen past events over the last thirteen months with registrations, cancellations, check-ins
  and no-shows, so that engagement points exist and the engagement criterion of the "Sinh viên xuất
  sắc" ranking spreads; four upcoming ones: a dialogue with questions sent in advance (some approved
  and voted on), a training class with a waitlist (the ``student`` account waits third in line), a
  university seminar, and a competition whose registration is not open yet;
- an announcement of the city club in its members' notification bell, the club's survey of needs and
  aspirations with responses (the ``student`` account has not answered yet), and the feedback survey
  of the last dialogue.

Everything is drawn from one ``random.Random`` seeded with ``seed``, taking candidates in id order.
Dates are relative to the day of seeding (``now``), not to ``talent.demo.AS_OF``: upcoming events
have to be upcoming, and engagement decays from today. The same seed on the same seeded city on the
same day gives the same rows; what differs between two runs is bookkeeping (row creation times) and
the secrets: ticket codes and each event's check-in secret are drawn by ``secrets`` as always.
Rows are bulk-created, in one transaction.

Two modules: ``events`` (clubs, the student accounts, memberships, events and attendance, and
``seed_clubs_demo`` itself) and ``voices`` (what members ask and hear: dialogue questions, the
announcement and the surveys).
"""
from __future__ import annotations

from clubs.demo.events import (
    BK_CLUB,
    CITY_CLUB,
    CLUB_UNIVERSITY,
    CLUBS,
    DIALOGUE_PAST,
    KHTN,
    KHTN_CLUB,
    PAST,
    UPCOMING,
    WAITLIST_EVENT,
    ClubsDemoSummary,
    ClubSpec,
    EventSpec,
    seed_clubs,
    seed_clubs_demo,
)
from clubs.demo.voices import (
    ACTIVITIES,
    ANNOUNCEMENT_TITLE,
    FEEDBACK_SURVEY,
    FEEDBACK_TEXTS,
    FIELDS,
    NEEDS_SURVEY,
    PAST_QUESTIONS,
    SUGGESTIONS,
    UPCOMING_QUESTIONS,
    WORKPLACES,
)

__all__ = [
    "ACTIVITIES", "ANNOUNCEMENT_TITLE", "BK_CLUB", "CITY_CLUB", "CLUBS", "CLUB_UNIVERSITY", "DIALOGUE_PAST",
    "FEEDBACK_SURVEY", "FEEDBACK_TEXTS", "FIELDS", "KHTN", "KHTN_CLUB", "NEEDS_SURVEY", "PAST", "PAST_QUESTIONS",
    "SUGGESTIONS", "UPCOMING", "UPCOMING_QUESTIONS", "WAITLIST_EVENT", "WORKPLACES",
    "ClubSpec", "ClubsDemoSummary", "EventSpec", "seed_clubs", "seed_clubs_demo",
]
