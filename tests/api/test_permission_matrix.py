"""The API's permission matrix: every route × every role × each method, with the status it must answer.

One world is built per module, inside a transaction rolled back at the end; each role's request
runs in its own savepoint, so what one request writes is gone before the next. ``MATRIX`` below is
the table to audit: one row per (route, method, case) and one expected status per role. The cases are

- ``LIST``: a route without an object (a collection, ``/me/…``, the schema);
- ``IN``: the object is in the caller's scope (``SCOPE`` names it per role); for a POST to a
  collection, the related id in the body (organization, candidate, parent) is in scope;
- ``OUT``: the object is outside the caller's scope (for an administrator: an id that does not exist);
- ``REL_OUT``: the object is in scope but the body names a related record outside it (creating or
  moving a record into someone else's organization): refused as if that id did not exist, 400.

A method a route does not route answers 405 (after authentication and the endpoint's role check).
The rules behind the numbers (DESIGN §2, §5 and the issue): out-of-scope objects answer 404, never
403; a role that may not act on an object it can see gets 403; endpoints for administrators only
(accounts, the audit log) answer 403 to everyone else, whatever the object.

``test_every_route_has_matrix_rows`` walks the URLconf, so a new endpoint without rows fails.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, Callable

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.services import user_create
from api import urls as api_urls
from clubs.services import (
    club_create,
    club_join,
    event_create,
    event_register,
    membership_decide,
    notify,
    registration_cancel,
    rotating_code,
)
from core.models import AuditEvent, Job
from core.tasking import run_job
from exams.models import ExamResult
from imports.models import ImportBatch
from imports.services import import_start
from openings.models import FEEDBACK_CRITERIA, Placement, ShortlistEntry
from openings.services import entry_move, opening_close, opening_create, shortlist_add
from privacy.models import Consent, ErasureRequest
from privacy.services import consent_set_own
from scoring.models import Rubric
from scoring.services import cohort_parse, score_run_execute
from evaluation.services import assign, cycle_create, cycle_open
from training.services import course_create, payment_record
from succession.models import PositionStandard
from succession.services import member_propose, plan_create, position_create
from talent import services
from talent.models import MergeSuggestion, Organization, Role
from tests.factories import make_candidate, make_org, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-ma-tran-2026"
MISSING = 999_999  # an id that exists for nobody: what an administrator's "out of scope" is
MISSING_JOB = uuid.UUID("00000000-0000-4000-8000-000000000000")

ROLES = ("anonymous", "admin", "officer", "liaison", "recruiter", "student")
LIST, IN, OUT, REL_OUT = "list", "in", "out", "rel_out"

# fmt: off
# (route name, method, case,       anonymous, admin, officer, liaison, recruiter, student)
MATRIX: list[tuple[str, str, str, int, int, int, int, int, int]] = [
    # --- Organizations: staff create units under a parent in their scope ---------------------------
    ("organization-list",          "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("organization-list",          "POST",   IN,      401, 201, 201, 201, 403, 403),
    ("organization-list",          "POST",   REL_OUT, 401, 400, 400, 400, 400, 400),
    ("organization-list",          "PUT",    LIST,    401, 405, 405, 405, 405, 405),
    ("organization-detail",        "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("organization-detail",        "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("organization-detail",        "PATCH",  IN,      401, 405, 405, 405, 405, 405),
    ("organization-detail",        "DELETE", IN,      401, 405, 405, 405, 405, 405),
    # --- Candidates ----------------------------------------------------------------------------------
    ("candidate-list",             "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("candidate-list",             "POST",   IN,      401, 201, 201, 201, 403, 403),
    ("candidate-list",             "POST",   REL_OUT, 401, 400, 400, 400, 400, 400),
    ("candidate-list",             "DELETE", LIST,    401, 405, 405, 405, 405, 405),
    ("candidate-detail",           "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("candidate-detail",           "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("candidate-detail",           "PATCH",  IN,      401, 200, 200, 200, 403, 403),
    ("candidate-detail",           "PATCH",  OUT,     401, 404, 404, 404, 404, 404),
    ("candidate-detail",           "PATCH",  REL_OUT, 401, 400, 400, 400, 400, 400),
    ("candidate-detail",           "PUT",    IN,      401, 405, 405, 405, 405, 405),
    ("candidate-detail",           "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("candidate-export",           "POST",   LIST,    401, 202, 202, 202, 202, 202),
    ("candidate-export",           "GET",    LIST,    401, 405, 405, 405, 405, 405),
    ("candidate-advance",          "POST",   IN,      401, 200, 200, 200, 403, 403),
    ("candidate-advance",          "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("candidate-advance",          "GET",    IN,      401, 405, 405, 405, 405, 405),
    ("candidate-history",          "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("candidate-history",          "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("candidate-history",          "POST",   IN,      401, 405, 405, 405, 405, 405),
    ("candidate-consents",         "GET",    IN,      401, 200, 200, 200, 403, 403),
    ("candidate-consents",         "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("candidate-consents",         "POST",   IN,      401, 201, 201, 201, 403, 403),
    ("candidate-consents",         "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("candidate-consents",         "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("candidate-withdraw-consent", "POST",   IN,      401, 200, 200, 200, 403, 403),
    ("candidate-withdraw-consent", "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("candidate-withdraw-consent", "GET",    IN,      401, 405, 405, 405, 405, 405),
    # A breakdown follows the record's scope (a student reads their own); contesting a record is for
    # the person themselves and staff in scope, not for a recruiter who can see it.
    ("candidate-score",            "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("candidate-score",            "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("candidate-score",            "POST",   IN,      401, 405, 405, 405, 405, 405),
    ("candidate-contest",          "POST",   IN,      401, 201, 201, 201, 403, 201),
    ("candidate-contest",          "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("candidate-contest",          "GET",    IN,      401, 405, 405, 405, 405, 405),
    # --- Records of a candidate: a student adds achievements and languages (pending), not education -
    ("educationrecord-list",       "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("educationrecord-list",       "POST",   IN,      401, 201, 201, 201, 403, 403),
    ("educationrecord-list",       "POST",   REL_OUT, 401, 400, 400, 400, 400, 400),
    ("educationrecord-list",       "DELETE", LIST,    401, 405, 405, 405, 405, 405),
    ("educationrecord-detail",     "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("educationrecord-detail",     "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("educationrecord-detail",     "PATCH",  IN,      401, 405, 405, 405, 405, 405),
    ("educationrecord-detail",     "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("achievement-list",           "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("achievement-list",           "POST",   IN,      401, 201, 201, 201, 403, 201),
    ("achievement-list",           "POST",   REL_OUT, 401, 400, 400, 400, 400, 400),
    ("achievement-list",           "DELETE", LIST,    401, 405, 405, 405, 405, 405),
    ("achievement-detail",         "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("achievement-detail",         "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("achievement-detail",         "PATCH",  IN,      401, 405, 405, 405, 405, 405),
    ("achievement-detail",         "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("achievement-verify",         "POST",   IN,      401, 200, 200, 200, 403, 403),
    ("achievement-verify",         "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("achievement-verify",         "GET",    IN,      401, 405, 405, 405, 405, 405),
    ("languagecertificate-list",   "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("languagecertificate-list",   "POST",   IN,      401, 201, 201, 201, 403, 201),
    ("languagecertificate-list",   "POST",   REL_OUT, 401, 400, 400, 400, 400, 400),
    ("languagecertificate-list",   "DELETE", LIST,    401, 405, 405, 405, 405, 405),
    ("languagecertificate-detail", "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("languagecertificate-detail", "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("languagecertificate-detail", "PATCH",  IN,      401, 405, 405, 405, 405, 405),
    ("languagecertificate-detail", "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("languagecertificate-verify", "POST",   IN,      401, 200, 200, 200, 403, 403),
    ("languagecertificate-verify", "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("languagecertificate-verify", "GET",    IN,      401, 405, 405, 405, 405, 405),
    # --- Pools: recruiters read the pools shared with their agency; students see no pool --------------
    ("talentpool-list",            "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("talentpool-list",            "POST",   IN,      401, 201, 201, 201, 403, 403),
    ("talentpool-list",            "POST",   REL_OUT, 401, 400, 400, 400, 400, 400),
    ("talentpool-list",            "DELETE", LIST,    401, 405, 405, 405, 405, 405),
    ("talentpool-detail",          "GET",    IN,      401, 200, 200, 200, 200, 404),
    ("talentpool-detail",          "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("talentpool-detail",          "PATCH",  IN,      401, 405, 405, 405, 405, 405),
    ("talentpool-detail",          "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("talentpool-members",         "GET",    IN,      401, 200, 200, 200, 200, 404),
    ("talentpool-members",         "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("talentpool-members",         "POST",   IN,      401, 201, 201, 201, 403, 404),
    ("talentpool-members",         "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("talentpool-members",         "POST",   REL_OUT, 401, 400, 400, 400, 400, 404),
    ("talentpool-members",         "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("talentpool-remove-member",   "DELETE", IN,      401, 204, 204, 204, 403, 404),
    ("talentpool-remove-member",   "DELETE", OUT,     401, 404, 404, 404, 404, 404),
    ("talentpool-remove-member",   "GET",    IN,      401, 405, 405, 405, 405, 405),
    # --- Jobs belong to whoever started them (administrators see all) ------------------------------------
    ("job-list",                   "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("job-list",                   "POST",   LIST,    401, 405, 405, 405, 405, 405),
    ("job-detail",                 "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("job-detail",                 "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("job-detail",                 "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("job-cancel",                 "POST",   IN,      401, 200, 200, 200, 200, 200),
    ("job-cancel",                 "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("job-cancel",                 "GET",    IN,      401, 405, 405, 405, 405, 405),
    # --- Accounts: administrators only; 403 for everyone else, whatever the object ----------------------
    ("user-list",                  "GET",    LIST,    401, 200, 403, 403, 403, 403),
    ("user-list",                  "POST",   IN,      401, 201, 403, 403, 403, 403),
    ("user-list",                  "POST",   REL_OUT, 401, 400, 403, 403, 403, 403),
    ("user-list",                  "DELETE", LIST,    401, 405, 403, 403, 403, 403),
    ("user-detail",                "GET",    IN,      401, 200, 403, 403, 403, 403),
    ("user-detail",                "GET",    OUT,     401, 404, 403, 403, 403, 403),
    ("user-detail",                "PATCH",  IN,      401, 405, 403, 403, 403, 403),
    ("user-detail",                "DELETE", IN,      401, 405, 403, 403, 403, 403),
    ("user-deactivate",            "POST",   IN,      401, 200, 403, 403, 403, 403),
    ("user-deactivate",            "POST",   OUT,     401, 404, 403, 403, 403, 403),
    ("user-deactivate",            "GET",    IN,      401, 405, 403, 403, 403, 403),
    ("user-activate",              "POST",   IN,      401, 200, 403, 403, 403, 403),
    ("user-activate",              "POST",   OUT,     401, 404, 403, 403, 403, 403),
    ("user-activate",              "GET",    IN,      401, 405, 403, 403, 403, 403),
    # --- The audit log: administrators only, and append-only even for them --------------------------------
    ("auditevent-list",            "GET",    LIST,    401, 200, 403, 403, 403, 403),
    ("auditevent-list",            "POST",   LIST,    401, 405, 403, 403, 403, 403),
    ("auditevent-detail",          "GET",    IN,      401, 200, 403, 403, 403, 403),
    ("auditevent-detail",          "GET",    OUT,     401, 404, 403, 403, 403, 403),
    ("auditevent-detail",          "DELETE", IN,      401, 405, 403, 403, 403, 403),
    ("auditevent-detail",          "PATCH",  IN,      401, 405, 403, 403, 403, 403),
    # --- Erasure requests: officers in scope decide; liaisons and recruiters see none; a student sees
    #     their own but cannot decide it ------------------------------------------------------------------
    ("erasurerequest-list",        "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("erasurerequest-list",        "POST",   LIST,    401, 405, 405, 405, 405, 405),
    ("erasurerequest-detail",      "GET",    IN,      401, 200, 200, 404, 404, 200),
    ("erasurerequest-detail",      "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("erasurerequest-detail",      "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("erasurerequest-approve",     "POST",   IN,      401, 200, 200, 404, 404, 403),
    ("erasurerequest-approve",     "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("erasurerequest-approve",     "GET",    IN,      401, 405, 405, 405, 405, 405),
    ("erasurerequest-reject",      "POST",   IN,      401, 200, 200, 404, 404, 403),
    ("erasurerequest-reject",      "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("erasurerequest-reject",      "GET",    IN,      401, 405, 405, 405, 405, 405),
    # --- Imports, exam results and merge suggestions: staff only (403 for recruiters and students,
    #     whatever the object); an import belongs to whoever started it (administrators see all) -------
    ("importbatch-list",           "GET",    LIST,    401, 200, 200, 200, 403, 403),
    ("importbatch-list",           "POST",   IN,      401, 202, 202, 202, 403, 403),
    ("importbatch-list",           "POST",   REL_OUT, 401, 400, 400, 400, 403, 403),
    ("importbatch-list",           "DELETE", LIST,    401, 405, 405, 405, 403, 403),
    ("importbatch-detail",         "GET",    IN,      401, 200, 200, 200, 403, 403),
    ("importbatch-detail",         "GET",    OUT,     401, 404, 404, 404, 403, 403),
    ("importbatch-detail",         "DELETE", IN,      401, 405, 405, 405, 403, 403),
    ("importbatch-commit",         "POST",   IN,      401, 202, 202, 202, 403, 403),
    ("importbatch-commit",         "POST",   OUT,     401, 404, 404, 404, 403, 403),
    ("importbatch-commit",         "GET",    IN,      401, 405, 405, 405, 403, 403),
    ("importbatch-cancel",         "POST",   IN,      401, 200, 200, 200, 403, 403),
    ("importbatch-cancel",         "POST",   OUT,     401, 404, 404, 404, 403, 403),
    ("importbatch-cancel",         "GET",    IN,      401, 405, 405, 405, 403, 403),
    ("importbatch-error-report",   "GET",    IN,      401, 200, 200, 200, 403, 403),
    ("importbatch-error-report",   "GET",    OUT,     401, 404, 404, 404, 403, 403),
    ("importbatch-error-report",   "POST",   IN,      401, 405, 405, 405, 403, 403),
    ("examresult-list",            "GET",    LIST,    401, 200, 200, 200, 403, 403),
    ("examresult-list",            "POST",   LIST,    401, 405, 405, 405, 403, 403),
    ("examresult-detail",          "GET",    IN,      401, 200, 200, 200, 403, 403),
    ("examresult-detail",          "GET",    OUT,     401, 404, 404, 404, 403, 403),
    ("examresult-detail",          "DELETE", IN,      401, 405, 405, 405, 403, 403),
    ("examresult-top",             "GET",    LIST,    401, 200, 200, 200, 403, 403),
    ("examresult-top",             "POST",   LIST,    401, 405, 405, 405, 403, 403),
    # A merge suggestion is visible to those who can see both of its records.
    ("mergesuggestion-list",       "GET",    LIST,    401, 200, 200, 200, 403, 403),
    ("mergesuggestion-list",       "POST",   LIST,    401, 405, 405, 405, 403, 403),
    ("mergesuggestion-detail",     "GET",    IN,      401, 200, 200, 200, 403, 403),
    ("mergesuggestion-detail",     "GET",    OUT,     401, 404, 404, 404, 403, 403),
    ("mergesuggestion-detail",     "DELETE", IN,      401, 405, 405, 405, 403, 403),
    ("mergesuggestion-merge",      "POST",   IN,      401, 200, 200, 200, 403, 403),
    ("mergesuggestion-merge",      "POST",   OUT,     401, 404, 404, 404, 403, 403),
    ("mergesuggestion-merge",      "GET",    IN,      401, 405, 405, 405, 403, 403),
    ("mergesuggestion-dismiss",    "POST",   IN,      401, 200, 200, 200, 403, 403),
    ("mergesuggestion-dismiss",    "POST",   OUT,     401, 404, 404, 404, 403, 403),
    ("mergesuggestion-dismiss",    "GET",    IN,      401, 405, 405, 405, 403, 403),
    # --- Scoring: rubrics are read by everyone signed in; rankings by staff and recruiters (who get only
    #     the rows of people shared with them), never by students; the fairness audit and score runs are
    #     staff only (403 for recruiters and students, whatever the object) ------------------------------
    ("rubric-list",                "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("rubric-list",                "POST",   LIST,    401, 405, 405, 405, 405, 405),
    ("rubric-detail",              "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("rubric-detail",              "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("rubric-detail",              "PATCH",  IN,      401, 405, 405, 405, 405, 405),
    ("ranking-list",               "GET",    LIST,    401, 200, 200, 200, 200, 403),
    ("ranking-list",               "POST",   LIST,    401, 405, 405, 405, 405, 403),
    ("ranking-fairness",           "GET",    LIST,    401, 200, 200, 200, 403, 403),
    ("ranking-fairness",           "POST",   LIST,    401, 405, 405, 405, 403, 403),
    # POST names a cohort: the caller's own unit (IN) or a unit outside their scope (REL_OUT, 400).
    ("scorerun-list",              "GET",    LIST,    401, 200, 200, 200, 403, 403),
    ("scorerun-list",              "POST",   IN,      401, 202, 202, 202, 403, 403),
    ("scorerun-list",              "POST",   REL_OUT, 401, 400, 400, 400, 403, 403),
    ("scorerun-list",              "DELETE", LIST,    401, 405, 405, 405, 403, 403),
    ("scorerun-detail",            "GET",    IN,      401, 200, 200, 200, 403, 403),
    ("scorerun-detail",            "GET",    OUT,     401, 404, 404, 404, 403, 403),
    ("scorerun-detail",            "DELETE", IN,      401, 405, 405, 405, 403, 403),
    # --- Clubs: every signed-in person finds and joins them; staff create them for units in their scope;
    #     the directory is for members (this club opens it to members) and managers; announcements are
    #     posted by managers and read by members. The student is a member; a pending request waits. -----
    ("club-list",                  "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("club-list",                  "POST",   IN,      401, 201, 201, 201, 403, 403),
    ("club-list",                  "POST",   REL_OUT, 401, 400, 400, 400, 400, 400),
    ("club-list",                  "DELETE", LIST,    401, 405, 405, 405, 405, 405),
    ("club-detail",                "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("club-detail",                "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("club-detail",                "PATCH",  IN,      401, 405, 405, 405, 405, 405),
    ("club-detail",                "DELETE", IN,      401, 405, 405, 405, 405, 405),
    # Joining an approval club queues a request (the student, already a member, stays one).
    ("club-join",                  "POST",   IN,      401, 200, 200, 200, 200, 200),
    ("club-join",                  "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("club-join",                  "GET",    IN,      401, 405, 405, 405, 405, 405),
    ("club-leave",                 "POST",   IN,      401, 400, 400, 400, 400, 200),
    ("club-leave",                 "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("club-leave",                 "GET",    IN,      401, 405, 405, 405, 405, 405),
    ("club-members",               "GET",    IN,      401, 200, 200, 200, 403, 200),
    ("club-members",               "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("club-members",               "POST",   IN,      401, 405, 405, 405, 405, 405),
    # The pending request: the recruiter cannot see it (404); the member sees it and may not decide (403).
    ("club-decide-membership",     "POST",   IN,      401, 200, 200, 200, 404, 403),
    ("club-decide-membership",     "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("club-decide-membership",     "GET",    IN,      401, 405, 405, 405, 405, 405),
    ("club-announcements",         "GET",    IN,      401, 200, 200, 200, 403, 200),
    ("club-announcements",         "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("club-announcements",         "POST",   IN,      401, 201, 201, 201, 403, 403),
    ("club-announcements",         "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("club-announcements",         "DELETE", IN,      401, 405, 405, 405, 405, 405),
    # --- Events: found by everyone; staff create them for units in their scope (club managers for their
    #     club); anyone signed in registers for an "anyone" event. The student holds a ticket (and, on
    #     the offer event, an offer); organizers are the staff over the organizing university. -----------
    ("event-list",                 "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("event-list",                 "POST",   IN,      401, 201, 201, 201, 403, 403),
    ("event-list",                 "POST",   REL_OUT, 401, 400, 400, 400, 400, 400),
    ("event-list",                 "DELETE", LIST,    401, 405, 405, 405, 405, 405),
    ("event-detail",               "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("event-detail",               "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("event-detail",               "PATCH",  IN,      401, 405, 405, 405, 405, 405),
    ("event-detail",               "DELETE", IN,      401, 405, 405, 405, 405, 405),
    # 201 for a new registration, 200 for the one the student already has.
    ("event-register",             "POST",   IN,      401, 201, 201, 201, 201, 200),
    ("event-register",             "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("event-register",             "GET",    IN,      401, 405, 405, 405, 405, 405),
    # The caller's own registration: none (404) but the student's.
    ("event-registration",         "GET",    IN,      401, 404, 404, 404, 404, 200),
    ("event-registration",         "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("event-registration",         "POST",   IN,      401, 405, 405, 405, 405, 405),
    ("event-cancel",               "POST",   IN,      401, 404, 404, 404, 404, 200),
    ("event-cancel",               "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("event-cancel",               "GET",    IN,      401, 405, 405, 405, 405, 405),
    ("event-cancel-event",         "POST",   IN,      401, 200, 200, 200, 403, 403),
    ("event-cancel-event",         "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("event-cancel-event",         "GET",    IN,      401, 405, 405, 405, 405, 405),
    ("event-accept-offer",         "POST",   IN,      401, 404, 404, 404, 404, 200),
    ("event-accept-offer",         "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("event-accept-offer",         "GET",    IN,      401, 405, 405, 405, 405, 405),
    # Organizers send the student's ticket code; the others the code on the room's screen: the student
    # checks in, the recruiter (not registered) is told so (400).
    ("event-check-in",             "POST",   IN,      401, 200, 200, 200, 400, 200),
    ("event-check-in",             "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("event-check-in",             "GET",    IN,      401, 405, 405, 405, 405, 405),
    ("event-attendance",           "GET",    IN,      401, 200, 200, 200, 403, 403),
    ("event-attendance",           "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("event-attendance",           "POST",   IN,      401, 405, 405, 405, 405, 405),
    # --- The notification bell: one's own ---------------------------------------------------------------
    ("notification-list",          "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("notification-list",          "POST",   LIST,    401, 405, 405, 405, 405, 405),
    ("notification-read",          "POST",   LIST,    401, 200, 200, 200, 200, 200),
    ("notification-read",          "GET",    LIST,    401, 405, 405, 405, 405, 405),
    # --- Openings: open positions are found by everyone; closed ones only by their managers. Their agency
    #     (recruiters for theirs, Youth Union staff for units in their scope, administrators for all) sees
    #     the matches, runs the board and closes them; anyone else who sees the opening gets 403. -----------
    ("opening-list",               "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("opening-list",               "POST",   IN,      401, 201, 201, 201, 201, 403),
    ("opening-list",               "POST",   REL_OUT, 401, 400, 400, 400, 400, 400),
    ("opening-list",               "DELETE", LIST,    401, 405, 405, 405, 405, 405),
    ("opening-detail",             "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("opening-detail",             "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("opening-detail",             "PATCH",  IN,      401, 405, 405, 405, 405, 405),
    ("opening-detail",             "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("opening-close",              "POST",   IN,      401, 200, 200, 200, 200, 403),
    ("opening-close",              "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("opening-close",              "GET",    IN,      401, 405, 405, 405, 405, 405),
    ("opening-matches",            "GET",    IN,      401, 200, 200, 200, 200, 403),
    ("opening-matches",            "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("opening-matches",            "POST",   IN,      401, 405, 405, 405, 405, 405),
    # POST names a candidate the caller sees and who is not on the board yet (IN), or one they may not
    # see (REL_OUT: 400, as an id that does not exist); the student is refused first (403).
    ("opening-shortlist",          "GET",    IN,      401, 200, 200, 200, 200, 403),
    ("opening-shortlist",          "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("opening-shortlist",          "POST",   IN,      401, 201, 201, 201, 201, 403),
    ("opening-shortlist",          "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("opening-shortlist",          "POST",   REL_OUT, 401, 400, 400, 400, 400, 403),
    ("opening-shortlist",          "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("opening-shortlist-xlsx",     "GET",    IN,      401, 200, 200, 200, 200, 403),
    ("opening-shortlist-xlsx",     "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("opening-shortlist-xlsx",     "POST",   IN,      401, 405, 405, 405, 405, 405),
    # A card is seen by the board's managers who may see the person; the student sees their own card
    # exists but reads none of the agency's notes or ratings, and moves nothing (403).
    ("shortlistentry-detail",      "GET",    IN,      401, 200, 200, 200, 200, 403),
    ("shortlistentry-detail",      "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("shortlistentry-detail",      "PATCH",  IN,      401, 405, 405, 405, 405, 405),
    ("shortlistentry-move",        "POST",   IN,      401, 200, 200, 200, 200, 403),
    ("shortlistentry-move",        "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("shortlistentry-move",        "GET",    IN,      401, 405, 405, 405, 405, 405),
    ("shortlistentry-rate",        "POST",   IN,      401, 200, 200, 200, 200, 403),
    ("shortlistentry-rate",        "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("shortlistentry-rate",        "GET",    IN,      401, 405, 405, 405, 405, 405),
    ("shortlistentry-notes",       "POST",   IN,      401, 201, 201, 201, 201, 403),
    ("shortlistentry-notes",       "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("shortlistentry-notes",       "GET",    IN,      401, 405, 405, 405, 405, 405),
    # Placements: the agency's managers, the mentor and the intern see one; the intern may not rate it.
    ("placement-list",             "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("placement-list",             "POST",   LIST,    401, 405, 405, 405, 405, 405),
    ("placement-detail",           "GET",    IN,      401, 200, 200, 200, 200, 200),
    ("placement-detail",           "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("placement-detail",           "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("placement-feedback",         "POST",   IN,      401, 201, 201, 201, 201, 403),
    ("placement-feedback",         "POST",   OUT,     401, 404, 404, 404, 404, 404),
    ("placement-feedback",         "GET",    IN,      401, 405, 405, 405, 405, 405),
    # Targets: staff only (403 for recruiters and students before anything else).
    ("target-list",                "GET",    LIST,    401, 200, 200, 200, 403, 403),
    ("target-list",                "POST",   LIST,    401, 405, 405, 405, 403, 403),
    # --- Succession planning: administrators, personnel officers (tests/succession/test_roles.py) and Youth
    #     Union officers, in their subtree; 403 for liaisons, recruiters and students before any lookup.
    #     Officers only propose (403 on creating, approving, removing). Proposing names a person the caller
    #     sees (IN) or one they may not see (REL_OUT: 400, as an id that does not exist). ------------------
    ("position-list",              "GET",    LIST,    401, 200, 200, 403, 403, 403),
    ("position-list",              "POST",   IN,      401, 201, 403, 403, 403, 403),
    ("position-list",              "POST",   REL_OUT, 401, 400, 403, 403, 403, 403),
    ("position-list",              "DELETE", LIST,    401, 405, 405, 403, 403, 403),
    ("position-detail",            "GET",    IN,      401, 200, 200, 403, 403, 403),
    ("position-detail",            "GET",    OUT,     401, 404, 404, 403, 403, 403),
    ("position-detail",            "PATCH",  IN,      401, 405, 405, 403, 403, 403),
    ("successionplan-list",        "GET",    LIST,    401, 200, 200, 403, 403, 403),
    ("successionplan-list",        "POST",   IN,      401, 201, 403, 403, 403, 403),
    ("successionplan-list",        "POST",   REL_OUT, 401, 400, 403, 403, 403, 403),
    ("successionplan-list",        "DELETE", LIST,    401, 405, 405, 403, 403, 403),
    ("successionplan-detail",      "GET",    IN,      401, 200, 200, 403, 403, 403),
    ("successionplan-detail",      "GET",    OUT,     401, 404, 404, 403, 403, 403),
    ("successionplan-detail",      "DELETE", IN,      401, 405, 405, 403, 403, 403),
    ("successionplan-members",     "GET",    IN,      401, 200, 200, 403, 403, 403),
    ("successionplan-members",     "GET",    OUT,     401, 404, 404, 403, 403, 403),
    ("successionplan-members",     "POST",   IN,      401, 201, 201, 403, 403, 403),
    ("successionplan-members",     "POST",   OUT,     401, 404, 404, 403, 403, 403),
    ("successionplan-members",     "POST",   REL_OUT, 401, 400, 400, 403, 403, 403),
    ("successionplan-members",     "DELETE", IN,      401, 405, 405, 403, 403, 403),
    ("successionplan-approve",     "POST",   IN,      401, 200, 403, 403, 403, 403),
    ("successionplan-approve",     "POST",   OUT,     401, 404, 403, 403, 403, 403),
    ("successionplan-approve",     "GET",    IN,      401, 405, 405, 403, 403, 403),
    ("successionplan-remove",      "POST",   IN,      401, 200, 403, 403, 403, 403),
    ("successionplan-remove",      "POST",   OUT,     401, 404, 403, 403, 403, 403),
    ("successionplan-remove",      "GET",    IN,      401, 405, 405, 403, 403, 403),
    ("successionplan-nine-box",    "GET",    IN,      401, 200, 200, 403, 403, 403),
    ("successionplan-nine-box",    "GET",    OUT,     401, 404, 404, 403, 403, 403),
    ("successionplan-nine-box",    "POST",   IN,      401, 405, 405, 403, 403, 403),
    ("cadre-rotation-due",         "GET",    LIST,    401, 200, 200, 403, 403, 403),
    ("cadre-rotation-due",         "POST",   LIST,    401, 405, 405, 403, 403, 403),
    # --- Evaluation: cycles are run by administrators (and personnel officers, tests/evaluation); anyone
    #     else lists the cycles they rate or are rated in (the officer rates as the committee, the student
    #     themselves). Results are for runners (403 before any lookup). A sheet comes only from an assigned
    #     rater: 403 for the others, including the administrator, who is nobody's rater here. --------------
    ("evaluationcycle-list",       "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("evaluationcycle-list",       "POST",   IN,      401, 201, 403, 403, 403, 403),
    ("evaluationcycle-list",       "POST",   REL_OUT, 401, 400, 403, 403, 403, 403),
    ("evaluationcycle-list",       "DELETE", LIST,    401, 405, 405, 405, 405, 405),
    ("evaluationcycle-detail",     "GET",    IN,      401, 200, 200, 404, 404, 200),
    ("evaluationcycle-detail",     "GET",    OUT,     401, 404, 404, 404, 404, 404),
    ("evaluationcycle-detail",     "DELETE", IN,      401, 405, 405, 405, 405, 405),
    ("evaluationcycle-results",    "GET",    IN,      401, 200, 403, 403, 403, 403),
    ("evaluationcycle-results",    "GET",    OUT,     401, 404, 403, 403, 403, 403),
    ("evaluationcycle-results",    "POST",   IN,      401, 405, 405, 405, 405, 405),
    ("evaluation-list",            "POST",   IN,      401, 403, 201, 403, 403, 201),
    ("evaluation-list",            "POST",   REL_OUT, 401, 403, 403, 403, 403, 403),
    ("evaluation-list",            "GET",    LIST,    401, 405, 405, 405, 405, 405),
    # --- Training: administrators and personnel officers only (403 for the rest before any lookup). ----
    ("course-list",                "GET",    LIST,    401, 200, 403, 403, 403, 403),
    ("course-list",                "POST",   IN,      401, 201, 403, 403, 403, 403),
    ("course-list",                "POST",   REL_OUT, 401, 400, 403, 403, 403, 403),
    ("course-list",                "DELETE", LIST,    401, 405, 403, 403, 403, 403),
    ("course-detail",              "GET",    IN,      401, 200, 403, 403, 403, 403),
    ("course-detail",              "GET",    OUT,     401, 404, 403, 403, 403, 403),
    ("course-detail",              "PATCH",  IN,      401, 405, 403, 403, 403, 403),
    ("course-enrolments",          "POST",   IN,      401, 201, 403, 403, 403, 403),
    ("course-enrolments",          "POST",   OUT,     401, 404, 403, 403, 403, 403),
    ("course-enrolments",          "GET",    IN,      401, 405, 403, 403, 403, 403),
    ("training-compliance-list",   "GET",    LIST,    401, 200, 403, 403, 403, 403),
    ("training-compliance-list",   "POST",   LIST,    401, 405, 403, 403, 403, 403),
    ("attractionpayment-list",     "GET",    LIST,    401, 200, 403, 403, 403, 403),
    ("attractionpayment-list",     "POST",   LIST,    401, 405, 403, 403, 403, 403),
    ("attractionpayment-detail",   "GET",    IN,      401, 200, 403, 403, 403, 403),
    ("attractionpayment-detail",   "GET",    OUT,     401, 404, 403, 403, 403, 403),
    ("attractionpayment-detail",   "DELETE", IN,      401, 405, 403, 403, 403, 403),
    ("training-budget-list",       "GET",    LIST,    401, 200, 403, 403, 403, 403),
    ("training-budget-list",       "POST",   LIST,    401, 405, 403, 403, 403, 403),
    # --- The signed-in person: /me/ for all; the rest only for someone linked to a record -----------------
    ("me",                         "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("me",                         "POST",   LIST,    401, 405, 405, 405, 405, 405),
    ("me-profile",                 "GET",    LIST,    401, 404, 404, 404, 404, 200),
    ("me-profile",                 "PATCH",  LIST,    401, 404, 404, 404, 404, 200),
    ("me-profile",                 "PUT",    LIST,    401, 405, 405, 405, 405, 405),
    ("me-profile",                 "DELETE", LIST,    401, 405, 405, 405, 405, 405),
    ("me-consents",                "GET",    LIST,    401, 404, 404, 404, 404, 200),
    ("me-consents",                "POST",   LIST,    401, 404, 404, 404, 404, 200),
    ("me-consents",                "DELETE", LIST,    401, 405, 405, 405, 405, 405),
    ("me-export",                  "GET",    LIST,    401, 404, 404, 404, 404, 200),
    ("me-export",                  "POST",   LIST,    401, 405, 405, 405, 405, 405),
    ("me-erasure",                 "GET",    LIST,    401, 404, 404, 404, 404, 200),
    ("me-erasure",                 "POST",   LIST,    401, 404, 404, 404, 404, 201),
    ("me-erasure",                 "DELETE", LIST,    401, 405, 405, 405, 405, 405),
    # --- Sign-in, the API root, the schema and its docs ---------------------------------------------------
    # The anonymous caller posts wrong credentials (400); each role posts its own (200).
    ("api-token",                  "POST",   LIST,    400, 200, 200, 200, 200, 200),
    ("api-token",                  "GET",    LIST,    405, 405, 405, 405, 405, 405),
    ("api-root",                   "GET",    LIST,    401, 200, 200, 200, 200, 200),
    ("api-root",                   "POST",   LIST,    401, 405, 405, 405, 405, 405),
    ("api-schema",                 "GET",    LIST,    200, 200, 200, 200, 200, 200),
    ("api-schema",                 "POST",   LIST,    405, 405, 405, 405, 405, 405),
    ("api-docs",                   "GET",    LIST,    200, 200, 200, 200, 200, 200),
    ("api-docs",                   "POST",   LIST,    405, 405, 405, 405, 405, 405),
]
# fmt: on

# Which object each role's IN and OUT cases use, per kind of object (names of ``world`` attributes;
# MISSING is an id nobody has). Records of a candidate (education, achievements, languages) follow
# the candidate's row.
SCOPE: dict[str, dict[str, tuple[Any, Any]]] = {
    "organization": {"admin": ("other_root", MISSING), "officer": ("ward_b", "other_root"),
                     "liaison": ("faculty", "ward_b"), "recruiter": ("agency", "city"),
                     "student": ("faculty", "uni")},
    "candidate": {"admin": ("c_outside", MISSING), "officer": ("c_ward_b", "c_outside"),
                  "liaison": ("c_uni", "c_ward_b"), "recruiter": ("c_ward_b", "c_uni"),
                  "student": ("c_student", "c_uni")},
    # The student's IN pool is the shared pool that holds their own record: still not theirs to read.
    "pool": {"admin": ("pool_other", MISSING), "officer": ("pool_uni", "pool_other"),
             "liaison": ("pool_uni", "pool_shared"), "recruiter": ("pool_shared", "pool_uni"),
             "student": ("pool_shared", "pool_uni")},
    "job": {"admin": ("job_admin", MISSING_JOB), "officer": ("job_officer", "job_liaison"),
            "liaison": ("job_liaison", "job_officer"), "recruiter": ("job_recruiter", "job_student"),
            "student": ("job_student", "job_recruiter")},
    "user": {role: ("ward_officer", MISSING) for role in ROLES[1:]},
    "audit": {role: ("some_event", MISSING) for role in ROLES[1:]},
    # Liaisons and recruiters see no erasure request, even one about a person they can see.
    "erasure": {"admin": ("er_outside", MISSING), "officer": ("er_uni", "er_outside"),
                "liaison": ("er_uni", "er_outside"), "recruiter": ("er_ward_b", "er_outside"),
                "student": ("er_student", "er_uni")},
    # Recruiters and students are refused before any object is looked up: their pair is arbitrary.
    "import": {"admin": ("batch_admin", MISSING_JOB), "officer": ("batch_officer", "batch_liaison"),
               "liaison": ("batch_liaison", "batch_officer"), "recruiter": ("batch_officer", "batch_liaison"),
               "student": ("batch_officer", "batch_liaison")},
    "exam": {role: ("exam_result", MISSING) for role in ROLES[1:]},
    # Runs are staff-wide (their rows are scoped when read): "out of scope" is a run that does not exist.
    "scorerun": {role: ("run_uni", MISSING_JOB) for role in ROLES[1:]},
    "merge": {"admin": ("ms_outside", MISSING), "officer": ("ms_ward", "ms_outside"),
              "liaison": ("ms_uni", "ms_ward"), "recruiter": ("ms_ward", "ms_uni"),
              "student": ("ms_ward", "ms_uni")},
    # Clubs and events are visible to everyone signed in: "out of scope" is one that does not exist.
    "club": {role: ("club", MISSING) for role in ROLES[1:]},
    "event": {role: ("event", MISSING) for role in ROLES[1:]},
    "offer_event": {role: ("offer_event", MISSING) for role in ROLES[1:]},
    # Openings: the IN one is open (everyone sees it), the OUT one is closed and run by someone else.
    "opening": {"admin": ("op_uni", MISSING), "officer": ("op_uni", "op_agency_closed"),
                "liaison": ("op_uni", "op_agency_closed"), "recruiter": ("op_agency", "op_uni_closed"),
                "student": ("op_agency", "op_uni_closed")},
    # The student's IN card is their own (on the agency's board).
    "shortlistentry": {"admin": ("e_uni", MISSING), "officer": ("e_uni", "e_agency"), "liaison": ("e_uni", "e_agency"),
                       "recruiter": ("e_agency", "e_uni"), "student": ("e_agency", "e_uni")},
    # The student's IN placement is their own internship at the university.
    "placement": {"admin": ("pl_uni", MISSING), "officer": ("pl_uni", "pl_agency"),
                  "liaison": ("pl_uni", "pl_agency"), "recruiter": ("pl_agency", "pl_uni"),
                  "student": ("pl_uni", "pl_agency")},
    # Recruiters and students are refused before any lookup: their pair is arbitrary.
    "position": {"admin": ("pos_other", MISSING), **{role: ("pos_uni", "pos_other") for role in ROLES[2:]}},
    "successionplan": {"admin": ("plan_other", MISSING), **{role: ("plan_uni", "plan_other") for role in ROLES[2:]}},
    "evaluationcycle": {"admin": ("cycle_uni", MISSING), **{role: ("cycle_uni", "cycle_other") for role in ROLES[2:]}},
    "course": {"admin": ("course_uni", MISSING), **{role: ("course_uni", "course_uni") for role in ROLES[2:]}},
    "attractionpayment": {"admin": ("payment_uni", MISSING),
                          **{role: ("payment_uni", "payment_uni") for role in ROLES[2:]}},
}
# A proposed member of each plan, for approving and removing.
PLAN_MEMBER = {"plan_uni": "m_uni", "plan_other": "m_other"}
# Proposing on the IN plan: someone the caller sees who is not in that plan yet.
PLAN_ADD = {"admin": "c_student", "officer": "c_ward_b", "liaison": "c_student", "recruiter": "c_ward_b",
            "student": "c_student"}
# Pool membership routes: (pool, candidate) per role. IN: a visible member of an IN pool (DELETE) and
# an in-scope candidate who is not yet a member (POST); OUT: a member of an OUT pool.
MEMBER_DELETE = {"admin": (("pool_other", "c_outside"), (MISSING, "c_outside")),
                 "officer": (("pool_uni", "c_uni"), ("pool_other", "c_outside")),
                 "liaison": (("pool_uni", "c_uni"), ("pool_shared", "c_student")),
                 "recruiter": (("pool_shared", "c_ward_b"), ("pool_uni", "c_uni")),
                 "student": (("pool_shared", "c_student"), ("pool_uni", "c_uni"))}
MEMBER_ADD = {"admin": "c_student", "officer": "c_ward_b", "liaison": "c_student", "recruiter": "c_ward_b",
              "student": "c_student"}
# Shortlisting on the IN opening: someone the caller sees who is not on that board yet.
SHORTLIST_ADD = {"admin": "c_outside", "officer": "c_ward_b", "liaison": "c_student", "recruiter": "c_ward_b",
                 "student": "c_student"}

KIND_OF_ROUTE = {"organization": "organization", "candidate": "candidate", "educationrecord": "education",
                 "achievement": "achievement", "languagecertificate": "language", "talentpool": "pool",
                 "job": "job", "user": "user", "auditevent": "audit", "erasurerequest": "erasure",
                 "importbatch": "import", "examresult": "exam", "mergesuggestion": "merge",
                 "scorerun": "scorerun", "club": "club", "event": "event", "opening": "opening",
                 "shortlistentry": "shortlistentry", "placement": "placement", "position": "position",
                 "successionplan": "successionplan", "evaluationcycle": "evaluationcycle",
                 "course": "course", "attractionpayment": "attractionpayment"}
# Routes whose object is not their family's usual one: accepting an offer needs an event with an offer.
KIND_OF_ROUTE_NAME = {"event-accept-offer": "offer_event"}
# Routes without an object, and the query some of them need.
COLLECTION_ROUTES = {"api-root", "candidate-export", "examresult-top", "ranking-fairness", "notification-read",
                     "cadre-rotation-due"}
QUERIES = {"examresult-top": "?year=2025&combination=A00", "ranking-list": "?rubric=university-student",
           "ranking-fairness": "?rubric=university-student&top=2", "candidate-score": "?rubric=university-student"}
RUBRIC_SLUGS = {IN: "university-student", OUT: "khong-co-bo-tieu-chi-nay"}
ROUTE_NAMESPACE = {"me": "api-me", "me-profile": "api-me", "me-consents": "api-me", "me-export": "api-me",
                   "me-erasure": "api-me", "api-token": None, "api-schema": None, "api-docs": None}


CANDIDATE_FILE = ("Họ và tên;Giới tính;Ngày sinh\n"
                  "Ngô Thị Hạnh;Nữ;12/03/2007\n"
                  "Bùi Văn Khoa;Nam;31/02/2007\n").encode()


def candidate_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("danh-sach.csv", CANDIDATE_FILE, content_type="text/csv")


def pdf(name: str = "dong-y.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% signed consent form\n%%EOF\n", content_type="application/pdf")


# --- The world -------------------------------------------------------------------------------------


def _build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    # The tree of tests/conftest.py's ``org_tree`` (same names and codes), plus a second root outside
    # the city's Youth Union: what the city officer does not see.
    w.city = make_org("Thành Đoàn TP.HCM", code="TD-TEST")
    w.ward_a = make_org("Đoàn phường Sài Gòn", parent=w.city, code="W-A")
    w.ward_b = make_org("Đoàn phường Bến Thành", parent=w.city, code="W-B")
    w.school_a = make_org("THPT Lê Hồng Phong", kind=Organization.Kind.HIGH_SCHOOL, parent=w.ward_a, code="S-A")
    w.school_b = make_org("THPT Trần Đại Nghĩa", kind=Organization.Kind.HIGH_SCHOOL, parent=w.ward_b, code="S-B")
    w.uni = make_org("ĐH Bách khoa", kind=Organization.Kind.UNIVERSITY, parent=w.city, code="U-BK")
    w.faculty = make_org("Khoa Khoa học Máy tính", kind=Organization.Kind.FACULTY, parent=w.uni, code="F-CS")
    w.agency = make_org("Sở Nội vụ", kind=Organization.Kind.AGENCY, code="AG-NV")
    w.other_root = make_org("Thành Đoàn Cần Thơ", code="TD-CT")
    w.other_school = make_org("THPT Châu Văn Liêm", kind=Organization.Kind.HIGH_SCHOOL, parent=w.other_root,
                              code="S-CT")

    w.admin = make_user(Role.ADMIN, w.city, username="m_admin", password=PASSWORD)
    w.officer = make_user(Role.OFFICER, w.city, username="m_officer", password=PASSWORD)
    w.ward_officer = make_user(Role.OFFICER, w.ward_a, username="m_ward_officer", password=PASSWORD)
    w.liaison = make_user(Role.LIAISON, w.uni, username="m_liaison", password=PASSWORD)
    w.recruiter = make_user(Role.RECRUITER, w.agency, username="m_recruiter", password=PASSWORD)

    today = timezone.localdate()
    w.c_student = make_candidate(w.faculty, "Trần Thị Bình", gender="female", date_of_birth=dt.date(2005, 1, 10),
                                 citizen_id="079305001512", email="binh@example.vn")
    w.student = user_create(actor=None, username="m_student", password=PASSWORD, role=Role.STUDENT,
                            candidate=w.c_student)
    w.c_uni = make_candidate(w.uni, "Lê Văn Cường", date_of_birth=dt.date(2004, 6, 1))
    w.c_ward_b = make_candidate(w.school_b, "Phạm Thị Dung", gender="female", date_of_birth=dt.date(2006, 9, 2),
                                citizen_id="079306004321", party_member=True, party_joined_on=dt.date(2025, 1, 5),
                                ethnicity="Kinh", religion="buddhism", home_address="12 Lý Tự Trọng, Quận 1")
    w.c_minor = make_candidate(w.school_a, "Võ Minh Em", date_of_birth=dt.date(today.year - 15, 1, 1))
    w.c_outside = make_candidate(w.other_school, "Đặng Văn Phúc", date_of_birth=dt.date(2007, 2, 2))
    for name in ("c_student", "c_uni", "c_ward_b", "c_minor", "c_outside"):
        c = getattr(w, name)
        suffix = name.removeprefix("c_")
        setattr(w, f"education_{suffix}", services.education_record_add(
            candidate=c, actor=None, level="university", start_year=2024, institution_name="ĐH Bách khoa"))
        setattr(w, f"achievement_{suffix}", services.achievement_add(
            candidate=c, actor=None, category="award", level="school", year=2025, title="Sinh viên 5 tốt"))
        setattr(w, f"language_{suffix}", services.language_certificate_add(
            candidate=c, actor=None, language="en", level=4))

    # Consent to be shared: the student gives their own; c_ward_b's was given on paper; the minor has
    # only their own (not enough under 16); c_uni gave none (silence is not consent).
    consent_set_own(user=w.student, purpose=Consent.Purpose.SHARE_WITH_RECRUITERS, granted=True)
    for c in (w.c_ward_b, w.c_minor):
        Consent.objects.create(candidate=c, purpose=Consent.Purpose.SHARE_WITH_RECRUITERS,
                               given_by=Consent.GivenBy.SELF, evidence_note="Văn bản có chữ ký")

    w.pool_shared = services.pool_create(actor=None, name="Nguồn tài năng trẻ", kind="young_talent", owner=w.city,
                                         shared_with=[w.agency])
    w.pool_uni = services.pool_create(actor=None, name="Nguồn của trường", kind="young_talent", owner=w.uni)
    w.pool_other = services.pool_create(actor=None, name="Nguồn Cần Thơ", kind="planning", owner=w.other_root,
                                        term="2025-2030")
    for c in (w.c_student, w.c_uni, w.c_ward_b, w.c_minor):
        services.pool_add(pool=w.pool_shared, candidate=c, actor=None)
    services.pool_add(pool=w.pool_uni, candidate=w.c_uni, actor=None)
    services.pool_add(pool=w.pool_other, candidate=w.c_outside, actor=None)

    for role in ROLES[1:]:
        setattr(w, f"job_{role}", Job.objects.create(kind="candidates.export", created_by=getattr(w, role)))

    w.er_uni = ErasureRequest.objects.create(candidate=w.c_uni, reason="Không muốn tham gia")
    w.er_ward_b = ErasureRequest.objects.create(candidate=w.c_ward_b)
    w.er_outside = ErasureRequest.objects.create(candidate=w.c_outside)
    # The student's own request was already refused: they may see it, and ask again.
    w.er_student = ErasureRequest.objects.create(candidate=w.c_student, status=ErasureRequest.Status.REJECTED,
                                                 decision_note="Đang trong kỳ xét tuyển")
    # One validated candidate list per staff role (one row has an impossible date, so each has an
    # error report), a national exam result, and merge suggestions whose pairs each role may or may
    # not see in full.
    for role in ("admin", "officer", "liaison"):
        unit = {"admin": w.other_school, "officer": w.ward_b, "liaison": w.faculty}[role]
        batch = import_start(actor=getattr(w, role), kind="candidates", upload=candidate_file(), organization=unit)
        run_job.call(str(batch.validate_job_id))
        batch.refresh_from_db()
        assert batch.state == ImportBatch.State.VALIDATED, batch.message
        setattr(w, f"batch_{role}", batch)
    w.exam_result = ExamResult.objects.create(year=2025, exam_number="02000123", council="02", toan=Decimal("9.5"),
                                              li=Decimal("9.25"), hoa=Decimal("9"))
    w.ms_ward = MergeSuggestion.objects.create(candidate=w.c_ward_b, other=w.c_minor, reasons=["phone"])
    w.ms_uni = MergeSuggestion.objects.create(candidate=w.c_student, other=w.c_uni, reasons=["name_dob"])
    w.ms_outside = MergeSuggestion.objects.create(candidate=w.c_outside, other=w.c_minor, reasons=["email"])
    w.some_event = AuditEvent.objects.order_by("id").first()
    # A stored ranking of the university (its people have no GPA yet, so nobody is ranked in it).
    w.run_uni = score_run_execute(version=Rubric.objects.get(slug="university-student").active_version,
                                  cohort=cohort_parse(f"org:{w.uni.pk}"))
    # A university club (approval, directory open to members) with the student as a member and a
    # pending request; an event of the university the student holds a ticket for; an event with
    # offers where the student, first in line, was offered the seat another person gave up.
    w.club = club_create(actor=None, slug="m-clb", name="CLB Tài năng trẻ Bách khoa", owner=w.uni)
    membership_decide(membership=club_join(club=w.club, user=w.student), approve=True, actor=w.officer)
    w.applicant = make_user(Role.STUDENT, w.faculty, username="m_applicant", password=PASSWORD)
    w.pending = club_join(club=w.club, user=w.applicant)
    start = timezone.now() + dt.timedelta(days=7)
    w.event = event_create(actor=w.admin, title="Đối thoại với lãnh đạo Thành phố", kind="dialogue",
                           starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=5, organization=w.uni)
    w.ticket = event_register(event=w.event, user=w.student)
    w.offer_event = event_create(actor=w.admin, title="Tham quan thực tế", kind="field_trip", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=8), capacity=1, offer_hours=24,
                                 organization=w.uni)
    given_up = event_register(event=w.offer_event, user=w.applicant)
    event_register(event=w.offer_event, user=w.student)
    registration_cancel(registration=given_up, actor=w.applicant)
    # Openings. Only the student's record moves through the pipeline services here (the advance rows
    # need c_uni, c_ward_b and c_outside where they are): their cards and placement are written directly.
    w.op_agency = opening_create(actor=w.recruiter, title="Chuyên viên pháp chế", kind="job", slots=2)
    w.e_agency = shortlist_add(opening=w.op_agency, candidate=w.c_student, actor=w.recruiter)
    w.op_uni = opening_create(actor=w.liaison, title="Trợ lý dự án", kind="job", slots=2)
    w.e_uni = ShortlistEntry.objects.create(opening=w.op_uni, candidate=w.c_uni, added_by=w.liaison)
    w.op_uni_intern = opening_create(actor=w.liaison, title="Thực tập Văn phòng Đoàn trường", kind="internship",
                                     slots=1)
    hired = shortlist_add(opening=w.op_uni_intern, candidate=w.c_student, actor=w.liaison)
    entry_move(entry=hired, stage="offer", actor=w.liaison)
    entry_move(entry=hired, stage="hired", actor=w.liaison)
    w.pl_uni = Placement.objects.get(entry=hired)
    w.op_agency_intern = opening_create(actor=w.recruiter, title="Thực tập sinh hành chính", kind="internship",
                                        slots=1)
    placed = ShortlistEntry.objects.create(opening=w.op_agency_intern, candidate=w.c_ward_b, stage="hired",
                                           added_by=w.recruiter)
    w.pl_agency = Placement.objects.create(opening=w.op_agency_intern, candidate=w.c_ward_b, entry=placed,
                                           starts_on=today)
    w.op_agency_closed = opening_close(opening=opening_create(
        actor=w.recruiter, title="Vị trí đã đóng", kind="job", slots=1), actor=w.recruiter)
    w.op_uni_closed = opening_close(opening=opening_create(
        actor=w.liaison, title="Thực tập đã đóng", kind="internship", slots=1), actor=w.liaison)
    # Succession planning: a Youth Union position of the university and one of the other root, each with
    # a plan for 2025-2030 and a proposed member; the level's standards are relaxed so that proposing
    # the matrix's young people is allowed (the standards have their own tests).
    PositionStandard.objects.filter(level="youth_union").update(rules={"max_plans_per_person": 3})
    w.pos_uni = position_create(actor=w.admin, organization=w.uni, title="Bí thư Đoàn trường", level="youth_union")
    w.pos_other = position_create(actor=w.admin, organization=w.other_root, title="Bí thư Thành Đoàn",
                                  level="youth_union")
    w.plan_uni = plan_create(actor=w.admin, position=w.pos_uni, term="2025-2030")
    w.plan_other = plan_create(actor=w.admin, position=w.pos_other, term="2025-2030")
    w.m_uni = member_propose(actor=w.admin, plan=w.plan_uni, candidate=w.c_uni, readiness="ready_now")
    w.m_other = member_propose(actor=w.admin, plan=w.plan_other, candidate=w.c_outside, readiness="ready_now")
    # Evaluation: an open yearly cycle of the university where the student rates themselves and the city
    # officer rates them as the committee; a cycle of the other root nobody here takes part in.
    deadline = today + dt.timedelta(days=10)
    w.cycle_uni = cycle_create(actor=w.admin, kind="yearly", period=str(today.year), organization=w.uni,
                               deadline=deadline)
    assign(actor=w.admin, cycle=w.cycle_uni, candidate=w.c_student, rater=w.student, rater_as="self")
    assign(actor=w.admin, cycle=w.cycle_uni, candidate=w.c_student, rater=w.officer, rater_as="committee")
    cycle_open(actor=w.admin, cycle=w.cycle_uni)
    w.course_uni = course_create(actor=w.admin, organization=w.uni, title="Lý luận chính trị trung cấp",
                                 kind="political", provider="Trường Chính trị", starts_on=today,
                                 ends_on=today + dt.timedelta(days=30), seats=20)
    w.payment_uni = payment_record(actor=w.admin, candidate=w.c_uni, organization=w.uni, degree="ts", paid_on=today,
                                   commitment_years=5)
    w.cycle_other = cycle_create(actor=w.admin, kind="yearly", period=str(today.year), organization=w.other_root,
                                 deadline=deadline)
    for role in ROLES[1:]:
        notify(users=[getattr(w, role).pk], kind="test", title="Chào mừng")
    w.tokens = {role: Token.objects.create(user=getattr(w, role)).key for role in ROLES[1:]}
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Built once per module inside a transaction that is rolled back when the module is done.

    Uploaded evidence goes to a temporary folder for the whole module."""
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media,
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = _build_world()
            w.media_root = media
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, world):  # type: ignore[no-untyped-def]
    """Replaces the suite's per-test media folder: the world's uploads and error reports live in one
    folder for the whole module."""
    settings.MEDIA_ROOT = world.media_root


