"""Forms of the talent pages: parsing, scoping of choices, and mapping service errors onto fields."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from talent import services
from talent.forms import (
    AdvanceForm,
    CandidateFilterForm,
    CandidateForm,
    apply_service_errors,
    current_school_year,
    school_year_choices,
)
from talent.models import Role, Stage
from tests.factories import make_candidate, make_user

pytestmark = pytest.mark.django_db


class TestCandidateFilterForm:
    def test_valid_values_become_selector_filters(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        form = CandidateFilterForm({"search": "nguyen van", "stage": "pool", "organization": str(org_tree.ward_a.pk),
                                    "school_year": "2025", "province": "79", "gender": "female",
                                    "achievement_level": "national", "ordering": "-dob"}, user=officer)
        assert form.is_valid(), form.errors
        assert form.filters() == {"search": "nguyen van", "stage": "pool", "organization": org_tree.ward_a.pk,
                                  "school_year": 2025, "province": 79, "gender": "female",
                                  "achievement_level": "national", "ordering": "-dob"}
        assert form.active_count == 6

    def test_invalid_values_are_dropped_not_raised(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        form = CandidateFilterForm({"search": "an", "stage": "moon", "province": "999", "ordering": "password"},
                                   user=officer)
        assert not form.is_valid()
        assert set(form.errors) == {"stage", "province", "ordering"}
        assert form.filters() == {"search": "an"}

    def test_organizations_are_the_users_scope(self, org_tree, ward_officer) -> None:  # type: ignore[no-untyped-def]
        form = CandidateFilterForm({"organization": str(org_tree.ward_b.pk)}, user=ward_officer)
        offered = {value for value, _ in form.fields["organization"].choices if value != ""}
        assert offered == {org_tree.ward_a.pk, org_tree.school_a.pk}
        assert not form.is_valid() and "organization" in form.errors
        assert "organization" not in form.filters()

    def test_organization_labels_are_indented_by_depth(self, org_tree, ward_officer) -> None:  # type: ignore[no-untyped-def]
        labels = dict(CandidateFilterForm(user=ward_officer).fields["organization"].choices)
        assert labels[org_tree.ward_a.pk] == "Đoàn phường Sài Gòn"
        assert labels[org_tree.school_a.pk] == "\u00a0\u00a0THPT Lê Hồng Phong"

    def test_school_years(self) -> None:
        assert current_school_year(dt.date(2026, 3, 15)) == 2025
        assert current_school_year(dt.date(2026, 9, 1)) == 2026
        first_value, first_label = school_year_choices()[0]
        assert first_label == f"{first_value}–{first_value + 1}"


class TestCandidateForm:
    def data(self, org, **overrides):  # type: ignore[no-untyped-def]
        return {"full_name": "Lò Thị Mai", "gender": "female", "date_of_birth": "05/11/2007",
                "organization": str(org.pk), "ethnicity": "Thái", "province_code": "14", **overrides}

    def test_parses_vietnamese_dates_only(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        form = CandidateForm(self.data(org_tree.school_a), user=officer)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["date_of_birth"] == dt.date(2007, 11, 5)
        assert form.cleaned_data["province_code"] == 14
        bad = CandidateForm(self.data(org_tree.school_a, date_of_birth="11/31/2007"), user=officer)
        assert not bad.is_valid()
        assert bad.errors["date_of_birth"] == ["Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."]

    def test_required_message_is_vietnamese(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        form = CandidateForm({}, user=officer)
        assert not form.is_valid()
        assert form.errors["full_name"] == ["Trường này là bắt buộc."]
        assert form.errors["organization"] == ["Trường này là bắt buộc."]

    def test_organization_choices_are_scoped(self, org_tree, ward_officer) -> None:  # type: ignore[no-untyped-def]
        form = CandidateForm(self.data(org_tree.school_b), user=ward_officer)
        assert set(form.fields["organization"].queryset) == {org_tree.ward_a, org_tree.school_a}
        assert not form.is_valid()
        assert "ngoài phạm vi quản lý" in form.errors["organization"][0]

    def test_party_fields_only_for_officers_and_admins(self, org_tree, officer, admin_user) -> None:  # type: ignore[no-untyped-def]
        assert "party_member" in CandidateForm(user=officer).fields
        assert "party_member" in CandidateForm(user=admin_user).fields
        liaison = make_user(Role.LIAISON, org_tree.uni)
        assert "party_member" not in CandidateForm(user=liaison).fields
        assert "party_joined_on" not in CandidateForm(user=liaison).fields

    def test_organization_options_are_indented_like_the_filter(self, org_tree, ward_officer, admin_user) -> None:  # type: ignore[no-untyped-def]
        form = CandidateForm(user=ward_officer)
        options = dict(form.fields["organization"].choices)
        assert options[org_tree.ward_a.pk] == "Đoàn phường Sài Gòn"
        assert options[org_tree.school_a.pk] == "\u00a0\u00a0THPT Lê Hồng Phong"
        assert options[""] == "— Chọn đơn vị —"
        filter_options = dict(CandidateFilterForm(user=ward_officer).fields["organization"].choices)
        assert {k: v for k, v in options.items() if k != ""} == {k: v for k, v in filter_options.items() if k != ""}
        admin_options = dict(CandidateForm(user=admin_user).fields["organization"].choices)
        assert admin_options[org_tree.city.pk] == "Thành Đoàn TP.HCM"
        assert admin_options[org_tree.faculty.pk] == "\u00a0\u00a0\u00a0\u00a0Khoa Khoa học Máy tính"
        # The select still hands the service an Organization, validated against the scoped queryset.
        bound = CandidateForm(self.data(org_tree.school_a), user=ward_officer)
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data["organization"] == org_tree.school_a

    def test_exam_year_must_be_a_number(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        form = CandidateForm(self.data(org_tree.school_a, exam_year="năm ngoái"), user=officer)
        assert not form.is_valid()
        assert form.errors["exam_year"] == ["Năm thi phải là số, ví dụ 2025."]

    @pytest.mark.parametrize("year", ["1999", str(dt.date.today().year + 2)])
    def test_exam_year_range_is_the_services_and_lands_on_the_field(self, org_tree, officer, year) -> None:  # type: ignore[no-untyped-def]
        # The form only parses the year; the 2000..next-year rule is the service's, shown on the field.
        form = CandidateForm(self.data(org_tree.school_a, exam_year=year), user=officer)
        assert form.is_valid(), form.errors
        with pytest.raises(ValidationError) as caught:
            services.candidate_register(actor=officer, **form.service_kwargs())
        apply_service_errors(form, caught.value)
        assert len(form.errors["exam_year"]) == 1
        assert form.errors["exam_year"][0].startswith("Năm thi phải trong khoảng 2000–")
        assert not form.non_field_errors()

    def test_edit_prefills_and_blank_cccd_means_keep(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.school_a, citizen_id="079205001234")
        unbound = CandidateForm(user=officer, candidate=candidate)
        assert unbound["date_of_birth"].value() == dt.date(2005, 3, 14)
        assert 'value="14/03/2005"' in str(unbound["date_of_birth"])
        assert not unbound["citizen_id"].value()
        form = CandidateForm(self.data(org_tree.school_a, citizen_id=""), user=officer, candidate=candidate)
        assert form.is_valid(), form.errors
        assert "citizen_id" not in form.service_kwargs()
        create = CandidateForm(self.data(org_tree.school_a, citizen_id=""), user=officer)
        assert create.is_valid()
        assert create.service_kwargs()["citizen_id"] == ""


class TestServiceErrors:
    def test_field_errors_land_on_fields_and_unknown_ones_on_top(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        form = CandidateForm({"full_name": "X"}, user=officer)
        form.is_valid()
        apply_service_errors(form, ValidationError({"phone": "Số điện thoại sai.", "stage": "Giai đoạn sai."}))
        assert "Số điện thoại sai." in form.errors["phone"]
        assert "Giai đoạn sai." in form.non_field_errors()

    def test_aliases_and_plain_messages(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.school_a)
        form = AdvanceForm({"to_stage": "recruited"}, candidate=candidate)
        assert form.is_valid()
        apply_service_errors(form, ValidationError({"stage": "Không thể chuyển."}), aliases={"stage": "to_stage"})
        assert form.errors["to_stage"] == ["Không thể chuyển."]
        apply_service_errors(form, ValidationError("Lỗi chung."))
        assert "Lỗi chung." in form.non_field_errors()

    def test_permission_denied_goes_to_the_named_field(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        form = CandidateForm({}, user=officer)
        form.is_valid()
        apply_service_errors(form, PermissionDenied("Đơn vị này nằm ngoài phạm vi quản lý của bạn."),
                             permission_field="organization")
        assert "Đơn vị này nằm ngoài phạm vi quản lý của bạn." in form.errors["organization"]


class TestAdvanceForm:
    def test_offers_allowed_stages_but_accepts_any_known_one(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        candidate = make_candidate(org_tree.school_a)
        form = AdvanceForm(candidate=candidate)
        offered = [value for value, _ in form.fields["to_stage"].widget.choices if value]
        assert offered == [Stage.NOMINATED, Stage.EXITED]
        # A forbidden but existing stage passes the form so the service can explain why it is refused.
        assert AdvanceForm({"to_stage": Stage.APPOINTED}, candidate=candidate).is_valid()
        assert not AdvanceForm({"to_stage": "moon"}, candidate=candidate).is_valid()
