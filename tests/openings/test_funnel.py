"""Funnel analytics against a hand-built history: cohorts, conversion, time in stage, units and
universities, the scope of each role, and the page."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from openings import funnel
from talent.models import Candidate, Role, StageTransition
from tests.factories import make_candidate, make_user

# The page's URLconf is included by the project's; these tests do not depend on that edit.
urlpatterns = [path("", include("openings.funnel_urls")), path("", include("config.urls"))]

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=HCM)


def write_history(candidate: Candidate, steps: list[tuple[str, dt.datetime]]) -> None:
    """Replace a candidate's history by ``steps`` (stage entered, when) and set their current stage."""
    StageTransition.objects.filter(candidate=candidate).delete()
    previous = ""
    for stage, when in steps:
        StageTransition.objects.create(candidate=candidate, from_stage=previous, to_stage=stage, created_at=when)
        previous = stage
    Candidate.objects.filter(pk=candidate.pk).update(stage=previous, stage_changed_at=steps[-1][1])


@pytest.fixture
def history(org_tree) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    """Five people; days in each stage in brackets.

    P1 (faculty, 2024): discovered [10] nominated [30] pool [30] shortlisted [60] recruited (now)
    P2 (faculty, 2024): discovered [10] nominated [30] pool [20] placement (now) — skips the shortlist
    P3 (ward A, 2024):  discovered [20] nominated [10] exited
    P4 (school A, 2025): discovered (now) — entered at 01:00 on 1/1/2025 local time, 31/12/2024 in UTC
    P5 (agency, 2025):  discovered [4] nominated [30] pool [10] nominated [10] pool (now) — went back once
    """
    o = org_tree
    names = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em")
    p = [make_candidate(unit, name, date_of_birth=dt.date(2003, 1, i))
         for i, (unit, name) in enumerate(zip((o.faculty, o.faculty, o.ward_a, o.school_a, o.agency), names), 1)]
    write_history(p[0], [("discovered", at(2024, 1, 10)), ("nominated", at(2024, 1, 20)), ("pool", at(2024, 2, 19)),
                         ("shortlisted", at(2024, 3, 20)), ("recruited", at(2024, 5, 19))])
    write_history(p[1], [("discovered", at(2024, 3, 1)), ("nominated", at(2024, 3, 11)), ("pool", at(2024, 4, 10)),
                         ("placement", at(2024, 4, 30))])
    write_history(p[2], [("discovered", at(2024, 6, 1)), ("nominated", at(2024, 6, 21)), ("exited", at(2024, 7, 1))])
    write_history(p[3], [("discovered", dt.datetime(2024, 12, 31, 18, 0, tzinfo=dt.timezone.utc))])
    write_history(p[4], [("discovered", at(2025, 2, 1)), ("nominated", at(2025, 2, 5)), ("pool", at(2025, 3, 7)),
                         ("nominated", at(2025, 3, 17)), ("pool", at(2025, 3, 27))])
    return SimpleNamespace(org=o, people=p, admin=make_user(Role.ADMIN, o.city, username="adm"))


def rows(frame, cohort):  # type: ignore[no-untyped-def]
    part = frame[frame["cohort"] == cohort].set_index("stage")
    return {stage: (r.entered, r.reached, r.share, None if r.from_previous != r.from_previous else r.from_previous)
            for stage, r in part.iterrows()}


def test_cohorts_are_the_local_year_of_the_first_step(history) -> None:  # type: ignore[no-untyped-def]
    frame = funnel.load_history(history.admin)
    assert funnel.cohorts(frame).to_dict() == {history.people[0].pk: 2024, history.people[1].pk: 2024,
                                               history.people[2].pk: 2024, history.people[3].pk: 2025,
                                               history.people[4].pk: 2025}


