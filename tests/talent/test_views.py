"""The server-rendered pages: login, dashboard, candidate list/detail/register/edit, stage changes.

Fixtures ``org_tree``, ``officer`` (city union), ``ward_officer`` (ward A only) and ``admin_user``
come from tests/conftest.py; data is built through the services by tests/factories.py.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talent import services
from talent.models import Candidate, Role, Stage, StageTransition
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db

CCCD_AN = "079205001234"  # TP.HCM, male born in 2005


@pytest.fixture
def people(org_tree):  # type: ignore[no-untyped-def]
    return {
        "an": make_candidate(org_tree.school_a, "Nguyễn Văn An", citizen_id=CCCD_AN, email="an@example.vn",
                             party_member=True, party_joined_on=dt.date(2024, 5, 19)),
        "anh": make_candidate(org_tree.school_a, "Nguyễn Vân Anh", gender="female", province_code=92),
        "dat": make_candidate(org_tree.school_b, "Trần Đức Đạt"),
        "vinh": make_candidate(org_tree.school_b, "Phạm Nguyễn Văn Vinh"),
        "nga": make_candidate(org_tree.faculty, "Lê Thị Nga", gender="female"),
    }


def letters(i: int) -> str:
    """A distinct letters-only suffix (names may not contain digits): 0 → "A", 27 → "BB"."""
    return chr(65 + i % 26) * (1 + i // 26)


def row_ids(response) -> set[int]:  # type: ignore[no-untyped-def]
    return {int(pk) for pk in re.findall(r'<tr data-candidate-id="(\d+)"', response.content.decode())}


def ids(*candidates: Candidate) -> set[int]:
    return {c.pk for c in candidates}


class TestLoginRequired:
    @pytest.mark.parametrize("name, args", [
        ("dashboard", []), ("candidate-list", []), ("candidate-create", []), ("pool-list", []),
        ("candidate-detail", [1]), ("candidate-edit", [1]),
    ])
    def test_pages_redirect_to_login(self, client, name, args) -> None:  # type: ignore[no-untyped-def]
        url = reverse(name, args=args)
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    def test_advance_redirects_to_login(self, client, people) -> None:  # type: ignore[no-untyped-def]
        response = client.post(reverse("candidate-advance", args=[people["an"].pk]), {"to_stage": Stage.NOMINATED})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        people["an"].refresh_from_db()
        assert people["an"].stage == Stage.DISCOVERED


class TestLogin:
    def test_page_is_vietnamese(self, client) -> None:  # type: ignore[no-untyped-def]
        response = client.get("/accounts/login/")
        html = response.content.decode()
        assert response.status_code == 200
        assert re.search(r"<title>[^<]*Đăng nhập", html)
        assert re.search(r"<h1[^>]*>\s*Đăng nhập", html)
        for text in ("Tên đăng nhập", "Mật khẩu", "Young Talent Pipeline",
                     "Hệ thống phát hiện, bồi dưỡng và trọng dụng tài năng trẻ"):
            assert text in html
        assert '<html lang="vi">' in html

    def test_bad_credentials_show_vietnamese_error(self, client, officer) -> None:  # type: ignore[no-untyped-def]
        response = client.post("/accounts/login/", {"username": officer.username, "password": "sai-mat-khau"})
        assert response.status_code == 200
        assert "Vui lòng điền vào" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_good_credentials_go_to_dashboard(self, client, org_tree) -> None:  # type: ignore[no-untyped-def]
        make_user(Role.OFFICER, org_tree.city, username="dangnhap", password="Mat-khau-2026")
        response = client.post("/accounts/login/", {"username": "dangnhap", "password": "Mat-khau-2026"})
        assert response.status_code == 302
        assert response["Location"] == reverse("dashboard")

    def test_logout_is_a_post_form(self, client, officer) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        html = client.get("/").content.decode()
        assert re.search(r'<form action="/accounts/logout/" method="post"', html)
        response = client.post("/accounts/logout/")
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session


class TestLayout:
    def test_nothing_loads_from_another_site(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        pages = ["/accounts/login/"]
        client.force_login(officer)
        pages += ["/", "/candidates/", f"/candidates/{people['an'].pk}/", "/candidates/new/"]
        for url in pages:
            html = client.get(url).content.decode()
            assert not re.search(r'(src|href|action)="(https?:)?//', html), url
        assert "/static/django_htmx/htmx-2.min.js" in html

    def test_admin_link_only_for_staff(self, client, officer, admin_user) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        assert 'href="/admin/"' not in client.get("/").content.decode()
        client.force_login(admin_user)
        assert 'href="/admin/"' in client.get("/").content.decode()

    def test_header_shows_user_role_and_language_switch(self, client, officer) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        html = client.get("/").content.decode()
        assert "Cán bộ Đoàn" in html
        assert 'action="/i18n/setlang/"' in html
        assert "Tiếng Việt" in html and "English" in html
        assert 'href="/api/docs/"' in html

    def test_language_switch_sets_english(self, client, officer) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/candidates/"})
        assert response.status_code == 302
        assert response["Location"] == "/candidates/"
        assert '<html lang="en">' in client.get("/candidates/").content.decode()


class TestDashboard:
    def test_renders_stage_and_organization_charts(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        services.candidate_advance(candidate=people["dat"], to_stage=Stage.NOMINATED, actor=officer)
        client.force_login(officer)
        response = client.get("/")
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="chart-stage"' in html and 'id="chart-organization"' in html
        assert re.search(r'data-testid="total-count">\s*5<', html)
        # Every stage is a bar linking to the filtered list, zeros included.
        for stage in Stage.values:
            assert f'href="/candidates/?stage={stage}"' in html
        assert "THPT Trần Đại Nghĩa" in html  # the organization chart

    def test_counts_are_scoped(self, client, ward_officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(ward_officer)
        html = client.get("/").content.decode()
        assert re.search(r'data-testid="total-count">\s*2<', html)
        assert "THPT Trần Đại Nghĩa" not in html


class TestCandidateList:
    def test_search_without_diacritics_returns_only_matches(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        response = client.get("/candidates/", {"search": "nguyen van"})
        assert response.status_code == 200
        # "Nguyễn Văn An" starts with it, "Phạm Nguyễn Văn Vinh" has it at a word start; "Nguyễn Vân Anh" too.
        assert row_ids(response) == ids(people["an"], people["vinh"], people["anh"])
        assert 'class="candidate-link"' in response.content.decode()

    def test_rows_show_required_columns(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        html = client.get("/candidates/", {"search": "tran duc"}).content.decode()
        assert f'href="/candidates/{people["dat"].pk}/"' in html
        assert "14/03/2005" in html and "THPT Trần Đại Nghĩa" in html
        assert "Phát hiện" in html and "Nam" in html

    def test_scope_limits_rows(self, client, ward_officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(ward_officer)
        assert row_ids(client.get("/candidates/")) == ids(people["an"], people["anh"])

    def test_filters(self, client, officer, org_tree, people) -> None:  # type: ignore[no-untyped-def]
        services.candidate_advance(candidate=people["dat"], to_stage=Stage.NOMINATED, actor=officer)
        services.education_record_add(candidate=people["nga"], actor=officer, level="university", start_year=2024,
                                      institution_name="ĐH Bách khoa")
        services.achievement_add(candidate=people["vinh"], actor=officer, category="olympiad", level="national",
                                 year=2024, title="Giải Nhất HSG quốc gia môn Toán", award_rank="first")
        client.force_login(officer)
        assert row_ids(client.get("/candidates/", {"stage": "nominated"})) == ids(people["dat"])
        assert row_ids(client.get("/candidates/", {"organization": org_tree.ward_b.pk})) == ids(
            people["dat"], people["vinh"])
        assert row_ids(client.get("/candidates/", {"gender": "female"})) == ids(people["anh"], people["nga"])
        assert row_ids(client.get("/candidates/", {"province": 92})) == ids(people["anh"])
        assert row_ids(client.get("/candidates/", {"school_year": 2025})) == ids(people["nga"])
        assert row_ids(client.get("/candidates/", {"achievement_level": "national"})) == ids(people["vinh"])
        assert row_ids(client.get("/candidates/", {"gender": "female", "search": "nguyen"})) == ids(people["anh"])

    def test_sorting(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        html = client.get("/candidates/", {"ordering": "-name"}).content.decode()
        order = [int(pk) for pk in re.findall(r'data-candidate-id="(\d+)"', html)]
        assert order[0] == people["dat"].pk  # "tran duc dat" is last alphabetically
        assert order[-1] == people["nga"].pk  # "le thi nga" first

    def test_invalid_params_are_reported_and_ignored(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        response = client.get("/candidates/", {"stage": "nonsense", "organization": "abc", "school_year": "x",
                                               "ordering": "drop table", "page": "zzz"})
        assert response.status_code == 200
        assert "không hợp lệ" in response.content.decode()
        assert row_ids(response) == ids(*people.values())

    def test_out_of_scope_organization_filter_is_refused(self, client, ward_officer, org_tree, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(ward_officer)
        response = client.get("/candidates/", {"organization": org_tree.ward_b.pk})
        assert response.status_code == 200
        assert not row_ids(response) & ids(people["dat"], people["vinh"])

    def test_htmx_request_gets_only_the_results(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        response = client.get("/candidates/", {"search": "le thi"}, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in html and "<nav class=\"mainnav\"" not in html and "<form" not in html
        assert row_ids(response) == ids(people["nga"])
        assert "HX-Request" in response["Vary"]
        # The count is also sent out of band to the page's persistent live region.
        assert re.search(r'id="results-status"[^>]*hx-swap-oob="true"[^>]*>Tìm thấy 1 ứng viên<', html)

    def test_htmx_history_restore_gets_the_full_page(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        response = client.get("/candidates/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
        assert "<html" in response.content.decode()

    def test_search_form_is_wired_for_htmx_and_plain_get(self, client, officer) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        html = client.get("/candidates/").content.decode()
        form = re.search(r"<form class=\"card filter-form\"[^>]*>", html).group(0)
        assert 'method="get"' in form and 'action="/candidates/"' in form
        assert 'hx-get="/candidates/"' in form and 'hx-target="#results"' in form and 'hx-push-url="true"' in form

    def test_pagination_keeps_filters(self, client, officer, org_tree) -> None:  # type: ignore[no-untyped-def]
        for i in range(27):
            make_candidate(org_tree.school_a, f"Nguyễn Thị Mai {letters(i)}", gender="female")
        client.force_login(officer)
        first = client.get("/candidates/", {"gender": "female"})
        assert len(row_ids(first)) == 25
        assert "gender=female&amp;page=2" in first.content.decode()
        second = client.get("/candidates/", {"gender": "female", "page": 2})
        assert len(row_ids(second)) == 2
        assert not row_ids(first) & row_ids(second)

    def test_query_count_does_not_grow_with_page_size(self, client, officer, org_tree,
                                                      django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
        for i in range(3):
            make_candidate(org_tree.school_a, f"Hoàng Văn Nam {letters(i)}")
        client.force_login(officer)
        client.get("/candidates/")  # warm the session
        with CaptureQueriesContext(connection) as small:
            assert len(row_ids(client.get("/candidates/"))) == 3
        for i in range(40):
            make_candidate([org_tree.school_b, org_tree.faculty, org_tree.ward_a][i % 3],
                           f"Võ Thị Hoa {letters(i)}", gender="female")
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert len(row_ids(client.get("/candidates/"))) == 25


class TestCandidateDetail:
    def test_sections(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        an = people["an"]
        services.education_record_add(candidate=an, actor=officer, level="university", start_year=2023,
                                      institution_name="ĐH Bách khoa", major="Khoa học máy tính", gpa="3.65",
                                      conduct_score=92)
        services.achievement_add(candidate=an, actor=officer, category="olympiad", level="national", year=2023,
                                 title="Giải Nhì HSG quốc gia môn Tin học", award_rank="second")
        services.language_certificate_add(candidate=an, actor=officer, language="en", level=4, certificate="IELTS 6.5")
        client.force_login(officer)
        response = client.get(reverse("candidate-detail", args=[an.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        for text in ("Nguyễn Văn An", "14/03/2005", "an@example.vn", "THPT Lê Hồng Phong", "Khoa học máy tính",
                     "3,65/4", "Xuất sắc", "92 (Xuất sắc)", "Giải Nhì HSG quốc gia môn Tin học", "Cấp quốc gia",
                     "Chờ xác minh", "bậc 4", "B2", "Lịch sử giai đoạn", "Chuyển giai đoạn", "Đăng ký"):
            assert text in html, text
        assert CCCD_AN in html  # officers in scope read the clear citizen ID
        client.force_login(make_user(Role.LIAISON, an.organization))
        html = client.get(reverse("candidate-detail", args=[an.pk])).content.decode()
        assert "079******234" in html and CCCD_AN not in html

    def test_party_membership_only_for_officers_and_admins(self, client, officer, org_tree) -> None:  # type: ignore[no-untyped-def]
        nga = make_candidate(org_tree.faculty, "Lê Thị Nga", gender="female", party_member=True)
        client.force_login(officer)
        assert "Đảng viên" in client.get(reverse("candidate-detail", args=[nga.pk])).content.decode()
        liaison = make_user(Role.LIAISON, org_tree.uni)
        client.force_login(liaison)
        response = client.get(reverse("candidate-detail", args=[nga.pk]))
        assert response.status_code == 200
        assert "Đảng viên" not in response.content.decode()

    def test_sibling_subtree_is_404(self, client, ward_officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(ward_officer)
        assert client.get(reverse("candidate-detail", args=[people["an"].pk])).status_code == 200
        assert client.get(reverse("candidate-detail", args=[people["dat"].pk])).status_code == 404
        assert client.get(reverse("candidate-detail", args=[999999])).status_code == 404

    def test_advance_form_offers_only_allowed_stages(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        html = client.get(reverse("candidate-detail", args=[people["an"].pk])).content.decode()
        select = re.search(r'<select name="to_stage".*?</select>', html, re.S).group(0)
        offered = set(re.findall(r'<option value="(\w+)"', select))
        assert offered == {Stage.NOMINATED, Stage.EXITED}


class TestAdvance:
    def url(self, candidate: Candidate) -> str:
        return reverse("candidate-advance", args=[candidate.pk])

    def test_htmx_success_rerenders_the_stage_panel(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        an = people["an"]
        client.force_login(officer)
        response = client.post(self.url(an), {"to_stage": Stage.NOMINATED, "reason": "Thủ khoa khối A00"},
                               HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="stage-panel"' in html and "<html" not in html
        assert "Đã chuyển sang giai đoạn «Được giới thiệu»." in html
        assert "Thủ khoa khối A00" in html
        assert 'id="stage-badge"' in html and 'hx-swap-oob="true"' in html
        an.refresh_from_db()
        assert an.stage == Stage.NOMINATED
        last = StageTransition.objects.filter(candidate=an).latest("created_at")
        assert (last.from_stage, last.to_stage, last.actor) == (Stage.DISCOVERED, Stage.NOMINATED, officer)

    def test_plain_post_success_redirects_with_message(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        response = client.post(self.url(people["an"]), {"to_stage": Stage.NOMINATED}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("candidate-detail", args=[people["an"].pk])
        assert "Đã chuyển sang giai đoạn «Được giới thiệu»." in response.content.decode()

    def test_forbidden_transition_shows_error_and_changes_nothing(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        an = people["an"]
        client.force_login(officer)
        before = StageTransition.objects.filter(candidate=an).count()
        response = client.post(self.url(an), {"to_stage": Stage.RECRUITED}, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Không thể chuyển từ «Phát hiện» sang «Đã tuyển dụng»" in html
        an.refresh_from_db()
        assert an.stage == Stage.DISCOVERED
        assert StageTransition.objects.filter(candidate=an).count() == before

    def test_exit_without_reason_is_refused_without_htmx(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        response = client.post(self.url(people["an"]), {"to_stage": Stage.EXITED})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Cần ghi lý do" in html and "<html" in html
        people["an"].refresh_from_db()
        assert people["an"].stage == Stage.DISCOVERED

    def test_unknown_stage_is_a_form_error(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        response = client.post(self.url(people["an"]), {"to_stage": "moon"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "lựa chọn hợp lệ" in response.content.decode()

    def test_get_is_not_allowed_and_out_of_scope_is_404(self, client, ward_officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(ward_officer)
        assert client.get(self.url(people["an"])).status_code == 405
        assert client.post(self.url(people["dat"]), {"to_stage": Stage.NOMINATED}).status_code == 404
        people["dat"].refresh_from_db()
        assert people["dat"].stage == Stage.DISCOVERED


def form_data(org, **overrides):  # type: ignore[no-untyped-def]
    data = {"full_name": "trần   thị bình", "gender": "female", "date_of_birth": "02/09/2006",
            "ethnicity": "Tày", "province_code": "79", "email": "Binh@Example.vn", "phone": "0912 345 678",
            "citizen_id": "079306123456", "exam_number": "02012345", "exam_year": "2024",
            "organization": str(org.pk), "youth_union_member": "on", "political_theory": ""}
    data.update(overrides)
    return data


class TestCandidateCreate:
    def test_happy_path(self, client, officer, org_tree) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        response = client.post(reverse("candidate-create"), form_data(org_tree.school_b), follow=True)
        candidate = Candidate.objects.get(name_key="tran thi binh")
        assert response.redirect_chain[-1][0] == reverse("candidate-detail", args=[candidate.pk])
        assert "Đã đăng ký ứng viên Trần Thị Bình." in response.content.decode()
        assert candidate.date_of_birth == dt.date(2006, 9, 2)
        assert candidate.organization == org_tree.school_b
        assert (candidate.phone, candidate.email, candidate.exam_number) == ("0912345678", "binh@example.vn", "02012345")
        assert candidate.youth_union_member and candidate.is_ethnic_minority
        assert candidate.citizen_id_masked == "079******456"
        assert candidate.created_by == officer

    def test_field_errors_are_vietnamese_and_nothing_is_saved(self, client, officer, org_tree) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        future = (dt.date.today() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
        response = client.post(reverse("candidate-create"), form_data(
            org_tree.school_a, phone="12345", citizen_id="07930612", date_of_birth=future))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Số điện thoại di động không hợp lệ" in html
        assert "Số CCCD phải gồm đúng 12 chữ số." in html
        assert "Ngày sinh không được ở tương lai." in html
        assert 'aria-invalid="true"' in html
        assert not Candidate.objects.exists()

    def test_cccd_must_match_gender_and_year(self, client, officer, org_tree) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        html = client.post(reverse("candidate-create"), form_data(
            org_tree.school_a, citizen_id="079206123456")).content.decode()  # 4th digit 2 = male
        assert "không khớp với giới tính" in html
        assert not Candidate.objects.exists()

    def test_required_fields_and_bad_date(self, client, officer, org_tree) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        html = client.post(reverse("candidate-create"), {"date_of_birth": "31/02/2006"}).content.decode()
        assert html.count("Trường này là bắt buộc.") >= 3  # name, gender, organization
        assert "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy." in html

    def test_duplicate_cccd_is_reported_on_the_field(self, client, officer, org_tree, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        html = client.post(reverse("candidate-create"), form_data(
            org_tree.school_a, full_name="Nguyễn Văn An", gender="male", date_of_birth="14/03/2005",
            citizen_id=CCCD_AN, exam_number="")).content.decode()
        assert "Số CCCD này đã có trong hệ thống." in html
        assert Candidate.objects.filter(name_key="nguyen van an").count() == 1

    def test_organization_outside_scope_is_not_offered_nor_accepted(self, client, ward_officer, org_tree) -> None:  # type: ignore[no-untyped-def]
        client.force_login(ward_officer)
        page = client.get(reverse("candidate-create")).content.decode()
        assert f'<option value="{org_tree.school_a.pk}"' in page
        assert f'<option value="{org_tree.school_b.pk}"' not in page
        response = client.post(reverse("candidate-create"), form_data(org_tree.school_b))
        assert response.status_code == 200
        assert "nằm ngoài phạm vi quản lý của bạn" in response.content.decode()
        assert not Candidate.objects.exists()

    @pytest.mark.parametrize("year", ["1999", str(dt.date.today().year + 2)])
    def test_exam_year_range_comes_from_the_service(self, client, officer, org_tree, year) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        response = client.post(reverse("candidate-create"), form_data(org_tree.school_a, exam_year=year))
        html = response.content.decode()
        assert response.status_code == 200
        error = re.search(r'id="id_exam_year_error">(.*?)</div>', html, re.S)
        assert error and "Năm thi phải trong khoảng 2000–" in error.group(1)
        assert not Candidate.objects.exists()

    def test_party_fields_hidden_for_liaison(self, client, org_tree) -> None:  # type: ignore[no-untyped-def]
        liaison = make_user(Role.LIAISON, org_tree.uni)
        client.force_login(liaison)
        html = client.get(reverse("candidate-create")).content.decode()
        assert 'name="party_member"' not in html
        response = client.post(reverse("candidate-create"), form_data(org_tree.faculty, party_member="on"))
        assert response.status_code == 302
        assert Candidate.objects.get().party_member is False


class TestCandidateEdit:
    def test_form_is_prefilled_in_vietnamese_date_format(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        html = client.get(reverse("candidate-edit", args=[people["an"].pk])).content.decode()
        assert 'value="Nguyễn Văn An"' in html
        assert 'value="14/03/2005"' in html
        assert CCCD_AN not in html  # never echoed back, not even in the form
        assert "Để trống để giữ nguyên số CCCD đã lưu." in html

    def test_update_keeps_blank_cccd(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        an = people["an"]
        client.force_login(officer)
        response = client.post(reverse("candidate-edit", args=[an.pk]), {
            "full_name": "Nguyễn Văn An", "gender": "male", "date_of_birth": "14/03/2005",
            "organization": str(an.organization_id), "phone": "0987654321", "citizen_id": "",
            "email": "an@example.vn", "party_member": "on", "party_joined_on": "19/05/2024",
        }, follow=True)
        assert "Đã lưu thay đổi hồ sơ Nguyễn Văn An." in response.content.decode()
        an.refresh_from_db()
        assert an.phone == "0987654321"
        assert an.citizen_id_masked == "079******234"

    def test_update_errors_change_nothing(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        an = people["an"]
        client.force_login(officer)
        html = client.post(reverse("candidate-edit", args=[an.pk]), {
            "full_name": "Nguyễn Văn An 2", "gender": "male", "date_of_birth": "14/03/2005",
            "organization": str(an.organization_id),
        }).content.decode()
        assert "Họ và tên không được chứa chữ số." in html
        an.refresh_from_db()
        assert an.full_name == "Nguyễn Văn An"

    def test_out_of_scope_is_404(self, client, ward_officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(ward_officer)
        url = reverse("candidate-edit", args=[people["dat"].pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"full_name": "X Y"}).status_code == 404


class TestRoleGating:
    """Registering, editing and moving candidates is staff work: students and recruiters get 403 up front."""

    @pytest.fixture
    def student(self, org_tree, people):  # type: ignore[no-untyped-def]
        user = make_user(Role.STUDENT, org_tree.school_a, username="student_t")
        people["an"].user = user
        people["an"].save()
        return user

    @pytest.fixture
    def recruiter(self, org_tree):  # type: ignore[no-untyped-def]
        return make_user(Role.RECRUITER, org_tree.agency, username="recruiter_t")

    @pytest.fixture(params=["student", "recruiter"])
    def outsider(self, request):  # type: ignore[no-untyped-def]
        return request.getfixturevalue(request.param)

    @staticmethod
    def assert_forbidden(response) -> None:  # type: ignore[no-untyped-def]
        if response.status_code == 302:  # a student opening a staff page is sent to their own page
            assert response["Location"] == reverse("me-profile")
            return
        assert response.status_code == 403
        assert "Không có quyền truy cập" in response.content.decode()  # the project's 403.html

    def test_register_is_forbidden(self, client, outsider, org_tree) -> None:  # type: ignore[no-untyped-def]
        client.force_login(outsider)
        self.assert_forbidden(client.get(reverse("candidate-create")))
        self.assert_forbidden(client.post(reverse("candidate-create"), form_data(org_tree.school_a)))
        assert not Candidate.objects.filter(name_key="tran thi binh").exists()

    def test_edit_is_forbidden_even_for_a_visible_record(self, client, outsider, people) -> None:  # type: ignore[no-untyped-def]
        an = people["an"]
        client.force_login(outsider)
        for pk in (an.pk, 999999):  # the role check comes before the lookup: no 404 to probe ids with
            url = reverse("candidate-edit", args=[pk])
            self.assert_forbidden(client.get(url))
            self.assert_forbidden(client.post(url, {"full_name": "Nguyễn Văn Bình", "gender": "male",
                                                    "date_of_birth": "14/03/2005",
                                                    "organization": str(an.organization_id)}))
        an.refresh_from_db()
        assert an.full_name == "Nguyễn Văn An"

    def test_advance_is_forbidden(self, client, outsider, people) -> None:  # type: ignore[no-untyped-def]
        an = people["an"]
        client.force_login(outsider)
        url = reverse("candidate-advance", args=[an.pk])
        self.assert_forbidden(client.post(url, {"to_stage": Stage.NOMINATED}))
        assert client.post(url, {"to_stage": Stage.NOMINATED}, HTTP_HX_REQUEST="true").status_code == 403
        self.assert_forbidden(client.get(url))
        an.refresh_from_db()
        assert an.stage == Stage.DISCOVERED
        assert StageTransition.objects.filter(candidate=an).count() == 1

    def test_student_sees_own_record_without_controls(self, client, student, people) -> None:  # type: ignore[no-untyped-def]
        an = people["an"]
        client.force_login(student)
        response = client.get(reverse("candidate-detail", args=[an.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Nguyễn Văn An" in html
        assert reverse("candidate-edit", args=[an.pk]) not in html and "Sửa hồ sơ" not in html
        assert reverse("candidate-advance", args=[an.pk]) not in html and 'name="to_stage"' not in html
        assert "Lịch sử giai đoạn" in html and 'class="timeline"' in html  # the history stays visible

    def test_recruiter_detail_context_hides_controls(self, rf, recruiter, people) -> None:  # type: ignore[no-untyped-def]
        # Recruiters see no candidate yet (consent-based sharing comes later), so render the page directly.
        from django.template.loader import render_to_string

        from talent.views import _detail_context

        request = rf.get("/")
        request.user = recruiter
        an = people["an"]
        html = render_to_string("talent/candidate_detail.html",
                                {"candidate": an, **_detail_context(request, an)}, request=request)
        assert "Lịch sử giai đoạn" in html
        assert reverse("candidate-edit", args=[an.pk]) not in html
        assert reverse("candidate-advance", args=[an.pk]) not in html

    @pytest.mark.parametrize("role", [Role.LIAISON, Role.OFFICER])
    def test_managing_roles_keep_the_controls(self, client, org_tree, people, role) -> None:  # type: ignore[no-untyped-def]
        an = people["an"]
        client.force_login(make_user(role, org_tree.ward_a))
        html = client.get(reverse("candidate-detail", args=[an.pk])).content.decode()
        assert f'href="{reverse("candidate-edit", args=[an.pk])}"' in html
        assert f'action="{reverse("candidate-advance", args=[an.pk])}"' in html
        assert client.get(reverse("candidate-edit", args=[an.pk])).status_code == 200
        assert client.get(reverse("candidate-create")).status_code == 200


class TestExport:
    """The export button exports the list as it is filtered now, with or without JavaScript."""

    def job(self):  # type: ignore[no-untyped-def]
        from core.models import Job

        return Job.objects.get()

    def test_htmx_posts_the_current_filters_and_gets_a_client_redirect(self, client, officer, org_tree,
                                                                        people) -> None:  # type: ignore[no-untyped-def]
        from core.models import AuditEvent

        client.force_login(officer)
        # The URL's query string is the page as first loaded; the body is the filter form now.
        response = client.post("/candidates/export/?stage=pool",
                               {"search": "nguyen", "organization": str(org_tree.ward_a.pk), "stage": "",
                                "csrfmiddlewaretoken": "x"},
                               HTTP_HX_REQUEST="true")
        job = self.job()
        assert response.status_code == 200
        assert response["HX-Redirect"] == f"/jobs/{job.pk}/"
        assert job.params["filters"] == {"search": "nguyen", "organization": org_tree.ward_a.pk}
        assert isinstance(job.params["filters"]["organization"], int)
        assert AuditEvent.objects.filter(action="candidate.export", actor=officer).exists()

    def test_htmx_with_cleared_filters_exports_everything(self, client, officer, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        response = client.post("/candidates/export/?search=nguyen", {"search": "", "stage": "",
                                                                     "csrfmiddlewaretoken": "x"},
                               HTTP_HX_REQUEST="true")
        assert "HX-Redirect" in response
        assert self.job().params["filters"] == {}

    def test_out_of_scope_organization_is_dropped(self, client, ward_officer, org_tree, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(ward_officer)
        client.post("/candidates/export/", {"organization": str(org_tree.ward_b.pk)}, HTTP_HX_REQUEST="true")
        assert self.job().params["filters"] == {}

    def test_no_js_fallback_uses_the_page_query_string(self, client, officer, org_tree, people) -> None:  # type: ignore[no-untyped-def]
        import html as html_lib

        client.force_login(officer)
        page = client.get("/candidates/", {"search": "nguyen", "organization": org_tree.ward_a.pk}).content.decode()
        assert re.search(r'<form class="card filter-form" id="candidate-filters"', page)
        export_form = re.search(r'<form method="post" action="/candidates/export/[^>]*>', page, re.S).group(0)
        assert 'hx-post="/candidates/export/"' in export_form and 'hx-include="#candidate-filters"' in export_form
        action = html_lib.unescape(re.search(r'action="([^"]*)"', export_form).group(1))
        assert action == f"/candidates/export/?search=nguyen&organization={org_tree.ward_a.pk}"
        # A plain form post carries only the CSRF token; the filters come from the action's query string.
        response = client.post(action, {"csrfmiddlewaretoken": "x"})
        job = self.job()
        assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
        assert "HX-Redirect" not in response
        assert job.params["filters"] == {"search": "nguyen", "organization": org_tree.ward_a.pk}


class TestScopedQuerysetMixin:
    def test_scopes_to_the_user_and_refuses_unscoped_models(self, rf, ward_officer, people) -> None:  # type: ignore[no-untyped-def]
        from django.core.exceptions import ImproperlyConfigured
        from django.views.generic import ListView

        from core.mixins import ScopedQuerysetMixin
        from talent.models import PoolMembership

        class Candidates(ScopedQuerysetMixin, ListView):
            model = Candidate

        class Events(ScopedQuerysetMixin, ListView):
            model = PoolMembership

        request = rf.get("/")
        request.user = ward_officer
        assert set(Candidates(request=request).get_queryset()) == {people["an"], people["anh"]}
        with pytest.raises(ImproperlyConfigured):
            Events(request=request).get_queryset()

    def test_anonymous_is_sent_to_login(self, rf) -> None:  # type: ignore[no-untyped-def]
        from django.contrib.auth.models import AnonymousUser
        from django.views.generic import ListView

        from core.mixins import ScopedQuerysetMixin

        class Candidates(ScopedQuerysetMixin, ListView):
            model = Candidate

        request = rf.get("/x/")
        request.user = AnonymousUser()
        response = Candidates.as_view()(request)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


class TestPoolsAndAdmin:
    def test_pool_list_is_scoped(self, client, officer, ward_officer, org_tree, people) -> None:  # type: ignore[no-untyped-def]
        pool = services.pool_create(actor=officer, name="Nguồn tài năng trẻ phường Bến Thành", kind="young_talent",
                                    owner=org_tree.ward_b, term="2025-2030")
        services.pool_add(pool=pool, candidate=people["dat"], actor=officer)
        client.force_login(officer)
        html = client.get(reverse("pool-list")).content.decode()
        assert "Nguồn tài năng trẻ phường Bến Thành" in html and "2025-2030" in html
        client.force_login(ward_officer)
        assert "Nguồn tài năng trẻ phường Bến Thành" not in client.get(reverse("pool-list")).content.decode()

    def test_pool_list_bad_page_falls_back(self, client, officer) -> None:  # type: ignore[no-untyped-def]
        client.force_login(officer)
        for page in ("zzz", "9999"):
            assert client.get(reverse("pool-list"), {"page": page}).status_code == 200

    def test_admin_candidate_pages_never_show_the_cccd(self, client, admin_user, people) -> None:  # type: ignore[no-untyped-def]
        client.force_login(admin_user)
        assert client.get("/admin/talent/candidate/?q=Nguyễn").status_code == 200
        html = client.get(f"/admin/talent/candidate/{people['an'].pk}/change/").content.decode()
        assert "079******234" in html
        assert CCCD_AN not in html and "citizen_id_encrypted" not in html and "citizen_id_hash" not in html
        for url in ("/admin/talent/organization/", "/admin/talent/stagetransition/", "/admin/talent/talentpool/",
                    "/admin/core/auditevent/", "/admin/core/job/", "/admin/talent/userprofile/"):
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db(transaction=True)
def test_export_button_starts_a_job_and_the_progress_page_follows_it(org_tree, ward_officer, client, settings,
                                                                      tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from core.models import Job
    from tests.factories import make_candidate

    settings.MEDIA_ROOT = tmp_path
    make_candidate(org_tree.school_a, "Nguyễn Văn An")
    make_candidate(org_tree.school_a, "Lê Thị Hoa", gender="female")
    client.force_login(ward_officer)
    assert client.get("/candidates/export/").status_code == 405
    response = client.post("/candidates/export/?search=nguyen&stage=bogus")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.params == {"filters": {"search": "nguyen"}}
    page = client.get(f"/jobs/{job.pk}/")
    assert "Đang chờ" in page.content.decode() and 'hx-trigger="every 1s"' in page.content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--no-reload", verbosity=0)
    fragment = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "Hoàn thành" in fragment and "every 1s" not in fragment and f"/jobs/{job.pk}/download/" in fragment
    # Cancelling a finished job changes nothing; somebody else's job is 404.
    assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    client.force_login(__import__("tests.factories", fromlist=["make_user"]).make_user("officer", org_tree.city))
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_language_switch_gives_english_pages(client) -> None:  # type: ignore[no-untyped-def]
    assert "Đăng nhập" in client.get("/accounts/login/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in" in page and "Đăng nhập" not in page
    client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    assert "Đăng nhập" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_vietnamese_first_whatever_the_browser_asks(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page and 'lang="vi"' in page


def test_english_catalog_is_complete_and_compiled() -> None:
    from pathlib import Path

    locale = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
    po = (locale / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]  # the first block is the header
    untranslated = [e for e in entries if re.search(r'^msgstr(\[\d\])? ""\n?$', e.strip().splitlines()[-1])
                    and not e.strip().splitlines()[-1].startswith('"')]
    assert not untranslated, untranslated[:3]
    assert "#, fuzzy" not in "\n\n".join(entries)
    # The compiled catalog (committed: fresh machines have no msgfmt) carries every entry.
    import gettext

    with (locale / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert len(compiled._catalog) - 1 >= len(entries)  # minus the header


class TestAdminWritesGoThroughServices:
    def test_candidate_admin_is_view_only(self, client, admin_user, org_tree) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.school_a, "Nguyễn Văn An")
        client.force_login(admin_user)
        url = f"/admin/talent/candidate/{c.pk}/change/"
        assert client.get(url).status_code == 200
        client.post(url, {"full_name": "Ai Đó", "gender": "male", "date_of_birth": "14/03/2005",
                          "organization": org_tree.school_a.pk})
        c.refresh_from_db()
        assert c.full_name == "Nguyễn Văn An"

    def test_organization_admin_reports_service_errors_on_the_form(self, client, admin_user,
                                                                   org_tree) -> None:  # type: ignore[no-untyped-def]
        from core.models import AuditEvent

        client.force_login(admin_user)
        response = client.post("/admin/talent/organization/add/", {
            "code": "w-a", "name": "Trùng mã", "kind": "youth_union", "parent": org_tree.city.pk})
        assert response.status_code == 200
        assert "đã tồn tại" in response.content.decode()
        response = client.post(f"/admin/talent/organization/{org_tree.ward_a.pk}/change/", {
            "name": "Đoàn phường Sài Gòn mới", "kind": "youth_union", "province_code": 79})
        assert response.status_code == 302
        org_tree.ward_a.refresh_from_db()
        assert org_tree.ward_a.name == "Đoàn phường Sài Gòn mới"
        assert AuditEvent.objects.filter(action="organization.update", actor=admin_user).exists()

    def test_pool_admin_uses_the_service(self, client, admin_user, org_tree) -> None:  # type: ignore[no-untyped-def]
        from talent.models import TalentPool

        client.force_login(admin_user)
        base = {"name": "Quy hoạch", "kind": "planning", "owner": org_tree.city.pk, "description": "",
                "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
        bad = client.post("/admin/talent/talentpool/add/", {**base, "term": "2030-2025"})
        assert bad.status_code == 200 and "2025-2030" in bad.content.decode()
        assert TalentPool.objects.count() == 0
        ok = client.post("/admin/talent/talentpool/add/", {**base, "term": "2025-2030",
                                                           "shared_with": [org_tree.agency.pk]})
        assert ok.status_code == 302, ok.content.decode()[:2000]
        pool = TalentPool.objects.get()
        assert (pool.created_by, list(pool.shared_with.all())) == (admin_user, [org_tree.agency])

    def test_organization_added_in_admin_gets_its_path(self, client, admin_user, org_tree) -> None:  # type: ignore[no-untyped-def]
        from talent.models import Organization

        client.force_login(admin_user)
        response = client.post("/admin/talent/organization/add/", {
            "code": "cd-12a1", "name": "Chi đoàn 12A1", "kind": "youth_union", "parent": org_tree.school_a.pk})
        assert response.status_code == 302
        org = Organization.objects.get(code="CD-12A1")
        assert org.path == f"{org_tree.school_a.path}{org.pk}/"

    def test_verify_action(self, client, admin_user, org_tree) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.school_a)
        a = services.achievement_add(candidate=c, actor=None, category="olympiad", level="national", year=2025,
                                     title="HSG quốc gia")
        client.force_login(admin_user)
        client.post("/admin/talent/achievement/", {"action": "verify", "_selected_action": [a.pk]})
        a.refresh_from_db()
        assert (a.verification_status, a.verified_by) == ("verified", admin_user)


class TestReviewRegressionsOnPages:
    def test_static_path_escape_is_a_404(self, client) -> None:  # type: ignore[no-untyped-def]
        response = client.get("/static/../config/settings.py")
        assert response.status_code == 404 and "SECRET_KEY" not in response.content.decode()

    def test_static_files_are_served_by_the_app_with_debug_off(self, client, settings) -> None:  # type: ignore[no-untyped-def]
        assert not settings.DEBUG
        response = client.get("/static/css/app.css")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
        assert "max-age" in response.get("Cache-Control", "")

    def test_pool_admin_links_members_instead_of_inlining_them(self, client, admin_user, org_tree) -> None:  # type: ignore[no-untyped-def]
        pool = services.pool_create(actor=None, name="Nguồn", kind="young_talent", owner=org_tree.city)
        services.pool_add(pool=pool, candidate=make_candidate(org_tree.school_a), actor=None)
        client.force_login(admin_user)
        page = client.get(f"/admin/talent/talentpool/{pool.pk}/change/").content.decode()
        assert f"pool__id__exact={pool.pk}" in page and "memberships-TOTAL_FORMS" not in page
        members = client.get(f"/admin/talent/poolmembership/?pool__id__exact={pool.pk}")
        assert members.status_code == 200 and "Nguyễn Văn An" in members.content.decode()

    def test_admin_cannot_delete_audited_records(self, client, admin_user, org_tree) -> None:  # type: ignore[no-untyped-def]
        from talent.models import Organization

        client.force_login(admin_user)
        response = client.post(f"/admin/talent/organization/{org_tree.faculty.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403
        assert Organization.objects.filter(pk=org_tree.faculty.pk).exists()


class TestPoolPages:
    def test_pool_detail_lists_visible_members_and_manager_can_add_and_remove(
        self, client, org_tree, officer, ward_officer
    ) -> None:  # type: ignore[no-untyped-def]
        from core.models import AuditEvent

        pool = services.pool_create(actor=officer, name="Nguồn tài năng", kind="young_talent", owner=org_tree.city)
        a = make_candidate(org_tree.school_a, "Nguyễn Văn An")
        b = make_candidate(org_tree.school_b, "Trần Đức Đạt")
        client.force_login(officer)
        detail = client.get(f"/candidates/{a.pk}/").content.decode()
        assert f'<option value="{pool.pk}">' in detail
        assert client.post(f"/candidates/{a.pk}/pools/", {"pool": pool.pk}).status_code == 302
        client.post(f"/candidates/{b.pk}/pools/", {"pool": pool.pk})
        page = client.get(f"/pools/{pool.pk}/").content.decode()
        assert "Nguyễn Văn An" in page and "Trần Đức Đạt" in page
        # Adding twice is refused with a message, not an error page.
        again = client.post(f"/candidates/{a.pk}/pools/", {"pool": pool.pk}, follow=True)
        assert "đã có trong nguồn" in again.content.decode()
        removed = client.post(f"/candidates/{b.pk}/pools/", {"pool": pool.pk, "remove": "1"})
        assert removed.status_code == 302 and removed["Location"] == f"/pools/{pool.pk}/"
        assert list(pool.memberships.values_list("candidate_id", flat=True)) == [a.pk]
        assert AuditEvent.objects.filter(action="pool.remove").exists()
        # The ward officer cannot see the city pool at all.
        client.force_login(ward_officer)
        assert client.get(f"/pools/{pool.pk}/").status_code == 404
        assert client.post(f"/candidates/{a.pk}/pools/", {"pool": pool.pk}).status_code == 302
        assert pool.memberships.count() == 1

    def test_students_cannot_change_pools(self, client, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        pool = services.pool_create(actor=officer, name="Nguồn", kind="young_talent", owner=org_tree.city)
        c = make_candidate(org_tree.faculty)
        student = make_user(Role.STUDENT, org_tree.faculty)
        c.user = student
        c.save()
        client.force_login(student)
        assert client.post(f"/candidates/{c.pk}/pools/", {"pool": pool.pk}).status_code == 403
        assert "Thêm vào nguồn" not in client.get(f"/candidates/{c.pk}/").content.decode()
