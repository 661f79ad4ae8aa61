"""A Restcomm platform double, written from Restcomm-Connect's voice interpreter.

Source: RestComm/Restcomm-Connect (HEAD c67f142, 2019-01-11). Paths, shortened:

- BVI = restcomm/restcomm.interpreter/.../interpreter/BaseVoiceInterpreter.java
- VI = restcomm/restcomm.interpreter/.../interpreter/VoiceInterpreter.java
- PARSER = restcomm/restcomm.interpreter/.../interpreter/rcml/Parser.java
- DL = restcomm/restcomm.interpreter/.../http/client/Downloader.java
- REQD = restcomm/restcomm.interpreter/.../http/client/HttpRequestDescriptor.java
- COLLECT = restcomm/restcomm.mscontrol.api/.../mscontrol/api/messages/Collect.java
- VRSS = restcomm/restcomm.tts.voicerss/.../voicerss/VoiceRSSSpeechSynthesizer.java
- CONF = restcomm/restcomm.application/src/main/webapp/WEB-INF/conf/restcomm.xml

What it reproduces, each where the interpreter does it:

- **Requests** carry ``CallSid``, ``InstanceId``, ``AccountSid``, ``From``, ``To``,
  ``CallStatus``, ``ApiVersion``, ``Direction``, ``CallerName`` and ``ForwardedFrom`` (both the
  literal ``"null"`` without a display name), ``CallTimestamp`` (VI:1628-1697). On **GET** the
  URL is rebuilt from scheme, host, port and path with the parameters as its query, the URL's own
  query pairs after them, and the user:password dropped (DL:207-216, REQD:57-61, 81-91); on
  **POST** the parameters and the URL's query pairs go in the form body (DL:223-225).
- **Responses**: only status 200 is executed (VI:1200); the Content-Type must *contain*
  ``text/xml``, ``application/xml`` or ``text/html``, case-sensitively (VI:1974); malformed XML
  fails the call (PARSER:77-81, BVI:1308-1309). Tag and attribute names are case-sensitive,
  unknown tags are skipped (PARSER:122-124, Verbs.isVerb). The end of a document hangs up
  (VI:942-947). A failed fetch fails the call (VI:1241).
- **Gather**: ``numDigits`` is one field per call, ``Short.MAX_VALUE`` at first, assigned only
  when the attribute is present (BVI:268, BVI:1640-1652) — a Gather without it collects as many
  digits as the previous one. ``finishOnKey`` defaults to ``#`` (BVI:1385), ``timeout`` to 5
  (CONF:140); ``input`` is ``dtmf`` | ``speech`` | ``dtmf speech``, anything else DTMF
  (COLLECT:38-40). Nothing entered, or only the finish key → no action request, the next verb
  runs (BVI:1764-1776, 1795-1796); else ``Digits`` (finish key stripped) and ``SpeechResult`` are
  posted to the action (BVI:1778-1784). There is no ``actionOnEmptyResult``. Speech is kept only
  when no digit came first (VI:865-866); the ASR ``language`` must be in the deployment's list,
  exactly, else ``en-US`` (BVI:1681, CONF:33-122). More than 50 ``hints`` or one over 100
  characters fails the whole document (PARSER:131-141).
- **Say**: ``voice`` exactly ``man`` or ``woman``, else ``man`` (BVI:1232); ``language`` must be
  one the synthesizer knows, else it is spoken as ``en`` (BVI:1249-1250; VoiceRSS's list,
  VRSS:94-119).
- **Play**: a file that cannot be fetched hangs the call up outside a Gather (VI:1088-1095); in a
  Gather the Gather is skipped: nothing is collected, the next verb runs (VI:1086-1087,
  BVI:1288-1291).
- **Dial** posts ``DialCallSid``, ``DialCallStatus``, ``DialCallDuration`` to its action
  (VI:2705-2779); statuses are any call state (``queued``, ``ringing``, ``canceled``, ``busy``,
  ``not-found``, ``failed``, ``no-answer``, ``wait-for-answer``, ``in-progress``,
  ``completed``) or the literal ``null`` (VI:2775). Unanswered: the action's RCML runs
  (VI:1520-1528). Answered and over (``completed``): the action is requested but the caller is
  already hung up, so nothing it returns is executed (VI:2926-2932, 3377-3379).
- **Redirect**: POST by default (BVI:1337-1351).
- **Record** (BVI:1822-1948, ``CreatingRecording``): ``finishOnKey`` defaults to
  ``1234567890*#`` (BVI:1834), ``playBeep`` to true (BVI:1854), ``maxLength`` to 3600
  (BVI:1862); the file goes to ``recordings-path``/``RE….wav`` and is published at
  ``recordings-uri`` with the same name (BVI:1905-1917). With an ``action`` the interpreter
  always requests it when the recording ends (BVI:1950-2170, ``FinishRecording``):
  ``RecordingUrl`` (the file URI unless S3 is on, BVI:2128-2144), ``PublicRecordingUrl`` (the
  HTTP one), ``RecordingDuration`` as ``Double.toString`` (``"7.0"``, BVI:2146) and ``Digits``
  (the key that ended it, or ``hangup`` when the caller hung up, BVI:2148-2163) — even for an
  empty recording; without an action the next verb runs (BVI:2173-2176).

Simplified: a media server's collection (keys pressed after the Gather ended are lost), the
ring-back while dialling, ``loop``, ``Pause``, partial speech results.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .common import MAX_REQUESTS, Call, Caller, DjangoTransport, collect_keys

#: ``Short.MAX_VALUE``: the interpreter's ``numDigits`` before any Gather sets one (BVI:268).
UNSET_NUM_DIGITS = 32767

#: The ASR languages of the default configuration (CONF:34-122).
ASR_LANGUAGES = frozenset(
    """af-ZA id-ID ms-MY ca-ES cs-CZ da-DK de-DE en-AU en-CA en-GB en-IN en-IE en-NZ en-PH en-ZA
    en-US es-AR es-BO es-CL es-CO es-CR es-EC es-SV es-ES es-US es-GT es-HN es-MX es-NI es-PA
    es-PY es-PE es-PR es-DO es-UY es-VE eu-ES fil-PH fr-CA fr-FR gl-ES hr-HR zu-ZA is-IS it-IT
    lt-LT hu-HU nl-NL nb-NO pl-PL pt-BR pt-PT ro-RO sk-SK sl-SI fi-FI sv-SE vi-VN tr-TR el-GR
    bg-BG ru-RU sr-RS uk-UA he-IL ar-IL ar-JO ar-AE ar-BH ar-DZ ar-SA ar-IQ ar-KW ar-MA ar-TN
    ar-OM ar-PS ar-QA ar-LB ar-EG fa-IR hi-IN th-TH ko-KR cmn-Hant-TW yue-Hant-HK ja-JP
    cmn-Hans-HK cmn-Hans-CN""".split()  # noqa: SIM905
)

#: The languages VoiceRSS, Restcomm's default synthesizer, speaks (VRSS:94-119).
_VOICERSS = "ca zh-cn zh-hk zh-tw da nl en-au en-ca en-gb en-in en fi fr-ca fr de it ja ko nb pl pt-br pt ru es-mx es sv"
VOICERSS_LANGUAGES = frozenset(_VOICERSS.split())

_EXECUTABLE_TYPES = ("text/xml", "application/xml", "text/html")
_VERBS = {
    "Say", "Play", "Gather", "Dial", "Redirect", "Hangup", "Pause", "Record", "Reject", "Sms",
    "Fax", "Email", "Enqueue", "Leave", "Language", "UssdMessage", "UssdCollect",
}  # fmt: skip


class CallFailed(Exception):
    """The platform gives up on the call (the caller hears a dead line)."""


class RestcommPlatform:
    """Walks calls through the webhook like Restcomm's voice interpreter.

    ``voice_url`` and ``voice_method`` are the number's Voice URL and method; ``tts_languages``
    and ``asr_languages`` the deployment's synthesizer and recognizer languages.
    """

    def __init__(
        self,
        transport=None,
        *,
        voice_url: str = "http://testserver/autoattendant/internal/rcml",
        voice_method: str = "POST",
        to: str = "15557770000",
        from_: str = "15550009999",
        tts_languages: frozenset[str] = VOICERSS_LANGUAGES,
        asr_languages: frozenset[str] = ASR_LANGUAGES,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.transport = transport or DjangoTransport()
        self.voice_url = voice_url
        self.voice_method = voice_method
        self.to = to
        self.from_ = from_
        self.tts_languages = tts_languages
        self.asr_languages = asr_languages
        self.headers = headers or {}
        self.calls = 0

    # ------------------------------------------------------------------ one call
    def call(self, script=()) -> Call:
        """Place a call and let ``script`` (see :mod:`.common`) answer every wait."""
        self.calls += 1
        self.call_sid = f"CA{self.calls:032x}"
        self.num_digits = UNSET_NUM_DIGITS  # one field per call (BVI:268)
        caller = Caller(script)
        call = Call()
        try:
            document = self.fetch(call, self.voice_url, self.voice_method, {})
            while True:
                document = self.execute(call, caller, document)
                if document is None:
                    return call
        except CallFailed as exc:
            call.ended = f"failed: {exc}"
            return call

    def parameters(self) -> dict[str, str]:
        """What every request carries (VI:1628-1697)."""
        return {
            "CallSid": self.call_sid,
            "InstanceId": "ID0123456789abcdef",
            "AccountSid": "ACae6e420f425248d6a26948c17a9e2acf",
            "From": self.from_,
            "To": self.to,
            "CallStatus": "in-progress",
            "ApiVersion": "2012-04-24",
            "Direction": "inbound",
            "CallerName": "null",
            "ForwardedFrom": "null",
            "CallTimestamp": "2026-11-30T10:00:00.000Z",
        }

    def fetch(self, call: Call, url: str, method: str, extra: dict[str, str]) -> ET.Element:
        """Request ``url`` and parse the document, or fail the call as the interpreter does."""
        if len(call.requests) >= MAX_REQUESTS:
            raise AssertionError(f"more than {MAX_REQUESTS} requests: the call never ends")
        parts = urlsplit(url)
        pairs = list(self.parameters().items()) + list(extra.items())
        pairs += parse_qsl(parts.query, keep_blank_values=True)  # REQD:57-61
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        if method.upper() == "GET":  # DL:207-216: query rebuilt, user:password dropped
            target = urlunsplit((parts.scheme, netloc, parts.path, urlencode(pairs), ""))
            body: dict[str, str] = {}
        else:  # DL:223-225: everything in the form body
            target = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
            body = dict(pairs)
        call.requests.append((method.upper(), target, dict(pairs)))
        reply = self.transport.request(method.upper(), target, body, dict(self.headers))
        call.replies.append(reply)
        if reply.status != 200:  # VI:1200
            raise CallFailed(f"HTTP {reply.status} from {parts.path}")
        if not any(kind in reply.content_type for kind in _EXECUTABLE_TYPES):  # VI:1974
            raise CallFailed(f"content type {reply.content_type!r} is not RCML")
        try:
            return ET.fromstring(reply.body.decode().strip())
        except ET.ParseError as exc:  # PARSER:77-81
            raise CallFailed(f"malformed RCML: {exc}") from None

    # ------------------------------------------------------------------ one document
    def execute(self, call: Call, caller: Caller, root: ET.Element) -> ET.Element | None:
        """Run a document's verbs; the next document, or ``None`` when the call is over."""
        verbs = [element for element in root if element.tag in _VERBS]
        for verb in verbs:  # the parser checks each verb's hints as it reaches it
            if verb.tag == "Gather":
                self.check_hints(verb)
        for verb in verbs:
            tag = verb.tag
            if tag == "Say":
                self.say(call, verb)
            elif tag == "Play":
                if not self.play(call, verb):
                    raise CallFailed(f"could not fetch {verb.text}")  # VI:1088-1095
            elif tag == "Gather":
                after = self.gather(call, caller, verb)
                if after is not None:
                    return after
                if call.ended:
                    return None
            elif tag == "Dial":
                after = self.dial(call, caller, verb)
                if after is not None or call.ended:
                    return after
            elif tag == "Redirect":
                method = verb.get("method") or "POST"  # BVI:1337-1351
                return self.fetch(call, (verb.text or "").strip(), method, {})
            elif tag == "Record":
                after = self.record(call, caller, verb)
                if after is not None:
                    return after
            elif tag == "Hangup":
                call.events.append(("hangup",))
                call.ended = "hangup"
                return None
        call.ended = "end-of-document"  # VI:942-947: the interpreter hangs up
        return None

    def check_hints(self, gather: ET.Element) -> None:
        hints = gather.get("hints")
        if not hints:
            return
        phrases = hints.split(",")
        if len(phrases) > 50 or any(len(phrase) > 100 for phrase in phrases):  # PARSER:131-141
            raise CallFailed("HotWords limit exceeded")

    def say(self, call: Call, verb: ET.Element) -> None:
        voice = verb.get("voice") or "man"
        if voice not in ("man", "woman"):  # BVI:1232
            voice = "man"
        language = verb.get("language") or "en"
        if language not in self.tts_languages:  # BVI:1249-1250
            language = "en"
        text = (verb.text or "").strip()
        if text:
            call.events.append(("say", text, voice, language))

    def play(self, call: Call, verb: ET.Element) -> bool:
        """Fetch the file as the platform's cache does; False when it cannot."""
        url = (verb.text or "").strip()
        reply = self.transport.request("GET", url, {}, {})
        if reply.status != 200 or not reply.body:
            return False
        call.events.append(("play", url))
        return True

    def gather(self, call: Call, caller: Caller, verb: ET.Element) -> ET.Element | None:
        """Collect input; the action's document, or ``None`` to go on with the next verb."""
        raw_digits = verb.get("numDigits")
        if raw_digits and raw_digits.strip().lstrip("-").isdigit():  # BVI:1640-1652
            self.num_digits = int(raw_digits)
        finish_on_key = verb.get("finishOnKey") or "#"  # BVI:1385-1398
        kind = (verb.get("input") or "dtmf").lower()
        if kind not in ("dtmf", "speech", "dtmf speech"):  # COLLECT:38-40
            kind = "dtmf"
        language = verb.get("language") or "en-US"
        if language not in self.asr_languages:  # BVI:1681
            language = "en-US"
        for child in verb:
            if child.tag == "Say":
                self.say(call, child)
            elif child.tag == "Play" and not self.play(call, child):
                return None  # VI:1086-1087: the Gather is skipped
        call.events.append(("gather", kind, self.num_digits, finish_on_key, language))
        item = caller.next_for_gather()
        if item is None:
            call.ended = "caller"
            return None
        digits, speech = "", ""
        if item.lower().startswith("say:"):
            if "speech" in kind:
                speech = item[len("say:") :].strip()
        elif "dtmf" in kind:
            digits, _lost = collect_keys(item, self.num_digits, finish_on_key)
        if digits == finish_on_key:  # BVI:1764-1766
            digits = ""
        action = verb.get("action")
        if action is None or (not digits.strip() and not speech):  # BVI:1776
            return None  # the next verb (BVI:1795-1796)
        if digits.endswith(finish_on_key):  # BVI:1778-1780
            digits = digits[: digits.rfind(finish_on_key)]
        method = verb.get("method") or "POST"
        return self.fetch(call, action, method, {"Digits": digits, "SpeechResult": speech})

    def record(self, call: Call, caller: Caller, verb: ET.Element) -> ET.Element | None:
        """``CreatingRecording`` then ``FinishRecording``: the action with the recording's
        URLs, its duration as a Java double and the finishing key (``#`` when the script
        recorded something; an empty recording is still posted, with duration 0.0)."""
        finish_on_key = verb.get("finishOnKey") or "1234567890*#"  # BVI:1834-1852
        max_length = int(verb.get("maxLength") or 3600)  # BVI:1862-1873
        play_beep = (verb.get("playBeep") or "true").lower() == "true"  # BVI:1854-1861
        call.events.append(("record", max_length, finish_on_key, play_beep))
        recorded = caller.next_recording()
        public_url, seconds = recorded if recorded else ("", 0.0)
        name = public_url.rsplit("/", 1)[-1] or "RE0.wav"
        action = verb.get("action")
        if not action:
            return None  # BVI:2173-2176: the next verb
        extra = {
            "RecordingUrl": f"file:///opt/restcomm/recordings/{name}",  # BVI:2142
            "PublicRecordingUrl": public_url,  # BVI:2143
            "RecordingDuration": repr(min(seconds, float(max_length))),  # BVI:2146
            "Digits": "#" if recorded else "",
        }
        return self.fetch(call, action, verb.get("method") or "POST", extra)

    def dial(self, call: Call, caller: Caller, verb: ET.Element) -> ET.Element | None:
        number = verb.find("Number")
        target = ((number.text if number is not None else verb.text) or "").strip()
        if not target:
            return None  # VI:2328-2332
        call.events.append(("dial", target))
        status = caller.next_dial_status()
        answered = status in ("completed", "in-progress", "answered")
        action = verb.get("action")
        if action:
            extra = {
                "DialCallSid": "null" if status == "null" else "CAdial",
                "DialCallStatus": status,
                "DialCallDuration": "42" if answered else "0",
            }
            document = self.fetch(call, action, verb.get("method") or "POST", extra)
            if answered:  # VI:2926-2932, 3377-3379: the caller is gone; nothing runs
                call.ended = "transferred"
                return None
            return document
        if answered:
            call.ended = "transferred"
        return None