def test_conversion_per_cohort_against_the_hand_count(history) -> None:  # type: ignore[no-untyped-def]
    table = funnel.conversion(funnel.load_history(history.admin))
    assert sorted(set(table["cohort"])) == [2024, 2025]
    assert set(table.loc[table["cohort"] == 2024, "cohort_size"]) == {3}
    # (entered, reached or beyond, share of the cohort %, conversion from the previous stage %)
    assert rows(table, 2024) == {
        "discovered": (3, 3, 100.0, None),
        "nominated": (3, 3, 100.0, 100.0),
        "pool": (2, 2, 66.7, 66.7),
        "shortlisted": (1, 2, 66.7, 100.0),  # P2 went past it to a placement
        "placement": (1, 2, 66.7, 100.0),  # P1 was recruited without one
        "recruited": (1, 1, 33.3, 50.0),
        "planning": (0, 0, 0.0, 0.0),
        "appointed": (0, 0, 0.0, None),  # nobody reached the stage before
    }
    assert rows(table, 2025) == {
        "discovered": (2, 2, 100.0, None), "nominated": (1, 1, 50.0, 50.0), "pool": (1, 1, 50.0, 100.0),
        "shortlisted": (0, 0, 0.0, 0.0), "placement": (0, 0, 0.0, None), "recruited": (0, 0, 0.0, None),
        "planning": (0, 0, 0.0, None), "appointed": (0, 0, 0.0, None),
    }
    overall = funnel.conversion(funnel.load_history(history.admin), by_cohort=False)
    assert set(overall["cohort"]) == {"all"} and set(overall["cohort_size"]) == {5}
    assert list(overall["reached"]) == [5, 4, 3, 2, 2, 1, 0, 0]


def test_time_in_stage_against_the_hand_count(history) -> None:  # type: ignore[no-untyped-def]
    table = funnel.time_in_stage(funnel.load_history(history.admin)).set_index("stage")
    got = {stage: (r.median_days, r.left, r.still_in) for stage, r in table.iterrows()}
    assert got["discovered"] == (10.0, 4, 1)  # 10, 10, 20, 4; P4 still there
    assert got["nominated"] == (30.0, 5, 0)  # 30, 30, 10 (to exit), 30, 10 (P5 twice)
    assert got["pool"] == (20.0, 3, 1)  # 30, 20, 10 (back to nominated); P5 there again
    assert got["shortlisted"] == (60.0, 1, 0)
    assert got["recruited"][1:] == (0, 1) and got["placement"][1:] == (0, 1)
    assert got["recruited"][0] != got["recruited"][0]  # nobody left: no median (NaN)
    assert (table.loc["discovered", "p25_days"], table.loc["discovered", "p75_days"]) == (8.5, 12.5)


def test_units_and_universities_that_bring_people_who_progress(history) -> None:  # type: ignore[no-untyped-def]
    report = funnel.funnel_report(history.admin, min_size=2)
    o = history.org
    units = report.units.set_index("organization_id")
    # The agency employs P5 rather than nominating them: it is not in the units table.
    # Progressing units first; the small ones last, then by name ("THPT …" sorts before "Đoàn …").
    assert list(units.index) == [o.faculty.pk, o.school_a.pk, o.ward_a.pk]
    faculty = units.loc[o.faculty.pk]
    assert (faculty["candidates"], faculty["pool"], faculty["shortlisted"], faculty["recruited"]) == (2, 2, 2, 1)
    assert (faculty["pool_pct"], faculty["recruited_pct"], bool(faculty["small"])) == (100.0, 50.0, False)
    ward = units.loc[o.ward_a.pk]
    assert (ward["candidates"], ward["pool"], bool(ward["small"])) == (1, 0, True)
    universities = report.universities
    assert list(universities["university_id"]) == [o.uni.pk]
    assert list(universities.iloc[0][["university", "candidates", "shortlisted", "recruited"]]) == [
        o.uni.name, 2, 2, 1]
    # With the default minimum of 10, every unit here is too small to judge.
    assert funnel.funnel_report(history.admin).units["small"].all()


