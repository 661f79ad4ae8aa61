"""A Spanish system speaks every built-in phrase in Spanish: golden RCML (and TwiML) for each
document that carries one, from a flow compiled out of the database, so the phrases come
through Django's catalogs (``locale/es/LC_MESSAGES/django.po``) as in production."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from autoattendant.callflow import engine
from autoattendant.callflow.dialect import RESTCOMM, TWIML
from autoattendant.callflow.state import CallState, Mode
from autoattendant.choices import ActionType as A
from autoattendant.models import Mailbox
from autoattendant.runtime.compiler import compile_flow
from autoattendant.runtime.phrases import PHRASE_MSGIDS, phrases_for
from tests.builders import make_extension, make_menu, make_system, make_weekly_block
from tests.callflow.helpers import assert_xml, url_for

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)

ES = {
    "no_announcement": "No hay ningún anuncio asignado a este menú.",
    "extension_prompt": "Por favor, marque el número de extensión.",
    "name_prompt": "Por favor, diga el nombre.",
    "line_unavailable": "Lo sentimos, esa línea no está disponible.",
    "apology": "Lo sentimos, no podemos completar su llamada en este momento. Adiós.",
    "invalid_choice": "Lo sentimos, esa opción no es válida.",
    "voicemail_greeting": "Por favor, deje su mensaje después de la señal.",
    "voicemail_thanks": "Gracias, hemos grabado su mensaje. Adiós.",
    "voicemail_nothing": "No hemos recibido ningún mensaje. Adiós.",
}


@pytest.fixture
def madrid(enterprise_a):
    """A Spanish system whose menu has no announcement: 2 extension, 3 name, 4 transfer,
    5 voicemail, 6 voicemail into a mailbox that no longer exists."""
    mailbox = Mailbox.objects.create(enterprise=enterprise_a, name="Buzón", max_length_seconds=60)
    system = make_system(enterprise_a, "Madrid", language="es")
    menu = make_menu(
        system,
        "Principal",
        keys={
            "2": A.DIAL_BY_EXTENSION,
            "3": A.DIAL_BY_NAME,
            "4": (A.TRANSFER_TO_PHONE, "34911234567"),
            "5": (A.VOICEMAIL, mailbox.sid),
            "6": (A.VOICEMAIL, "MB" + "0" * 32),
        },
    )
    make_weekly_block(menu, [(day, "00:00", "24:00") for day in range(1, 8)])
    system.extensions.add(make_extension(enterprise_a, "34910000101", "101", "Lucía Pérez"))
    return compile_flow(system.pk), menu.sid, mailbox.sid


def test_the_catalog_translates_every_phrase():
    phrases = phrases_for("es")
    assert {name: getattr(phrases, name) for name in PHRASE_MSGIDS} == ES
    # and every other language has a translation of its own for every phrase
    for language in ("fr", "de", "it", "pt", "nl"):
        translated = phrases_for(language)
        for name, msgid in PHRASE_MSGIDS.items():
            assert getattr(translated, name) != msgid, (language, name)


def test_the_english_msgids_are_the_engines_defaults():
    english = phrases_for("en")
    for name, msgid in PHRASE_MSGIDS.items():
        assert getattr(english, name) == msgid == getattr(engine.Phrases(), name)


def run(system, menu_sid, dialect, **step):
    state = step.pop("state", None) or CallState(system.sid, system.enterprise_sid, menu_sid)
    return engine.step(system, state, url_builder=url_for, dialect=dialect, **step).rcml


def say(key: str, lang: str = "es") -> str:
    return f'<Say language="{lang}">{ES[key]}</Say>'


def gather(url: str, inner: str, **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return (
        f'<Gather action="{url}" method="POST" input="dtmf" numDigits="1" timeout="5"'
        f' actionOnEmptyResult="true"{extra}>{inner}</Gather>'
        f'<Redirect method="POST">{url}</Redirect>'
    )


@pytest.mark.parametrize(("dialect", "lang"), [(RESTCOMM, "es"), (TWIML, "es-ES")])
def test_every_built_in_phrase_is_spanish(madrid, dialect, lang):
    system, menu, mailbox = madrid
    base = "https://aa.test"

    def say_(key: str) -> str:
        return say(key, lang)

    first = engine.start(system, NOW, url_builder=url_for, dialect=dialect).rcml
    assert_xml(
        first,
        f"<Response>{gather(f'{base}/menu/{menu}/t0i0x0/s1', say_('no_announcement'))}</Response>",
    )

    state = CallState(system.sid, system.enterprise_sid, menu)
    wrong = run(system, menu, dialect, digits="9", state=state)
    assert_xml(
        wrong,
        f"<Response>{say_('invalid_choice')}"
        f"{gather(f'{base}/menu/{menu}/t0i1x0/s1', say_('no_announcement'))}</Response>",
    )

    extension = run(system, menu, dialect, digits="2", state=state)
    url = f"{base}/extension/{menu}/t0i0x0/s1"
    assert_xml(
        extension,
        f'<Response><Gather action="{url}" method="POST" input="dtmf" numDigits="3"'
        f' finishOnKey="#" timeout="5" actionOnEmptyResult="true">{say_("extension_prompt")}'
        f'</Gather><Redirect method="POST">{url}</Redirect></Response>',
    )

    name = run(system, menu, dialect, digits="3", state=state)
    url = f"{base}/name/{menu}/t0i0x0/s1"
    timeout = ' speechTimeout="auto"' if dialect is TWIML else ""
    assert_xml(
        name,
        f'<Response><Gather action="{url}" method="POST" input="dtmf speech" numDigits="3"'
        f' finishOnKey="#" timeout="5" actionOnEmptyResult="true" language="es-ES"{timeout}'
        f' hints="Lucía Pérez">{say_("name_prompt")}</Gather>'
        f'<Redirect method="POST">{url}</Redirect></Response>',
    )

    dial_state = CallState(system.sid, system.enterprise_sid, menu, mode=Mode.DIAL, step=1)
    busy = run(system, menu, dialect, dial_status="busy", state=dial_state)
    assert_xml(
        busy,
        f"<Response>{say_('line_unavailable')}"
        f"{gather(f'{base}/menu/{menu}/t0i0x0/s2', say_('no_announcement'))}</Response>",
    )

    voicemail = run(system, menu, dialect, digits="5", state=state)
    url = f"{base}/record/{menu}/t0i0x0/s1/prompt:{mailbox}"
    assert_xml(
        voicemail,
        f'<Response>{say_("voicemail_greeting")}<Record action="{url}" method="POST"'
        f' maxLength="60" playBeep="true" finishOnKey="#"/>'
        f'<Redirect method="POST">{url}</Redirect></Response>',
    )

    record_state = CallState(
        system.sid, system.enterprise_sid, menu, mode=Mode.RECORD, prompt_sid=mailbox, step=1
    )
    thanks = run(system, menu, dialect, recording_url="https://m.test/RE1.wav", state=record_state)
    assert_xml(thanks, f"<Response>{say_('voicemail_thanks')}<Hangup/></Response>")
    nothing = run(system, menu, dialect, recording_url="", state=record_state)
    assert_xml(nothing, f"<Response>{say_('voicemail_nothing')}<Hangup/></Response>")

    apology = run(system, menu, dialect, digits="6", state=state)
    assert_xml(apology, f"<Response>{say_('apology')}<Hangup/></Response>")


def test_a_suspended_spanish_system_apologises_in_spanish_over_the_webhook(madrid, enterprise_a):
    from django.test import Client

    from autoattendant.models import AutoAttendantSystem, PhoneNumber

    system, _, _ = madrid
    row = AutoAttendantSystem.objects.get(sid=system.sid)
    PhoneNumber.objects.create(enterprise=enterprise_a, number="34910000000", auto_attendant=row)
    row.status = "SUSPENDED"
    row.save()
    response = Client().post(
        "/autoattendant/internal/rcml", {"To": "34910000000", "CallSid": "CA1", "From": "1"}
    )
    assert response.status_code == 200
    assert response.content.decode().endswith(
        f'<Say language="es">{ES["apology"]}</Say><Hangup/></Response>'
    )
