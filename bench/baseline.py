"""The benchmark's baseline: the fastest answer this stack gives a platform request.

``/autoattendant/internal/baseline`` returns a constant RCML document, the size of a call's first
answer, without reading the request or the database: the same server, middleware and WSGI path as
``/internal/rcml``, minus everything the call flow does. It is the first pattern of the
benchmark's URLconf (``bench.urls``, through ``bench.settings``), so it pays no URL resolution the
call flow would not; ``bench/load.py`` measures the call flow side by side with it. The project
itself never routes it.

``/autoattendant/internal/baseline-lean`` is the same view answered the way the platforms' webhooks
are: by :class:`LeanBaselineMiddleware` (``bench.settings`` puts it in place of
``PlatformWebhookMiddleware``), right after ``SecurityMiddleware``, past the rest of the chain and
URL resolution. The webhooks skip that work in production too, so the plain baseline is what a
bare Django view costs, and the lean one what the webhook's own work is measured against.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from autoattendant.middleware import PlatformWebhookMiddleware

__all__ = ["BASELINE_RCML", "LEAN_PATH", "LeanBaselineMiddleware", "baseline_rcml"]

LEAN_PATH = "/autoattendant/internal/baseline-lean"

_ACTION = (
    "http://127.0.0.1/autoattendant/internal/rcml?AutoAttendantSid=AA{0}&amp;Organization=EN{0}"
    "&amp;MenuSid=MN{0}&amp;PreviousMenuSid=&amp;Mode=menu&amp;PromptSid=&amp;TimeoutCount=0"
    "&amp;InvalidInputCount=0&amp;InvalidExtensionCount=0&amp;Step=1&amp;Signature={0}{0}"
).format("0" * 32)

#: A menu prompt as the engine writes it: a Gather with a signed action URL, a Say, a Redirect.
BASELINE_RCML = (
    f'<Response><Gather action="{_ACTION}" method="POST" input="dtmf" numDigits="1" timeout="5" '
    'actionOnEmptyResult="true"><Say voice="woman" language="en">Welcome. For sales press 1, '
    "for information press 2.</Say></Gather>"
    f'<Redirect method="POST">{_ACTION}</Redirect></Response>'
).encode()


@csrf_exempt
def baseline_rcml(request: HttpRequest) -> HttpResponse:
    """``GET|POST /autoattendant/internal/baseline``: always the same document."""
    return HttpResponse(BASELINE_RCML, content_type="application/xml")


class LeanBaselineMiddleware(PlatformWebhookMiddleware):
    """The webhooks' middleware, answering :data:`LEAN_PATH` with the bare view as well."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.views = {**self.views, LEAN_PATH: baseline_rcml}
