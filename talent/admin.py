"""Django admin for the talent models: a staff back office, read-mostly for audit-relevant rows.

The admin writes models directly (it bypasses services), so anything that must go through a service
(stage changes, CCCD hashing, scope checks) is read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.text import fold
from talent import services
from talent.services import CANDIDATE_FIELDS

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
        if change:  # code, name, kind, province: plain columns; the parent is read-only here
            super().save_model(request, obj, form, change)
            return
        created = services.organization_create(code=obj.code, name=obj.name, kind=obj.kind, parent=obj.parent,
                                               province_code=obj.province_code, actor=request.user)
        obj.pk, obj.path = created.pk, created.path


class _ReadOnlyInline(admin.TabularInline):
    """Records are added through the services (which derive classifications and audit the change);
    the admin shows them."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.fields


class EducationInline(_ReadOnlyInline):
    model = EducationRecord
    fields = ("level", "institution_name", "major", "start_year", "end_year", "gpa", "gpa_scale", "classification",
              "conduct_score", "conduct_classification")


class AchievementInline(_ReadOnlyInline):
    model = Achievement
    fields = ("title", "category", "level", "award_rank", "year", "verification_status")


class LanguageInline(_ReadOnlyInline):
    model = LanguageCertificate
    fields = ("language", "level", "certificate", "issued_on", "verification_status")


class TransitionInline(_ReadOnlyInline):
    model = StageTransition
    fields = ("from_stage", "to_stage", "reason", "actor", "created_at")


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
        # Edits go through the service: validation, derived columns, scope and the audit log.
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name in CANDIDATE_FIELDS}
        if changed:
            services.candidate_update(candidate=Candidate.objects.get(pk=obj.pk), actor=request.user, **changed)

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> tuple[Any, bool]:
        # name_key is the folded name, so fold the term too: "Nguyễn" finds "nguyen".
        return super().get_search_results(request, queryset, fold(search_term) or search_term)


@admin.register(EducationRecord)
class EducationRecordAdmin(ReadOnlyAdmin):
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
    actions = ("verify", "reject")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Xác minh các thành tích đã chọn"))
    def verify(self, request: HttpRequest, queryset: Any) -> None:
        for achievement in queryset.select_related("candidate"):
            services.achievement_verify(achievement=achievement, actor=request.user, approve=True)

    @admin.action(description=_("Từ chối các thành tích đã chọn"))
    def reject(self, request: HttpRequest, queryset: Any) -> None:
        for achievement in queryset.select_related("candidate"):
            services.achievement_verify(achievement=achievement, actor=request.user, approve=False)


@admin.register(LanguageCertificate)
class LanguageCertificateAdmin(ReadOnlyAdmin):
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


class PoolMembershipInline(_ReadOnlyInline):
    model = PoolMembership
    fields = ("candidate", "note", "added_by", "added_at")


@admin.register(TalentPool)
class TalentPoolAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "term", "owner", "created_at")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("owner", "created_by")
    filter_horizontal = ("shared_with",)
    list_select_related = ("owner",)
    inlines = (PoolMembershipInline,)

    def save_model(self, request: HttpRequest, obj: TalentPool, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.pool_create(actor=request.user, name=obj.name, kind=obj.kind, owner=obj.owner,
                                       term=obj.term, description=obj.description)
        # The admin saves the shared_with choices onto this instance next.
        obj.pk, obj.created_by, obj.created_at = created.pk, created.created_by, created.created_at
        obj._state.adding = False


@admin.register(PoolMembership)
class PoolMembershipAdmin(ReadOnlyAdmin):
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
