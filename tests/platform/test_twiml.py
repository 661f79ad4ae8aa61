"""The TwiML webhook walked through the TwiML double (``twiml.py``), every request signed by the
``twilio`` package's ``RequestValidator`` — the same flows as on Restcomm, in Twilio's dialect."""

from __future__ import annotations

import pytest
from django.test import Client

from autoattendant.callflow.engine import TEXT_EXTENSION_PROMPT, TEXT_LINE_UNAVAILABLE
from autoattendant.models import Announcement

from .common import DjangoTransport, LiveTransport
from .conftest import MAIN_NUMBER, OPERATOR, SALES_LINE, TWILIO_TOKEN
from .twiml import TwimlPlatform

TWIML = "/autoattendant/internal/twiml"


class ThroughProxy(DjangoTransport):
    """A TLS-terminating proxy: https://aa.example.com/… arrives as http://testserver/…."""

    def request(self, method, url, body, headers):
        return super().request(
            method, url.replace("https://aa.example.com", "http://testserver"), body, headers
        )


def test_a_signed_call_walks_the_whole_flow(twilio, flow):
    call = twilio.call(["2", "8", "3", "101", "dial:no-answer", "4", "say:Maria Garcia"])
    assert not call.failed
    assert call.dialled == [flow.john.number, flow.maria.number]
    assert TEXT_LINE_UNAVAILABLE in call.said
    assert call.ended == "hangup"  # Twilio asks the Dial's action after the bridged call too
    assert call.posted("DialCallStatus") == ["no-answer", "completed"]
    # Every continuation stayed on the TwiML webhook.
    assert all(url.split("?")[0].endswith(TWIML) for _, url, _ in call.requests)


def test_numdigits_is_per_gather_and_explicit(twilio, flow):
    call = twilio.call(["3", "102", "dial:completed"])
    assert [gather[2] for gather in call.gathers] == [1, 3]
    assert call.dialled == [flow.maria.number]


def test_silence_reaches_the_action_once_per_timeout(twilio, flow):
    """Twilio honours actionOnEmptyResult: the action gets empty Digits and the Redirect after
    the Gather is never reached, so each timeout is still counted once."""
    call = twilio.call(["", "", ""])
    assert call.posted("Digits") == ["", "", ""]
    assert call.said == ["Welcome to Acme."] * 3 + ["Goodbye from Acme."]
    assert call.ended == "hangup"


def test_three_invalid_keys_go_to_the_operator(twilio, flow):
    call = twilio.call(["0", "8", "*", "dial:completed"])
    assert call.dialled == [OPERATOR]


def test_extension_attempts_and_dial_statuses(twilio, flow):
    call = twilio.call(["3", "555#", "", "999", "1", "dial:busy", "9"])
    assert call.said.count(TEXT_EXTENSION_PROMPT) == 3
    # Three bad attempts end the call with the default invalid-extension action.
    assert call.ended == "hangup"
    assert call.dialled == []


def test_the_speech_gather_speaks_twilios_dialect(twilio, flow):
    flow.system.language = "de"
    flow.system.save()
    call = twilio.call(["4", "say:John Smith"])
    assert call.gathers[1][1] == "dtmf speech" and call.gathers[1][4] == "de-DE"
    xml = call.replies[1].body.decode()
    assert 'speechTimeout="auto"' in xml and 'language="de-DE"' in xml
    assert call.dialled == [flow.john.number]


def test_say_voices_and_languages_are_twilios(twilio, flow):
    Announcement.objects.filter(pk=flow.welcome.pk).update(
        language="google.en-GB-Wavenet-A", voice="woman"
    )
    Announcement.objects.filter(pk=flow.hours.pk).update(language="fr", voice="MAN")
    flow.system.save()  # a new flow version
    call = twilio.call(["5", "9"])
    assert call.events[0] == ("say", "Welcome to Acme.", "Google.en-GB-Wavenet-A", "en-GB")
    assert ("say", "We are open nine to five.", "man", "fr-FR") in call.events


def test_announcement_files_play_on_twilio(twilio, flow):
    call = twilio.call(["2", "1", "dial:completed"])
    kinds = [event[0] for event in call.events]
    assert kinds[:5] == ["say", "gather", "play", "gather", "dial"]  # the Sales prompt is a WAV
    assert call.events[2][1].endswith(".wav")
    assert call.dialled == ["15559990000"]


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl", "wrong"])
def test_entry_without_a_valid_signature_is_refused(flow, settings, signature):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    headers = {} if signature is None else {"HTTP_X_TWILIO_SIGNATURE": signature}
    response = Client().post(TWIML, {"To": "+" + MAIN_NUMBER, "CallSid": "CA1"}, **headers)
    assert response.status_code == 403
    assert response.content == b"<Response><Hangup/></Response>"


