"""Django admin for the talent models: a staff back office, read-mostly for audit-relevant rows.

The admin writes models directly (it bypasses services), so anything that must go through a service
(stage changes, CCCD hashing, scope checks) is read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.text import fold
from talent.reference import is_ethnic_minority

from talent.models import (
    Achievement,
    Candidate,
    EducationRecord,
    LanguageCertificate,
    Organization,
    PoolMembership,
    StageTransition,
    TalentPool,
    UserProfile,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """History rows are written by services only; the admin may look, never touch."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "province_code")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "created_at")
    list_select_related = ("parent",)
    ordering = ("path",)

    def get_readonly_fields(self, request: HttpRequest, obj: Organization | None = None) -> Any:
        # Moving a unit would leave its descendants' paths (and so everyone's scope) stale.
        return (*self.readonly_fields, "parent") if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        # The materialised path depends on the pk, so a new row is saved twice, as the service does.
        super().save_model(request, obj, form, change)
        path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
        if obj.path != path:
            obj.path = path
            obj.save(update_fields=["path"])


class EducationInline(admin.TabularInline):
    model = EducationRecord
    extra = 0
    raw_id_fields = ("institution",)
    readonly_fields = ("classification", "conduct_classification")


class AchievementInline(admin.TabularInline):
    model = Achievement
    extra = 0
    fields = ("title", "category", "level", "award_rank", "year", "verification_status")


class LanguageInline(admin.TabularInline):
    model = LanguageCertificate
    extra = 0


class TransitionInline(admin.TabularInline):
    model = StageTransition
    extra = 0
    can_delete = False
    fields = ("from_stage", "to_stage", "reason", "actor", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("full_name", "gender", "date_of_birth", "organization", "stage")
    list_filter = ("stage", "gender")
    search_fields = ("name_key", "exam_number")
    raw_id_fields = ("organization", "user", "created_by")
    list_select_related = ("organization",)
    date_hierarchy = "created_at"
    # The CCCD exists only as a hash and a ciphertext; neither is shown. The masked value is.
    exclude = ("citizen_id_hash", "citizen_id_encrypted")
    readonly_fields = ("name_key", "citizen_id_masked", "is_ethnic_minority", "stage", "stage_changed_at",
                       "created_at", "updated_at")
    inlines = (EducationInline, AchievementInline, LanguageInline, TransitionInline)

    @admin.display(description=_("Số CCCD (che)"))
    def citizen_id_masked(self, obj: Candidate) -> str:
        return obj.citizen_id_masked or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Registration runs duplicate checks, CCCD hashing and the first stage transition in
        # talent.services.candidate_register; the admin cannot do that, so it cannot add.
        return False

    def save_model(self, request: HttpRequest, obj: Candidate, form: Any, change: bool) -> None:
        # Keep the derived columns in step with edits made here, as the services do.
        obj.name_key = fold(obj.full_name)
        obj.is_ethnic_minority = is_ethnic_minority(obj.ethnicity)
        super().save_model(request, obj, form, change)

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        # name_key is the folded name, so fold the term too: "Nguyễn" finds "nguyen".
        return super().get_search_results(request, queryset, fold(search_term) or search_term)


@admin.register(EducationRecord)
class EducationRecordAdmin(admin.ModelAdmin):
    list_display = ("candidate", "level", "institution_name", "start_year", "end_year", "gpa", "classification")
    list_filter = ("level",)
    search_fields = ("candidate__name_key", "institution_name", "major")
    raw_id_fields = ("candidate", "institution")
    readonly_fields = ("classification", "conduct_classification")
    list_select_related = ("candidate",)


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ("title", "candidate", "category", "level", "award_rank", "year", "verification_status")
    list_filter = ("category", "level", "verification_status")
    search_fields = ("title", "candidate__name_key")
    raw_id_fields = ("candidate", "verified_by")
    list_select_related = ("candidate",)


@admin.register(LanguageCertificate)
class LanguageCertificateAdmin(admin.ModelAdmin):
    list_display = ("candidate", "language", "level", "certificate", "verification_status")
    list_filter = ("language", "level", "verification_status")
    search_fields = ("candidate__name_key", "certificate")
    raw_id_fields = ("candidate",)
    list_select_related = ("candidate",)


@admin.register(StageTransition)
class StageTransitionAdmin(ReadOnlyAdmin):
    list_display = ("candidate", "from_stage", "to_stage", "reason", "actor", "created_at")
    list_filter = ("to_stage",)
    search_fields = ("candidate__name_key", "reason")
    list_select_related = ("candidate", "actor")
    date_hierarchy = "created_at"


class PoolMembershipInline(admin.TabularInline):
    model = PoolMembership
    extra = 0
    raw_id_fields = ("candidate", "added_by")


@admin.register(TalentPool)
class TalentPoolAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "term", "owner", "created_at")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("owner", "created_by")
    filter_horizontal = ("shared_with",)
    list_select_related = ("owner",)
    inlines = (PoolMembershipInline,)


@admin.register(PoolMembership)
class PoolMembershipAdmin(admin.ModelAdmin):
    list_display = ("pool", "candidate", "added_by", "added_at")
    search_fields = ("pool__name", "candidate__name_key")
    raw_id_fields = ("pool", "candidate", "added_by")
    list_select_related = ("pool", "candidate", "added_by")


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organization")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "organization__name")
    raw_id_fields = ("user", "organization")
    list_select_related = ("user", "organization")
