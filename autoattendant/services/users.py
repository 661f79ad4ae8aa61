"""Enterprise users: created, changed and deleted by enterprise admins (and the operator).

Who may manage users is decided here (``check_may_manage_users``), for the API and the console
alike. Arguments and errors use the models' names (``email``, not the API's ``emailId``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from ..access import require_bg_admin
from ..choices import Role, UserStatus
from ..errors import Errors
from ..models import Enterprise, User


@dataclass
class CreatedUser:
    user: User
    auth_token: str


def check_may_manage_users(actor: User) -> None:
    """Creating, changing and deleting users is the enterprise admin's (and the operator's)
    business: 403 for anyone else."""
    require_bg_admin(actor)


def _check_fields(values: dict) -> None:
    """The 400s of the fields given (``email``, ``role``, ``status``), in model terms."""
    if "email" in values:
        try:
            validate_email(values["email"])
        except ValidationError:
            raise Errors.VALIDATION({"email": "Enter a valid email address."}) from None
    for field, choices in (("role", Role), ("status", UserStatus)):
        if field in values and values[field] not in choices.values:
            raise Errors.VALIDATION({field: f"Expected one of {', '.join(choices.values)}."})


def _check_email_free(email: str, enterprise: Enterprise, exclude: User | None = None) -> None:
    """484 when the email is taken in the same enterprise, 505 when taken in another one."""
    other = User.objects.filter(email__iexact=email)
    if exclude is not None:
        other = other.exclude(pk=exclude.pk)
    other = other.only("enterprise_id").first()
    if other is None:
        return
    if other.enterprise_id == enterprise.pk:
        raise Errors.USER_NOT_UNIQUE()
    raise Errors.ACCOUNT_OF_OTHER_ADMIN()


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Errors.ACCOUNT_CREATION_FAILED(
            {"password": "********", "password_errors": list(exc.messages)}
        ) from None


def do_create_user(
    actor: User,
    *,
    enterprise: Enterprise,
    email: str,
    role: str,
    password: str | None = None,
    name: str = "",
    status: str = UserStatus.ACTIVE,
) -> CreatedUser:
    """Create an enterprise user with a fresh auth token (returned once, stored hashed)."""
    check_may_manage_users(actor)
    _check_fields({"email": email, "role": role, "status": status})
    email = User.objects.normalize_email(email)
    user = User(
        email=email, name=name, role=role, status=status, enterprise=enterprise, created_by=actor
    )
    if password:
        _check_password(password, user)
    with transaction.atomic():
        _check_email_free(email, enterprise)
        user.set_password(password or None)
        token = user.rotate_auth_token()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # lost a race for the same email
            _check_email_free(email, enterprise)
            raise
    return CreatedUser(user=user, auth_token=token)


def do_update_user(actor: User, user: User, changes: dict) -> User:
    """Apply a partial update: ``changes`` holds any of ``name``, ``email``, ``role``,
    ``status``, ``password`` and ``enterprise``."""
    check_may_manage_users(actor)
    _check_fields(changes)
    enterprise = changes.pop("enterprise", None) or user.enterprise
    email = changes.pop("email", None)
    password = changes.pop("password", None)
    with transaction.atomic():
        if email is not None:
            email = User.objects.normalize_email(email)
            _check_email_free(email, enterprise, exclude=user)
            user.email = email
        user.enterprise = enterprise
        for field, value in changes.items():
            setattr(user, field, value)
        if password:
            _check_password(password, user)
            user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            _check_email_free(user.email, enterprise, exclude=user)
            raise
    return user


def do_delete_user(actor: User, user: User) -> User:
    """Deleting keeps the row (its sid stays valid) but disables every login."""
    check_may_manage_users(actor)
    user.status = UserStatus.DELETED
    user.auth_token_hash = ""
    user.set_unusable_password()
    user.save(update_fields=["status", "auth_token_hash", "password", "date_updated"])
    return user


def do_rotate_auth_token(user: User) -> str:
    token = user.rotate_auth_token()
    user.save(update_fields=["auth_token_hash", "date_updated"])
    return token