def test_a_continuation_signed_with_another_token_is_refused(twilio, flow, settings):
    call = twilio.call(["9"])
    assert call.ended == "hangup"
    # The platform's call goes on, but a forger with the wrong token gets nowhere.
    forger = TwimlPlatform(to="+" + MAIN_NUMBER, auth_token="another-token")
    refused = forger.call(["1"])
    assert refused.failed and "HTTP 403" in refused.ended
    # A genuine entry, then a continuation whose parameters were changed after signing.
    first = twilio.call([])
    action_url = first.replies[0].body.decode().split('action="')[1].split('"')[0]
    action_url = action_url.replace("&amp;", "&")
    signature = twilio.validator.compute_signature(action_url, {"Digits": "1"})
    response = Client().post(
        action_url.replace("http://testserver", ""),
        {"Digits": "9"},
        HTTP_X_TWILIO_SIGNATURE=signature,
    )
    assert response.status_code == 403
    assert response.content == b"<Response><Hangup/></Response>"


def test_an_unsigned_platform_gets_nowhere_on_continuations_either(twilio, flow):
    first = twilio.call([])
    action = first.replies[0].body.decode().split('action="')[1].split('"')[0]
    response = Client().post(
        action.replace("&amp;", "&").replace("http://testserver", ""), {"Digits": "9"}
    )
    assert response.status_code == 403
    assert response.content == b"<Response><Hangup/></Response>"


def test_behind_a_proxy_the_public_url_is_what_was_signed(flow, settings):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = "https://aa.example.com"
    # The platform signs the public URL; the proxy hands the request over on the internal host.
    platform = TwimlPlatform(
        ThroughProxy(),
        voice_url="https://aa.example.com" + TWIML,
        to="+" + MAIN_NUMBER,
        auth_token=TWILIO_TOKEN,
    )
    call = platform.call(["1", "dial:completed"])
    assert call.dialled == [SALES_LINE]
    assert all(url.startswith("https://aa.example.com/") for _, url, _ in call.requests)


def test_without_a_token_the_endpoint_is_open(flow, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    call = TwimlPlatform(to="+" + MAIN_NUMBER, sign=False).call(["9"])
    assert call.ended == "hangup"


def test_get_requests_are_signed_over_the_whole_url(flow, settings):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    platform = TwimlPlatform(to="+" + MAIN_NUMBER, auth_token=TWILIO_TOKEN, voice_method="GET")
    call = platform.call(["9"])
    assert call.requests[0][0] == "GET"
    assert call.ended == "hangup"


@pytest.mark.django_db(transaction=True)
def test_a_signed_call_over_a_real_socket(live_server, flow, settings):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    platform = TwimlPlatform(
        LiveTransport(),
        voice_url=f"{live_server.url}{TWIML}",
        to="+" + MAIN_NUMBER,
        auth_token=TWILIO_TOKEN,
    )
    call = platform.call(["3", "102", "dial:completed"])
    assert call.dialled == [flow.maria.number]


def test_announcements_replay_and_goodbye_on_twilio(twilio, flow):
    call = twilio.call(["5", "7", "6"])
    assert call.said == [
        "Welcome to Acme.",
        "We are open nine to five.",
        "Welcome to Acme.",
        "Welcome to Acme.",
        "Goodbye from Acme.",
    ]
    assert call.events[-1] == ("hangup",)


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled"])
def test_an_unanswered_transfer_returns_to_the_menu_on_twilio(twilio, flow, status):
    call = twilio.call(["1", f"dial:{status}", "9"])
    assert call.dialled == [SALES_LINE]
    assert call.said == ["Welcome to Acme.", TEXT_LINE_UNAVAILABLE, "Welcome to Acme."]
    assert call.ended == "hangup"


class Rewriting(DjangoTransport):
    """A front end that hands the request over under another spelling of the same URL."""

    def __init__(self, old: str, new: str) -> None:
        super().__init__()
        self.old, self.new = old, new

    def request(self, method, url, body, headers):
        if url.startswith(self.old + "/"):
            url = self.new + url[len(self.old) :]
        return super().request(method, url, body, headers)


@pytest.mark.parametrize(
    ("signed", "arrives"),
    [
        ("http://testserver:8080", "http://testserver:8080"),  # an explicit port, kept
        ("http://testserver", "http://testserver:80"),  # signed without the default port
        ("https://testserver:443", "https://testserver"),  # signed with it
    ],
)
def test_signatures_over_urls_with_and_without_their_port(flow, settings, signed, arrives):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    platform = TwimlPlatform(
        Rewriting(signed, arrives),
        voice_url=signed + TWIML,
        to="+" + MAIN_NUMBER,
        auth_token=TWILIO_TOKEN,
    )
    call = platform.call(["1", "dial:completed"])
    assert not call.failed
    assert call.dialled == [SALES_LINE]


def test_a_signature_over_another_port_is_refused(flow, settings):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    platform = TwimlPlatform(
        Rewriting("http://testserver:8080", "http://testserver:8081"),
        voice_url="http://testserver:8080" + TWIML,
        to="+" + MAIN_NUMBER,
        auth_token=TWILIO_TOKEN,
    )
    call = platform.call(["1"])
    assert call.requests and call.failed
