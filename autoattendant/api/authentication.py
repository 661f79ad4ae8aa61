"""HTTP Basic for the API: accountSid or email, with the auth token or the password.

Failed attempts are limited per username and per client address (``login_throttle``, the same
rules as the console's and the admin's login): a refused attempt is a 429 in the error envelope
with ``Retry-After``, and a locked username is refused before any secret is checked.
"""

from __future__ import annotations

import base64
import binascii

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


def verify_credentials(user: User | None, secret: str) -> User | None:
    """``user`` when ``secret`` is its auth token or password and it is active, else None
    (suspended/deleted → None). No query."""
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