# --- Resolving a row into a request ------------------------------------------------------------------


def _ref(w: SimpleNamespace, name: Any) -> Any:
    """A world attribute's primary key (by name), or a literal id that exists for nobody (MISSING...)."""
    return getattr(w, name).pk if isinstance(name, str) else name


def _kind(route: str) -> str | None:
    return KIND_OF_ROUTE_NAME.get(route) or KIND_OF_ROUTE.get(route.split("-", 1)[0])


def _target(w: SimpleNamespace, kind: str, role: str, case: str) -> Any:
    """The id an IN/OUT/REL_OUT row addresses for ``role`` (anonymous borrows the officer's)."""
    role = "officer" if role == "anonymous" else role
    child = kind in ("education", "achievement", "language")
    in_name, out_name = SCOPE["candidate" if child else kind][role]
    name = out_name if case == OUT else in_name
    if child:
        if name == MISSING:
            return MISSING
        name = f"{kind}_{name.removeprefix('c_')}"
    return _ref(w, name)


def _url(w: SimpleNamespace, route: str, role: str, case: str) -> str:
    if route in ROUTE_NAMESPACE:
        namespace = ROUTE_NAMESPACE[route]
        return reverse(f"{namespace}:{route}" if namespace else route)
    if route.endswith("-list") or route in COLLECTION_ROUTES:
        return reverse(f"api:{route}") + QUERIES.get(route, "")
    if route == "rubric-detail":
        return reverse(f"api:{route}", kwargs={"slug": RUBRIC_SLUGS[case]})
    if route == "talentpool-remove-member":
        who = "officer" if role == "anonymous" else role
        pool, candidate = MEMBER_DELETE[who][case == OUT]
        return reverse(f"api:{route}", kwargs={"pk": _ref(w, pool), "candidate_id": _ref(w, candidate)})
    if route in ("successionplan-approve", "successionplan-remove"):
        who = "officer" if role == "anonymous" else role
        in_name, out_name = SCOPE["successionplan"][who]
        plan = out_name if case == OUT else in_name
        member = PLAN_MEMBER.get(plan, "m_other") if isinstance(plan, str) else "m_other"
        return reverse(f"api:{route}", kwargs={"pk": _ref(w, plan), "member_id": _ref(w, member)})
    if route == "club-decide-membership":
        return reverse(f"api:{route}", kwargs={"pk": _target(w, "club", role, case), "membership_id": w.pending.pk})
    kind = _kind(route)
    assert kind, route
    return reverse(f"api:{route}", kwargs={"pk": _target(w, kind, role, case)}) + QUERIES.get(route, "")


