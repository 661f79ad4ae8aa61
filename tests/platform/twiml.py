"""A TwiML platform double (Twilio, and the TwiML-compatible SignalWire and Telnyx TeXML), written
from Twilio's TwiML reference (twilio.com/docs/voice/twiml: say, play, gather, dial, redirect,
hangup) and its webhook security page (twilio.com/docs/usage/security).

Every request is signed by the ``twilio`` package's own ``RequestValidator.compute_signature``
over the full URL and the POST parameters — a real client's code, not ours. What it reproduces:

- **Requests** carry ``CallSid``, ``AccountSid``, ``From``, ``To`` (E.164, ``+`` first),
  ``CallStatus``, ``ApiVersion``, ``Direction``, ``CallerName``; on GET they are appended to the
  URL's own query string, on POST they are the form body (the URL keeps its query).
- **Responses**: status 200 with an XML content type is executed, anything else fails the call.
- **Gather**: ``numDigits`` applies to that Gather only (absent: no limit, the finish key or the
  timeout ends it), ``finishOnKey`` defaults to ``#``, ``input`` to ``dtmf``. Nothing entered,
  or only the finish key, requests the action *only* with ``actionOnEmptyResult="true"``
  (``Digits`` empty), else the next verb runs. ``Digits`` is posted without the finish key;
  speech posts ``SpeechResult`` and ``Confidence``.
- **Say**: ``voice`` ``man``, ``woman``, ``alice``, ``Polly.*`` or ``Google.*`` — anything else is
  an error that fails the call (warning 13520 in Twilio's debugger; we treat it as fatal so a bad
  voice is seen); ``language`` is a locale (``en-US``); a ``Google.<locale>-…`` voice must be
  given its own locale.
- **Dial** posts ``DialCallSid``, ``DialCallStatus`` (``completed``, ``answered``, ``busy``,
  ``no-answer``, ``failed``, ``canceled``) and ``DialCallDuration`` to its action when the dialled
  leg ends — also after a completed bridged call, whose action document Twilio then executes
  for the caller.
- **Redirect** defaults to POST.
- **Record** (twilio.com/docs/voice/twiml/record): ``finishOnKey`` defaults to ``1234567890*#``,
  ``maxLength`` to 3600, ``playBeep`` to true; when the recording ends the action gets
  ``RecordingUrl`` (``https://api.twilio.com/2010-04-01/Accounts/AC…/Recordings/RE…``),
  ``RecordingDuration`` (whole seconds), ``RecordingSid`` and ``Digits`` (the key that ended it,
  or ``hangup``). An empty recording does not request the action: the next verb runs.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode, urlsplit

from twilio.request_validator import RequestValidator

from .common import MAX_REQUESTS, Call, Caller, DjangoTransport, collect_keys
from .restcomm import CallFailed

_VOICE = re.compile(r"^(man|woman|alice|Polly\.[A-Za-z-]+|Google\.[a-z]{2,3}-[A-Z]{2}-[\w-]+)$")
_LOCALE = re.compile(r"^[a-z]{2,3}-[A-Z]{2}$")
_VERBS = {"Say", "Play", "Gather", "Dial", "Redirect", "Hangup", "Pause", "Record", "Reject"}


class TwimlPlatform:
    """Walks calls through the webhook like a TwiML platform, signing with ``auth_token``."""

    def __init__(
        self,
        transport=None,
        *,
        voice_url: str = "http://testserver/autoattendant/internal/twiml",
        voice_method: str = "POST",
        to: str = "+15557770000",
        from_: str = "+15550009999",
        auth_token: str = "",
        sign: bool = True,
    ) -> None:
        self.transport = transport or DjangoTransport()
        self.voice_url = voice_url
        self.voice_method = voice_method
        self.to = to
        self.from_ = from_
        self.validator = RequestValidator(auth_token)
        self.sign = sign
        self.calls = 0

    def call(self, script=()) -> Call:
        self.calls += 1
        self.call_sid = f"CA{self.calls:032x}"
        caller = Caller(script)
        call = Call()
        try:
            document = self.fetch(call, self.voice_url, self.voice_method, {})
            while document is not None:
                document = self.execute(call, caller, document)
        except CallFailed as exc:
            call.ended = f"failed: {exc}"
        return call

    def parameters(self) -> dict[str, str]:
        return {
            "CallSid": self.call_sid,
            "AccountSid": "AC00000000000000000000000000000000",
            "From": self.from_,
            "To": self.to,
            "CallStatus": "in-progress",
            "ApiVersion": "2010-04-01",
            "Direction": "inbound",
            "CallerName": "",
        }

    def fetch(self, call: Call, url: str, method: str, extra: dict[str, str]) -> ET.Element:
        if len(call.requests) >= MAX_REQUESTS:
            raise AssertionError(f"more than {MAX_REQUESTS} requests: the call never ends")
        params = {**self.parameters(), **extra}
        method = method.upper()
        if method == "GET":
            joiner = "&" if urlsplit(url).query else "?"
            target, body = url + joiner + urlencode(params), {}
        else:
            target, body = url, params
        headers = {}
        if self.sign:
            headers["X-Twilio-Signature"] = self.validator.compute_signature(target, body)
        call.requests.append((method, target, params))
        reply = self.transport.request(method, target, body, headers)
        call.replies.append(reply)
        if reply.status != 200:
            raise CallFailed(f"HTTP {reply.status} from {urlsplit(url).path}")
        if "xml" not in reply.content_type:
            raise CallFailed(f"content type {reply.content_type!r} is not TwiML")
        try:
            return ET.fromstring(reply.body.decode())
        except ET.ParseError as exc:
            raise CallFailed(f"malformed TwiML: {exc}") from None

    def execute(self, call: Call, caller: Caller, root: ET.Element) -> ET.Element | None:
        assert root.tag == "Response", "a TwiML document's root is <Response>"
        for verb in root:
            if verb.tag not in _VERBS:
                raise CallFailed(f"<{verb.tag}> is not a TwiML verb")
            if verb.tag == "Say":
                self.say(call, verb)
            elif verb.tag == "Play":
                self.play(call, verb)
            elif verb.tag == "Gather":
                after = self.gather(call, caller, verb)
                if after is not None or call.ended:
                    return after
            elif verb.tag == "Dial":
                return self.dial(call, caller, verb)
            elif verb.tag == "Redirect":
                return self.fetch(call, (verb.text or "").strip(), verb.get("method") or "POST", {})
            elif verb.tag == "Record":
                after = self.record(call, caller, verb)
                if after is not None:
                    return after
            elif verb.tag == "Hangup":
                call.events.append(("hangup",))
                call.ended = "hangup"
                return None
        call.ended = "end-of-document"
        return None

    def say(self, call: Call, verb: ET.Element) -> None:
        voice = verb.get("voice") or "man"
        language = verb.get("language") or "en-US"
        if not _VOICE.match(voice):
            raise CallFailed(f"<Say voice={voice!r}> is not a TwiML voice")
        if not _LOCALE.match(language):
            raise CallFailed(f"<Say language={language!r}> is not a locale")
        if voice.startswith("Google.") and not voice[len("Google.") :].startswith(language):
            raise CallFailed(f"voice {voice} does not speak {language}")
        call.events.append(("say", (verb.text or "").strip(), voice, language))

    def play(self, call: Call, verb: ET.Element) -> None:
        url = (verb.text or "").strip()
        reply = self.transport.request("GET", url, {}, {})
        if reply.status != 200 or not reply.body:
            raise CallFailed(f"could not fetch {url}")
        call.events.append(("play", url))

    def gather(self, call: Call, caller: Caller, verb: ET.Element) -> ET.Element | None:
        raw_digits = verb.get("numDigits")
        num_digits = int(raw_digits) if raw_digits else 10**6  # per Gather, not sticky
        finish_on_key = verb.get("finishOnKey", "#")
        kind = (verb.get("input") or "dtmf").lower()
        language = verb.get("language") or "en-US"
        if "speech" in kind:
            assert _LOCALE.match(language), f"speech language {language!r} is not a locale"
        for child in verb:
            if child.tag == "Say":
                self.say(call, child)
            elif child.tag == "Play":
                self.play(call, child)
        call.events.append(("gather", kind, num_digits, finish_on_key, language))
        item = caller.next_for_gather()
        if item is None:
            call.ended = "caller"
            return None
        digits, speech = "", ""
        if item.lower().startswith("say:"):
            if "speech" in kind:
                speech = item[len("say:") :].strip()
        elif "dtmf" in kind:
            digits, _lost = collect_keys(item, num_digits, finish_on_key or "\0")
            if finish_on_key and digits.endswith(finish_on_key):
                digits = digits[: -len(finish_on_key)]
        action = verb.get("action")
        if not digits and not speech and verb.get("actionOnEmptyResult") != "true":
            return None  # the next verb
        if action is None:
            return None
        extra = {"Digits": digits} if not speech else {"SpeechResult": speech, "Confidence": "0.9"}
        return self.fetch(call, action, verb.get("method") or "POST", extra)

    def record(self, call: Call, caller: Caller, verb: ET.Element) -> ET.Element | None:
        """Record; the action's document, or ``None`` (nothing recorded: the next verb)."""
        finish_on_key = verb.get("finishOnKey") or "1234567890*#"
        max_length = int(verb.get("maxLength") or 3600)
        play_beep = (verb.get("playBeep") or "true").lower() == "true"
        call.events.append(("record", max_length, finish_on_key, play_beep))
        recorded = caller.next_recording()
        action = verb.get("action")
        if recorded is None or not action:
            return None
        url, seconds = recorded
        extra = {
            "RecordingUrl": url,
            "RecordingDuration": str(int(min(seconds, max_length))),
            "RecordingSid": "RE0123456789abcdef0123456789abcdef",
            "Digits": "#",
        }
        return self.fetch(call, action, verb.get("method") or "POST", extra)

    def dial(self, call: Call, caller: Caller, verb: ET.Element) -> ET.Element | None:
        number = verb.find("Number")
        target = ((number.text if number is not None else verb.text) or "").strip()
        call.events.append(("dial", target))
        status = caller.next_dial_status()
        action = verb.get("action")
        if not action:
            call.ended = "transferred" if status == "completed" else ""
            return None
        extra = {
            "DialCallSid": "CAdial",
            "DialCallStatus": status,
            "DialCallDuration": "42" if status == "completed" else "0",
        }
        # Twilio continues the caller's call with the action's document, answered or not.
        return self.fetch(call, action, verb.get("method") or "POST", extra)