def test_each_role_sees_its_own_subtree(history) -> None:  # type: ignore[no-untyped-def]
    o = history.org
    ward = make_user(Role.OFFICER, o.ward_a)
    liaison = make_user(Role.LIAISON, o.uni)
    assert funnel.funnel_report(ward).overall["cohort_size"].iloc[0] == 2  # P3 and P4 (school A is below ward A)
    assert set(funnel.load_history(ward)["candidate_id"]) == {history.people[2].pk, history.people[3].pk}
    report = funnel.funnel_report(liaison)
    assert set(report.candidates.index) == {history.people[0].pk, history.people[1].pk}
    assert list(report.universities["candidates"]) == [2]
    nobody = funnel.funnel_report(make_user(Role.OFFICER, None))
    assert nobody.overall.empty and nobody.units.empty and nobody.time_in_stage.empty


# --- The page -----------------------------------------------------------------------------------------


pytestmark_page = pytest.mark.urls(__name__)


@pytestmark_page
def test_the_page_draws_the_funnel_with_attributes_only(client, history) -> None:  # type: ignore[no-untyped-def]
    client.force_login(history.admin)
    response = client.get("/analytics/funnel/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'style="' not in html
    reached = dict(re.findall(r'data-stage="(\w+)" data-reached="(\d+)"', html))
    assert reached == {"discovered": "5", "nominated": "4", "pool": "3", "shortlisted": "2", "placement": "2",
                       "recruited": "1", "planning": "0", "appointed": "0"}
    # Widths are plain numbers, never with a decimal comma.
    widths = re.findall(r'class="hbar-fill tone-\d" x="0" y="0" width="([^"]+)"', html)
    assert widths and all(re.fullmatch(r"\d+(\.\d+)?", w) for w in widths)
    assert 'width="60.00"' in html  # pool: 3 of 5
    assert history.org.uni.name in html and history.org.faculty.name in html
    assert 'data-cohort="2024"' in html and 'data-cohort="2025"' in html

    cohort = client.get("/analytics/funnel/", {"cohort": "2025"}).content.decode()
    assert dict(re.findall(r'data-stage="(\w+)" data-reached="(\d+)"', cohort))["nominated"] == "1"
    fallback = client.get("/analytics/funnel/", {"cohort": "1999"}).content.decode()
    assert dict(re.findall(r'data-stage="(\w+)" data-reached="(\d+)"', fallback))["discovered"] == "5"


@pytestmark_page
def test_the_page_is_for_staff_and_scoped(client, history) -> None:  # type: ignore[no-untyped-def]
    o = history.org
    for role, org in ((Role.RECRUITER, o.agency), (Role.STUDENT, o.faculty)):
        client.force_login(make_user(role, org))
        response = client.get("/analytics/funnel/")
        # Refused (this module's own URLconf has no handler sending a student on to /me/).
        assert response.status_code == 403
    client.logout()
    assert client.get("/analytics/funnel/").status_code == 302
    client.force_login(make_user(Role.OFFICER, o.ward_a))
    html = client.get("/analytics/funnel/").content.decode()
    assert 'data-stage="discovered" data-reached="2"' in html
    assert o.faculty.name not in html


@pytestmark_page
def test_the_page_does_not_query_per_candidate(client, history) -> None:  # type: ignore[no-untyped-def]
    client.force_login(history.admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/analytics/funnel/").status_code == 200
        return len(ctx)

    before = queries()
    for i in range(6):
        person = make_candidate(history.org.faculty if i % 2 else history.org.ward_b, f"Đỗ Văn {'ABCDEF'[i]}",
                                date_of_birth=dt.date(2004, 2, i + 1))
        write_history(person, [("discovered", at(2023, 5, i + 1)), ("nominated", at(2023, 6, i + 1))])
    assert queries() == before