def _related(w: SimpleNamespace, kind: str, role: str, case: str) -> Any:
    """The related id a body names: in scope for IN, outside it for REL_OUT."""
    return _target(w, kind, role, OUT if case == REL_OUT else IN)


# Bodies per (route, method): f(world, role, case) → (data, format).
Body = Callable[[SimpleNamespace, str, str], tuple[dict[str, Any], str]]
BODIES: dict[tuple[str, str], Body] = {
    ("organization-list", "POST"): lambda w, r, c: ({
        "code": "M-NEW", "name": "Chi đoàn mới", "kind": "youth_union",
        "parent": _related(w, "organization", r, c)}, "json"),
    ("candidate-list", "POST"): lambda w, r, c: ({
        "full_name": "Đỗ Minh Khang", "gender": "male", "date_of_birth": "2006-02-03",
        "organization": _related(w, "organization", r, c)}, "json"),
    ("candidate-detail", "PATCH"): lambda w, r, c: (
        {"organization": _related(w, "organization", r, c)} if c == REL_OUT
        else {"aspirations": "Làm việc ở cơ quan nhà nước"}, "json"),
    ("candidate-advance", "POST"): lambda w, r, c: ({"stage": "nominated"}, "json"),
    ("candidate-consents", "POST"): lambda w, r, c: ({
        "purpose": "contact_about_events", "given_by": "self", "evidence": pdf()}, "multipart"),
    ("candidate-withdraw-consent", "POST"): lambda w, r, c: ({"purpose": "share_with_recruiters"}, "json"),
    ("educationrecord-list", "POST"): lambda w, r, c: ({
        "candidate": _related(w, "candidate", r, c), "level": "university", "start_year": 2025,
        "institution_name": "ĐH Kinh tế"}, "json"),
    ("achievement-list", "POST"): lambda w, r, c: ({
        "candidate": _related(w, "candidate", r, c), "category": "research", "level": "province", "year": 2025,
        "title": "Giải Ba nghiên cứu khoa học"}, "json"),
    ("languagecertificate-list", "POST"): lambda w, r, c: ({
        "candidate": _related(w, "candidate", r, c), "language": "fr", "level": 3}, "json"),
    ("achievement-verify", "POST"): lambda w, r, c: ({"approve": True}, "json"),
    ("languagecertificate-verify", "POST"): lambda w, r, c: ({"approve": True}, "json"),
    ("talentpool-list", "POST"): lambda w, r, c: ({
        "name": "Nguồn mới", "kind": "young_talent", "owner": _related(w, "organization", r, c)}, "json"),
    ("talentpool-members", "POST"): lambda w, r, c: ({
        "candidate": _ref(w, MEMBER_ADD["officer" if r == "anonymous" else r]) if c != REL_OUT
        else _related(w, "candidate", r, c), "note": "Giới thiệu"}, "json"),
    ("user-list", "POST"): lambda w, r, c: ({
        "username": "nguoi.moi", "password": "Mat-khau-manh-2026", "role": "officer",
        "organization": _related(w, "organization", r, c)}, "json"),
    ("erasurerequest-approve", "POST"): lambda w, r, c: ({"note": ""}, "json"),
    ("importbatch-list", "POST"): lambda w, r, c: ({
        "kind": "candidates", "file": candidate_file(), "dry_run": "true",
        "organization": str(_related(w, "organization", r, c))}, "multipart"),
    ("mergesuggestion-merge", "POST"): lambda w, r, c: ({"keep": _keep(w, r, c)}, "json"),
    ("scorerun-list", "POST"): lambda w, r, c: ({
        "rubric": "university-student", "cohort": f"org:{_related(w, 'organization', r, c)}"}, "json"),
    ("candidate-contest", "POST"): lambda w, r, c: ({
        "rubric": "university-student", "criterion": "gpa",
        "message": "Điểm trung bình học kỳ 2 của tôi là 3,8."}, "json"),
    ("erasurerequest-reject", "POST"): lambda w, r, c: ({"note": "Đang trong kỳ xét tuyển"}, "json"),
    ("club-list", "POST"): lambda w, r, c: ({
        "slug": "m-clb-moi", "name": "CLB Khởi nghiệp", "owner": _related(w, "organization", r, c)}, "json"),
    ("club-decide-membership", "POST"): lambda w, r, c: ({"approve": True}, "json"),
    ("club-announcements", "POST"): lambda w, r, c: ({"title": "Sinh hoạt tháng 12", "body": "19h thứ Sáu"}, "json"),
    ("event-list", "POST"): lambda w, r, c: ({
        "title": "Toạ đàm khởi nghiệp", "kind": "seminar", "starts_at": "2030-05-10T08:00:00+07:00",
        "ends_at": "2030-05-10T11:00:00+07:00", "capacity": 30,
        "organization": _related(w, "organization", r, c)}, "json"),
    ("event-cancel-event", "POST"): lambda w, r, c: ({"reason": "Diễn giả bận đột xuất"}, "json"),
    # Organizers type the student's ticket; anyone else sends the code on the room's screen right now.
    ("event-check-in", "POST"): lambda w, r, c: ({"code": w.ticket.code if r in ("admin", "officer", "liaison")
                                                 else rotating_code(w.event)}, "json"),
    ("notification-read", "POST"): lambda w, r, c: ({"all": True}, "json"),
    ("opening-list", "POST"): lambda w, r, c: ({
        "title": "Chuyên viên văn phòng", "kind": "job", "slots": 1,
        "agency": _related(w, "organization", r, c)}, "json"),
    ("opening-shortlist", "POST"): lambda w, r, c: ({
        "candidate": _ref(w, SHORTLIST_ADD["officer" if r == "anonymous" else r]) if c != REL_OUT
        else _related(w, "candidate", r, c)}, "json"),
    ("shortlistentry-move", "POST"): lambda w, r, c: ({"stage": "contacted"}, "json"),
    ("shortlistentry-rate", "POST"): lambda w, r, c: ({"score": 4}, "json"),
    ("shortlistentry-notes", "POST"): lambda w, r, c: ({"text": "Hẹn phỏng vấn tuần sau"}, "json"),
    ("placement-feedback", "POST"): lambda w, r, c: ({
        "ratings": {key: 4 for key in FEEDBACK_CRITERIA}, "comments": "Chăm chỉ, ham học hỏi"}, "json"),
    ("position-list", "POST"): lambda w, r, c: ({
        "title": "Phó Bí thư", "level": "youth_union", "organization": _related(w, "organization", r, c)}, "json"),
    ("successionplan-list", "POST"): lambda w, r, c: ({
        "position": _related(w, "position", r, c), "term": "2030-2035"}, "json"),
    ("successionplan-members", "POST"): lambda w, r, c: ({
        "candidate": _ref(w, PLAN_ADD["officer" if r == "anonymous" else r]) if c != REL_OUT
        else _related(w, "candidate", r, c), "readiness": "1_2_years"}, "json"),
    ("successionplan-approve", "POST"): lambda w, r, c: ({"decision_number": "15-QĐ/TĐTN",
                                                         "decision_date": "2026-11-20"}, "json"),
    ("successionplan-remove", "POST"): lambda w, r, c: ({"reason": "transferred"}, "json"),
    ("evaluationcycle-list", "POST"): lambda w, r, c: ({
        "kind": "monthly", "period": "2026-12", "deadline": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        "organization": _related(w, "organization", r, c)}, "json"),
    ("course-list", "POST"): lambda w, r, c: ({
        "title": "Bồi dưỡng kỹ năng lãnh đạo", "kind": "leadership", "provider": "Trường Chính trị",
        "organization": _related(w, "organization", r, c), "starts_on": "2026-03-01", "ends_on": "2026-03-10",
        "seats": 30}, "json"),
    ("course-enrolments", "POST"): lambda w, r, c: ({"candidate": w.c_student.pk}, "json"),
    ("evaluation-list", "POST"): lambda w, r, c: ({
        "cycle": w.cycle_uni.pk, "candidate": (w.c_student if c != REL_OUT else w.c_outside).pk,
        "scores": {"politics": 9, "capacity": 8, "results": 8.5, "discipline": 9}}, "json"),
    ("me-profile", "PATCH"): lambda w, r, c: ({"phone": "0912345678"}, "json"),
    ("me-consents", "POST"): lambda w, r, c: ({"purpose": "contact_about_events", "granted": True}, "json"),
    ("me-erasure", "POST"): lambda w, r, c: ({"reason": "Tôi không muốn tham gia nữa"}, "json"),
    ("api-token", "POST"): lambda w, r, c: (
        {"username": "khong-ai-ca", "password": "sai-mat-khau"} if r == "anonymous"
        else {"username": getattr(w, r).username, "password": PASSWORD}, "json"),
}


