"""The settings the call flow reads on every request, read once.

A Django setting costs a lazy-object lookup each time it is read, and a webhook request reads a
dozen: together they cost more than the route lookup. :func:`hot` reads them once into a frozen
object and reads them again only when a setting changes (``setting_changed``: the test
framework's ``settings`` fixture and ``override_settings`` send it), as REST framework does with
its own settings.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = [
    "DEFAULT_LOCAL_ANSWERS",
    "DEFAULT_LOCAL_FLOWS",
    "HotSettings",
    "forget_with_settings",
    "hot",
]

_KEY_LABEL = b"autoattendant.callflow.state.v1"
#: Compiled flows each process keeps unless ``CALLFLOW_LOCAL_FLOWS`` says otherwise.
DEFAULT_LOCAL_FLOWS = 1024
#: Engine answers each process remembers unless ``CALLFLOW_LOCAL_ANSWERS`` says otherwise.
DEFAULT_LOCAL_ANSWERS = 4096


@dataclass(frozen=True, slots=True)
class HotSettings:
    public_base_url: str
    phone_region: str
    state_key: bytes
    name_threshold: float
    route_notifications: bool
    routes_max_age: float
    route_check_seconds: float
    local_routes: int
    local_flows: int
    local_answers: int
    cache_seconds: int
    max_fields: int | None
    charset: str
    webhook_user: str
    webhook_password: str
    twilio_auth_token: str
    proxy_ssl_header: str
    call_state_max_age: int


def _state_key(secret: str) -> bytes:
    """The call-state signing key: an HMAC of a fixed label keyed with ``SECRET_KEY``, so the
    secret itself never signs anything and rotating it invalidates calls in progress only."""
    return hmac.new(secret.encode(), _KEY_LABEL, hashlib.sha256).digest()


def _read() -> HotSettings:
    local_flows = settings.CALLFLOW_LOCAL_FLOWS
    return HotSettings(
        public_base_url=settings.PUBLIC_BASE_URL,
        phone_region=settings.DEFAULT_PHONE_REGION,
        state_key=_state_key(settings.SECRET_KEY),
        name_threshold=float(settings.DIAL_BY_NAME_MIN_SCORE),
        route_notifications=settings.CALLFLOW_ROUTE_NOTIFICATIONS,
        routes_max_age=float(settings.CALLFLOW_ROUTES_MAX_AGE),
        route_check_seconds=max(settings.CALLFLOW_ROUTE_CHECK_MS, 0) / 1000,
        local_routes=settings.CALLFLOW_LOCAL_ROUTES,
        local_flows=DEFAULT_LOCAL_FLOWS if local_flows is None or local_flows < 0 else local_flows,
        local_answers=settings.CALLFLOW_LOCAL_ANSWERS,
        cache_seconds=settings.CALLFLOW_CACHE_SECONDS,
        max_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        charset=settings.DEFAULT_CHARSET,
        webhook_user=settings.PLATFORM_WEBHOOK_USER,
        webhook_password=settings.PLATFORM_WEBHOOK_PASSWORD,
        twilio_auth_token=settings.TWILIO_AUTH_TOKEN,
        proxy_ssl_header=(settings.SECURE_PROXY_SSL_HEADER or ("", ""))[0],
        call_state_max_age=settings.CALL_STATE_MAX_AGE,
    )


_current: HotSettings | None = None


def hot() -> HotSettings:
    """This process's hot settings (read on first use, and again after any setting changes)."""
    global _current
    if _current is None:
        _current = _read()
    return _current


#: What else is worked out from the settings and must go with them (see
#: :func:`forget_with_settings`).
_dependents: list = []


def forget_with_settings(forget):
    """Register ``forget()`` to run whenever a setting changes: for memories worked out from
    settings (e.g. the webhooks' base URLs, which depend on ``ALLOWED_HOSTS``)."""
    _dependents.append(forget)
    return forget


@receiver(setting_changed, dispatch_uid="autoattendant.runtime.config")
def _forget(**kwargs) -> None:
    global _current
    _current = None
    for forget in _dependents:
        forget()
