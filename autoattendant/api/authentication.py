"""HTTP Basic for the API: accountSid or email, with the auth token or the password.

Failed attempts are counted per username and per client address in the cache; past
``AUTH_FAILURE_LIMIT`` in ``AUTH_FAILURE_WINDOW_SECONDS`` the answer is 429 until the window
ends, before any password hashing is done.
"""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.core.cache import cache
from rest_framework import authentication, exceptions

from ..models import User

_FAIL_MESSAGE = "Invalid credentials"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _failure_keys(username: str, address: str) -> list[str]:
    return [f"authfail:user:{username.lower()}", f"authfail:addr:{address}"]


def _check_throttle(keys: list[str]) -> None:
    counts = cache.get_many(keys)
    if any(n >= settings.AUTH_FAILURE_LIMIT for n in counts.values()):
        raise exceptions.Throttled(wait=settings.AUTH_FAILURE_WINDOW_SECONDS)


def _record_failure(keys: list[str]) -> None:
    for key in keys:
        # add() starts the window only once; incr() then counts within it.
        cache.add(key, 0, timeout=settings.AUTH_FAILURE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.AUTH_FAILURE_WINDOW_SECONDS)


def find_user(username: str) -> User | None:
    """One query: the user by accountSid or email, with its enterprise."""
    qs = User.objects.select_related("enterprise")
    if username.startswith("AC") and len(username) == 34:
        return qs.filter(account_sid=username).first()
    return qs.filter(email__iexact=username).first()


def verify_credentials(username: str, secret: str) -> User | None:
    """The active user these credentials belong to, or None (suspended/deleted → None)."""
    user = find_user(username)
    if user is None:
        User().set_password(secret)  # same cost as a real check: no user enumeration by timing
        return None
    if not (user.check_auth_token(secret) or user.check_password(secret)):
        return None
    if not user.is_active:
        return None
    return user


class BasicAuthentication(authentication.BaseAuthentication):
    www_authenticate_realm = "api"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"basic":
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_FAIL_MESSAGE)
        try:
            decoded = base64.b64decode(header[1], validate=True).decode("utf-8")
            username, _, secret = decoded.partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise exceptions.AuthenticationFailed(_FAIL_MESSAGE) from None
        username = username.strip()
        keys = _failure_keys(username, client_address(request))
        _check_throttle(keys)
        user = verify_credentials(username, secret)
        if user is None:
            _record_failure(keys)
            raise exceptions.AuthenticationFailed(_FAIL_MESSAGE)
        return user, None

    def authenticate_header(self, request) -> str:
        return f'Basic realm="{self.www_authenticate_realm}"'