def _keep(w: SimpleNamespace, role: str, case: str) -> int:
    """The record a merge keeps: the suggestion's first one (any id when the suggestion is not there)."""
    suggestion = MergeSuggestion.objects.filter(pk=_target(w, "merge", role, case)).first()
    return suggestion.candidate_id if suggestion else MISSING


def _client(w: SimpleNamespace, role: str) -> APIClient:
    client = APIClient()
    if role != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {w.tokens[role]}")
    return client


def _request(w: SimpleNamespace, route: str, method: str, case: str, role: str) -> Any:
    url = _url(w, route, role, case)
    data, fmt = BODIES.get((route, method), lambda w, r, c: ({}, "json"))(w, role, case)
    send = getattr(_client(w, role), method.lower())
    return send(url, data, format=fmt) if method in ("POST", "PATCH", "PUT") else send(url)


@pytest.mark.parametrize(("route", "method", "case", "expected"),
                         [pytest.param(route, method, case, tuple(statuses), id=f"{route}-{method}-{case}")
                          for route, method, case, *statuses in MATRIX])
def test_permission_matrix(world, route: str, method: str, case: str, expected: tuple[int, ...]) -> None:  # type: ignore[no-untyped-def]
    """One row: each role's request runs in its own savepoint, rolled back before the next role's."""
    answers: dict[str, int] = {}
    details: list[str] = []
    for role, status in zip(ROLES, expected):
        cache.clear()  # throttle counters
        with transaction.atomic():
            response = _request(world, route, method, case, role)
            transaction.set_rollback(True)
        answers[role] = response.status_code
        if response.status_code != status:
            details.append(f"{role}: {response.status_code} (expected {status}) {response.content[:200]!r}")
    assert answers == dict(zip(ROLES, expected)), "\n".join(details)


