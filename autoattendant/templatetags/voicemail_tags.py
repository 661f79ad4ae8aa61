"""The console navigation's unread-voicemail count (one COUNT query per page)."""

from __future__ import annotations

from django import template

from ..services.voicemail import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_voicemail(context) -> int:
    """Messages not yet marked heard in the console's enterprise (0 outside one)."""
    request = context.get("request")
    enterprise = getattr(request, "enterprise", None)
    if enterprise is None:
        return 0
    return unread_count(enterprise)
