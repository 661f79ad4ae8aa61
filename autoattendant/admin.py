"""The operator's Django admin: every model, searchable by sid / name / email / number, filterable,
linked to its related records, and with the operator's everyday actions (suspend and reactivate
users, AA systems and enterprises; rotate a user's auth token).

Every changelist selects its related rows up front and every foreign key is an autocomplete
widget, so pages cost the same number of queries with ten rows or ten thousand. Saves here go
through the models, whose signals keep the call flow's caches fresh.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count, Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .choices import EnterpriseStatus, SystemStatus, UserStatus
from .errors import AppError
from .login_throttle import ThrottledLoginMixin
from .models import (
    Announcement,
    AuditEntry,
    AutoAttendantSystem,
    Call,
    CallStep,
    Enterprise,
    FlowTest,
    FlowVersion,
    HolidayCalendar,
    HolidayEntry,
    Mailbox,
    Menu,
    MenuKey,
    MonthlyUsage,
    PhoneNumber,
    ScheduleBlock,
    ScheduleEntry,
    SystemHolidayCalendar,
    User,
    Voicemail,
)
from .runtime.versions import touch_systems
from .services.numbers import normalise_extension_code, normalise_number
from .services.systems import is_timezone
from .services.users import do_rotate_auth_token

admin.site.site_header = "Auto Attendant administration"
admin.site.site_title = "Auto Attendant admin"
admin.site.index_title = "Operator"


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's login with the failure limits of every login: a refused attempt gets the form
    again with their message (status 200: ``AdminSite.login`` renders its own view)."""


admin.site.login_form = AdminLoginForm

TIMESTAMPS = ("date_created", "date_updated")


def link(obj: Model | None, text: object = None):
    """A link to ``obj``'s change page (no query: the caller has selected ``obj`` already)."""
    if obj is None:
        return "—"
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, obj if text is None else text)


def changelist_link(model: type[Model], text: str, **filters) -> str:
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, query, text)


def _reason(error: AppError) -> str:
    if isinstance(error.data, dict) and error.data:
        return " ".join(str(v) for v in error.data.values())
    return error.message


class EnterpriseLinkMixin:
    @admin.display(description="enterprise", ordering="enterprise__name")
    def enterprise_link(self, obj):
        return link(obj.enterprise, obj.enterprise.name if obj.enterprise_id else None)


def move_status(model_admin, request, queryset, old: str, new: str, done: str) -> None:
    """An admin action: the selected rows in status ``old`` move to ``new`` in one UPDATE, and
    the page says how many ("3 user(s) suspended")."""
    n = queryset.filter(status=old).update(status=new, date_updated=timezone.now())
    model_admin.message_user(request, f"{n} {done}.", messages.SUCCESS)


# --- enterprises ---------------------------------------------------------------------------------


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "sid", "status", "records", "date_created")
    list_filter = ("status",)
    search_fields = ("sid", "name")
    readonly_fields = ("sid", *TIMESTAMPS, "records")
    fields = ("name", "status", "records", "sid", *TIMESTAMPS)
    actions = ("suspend", "reactivate")

    @admin.display(description="records")
    def records(self, obj):
        if obj.pk is None:
            return "—"
        flt = {"enterprise__id__exact": obj.pk}
        return format_html(
            "{} · {} · {} · {} · {}",
            changelist_link(User, "users", **flt),
            changelist_link(PhoneNumber, "numbers", **flt),
            changelist_link(AutoAttendantSystem, "AA systems", **flt),
            changelist_link(Menu, "menus", **flt),
            changelist_link(Announcement, "announcements", **flt),
        )

    @admin.action(description="Suspend the selected enterprises (their users can't log in)")
    def suspend(self, request, queryset):
        move_status(
            self,
            request,
            queryset,
            EnterpriseStatus.ACTIVE,
            EnterpriseStatus.SUSPENDED,
            "enterprise(s) suspended",
        )

    @admin.action(description="Reactivate the selected enterprises")
    def reactivate(self, request, queryset):
        move_status(
            self,
            request,
            queryset,
            EnterpriseStatus.SUSPENDED,
            EnterpriseStatus.ACTIVE,
            "enterprise(s) reactivated",
        )


