from __future__ import annotations

import hashlib
import hmac
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower

from ..choices import EnterpriseStatus, Role, UserStatus
from ..sids import new_account_sid, new_user_sid
from .base import TimestampedModel

__all__ = ["User", "UserManager", "hash_token"]


def hash_token(token: str) -> str:
    """Auth tokens are 128-bit random values, so one SHA-256 is enough (and fast per request)."""
    return hashlib.sha256(token.encode()).hexdigest()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username)

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("name", "Operator")
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin, TimestampedModel):
    """A person who logs in: operator staff (superusers) or an enterprise's admins.

    Enterprise users have a role; superusers have none and see every enterprise. The email is
    the login and unique whatever its case. The API also accepts ``account_sid`` + auth token.
    """

    sid = models.CharField(max_length=35, unique=True, default=new_user_sid, editable=False)
    account_sid = models.CharField(
        max_length=34, unique=True, default=new_account_sid, editable=False
    )
    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=200, blank=True, default="")
    role = models.CharField(max_length=16, choices=Role.choices, blank=True, default="")
    status = models.CharField(max_length=16, choices=UserStatus.choices, default=UserStatus.ACTIVE)
    enterprise = models.ForeignKey(
        "autoattendant.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    auth_token_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    is_staff = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["date_created", "sid"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:  # Django's login checks use this
        if self.status != UserStatus.ACTIVE:
            return False
        if self.is_superuser:
            return True
        return self.enterprise_id is not None and (
            self.enterprise.status == EnterpriseStatus.ACTIVE
        )

    @property
    def account_email(self) -> str | None:
        return self.created_by.email if self.created_by_id else None

    @property
    def is_bg_admin(self) -> bool:
        return self.is_superuser or self.role == Role.BG_ADMIN

    def rotate_auth_token(self) -> str:
        """Set a new auth token and return it; only its hash is kept (caller saves)."""
        token = secrets.token_hex(16)
        self.auth_token_hash = hash_token(token)
        return token

    def check_auth_token(self, token: str) -> bool:
        return bool(self.auth_token_hash) and hmac.compare_digest(
            self.auth_token_hash, hash_token(token)
        )
