"""The two XML dialects the engine speaks: Restcomm's RCML and Twilio's TwiML.

One engine, one set of flows: the documents differ only where the platforms do, and every
difference is a field of :class:`Dialect`, so the engine never asks "which platform is this?".

- **Restcomm** (RCML): ``<Say voice>`` knows only ``man`` and ``woman`` (anything else is spoken
  as ``man``), and ``language`` is passed as stored (the deployment's synthesizer knows it, see
  ``TTS_LANGUAGES``). Speech Gathers carry the ASR ``language``; there is no ``speechTimeout``.
- **TwiML** (Twilio, SignalWire, Telnyx TeXML): ``<Say language>`` is a locale (``en-US``,
  ``pt-BR``), so stored codes are written as one (``en`` → ``en-US``); ``voice`` is ``man``,
  ``woman`` or a provider voice, and the spec's ``google.<xx-YY>-<name>`` languages become the
  provider voice ``Google.<xx-YY>-<name>`` with its locale. Speech Gathers add
  ``speechTimeout="auto"``.

Both: every ``<Gather>`` carries an explicit ``numDigits`` (Restcomm keeps the last one it saw
for the rest of the call) and ``actionOnEmptyResult="true"`` (TwiML honours it; Restcomm ignores
it and falls through to the ``<Redirect>`` the engine always puts after a Gather).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DIALECTS", "RESTCOMM", "TWIML", "Dialect", "asr_language"]

#: Speech-recognition language (``xx-YY``) for an AA system's ``language``.
_ASR_LANGUAGES = {
    "en": "en-US",
    "en-gb": "en-GB",
    "en-au": "en-AU",
    "en-in": "en-IN",
    "es": "es-ES",
    "es-mx": "es-MX",
    "fr": "fr-FR",
    "fr-ca": "fr-CA",
    "de": "de-DE",
    "it": "it-IT",
    "pt": "pt-PT",
    "pt-br": "pt-BR",
    "nl": "nl-NL",
}


def asr_language(language: str | None) -> str:
    """The ``xx-YY`` speech-recognition language for a system or TTS language code: ``en`` →
    ``en-US``, ``pt-br`` → ``pt-BR``, ``google.de-DE-Wavenet-A`` → ``de-DE``; ``en-US`` for
    anything unknown (the platforms' default)."""
    code = (language or "").strip()
    if code.lower().startswith("google."):
        parts = code[len("google.") :].split("-")
        if len(parts) >= 2:
            return f"{parts[0].lower()}-{parts[1].upper()}"
        code = parts[0]
    lowered = code.lower()
    if lowered in _ASR_LANGUAGES:
        return _ASR_LANGUAGES[lowered]
    base, _, region = lowered.partition("-")
    if len(base) == 2 and len(region) == 2:
        return f"{base}-{region.upper()}"
    if len(base) == 2 and base.isalpha() and not region:
        return _ASR_LANGUAGES.get(base, f"{base}-{base.upper()}")
    return "en-US"


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one platform family wants the engine's verbs written.

    ``name`` names the webhook (``rcml`` or ``twiml``); ``speech_timeout`` is the ``<Gather
    speechTimeout>`` to send with speech input (``None``: the attribute is not part of the
    dialect); ``provider_voices`` is True where ``<Say voice>`` takes ``Google.*``/``Polly.*``.
    """

    name: str
    speech_timeout: str | None = None
    provider_voices: bool = False

    def say_attributes(self, voice: str | None, language: str | None) -> tuple[str, str]:
        """``(voice, language)`` for a ``<Say>`` of an announcement with these stored values
        (``""`` omits the attribute)."""
        voice = (voice or "").strip().lower()
        language = (language or "").strip()
        if not self.provider_voices:
            return (voice if voice in ("man", "woman") else "", language)
        if language.lower().startswith("google."):
            return (f"Google.{language[len('google.') :]}", asr_language(language))
        return (
            voice if voice in ("man", "woman") else "",
            asr_language(language) if language else "",
        )


RESTCOMM = Dialect("rcml")
TWIML = Dialect("twiml", speech_timeout="auto", provider_voices=True)

#: The dialects by webhook name.
DIALECTS = {dialect.name: dialect for dialect in (RESTCOMM, TWIML)}