# --- users ---------------------------------------------------------------------------------------


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(EnterpriseLinkMixin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = (
        "email",
        "name",
        "sid",
        "enterprise_link",
        "role",
        "status",
        "is_superuser",
        "date_created",
    )
    list_select_related = ("enterprise",)
    list_filter = ("role", "status", "is_superuser", "is_staff", "enterprise")
    search_fields = ("sid", "account_sid", "email", "name", "enterprise__name", "enterprise__sid")
    ordering = ("date_created", "id")
    autocomplete_fields = ("enterprise", "created_by")
    readonly_fields = ("sid", "account_sid", *TIMESTAMPS, "last_login", "creator")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name", "enterprise", "role", "status")}),
        (
            "Identity",
            {"fields": ("sid", "account_sid", "creator", *TIMESTAMPS, "last_login")},
        ),
        (
            "Operator staff",
            {
                "classes": ("collapse",),
                "fields": ("is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "name",
                    "enterprise",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    actions = ("suspend", "reactivate", "rotate_auth_token")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise", "created_by")

    @admin.display(description="created by")
    def creator(self, obj):
        return link(obj.created_by) if obj.created_by_id else "—"

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Suspend the selected users (no login, no API)")
    def suspend(self, request, queryset):
        move_status(
            self, request, queryset, UserStatus.ACTIVE, UserStatus.SUSPENDED, "user(s) suspended"
        )

    @admin.action(description="Reactivate the selected suspended users")
    def reactivate(self, request, queryset):
        move_status(
            self, request, queryset, UserStatus.SUSPENDED, UserStatus.ACTIVE, "user(s) reactivated"
        )

    @admin.action(description="Rotate the auth token of the selected users (shown once)")
    def rotate_auth_token(self, request, queryset):
        for user in queryset:
            if user.status == UserStatus.DELETED:
                self.message_user(
                    request, f"{user.email} is deleted: no token issued.", messages.WARNING
                )
                continue
            token = do_rotate_auth_token(user)
            self.message_user(
                request,
                f"New auth token for {user.email} (accountSid {user.account_sid}): {token} "
                "— copy it now, it is not shown again.",
                messages.WARNING,
            )


# --- numbers -------------------------------------------------------------------------------------


class LiveFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("live", "Live"), ("released", "Released"))

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.filter(date_deleted__isnull=True)
        if self.value() == "released":
            return queryset.filter(date_deleted__isnull=False)
        return queryset


class PhoneNumberForm(forms.ModelForm):
    """Digits only, as the API stores them (``+1 555-0100`` → ``15550100``)."""

    class Meta:
        model = PhoneNumber
        fields = ("number", "extension")  # the admin adds the rest from its ``fields``

    def clean_number(self):
        try:
            return normalise_number(self.cleaned_data["number"])
        except AppError as exc:
            raise forms.ValidationError(_reason(exc)) from None

    def clean_extension(self):
        try:
            return normalise_extension_code(self.cleaned_data["extension"])
        except AppError as exc:
            raise forms.ValidationError(_reason(exc)) from None


@admin.register(PhoneNumber)
class PhoneNumberAdmin(EnterpriseLinkMixin, admin.ModelAdmin):
    form = PhoneNumberForm
    list_display = (
        "number",
        "sid",
        "enterprise_link",
        "is_extension",
        "extension",
        "extension_spoken_name",
        "system_link",
        "date_deleted",
    )
    list_select_related = ("enterprise", "auto_attendant")
    list_filter = (LiveFilter, "is_extension", "enterprise")
    search_fields = ("sid", "number", "extension", "extension_spoken_name", "enterprise__name")
    autocomplete_fields = ("enterprise", "auto_attendant", "created_by")
    readonly_fields = ("sid", *TIMESTAMPS)
    fields = (
        "number",
        "enterprise",
        "is_extension",
        "extension",
        "extension_spoken_name",
        "auto_attendant",
        "date_deleted",
        "created_by",
        "sid",
        *TIMESTAMPS,
    )

    @admin.display(description="AA system", ordering="auto_attendant__name")
    def system_link(self, obj):
        return link(obj.auto_attendant)


# --- announcements -------------------------------------------------------------------------------


@admin.register(Announcement)
class AnnouncementAdmin(EnterpriseLinkMixin, admin.ModelAdmin):
    list_display = ("name", "sid", "enterprise_link", "type", "language", "voice", "has_audio")
    list_select_related = ("enterprise",)
    list_filter = ("type", "language", "enterprise")
    search_fields = ("sid", "name", "body", "enterprise__name", "enterprise__sid")
    autocomplete_fields = ("enterprise", "created_by")
    readonly_fields = ("sid", *TIMESTAMPS, "listen")
    fields = (
        "name",
        "enterprise",
        "description",
        "type",
        "body",
        "language",
        "voice",
        "file",
        "listen",
        "created_by",
        "sid",
        *TIMESTAMPS,
    )

    @admin.display(description="audio", boolean=True)
    def has_audio(self, obj):
        return bool(obj.file)

    @admin.display(description="listen")
    def listen(self, obj):
        if not obj.file_uri:
            return "—"
        return format_html('<audio controls preload="none" src="{}"></audio>', obj.file_uri)


# --- AA systems ----------------------------------------------------------------------------------


class SystemForm(forms.ModelForm):
    class Meta:
        model = AutoAttendantSystem
        fields = ("timezone_id",)  # the admin adds the rest from its ``fieldsets``

    def clean_timezone_id(self):
        value = self.cleaned_data["timezone_id"]
        if not is_timezone(value):
            raise forms.ValidationError(f"{value!r} is not an IANA time zone.")
        return value


class ReadOnlyInline(admin.TabularInline):
    """Rows listed on their parent's page with a link to their own; edited there, not here."""

    extra = 0
    show_change_link = True
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class MainNumberInline(ReadOnlyInline):
    model = PhoneNumber
    fk_name = "auto_attendant"
    verbose_name = "main number"
    verbose_name_plural = "main numbers"
    fields = ("number", "date_deleted")


class SystemMenuInline(ReadOnlyInline):
    model = Menu
    fk_name = "auto_attendant"
    fields = ("name", "sid", "color_code")


class ScheduleBlockInline(ReadOnlyInline):
    model = ScheduleBlock
    fields = ("schedule_type", "menu_name", "start_date", "end_date", "position")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("menu")

    @admin.display(description="menu")
    def menu_name(self, obj):
        return obj.menu.name


@admin.register(AutoAttendantSystem)
class AutoAttendantSystemAdmin(EnterpriseLinkMixin, admin.ModelAdmin):
    form = SystemForm
    list_display = (
        "name",
        "sid",
        "enterprise_link",
        "status",
        "timezone_id",
        "default_menu_link",
        "flow_version",
        "date_created",
    )
    list_select_related = ("enterprise", "default_menu")
    list_filter = ("status", "enterprise")
    search_fields = ("sid", "name", "enterprise__name", "enterprise__sid", "main_numbers__number")
    autocomplete_fields = ("enterprise", "default_menu", "extensions", "created_by")
    readonly_fields = ("sid", *TIMESTAMPS, "flow_version")
    inlines = (MainNumberInline, SystemMenuInline, ScheduleBlockInline)
    actions = ("suspend", "reactivate")
    fieldsets = (
        (
            None,
            {"fields": ("name", "enterprise", "description", "status", "timezone_id", "language")},
        ),
        ("Routing", {"fields": ("default_menu", "extensions")}),
        (
            "Timeouts and wrong input",
            {
                "fields": (
                    ("timeout_seconds", "timeout_max"),
                    ("timeout_action_type", "timeout_action_data"),
                    "invalid_input_max",
                    ("invalid_input_action_type", "invalid_input_action_data"),
                    "invalid_extension_max",
                    ("invalid_extension_action_type", "invalid_extension_action_data"),
                )
            },
        ),
        ("Record", {"fields": ("created_by", "sid", *TIMESTAMPS, "flow_version")}),
    )

    @admin.display(description="default menu")
    def default_menu_link(self, obj):
        return link(obj.default_menu)

    def _set_status(self, request, queryset: QuerySet, old: str, new: str, verb: str):
        ids = list(queryset.filter(status=old).values_list("pk", flat=True))
        AutoAttendantSystem.objects.filter(pk__in=ids).update(
            status=new, date_updated=timezone.now()
        )
        touch_systems(ids)  # an update() sends no signal: the call flow must hear of it
        self.message_user(request, f"{len(ids)} AA system(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Suspend the selected AA systems")
    def suspend(self, request, queryset):
        self._set_status(
            request, queryset, SystemStatus.ACTIVE, SystemStatus.SUSPENDED, "suspended"
        )

    @admin.action(description="Reactivate the selected AA systems")
    def reactivate(self, request, queryset):
        self._set_status(
            request, queryset, SystemStatus.SUSPENDED, SystemStatus.ACTIVE, "reactivated"
        )


# --- menus ---------------------------------------------------------------------------------------


class MenuKeyInline(admin.TabularInline):
    model = MenuKey
    fields = ("key", "action_type", "action_data")
    extra = 0


@admin.register(Menu)
class MenuAdmin(EnterpriseLinkMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "sid",
        "system_link",
        "enterprise_link",
        "announcement_link",
        "key_count",
        "date_created",
    )
    list_select_related = ("auto_attendant", "enterprise", "announcement")
    list_filter = ("enterprise",)
    search_fields = ("sid", "name", "auto_attendant__sid", "auto_attendant__name")
    autocomplete_fields = (
        "enterprise",
        "auto_attendant",
        "announcement",
        "ringback_tone",
        "created_by",
    )
    readonly_fields = ("sid", *TIMESTAMPS)
    inlines = (MenuKeyInline,)
    fieldsets = (
        (None, {"fields": ("name", "enterprise", "auto_attendant", "color_code")}),
        ("Prompt", {"fields": ("announcement", "ringback_tone")}),
        (
            "Timeout",
            {
                "fields": (
                    ("timeout_seconds", "timeout_max"),
                    ("timeout_action_type", "timeout_action_data"),
                )
            },
        ),
        ("Record", {"fields": ("created_by", "sid", *TIMESTAMPS)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(key_total=Count("keys"))

    @admin.display(description="AA system", ordering="auto_attendant__name")
    def system_link(self, obj):
        return link(obj.auto_attendant)

    @admin.display(description="announcement")
    def announcement_link(self, obj):
        return link(obj.announcement)

    @admin.display(description="keys", ordering="key_total")
    def key_count(self, obj):
        return obj.key_total


@admin.register(MenuKey)
class MenuKeyAdmin(admin.ModelAdmin):
    list_display = ("menu_link", "key", "action_type", "action_data")
    list_select_related = ("menu",)
    list_filter = ("action_type",)
    search_fields = ("menu__sid", "menu__name", "action_data")
    autocomplete_fields = ("menu",)

    @admin.display(description="menu", ordering="menu__name")
    def menu_link(self, obj):
        return link(obj.menu)


# --- schedules -----------------------------------------------------------------------------------


class ScheduleEntryInline(admin.TabularInline):
    model = ScheduleEntry
    fields = ("day", "start_time", "end_time", "position")
    extra = 0


@admin.register(ScheduleBlock)
class ScheduleBlockAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "system_link",
        "schedule_type",
        "menu_link",
        "start_date",
        "end_date",
        "entry_count",
        "position",
    )
    list_select_related = ("auto_attendant", "menu")
    list_filter = ("schedule_type", "auto_attendant__enterprise")
    search_fields = ("auto_attendant__sid", "auto_attendant__name", "menu__sid", "menu__name")
    autocomplete_fields = ("auto_attendant", "menu")
    inlines = (ScheduleEntryInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_total=Count("entries"))

    @admin.display(description="AA system", ordering="auto_attendant__name")
    def system_link(self, obj):
        return link(obj.auto_attendant)

    @admin.display(description="menu", ordering="menu__name")
    def menu_link(self, obj):
        return link(obj.menu)

    @admin.display(description="entries", ordering="entry_total")
    def entry_count(self, obj):
        return obj.entry_total


@admin.register(ScheduleEntry)
class ScheduleEntryAdmin(admin.ModelAdmin):
    list_display = ("id", "block_link", "day", "start_time", "end_time")
    list_select_related = ("block", "block__auto_attendant")
    list_filter = ("day", "block__schedule_type")
    search_fields = ("block__auto_attendant__sid", "block__auto_attendant__name")
    raw_id_fields = ("block",)

    @admin.display(description="block")
    def block_link(self, obj):
        block = obj.block
        return link(block, f"{block.auto_attendant.name}: {block.schedule_type} #{block.pk}")


# --- holiday calendars (DESIGN §14) ---------------------------------------------------------------


class HolidayEntryInline(admin.TabularInline):
    model = HolidayEntry
    fields = (
        "name",
        "date",
        "month",
        "day",
        "weekday",
        "nth",
        "start_time",
        "end_time",
        "position",
    )
    extra = 0


class SystemHolidayCalendarInline(admin.TabularInline):
    model = SystemHolidayCalendar
    fields = ("auto_attendant", "menu", "position")
    autocomplete_fields = ("auto_attendant", "menu")
    extra = 0


@admin.register(HolidayCalendar)
class HolidayCalendarAdmin(EnterpriseLinkMixin, admin.ModelAdmin):
    """Saving here bumps the linked systems' flows (``runtime.invalidation``)."""

    list_display = ("name", "sid", "enterprise_link", "country", "subdivision", "date_created")
    list_select_related = ("enterprise",)
    list_filter = ("country", "enterprise")
    search_fields = ("sid", "name", "enterprise__sid", "enterprise__name")
    readonly_fields = ("sid", "date_created", "date_updated")
    autocomplete_fields = ("enterprise",)
    inlines = (HolidayEntryInline, SystemHolidayCalendarInline)


# --- usage ---------------------------------------------------------------------------------------


@admin.register(MonthlyUsage)
class MonthlyUsageAdmin(EnterpriseLinkMixin, admin.ModelAdmin):
    """Roll-ups are computed (``rollup_usage``), so they are read-only here."""

    list_display = ("enterprise_link", "month", "count", "computed_at")
    list_select_related = ("enterprise",)
    list_filter = ("month", "enterprise")
    search_fields = ("enterprise__sid", "enterprise__name")
    readonly_fields = ("enterprise", "month", "count", "computed_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Call history (read-only: the call flow records it) ----------------------------------------


class CallStepInline(admin.TabularInline):
    model = CallStep
    fields = ("seq", "time", "menu_sid", "input", "action", "outcome", "transferred_to", "detail")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Call)
class CallAdmin(EnterpriseLinkMixin, admin.ModelAdmin):
    """Recorded calls, read-only: the call flow writes them, the retention purge and
    ``forget_caller`` remove them."""

    list_display = ("start_time", "enterprise_link", "from_number", "to_number", "outcome")
    list_select_related = ("enterprise",)
    list_filter = ("outcome", "dialect", "enterprise")
    search_fields = ("sid", "call_sid", "from_number", "to_number", "system_sid")
    date_hierarchy = "start_time"
    inlines = [CallStepInline]
    readonly_fields = (
        "sid", "call_sid", "enterprise", "system_sid", "to_number", "from_number",
        "dialect", "start_time", "end_time", "duration_seconds", "outcome", "transferred_to",
        "menu_path",
    )  # fmt: skip
    exclude = ()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Safe changes (DESIGN §16): the audit trail, flow versions and flow tests --------------------

if admin.site.is_registered(AuditEntry):  # django-auditlog's own admin: replaced by this one
    admin.site.unregister(AuditEntry)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Every write, whoever made it; nobody edits the trail."""

    date_hierarchy = "timestamp"
    list_display = (
        "timestamp",
        "actor_label",
        "action",
        "content_type",
        "object_repr",
        "object_sid",
    )
    list_select_related = ("content_type", "actor", "enterprise")
    list_filter = ("action", "content_type", "actor_command")
    search_fields = ("object_sid", "parent_sid", "actor_email", "object_repr", "actor_command")
    readonly_fields = (
        "timestamp", "actor", "actor_email", "actor_command", "remote_addr", "action",
        "content_type", "object_pk", "object_repr", "object_sid", "parent_sid", "enterprise",
        "changes",
    )  # fmt: skip
    fields = readonly_fields


@admin.register(FlowVersion)
class FlowVersionAdmin(ReadOnlyAdmin):
    """Versions are written by every change of a flow (and restored in the console or the API)."""

    list_display = ("system", "number", "date_created", "author", "restored_from")
    list_select_related = ("system", "created_by")
    search_fields = ("system__sid", "system__name")
    readonly_fields = (
        "system", "number", "date_created", "created_by", "actor_command", "restored_from",
        "document",
    )  # fmt: skip
    fields = readonly_fields


@admin.register(FlowTest)
class FlowTestAdmin(admin.ModelAdmin):
    list_display = ("name", "sid", "system", "at", "passing", "last_run")
    list_select_related = ("system",)
    list_filter = ("passing",)
    search_fields = ("sid", "name", "system__sid", "system__name")
    readonly_fields = ("sid", "passing", "last_result", "last_run", "created_by")


# --- voicemail -----------------------------------------------------------------------------------


@admin.register(Mailbox)
class MailboxAdmin(EnterpriseLinkMixin, admin.ModelAdmin):
    list_display = ("name", "sid", "enterprise_link", "max_length_seconds", "date_created")
    list_select_related = ("enterprise",)
    search_fields = ("sid", "name", "enterprise__name", "enterprise__sid")
    autocomplete_fields = ("enterprise", "greeting", "created_by")
    readonly_fields = ("sid", *TIMESTAMPS)


@admin.register(Voicemail)
class VoicemailAdmin(EnterpriseLinkMixin, admin.ModelAdmin):
    """Messages are read in the console; here they are looked up and, if need be, deleted."""

    list_display = ("sid", "caller", "time", "duration_seconds", "mailbox", "heard", "copy_status")
    list_select_related = ("enterprise", "mailbox")
    list_filter = ("heard", "copy_status")
    search_fields = ("sid", "caller", "call_sid", "mailbox__name", "enterprise__name")
    readonly_fields = (
        "sid", "enterprise", "mailbox", "call_sid", "caller", "time", "duration_seconds",
        "recording_url", "audio", "copy_status", "copy_error", "notified", *TIMESTAMPS,
    )  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False