# --- The matrix stays complete ----------------------------------------------------------------------


def _routes() -> dict[str, tuple[str, set[str]]]:
    """Every named API route (format-suffix twins aside) → (its URL pattern, the methods it routes)."""
    found: dict[str, tuple[str, set[str]]] = {}

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
                continue
            assert isinstance(pattern, URLPattern)
            if "format" in pattern.pattern.regex.groupindex:
                continue  # DefaultRouter's ".json" twins of the same views
            callback = pattern.callback
            actions = getattr(callback, "actions", None)
            if actions:
                methods = {m.upper() for m in actions if m != "head"}
            else:
                view = getattr(callback, "view_class", None) or callback.cls
                methods = {m.upper() for m in view.http_method_names
                           if m not in ("options", "head") and hasattr(view, m)}
            assert pattern.name, f"unnamed API route {prefix}{pattern.pattern}"
            assert pattern.name not in found, f"two API routes named {pattern.name}"
            found[pattern.name] = (prefix + str(pattern.pattern), methods)

    walk(api_urls.urlpatterns, "")
    return found


def test_every_route_has_matrix_rows() -> None:
    routes = _routes()
    rows: dict[str, dict[str, set[str]]] = {}
    for route, method, case, *statuses in MATRIX:
        assert len(statuses) == len(ROLES), route
        rows.setdefault(route, {}).setdefault(method, set()).add(case)
    assert set(routes) - set(rows) == set(), "API routes without rows in MATRIX"
    assert set(rows) - set(routes) == set(), "MATRIX rows for routes that no longer exist"
    for route, (pattern, methods) in routes.items():
        covered = rows[route]
        assert methods <= set(covered), f"{route}: methods {methods - set(covered)} have no row"
        assert set(covered) - methods, f"{route}: no row for a method it does not route (405)"
        for method in methods:
            cases = covered[method]
            if "(?P<pk>" in pattern:
                assert {IN, OUT} <= cases, f"{route} {method}: needs both an IN and an OUT row"
            elif method == "POST" and route.endswith("-list"):
                assert {IN, REL_OUT} <= cases, f"{route} POST: needs IN and REL_OUT (related id out of scope)"


