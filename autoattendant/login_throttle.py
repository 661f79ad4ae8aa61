"""Failed-login limits, one set of rules for the API's HTTP Basic, the console and the admin.

Two counts of failures, each in a fixed window of ``AUTH_FAILURE_WINDOW_SECONDS`` that its first
failure starts, kept in Django's cache (Redis in production, so every process shares them):

* **Per username** (``AUTH_FAILURE_LIMIT``, default 10). Once a username has that many failures in
  its window, every attempt with it is refused (429) without being checked — the right password
  too — until the window ends. The username is the account's email when the caller has found
  the account (the API's accountSid and email share one count), otherwise what was typed;
  letter case never matters.
* **Per client address** (``AUTH_ADDRESS_FAILURE_LIMIT``, default 100), ``REMOTE_ADDR``. It counts
  wrong attempts and refuses only wrong attempts: past the limit an attempt is still checked,
  right credentials log in, and wrong ones are answered 429 (with ``Retry-After``) instead of
  401 or the plain "wrong password". Behind a proxy every client shares one address, so the
  failures of some never lock the others out. The address count cannot hide that a guess was
  right (nothing can, once right credentials are always accepted): what bounds the guesses at any
  one account is its username's count; the address's tells a client spraying usernames to back
  off, and logs a warning when an address passes its limit.

An attempt refused by a locked username is not a failure of the address (it was never checked).
Counting is atomic (``cache.add`` starts a window, ``cache.incr`` counts in it), so parallel
attempts never lose a failure; a right password checked while parallel guesses locked its
username is refused as well, so a burst of guesses learns no more than the limit allows.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)

T = TypeVar("T")


class LoginThrottled(Exception):
    """A login attempt refused by the failure limits; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many failed logins; retry after {retry_after} seconds")
        self.retry_after = retry_after


def client_address(request: HttpRequest | None) -> str:
    """The address the failures are counted for: the peer's (a proxy's, behind one)."""
    if request is None:
        return "unknown"
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(kind: str, value: str) -> str:
    # Hashed: any text makes a valid key (no spaces, control characters or length to trip a
    # cache backend), and what people type as usernames is not kept in the cache.
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"authfail:{kind}:{digest}"


def _failures(key: str) -> int:
    return cache.get(key, 0)


def _record_failure(key: str) -> int:
    """One more failure in ``key``'s window (starting it when there is none); the new count."""
    window = settings.AUTH_FAILURE_WINDOW_SECONDS
    for _ in range(3):
        if cache.add(key, 1, timeout=window):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # the window ended between add and incr: start the next one
            continue
    return 1


def guarded_check(username: str, address: str, check: Callable[[], T | None]) -> T | None:
    """Run ``check`` — the credential check: the account, or None for wrong credentials — under
    the failure limits, and return what it returns.

    Raises ``LoginThrottled`` before ``check`` runs when ``username`` is locked, after it when a
    wrong attempt passes either limit or when the username was locked while ``check`` ran.
    Costs one cache read before the check, one more after right credentials and two
    add-or-increments after wrong ones.
    """
    user_key = _key("user", username.strip().lower())
    limit = settings.AUTH_FAILURE_LIMIT
    window = settings.AUTH_FAILURE_WINDOW_SECONDS
    if _failures(user_key) >= limit:
        raise LoginThrottled(window)
    account = check()
    if account is not None:
        if _failures(user_key) >= limit:
            raise LoginThrottled(window)
        return account
    address_limit = settings.AUTH_ADDRESS_FAILURE_LIMIT
    user_failures = _record_failure(user_key)
    address_failures = _record_failure(_key("addr", address))
    if address_failures == address_limit + 1:
        logger.warning(
            "Client address %s passed %d failed logins in %d seconds; its wrong attempts are "
            "refused until the window ends",
            address,
            address_limit,
            window,
        )
    if user_failures > limit or address_failures > address_limit:
        raise LoginThrottled(window)
    return None


class ThrottledLoginMixin:
    """The failure limits for a Django login form (an ``AuthenticationForm``): put it first,
    ``class LoginForm(ThrottledLoginMixin, EmailAuthenticationForm)``. It replaces the form's
    ``clean`` and declares no field, so the form keeps its own.

    An attempt is a failure when the page would not log the user in: wrong credentials, an
    inactive account, or one ``confirm_login_allowed`` refuses (the admin's non-staff users). A
    form missing its username or password checks nothing and counts nothing. ``throttled`` says
    whether the limits refused the attempt (the console answers 429 then).
    """

    throttled = False

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data
        refusal: list[forms.ValidationError] = []

        def check():
            user = authenticate(self.request, username=username, password=password)
            if user is None:
                return None
            try:
                self.confirm_login_allowed(user)
            except forms.ValidationError as error:
                refusal.append(error)
                return None
            return user

        try:
            self.user_cache = guarded_check(username, client_address(self.request), check)
        except LoginThrottled as throttled:
            self.throttled = True
            raise forms.ValidationError(
                "Too many failed logins: try again in %(seconds)s seconds.",
                code="throttled",
                params={"seconds": throttled.retry_after},
            ) from None
        if self.user_cache is None:
            raise refusal[0] if refusal else self.get_invalid_login_error()
        return self.cleaned_data
