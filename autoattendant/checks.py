"""Deployment checks of the platform webhooks (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

__all__ = ["open_twiml_webhook"]


@register(Tags.security, deploy=True)
def open_twiml_webhook(app_configs, **kwargs) -> list[Warning]:
    """The TwiML webhook answers unsigned requests while ``TWILIO_AUTH_TOKEN`` is unset."""
    if settings.TWILIO_AUTH_TOKEN:
        return []
    return [
        Warning(
            "TWILIO_AUTH_TOKEN is not set: /autoattendant/internal/twiml answers requests that "
            "are not signed by a TwiML platform.",
            hint=(
                "Set TWILIO_AUTH_TOKEN to the account's auth token; a deployment that serves "
                "Restcomm only may silence this with SILENCED_SYSTEM_CHECKS=autoattendant.W001."
            ),
            id="autoattendant.W001",
        )
    ]
