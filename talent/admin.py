"""Django admin for the talent models: a staff back office, read-mostly for audit-relevant rows.

The admin writes models directly (it bypasses services), so anything that must go through a service
(stage changes, CCCD hashing, scope checks) is read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.text import fold
from talent import services

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


class _DryRun(Exception):
    """Raised to roll back a service call made only to collect its validation errors."""


class ServiceBackedAdmin(admin.ModelAdmin):
    """Adds and changes run the domain service (validation, scope, audit), never a bare save.

    The form runs the service once inside a savepoint that is rolled back, so the service's field
    errors appear on the form like any other; saving runs it for real. Subclasses define
    ``service_save(request, obj, data, change)`` returning the saved object.
    """

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceCheckedForm(form_class):  # type: ignore[misc, valid-type]
            def _post_clean(self) -> None:
                super()._post_clean()
                if self.errors:
                    return
                try:
                    with transaction.atomic():
                        model_admin.service_save(request, self.instance, self.cleaned_data, change)
                        raise _DryRun
                except _DryRun:
                    pass
                except ValidationError as exc:
                    for field, messages in getattr(exc, "message_dict", {None: exc.messages}).items():
                        for message in messages:
                            self.add_error(field if field in self.fields else None, message)
                except PermissionDenied as exc:
                    self.add_error(None, str(exc))

        return ServiceCheckedForm

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting would bypass the audit log; units and pools are kept (and renamed if need be).
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = self.service_save(request, obj, form.cleaned_data, change)
        # The admin goes on to save many-to-many fields and inlines onto this instance.
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()


@admin.register(Organization)
class OrganizationAdmin(ServiceBackedAdmin):
    list_display = ("code", "name", "kind", "parent", "province_code")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "created_at")
    list_select_related = ("parent",)
    ordering = ("path",)

    def get_readonly_fields(self, request: HttpRequest, obj: Organization | None = None) -> Any:
        # The code and the place in the tree are fixed once a unit exists: scopes hang off them.
        return (*self.readonly_fields, "code", "parent") if obj is not None else self.readonly_fields

    def service_save(self, request: HttpRequest, obj: Organization, data: dict[str, Any], change: bool) -> Any:
        if change:
            return services.organization_update(organization=Organization.objects.get(pk=obj.pk), actor=request.user,
                                                name=data["name"], kind=data["kind"],
                                                province_code=data.get("province_code"))
        return services.organization_create(code=data["code"], name=data["name"], kind=data["kind"],
                                            parent=data.get("parent"), province_code=data.get("province_code"),
                                            actor=request.user)


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
        # Registering and editing happen in the app's own forms, through talent.services, which
        # hash the CCCD, check duplicates, enforce scope and audit; the admin shows the record.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

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

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
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


@admin.register(TalentPool)
class TalentPoolAdmin(ServiceBackedAdmin):
    list_display = ("name", "kind", "term", "owner", "created_at")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("owner",)
    filter_horizontal = ("shared_with",)
    list_select_related = ("owner",)
    # Members are listed on their own page: an inline of a thousand members would be too big to post.
    readonly_fields = ("members",)

    @admin.display(description=_("Thành viên"))
    def members(self, obj: TalentPool) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:talent_poolmembership_changelist") + f"?pool__id__exact={obj.pk}"
        return format_html('<a href="{}">{} {}</a>', url, obj.memberships.count(), _("thành viên"))

    def get_readonly_fields(self, request: HttpRequest, obj: TalentPool | None = None) -> Any:
        return ("members", "created_by", "owner") if obj is not None else ("members", "created_by")

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "shared_with":
            kwargs["queryset"] = Organization.objects.filter(kind__in=services.SHAREABLE_KINDS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def service_save(self, request: HttpRequest, obj: TalentPool, data: dict[str, Any], change: bool) -> Any:
        shared = list(data.get("shared_with") or [])
        if change:
            return services.pool_update(pool=TalentPool.objects.get(pk=obj.pk), actor=request.user,
                                        name=data["name"], kind=data["kind"], term=data.get("term", ""),
                                        description=data.get("description", ""), shared_with=shared)
        return services.pool_create(actor=request.user, name=data["name"], kind=data["kind"], owner=data["owner"],
                                    term=data.get("term", ""), description=data.get("description", ""),
                                    shared_with=shared)


@admin.register(PoolMembership)
class PoolMembershipAdmin(ReadOnlyAdmin):
    list_display = ("pool", "candidate", "added_by", "added_at")
    list_filter = ("pool",)
    search_fields = ("pool__name", "candidate__name_key")
    raw_id_fields = ("pool", "candidate", "added_by")
    list_select_related = ("pool", "candidate", "added_by")


@admin.register(UserProfile)
class UserProfileAdmin(ReadOnlyAdmin):
    """Roles and home units change only through account management (accounts.services), which
    checks the role's organization rules and writes the audit log."""

    list_display = ("user", "role", "organization")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "organization__name")
    raw_id_fields = ("user", "organization")
    list_select_related = ("user", "organization")