def test_unrouted_methods_answer_405_once_past_authentication() -> None:
    routes = _routes()
    for route, method, case, *statuses in MATRIX:
        if method not in routes[route][1]:
            assert set(statuses) <= {401, 403, 405} and 405 in statuses, (route, method, statuses)


def test_out_of_scope_is_never_403_except_for_administrator_only_endpoints() -> None:
    # Whole families refused by role before any lookup: accounts and the audit log (administrators
    # only); imports, exam results, merge suggestions, score runs and succession planning (staff only).
    refused_by_role = ("user", "auditevent", "importbatch", "examresult", "mergesuggestion", "scorerun", "position",
                       "successionplan", "cadre", "evaluationcycle", "course", "training",
                       "attractionpayment")
    admin_only = {route for route, *_ in MATRIX if route.split("-")[0] in refused_by_role}
    for route, method, case, *statuses in MATRIX:
        if case == OUT and route not in admin_only:
            assert 403 not in statuses, (route, method, statuses)


# --- Scope, beyond status codes ------------------------------------------------------------------------


def _ids(client: APIClient, url: str, **params: Any) -> set[int]:
    response = client.get(url, {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_candidate_sets_nest_as_the_roles_do(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    seen = {role: _ids(_client(w, role), "/api/v1/candidates/") for role in ROLES[1:]}
    assert seen["admin"] == {c.pk for c in (w.c_student, w.c_uni, w.c_ward_b, w.c_minor, w.c_outside)}
    assert seen["officer"] == {c.pk for c in (w.c_student, w.c_uni, w.c_ward_b, w.c_minor)}
    assert seen["liaison"] == {w.c_student.pk, w.c_uni.pk}
    # Shared pool members who consent: not c_uni (silence), not the minor (no guardian).
    assert seen["recruiter"] == {w.c_student.pk, w.c_ward_b.pk}
    assert seen["student"] == {w.c_student.pk}
    assert seen["liaison"] < seen["officer"] and seen["recruiter"] < seen["officer"] < seen["admin"]
    # A ward officer sees their ward only: not the neighbouring ward, not the city's university.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=w.ward_officer).key}")
    assert _ids(client, "/api/v1/candidates/") == {w.c_minor.pk}
    assert client.get(f"/api/v1/candidates/{w.c_ward_b.pk}/").status_code == 404


def test_child_records_follow_the_candidate_scope(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    for route, prefix in (("/api/v1/achievements/", "achievement"), ("/api/v1/languages/", "language"),
                          ("/api/v1/education-records/", "education")):
        for role, names in (("liaison", ("student", "uni")), ("recruiter", ("student", "ward_b")),
                            ("student", ("student",))):
            expected = {getattr(w, f"{prefix}_{name}").pk for name in names}
            assert _ids(_client(w, role), route) == expected, (route, role)


def test_an_out_of_scope_filter_looks_like_one_that_matches_nothing(world) -> None:  # type: ignore[no-untyped-def]
    liaison = _client(world, "liaison")
    assert _ids(liaison, "/api/v1/candidates/", organization=world.ward_b.pk) == set()
    assert _ids(liaison, "/api/v1/candidates/", organization=MISSING) == set()
    assert _ids(liaison, "/api/v1/achievements/", candidate=world.c_ward_b.pk) == set()
    assert _ids(liaison, "/api/v1/achievements/", candidate=MISSING) == set()


def _error_text(response: Any, field: str, *ids: int) -> str:
    text = str(response.json()[field])
    for value in ids:
        text = text.replace(str(value), "N")
    return text


def test_writes_cannot_reach_outside_the_scope(world) -> None:  # type: ignore[no-untyped-def]
    """Creating or moving a record into an organization outside the scope is refused exactly like
    naming an id that does not exist (400, same message): nothing tells the caller it exists."""
    w = world
    liaison = _client(w, "liaison")
    body = {"full_name": "Đỗ Minh Khang", "gender": "male", "date_of_birth": "2006-02-03"}
    outside = liaison.post("/api/v1/candidates/", {**body, "organization": w.ward_b.pk}, format="json")
    missing = liaison.post("/api/v1/candidates/", {**body, "organization": MISSING}, format="json")
    assert outside.status_code == missing.status_code == 400
    assert _error_text(outside, "organization", w.ward_b.pk) == _error_text(missing, "organization", MISSING)
    moved = liaison.patch(f"/api/v1/candidates/{w.c_uni.pk}/", {"organization": w.ward_b.pk}, format="json")
    assert moved.status_code == 400
    w.c_uni.refresh_from_db()
    assert w.c_uni.organization_id == w.uni.pk
    # A student adds achievements to their own record only.
    student = _client(w, "student")
    other = student.post("/api/v1/achievements/", {"candidate": w.c_uni.pk, "category": "award", "level": "school",
                                                   "year": 2025, "title": "x"}, format="json")
    nobody = student.post("/api/v1/achievements/", {"candidate": MISSING, "category": "award", "level": "school",
                                                    "year": 2025, "title": "x"}, format="json")
    assert other.status_code == nobody.status_code == 400
    assert _error_text(other, "candidate", w.c_uni.pk) == _error_text(nobody, "candidate", MISSING)
    own = student.post("/api/v1/achievements/", {"candidate": w.c_student.pk, "category": "award", "level": "school",
                                                 "year": 2025, "title": "Thanh niên tiên tiến"}, format="json")
    assert own.status_code == 201 and own.json()["verification_status"] == "pending"
    # A recruiter cannot put someone they cannot see into a pool, nor take them out of one.
    recruiter = _client(w, "recruiter")
    assert recruiter.post(f"/api/v1/pools/{w.pool_shared.pk}/members/", {"candidate": w.c_uni.pk},
                          format="json").status_code == 400
    assert recruiter.delete(f"/api/v1/pools/{w.pool_shared.pk}/members/{w.c_uni.pk}/").status_code == 404


def test_pool_member_counts_are_what_the_reader_may_see(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    counts = {role: {p["id"]: p["member_count"] for p in _client(w, role).get("/api/v1/pools/").json()["results"]}
              for role in ("officer", "recruiter")}
    assert counts["officer"][w.pool_shared.pk] == 4
    assert counts["recruiter"] == {w.pool_shared.pk: 2}
    members = _client(w, "recruiter").get(f"/api/v1/pools/{w.pool_shared.pk}/members/").json()["results"]
    assert {m["id"] for m in members} == {w.c_student.pk, w.c_ward_b.pk}


def test_no_one_but_an_administrator_reads_the_audit_log_or_the_accounts(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    for role in ("officer", "liaison", "recruiter", "student"):
        client = _client(w, role)
        for url in ("/api/v1/audit-events/", f"/api/v1/audit-events/{w.some_event.pk}/",
                    f"/api/v1/audit-events/?candidate={w.c_student.pk}", "/api/v1/users/"):
            assert client.get(url).status_code == 403, (role, url)
    assert _client(w, "admin").get("/api/v1/audit-events/").json()["results"]
