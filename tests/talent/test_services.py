from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.crypto import pii_decrypt, pii_hash
from core.models import AuditEvent
from talent import services
from talent.models import Candidate, Organization, Stage, StageTransition, TalentPool, VerificationStatus
from tests.factories import make_candidate

pytestmark = pytest.mark.django_db


class TestOrganizations:
    def test_paths_make_subtrees(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        assert org_tree.school_a.path == f"{org_tree.city.path}{org_tree.ward_a.pk}/{org_tree.school_a.pk}/"
        subtree = set(Organization.objects.subtree_of(org_tree.ward_a).values_list("code", flat=True))
        assert subtree == {"W-A", "S-A"}

    def test_duplicate_code_and_bad_kind_are_refused(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationError) as err:
            services.organization_create(code="w-a", name="", kind="castle", province_code=99)
        assert set(err.value.message_dict) == {"code", "name", "kind", "province_code"}

    def test_officer_cannot_create_outside_scope(self, org_tree, ward_officer) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(PermissionDenied):
            services.organization_create(code="X1", name="Chi đoàn", kind="youth_union", parent=org_tree.ward_b,
                                         actor=ward_officer)
        org = services.organization_create(code="X2", name="Chi đoàn", kind="youth_union", parent=org_tree.ward_a,
                                           actor=ward_officer)
        assert org.is_within(org_tree.ward_a)


class TestRegister:
    def test_register_stores_folded_key_hash_and_ciphertext_only(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        c = services.candidate_register(
            actor=officer, full_name="  nguyễn   thị  ánh ", gender="female", date_of_birth=dt.date(2006, 5, 1),
            organization=org_tree.school_a, citizen_id="079306001234", ethnicity="Khmer", phone="0912 345 678",
            email="Anh@Example.VN",
        )
        assert c.full_name == "Nguyễn Thị Ánh"
        assert c.name_key == "nguyen thi anh"
        assert c.is_ethnic_minority is True
        assert c.phone == "0912345678" and c.email == "anh@example.vn"
        assert c.citizen_id_hash == pii_hash("079306001234")
        assert "079306001234" not in c.citizen_id_encrypted
        assert pii_decrypt(c.citizen_id_encrypted) == "079306001234"
        assert c.citizen_id_masked == "079******234"
        first = StageTransition.objects.get(candidate=c)
        assert (first.from_stage, first.to_stage, first.actor) == ("", Stage.DISCOVERED, officer)
        event = AuditEvent.objects.get(action="candidate.register")
        assert event.actor == officer
        # The log says which personal fields were set, never their values.
        assert event.changes["citizen_id"] == event.changes["ethnicity"] == event.changes["full_name"] == "***"
        assert "079306001234" not in str(event.changes) and "Ánh" not in str(event.changes)

    def test_every_bad_field_is_reported_at_once(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationError) as err:
            services.candidate_register(
                actor=None, full_name="A1", gender="x", date_of_birth=dt.date(2100, 1, 1),
                organization=org_tree.school_a, phone="123", email="nope", citizen_id="12",
                exam_number="123", ethnicity="Martian",
            )
        assert {"full_name", "gender", "date_of_birth", "phone", "email", "citizen_id", "exam_number",
                "exam_year", "ethnicity"} <= set(err.value.message_dict)
        assert Candidate.objects.count() == 0

    def test_duplicate_citizen_id_and_exam_number_are_refused(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        make_candidate(org_tree.school_a, citizen_id="079205001234", exam_number="02000001", exam_year=2024)
        with pytest.raises(ValidationError) as err:
            make_candidate(org_tree.school_b, full_name="Lê Văn Bình", citizen_id="079205001234",
                           exam_number="02000001", exam_year=2024)
        assert set(err.value.message_dict) == {"citizen_id", "exam_number"}
        assert Candidate.objects.count() == 1

    def test_cannot_register_into_an_organization_outside_scope(self, org_tree, ward_officer) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(PermissionDenied):
            services.candidate_register(actor=ward_officer, full_name="Lê Văn Bình", gender="male",
                                        date_of_birth=dt.date(2006, 1, 1), organization=org_tree.school_b)
        assert Candidate.objects.count() == 0


class TestUpdate:
    def test_only_given_fields_change(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.school_a, email="a@example.vn", phone="0912345678")
        services.candidate_update(candidate=c, actor=officer, full_name="Nguyễn Văn Ân")
        c.refresh_from_db()
        assert (c.full_name, c.name_key, c.email, c.phone) == ("Nguyễn Văn Ân", "nguyen van an", "a@example.vn",
                                                               "0912345678")

    def test_cannot_move_a_candidate_out_of_scope(self, org_tree, ward_officer) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.school_a)
        with pytest.raises(PermissionDenied):
            services.candidate_update(candidate=c, actor=ward_officer, organization=org_tree.school_b)
        c.refresh_from_db()
        assert c.organization == org_tree.school_a

    def test_cannot_touch_a_candidate_out_of_scope(self, org_tree, ward_officer) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.school_b)
        with pytest.raises(PermissionDenied):
            services.candidate_update(candidate=c, actor=ward_officer, full_name="Ai Đó")


class TestAdvance:
    def test_forward_moves_are_recorded_with_actor_and_reason(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.school_a)
        services.candidate_advance(candidate=c, to_stage=Stage.NOMINATED, reason="Giới thiệu của trường", actor=officer)
        services.candidate_advance(candidate=c, to_stage=Stage.POOL, actor=officer)
        c.refresh_from_db()
        assert c.stage == Stage.POOL
        history = list(StageTransition.objects.filter(candidate=c).values_list("from_stage", "to_stage", "reason"))
        assert history == [("", "discovered", "Đăng ký"), ("discovered", "nominated", "Giới thiệu của trường"),
                           ("nominated", "pool", "")]

    def test_forbidden_jump_changes_nothing(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.school_a)
        with pytest.raises(ValidationError) as err:
            services.candidate_advance(candidate=c, to_stage=Stage.APPOINTED, actor=officer)
        assert "Không thể chuyển" in err.value.message_dict["stage"][0]
        c.refresh_from_db()
        assert c.stage == Stage.DISCOVERED
        assert StageTransition.objects.filter(candidate=c).count() == 1

    def test_exit_requires_a_reason(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.school_a)
        with pytest.raises(ValidationError) as err:
            services.candidate_advance(candidate=c, to_stage=Stage.EXITED, reason="  ", actor=officer)
        assert "reason" in err.value.message_dict
        services.candidate_advance(candidate=c, to_stage=Stage.EXITED, reason="Du học", actor=officer)
        c.refresh_from_db()
        assert c.stage == Stage.EXITED

    def test_unknown_stage(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.school_a)
        with pytest.raises(ValidationError):
            services.candidate_advance(candidate=c, to_stage="famous", actor=officer)


class TestRecords:
    def test_education_classification_is_derived(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.faculty)
        rec = services.education_record_add(candidate=c, actor=officer, level="university", start_year=2023,
                                            institution=org_tree.uni, gpa="3,65", gpa_scale=4, conduct_score=92,
                                            retaken_over_5_percent=True)
        assert (rec.classification, rec.conduct_classification) == ("gioi", "xuat_sac")
        assert rec.institution_name == "ĐH Bách khoa"

    def test_education_errors(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.faculty)
        with pytest.raises(ValidationError) as err:
            services.education_record_add(candidate=c, actor=officer, level="kindergarten", start_year=2023,
                                          end_year=2020, gpa="4.5", conduct_score=120)
        assert {"level", "gpa", "conduct_score", "end_year", "institution_name"} == set(err.value.message_dict)

    def test_achievement_pending_until_verified(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.school_a)
        a = services.achievement_add(candidate=c, actor=officer, category="olympiad", level="national",
                                     award_rank="first", year=2025, title="HSG quốc gia môn Toán")
        assert a.verification_status == VerificationStatus.PENDING
        services.achievement_verify(achievement=a, actor=officer)
        a.refresh_from_db()
        assert (a.verification_status, a.verified_by) == (VerificationStatus.VERIFIED, officer)

    def test_language_level_bounds(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        c = make_candidate(org_tree.school_a)
        cert = services.language_certificate_add(candidate=c, actor=officer, language="en", level=4)
        assert cert.cefr == "B2"
        with pytest.raises(ValidationError):
            services.language_certificate_add(candidate=c, actor=officer, language="en", level=7)


class TestPools:
    def test_create_add_remove(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        pool = services.pool_create(actor=officer, name="Quy hoạch cán bộ trẻ", kind="planning", term="2025-2030",
                                    owner=org_tree.city, shared_with=[org_tree.agency])
        c = make_candidate(org_tree.school_a)
        services.pool_add(pool=pool, candidate=c, actor=officer)
        with pytest.raises(ValidationError):
            services.pool_add(pool=pool, candidate=c, actor=officer)
        services.pool_remove(pool=pool, candidate=c, actor=officer, reason="Không còn đủ tiêu chuẩn")
        assert pool.memberships.count() == 0
        with pytest.raises(ValidationError):
            services.pool_remove(pool=pool, candidate=c, actor=officer)

    def test_bad_term(self, org_tree, officer) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(ValidationError) as err:
            services.pool_create(actor=officer, name="X", kind="planning", term="2030-2025", owner=org_tree.city)
        assert "term" in err.value.message_dict
        assert TalentPool.objects.count() == 0

    def test_ward_officer_cannot_add_to_city_pool(self, org_tree, officer, ward_officer) -> None:  # type: ignore[no-untyped-def]
        pool = services.pool_create(actor=officer, name="Nguồn", kind="young_talent", owner=org_tree.city)
        c = make_candidate(org_tree.school_a)
        with pytest.raises(PermissionDenied):
            services.pool_add(pool=pool, candidate=c, actor=ward_officer)


class TestRoles:
    def test_students_and_recruiters_cannot_write_candidates(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        from talent.models import Role
        from tests.factories import make_user

        c = make_candidate(org_tree.faculty)
        for role, org in ((Role.STUDENT, org_tree.faculty), (Role.RECRUITER, org_tree.agency)):
            user = make_user(role, org)
            with pytest.raises(PermissionDenied):
                services.candidate_register(actor=user, full_name="Lê Văn Bình", gender="male",
                                            date_of_birth=dt.date(2006, 1, 1), organization=org)
            with pytest.raises(PermissionDenied):
                services.candidate_advance(candidate=c, to_stage=Stage.NOMINATED, actor=user)
        assert Candidate.objects.count() == 1

    def test_liaison_cannot_write_party_membership(self, org_tree) -> None:  # type: ignore[no-untyped-def]
        from talent.models import Role
        from tests.factories import make_user

        liaison = make_user(Role.LIAISON, org_tree.uni)
        with pytest.raises(PermissionDenied):
            services.candidate_register(actor=liaison, full_name="Lê Văn Bình", gender="male",
                                        date_of_birth=dt.date(2000, 1, 1), organization=org_tree.faculty,
                                        party_member=True)
        c = services.candidate_register(actor=liaison, full_name="Lê Văn Bình", gender="male",
                                        date_of_birth=dt.date(2000, 1, 1), organization=org_tree.faculty)
        with pytest.raises(PermissionDenied):
            services.candidate_update(candidate=c, actor=liaison, party_member=True)
