"""HTTP Basic for the API: accountSid or email, with the auth token or the password.

Failed attempts are limited per username and per client address (``login_throttle``, the same
rules as the console's and the admin's login): a refused attempt is a 429 in the error envelope
with ``Retry-After``, and a locked username is refused before any secret is checked.

The auth token is the way for integrations: one SHA-256 per request. A password is checked with
the project's password hasher, slow on purpose (about half a second with Django's PBKDF2); a
*successful* password check is remembered for ``API_PASSWORD_CACHE_SECONDS`` (default 300, 0 =
never) in the cache, under ``HMAC-SHA256(SECRET_KEY, user id · stored password hash · password
sent)``. The cache holds that digest only, never the password or its hash; a changed password
changes the stored hash, so the old entry is never found again; suspension, deletion or a
suspended enterprise are checked on every request, remembered or not. Failures are never
remembered and count against the throttle as before. The reasoning is in docs/performance.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from rest_framework import authentication, exceptions

from ..audit import set_actor
from ..login_throttle import LoginThrottled, client_address, guarded_check
from ..models import User

_FAIL_MESSAGE = "Invalid credentials"


def find_user(username: str) -> User | None:
    """At most one query: the user by accountSid or email, with its enterprise. None for a
    username no column can hold (a NUL byte, which PostgreSQL refuses in text)."""
    if "\x00" in username:
        return None
    qs = User.objects.select_related("enterprise")
    if username.startswith("AC") and len(username) == 34:
        return qs.filter(account_sid=username).first()
    return qs.filter(email__iexact=username).first()


def _remembered_key(user: User, secret: str) -> str:
    """Where a successful password check of ``user`` with ``secret`` is remembered: keyed with
    SECRET_KEY, bound to the stored hash (a new password makes every old entry unreachable)."""
    message = f"{user.pk}\x00{user.password}\x00{secret}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"aa:api-password:{digest}"


def check_password_remembered(user: User, secret: str) -> bool:
    """``user.check_password(secret)``, or a recent success of the same check from the cache."""
    seconds = settings.API_PASSWORD_CACHE_SECONDS
    if seconds <= 0 or not user.password:
        return user.check_password(secret)
    key = _remembered_key(user, secret)
    if cache.get(key):
        return True
    if not user.check_password(secret):
        return False
    # check_password may have upgraded the hash (a new iteration count): key by the stored one.
    cache.set(_remembered_key(user, secret), True, seconds)
    return True


def verify_credentials(user: User | None, secret: str) -> User | None:
    """``user`` when ``secret`` is its auth token or password and it is active, else None
    (suspended/deleted → None). No query; at most a cache read for a password."""
    if user is None:
        User().set_password(secret)  # same cost as a real check: no user enumeration by timing
        return None
    if not (user.check_auth_token(secret) or check_password_remembered(user, secret)):
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
        account = find_user(username)
        # The account's email names its count, whichever of its usernames was given.
        counted_as = account.email if account is not None else username
        try:
            user = guarded_check(
                counted_as,
                client_address(request),
                lambda: verify_credentials(account, secret),
            )
        except LoginThrottled as refused:
            raise exceptions.Throttled(wait=refused.retry_after) from None
        if user is None:
            raise exceptions.AuthenticationFailed(_FAIL_MESSAGE)
        set_actor(user)  # authenticated in the view, after the audit middleware ran
        return user, None

    def authenticate_header(self, request) -> str:
        return f'Basic realm="{self.www_authenticate_realm}"'
