"""Tenancy: which enterprise a request acts for, and lookups that never cross it.

A non-superuser sees only its own enterprise. Asking for another enterprise's object gives the
resource's *not found* error, exactly like a sid that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from .choices import EnterpriseStatus, Role
from .errors import ErrorCode, Errors
from .models import Enterprise, User


def scope(queryset: QuerySet, user: User, field: str = "enterprise") -> QuerySet:
    """Restrict a queryset to what ``user`` may see."""
    if user.is_superuser:
        return queryset
    return queryset.filter(**{field: user.enterprise_id})


def get_visible(
    queryset: QuerySet, user: User, sid: Any, not_found: ErrorCode, field: str = "enterprise"
) -> Model:
    """The object with this sid within the user's enterprise, or ``not_found`` (both cases)."""
    if not isinstance(sid, str) or not sid:
        raise not_found({"sid": sid})
    obj = scope(queryset, user, field).filter(sid=sid).first()
    if obj is None:
        raise not_found({"sid": sid})
    return obj


def resolve_enterprise(user: User, enterprise_sid: Any, *, required_for_superuser=True):
    """The enterprise a write acts for.

    Enterprise users: omitted → their own; their own sid → their own; anything else → 467.
    Superusers name it (any live enterprise); omitted → 400 (there is no "own" enterprise).
    """
    if not user.is_superuser:
        if enterprise_sid in (None, "") or enterprise_sid == user.enterprise.sid:
            return user.enterprise
        raise Errors.ENTERPRISE_NOT_FOUND({"sid": enterprise_sid})
    if enterprise_sid in (None, ""):
        if required_for_superuser:
            raise Errors.VALIDATION({"enterpriseSid": "This field is required."})
        return None
    enterprise = (
        Enterprise.objects.filter(sid=enterprise_sid)
        .exclude(status=EnterpriseStatus.DELETED)
        .first()
    )
    if enterprise is None:
        raise Errors.ENTERPRISE_NOT_FOUND({"sid": enterprise_sid})
    return enterprise


def require_bg_admin(user: User) -> None:
    """Users and extensions are the enterprise admin's (and the operator's) business."""
    if not (user.is_superuser or user.role == Role.BG_ADMIN):
        raise Errors.FORBIDDEN()


def require_superuser(user: User) -> None:
    if not user.is_superuser:
        raise Errors.FORBIDDEN()
